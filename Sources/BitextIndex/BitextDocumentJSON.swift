import BitextCore
import BitextOutput
import Foundation

/// Reads bitext's normalized JSON (`format: bitext-document`) back into index rows, pairing
/// paragraphs and sentences the same way the JSON Lines writer does (same keys).
///
/// The file is read twice. The first pass checks every member the rows use and keeps where
/// each paragraph, sentence, link and entity mention lies, with the few numbers that say which
/// rows read it; the rows then read each value again where it lies, through a few windows of
/// the file. Held whole, these values took 162 MB of heap for a unit of 23 MB of text
/// (350,000 paragraphs, 400,000 sentences and as many mentions); their places and the
/// windows take 44 MB.
enum BitextDocumentJSON {
    struct File {
        var format: String
        var id: String
        var documents: [Document]
        var paragraphs: [String: [ParagraphPlace]]
        /// Where each sentence lies, per language.
        var sentences: [String: [Int]]?
        /// Where each paragraph link lies.
        var alignment: [Int]?
        /// Where each sentence link lies.
        var sentenceAlignment: [Int]?
        var entities: [String: [MentionPlace]]?
    }
    struct Document { var index: Int; var path: String }
    struct ParagraphPlace { var offset: Int, document: Int }
    /// Where a mention lies, with what says which rows it belongs to: its paragraph, and its
    /// offsets (a sentence row takes the mentions inside its sentences).
    struct MentionPlace { var offset: Int, paragraph: Int, start: Int, end: Int }

    struct Paragraph {
        var index: Int, document: Int, text: String, flags: [String]?
        var sourceStart: Int, sourceEnd: Int
    }
    struct EntityMention { var paragraph: Int, start: Int, end: Int, text: String, normalized: String? }
    struct Sentence {
        var paragraph: Int, text: String, start: Int, end: Int
        /// -1 when the file has none (null; offsets are never negative).
        var sourceStart: Int, sourceEnd: Int
    }
    struct Link { var en: [Int], es: [Int], score: Double, flags: [String] }
    struct SentenceLink { var link: Int, en: [Int], es: [Int], score: Double, flags: [String] }
    /// A row's entity terms, separated by spaces as they are added (as `joined(separator: " ")`
    /// would join them, without a list of them first).
    struct Terms {
        private(set) var text = ""
        private var count = 0
        mutating func append(_ term: String) {
            if count > 0 { text += " " }
            text += term
            count += 1
        }
    }

    /// The index rows of a document whose JSON is in `bytes`.
    static func pairs(from bytes: [UInt8]) throws -> [IndexedPair] {
        var rows: [IndexedPair] = []
        try forEachPair(in: OutputPieces(bytes: bytes)) { rows.append($0) }
        return rows
    }

    /// Gives the index rows of the document `pieces` holds, one at a time, reading the file
    /// `pieceSize` bytes at a time.
    static func forEachPair(in pieces: OutputPieces, pieceSize: Int = 1 << 20, _ body: (IndexedPair) throws -> Void) throws {
        let file: File
        do {
            var reader = JSONReader(pieces: pieces, pieceSize: pieceSize)
            file = try read(&reader)
        } catch {
            throw IndexError("not a bitext-document JSON file: \(error)")
        }
        guard file.format == "bitext-document" else { throw IndexError("not a bitext-document JSON file (format '\(file.format)')") }
        let windows = JSONReader.Windows(pieces, windowSize: pieceSize)
        /// The value at `offset`, read again.
        func value<T>(at offset: Int, _ read: (inout JSONReader) throws -> T) throws -> T {
            do {
                var reader = try windows.reader(at: offset)
                return try read(&reader)
            } catch {
                throw IndexError("not a bitext-document JSON file: \(error)")
            }
        }
        let paths = Dictionary(file.documents.map { ($0.index, $0.path) }, uniquingKeysWith: { a, _ in a })
        let english = file.paragraphs["en"] ?? []
        let spanish = file.paragraphs["es"] ?? []
        // Entity values (normalized, and as written) per language and paragraph, so that a search
        // for `2023-10-02` finds "2 October 2023" and "2 de octubre de 2023".
        // Grouped by paragraph with a counting sort (a dictionary of arrays copied every mention).
        var mentions: [String: (list: [MentionPlace], groups: UnitView.ParagraphGroups)] = [:]
        // (The paragraphs as an array: the lazy map through a key path reached the grouping
        // unspecialized, some 2,500 instructions a mention.)
        for (language, list) in file.entities ?? [:] { mentions[language] = (list, UnitView.ParagraphGroups(paragraphs: list.map { $0.paragraph })) }
        func appendEntityTerms(_ language: String, _ paragraphs: some Sequence<Int>, within ranges: [(Int, Int)]? = nil, to terms: inout Terms) throws {
            guard let (list, groups) = mentions[language] else { return }
            for paragraph in paragraphs {
                for position in groups.positions(of: paragraph) {
                    let place = list[position]
                    if let ranges, !ranges.contains(where: { $0.0 <= place.start && place.end <= $0.1 }) { continue }
                    let mention = try value(at: place.offset, entity)
                    if let normalized = mention.normalized { terms.append(normalized) }
                    terms.append(mention.text)
                }
            }
        }

        func location(_ document: Int, _ start: Int, _ end: Int) -> String {
            "\(paths[document] ?? "") bytes \(start)-\(end)"
        }

        func join(_ indices: [Int], _ list: [ParagraphPlace]) throws -> (String, String) {
            let chosen = try inOrder(indices, within: list.count) { try value(at: list[$0].offset, paragraph) }
            guard let first = chosen.first, let last = chosen.last else { return ("", "") }
            return (chosen.count == 1 ? first.text : chosen.map(\.text).joined(separator: "\n"), location(first.document, first.sourceStart, last.sourceEnd))
        }

        // Linked paragraphs, a flag per paragraph (sets of indices took some 40 bytes each).
        var covered: [String: [Bool]] = [:]
        func cover(_ language: String, _ indices: [Int], count: Int) {
            for index in indices where index >= 0 && index < count {
                covered[language, default: Array(repeating: false, count: count)][index] = true
            }
        }
        if let alignment = file.alignment, file.paragraphs.keys.contains("en"), file.paragraphs.keys.contains("es") {
            for (index, offset) in alignment.enumerated() {
                let link = try value(at: offset, self.link)
                let (en, enLocation) = try join(link.en, english)
                let (es, esLocation) = try join(link.es, spanish)
                cover("en", link.en, count: english.count)
                cover("es", link.es, count: spanish.count)
                var row = IndexedPair(key: "\(file.id)#p\(index)", unit: file.id, kind: "paragraph_pair", score: link.score, flags: link.flags,
                                      english: en, spanish: es, englishLocation: enLocation, spanishLocation: esLocation)
                var terms = Terms()
                try appendEntityTerms("en", link.en, to: &terms)
                try appendEntityTerms("es", link.es, to: &terms)
                row.entities = terms.text
                try body(row)
            }
        }
        // Unlinked paragraphs, so that search finds every text: en and es in their columns,
        // any other language (or `und`, before identification) in `other`. A paragraph's
        // place in its list is its index (the writer writes them so, and links count by place).
        for language in file.paragraphs.keys.sorted(by: { UnitView.languageOrder(LanguageCode($0), LanguageCode($1)) }) {
            let list = file.paragraphs[language] ?? []
            for position in list.indices where !(covered[language]?[position] ?? false) {
                let p = try value(at: list[position].offset, paragraph)
                let location = location(p.document, p.sourceStart, p.sourceEnd)
                var row = IndexedPair(key: "\(file.id)#\(language)\(p.index)", unit: file.id, kind: "paragraph", score: nil, flags: p.flags ?? [],
                                      english: language == "en" ? p.text : "", spanish: language == "es" ? p.text : "",
                                      englishLocation: language == "en" ? location : "", spanishLocation: language == "es" ? location : "")
                var terms = Terms()
                try appendEntityTerms(language, CollectionOfOne(p.index), to: &terms)
                row.entities = terms.text
                if language != "en" && language != "es" {
                    row.other = p.text
                    row.otherLanguage = language
                    row.otherLocation = location
                }
                try body(row)
            }
        }
        if let links = file.sentenceAlignment {
            let enSentences = file.sentences?["en"] ?? []
            let esSentences = file.sentences?["es"] ?? []
            /// A side's sentences in order, their text and location; the entity terms of the
            /// mentions inside them appended to `terms`.
            func side(_ language: String, _ indices: [Int], _ list: [Int], _ paragraphs: [ParagraphPlace], terms: inout Terms) throws -> (text: String, location: String) {
                let chosen = try inOrder(indices, within: list.count) { try value(at: list[$0], sentence) }
                // The sentences' paragraphs, ascending and each once.
                var inParagraphs: [Int] = []
                for paragraph in chosen.map(\.paragraph).sorted() where inParagraphs.last != paragraph { inParagraphs.append(paragraph) }
                try appendEntityTerms(language, inParagraphs, within: chosen.map { ($0.start, $0.end) }, to: &terms)
                guard let first = chosen.first, let last = chosen.last, paragraphs.indices.contains(first.paragraph) else { return ("", "") }
                let document = paragraphs[first.paragraph].document
                let location = first.sourceStart >= 0 && last.sourceEnd >= 0
                    ? location(document, first.sourceStart, last.sourceEnd) : "\(paths[document] ?? "") paragraph \(first.paragraph)"
                return (chosen.count == 1 ? first.text : chosen.map(\.text).joined(separator: " "), location)
            }
            for (index, offset) in links.enumerated() {
                let link = try value(at: offset, sentenceLink)
                var terms = Terms()
                let en = try side("en", link.en, enSentences, english, terms: &terms)
                let es = try side("es", link.es, esSentences, spanish, terms: &terms)
                var row = IndexedPair(key: "\(file.id)#s\(index)", unit: file.id, kind: "sentence_pair", score: link.score, flags: link.flags,
                                      english: en.text, spanish: es.text, englishLocation: en.location, spanishLocation: es.location)
                row.entities = terms.text
                try body(row)
            }
        }
    }
}

extension BitextDocumentJSON {
    /// What `read` gives for each of `indices` that lies in `0..<count`, in index order. A
    /// link's single index (most links) is read straight away, without sorted and filtered copies.
    static func inOrder<T>(_ indices: [Int], within count: Int, _ read: (Int) throws -> T) rethrows -> [T] {
        if indices.count == 1 { return (0..<count).contains(indices[0]) ? [try read(indices[0])] : [] }
        return try indices.filter { (0..<count).contains($0) }.sorted().map(read)
    }

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

    /// The first pass over a file (whole in `bytes`).
    static func read(_ bytes: [UInt8]) throws -> File {
        var reader = JSONReader(bytes)
        return try read(&reader)
    }

    /// The first pass: the members the index uses, checked, with the places of the values
    /// the rows read again (the rest skipped).
    static func read(_ reader: inout JSONReader) throws -> File {
        var format: String?, id: String?, documents: [Document]?, paragraphs: [String: [ParagraphPlace]]?
        var sentences: [String: [Int]]?, alignment: [Int]?, sentenceAlignment: [Int]?, entities: [String: [MentionPlace]]?
        try reader.forEachMember { reader, key in
            switch key {
            case "format": format = try reader.string()
            case "id": id = try reader.string()
            case "documents": documents = try places(&reader) { reader, _ in try document(&reader) }
            case "paragraphs":
                paragraphs = try byLanguage(&reader) { reader, offset in
                    ParagraphPlace(offset: offset, document: try paragraph(&reader, texts: false).document)
                }
            case "sentences":
                sentences = try reader.takeNull() ? nil : try byLanguage(&reader) { reader, offset in
                    _ = try sentence(&reader, texts: false)
                    return offset
                }
            case "alignment":
                alignment = try reader.takeNull() ? nil : try places(&reader) { reader, offset in
                    _ = try link(&reader)
                    return offset
                }
            case "sentence_alignment":
                sentenceAlignment = try reader.takeNull() ? nil : try places(&reader) { reader, offset in
                    _ = try sentenceLink(&reader)
                    return offset
                }
            case "entities":
                entities = try reader.takeNull() ? nil : try byLanguage(&reader) { reader, offset in
                    let mention = try entity(&reader, texts: false)
                    return MentionPlace(offset: offset, paragraph: mention.paragraph, start: mention.start, end: mention.end)
                }
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

    /// An array's elements, each as `element` reads it, given where it starts.
    private static func places<T>(_ reader: inout JSONReader, _ element: (inout JSONReader, Int) throws -> T) throws -> [T] {
        var values: [T] = []
        try reader.forEachElement { reader in
            let offset = try reader.valueOffset()
            values.append(try element(&reader, offset))
        }
        return values
    }

    /// An object of arrays by language (`{"en": [...], "es": [...]}`).
    private static func byLanguage<T>(_ reader: inout JSONReader, _ element: (inout JSONReader, Int) throws -> T) throws -> [String: [T]] {
        var values: [String: [T]] = [:]
        try reader.forEachMember { reader, language in values[language.string] = try places(&reader, element) }
        return values
    }

    /// An optional member: nil when null.
    private static func optional<T>(_ reader: inout JSONReader, _ value: (inout JSONReader) throws -> T) throws -> T? {
        try reader.takeNull() ? nil : try value(&reader)
    }

    /// A string member, or "" when `read` is false (the string checked and passed over).
    private static func text(_ reader: inout JSONReader, read: Bool) throws -> String {
        guard read else {
            try reader.skipString()
            return ""
        }
        return try reader.string()
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

    /// A paragraph; its text "" unless `texts`.
    private static func paragraph(_ reader: inout JSONReader, texts: Bool) throws -> Paragraph {
        var index: Int?, document: Int?, text: String?, flags: [String]?, sourceStart: Int?, sourceEnd: Int?
        try reader.forEachMember { reader, key in
            switch key {
            case "index": index = try reader.int()
            case "document": document = try reader.int()
            case "text": text = try Self.text(&reader, read: texts)
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

    private static func paragraph(_ reader: inout JSONReader) throws -> Paragraph { try paragraph(&reader, texts: true) }

    /// A sentence; its text "" unless `texts`.
    private static func sentence(_ reader: inout JSONReader, texts: Bool) throws -> Sentence {
        var index: Int?, paragraph: Int?, text: String?, start: Int?, end: Int?, sourceStart: Int?, sourceEnd: Int?
        try reader.forEachMember { reader, key in
            switch key {
            case "index": index = try reader.int()
            case "paragraph": paragraph = try reader.int()
            case "text": text = try Self.text(&reader, read: texts)
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

    private static func sentence(_ reader: inout JSONReader) throws -> Sentence { try sentence(&reader, texts: true) }

    /// An entity mention; its text and normalized value "" unless `texts`.
    private static func entity(_ reader: inout JSONReader, texts: Bool) throws -> EntityMention {
        var paragraph: Int?, start: Int?, end: Int?, text: String?, normalized: String?
        try reader.forEachMember { reader, key in
            switch key {
            case "paragraph": paragraph = try reader.int()
            case "start": start = try reader.int()
            case "end": end = try reader.int()
            case "text": text = try Self.text(&reader, read: texts)
            case "normalized": normalized = try optional(&reader) { try Self.text(&$0, read: texts) }
            default: try reader.skipValue()
            }
        }
        let place = "an entity"
        return EntityMention(
            paragraph: try required(paragraph, "paragraph", in: place), start: try required(start, "start", in: place),
            end: try required(end, "end", in: place), text: try required(text, "text", in: place), normalized: normalized)
    }

    private static func entity(_ reader: inout JSONReader) throws -> EntityMention { try entity(&reader, texts: true) }

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
