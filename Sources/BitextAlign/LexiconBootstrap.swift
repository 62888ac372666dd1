/// Word translations learned from the document itself, as hunalign does without a
/// dictionary: after a first alignment, English and Spanish words that keep appearing in the
/// same confident 1-1 links are taken as translations of each other and become anchors for
/// a second pass. Only pairs seen together at least `minimumCount` times, with a Dice
/// association of at least `minimumDice`, each word's single best partner, are kept.
struct LexiconBootstrap: Sendable {
    var minimumLinks = 20
    var minimumCount = 2
    var minimumDice = 0.6
    var minimumSimilarity = 0.25

    /// Spanish word → English word.
    func learn(english: [TextFeatures], spanish: [TextFeatures], links: [RawLink]) -> [String: String] {
        learnLexicon(english: english, spanish: spanish, links: links).translations
    }

    /// What `learn` learned, and the learned words' memo ids when the links' texts were read
    /// with one memo: `AnchorCatalog.addLearned` then finds the learned words by id, without
    /// reading the spelling of every other word of the document again.
    struct Learned {
        /// Spanish word → English word.
        var translations: [String: String] = [:]
        /// The memo of `pairs`' ids (nil: no ids).
        var memo: WordMemo.Identity?
        /// Each translation's Spanish and English words' memo ids, and the English spelling (the learned key's value).
        var pairs: [(spanish: Int32, english: Int32, value: String)] = []
    }

    /// `learn`, with the learned words' memo ids (see `Learned`).
    func learnLexicon(english: [TextFeatures], spanish: [TextFeatures], links: [RawLink]) -> Learned {
        // The confident links' units.
        var confident: [(english: Int, spanish: Int)] = []
        for k in links.indices where links[k].english.count == 1 && links[k].spanish.count == 1 && links[k].terms.similarity >= minimumSimilarity {
            confident.append((links[k].english.lowerBound, links[k].spanish.lowerBound))
        }
        guard confident.count >= minimumLinks else { return Learned() }
        // Words as small integers: the memo's word ids when the confident links' texts were
        // read with one memo (no hashing), else one hash per word occurrence. Co-occurrences as
        // packed (Spanish, English) pairs, counted by sorting. Ties are broken by spelling, so
        // the numbering does not change the result. Only the confident links' texts are read
        // (each sits behind its own reference: a pass over every text is a cache miss per text),
        // and of their word sets mostly the ids.
        let linksMemo = Self.sharedMemo(english, spanish, confident)
        let memoWords = linksMemo != nil
        var vocabulary = Vocabulary(memoWords: memoWords)
        var englishFrequency: [Int] = []
        var spanishFrequency: [Int] = []
        // The words of the links that pair them, end to end (link k's English words are
        // `paired[bounds[k].start ..< bounds[k].middle]`, its Spanish ones up to `bounds[k].end`),
        // kept so that the pairs array is allocated once at its size (millions of pairs on a long
        // document: growing it copied and faulted in every intermediate buffer).
        var paired: [Int32] = []
        var bounds: [(start: Int, middle: Int, end: Int)] = []
        var pairCount = 0
        for block in TextFeatures.touchBlocks(confident.indices) {
            if memoWords {  // the block's highest word id first (see `TextFeatures.touchBlocks`)
                var highest: Int32 = -1
                for (e, s) in confident[block] { highest = max(highest, english[e].highestWordID, spanish[s].highestWordID) }
                vocabulary.grow(toInclude: highest)
            }
            for (e, s) in confident[block] {
                let a = vocabulary.interned(english[e], text: e + 1)
                let b = vocabulary.interned(spanish[s], text: -(s + 1))
                // Words spelled the same on both sides already match; learn the others.
                let start = paired.count
                Self.append(a, without: b, to: &paired)
                let middle = paired.count
                Self.append(b, without: a, to: &paired)
                let end = paired.count
                if englishFrequency.count < vocabulary.count {
                    englishFrequency.append(contentsOf: repeatElement(0, count: vocabulary.count - englishFrequency.count))
                    spanishFrequency.append(contentsOf: repeatElement(0, count: vocabulary.count - spanishFrequency.count))
                }
                // Counted through buffers: an element incremented in a loop checked its array's
                // uniqueness (a runtime call) at every word.
                paired.withUnsafeBufferPointer { paired in
                    englishFrequency.withUnsafeMutableBufferPointer { frequency in
                        for e in paired[start..<middle] { frequency[Int(e)] += 1 }
                    }
                    spanishFrequency.withUnsafeMutableBufferPointer { frequency in
                        for s in paired[middle..<end] { frequency[Int(s)] += 1 }
                    }
                }
                guard (middle - start) * (end - middle) <= 4_000 else {
                    paired.removeLast(end - start)
                    continue
                }
                bounds.append((start, middle, end))
                pairCount += (middle - start) * (end - middle)
            }
        }
        // Best English partner per Spanish word, then keep it only if the English word's best
        // partner is that Spanish word too. Ties go to the alphabetically first word.
        var best = [(english: Int32, dice: Double)](repeating: (-1, 0), count: vocabulary.count)
        var bestForEnglish = [(spanish: Int32, dice: Double)](repeating: (-1, 0), count: vocabulary.count)
        // Pairs in 32 bits when every word id fits in 16 (a document's vocabulary nearly
        // always does), else in 64: half the memory to fill, fault in and sort. The pairs seen
        // often enough come back as a list, weighed in a plain loop: a closure called per pair
        // and mutating this function's variables checked each access at run time.
        let reach = PairReach(
            englishFrequency: englishFrequency, spanishFrequency: spanishFrequency, minimumCount: minimumCount, minimumDice: minimumDice)
        let frequent = vocabulary.count <= 1 << 16
            ? Self.frequentPairs(UInt32.self, paired: paired, bounds: bounds, count: pairCount, minimumCount: minimumCount, reach: reach)
            : Self.frequentPairs(UInt64.self, paired: paired, bounds: bounds, count: pairCount, minimumCount: minimumCount, reach: reach)
        for (s, e, count) in frequent {
            let dice = PairReach.dice(count: count, englishFrequency[Int(e)], spanishFrequency[Int(s)])
            guard dice >= minimumDice else { continue }
            let current = best[Int(s)]
            if dice > current.dice || (dice == current.dice && current.english >= 0 && vocabulary.spelling(e, english, spanish) < vocabulary.spelling(current.english, english, spanish)) { best[Int(s)] = (e, dice) }
            let currentForEnglish = bestForEnglish[Int(e)]
            if dice > currentForEnglish.dice || (dice == currentForEnglish.dice && currentForEnglish.spanish >= 0 && vocabulary.spelling(s, english, spanish) < vocabulary.spelling(currentForEnglish.spanish, english, spanish)) {
                bestForEnglish[Int(e)] = (s, dice)
            }
        }
        var learned = Learned(memo: linksMemo)
        for (s, pair) in best.enumerated() where pair.english >= 0 && bestForEnglish[Int(pair.english)].spanish == Int32(s) {
            let value = vocabulary.spelling(pair.english, english, spanish)
            learned.translations[vocabulary.spelling(Int32(s), english, spanish)] = value
            // With memo words the vocabulary's ids are the memo's.
            if memoWords { learned.pairs.append((Int32(s), pair.english, value)) }
        }
        return learned
    }

    /// The confident links' words as small integers, and their spellings.
    private struct Vocabulary {
        /// Whether texts are read by their memo word ids (else by hashing their words).
        let memoWords: Bool
        private var ids: [String: Int32] = [:]
        /// Each word's spelling by id ("": not read yet; no word is empty). With memo ids a
        /// word's spelling is read only when a tie or the lexicon needs it (a few words a
        /// document): reading every word met, each a miss into the shared store's pages under
        /// its lock, was a third of `learn`. `origin` says where to read it: the text
        /// (English: +, Spanish: −, 1-based) and the word's place in its set, packed.
        private var words: [String] = []
        private var origin: [Int] = []

        init(memoWords: Bool) { self.memoWords = memoWords }

        /// Word ids run from 0 to `count` − 1.
        var count: Int { words.count }

        /// Room for memo word ids up to `id`.
        mutating func grow(toInclude id: Int32) {
            guard Int(id) >= words.count else { return }
            words.append(contentsOf: repeatElement("", count: Int(id) + 1 - words.count))
            origin.append(contentsOf: repeatElement(0, count: Int(id) + 1 - origin.count))
        }

        /// A text's sorted word ids (the places of ids not met before noted); `text` as in `origin`.
        mutating func interned(_ features: TextFeatures, text: Int) -> IDList {
            if memoWords {
                let wordIDs = features.words.ids
                guard let last = wordIDs.last else { return IDList() }
                grow(toInclude: last)
                for (k, id) in wordIDs.enumerated() where origin[Int(id)] == 0 { origin[Int(id)] = text << 32 | k }
                return wordIDs
            }
            let set = features.words
            var out: [Int32] = []
            out.reserveCapacity(set.count)
            for word in set {
                if let id = ids[word] {
                    out.append(id)
                } else {
                    let id = Int32(words.count)
                    ids[word] = id
                    words.append(word)
                    out.append(id)
                }
            }
            return IDList(out.sorted())
        }

        /// The spelling of word `id`, read from its text the first time.
        mutating func spelling(_ id: Int32, _ english: [TextFeatures], _ spanish: [TextFeatures]) -> String {
            if words[Int(id)].isEmpty {
                let (text, k) = (origin[Int(id)] >> 32, origin[Int(id)] & 0xFFFF_FFFF)
                words[Int(id)] = (text > 0 ? english[text - 1] : spanish[-text - 1]).words.string(at: k)
            }
            return words[Int(id)]
        }
    }

    /// Which word pairs can still be kept, from the words' frequencies in the links' words. A
    /// link that pairs two words adds one to each word's frequency, so a pair is counted at most
    /// as often as its rarer word occurs: a pair whose rarer word occurs fewer than
    /// `minimumCount` times, or whose Dice at that count is already below `minimumDice`, is
    /// never kept. A Dice of 0.6 needs frequencies within about 2.3 times each other: a stop
    /// word can pair with few words, and a long document's millions of pairs are mostly such.
    struct PairReach {
        var englishFrequency: [Int]
        var spanishFrequency: [Int]
        var minimumCount: Int
        var minimumDice: Double

        /// The Dice association of a pair seen `count` times, of words seen `english` and `spanish` times.
        @inline(__always)
        static func dice(count: Int, _ english: Int, _ spanish: Int) -> Double {
            2 * Double(count) / Double(english + spanish)
        }

        /// Whether a pair of words of these frequencies can reach both minimums. Dice is computed
        /// as `dice` computes it (rounding is monotone: no count up to the rarer frequency gives more).
        @inline(__always)
        func mayBeKept(english: Int, spanish: Int) -> Bool {
            let rarer = min(english, spanish)
            return rarer >= minimumCount && Self.dice(count: rarer, english, spanish) >= minimumDice
        }
    }

    /// Each distinct (Spanish, English) word pair of the links' words that occurs at least
    /// `minimumCount` times, with how many times, in increasing (Spanish, English) order: the
    /// pairs packed in `P` (the Spanish id in the high half: ids must fit in half its bits),
    /// sorted, and counted in runs. Link k pairs its words `paired[bounds[k].middle ..< bounds[k].end]`
    /// (Spanish) with `paired[bounds[k].start ..< bounds[k].middle]` (English); at most `count` pairs
    /// in all. With `reach`, pairs it rules out are left out (nor packed, nor sorted): the pairs
    /// that reach both minimums are the same.
    static func frequentPairs<P: FixedWidthInteger & UnsignedInteger>(
        _: P.Type, paired: [Int32], bounds: [(start: Int, middle: Int, end: Int)], count: Int, minimumCount: Int, reach: PairReach?
    ) -> [(spanish: Int32, english: Int32, count: Int)] {
        let half = P.bitWidth / 2
        // Per link: its English words that can be kept at all, with their frequencies.
        var english: [(id: Int32, frequency: Int)] = []
        var pairs = [P](unsafeUninitializedCapacity: max(1, count)) { out, initialized in
            var n = 0
            paired.withUnsafeBufferPointer { paired in
                guard let reach else {
                    for (start, middle, end) in bounds {
                        for s in paired[middle..<end] {
                            let high = P(truncatingIfNeeded: UInt32(bitPattern: s)) << half
                            for e in paired[start..<middle] {
                                out[n] = high | P(truncatingIfNeeded: UInt32(bitPattern: e))
                                n += 1
                            }
                        }
                    }
                    return
                }
                reach.englishFrequency.withUnsafeBufferPointer { englishFrequency in
                    reach.spanishFrequency.withUnsafeBufferPointer { spanishFrequency in
                        for (start, middle, end) in bounds {
                            english.removeAll(keepingCapacity: true)
                            for e in paired[start..<middle] where englishFrequency[Int(e)] >= reach.minimumCount {
                                english.append((e, englishFrequency[Int(e)]))
                            }
                            guard !english.isEmpty else { continue }
                            for s in paired[middle..<end] {
                                let spanish = spanishFrequency[Int(s)]
                                guard spanish >= reach.minimumCount else { continue }
                                let high = P(truncatingIfNeeded: UInt32(bitPattern: s)) << half
                                for e in english where reach.mayBeKept(english: e.frequency, spanish: spanish) {
                                    out[n] = high | P(truncatingIfNeeded: UInt32(bitPattern: e.id))
                                    n += 1
                                }
                            }
                        }
                    }
                }
            }
            initialized = n
        }
        radixSort(&pairs)
        let low = (P(1) << half) - 1
        var frequent: [(spanish: Int32, english: Int32, count: Int)] = []
        var k = 0
        while k < pairs.count {
            let pair = pairs[k]
            var end = k + 1
            while end < pairs.count && pairs[end] == pair { end += 1 }
            if end - k >= minimumCount {
                frequent.append((Int32(truncatingIfNeeded: pair >> half), Int32(truncatingIfNeeded: pair & low), end - k))
            }
            k = end
        }
        return frequent
    }

    /// The memo the words of the confident links' texts were read with, if one (texts without
    /// words aside). A set's strings are read only if it has no memo.
    private static func sharedMemo(_ english: [TextFeatures], _ spanish: [TextFeatures], _ links: [(english: Int, spanish: Int)]) -> WordMemo.Identity? {
        var memo: WordMemo.Identity?
        func agrees(_ features: TextFeatures) -> Bool {
            let words = features.words  // read once (see `TextFeatures.words`)
            guard let m = words.memo else { return words.isEmpty }
            if memo == nil { memo = m }
            return m === memo
        }
        for (e, s) in links { guard agrees(english[e]), agrees(spanish[s]) else { return nil } }
        return memo
    }

    /// The memo every text's words were read with, if one (texts without words aside).
    static func sharedMemo(_ english: [TextFeatures], _ spanish: [TextFeatures]) -> WordMemo.Identity? {
        var memo: WordMemo.Identity?
        for side in [english, spanish] {
            for f in side {
                let words = f.words  // read once (see `TextFeatures.words`)
                guard !words.isEmpty else { continue }
                guard let m = words.memo, memo == nil || m === memo else { return nil }
                memo = m
            }
        }
        return memo
    }

    /// `values.sort()`, by least-significant-digit radix sort (skipping digits every value
    /// shares) for large arrays: the co-occurrence pairs of a long document run to millions.
    /// Unsigned integers sort to the same array whatever the method.
    static func radixSort<P: FixedWidthInteger & UnsignedInteger>(_ values: inout [P]) {
        guard values.count > 4_096 else {
            values.sort()
            return
        }
        // 16-bit digits (fewest passes) for long arrays; 11-bit ones below 64K values, where
        // clearing and summing 65,536 counters per pass, and faulting in their 512 KB, cost
        // more than a third pass (a 20-paragraph pair's few thousand pairs).
        let digitBits = values.count >= 1 << 16 ? 16 : 11
        let digitMask = P((1 << digitBits) - 1)
        var scratch = [P](repeating: 0, count: values.count)
        var counts = [Int](repeating: 0, count: 1 << digitBits)
        for shift in stride(from: 0, to: P.bitWidth, by: digitBits) {
            for k in counts.indices { counts[k] = 0 }
            values.withUnsafeBufferPointer { source in
                counts.withUnsafeMutableBufferPointer { counts in
                    for value in source { counts[Int(truncatingIfNeeded: (value &>> shift) & digitMask)] += 1 }
                }
            }
            if counts.contains(values.count) { continue }  // one digit for all: already in order
            var total = 0
            for k in counts.indices {
                let c = counts[k]
                counts[k] = total
                total += c
            }
            values.withUnsafeBufferPointer { source in
                scratch.withUnsafeMutableBufferPointer { target in
                    counts.withUnsafeMutableBufferPointer { next in
                        for value in source {
                            let digit = Int(truncatingIfNeeded: (value &>> shift) & digitMask)
                            target[next[digit]] = value
                            next[digit] += 1
                        }
                    }
                }
            }
            swap(&values, &scratch)
        }
    }

    /// Appends the sorted ids of `a` not in `b` (both sorted).
    private static func append(_ a: IDList, without b: IDList, to out: inout [Int32]) {
        // (A batch at a time: see `BatchedAppends`.)
        BatchedAppends.appending(to: &out) { out in
            var j = 0
            for x in a {
                while j < b.count && b[j] < x { j += 1 }
                if j < b.count && b[j] == x { continue }
                out.append(x)
            }
        }
    }

    /// The learned pairs as anchors, per unit: the English word on its side, the same key on
    /// the Spanish side for its learned translation.
    static func anchors(_ lexicon: [String: String], english: [TextFeatures], spanish: [TextFeatures])
        -> (english: [Int: [AnchorKey]], spanish: [Int: [AnchorKey]])
    {
        var englishAnchors: [Int: [AnchorKey]] = [:]
        var spanishAnchors: [Int: [AnchorKey]] = [:]
        guard !lexicon.isEmpty else { return ([:], [:]) }
        let englishWords = Set(lexicon.values)
        // With memo word ids, each distinct word is looked up once (the order of a unit's
        // anchors does not matter: they are a set).
        // A word's string is read only when its id is first met or it is learned.
        let memo = sharedMemo(english, spanish)
        var isLearned: [Bool?] = []
        for i in english.indices {
            let words = english[i].words
            for k in words.ids.indices {
                let learned: Bool
                if memo != nil {
                    let id = Int(words.ids[k])
                    if id >= isLearned.count { isLearned.append(contentsOf: repeatElement(nil, count: id + 1 - isLearned.count)) }
                    if let known = isLearned[id] { learned = known } else { learned = englishWords.contains(words.string(at: k)); isLearned[id] = learned }
                } else {
                    learned = englishWords.contains(words.string(at: k))
                }
                if learned { englishAnchors[i, default: []].append(AnchorKey(kind: .learned, value: words.string(at: k))) }
            }
        }
        var translation: [String??] = []
        for j in spanish.indices {
            let words = spanish[j].words
            for k in words.ids.indices {
                let e: String?
                if memo != nil {
                    let id = Int(words.ids[k])
                    if id >= translation.count { translation.append(contentsOf: repeatElement(nil, count: id + 1 - translation.count)) }
                    if let known = translation[id] { e = known } else { e = lexicon[words.string(at: k)]; translation[id] = .some(e) }
                } else {
                    e = lexicon[words.string(at: k)]
                }
                if let e { spanishAnchors[j, default: []].append(AnchorKey(kind: .learned, value: e)) }
            }
        }
        return (englishAnchors, spanishAnchors)
    }

    /// Adds learned anchors to the units' features.
    static func apply(_ learned: (english: [Int: [AnchorKey]], spanish: [Int: [AnchorKey]]), english: inout [TextFeatures], spanish: inout [TextFeatures]) {
        for (i, keys) in learned.english { english[i].formAnchorUnion(keys) }
        for (j, keys) in learned.spanish { spanish[j].formAnchorUnion(keys) }
    }
}
