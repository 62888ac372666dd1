import Foundation

/// English–Spanish word translations, keyed by light stems so that inflected text forms
/// meet the headwords. Built from Debian's FreeDict dictionaries (see Resources/README.md).
struct BilingualDictionary: Sendable {
    /// English stems that have at least one translation.
    var englishStems: Set<String>
    /// Folded Spanish word or stem → the English stems it translates.
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

    static let empty = BilingualDictionary(pairs: [])

    /// The committed dictionary resource, loaded once.
    static let shared: BilingualDictionary = {
        guard let url = Bundle.module.url(forResource: "dictionary", withExtension: "tsv", subdirectory: "Resources"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return .empty }
        var pairs: [(String, String)] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            if fields.count == 2 { pairs.append((String(fields[0]), String(fields[1]))) }
        }
        return BilingualDictionary(pairs: pairs.map { (english: $0.0, spanish: $0.1) })
    }()
}
