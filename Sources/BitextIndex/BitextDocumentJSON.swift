import BitextCore
import BitextOutput
import Foundation

/// Reads bitext's normalized JSON (`format: bitext-document`) back into index rows, pairing
/// paragraphs and sentences the same way the JSON Lines writer does (same keys).
enum BitextDocumentJSON {
    struct File: Decodable {
        var format: String
        var id: String
        var documents: [Document]
        var paragraphs: [String: [Paragraph]]
        var sentences: [String: [Sentence]]?
        var alignment: [Link]?
        var sentenceAlignment: [SentenceLink]?
        var entities: [String: [EntityMention]]?
        enum CodingKeys: String, CodingKey {
            case format, id, documents, paragraphs, sentences, alignment, entities
            case sentenceAlignment = "sentence_alignment"
        }
    }
    struct Document: Decodable { var index: Int; var path: String }
    struct Paragraph: Decodable {
        var index: Int, document: Int, text: String, flags: [String]?
        var sourceStart: Int, sourceEnd: Int
        enum CodingKeys: String, CodingKey { case index, document, text, flags, sourceStart = "source_start", sourceEnd = "source_end" }
    }
    struct EntityMention: Decodable { var paragraph: Int, start: Int, end: Int, text: String, normalized: String? }
    struct Sentence: Decodable {
        var index: Int, paragraph: Int, text: String, start: Int, end: Int
        var sourceStart: Int?, sourceEnd: Int?
        enum CodingKeys: String, CodingKey { case index, paragraph, text, start, end, sourceStart = "source_start", sourceEnd = "source_end" }
    }
    struct Link: Decodable { var en: [Int], es: [Int], score: Double, flags: [String] }
    struct SentenceLink: Decodable { var link: Int, en: [Int], es: [Int], score: Double, flags: [String] }

    static func pairs(from bytes: [UInt8]) throws -> [IndexedPair] {
        let file: File
        do {
            // Decoded in place: `Data(bytes)` copied a unit's whole JSON (93 MB for a long pair).
            file = try bytes.withUnsafeBytes { buffer in
                guard let base = buffer.baseAddress, buffer.count > 0 else { return try JSONDecoder().decode(File.self, from: Data()) }
                return try JSONDecoder().decode(File.self, from: Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: buffer.count, deallocator: .none))
            }
        } catch {
            throw IndexError("not a bitext-document JSON file: \(error)")
        }
        guard file.format == "bitext-document" else { throw IndexError("not a bitext-document JSON file (format '\(file.format)')") }
        let paths = Dictionary(file.documents.map { ($0.index, $0.path) }, uniquingKeysWith: { a, _ in a })
        let english = file.paragraphs["en"] ?? []
        let spanish = file.paragraphs["es"] ?? []
        // Entity values (normalized, and as written) per language and paragraph, so that a search
        // for `2023-10-02` finds "2 October 2023" and "2 de octubre de 2023".
        var mentions: [String: [Int: [EntityMention]]] = [:]
        for (language, list) in file.entities ?? [:] { mentions[language] = Dictionary(grouping: list, by: \.paragraph) }
        func entityTerms(_ language: String, _ paragraphs: [Int], within ranges: [(Int, Int)]? = nil) -> [String] {
            paragraphs.flatMap { mentions[language]?[$0] ?? [] }
                .filter { m in ranges?.contains { $0.0 <= m.start && m.end <= $0.1 } ?? true }
                .flatMap { [$0.normalized, $0.text].compactMap { $0 } }
        }

        func join(_ indices: [Int], _ list: [Paragraph]) -> (String, String) {
            let chosen = indices.sorted().filter { list.indices.contains($0) }.map { list[$0] }
            guard let first = chosen.first, let last = chosen.last else { return ("", "") }
            return (chosen.map(\.text).joined(separator: "\n"), "\(paths[first.document] ?? "") bytes \(first.sourceStart)-\(last.sourceEnd)")
        }

        var rows: [IndexedPair] = []
        var covered: [String: Set<Int>] = [:]
        if let alignment = file.alignment, file.paragraphs.keys.contains("en"), file.paragraphs.keys.contains("es") {
            for (index, link) in alignment.enumerated() {
                let (en, enLocation) = join(link.en, english)
                let (es, esLocation) = join(link.es, spanish)
                covered["en", default: []].formUnion(link.en)
                covered["es", default: []].formUnion(link.es)
                var row = IndexedPair(key: "\(file.id)#p\(index)", unit: file.id, kind: "paragraph_pair", score: link.score, flags: link.flags,
                                      english: en, spanish: es, englishLocation: enLocation, spanishLocation: esLocation)
                row.entities = (entityTerms("en", link.en) + entityTerms("es", link.es)).joined(separator: " ")
                rows.append(row)
            }
        }
        // Unlinked paragraphs, so that search finds every text: en and es in their columns,
        // any other language (or `und`, before identification) in `other`.
        for language in file.paragraphs.keys.sorted(by: { UnitView.languageOrder(LanguageCode($0), LanguageCode($1)) }) {
            let list = file.paragraphs[language] ?? []
            for p in list where !(covered[language]?.contains(p.index) ?? false) {
                let (text, location) = join([p.index], list)
                var row = IndexedPair(key: "\(file.id)#\(language)\(p.index)", unit: file.id, kind: "paragraph", score: nil, flags: p.flags ?? [],
                                      english: language == "en" ? text : "", spanish: language == "es" ? text : "",
                                      englishLocation: language == "en" ? location : "", spanishLocation: language == "es" ? location : "")
                row.entities = entityTerms(language, [p.index]).joined(separator: " ")
                if language != "en" && language != "es" {
                    row.other = text
                    row.otherLanguage = language
                    row.otherLocation = location
                }
                rows.append(row)
            }
        }
        if let links = file.sentenceAlignment {
            let enSentences = file.sentences?["en"] ?? []
            let esSentences = file.sentences?["es"] ?? []
            func sentences(_ indices: [Int], _ list: [Sentence], _ paragraphs: [Paragraph]) -> (String, String) {
                let chosen = indices.sorted().filter { list.indices.contains($0) }.map { list[$0] }
                guard let first = chosen.first, let last = chosen.last, paragraphs.indices.contains(first.paragraph) else { return ("", "") }
                let path = paths[paragraphs[first.paragraph].document] ?? ""
                let location = first.sourceStart.flatMap { start in last.sourceEnd.map { "\(path) bytes \(start)-\($0)" } } ?? "\(path) paragraph \(first.paragraph)"
                return (chosen.map(\.text).joined(separator: " "), location)
            }
            for (index, link) in links.enumerated() {
                let (en, enLocation) = sentences(link.en, enSentences, english)
                let (es, esLocation) = sentences(link.es, esSentences, spanish)
                var row = IndexedPair(key: "\(file.id)#s\(index)", unit: file.id, kind: "sentence_pair", score: link.score, flags: link.flags,
                                      english: en, spanish: es, englishLocation: enLocation, spanishLocation: esLocation)
                func terms(_ language: String, _ indices: [Int], _ list: [Sentence]) -> [String] {
                    let chosen = indices.filter { list.indices.contains($0) }.map { list[$0] }
                    return entityTerms(language, Array(Set(chosen.map(\.paragraph))).sorted(), within: chosen.map { ($0.start, $0.end) })
                }
                row.entities = (terms("en", link.en, enSentences) + terms("es", link.es, esSentences)).joined(separator: " ")
                rows.append(row)
            }
        }
        return rows
    }
}
