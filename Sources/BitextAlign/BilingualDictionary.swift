import Foundation

/// English–Spanish word translations, keyed by light stems so that inflected text forms
/// meet the headwords. Built from Debian's FreeDict dictionaries (see Resources/README.md).
/// `shared` is read from the resource on first use, not when a stage holding it is made:
/// `bitext validate` and one-document runs that never reach the aligner skip it.
struct BilingualDictionary: Sendable {
    /// English stems that have at least one translation.
    var englishStems: Set<String> { tables.englishStems }
    /// Folded Spanish word or stem → the English stems it translates.
    var spanishToEnglish: [String: [String]] { tables.spanishToEnglish }

    private let source: Source
    private enum Source: Sendable {
        case resource
        case pairs(DictionaryTables)
    }
    private var tables: DictionaryTables {
        switch source {
        case .resource: Self.resourceTables
        case .pairs(let tables): tables
        }
    }

    init(pairs: [(english: String, spanish: String)]) {
        source = .pairs(DictionaryTables(pairs: pairs))
    }

    private init(source: Source) { self.source = source }

    static let empty = BilingualDictionary(pairs: [])

    /// Whether this is `shared`, the committed resource (what readings shared across units
    /// may assume).
    var isStandard: Bool {
        if case .resource = source { true } else { false }
    }

    /// The committed dictionary resource, loaded on first use.
    static let shared = BilingualDictionary(source: .resource)

    private static let resourceTables: DictionaryTables = {
        guard let url = Bundle.module.url(forResource: "dictionary", withExtension: "tsv", subdirectory: "Resources"),
            let data = try? Data(contentsOf: url), String(data: data, encoding: .utf8) != nil
        else { return DictionaryTables(pairs: []) }
        // Lines and tab-separated fields split on bytes (empty ones left out, as String.split
        // does): the file is NFC words without carriage returns, so bytes and Characters agree,
        // and splitting Characters was a third of the loading.
        var pairs: [(english: String, spanish: String)] = []
        pairs.reserveCapacity(data.count / 12)
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var fields: [Range<Int>] = []
            var i = 0
            while i < bytes.count {
                var end = i
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                fields.removeAll(keepingCapacity: true)
                var start = i
                for k in i...end where k == end || bytes[k] == 0x09 {
                    if k > start { fields.append(start..<k) }
                    start = k + 1
                }
                if fields.count == 2 {
                    pairs.append((String(decoding: UnsafeBufferPointer(rebasing: bytes[fields[0]]), as: UTF8.self),
                                  String(decoding: UnsafeBufferPointer(rebasing: bytes[fields[1]]), as: UTF8.self)))
                }
                i = end + 1
            }
        }
        return DictionaryTables(pairs: pairs)
    }()
}

private struct DictionaryTables: Sendable {
    var englishStems: Set<String>
    var spanishToEnglish: [String: [String]]

    init(pairs: [(english: String, spanish: String)]) {
        var english: Set<String> = []
        // Each Spanish key's English stems, distinct, in a small array (a Set per key cost an
        // allocation and a seeded hash per insertion; most keys have one to three stems).
        var map: [String: [String]] = [:]
        english.reserveCapacity(pairs.count)
        map.reserveCapacity(pairs.count)
        // The resource is sorted by English word: its stem is worked out once per run of lines.
        var previous: (english: String, stem: String)?
        for (en, es) in pairs {
            let enStem: String
            if let previous, previous.english == en {
                enStem = previous.stem
            } else {
                enStem = TextNormalization.stem(folded: Self.fold(en), language: .english)
                english.insert(enStem)
            }
            previous = (en, enStem)
            let esFolded = Self.fold(es)
            let esStem = TextNormalization.stem(folded: esFolded, language: .spanish)
            map[esFolded, default: []].appendIfAbsent(enStem)
            if esStem != esFolded { map[esStem, default: []].appendIfAbsent(enStem) }
        }
        englishStems = english
        // A Spanish word with many senses is weak evidence; keep its first few, deterministically.
        // In place: most keys have one stem, already in order (`mapValues` made a sorted copy
        // of every key's list, some 10,000 arrays at every process start).
        var index = map.values.startIndex
        while index != map.values.endIndex {
            if map.values[index].count > 1 {
                map.values[index].sort()
                if map.values[index].count > 6 { map.values[index].removeLast(map.values[index].count - 6) }
            }
            map.values.formIndex(after: &index)
        }
        spanishToEnglish = map
    }

    /// `TextNormalization.fold`, which leaves a word of ASCII without capitals as it is (most
    /// of the resource's words): no scalar-by-scalar copy for those.
    private static func fold(_ word: String) -> String {
        word.utf8.allSatisfy({ $0 < 0x80 && !($0 >= 0x41 && $0 <= 0x5A) }) ? word : TextNormalization.fold(word)
    }
}

extension [String] {
    fileprivate mutating func appendIfAbsent(_ element: String) {
        if !contains(element) { append(element) }
    }
}
