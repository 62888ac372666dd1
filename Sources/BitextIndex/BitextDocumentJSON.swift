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
        enum CodingKeys: String, CodingKey {
            case format, id, documents, paragraphs, sentences, alignment
            case sentenceAlignment = "sentence_alignment"
        }
    }
    struct Document: Decodable { var index: Int; var path: String }
    struct Paragraph: Decodable {
        var index: Int, document: Int, text: String, flags: [String]?
        var sourceStart: Int, sourceEnd: Int
        enum CodingKeys: String, CodingKey { case index, document, text, flags, sourceStart = "source_start", sourceEnd = "source_end" }
    }
    struct Sentence: Decodable {
        var index: Int, paragraph: Int, text: String
        var sourceStart: Int?, sourceEnd: Int?
        enum CodingKeys: String, CodingKey { case index, paragraph, text, sourceStart = "source_start", sourceEnd = "source_end" }
    }
    struct Link: Decodable { var en: [Int], es: [Int], score: Double, flags: [String] }
    struct SentenceLink: Decodable { var link: Int, en: [Int], es: [Int], score: Double, flags: [String] }

    static func pairs(from bytes: [UInt8]) throws -> [IndexedPair] {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(bytes))
        } catch {
            throw IndexError("not a bitext-document JSON file: \(error)")
        }
        guard file.format == "bitext-document" else { throw IndexError("not a bitext-document JSON file (format '\(file.format)')") }
        let paths = Dictionary(file.documents.map { ($0.index, $0.path) }, uniquingKeysWith: { a, _ in a })
        let english = file.paragraphs["en"] ?? []
        let spanish = file.paragraphs["es"] ?? []

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
                rows.append(IndexedPair(key: "\(file.id)#p\(index)", unit: file.id, kind: "paragraph_pair", score: link.score, flags: link.flags,
                                        english: en, spanish: es, englishLocation: enLocation, spanishLocation: esLocation))
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
                rows.append(IndexedPair(key: "\(file.id)#s\(index)", unit: file.id, kind: "sentence_pair", score: link.score, flags: link.flags,
                                        english: en, spanish: es, englishLocation: enLocation, spanishLocation: esLocation))
            }
        }
        return rows
    }
}
