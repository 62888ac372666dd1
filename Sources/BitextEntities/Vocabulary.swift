// Closed word classes as bits on each word token: the tokenizer looks a word up once, and the
// rules test bits instead of probing a dozen tables (and their lazy globals) per token.

struct WordClass: OptionSet, Sendable {
    let rawValue: UInt32
    static let englishFunction = WordClass(rawValue: 1 << 0)
    static let spanishFunction = WordClass(rawValue: 1 << 1)
    static let connector = WordClass(rawValue: 1 << 2)
    static let weakConnector = WordClass(rawValue: 1 << 3)
    static let personTitle = WordClass(rawValue: 1 << 4)
    static let organizationHead = WordClass(rawValue: 1 << 5)
    static let locationHead = WordClass(rawValue: 1 << 6)
    static let locativePreposition = WordClass(rawValue: 1 << 7)
    static let reportingVerb = WordClass(rawValue: 1 << 8)
    static let fullSpanishMonth = WordClass(rawValue: 1 << 9)
    static let monthAbbreviation = WordClass(rawValue: 1 << 10)
    static let ordinalSuffix = WordClass(rawValue: 1 << 11)
    static let resolutionWord = WordClass(rawValue: 1 << 12)
    static let andWord = WordClass(rawValue: 1 << 13)
    static let yearPreposition = WordClass(rawValue: 1 << 14)
    static let otherHead = WordClass(rawValue: 1 << 15)
    static let compass = WordClass(rawValue: 1 << 16)
    static let article = WordClass(rawValue: 1 << 17)
    static let month = WordClass(rawValue: 1 << 18)
    static let weekday = WordClass(rawValue: 1 << 19)
    static let scale = WordClass(rawValue: 1 << 20)
    static let currencyWord = WordClass(rawValue: 1 << 21)
    /// The first token of a name written in lower case (Spanish demonyms: "haitiano").
    static let lowercaseNameStart = WordClass(rawValue: 1 << 22)
}

/// Folded word hash → word classes, one open-addressing table.
struct Vocabulary: Sendable {
    /// A key and its classes side by side: a word found reads one cache line, not one in a
    /// table of keys and another in a table of values (in a pipeline, where other stages run
    /// between two documents, each line is a miss the first time a document reads it; the
    /// tokenizer spent a fifth of its time waiting for the key's line).
    fileprivate struct Slot: Sendable {
        var key: UInt64
        var classes: UInt32
    }

    private var slots: [Slot]
    private var shift: UInt64
    /// One bit per 2^-14 of the hash space, set for every key: most words of a text are in
    /// no class, and this 2 KB filter turns them away before the table (in a pipeline, where
    /// other stages run between two documents, every line of it read is a cache miss).
    private var filter: [UInt64]

    @inline(__always) fileprivate static func filterBit(_ k: UInt64) -> Int { Int(truncatingIfNeeded: (k &* 0xBF58_476D_1CE4_E5B9) >> 50) }

    static let empty = Vocabulary([:])

    init(_ classes: [UInt64: WordClass]) {
        // At most two thirds full: 16 bytes a slot, four to a cache line, so that a probe
        // rarely runs on into a second line and the table (16 KB for the word lists) is no
        // larger than the separate key and value arrays it replaced.
        var bits: UInt64 = 4
        while (1 << bits) * 2 < classes.count * 3 + 2 { bits += 1 }
        slots = [Slot](repeating: Slot(key: 0, classes: 0), count: 1 << bits)
        shift = 64 - bits
        filter = [UInt64](repeating: 0, count: 1 << 8)
        let mask = slots.count - 1
        for (key, value) in classes {
            let k = key == 0 ? 1 : key
            let bit = Self.filterBit(k)
            filter[bit >> 6] |= 1 << UInt64(bit & 63)
            var i = Int(truncatingIfNeeded: (k &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while slots[i].key != 0 && slots[i].key != k { i = (i + 1) & mask }
            slots[i] = Slot(key: k, classes: value.rawValue)
        }
    }

    /// (No class is `WordClass(rawValue: 0)`, not `[]`: the literal built an empty array, left
    /// in the tokenizer's loop as a release for every word found in no class.)
    @inline(__always) func classes(_ key: UInt64) -> WordClass {
        withTable { $0.classes(key) }
    }

    /// Runs `body` with the vocabulary read through pointers (valid only inside `body`): a
    /// `TokenScan` holding the vocabulary itself retained and released its two arrays for
    /// every block.
    @inline(__always) func withTable<R>(_ body: (Table) -> R) -> R {
        slots.withUnsafeBufferPointer { slots in
            filter.withUnsafeBufferPointer { filter in body(Table(slots: slots, filter: filter, shift: shift)) }
        }
    }

    /// The vocabulary's arrays as pointers (see `withTable`).
    struct Table {
        fileprivate let slots: UnsafeBufferPointer<Slot>
        fileprivate let filter: UnsafeBufferPointer<UInt64>
        fileprivate let shift: UInt64

        @inline(__always) func classes(_ key: UInt64) -> WordClass {
            let k = key == 0 ? 1 : key
            let bit = Vocabulary.filterBit(k)
            if filter[bit >> 6] & (1 << UInt64(bit & 63)) == 0 { return WordClass(rawValue: 0) }
            let mask = slots.count - 1
            var i = Int(truncatingIfNeeded: (k &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while true {
                let s = slots[i]
                if s.key == k { return WordClass(rawValue: s.classes) }
                if s.key == 0 { return WordClass(rawValue: 0) }
                i = (i + 1) & mask
            }
        }
    }

    /// The closed lists of `Words` as bits, plus the first tokens of lower-case names.
    static func words(lowercaseNameStarts: [UInt64]) -> Vocabulary {
        var classes: [UInt64: WordClass] = [:]
        func add(_ words: [String], _ c: WordClass) {
            for w in words { classes[foldedHash(w), default: []].insert(c) }
        }
        add(Words.englishFunctionList, .englishFunction)
        add(Words.spanishFunctionList, .spanishFunction)
        add(Words.connectorsList, .connector)
        add(Words.weakConnectorsList, .weakConnector)
        add(Words.personTitlesList, .personTitle)
        add(Words.organizationHeadsList, .organizationHead)
        add(Words.locationHeadsList, .locationHead)
        add(Words.locativePrepositionsList, .locativePreposition)
        add(Words.reportingVerbsList, .reportingVerb)
        add(Words.fullSpanishMonthsList, .fullSpanishMonth)
        add(Words.monthAbbreviationsList, .monthAbbreviation)
        add(Words.ordinalSuffixesList, .ordinalSuffix)
        add(Words.resolutionWordsList, .resolutionWord)
        add(Words.andWordsList, .andWord)
        add(Words.yearPrepositionsList, .yearPreposition)
        add(Words.otherHeadsList, .otherHead)
        add(Words.compassList, .compass)
        add(Words.articlesList, .article)
        add(Words.monthsList.map(\.0), .month)
        add(Words.weekdaysList.map(\.0), .weekday)
        add(Words.scalesList.map(\.0), .scale)
        add(Words.currencyWordsList.map(\.0), .currencyWord)
        for h in lowercaseNameStarts { classes[h, default: []].insert(.lowercaseNameStart) }
        return Vocabulary(classes)
    }
}
