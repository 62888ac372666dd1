#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PropertyBased
import Testing

@testable import BitextAlign

@Suite struct AnchorTests {
    let extractor = AnchorExtractor()

    func anchors(_ text: String, _ language: LanguageKind) -> Set<String> {
        Set(extractor.features(of: text, language: language).anchors.map(\.description))
    }

    @Test("Numbers meet across conventions", arguments: [
        ("1,234.5", LanguageKind.english, "1234.5"), ("1.234,5", .spanish, "1234.5"), ("1,234", .english, "1234"),
        ("1.234", .spanish, "1234"), ("3.5", .english, "3.5"), ("3,5", .spanish, "3.5"), ("12,000,000", .english, "12000000"),
        ("12.000.000", .spanish, "12000000"), ("007", .english, "7"), ("000", .spanish, "0"), ("2024", .english, "2024"),
        ("0", .english, "0"), ("0.5", .english, "0.5"), ("10:30", .spanish, "10:30"),
        // A separator at an end, or alone: read, never a crash.
        ("5.", .english, "5"), (".5", .english, "0.5"), ("5,", .spanish, "5"), (",5", .english, "5"), (".", .english, "."),
        (",.", .spanish, ",."), ("007.", .english, "7"),
    ])
    func numberNormalization(raw: String, language: LanguageKind, expected: String) {
        #expect(AnchorExtractor.normalizeNumber(raw, language: language) == expected)
    }

    /// Every number shape readTokens can give (digit runs joined by single separators),
    /// normalized on bytes and on Characters alike.
    @Test("Numbers on bytes equal numbers on Characters", arguments: [LanguageKind.english, .spanish])
    func numbersOnBytesEqualNumbersOnCharacters(language: LanguageKind) {
        let runs = ["0", "00", "7", "05", "12", "123", "007", "1234", "000", "10000"]
        var raws: [String] = runs
        for a in runs {
            for s in [".", ",", ":"] {
                for b in runs {
                    raws.append(a + s + b)
                    for t in [".", ",", ":"] { raws.append(a + s + b + t + "456") }
                }
            }
        }
        raws += ["1.234.567", "1,234,567", "1.234,56", "1,234.56", "0.5", "00,5", "1.2.3.4", "12.345.6", "1,2.3,4", "10:30:00"]
        for raw in raws {
            #expect(AnchorExtractor.normalizeNumber(raw, language: language) == AnchorExtractor.characterNormalizeNumber(raw, language: language), "\(raw)")
        }
    }

    @Test func versionsStayAsWritten() {
        #expect(anchors("Install version 1.2.53 now", .english).contains("ver:1.2.53"))
    }

    @Test("Dates in both languages give the same month–day", arguments: [
        ("On Monday, September 30th, the Council voted.", LanguageKind.english),
        ("El lunes 30 de septiembre, el Consejo votó.", .spanish),
        ("Adopted on 30 September 2024.", .english),
        ("Aprobada el 30/09/2024.", .spanish),
        ("Adopted on 09/30/2024.", .english),
    ])
    func dates(text: String, language: LanguageKind) {
        #expect(anchors(text, language).contains("date:09-30"))
    }

    @Test func fullDatesKeepTheYear() {
        let en = extractor.features(of: "OCTOBER 14, 2024— The team", language: .english)
        let es = extractor.features(of: "14 DE OCTUBRE DE 2024- El equipo", language: .spanish)
        #expect(en.dates == ["2024-10-14"])
        #expect(es.dates == ["2024-10-14"])
    }

    @Test func codesAndURLs() {
        let a = anchors("See S/2024/765 and https://www.un.org/en/ for details.", .english)
        #expect(a.contains("code:S/2024/765"))
        #expect(a.contains("url:www.un.org/en"))
        let b = anchors("Véase S/2024/765 y www.un.org/en/.", .spanish)
        #expect(b.contains("code:S/2024/765"))
        #expect(b.contains("url:www.un.org/en"))
    }

    @Test("Cognates share a skeleton", arguments: [
        ("Haiti", "Haití"), ("Kenya", "Kenia"), ("resolution", "resolución"), ("military", "militar"), ("international", "internacional"),
    ])
    func cognates(english: String, spanish: String) {
        let a = anchors(english, .english).filter { $0.hasPrefix("cog:") }
        let b = anchors(spanish, .spanish).filter { $0.hasPrefix("cog:") }
        #expect(!a.isEmpty && a == b)
    }

    @Test func namesAndAcronyms() {
        let a = anchors("The MSS and BINUH met in Port-au-Prince.", .english)
        let b = anchors("La MSS y la BINUH se reunieron en Port-au-Prince.", .spanish)
        for name in ["name:mss", "name:binuh", "name:port", "name:prince"] {
            #expect(a.contains(name) && b.contains(name))
        }
    }

    @Test func dictionaryTranslationsMeet() {
        let a = anchors("the government", .english).filter { $0.hasPrefix("dict:") }
        let b = anchors("el gobierno", .spanish).filter { $0.hasPrefix("dict:") }
        #expect(a.contains("dict:government"))
        #expect(b.contains("dict:government"))
    }

    @Test func spanishPunctuationIsCounted() {
        let f = extractor.features(of: "¿Qué? ¡Nada!", language: .spanish)
        #expect(f.questionMarks == 1 && f.invertedQuestionMarks == 1)
        #expect(f.exclamationMarks == 1 && f.invertedExclamationMarks == 1)
        #expect(anchors("¿Qué?", .spanish).contains("punct:?"))
    }

    @Test func listMarkersAreAnchors() {
        let f = extractor.features(of: "First item", language: .english, marker: "(a)")
        #expect(f.anchors.contains(AnchorKey(kind: .marker, value: "a")))
    }

    /// A marker with no letter or digit (a bullet) gives no anchor: a list item's features are
    /// its text's, which is what lets its one sentence take them (`sentenceFeatures`).
    @Test(arguments: ["•", "-", "*", "–", "◦"])
    func bulletsAddNothingToTheirText(bullet: String) {
        #expect(AnchorExtractor.normalizedMarker(bullet) == nil)
        let text: Substring = "Choose Tools ▸ Options (3 items, 14 October 2024)?"
        var markedMemo = WordMemo()
        var plainMemo = WordMemo()
        let marked = extractor.features(of: text, language: .english, marker: bullet, memo: &markedMemo)
        let plain = extractor.features(of: text, language: .english, marker: nil, memo: &plainMemo)
        #expect(marked.anchors.map(\.description) == plain.anchors.map(\.description))
        #expect(marked.numbers == plain.numbers && marked.dates == plain.dates && marked.length == plain.length)
        #expect(marked.letterCount == plain.letterCount && marked.questionMarks == plain.questionMarks)
        #expect(Array(marked.words) == Array(plain.words))
    }
}

/// Anchor tables built from texts read with one memo (ids, no hashing) and from texts read
/// separately (keys hashed, looked up by binary search) are the same table.
@Suite struct AnchorSetUnionTests {
    /// Adding learned anchors: keys already there and repeats among the added are not repeated,
    /// new keys follow the old in the order given, and the set is the one `insert` builds.
    @Test func unionKeepsEachKeyOnceInOrder() {
        let old: AnchorSet = [AnchorKey(kind: .word, value: "casa"), AnchorKey(kind: .number, value: "7")]
        let added = [
            AnchorKey(kind: .learned, value: "house"), AnchorKey(kind: .word, value: "casa"),
            AnchorKey(kind: .learned, value: "house"), AnchorKey(kind: .learned, value: "casa"),
        ]
        var union = old
        union.formUnion(added)
        var inserted = old
        for key in added { inserted.insert(key) }
        #expect(union.keys == inserted.keys)
        #expect(union.keys == [old.keys[0], old.keys[1], added[0], added[3]])
        var same = union
        same.formUnion(added)
        #expect(same.keys == union.keys)
    }
}

@Suite struct AnchorTableTests {
    static let english = [
        "The Council met on 14 October 2024 in Port-au-Prince (S/2024/765).", "Install version 1.2.53 from https://www.debian.org/ now?",
        "The government of Haiti approved 2,500 officers; the mission is legal!", "Chapter 3: packages, dependencies and the apt command",
    ]
    static let spanish = [
        "El Consejo se reunió el 14 de octubre de 2024 en Port-au-Prince (S/2024/765).", "¿Instale la versión 1.2.53 desde www.debian.org/ ahora?",
        "El gobierno de Haití aprobó 2.500 agentes; ¡la misión es legal!", "Capítulo 3: paquetes, dependencias y la orden apt",
    ]

    @Test func sharedMemoAndSeparateReadingsGiveTheSameTable() {
        let extractor = AnchorExtractor()
        var memo = WordMemo()
        let sharedEnglish = Self.english.map { extractor.features(of: Substring($0), language: .english, memo: &memo) }
        let sharedSpanish = Self.spanish.map { extractor.features(of: Substring($0), language: .spanish, memo: &memo) }
        let separateEnglish = Self.english.map { extractor.features(of: $0, language: .english) }
        let separateSpanish = Self.spanish.map { extractor.features(of: $0, language: .spanish) }
        let fast = AnchorTable(english: sharedEnglish, spanish: sharedSpanish, parameters: .standard)
        let slow = AnchorTable(english: separateEnglish, spanish: separateSpanish, parameters: .standard)
        #expect(fast.memo != nil && slow.memo == nil)
        #expect(fast.keys == slow.keys && fast.weights == slow.weights)
        #expect(!fast.keys.isEmpty)
        // Description order, and every key found where it is.
        #expect(fast.keys.map(\.description) == fast.keys.map(\.description).sorted())
        for (k, key) in fast.keys.enumerated() { #expect(fast.id(of: key) == Int32(k)) }
        #expect(fast.id(of: AnchorKey(kind: .word, value: "absent")) == nil)
        for (a, b) in zip(sharedEnglish + sharedSpanish, separateEnglish + separateSpanish) {
            #expect(fast.encode(a) == slow.encode(b))
            #expect(fast.encode(a) == fast.encode(b))
        }
    }

    /// The catalog's byte-wise sort (ASCII values) orders keys as their descriptions do, with
    /// prefixes, empty values, non-ASCII values and every kind mixed in.
    @Test func descriptionOrderIsTheOrderOfDescriptions() {
        let values = ["", "a", "ab", "abc", "b", "B", "Z", "z9", "é", "e", "ez", "éa", "ñu", "nu", "n", "1", "10", "9", "/", "~", "straße", "strasse"]
        var keys: [AnchorKey] = []
        for kind in AnchorKind.allCases { for value in values { keys.append(AnchorKey(kind: kind, value: value)) } }
        keys.reverse()
        let ids = Array(keys.indices)
        let sorted = AnchorCatalog.inDescriptionOrder(ids, keys: keys)
        #expect(sorted.map { keys[$0].description } == keys.map(\.description).sorted())
        #expect(sorted == ids.sorted { AnchorKey.precedes(keys[$0], keys[$1]) })
    }

    /// A memo copied and then read further on both sides keeps its ids apart: the copy that
    /// gives a new id takes a new identity.
    @Test func divergingMemoCopiesDoNotShareIdentity() {
        let extractor = AnchorExtractor()
        var memo = WordMemo()
        _ = extractor.features(of: Substring("common words here"), language: .english, memo: &memo)
        var copy = memo
        let a = extractor.features(of: Substring("alpha beta"), language: .english, memo: &memo)
        let b = extractor.features(of: Substring("gamma delta"), language: .english, memo: &copy)
        #expect(a.anchors.memo !== b.anchors.memo)
        let table = AnchorTable(english: [a], spanish: [b], parameters: .standard)
        #expect(table.keys.isEmpty)  // nothing shared, whatever the ids
    }

    /// Anchor keys and folded words live in byte tables (ASCII) or dictionaries (the rest): each
    /// key has one id whichever way it was first met.
    @Test func memoIDsAreOnePerKey() {
        var memo = WordMemo()
        #expect(memo.id(of: AnchorKey(kind: .punctuation, value: "?")) == memo.punctuationIDs.question)
        #expect(memo.id(of: AnchorKey(kind: .punctuation, value: ";")) == memo.punctuationIDs.semicolon)
        let keys = [("haiti", AnchorKind.cognate), ("haiti", .translation), ("straße", .cognate), ("straße", .translation), ("1234", .number), ("", .code)]
        let ids = keys.map { memo.id(of: AnchorKey(kind: $0.1, value: $0.0)) }
        #expect(Set(ids).count == keys.count)
        #expect(keys.map { memo.id(of: AnchorKey(kind: $0.1, value: $0.0)) } == ids)
        #expect(ids.map { memo.keys[Int($0)] } == keys.map { AnchorKey(kind: $0.1, value: $0.0) })
        let extractor = AnchorExtractor()
        let accented = extractor.features(of: Substring("Haití straße"), language: .spanish, memo: &memo)
        let plain = extractor.features(of: Substring("HAITI straße Straße"), language: .spanish, memo: &memo)
        #expect(accented.anchors.ids.first { memo.keys[Int($0)] == AnchorKey(kind: .name, value: "haiti") } != nil)
        #expect(Set(accented.anchors.ids).isSubset(of: Set(plain.anchors.ids)))
        #expect(accented.words.strings == ["haiti", "straße"])
        #expect(Array(plain.words.ids) == Array(accented.words.ids))
    }

    /// A folded word's own ids (as a name, as a plain word, as a memo word) are given on its
    /// first sight in either language, the plain word's next to the name's, and found again
    /// from the other language, ASCII or not; read with a store, the store's mapped to the memo's.
    @Test(arguments: ["haiti", "straße"], [true, false])
    func foldedWordsOwnIDsAreSharedByBothLanguages(word: String, alone: Bool) {
        var memo = WordMemo()
        if alone { memo.readAlone() }
        let extractor = AnchorExtractor()
        let capitalized = word.prefix(1).uppercased() + word.dropFirst()
        let english = extractor.features(of: Substring("\(capitalized) \(word)"), language: .english, memo: &memo)
        let spanish = extractor.features(of: Substring("\(word) \(capitalized)"), language: .spanish, memo: &memo)
        let name = memo.keys.firstIndex(of: AnchorKey(kind: .name, value: word))
        #expect(name != nil)
        #expect(memo.keys.filter { $0.value == word && ($0.kind == .name || $0.kind == .word) }.count == 2)
        let plain = memo.keys.firstIndex(of: AnchorKey(kind: .word, value: word))
        if alone, let name { #expect(plain == name + 1) }
        if let name, let plain {
            for ids in [english.anchors.ids, spanish.anchors.ids] {
                #expect(ids.contains(Int32(name)) && ids.contains(Int32(plain)))
            }
        }
        #expect(english.words.strings == [word])
        #expect(Array(spanish.words.ids) == Array(english.words.ids))
    }

    /// Sets read with a memo see its keys and words through pages frozen as the memo grows
    /// (and copies of the newest): what a set reads stays what the memo gave, pages later.
    @Test func setsReadTheMemoValuesOfTheirIDsAcrossPages() {
        var memo = WordMemo()
        let extractor = AnchorExtractor()
        let letters = Array("abcdefghij")
        func words(_ range: Range<Int>) -> [String] { range.map { "zq" + String(letters[$0 / 100]) + String(letters[$0 / 10 % 10]) + String(letters[$0 % 10]) } }
        func text(_ range: Range<Int>) -> String { zip(range, words(range)).map { "\($0 + 1000) \($1)" }.joined(separator: " ") }
        var read: [(TextFeatures, Range<Int>)] = []
        // Words and keys by the hundred: pages of `MemoValues.pageSize` fill and freeze between texts.
        for range in [0..<3, 3..<150, 140..<200, 0..<300, 295..<300] {
            read.append((extractor.features(of: Substring(text(range)), language: .english, memo: &memo), range))
        }
        #expect(memo.keys.count > 2 * MemoValues<AnchorKey>.pageSize)
        for (features, range) in read {
            let anchors = features.anchors
            #expect(anchors.keys == anchors.ids.map { memo.keys[Int($0)] })
            #expect(anchors.ids.indices.map { anchors.key(at: $0) } == anchors.keys)
            #expect(Set(range.map { AnchorKey(kind: .number, value: String($0 + 1000)) }).isSubset(of: Set(anchors.keys)))
            #expect(Set(features.words.strings) == Set(words(range)))
            #expect(features.words.ids.indices.map { features.words.string(at: $0) } == features.words.strings)
        }
    }

    /// Past whole volumes of pages, views made along the way still read the values their ids
    /// had, and the memo reads every value by id.
    @Test func memoValuesReadAcrossVolumes() {
        var values = MemoValues<Int>()
        let perVolume = MemoValues<Int>.volumeSize * MemoValues<Int>.pageSize
        let total = 2 * perVolume + 3 * MemoValues<Int>.pageSize + 5
        var views: [(IDList, MemoValues<Int>.View)] = []
        for v in 0..<total {
            values.append(v * 7)
            guard v % 1_000 == 999 || v == perVolume - 1 || v == perVolume || v == total - 1 else { continue }
            // Ids old and new: in closed volumes, in the open one, in the unfrozen tail.
            let ids = Array(Set([0, v / 3, v / 2, max(0, v - 200), max(0, v - 1), v].map { Int32($0) })).sorted()
            views.append((IDList(ids), values.view(of: ids)))
            // A view of every value so far reads these ids the same, by id.
            views.append((IDList(ids), values.viewOfAll()))
        }
        #expect(values.count == total)
        for id in [0, 1, perVolume - 1, perVolume, perVolume + 1, 2 * perVolume, total - 1] { #expect(values[id] == id * 7) }
        for (ids, view) in views {
            #expect(ids.indices.map { view.value(at: $0, of: ids) } == ids.map { Int($0) * 7 })
        }
    }

    /// The shared store's chunk records: every key found after the slots grew several times,
    /// with its reading number, ids and flags; equal bytes under another tag are another key.
    @Test func chunkRecordsFindEveryKeyAfterGrowing() {
        var records = ChunkRecords()
        var offsets: [Int] = []
        let keys = (0..<20_000).map { k in Array("k\(k)-\(String(repeating: "x", count: k % 37))".utf8) }
        for (k, key) in keys.enumerated() {
            key.withUnsafeBufferPointer { bytes in
                let hash = ByteTable.hash(bytes, UInt8(k % 2))
                #expect(records.record(of: bytes, tag: UInt8(k % 2), hash: hash) == nil)
                let ids = (0..<Int32(k % 5)).map { $0 + Int32(k) }
                offsets.append(
                    records.add(bytes, tag: UInt8(k % 2), hash: hash, reading: k, anchors: ids[...], words: ids.prefix(k % 3),
                        flags: k % 7 == 0 ? ChunkRecords.namesMonth : 0))
            }
        }
        for (k, key) in keys.enumerated() {
            key.withUnsafeBufferPointer { bytes in
                let found = records.record(of: bytes, tag: UInt8(k % 2), hash: ByteTable.hash(bytes, UInt8(k % 2)))
                #expect(found == offsets[k])
                #expect(records.record(of: bytes, tag: UInt8(1 - k % 2), hash: ByteTable.hash(bytes, UInt8(1 - k % 2))) == nil)
                records.arena.withUnsafeBufferPointer { arena in
                    let r = ChunkRecords.layout(arena, at: offsets[k])
                    #expect(r.reading == k && r.anchors == k % 5 && r.words == min(k % 3, k % 5))
                    #expect(r.flags == (k % 7 == 0 ? ChunkRecords.namesMonth : 0))
                    #expect((0..<r.anchors).map { Int32(bitPattern: arena[r.ids + $0]) } == (0..<Int32(k % 5)).map { $0 + Int32(k) })
                }
            }
        }
    }

    /// Records that were never added to (a unit's memo holds such, with no slots allocated)
    /// find nothing, touched or looked up, the empty key included; the first record allocates.
    @Test func chunkRecordsNeverAddedToFindNothing() {
        var records = ChunkRecords()
        for key in [[], Array("de".utf8), Array("Generalversammlung".utf8)] as [[UInt8]] {
            key.withUnsafeBufferPointer { bytes in
                let hash = ByteTable.hash(bytes, 0)
                #expect(records.touch(3) { _ in hash } == 0)
                #expect(records.record(of: bytes, tag: 0, hash: hash) == nil)
            }
        }
        Array("de".utf8).withUnsafeBufferPointer { bytes in
            let hash = ByteTable.hash(bytes, 0)
            let offset = records.add(bytes, tag: 0, hash: hash, reading: 7, anchors: ([1, 2] as [Int32])[...], words: [Int32]()[...], flags: 0)
            #expect(records.record(of: bytes, tag: 0, hash: hash) == offset)
        }
    }

    /// `ByteTable.equal` (inline loads up to 16 bytes, memcmp beyond) agrees with memcmp for
    /// every length up to 40, equal bytes and a difference at each position, at odd addresses.
    @Test func byteEqualityAgreesWithMemcmp() {
        for n in 0...40 {
            let a = (0..<n + 1).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            for position in -1..<n {
                var b = a
                if position >= 0 { b[position + 1] ^= UInt8(1 << (position % 8)) }
                a.withUnsafeBytes { x in
                    b.withUnsafeBytes { y in
                        // From the second byte: unaligned loads.
                        let (p, q) = (x.baseAddress! + 1, y.baseAddress! + 1)
                        #expect(ByteTable.equal(p, q, count: n) == (memcmp(p, q, n) == 0), "length \(n), difference at \(position)")
                    }
                }
            }
        }
    }

    /// Enough keys to grow the slots several times, of every length up to 48; equal bytes under
    /// another tag are another key.
    @Test func byteTableFindsEveryKeyAfterGrowing() {
        var table = ByteTable()
        // Lengths 0 to 48 (hashed eight bytes a step, then a tail of 1...8), and long keys
        // differing in one middle byte only.
        let keys = (0..<5000).map { "w\($0 * 7919 % 100_003)" } + ["", "a", "ñandú"]
            + (1...24).map { String(repeating: "ab", count: $0) } + ["abcdefghijklmnopq", "abcdefghXjklmnopq", "abcdefghijklmnoXq"]
        func lookup(_ key: String, _ tag: UInt8) -> Int32? {
            Array(key.utf8).withUnsafeBufferPointer { table.value(of: $0, tag: tag) }
        }
        for (k, key) in keys.enumerated() {
            #expect(lookup(key, 1) == nil)
            Array(key.utf8).withUnsafeBufferPointer { table.insert(Int32(k), for: $0, tag: 1) }
        }
        for (k, key) in keys.enumerated() {
            #expect(lookup(key, 1) == Int32(k))
            #expect(lookup(key, 2) == nil)
        }
        #expect(lookup("w1x", 1) == nil)
    }

    /// The one-probe paths (`valueOrInsert`, `probe` then `insert(after:)`, a probe made stale
    /// by inserts since) give each key one value across growing, the first one given.
    @Test func byteTableOneProbePathsAgreeAcrossGrowing() {
        var table = ByteTable()
        let keys = (0..<6000).map { Array("k\($0 * 104_729 % 1_000_003)".utf8) }
        var stale: ByteTable.Probe?
        for (k, key) in keys.enumerated() {
            key.withUnsafeBufferPointer { bytes in
                switch k % 3 {
                case 0:
                    let (value, inserted) = table.valueOrInsert(Int32(k), for: bytes, tag: 0)
                    #expect(value == Int32(k) && inserted)
                case 1:
                    let probe = table.probe(bytes, tag: 0)
                    #expect(probe.value == nil)
                    table.insert(Int32(k), for: bytes, tag: 0, after: probe)
                default:
                    // Probed before the previous key's insert: the insert must probe again.
                    #expect(stale != nil)
                    if let stale { table.insert(Int32(k), for: bytes, tag: 0, after: stale) }
                    stale = nil
                }
            }
            if k % 3 == 0, k + 2 < keys.count { stale = keys[k + 2].withUnsafeBufferPointer { table.probe($0, tag: 0) } }
        }
        for (k, key) in keys.enumerated() {
            key.withUnsafeBufferPointer { bytes in
                #expect(table.value(of: bytes, tag: 0) == Int32(k))
                #expect(table.valueOrInsert(-1, for: bytes, tag: 0) == (Int32(k), false))
                #expect(table.probe(bytes, tag: 1).value == nil)
            }
        }
    }

    /// Every rule and the lengths around its threshold, both languages: the ASCII byte path
    /// gives what the Character path gives.
    @Test("Stems of ASCII words on bytes equal those on Characters", arguments: [
        "cities", "ties", "classes", "sses", "churches", "wishes", "boxes", "xes", "cats", "cts", "glass", "bus", "running",
        "ring", "sing", "walked", "bed", "need", "luces", "ces", "papeles", "clases", "redes", "leyes", "mes", "res", "casas",
        "as", "s", "", "a", "ing", "ed", "esto", "usted", "niñes", "x\r\nes",
    ])
    func asciiStems(word: String) {
        for language in [LanguageKind.english, .spanish] {
            #expect(TextNormalization.stem(folded: word, language: language) == TextNormalization.characterStem(folded: word, language: language))
        }
    }

    /// `fold` works on the UTF-8 bytes; scalar by scalar (`foldScalar`) must give the same.
    @Test("Folding on bytes equals folding scalar by scalar", arguments: [
        "Haití", "RESOLUCIÓN", "Ñandú", "ÀÉÎÕÜÇÝÿ", "e\u{301}", "Straße", "ΩΣ", "Ⱥȿ", "İstanbul", "КИЇВ", "中文", "a😀B", "",
        "x\r\ny", "Ǆ", "ﬁ",
    ])
    func byteFolding(word: String) {
        var scalarwise = String.UnicodeScalarView()
        for scalar in word.unicodeScalars { if let folded = TextNormalization.foldScalar(scalar) { scalarwise.append(folded) } }
        #expect(TextNormalization.fold(word) == String(scalarwise))
        #expect(TextNormalization.fold(word).utf8.elementsEqual(String(scalarwise).utf8))
        #expect(TextNormalization.fold(word[...]) == String(scalarwise))
    }

    @Test("URLs by prefix (any case) or by an address", arguments: [
        ("HTTP://X.ORG", true), ("https://un.org/en", true), ("Www.x", true), ("ftp://a", true), ("FTP://b", true),
        ("user@example.org", true), ("@home.org", false), ("fish@home", false), ("hello", false), ("http:/x", false),
        ("wwwx", false), ("", false), ("Ünicode@x.org", true),
    ])
    func urls(text: String, isURL: Bool) {
        #expect(AnchorExtractor.isURL(Substring(text)) == isURL)
    }

    @Test("Cognate keys on ASCII bytes equal those on scalars", arguments: [
        "resolution", "philosophy", "theatre", "question", "nation", "tion", "ratio", "kayak", "zzzz", "abbbbbbbbc",
        "mississippi", "photographic", "thththth", "quququ", "abc", "abcd", "phthisis", "kenya", "military", "station",
    ])
    func asciiCognateKeys(word: String) {
        #expect(TextNormalization.cognateKey(folded: word) == TextNormalization.scalarCognateKey(word))
    }

    /// A text with one scalar that is not a Character of its own (here a Devanagari letter, one
    /// chunk apart) is read on scalars; without it, the same text is read on UTF-8 bytes.
    @Test("Reading words on bytes gives what reading them on scalars gives", arguments: [
        "On October 14, 2024 the Council (S/2024/765) met 3 times; see www.un.org/en.",
        "El 14 de octubre de 2024 el Consejo aprobó la resolución 1.234,5 en Haití: ¿cuándo?",
        "The 30th session, the 1st and 2.º item, 1ª vez, MSS iPhone Kenya/Kenia — “quoted” text…",
        "14/10/2024 10:30 1.2.3 v2 A/RES/78/1 e-mail user@example.org governments leyes nación NACIÓN",
        "Ñandú ÅNGSTRÖM straße œuvre Œuvre ÉCOLE école déjà-vu l’été 3,5 12.000.000 007 mayo May may",
    ])
    func byteAndScalarReadingsAgree(text: String) {
        let extractor = AnchorExtractor()
        for language in [LanguageKind.english, .spanish] {
            var bytesMemo = WordMemo()
            var scalarsMemo = WordMemo()
            let bytes = extractor.features(of: Substring(text), language: language, memo: &bytesMemo)
            let scalars = extractor.features(of: Substring(text + " क."), language: language, memo: &scalarsMemo)
            #expect(bytes.anchors.map { $0.description }.sorted() == scalars.anchors.map { $0.description }.sorted())
            #expect(Array(bytes.words).sorted() == Array(scalars.words).sorted())
            #expect(bytes.numbers == scalars.numbers)
            #expect(bytes.dates == scalars.dates)
            #expect(bytes.letterCount + 1 == scalars.letterCount)
            #expect(bytes.length + 2 == scalars.length)
            #expect(!bytes.anchors.isEmpty)
        }
    }

    /// A fresh memo reads chunks through the process's shared store (ids mapped to its own); a
    /// memo that gave an id before its first text reads them itself. Both give the same
    /// features, in any order of texts, and texts read again give what they gave.
    @Test func sharedStoreAndOwnReadingsAgree() {
        let texts: [(String, LanguageKind)] = [
            ("On October 14, 2024 the Council (S/2024/765) met 3 times; see www.un.org/en.", .english),
            ("El 14 de octubre de 2024 el Consejo aprobó la resolución 1.234,5 en Haití: ¿cuándo?", .spanish),
            ("The 30th session, the 1st and 2.º item, 1ª vez, MSS iPhone Kenya/Kenia — “quoted” text…", .english),
            ("14/10/2024 10:30 1.2.3 v2 A/RES/78/1 e-mail user@example.org governments leyes nación NACIÓN", .spanish),
            ("Ñandú ÅNGSTRÖM straße œuvre déjà-vu l’été 3,5 12.000.000 007 mayo May may क.", .spanish),
            ("The government of Haiti approved 2,500 officers; the mission is legal!", .english),
        ]
        let extractor = AnchorExtractor()
        func describe(_ f: TextFeatures) -> [String] {
            [f.anchors.map(\.description).sorted().joined(separator: " "), Array(f.words).sorted().joined(separator: " "),
             f.numbers.sorted().joined(separator: " "), f.dates.sorted().joined(separator: " "),
             "\(f.length) \(f.letterCount) \(f.questionMarks) \(f.invertedQuestionMarks) \(f.exclamationMarks) \(f.invertedExclamationMarks)"]
        }
        for order in [Array(texts.indices), texts.indices.reversed()] {
            var shared = WordMemo()
            var own = WordMemo()
            _ = own.id(of: AnchorKey(kind: .marker, value: "1"))  // no longer fresh: reads for itself
            for _ in 0..<2 {
                for k in order {
                    let (text, language) = texts[k]
                    let a = extractor.features(of: Substring(text), language: language, marker: "(a)", memo: &shared)
                    let b = extractor.features(of: Substring(text), language: language, marker: "(a)", memo: &own)
                    #expect(describe(a) == describe(b))
                    #expect(a.anchors.ids.map { shared.keys[Int($0)] } == a.anchors.keys)
                }
            }
            #expect(shared.store != nil && own.store == nil)
            var alone = WordMemo()
            alone.readAlone()  // a long document's memo
            _ = extractor.features(of: Substring(texts[0].0), language: .english, memo: &alone)
            #expect(alone.store == nil)
            #expect(Set(shared.keys).count == shared.keys.count)  // one id per key
        }
    }

    /// A side's texts read into feature columns (`FeatureColumns`, as `BitextAligner.view` reads
    /// them) give each text what reading it on its own with the same memo gives: keys, words,
    /// numbers, dates and counts, the same memo ids and the same memo, with a store, read
    /// alone, and for a memo copied before (whose first new id forks it mid-side).
    @Test func featureColumnsAgreeWithTextsReadOnTheirOwn() async {
        let pieces = [
            "On October 14, 2024 the Council (S/2024/765) met 3 times;", "see www.un.org/en.", "¿cuándo?", "¡Hola!", "a: b; c",
            "El 14 de octubre de 2024 el Consejo aprobó la resolución 1.234,5 en Haití", "14/10/2024 10:30 1.2.3 v2 A/RES/78/1",
            "Ñandú ÅNGSTRÖM straße œuvre déjà-vu l’été 3,5 12.000.000 007 mayo May may", "the government", "leyes nación NACIÓN",
            "", " ", "x", "The 30th session, the 1st and 2.º item, 1ª vez", "e-mail user@example.org governments", "क.",
        ]
        let texts = Gen.int(in: 0..<pieces.count).array(of: 0...6).array(of: 1...12)
        let extractor = AnchorExtractor()
        func describe(_ f: TextFeatures) -> [String] {
            [f.anchors.map(\.description).joined(separator: " "), f.words.strings.joined(separator: " "),
             f.numbers.sorted().joined(separator: " "), f.dates.sorted().joined(separator: " "),
             "\(f.anchors.ids.map { $0 }) \(f.words.ids.map { $0 }) \(f.highestAnchorID) \(f.highestWordID)",
             "\(f.length) \(f.letterCount) \(f.questionMarks) \(f.invertedQuestionMarks) \(f.exclamationMarks) \(f.invertedExclamationMarks)"]
        }
        await propertyCheck(count: 40, input: texts, Gen.int(in: 0...2)) { texts, mode in
            var own = WordMemo()
            var columnsMemo = WordMemo()
            if mode == 1 {
                own.readAlone()
                columnsMemo.readAlone()
            }
            let copies = mode == 2 ? (own, columnsMemo) : nil  // each memo shared: its first new id forks it
            var ownStream = ChunkStream()
            var stream = ChunkStream()
            var columns = FeatureColumns(texts: 4, ids: 8)
            var expected: [(TextFeatures, WordMemo.Identity?, WordMemo.Identity?)] = []
            var identities: [WordMemo.Identity] = []
            for (k, text) in texts.enumerated() {
                let joined = Substring(text.map { pieces[$0] }.joined(separator: " "))
                let language: LanguageKind = k % 2 == 0 ? .english : .spanish
                let f = extractor.features(of: joined, language: language, marker: k % 3 == 0 ? "(\(k))" : nil, memo: &own, stream: &ownStream)
                expected.append((f, f.anchors.memo, f.words.memo))
                extractor.addFeatures(
                    of: joined, language: language, marker: k % 3 == 0 ? "(\(k))" : nil, memo: &columnsMemo, stream: &stream, to: &columns)
                identities.append(columnsMemo.identity)
            }
            #expect(columns.rowCount == texts.count)
            let rows = columns.finish(memo: columnsMemo)
            #expect(rows.count == texts.count)
            #expect(columns.rowCount == 0)
            for (k, (row, (f, anchorMemo, wordMemo))) in zip(rows, expected).enumerated() {
                #expect(describe(row) == describe(f))
                #expect(row.anchors.memo === identities[k])  // the memo as it was after the text
                #expect((row.anchors.memo == nil) == (anchorMemo == nil) && (row.words.memo == nil) == (wordMemo == nil))
                #expect((row.anchors.store == nil) == (f.anchors.store == nil))
                // (Store ids are not compared: memos alive at once read with different stores.)
                #expect(row.anchors.ids.indices.map { row.anchors.key(at: $0) } == row.anchors.keys)
                // The count read from the row ends is the built set's (and a boxed text's, its set's).
                #expect(row.anchorCount == row.anchors.count && f.anchorCount == f.anchors.count && row.anchorCount == f.anchorCount)
            }
            // (Readings are store records, of different stores.)
            #expect(ownStream.readings.count == stream.readings.count && ownStream.texts == stream.texts && ownStream.ids == stream.ids)
            _ = copies
        }
    }

    /// Memos alive at the same time read with different stores (units aligned at once never
    /// wait for each other); a store goes back to the pool when its memo goes, and the next
    /// memo reads with it, its readings already there.
    @Test func storesAreLeasedOneMemoAtATime() {
        let pool = SharedReadings()
        let extractor = AnchorExtractor()
        var first = WordMemo()
        var second = WordMemo()
        let bound = first.bind(to: pool) && second.bind(to: pool)
        #expect(bound)
        let firstStore = first.store.map(ObjectIdentifier.init)
        #expect(firstStore != nil && firstStore != second.store.map(ObjectIdentifier.init))
        _ = extractor.features(of: "The Council met on 14 October 2024.", language: .english, memo: &first)
        let readings = first.store?.withMemo { $0.readings.count } ?? 0
        #expect(readings > 0)
        first = WordMemo()  // the lease ends with the memo
        var third = WordMemo()
        let rebound = third.bind(to: pool)
        #expect(rebound)
        #expect(third.store.map(ObjectIdentifier.init) == firstStore)
        let kept = third.store?.withMemo { memo in memo.readings.count }
        #expect(kept == readings)
        _ = second
    }

    /// A sentence read from its paragraph's chunks gives what reading it anew gives; a
    /// sentence whose ends cut a chunk, or text that is not the paragraph's, is not taken
    /// from the chunks. Read with the process's store or alone (long documents).
    @Test(arguments: [false, true])
    func sentencesFromTheirParagraphsChunks(alone: Bool) {
        let extractor = AnchorExtractor()
        let paragraphs: [(String, LanguageKind)] = [
            ("  On October 14, 2024 the Council met.  It adopted S/2024/765 (3 votes)! See www.un.org/en; then? ", .english),
            ("El 14 de octubre de 2024 el Consejo aprobó la resolución 1.234,5.¿Cuándo? En Haití: 2.500 agentes.", .spanish),
        ]
        var memo = WordMemo()
        if alone { memo.readAlone() }
        var stream = ChunkStream()
        let texts = paragraphs.map { Substring($0.0) }
        for (k, (_, language)) in paragraphs.enumerated() {
            _ = extractor.features(of: texts[k], language: language, marker: nil, memo: &memo, stream: &stream)
        }
        // Read with the process's store: each chunk's unit ids kept, for sentences to copy.
        #expect((memo.store == nil) == alone)
        #expect(alone ? !stream.keepsIDs : stream.keepsIDs && stream.idEnds.count == stream.readings.count)
        var taken = 0
        for (k, (text, language)) in paragraphs.enumerated() {
            let bytes = Array(text.utf8)
            // Every stretch between two byte offsets that are scalar boundaries.
            let cuts = bytes.indices.filter { bytes[$0] & 0xC0 != 0x80 } + [bytes.count]
            for a in cuts {
                for b in cuts where b >= a && (b - a) % 7 == 0 {
                    let part = Substring(texts[k].utf8.dropFirst(a).prefix(b - a))
                    var fresh = WordMemo()
                    let expected = extractor.features(of: part, language: language, words: false, memo: &fresh)
                    guard let chunks = stream.chunks(of: part, in: texts[k], at: k, language: language) else { continue }
                    #expect((chunks.ids == nil) == alone)
                    taken += 1
                    let got = extractor.features(of: part, language: language, chunks: chunks, memo: &memo)
                    #expect(got.anchors.map(\.description).sorted() == expected.anchors.map(\.description).sorted(), "\(part)")
                    #expect(got.numbers == expected.numbers && got.dates == expected.dates && got.length == expected.length)
                }
            }
        }
        #expect(taken > 100)
        // Not a slice of the paragraph (a copy), another language, a stretch cutting "1.234,5.¿Cuándo?": not taken.
        let copy = Substring(String(texts[0].dropFirst(2).prefix(20)))
        #expect(stream.chunks(of: copy, in: texts[0], at: 0, language: .english) == nil)
        #expect(stream.chunks(of: texts[0], in: texts[0], at: 0, language: .spanish) == nil)
        #expect(stream.chunks(of: texts[1], in: texts[1], at: 1, language: .spanish) != nil)
        let end = texts[1].range(of: "1.234,5.")!.upperBound
        #expect(stream.chunks(of: texts[1][..<end], in: texts[1], at: 1, language: .spanish) == nil)
    }

    /// The byte scan of a text (eight ASCII bytes at a time, byte by byte from a non-ASCII
    /// byte and for the last few) counts and cuts as a walk over its scalars does, wherever the
    /// tabs, line breaks, marks and accented letters fall among its words of eight bytes.
    @Test("Counts and chunks of the byte scan equal a walk over the scalars", arguments: [
        "", "a", "  ", "abcdefgh", "abcdefghi", " abcdefg h ", "x\ty\nz\u{0B}w\u{0C}v\rq  ",
        "What? Yes! Now: go; stop?!?! ¿Qué? ¡Sí! :;:;",
        "El 14 de octubre de 2024 el Consejo aprobó la resolución 1.234,5.¿Cuándo? En Haití: 2.500 agentes.",
        "ñññññññ abc ñ abcdefg\u{00A0}hij   ÉÉ Ä?Ö!Ü:ß;",
        "[AZ]@`{az} ~^_|\\ 09 Tools ▸ Options → done   ",
        "        leading and trailing eight        ",
    ])
    func byteScanCountsAndChunks(_ text: String) {
        var memo = WordMemo()
        memo.readAlone()
        var stream = ChunkStream()
        let features = AnchorExtractor().features(of: Substring(text), language: .english, marker: nil, memo: &memo, stream: &stream)
        var length = 0
        var letters = 0
        var chunks: [Range<Int32>] = []
        var start: Int32 = -1
        var offset: Int32 = 0
        for scalar in text.unicodeScalars {
            let space = TextNormalization.isWhitespace(scalar)
            if !space {
                length += 1
                if TextNormalization.isLetter(scalar) { letters += 1 }
                if start < 0 { start = offset }
            } else if start >= 0 {
                chunks.append(start..<offset)
                start = -1
            }
            offset += Int32(String(scalar).utf8.count)
        }
        if start >= 0 { chunks.append(start..<offset) }
        #expect(features.length == length && features.letterCount == letters)
        #expect(features.questionMarks == text.filter { $0 == "?" }.count)
        #expect(features.exclamationMarks == text.filter { $0 == "!" }.count)
        let marks = features.anchors.keys.filter { $0.kind == .punctuation }.map(\.value)
        #expect(marks.contains(":") == text.contains(":") && marks.contains(";") == text.contains(";"))
        #expect(zip(stream.starts, stream.ends).map { $0..<$1 } == chunks)
    }

    @Test("Trimming a chunk's edge punctuation on its bytes equals trimming its scalars", arguments: [
        "", ".", "\"«¿Qué?»\"", "(a)", "word,", "“Haití”", "—", "…etc…", "¡Sí!", "x", "•item", "a.b", "’s", "((", "Tools▸",
        "1.234,5.", "[[x]]", "«»", "ñ—", "—ñ",
    ])
    func trimOnBytes(_ text: String) {
        let chunk = Substring(text)
        let trimmed = text.utf8.withContiguousStorageIfAvailable { AnchorExtractor.trimPunctuation(chunk, bytes: $0) }
        #expect(trimmed.map(String.init) == String(AnchorExtractor.trimPunctuationScalars(chunk)))
        let last = text.utf8.withContiguousStorageIfAvailable { AnchorExtractor.scalar(endingAt: $0.count, in: $0) }
        #expect(last == text.unicodeScalars.last)
    }

    @Test("Document symbols: the ASCII byte test agrees with the Character test", arguments: [
        "S/2024/765", "A/RES/78/1", "CP/RES", "/usr/share/doc", "a/b", "AB/", "A/", "9/1", "/", "S/2024/765.",
        "S/2024/ñ", "CP/RÉS", "Ⅻ/AB", "x/Y/1", "12/34", "http://EXAMPLE.ORG", "AB/\r\nCD", "AB/½",
    ])
    func documentSymbols(_ text: String) {
        let s = Substring(text)
        let reference = s.contains("/") && (s.contains(where: \.isNumber) || s.contains(where: \.isUppercase))
            && !s.contains(where: \.isLowercase) && s.count >= 3
        #expect(AnchorExtractor.isCode(s) == reference)
    }

    @Test("Character classes of the first 256 scalars agree with Unicode's properties")
    func latinClasses() {
        for v in 0..<256 {
            let scalar = Unicode.Scalar(UInt8(v))
            #expect(TextNormalization.isWhitespace(scalar) == scalar.properties.isWhitespace)
            #expect(TextNormalization.isLetter(scalar) == scalar.properties.isAlphabetic)
        }
    }
}

@Suite struct SortedIDsTests {
    /// Lists of the sizes and orders id lists come in (and adversarial ones): sorted, reversed,
    /// all equal, few distinct values, organ pipe, random, around the insertion cut-off.
    static func lists() -> [[Int32]] {
        var generator = SystemRandomNumberGenerator()
        var lists: [[Int32]] = [[], [7], [2, 1], [1, 1]]
        for n in [3, 23, 24, 25, 26, 31, 32, 33, 48, 64, 100, 257, 1000, 5000] {
            let count = Int32(n)
            lists.append(Array(0..<count))
            lists.append(Array((0..<count).reversed()))
            lists.append([Int32](repeating: 4, count: n))
            lists.append((0..<n).map { _ in Int32.random(in: 0..<3, using: &generator) })
            lists.append(Array(0..<count / 2) + Array((0..<(count - count / 2)).reversed()))
            lists.append((0..<n).map { _ in Int32.random(in: -1000...100_000, using: &generator) })
        }
        return lists
    }

    @Test("Sorting ids gives the library's order", arguments: lists())
    func sortsAsTheLibrary(list: [Int32]) {
        var ours = list
        SortedIDs.sort(&ours)
        #expect(ours == list.sorted())
    }

    /// Sorting and dropping repeats through bits (narrow spans) or by sorting (wide spans,
    /// negative ids) gives the sorted distinct ids, and leaves the bits all zero.
    @Test("Distinct sorted ids, through bits or not", arguments: lists())
    func distinctThroughBits(list: [Int32]) {
        var bits = IDBits()
        for shift in [Int32(0), 63, 100_000, 5_000_000] {
            var ours = list.map { $0 + shift }
            AnchorExtractor.sortDistinct(&ours, bits: &bits)
            #expect(ours == Array(Set(list.map { $0 + shift })).sorted())
            #expect(bits.isClear)
        }
    }

    /// Through the two levels of bits over wide spans (a document's vocabulary, a table's ids):
    /// the sorted distinct ids, whether any repeated, and the bits left all zero.
    @Test("Ids sorted through bits over wide spans", arguments: [2, 25, 300, 4_000])
    func throughBitsOverWideSpans(count: Int) {
        var generator = SystemRandomNumberGenerator()
        var bits = IDBits()
        for span in [64, 5_000, 1 << 20] {
            let low = Int32.random(in: 0...1_000, using: &generator)
            let list = (0..<count).map { _ in low + Int32.random(in: 0..<Int32(span), using: &generator) }
            var ours = list
            let (n, allDistinct) = ours.withUnsafeMutableBufferPointer { bits.sortDistinct($0, low: low, span: span) }
            let expected = Array(Set(list)).sorted()
            #expect(Array(ours[..<n]) == expected)
            #expect(allDistinct == (expected.count == list.count))
            #expect(bits.isClear)
            var distinct = expected.shuffled(using: &generator)
            let (m, none) = distinct.withUnsafeMutableBufferPointer { bits.sortDistinct($0, low: low, span: span) }
            #expect(m == expected.count && none && distinct == expected)
            #expect(bits.isClear)
        }
        var wide = (0..<count).map { _ in Int32.random(in: 0..<3_000_000, using: &generator) }
        let expected = Array(Set(wide)).sorted()
        AnchorExtractor.sortDistinct(&wide, bits: &bits)
        #expect(wide == expected)
        #expect(bits.isClear)
    }

    @Test("A text's numbers gathered chunk by chunk into a reserved set: the set one insert at a time makes")
    func gatheredNumbersMatchInserts() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let chunks = (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                (0..<Int.random(in: 0...5, using: &generator)).map { _ in String(Int.random(in: 0...9, using: &generator)) }
            }
            var gathered: Set<String> = []
            var inserted: Set<String> = []
            for chunk in chunks {
                gathered.insertGathered(chunk)
                for value in chunk { inserted.insert(value) }
            }
            #expect(gathered == inserted)
        }
    }
}
