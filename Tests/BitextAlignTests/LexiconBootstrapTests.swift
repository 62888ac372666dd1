import Testing

@testable import BitextAlign

/// Learning word translations from a document's confident links, and adding them as anchors.
@Suite struct LexiconBootstrapTests {
    /// Thirty pairs over a few recurring words (written for these tests): "printer" ↔ "impresora"
    /// in every other pair, "scanner" ↔ "escáner" in every third, with varying fillers.
    static let pairs: [(String, String)] = (0..<30).map { k in
        let devices = (k % 2 == 0 ? ["printer"] : []) + (k % 3 == 0 ? ["scanner"] : [])
        let spanishDevices = (k % 2 == 0 ? ["impresora"] : []) + (k % 3 == 0 ? ["escáner"] : [])
        let fillers = ["window", "folder", "network", "button", "screen"][k % 5]
        let spanishFillers = ["ventana", "carpeta", "red", "botón", "pantalla"][k % 5]
        return (
            "Check the \(fillers) \(devices.joined(separator: " and ")) settings \(k).",
            "Revise la configuración \(spanishFillers) \(spanishDevices.joined(separator: " y ")) \(k)."
        )
    }

    static func links(_ count: Int) -> [RawLink] {
        (0..<count).map { k in
            var terms = LinkTerms(shape: LinkShape(english: 1, spanish: 1))
            terms.similarity = 0.5
            return RawLink(english: k..<k + 1, spanish: k..<k + 1, terms: terms)
        }
    }

    /// Texts read with one memo (word ids compared) and each with its own (words hashed) learn the same lexicon.
    @Test func memoIDsAndHashedWordsLearnTheSame() {
        let extractor = AnchorExtractor()
        var memo = WordMemo()
        let english = Self.pairs.map { extractor.features(of: Substring($0.0), language: .english, memo: &memo) }
        let spanish = Self.pairs.map { extractor.features(of: Substring($0.1), language: .spanish, memo: &memo) }
        let separateEnglish = Self.pairs.map { extractor.features(of: $0.0, language: .english) }
        let separateSpanish = Self.pairs.map { extractor.features(of: $0.1, language: .spanish) }
        let links = Self.links(Self.pairs.count)
        let shared = LexiconBootstrap().learn(english: english, spanish: spanish, links: links)
        let hashed = LexiconBootstrap().learn(english: separateEnglish, spanish: separateSpanish, links: links)
        #expect(shared["impresora"] == "printer")
        #expect(shared["escaner"] == "scanner")  // words are folded
        #expect(shared == hashed)
        // Too few confident links: nothing learned.
        #expect(LexiconBootstrap().learn(english: english, spanish: spanish, links: Array(links.prefix(10))).isEmpty)
    }

    /// The catalog gains the learned anchors by word id exactly as through keys per unit: texts
    /// read with one memo (0), the Spanish side each with its own (1: by keys), the English
    /// side's second half with another memo (2: by ids, then by keys from where the memo changes).
    @Test(arguments: [0, 1, 2]) func learnedAnchorsByWordIDMatchKeysPerUnit(mixed: Int) {
        let extractor = AnchorExtractor()
        var memo = WordMemo()
        var other = WordMemo()
        let english = Self.pairs.enumerated().map { k, pair in
            mixed == 2 && k >= Self.pairs.count / 2
                ? extractor.features(of: Substring(pair.0), language: .english, memo: &other)
                : extractor.features(of: Substring(pair.0), language: .english, memo: &memo)
        }
        let spanish = Self.pairs.map {
            mixed == 1 ? extractor.features(of: $0.1, language: .spanish) : extractor.features(of: Substring($0.1), language: .spanish, memo: &memo)
        }
        let lexicon = LexiconBootstrap().learn(english: english, spanish: spanish, links: Self.links(Self.pairs.count))
        #expect(!lexicon.isEmpty)
        var byID = AnchorCatalog(english: english, spanish: spanish)
        byID.addLearned(lexicon, english: english, spanish: spanish)
        var byKey = AnchorCatalog(english: english, spanish: spanish)
        let learned = LexiconBootstrap.anchors(lexicon, english: english, spanish: spanish)
        byKey.add(learned.english, toEnglish: true)
        byKey.add(learned.spanish, toEnglish: false)
        let a = byID.table(parameters: .standard)
        let b = byKey.table(parameters: .standard)
        #expect(a.table.keys == b.table.keys)
        #expect(a.table.weights == b.table.weights)
        #expect(a.english.ids == b.english.ids && a.english.starts == b.english.starts)
        #expect(a.spanish.ids == b.spanish.ids && a.spanish.starts == b.spanish.starts)
        #expect(a.table.keys.contains(AnchorKey(kind: .learned, value: "printer")))
        // Handed the learned words' memo ids (no spelling read in the walk): the same.
        let learnedWithIDs = LexiconBootstrap().learnLexicon(english: english, spanish: spanish, links: Self.links(Self.pairs.count))
        #expect(learnedWithIDs.translations == lexicon)
        #expect(learnedWithIDs.pairs.count == (mixed == 0 ? lexicon.count : 0))
        var byLearnedIDs = AnchorCatalog(english: english, spanish: spanish)
        byLearnedIDs.addLearned(learnedWithIDs, english: english, spanish: spanish)
        let g = byLearnedIDs.table(parameters: .standard)
        #expect(g.table.keys == a.table.keys && g.table.weights == a.table.weights)
        #expect(g.english.ids == a.english.ids && g.english.starts == a.english.starts)
        #expect(g.spanish.ids == a.spanish.ids && g.spanish.starts == a.spanish.starts)
        // A catalog tabled before the additions (its lists then kept in that table's order)
        // gives the same table and units as one tabled only after them.
        var tabledTwice = AnchorCatalog(english: english, spanish: spanish)
        let first = tabledTwice.table(parameters: .standard)
        #expect(first.english.ids.count < a.english.ids.count)
        tabledTwice.addLearned(lexicon, english: english, spanish: spanish)
        let c = tabledTwice.table(parameters: .standard)
        #expect(c.table.keys == a.table.keys && c.table.weights == a.table.weights)
        #expect(c.english.ids == a.english.ids && c.english.starts == a.english.starts)
        #expect(c.spanish.ids == a.spanish.ids && c.spanish.starts == a.spanish.starts)
        #expect(c.table.tableIDByMemoID == a.table.tableIDByMemoID)
        // And again, nothing added: the same.
        let d = tabledTwice.table(parameters: .standard)
        #expect(d.english.ids == a.english.ids && d.spanish.ids == a.spanish.ids && d.table.keys == a.table.keys)
        // Added by keys after a first table (the counts kept up to date by `add`): the same weights.
        var byKeyTabledTwice = AnchorCatalog(english: english, spanish: spanish)
        _ = byKeyTabledTwice.table(parameters: .standard)
        byKeyTabledTwice.add(learned.english, toEnglish: true)
        byKeyTabledTwice.add(learned.spanish, toEnglish: false)
        let e = byKeyTabledTwice.table(parameters: .standard)
        #expect(e.table.keys == b.table.keys && e.table.weights == b.table.weights)
        #expect(e.english.ids == b.english.ids && e.spanish.ids == b.spanish.ids)
    }

    @Test("The radix sort sorts 32-bit word pairs as sort() does", arguments: [5, 4_097, 70_000])
    func radixSortOf32BitPairs(count: Int) {
        var generator = SystemRandomNumberGenerator()
        var values = (0..<count).map { k -> UInt32 in
            UInt32.random(in: 0..<3_000, using: &generator) << 16 | (k % 5 == 0 ? 7 : UInt32.random(in: 0..<65_536, using: &generator))
        }
        values.append(contentsOf: [UInt32.max, 0, 1 << 31])
        var expected = values
        expected.sort()
        LexiconBootstrap.radixSort(&values)
        #expect(values == expected)
    }

    @Test("The radix sort sorts 64-bit word pairs as sort() does (11- and 16-bit digits)", arguments: [4_097, 70_000])
    func radixSortOf64BitPairs(count: Int) {
        var generator = SystemRandomNumberGenerator()
        var values = (0..<count).map { k -> UInt64 in
            UInt64.random(in: 0..<200_000, using: &generator) << 32 | (k % 3 == 0 ? 9 : UInt64.random(in: 0..<100_000, using: &generator))
        }
        values.append(contentsOf: [UInt64.max, 0, 1 << 63])
        var expected = values
        expected.sort()
        LexiconBootstrap.radixSort(&values)
        #expect(values == expected)
    }
}

/// Leaving out the word pairs that cannot reach the minimums keeps every pair that does.
@Suite struct PairReachTests {
    @Test("Pruned and unpruned pairs agree on every pair that reaches both minimums", arguments: [1, 2, 3, 4, 5])
    func prunedPairsKeepEveryKeptPair(seed: Int) {
        // Links over a Zipf-like vocabulary (a few words in most links, most in few), as a document's.
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 | 1
        func next(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
        let vocabulary = 400
        var paired: [Int32] = []
        var bounds: [(start: Int, middle: Int, end: Int)] = []
        var englishFrequency = [Int](repeating: 0, count: vocabulary)
        var spanishFrequency = [Int](repeating: 0, count: vocabulary)
        var count = 0
        for _ in 0..<300 {
            // Some concepts (word k on both sides, mostly), and words of either side at random.
            let concepts = (0..<(1 + next(6))).map { _ in Int32(next(1 + next(150))) }
            func words(_ translated: [Int32]) -> [Int32] {
                Array(Set(translated + (0..<next(8)).map { _ in Int32(next(1 + next(vocabulary))) })).sorted()
            }
            let (english, spanish) = (words(concepts), words(concepts.filter { _ in next(5) > 0 }))
            let start = paired.count
            paired += english
            let middle = paired.count
            paired += spanish
            bounds.append((start, middle, paired.count))
            for e in english { englishFrequency[Int(e)] += 1 }
            for s in spanish { spanishFrequency[Int(s)] += 1 }
            count += english.count * spanish.count
        }
        let bootstrap = LexiconBootstrap()
        let reach = LexiconBootstrap.PairReach(
            englishFrequency: englishFrequency, spanishFrequency: spanishFrequency, minimumCount: bootstrap.minimumCount,
            minimumDice: bootstrap.minimumDice)
        func kept(_ pairs: [(spanish: Int32, english: Int32, count: Int)]) -> [[Int]] {
            pairs.filter {
                LexiconBootstrap.PairReach.dice(count: $0.count, englishFrequency[Int($0.english)], spanishFrequency[Int($0.spanish)])
                    >= bootstrap.minimumDice
            }.map { [Int($0.spanish), Int($0.english), $0.count] }
        }
        for wide in [false, true] {
            let all = wide
                ? LexiconBootstrap.frequentPairs(UInt64.self, paired: paired, bounds: bounds, count: count, minimumCount: bootstrap.minimumCount, reach: nil)
                : LexiconBootstrap.frequentPairs(UInt32.self, paired: paired, bounds: bounds, count: count, minimumCount: bootstrap.minimumCount, reach: nil)
            let pruned = wide
                ? LexiconBootstrap.frequentPairs(UInt64.self, paired: paired, bounds: bounds, count: count, minimumCount: bootstrap.minimumCount, reach: reach)
                : LexiconBootstrap.frequentPairs(UInt32.self, paired: paired, bounds: bounds, count: count, minimumCount: bootstrap.minimumCount, reach: reach)
            #expect(!kept(all).isEmpty)
            #expect(pruned.count < all.count)
            #expect(kept(pruned) == kept(all))
        }
    }
}
