import BitextCore
import BitextOutput
import Foundation

/// Reads bitext's normalized JSON (`format: bitext-document`) back into index rows, pairing
/// paragraphs and sentences the same way the JSON Lines writer does (same keys).
enum BitextDocumentJSON {
    struct File {
        var format: String
        var id: String
        var documents: [Document]
        var paragraphs: [String: [Paragraph]]
        var sentences: [String: [Sentence]]?
        var alignment: [Link]?
        var sentenceAlignment: [SentenceLink]?
        var entities: [String: [EntityMention]]?
    }
    struct Document { var index: Int; var path: String }
    struct Paragraph {
        var index: Int, document: Int, text: String, flags: [String]?
        var sourceStart: Int, sourceEnd: Int
    }
    struct EntityMention { var paragraph: Int, start: Int, end: Int, text: String, normalized: String? }
    struct Sentence {
        var index: Int, paragraph: Int, text: String, start: Int, end: Int
        var sourceStart: Int?, sourceEnd: Int?
    }
    struct Link { var en: [Int], es: [Int], score: Double, flags: [String] }
    struct SentenceLink { var link: Int, en: [Int], es: [Int], score: Double, flags: [String] }

    /// The index rows of a document whose JSON is in `bytes`.
    static func pairs(from bytes: [UInt8]) throws -> [IndexedPair] {
        var rows: [IndexedPair] = []
        try forEachPair(in: JSONReader(bytes)) { rows.append($0) }
        return rows
    }

    /// Gives the index rows of the document `reader` reads, one at a time: the rows are made
    /// from the members kept, and not gathered.
    static func forEachPair(in reader: consuming JSONReader, _ body: (IndexedPair) throws -> Void) throws {
        let file: File
        do {
            file = try read(&reader)
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
                try body(row)
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
                try body(row)
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
                try body(row)
            }
        }
    }
}

extension BitextDocumentJSON {
    /// A key the file must have and did not.
    struct MissingKey: Error, CustomStringConvertible {
        var key: String
        var place: String
        var description: String { "no '\(key)' in \(place)" }
    }

    /// `value` if the member was read, else the error naming it.
    private static func required<T>(_ value: T?, _ key: String, in place: String) throws -> T {
        guard let value else { throw MissingKey(key: key, place: place) }
        return value
    }

    /// The members the index uses, read in one pass with `JSONReader` (the rest skipped).
    static func read(_ bytes: [UInt8]) throws -> File {
        var reader = JSONReader(bytes)
        return try read(&reader)
    }

    static func read(_ reader: inout JSONReader) throws -> File {
        var format: String?, id: String?, documents: [Document]?, paragraphs: [String: [Paragraph]]?
        var sentences: [String: [Sentence]]?, alignment: [Link]?, sentenceAlignment: [SentenceLink]?, entities: [String: [EntityMention]]?
        try reader.forEachMember { reader, key in
            switch key {
            case "format": format = try reader.string()
            case "id": id = try reader.string()
            case "documents": documents = try list(&reader, document)
            case "paragraphs": paragraphs = try byLanguage(&reader, paragraph)
            case "sentences": sentences = try reader.takeNull() ? nil : try byLanguage(&reader, sentence)
            case "alignment": alignment = try reader.takeNull() ? nil : try list(&reader, link)
            case "sentence_alignment": sentenceAlignment = try reader.takeNull() ? nil : try list(&reader, sentenceLink)
            case "entities": entities = try reader.takeNull() ? nil : try byLanguage(&reader, entity)
            default: try reader.skipValue()
            }
        }
        try reader.expectEnd()
        let place = "the file"
        return File(
            format: try required(format, "format", in: place), id: try required(id, "id", in: place),
            documents: try required(documents, "documents", in: place), paragraphs: try required(paragraphs, "paragraphs", in: place),
            sentences: sentences, alignment: alignment, sentenceAlignment: sentenceAlignment, entities: entities)
    }

    private static func list<T>(_ reader: inout JSONReader, _ element: (inout JSONReader) throws -> T) throws -> [T] {
        var values: [T] = []
        try reader.forEachElement { values.append(try element(&$0)) }
        return values
    }

    private static func byLanguage<T>(_ reader: inout JSONReader, _ element: (inout JSONReader) throws -> T) throws -> [String: [T]] {
        var values: [String: [T]] = [:]
        try reader.forEachMember { reader, language in values[language] = try list(&reader, element) }
        return values
    }

    /// An optional member: nil when null.
    private static func optional<T>(_ reader: inout JSONReader, _ value: (inout JSONReader) throws -> T) throws -> T? {
        try reader.takeNull() ? nil : try value(&reader)
    }

    private static func document(_ reader: inout JSONReader) throws -> Document {
        var index: Int?, path: String?
        try reader.forEachMember { reader, key in
            switch key {
            case "index": index = try reader.int()
            case "path": path = try reader.string()
            default: try reader.skipValue()
            }
        }
        let place = "a document"
        return Document(index: try required(index, "index", in: place), path: try required(path, "path", in: place))
    }

    private static func paragraph(_ reader: inout JSONReader) throws -> Paragraph {
        var index: Int?, document: Int?, text: String?, flags: [String]?, sourceStart: Int?, sourceEnd: Int?
        try reader.forEachMember { reader, key in
            switch key {
            case "index": index = try reader.int()
            case "document": document = try reader.int()
            case "text": text = try reader.string()
            case "flags": flags = try optional(&reader) { try $0.strings() }
            case "source_start": sourceStart = try reader.int()
            case "source_end": sourceEnd = try reader.int()
            default: try reader.skipValue()
            }
        }
        let place = "a paragraph"
        return Paragraph(
            index: try required(index, "index", in: place), document: try required(document, "document", in: place),
            text: try required(text, "text", in: place), flags: flags,
            sourceStart: try required(sourceStart, "source_start", in: place), sourceEnd: try required(sourceEnd, "source_end", in: place))
    }

    private static func sentence(_ reader: inout JSONReader) throws -> Sentence {
        var index: Int?, paragraph: Int?, text: String?, start: Int?, end: Int?, sourceStart: Int?, sourceEnd: Int?
        try reader.forEachMember { reader, key in
            switch key {
            case "index": index = try reader.int()
            case "paragraph": paragraph = try reader.int()
            case "text": text = try reader.string()
            case "start": start = try reader.int()
            case "end": end = try reader.int()
            case "source_start": sourceStart = try optional(&reader) { try $0.int() }
            case "source_end": sourceEnd = try optional(&reader) { try $0.int() }
            default: try reader.skipValue()
            }
        }
        let place = "a sentence"
        return Sentence(
            index: try required(index, "index", in: place), paragraph: try required(paragraph, "paragraph", in: place),
            text: try required(text, "text", in: place), start: try required(start, "start", in: place), end: try required(end, "end", in: place),
            sourceStart: sourceStart, sourceEnd: sourceEnd)
    }

    private static func entity(_ reader: inout JSONReader) throws -> EntityMention {
        var paragraph: Int?, start: Int?, end: Int?, text: String?, normalized: String?
        try reader.forEachMember { reader, key in
            switch key {
            case "paragraph": paragraph = try reader.int()
            case "start": start = try reader.int()
            case "end": end = try reader.int()
            case "text": text = try reader.string()
            case "normalized": normalized = try optional(&reader) { try $0.string() }
            default: try reader.skipValue()
            }
        }
        let place = "an entity"
        return EntityMention(
            paragraph: try required(paragraph, "paragraph", in: place), start: try required(start, "start", in: place),
            end: try required(end, "end", in: place), text: try required(text, "text", in: place), normalized: normalized)
    }

    private static func link(_ reader: inout JSONReader) throws -> Link {
        try anyLink(&reader, place: "a link").link
    }

    private static func sentenceLink(_ reader: inout JSONReader) throws -> SentenceLink {
        let (paragraphLink, link) = try anyLink(&reader, place: "a sentence link")
        return SentenceLink(link: try required(paragraphLink, "link", in: "a sentence link"), en: link.en, es: link.es, score: link.score, flags: link.flags)
    }

    /// A paragraph link, or a sentence link's members and the paragraph link it names.
    private static func anyLink(_ reader: inout JSONReader, place: String) throws -> (paragraphLink: Int?, link: Link) {
        var paragraphLink: Int?, en: [Int]?, es: [Int]?, score: Double?, flags: [String]?
        try reader.forEachMember { reader, key in
            switch key {
            case "link": paragraphLink = try reader.int()
            case "en": en = try reader.ints()
            case "es": es = try reader.ints()
            case "score": score = try reader.double()
            case "flags": flags = try reader.strings()
            default: try reader.skipValue()
            }
        }
        return (paragraphLink, Link(
            en: try required(en, "en", in: place), es: try required(es, "es", in: place),
            score: try required(score, "score", in: place), flags: try required(flags, "flags", in: place)))
    }
}
