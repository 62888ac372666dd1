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
    /// Paragraph and sentence texts are not held: they are read back from the file, by their
    /// spans, when their rows are made (held, they were most of the index's memory).
    struct Paragraph {
        var index: Int, document: Int, text: JSONReader.StringSpan, flags: [String]?
        var sourceStart: Int, sourceEnd: Int
    }
    struct EntityMention { var paragraph: Int, start: Int, end: Int, text: String, normalized: String? }
    struct Sentence {
        var paragraph: Int, text: JSONReader.StringSpan, start: Int, end: Int
        /// -1 when the file has none (null; offsets are never negative): not optionals, 16
        /// bytes less a sentence.
        var sourceStart: Int, sourceEnd: Int
    }
    struct Link { var en: [Int], es: [Int], score: Double, flags: [String] }
    struct SentenceLink { var link: Int, en: [Int], es: [Int], score: Double, flags: [String] }

    /// The index rows of a document whose JSON is in `bytes`.
    static func pairs(from bytes: [UInt8]) throws -> [IndexedPair] {
        var rows: [IndexedPair] = []
        try forEachPair(in: OutputPieces(bytes: bytes)) { rows.append($0) }
        return rows
    }

    /// Gives the index rows of the document `pieces` holds, one at a time: the rows are made
    /// from the members kept, and not gathered.
    static func forEachPair(in pieces: OutputPieces, pieceSize: Int = 1 << 20, _ body: (IndexedPair) throws -> Void) throws {
        let file: File
        let texts = SpanTexts(pieces)
        do {
            var reader = JSONReader(pieces: pieces, pieceSize: pieceSize)
            file = try read(&reader)
        } catch {
            throw IndexError("not a bitext-document JSON file: \(error)")
        }
        func text(_ span: JSONReader.StringSpan) throws -> String {
            do {
                return try texts.text(span)
            } catch {
                throw IndexError("not a bitext-document JSON file: \(error)")
            }
        }
        guard file.format == "bitext-document" else { throw IndexError("not a bitext-document JSON file (format '\(file.format)')") }
        let paths = Dictionary(file.documents.map { ($0.index, $0.path) }, uniquingKeysWith: { a, _ in a })
        let english = file.paragraphs["en"] ?? []
        let spanish = file.paragraphs["es"] ?? []
        // Entity values (normalized, and as written) per language and paragraph, so that a search
        // for `2023-10-02` finds "2 October 2023" and "2 de octubre de 2023".
        // Grouped by paragraph with a counting sort (a dictionary of arrays copied every mention).
        var mentions: [String: (list: [EntityMention], groups: UnitView.ParagraphGroups)] = [:]
        for (language, list) in file.entities ?? [:] { mentions[language] = (list, UnitView.ParagraphGroups(paragraphs: list.lazy.map(\.paragraph))) }
        func entityTerms(_ language: String, _ paragraphs: [Int], within ranges: [(Int, Int)]? = nil) -> [String] {
            guard let (list, groups) = mentions[language] else { return [] }
            return paragraphs.flatMap { groups.positions(of: $0).map { list[$0] } }
                .filter { m in ranges?.contains { $0.0 <= m.start && m.end <= $0.1 } ?? true }
                .flatMap { [$0.normalized, $0.text].compactMap { $0 } }
        }

        func join(_ indices: [Int], _ list: [Paragraph]) throws -> (String, String) {
            let chosen = indices.sorted().filter { list.indices.contains($0) }.map { list[$0] }
            guard let first = chosen.first, let last = chosen.last else { return ("", "") }
            return (try chosen.map { try text($0.text) }.joined(separator: "\n"), "\(paths[first.document] ?? "") bytes \(first.sourceStart)-\(last.sourceEnd)")
        }

        // Linked paragraphs, a flag per paragraph (sets of indices took some 40 bytes each).
        var covered: [String: [Bool]] = [:]
        func cover(_ language: String, _ indices: [Int], count: Int) {
            for index in indices where index >= 0 && index < count {
                covered[language, default: Array(repeating: false, count: count)][index] = true
            }
        }
        if let alignment = file.alignment, file.paragraphs.keys.contains("en"), file.paragraphs.keys.contains("es") {
            for (index, link) in alignment.enumerated() {
                let (en, enLocation) = try join(link.en, english)
                let (es, esLocation) = try join(link.es, spanish)
                cover("en", link.en, count: english.count)
                cover("es", link.es, count: spanish.count)
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
            for p in list where !(covered[language].map { p.index >= 0 && p.index < $0.count && $0[p.index] } ?? false) {
                let (text, location) = try join([p.index], list)
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
            func sentences(_ indices: [Int], _ list: [Sentence], _ paragraphs: [Paragraph]) throws -> (String, String) {
                let chosen = indices.sorted().filter { list.indices.contains($0) }.map { list[$0] }
                guard let first = chosen.first, let last = chosen.last, paragraphs.indices.contains(first.paragraph) else { return ("", "") }
                let path = paths[paragraphs[first.paragraph].document] ?? ""
                let location = first.sourceStart >= 0 && last.sourceEnd >= 0 ? "\(path) bytes \(first.sourceStart)-\(last.sourceEnd)" : "\(path) paragraph \(first.paragraph)"
                return (try chosen.map { try text($0.text) }.joined(separator: " "), location)
            }
            for (index, link) in links.enumerated() {
                let (en, enLocation) = try sentences(link.en, enSentences, english)
                let (es, esLocation) = try sentences(link.es, esSentences, spanish)
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

    /// Reads strings back from a document's JSON by their spans, through a few windows of
    /// the file: rows read the lists they join in order (English and Spanish paragraphs and
    /// sentences each move forward), so a window per list serves them.
    final class SpanTexts {
        private let pieces: OutputPieces
        /// Most recently used last.
        private var windows: [(start: Int, bytes: [UInt8])] = []
        private let windowSize = 1 << 20
        private let windowCount = 4

        init(_ pieces: OutputPieces) { self.pieces = pieces }

        func text(_ span: JSONReader.StringSpan) throws -> String {
            let end = span.offset + span.count
            if let w = windows.lastIndex(where: { $0.start <= span.offset && end <= $0.start + $0.bytes.count }) {
                let window = windows[w]
                if w != windows.count - 1 { windows.append(windows.remove(at: w)) }
                return try JSONReader.decodeString(Array(window.bytes[(span.offset - window.start)..<(end - window.start)]))
            }
            guard span.count <= windowSize else { return try JSONReader.decodeString(try pieces.bytes(at: span.offset, count: span.count)) }
            let bytes = try pieces.bytes(at: span.offset, count: windowSize)
            guard bytes.count >= span.count else { throw JSONReader.Failure(message: "the file ends inside a string", offset: span.offset) }
            if windows.count == windowCount { windows.removeFirst() }
            windows.append((span.offset, bytes))
            return try JSONReader.decodeString(Array(bytes[0..<span.count]))
        }
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
        var index: Int?, document: Int?, text: JSONReader.StringSpan?, flags: [String]?, sourceStart: Int?, sourceEnd: Int?
        try reader.forEachMember { reader, key in
            switch key {
            case "index": index = try reader.int()
            case "document": document = try reader.int()
            case "text": text = try reader.stringSpan()
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
        var index: Int?, paragraph: Int?, text: JSONReader.StringSpan?, start: Int?, end: Int?, sourceStart: Int?, sourceEnd: Int?
        try reader.forEachMember { reader, key in
            switch key {
            case "index": index = try reader.int()
            case "paragraph": paragraph = try reader.int()
            case "text": text = try reader.stringSpan()
            case "start": start = try reader.int()
            case "end": end = try reader.int()
            case "source_start": sourceStart = try optional(&reader) { try $0.int() }
            case "source_end": sourceEnd = try optional(&reader) { try $0.int() }
            default: try reader.skipValue()
            }
        }
        let place = "a sentence"
        _ = try required(index, "index", in: place)
        return Sentence(
            paragraph: try required(paragraph, "paragraph", in: place),
            text: try required(text, "text", in: place), start: try required(start, "start", in: place), end: try required(end, "end", in: place),
            sourceStart: sourceStart ?? -1, sourceEnd: sourceEnd ?? -1)
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
