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

    /// The committed dictionary resource, loaded on first use.
    static let shared = BilingualDictionary(source: .resource)

    private static let resourceTables: DictionaryTables = {
        guard let url = Bundle.module.url(forResource: "dictionary", withExtension: "tsv", subdirectory: "Resources"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return DictionaryTables(pairs: []) }
        var pairs: [(String, String)] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            if fields.count == 2 { pairs.append((String(fields[0]), String(fields[1]))) }
        }
        return DictionaryTables(pairs: pairs.map { (english: $0.0, spanish: $0.1) })
    }()
}

private struct DictionaryTables: Sendable {
    var englishStems: Set<String>
    var spanishToEnglish: [String: [String]]

    init(pairs: [(english: String, spanish: String)]) {
        var english: Set<String> = []
        var map: [String: Set<String>] = [:]
        for (en, es) in pairs {
            let enStem = TextNormalization.stem(folded: TextNormalization.fold(en), language: .english)
            let esFolded = TextNormalization.fold(es)
            let esStem = TextNormalization.stem(folded: esFolded, language: .spanish)
            english.insert(enStem)
            map[esFolded, default: []].insert(enStem)
            if esStem != esFolded { map[esStem, default: []].insert(enStem) }
        }
        englishStems = english
        // A Spanish word with many senses is weak evidence; keep its first few, deterministically.
        spanishToEnglish = map.mapValues { Array($0.sorted().prefix(6)) }
    }
}
