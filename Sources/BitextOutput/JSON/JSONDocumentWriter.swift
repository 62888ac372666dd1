import BitextCore

/// Writes `bitext`'s normalized JSON: one file per unit, documented in the README and
/// described by `schemas/bitext-document.schema.json`.
public struct JSONDocumentWriter: StreamingOutputWriter {
    public static let name: StageID = "json"
    public static let summary = "Normalized JSON: paragraphs per language with offsets, alignment, sentences, entities."
    public static let fileExtension = "json"

    public struct Options: StageOptions {
        /// Include each document's full text (for exact round trips); off by default.
        public var includeText: Bool
        public var pretty: Bool
        public static let fields = [
            OptionField("include_text", "boolean", default: "false", "Also write each document's whole decoded text."),
            OptionField("pretty", "boolean", default: "true", "Indent the JSON for reading; false writes it compactly."),
        ]
        enum CodingKeys: String, CodingKey { case includeText = "include_text", pretty }
        public init(includeText: Bool = false, pretty: Bool = true) {
            self.includeText = includeText
            self.pretty = pretty
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            includeText = try c.value(.includeText, or: false)
            pretty = try c.value(.pretty, or: true)
        }
    }

    public let options: Options
    /// Writers' memory left by earlier units (`stream`), one per unit in flight.
    private let idleMemory = IdleValues<JSONWriterMemory>()
    public init(options: Options) throws { self.options = options }

    public func write(_ unit: WorkUnit, baseName: String) throws -> [OutputFile] {
        [OutputFile(relativePath: baseName + ".json", contents: render(unit))]
    }

    public func render(_ unit: WorkUnit) -> [UInt8] {
        var json = JSONWriter(pretty: options.pretty, capacity: 1024 + unit.documents.reduce(0) { $0 + $1.text.utf8.count } * 2)
        render(unit, into: &json, flush: { _ in })
        // Room for the line feed that ends a `bitext stream` record.
        return json.bytes(reservingCapacity: 1)
    }

    /// The same bytes as `write`, handed to the sink in pieces of about `Self.flushSize`.
    public func stream(_ unit: WorkUnit, baseName: String, to sink: inout some OutputSink) throws {
        try sink.open(relativePath: baseName + ".json")
        var json =
            idleMemory.take().map { JSONWriter(pretty: options.pretty, memory: $0) }
            ?? JSONWriter(pretty: options.pretty, capacity: Self.streamCapacity)
        try render(unit, into: &json) { json in
            if json.count >= Self.flushSize { try json.drainWholeBlocks(of: Self.flushBlock) { try sink.append($0) } }
        }
        try json.drain { try sink.append($0) }
        // `consume`: a copy of the writer left alive would share the buffer (not given back).
        if let memory = (consume json).memory(maxKeptCapacity: 2 * Self.streamCapacity) { idleMemory.giveBack(memory) }
    }

    /// Bytes gathered before the streaming writer hands them on: few system calls, and for a
    /// large file whole pages the runner writes with `O_DIRECT` from this memory (a writer's
    /// buffer is kept from unit to unit, so small documents do not pay for its size).
    static let flushSize = 1 << 21
    /// Pieces handed on between records are whole pages: the runner writes a large file's
    /// pages with `O_DIRECT` straight from the writer's memory (`AtomicFile.Stream`).
    static let flushBlock = 4096
    /// The streaming writer's buffer: a flush's worth and room for the record that crosses it.
    static let streamCapacity = flushSize + (1 << 16)

    /// Writes the unit; `flush` is called between records (paragraphs, sentences, entities)
    /// so that a streaming caller can pass the bytes on.
    private func render(_ unit: WorkUnit, into json: inout JSONWriter, flush: (inout JSONWriter) throws -> Void) rethrows {
        // Documents read in place: `unit.documents[i]` copied a document (some twenty
        // references retained and released), several times per unit.
        try unit.documents.withUnsafeBufferPointer { documents in
            try render(unit, documents: documents.baseAddress!, into: &json, flush: flush)
        }
    }

    private func render(
        _ unit: WorkUnit, documents: UnsafePointer<Document>, into json: inout JSONWriter, flush: (inout JSONWriter) throws -> Void
    ) rethrows {
        // Paragraphs, sentences and entities are read in place from the sides' documents,
        // with each block's paragraph index (`UnitView` made a record of each, copying every
        // entity's strings: a fifth of composing a small pair's file).
        let sides = unit.views
        let languages = sides.keys.sorted(by: UnitView.languageOrder)
        let paragraphOfBlock = languages.map { UnitView.paragraphIndex(of: sides[$0]!, blockCount: documents[sides[$0]!.document].blocks.count) }
        json.beginObject()
        json.value("format", "bitext-document")
        json.value("format_version", 1)
        json.value("generator", "bitext \(BitextVersion.current)")
        json.value("id", unit.id)
        json.value("offset_unit", "utf8")
        json.array("source", unit.inputs.map(\.path))
        json.value("paired", unit.isPaired)
        try writeDocuments(UnsafeBufferPointer(start: documents, count: unit.documents.count), &json, flush: flush)
        json.beginObject("paragraphs")
        for (position, language) in languages.enumerated() {
            json.beginArray(language.rawValue)
            let side = sides[language]!
            let document = documents + side.document
            // Marks ordered by paragraph (in the document's order within one), read with a
            // cursor as the paragraphs go: no lookup per paragraph.
            let marks = UnitView.marks(of: document.pointee, paragraphOfBlock: paragraphOfBlock[position]).enumerated()
                .sorted { ($0.element.paragraph, $0.offset) < ($1.element.paragraph, $1.offset) }.map(\.element)
            var nextMark = 0
            // What each paragraph reads of the document, taken out once: its text's bytes and
            // offset map (passing the document itself would copy it per paragraph).
            let source = ParagraphSource(offsets: document.pointee.sourceOffsets, documentIndex: side.document, document: document)
            var text = document.pointee.text
            text.makeContiguousUTF8()
            // Marks through a pointer: a slice of the array per paragraph would retain it.
            // The source too: captured by value, its offset map and fallback closure were
            // retained and released per paragraph.
            try text.utf8.withContiguousStorageIfAvailable { utf8 in
                try document.pointee.blocks.withUnsafeBufferPointer { blocks in
                    try marks.withUnsafeBufferPointer { marks in try withUnsafePointer(to: source) { source in
                        for (index, block) in side.blocks.enumerated() {
                            while nextMark < marks.count && marks[nextMark].paragraph < index { nextMark += 1 }
                            let firstMark = nextMark
                            while nextMark < marks.count && marks[nextMark].paragraph == index { nextMark += 1 }
                            writeParagraph(
                                index: index, block: block, info: blocks.baseAddress! + block, marks: UnsafeBufferPointer(rebasing: marks[firstMark..<nextMark]),
                                text: utf8, source, &json)
                            try flush(&json)
                        }
                    } }
                }
            }!
            json.endArray()
        }
        json.endObject()
        // A side's sentences and entities are those of its document in its paragraphs.
        // (Asked of the records in place: mapping them to their blocks made an array each.)
        func onSide(_ inParagraph: (UnsafePointer<Document>, UnitView.ParagraphIndex) -> Bool) -> Bool {
            languages.indices.contains { position in inParagraph(documents + sides[languages[position]]!.document, paragraphOfBlock[position]) }
        }
        if onSide({ document, paragraphOfBlock in document.pointee.sentences.contains { paragraphOfBlock[$0.block] != nil } }) {
            json.beginObject("sentences")
            for (position, language) in languages.enumerated() {
                json.beginArray(language.rawValue)
                // Each sentence's text is escaped from the document's bytes in place, as the
                // paragraphs' are (no String made per sentence).
                let document = documents + sides[language]!.document
                let paragraphOfBlock = paragraphOfBlock[position]
                let offsets = document.pointee.sourceOffsets
                var text = document.pointee.text
                text.makeContiguousUTF8()
                var index = 0
                // Records read in place: a copy of each would retain its fields.
                try text.utf8.withContiguousStorageIfAvailable { utf8 in try document.pointee.blocks.withUnsafeBufferPointer { blocks in
                    try document.pointee.sentences.withUnsafeBufferPointer { sentences in
                    for s in sentences.indices.lazy.map({ sentences.baseAddress! + $0 }) {
                        guard let paragraph = paragraphOfBlock[s.pointee.block] else { continue }
                        let sentenceIndex = index
                        index += 1
                        // The record's closure captures only values and pointers: a captured
                        // offset map or closure was retained and released per sentence.
                        let sourceStart = offsets.sourceOffset(of: s.pointee.range.start)
                        let sourceEnd = offsets.sourceOffset(of: s.pointee.range.end)
                        json.object(fields: { fields in
                            fields.value("index", sentenceIndex)
                            fields.value("paragraph", paragraph)
                            fields.value("start", s.pointee.range.start)
                            fields.value("end", s.pointee.range.end)
                            fields.value("source_start", sourceStart)
                            fields.value("source_end", sourceEnd)
                            Self.writeText(of: s.pointee.range, in: blocks.baseAddress! + s.pointee.block, utf8: utf8, &fields) {
                                BlockContent.text(of: $0, in: document.pointee)
                            }
                        })
                        try flush(&json)
                    }
                    }
                } }!
                json.endArray()
            }
            json.endObject()
        }
        // Links composed as the paragraphs are (`object(fields:)`), read in place: a copy of
        // each would retain its arrays.
        if let alignment = unit.alignment {
            json.beginArray("alignment")
            try alignment.withUnsafeBufferPointer { links in
                for link in links.indices.lazy.map({ links.baseAddress! + $0 }) {
                    func common(_ fields: inout JSONFields) {
                        fields.array("en", link.pointee.english)
                        fields.array("es", link.pointee.spanish)
                        fields.value("score", link.pointee.score)
                        fields.array("flags", link.pointee.flags)
                    }
                    if let explanation = link.pointee.explanation {
                        json.beginObject()
                        json.fields(common)
                        json.object("explanation", explanation)
                        json.endObject()
                    } else {
                        json.object(fields: common)
                    }
                    try flush(&json)
                }
            }
            json.endArray()
        }
        if let sentenceAlignment = unit.sentenceAlignment {
            json.beginArray("sentence_alignment")
            try sentenceAlignment.withUnsafeBufferPointer { links in
                for link in links.indices.lazy.map({ links.baseAddress! + $0 }) {
                    json.object(fields: { fields in
                        fields.value("link", link.pointee.paragraphLink)
                        fields.array("en", link.pointee.english)
                        fields.array("es", link.pointee.spanish)
                        fields.value("score", link.pointee.score)
                        fields.array("flags", link.pointee.flags)
                    })
                    try flush(&json)
                }
            }
            json.endArray()
        }
        if onSide({ document, paragraphOfBlock in document.pointee.entities.contains { paragraphOfBlock[$0.block] != nil } }) {
            json.beginObject("entities")
            for (position, language) in languages.enumerated() {
                json.beginArray(language.rawValue)
                let document = documents + sides[language]!.document
                let paragraphOfBlock = paragraphOfBlock[position]
                var text = document.pointee.text
                text.makeContiguousUTF8()
                // Entities read in place: a copy of each would retain its strings.
                try text.utf8.withContiguousStorageIfAvailable { utf8 in try document.pointee.blocks.withUnsafeBufferPointer { blocks in
                    try document.pointee.entities.withUnsafeBufferPointer { entities in
                    for entity in entities.indices.lazy.map({ entities.baseAddress! + $0 }) {
                        guard let paragraph = paragraphOfBlock[entity.pointee.block] else { continue }
                        func common(_ fields: inout JSONFields) {
                            fields.value("kind", entity.pointee.kind)
                            // (A fallback closure made per record captures only the document's pointer.)
                            Self.writeText(of: entity.pointee.range, in: blocks.baseAddress! + entity.pointee.block, utf8: utf8, &fields) {
                                BlockContent.text(of: $0, in: document.pointee)
                            }
                            fields.value("paragraph", paragraph)
                            fields.value("start", entity.pointee.range.start)
                            fields.value("end", entity.pointee.range.end)
                            fields.optional("normalized", entity.pointee.normalized)
                            fields.optional("link", entity.pointee.link)
                        }
                        if entity.pointee.attributes.isEmpty {
                            json.object(fields: common)
                        } else {
                            json.beginObject()
                            json.fields(common)
                            json.object("attributes", entity.pointee.attributes)
                            json.endObject()
                        }
                        try flush(&json)
                    }
                    }
                } }!
                json.endArray()
            }
            json.endObject()
        }
        try writeRemovedAndDiagnostics(unit, UnsafeBufferPointer(start: documents, count: unit.documents.count), &json, flush: flush)
        json.endObject()
    }

    /// `flush` runs between records here too: a long document's language runs (24,000 on the
    /// long pair ×16, 4 MB of JSON) doubled the streaming writer's buffer.
    private func writeDocuments(
        _ documents: UnsafeBufferPointer<Document>, _ json: inout JSONWriter, flush: (inout JSONWriter) throws -> Void
    ) rethrows {
        json.beginArray("documents")
        for (index, document) in documents.indices.lazy.map({ (index: $0, document: documents.baseAddress! + $0) }) {
            json.beginObject()
            json.value("index", index)
            json.value("path", document.pointee.source.path)
            json.value("format", document.pointee.source.format.rawValue)
            json.value("encoding", document.pointee.source.encoding)
            json.value("bytes", document.pointee.source.byteCount)
            json.array("languages", document.pointee.languages.map(\.rawValue))
            if !document.pointee.languageRuns.isEmpty {
                json.beginArray("language_runs")
                for run in document.pointee.languageRuns {
                    json.object(fields: { fields in
                        fields.value("lang", run.language.rawValue)
                        fields.value("first_block", run.firstBlock)
                        fields.value("last_block", run.lastBlock)
                    })
                    try flush(&json)
                }
                json.endArray()
            }
            if !document.pointee.languageHints.isEmpty {
                json.beginArray("language_hints")
                for hint in document.pointee.languageHints {
                    json.object(fields: { fields in
                        fields.value("source", hint.source.rawValue)
                        fields.value("lang", hint.language.rawValue)
                        fields.optional("href", hint.href)
                        fields.optional("block", hint.block)
                    })
                    try flush(&json)
                }
                json.endArray()
            }
            if options.includeText { json.value("text", document.pointee.text) }
            json.endObject()
        }
        json.endArray()
    }

    /// What paragraphs read of their document besides its text.
    struct ParagraphSource {
        let offsets: OffsetMap
        let documentIndex: Int
        let document: UnsafePointer<Document>
        /// The block's reader text as a String, for cuts that are not on character boundaries.
        func text(_ block: Block) -> String { BlockContent.text(of: block, in: document.pointee) }
    }

    private func writeParagraph(
        index: Int, block: Int, info pointer: UnsafePointer<Block>, marks: UnsafeBufferPointer<UnitView.Mark>, text utf8: UnsafeBufferPointer<UInt8>, _ source: UnsafePointer<ParagraphSource>, _ json: inout JSONWriter
    ) {
        // Read in place (`pointee`): a copy of the block would retain its five reference fields.
        func common(_ fields: inout JSONFields) {
            fields.value("index", index)
            fields.value("document", source.pointee.documentIndex)
            fields.value("block", block)
            fields.value("kind", literal: Self.kindLiteral(pointer.pointee.kind))
            fields.optional("level", pointer.pointee.level)
            fields.optional("marker", pointer.pointee.marker)
            Self.writeText(of: pointer, utf8: utf8, &fields) { source.pointee.text($0) }
            fields.value("start", pointer.pointee.range.start)
            fields.value("end", pointer.pointee.range.end)
            fields.value("source_start", source.pointee.offsets.sourceOffset(of: pointer.pointee.range.start))
            fields.value("source_end", source.pointee.offsets.sourceOffset(of: pointer.pointee.range.end))
            fields.value("line", pointer.pointee.position.line)
            fields.value("column", pointer.pointee.position.column)
            fields.optional("lang", pointer.pointee.language?.rawValue)
            fields.optional("lang_confidence", pointer.pointee.languageConfidence)
        }
        // A very long paragraph (a whole file on one line) is escaped straight into the
        // writer's buffer: composing it apart first would hold its text twice.
        if pointer.pointee.range.length > Self.composedTextLimit {
            writeLongParagraph(index: index, block: block, info: pointer.pointee, marks: marks, text: utf8, source.pointee, &json)
            return
        }
        // Most paragraphs have nothing but these fields: one composed object.
        if pointer.pointee.flags.isEmpty && pointer.pointee.excluded.isEmpty && pointer.pointee.attributes.isEmpty && marks.isEmpty {
            json.object(fields: common)
            return
        }
        json.beginObject()
        json.fields(common)
        if !pointer.pointee.flags.isEmpty { json.array("flags", pointer.pointee.flags) }
        if !pointer.pointee.excluded.isEmpty {
            json.beginArray("excluded", inline: true)
            for range in pointer.pointee.excluded {
                json.beginArray()
                json.value(nil, range.start)
                json.value(nil, range.end)
                json.endArray()
            }
            json.endArray()
        }
        if !pointer.pointee.attributes.isEmpty { json.object("attributes", pointer.pointee.attributes) }
        writeMarks(marks, &json)
        json.endObject()
    }

    /// A paragraph's inline marks (links, emphasis, footnote references), when it has any.
    private func writeMarks(_ marks: UnsafeBufferPointer<UnitView.Mark>, _ json: inout JSONWriter) {
        guard !marks.isEmpty else { return }
        json.beginArray("marks")
        for m in marks {
            json.beginObject()
            json.value("kind", m.mark.kind.rawValue)
            json.value("start", m.mark.range.start)
            json.value("end", m.mark.range.end)
            json.optional("value", m.mark.value)
            json.optional("href", m.mark.href)
            json.optional("target", m.targetParagraph)
            json.endObject()
        }
        json.endArray()
    }

    /// `BlockKind.rawValue` as a literal (written without a String or an escaping scan).
    static func kindLiteral(_ kind: BlockKind) -> StaticString {
        switch kind {
        case .heading: "heading"
        case .paragraph: "paragraph"
        case .listItem: "list_item"
        case .footnote: "footnote"
        case .quote: "quote"
        case .address: "address"
        case .tableCell: "table_cell"
        case .caption: "caption"
        case .preformatted: "preformatted"
        case .definitionTerm: "definition_term"
        case .definitionDescription: "definition_description"
        }
    }

    /// Paragraphs longer than this (in bytes) are written by `writeLongParagraph`.
    static let composedTextLimit = 1 << 20

    /// The same bytes as `writeParagraph`, through the writer's own calls: the text goes
    /// straight into its buffer (used for very long paragraphs).
    private func writeLongParagraph(
        index: Int, block: Int, info: Block, marks: UnsafeBufferPointer<UnitView.Mark>, text utf8: UnsafeBufferPointer<UInt8>, _ source: ParagraphSource, _ json: inout JSONWriter
    ) {
        json.beginObject()
        json.value("index", index)
        json.value("document", source.documentIndex)
        json.value("block", block)
        json.value("kind", info.kind.rawValue)
        json.optional("level", info.level)
        json.optional("marker", info.marker)
        let excluded = info.excluded.isEmpty ? [] : info.excluded.filter { info.range.contains($0) }.sorted()
        func onBoundary(_ offset: Int) -> Bool { offset >= utf8.count || utf8[offset] & 0xC0 != 0x80 }
        if info.range.end <= utf8.count, onBoundary(info.range.start), onBoundary(info.range.end),
            excluded.allSatisfy({ onBoundary($0.start) && onBoundary($0.end) })
        {
            json.value("text", foldingLineBreaks: info.foldsLineBreaks) { emit in
                var cursor = info.range.start
                for cut in excluded where cut.start >= cursor {
                    if cursor < cut.start { emit(UnsafeBufferPointer(rebasing: utf8[cursor..<cut.start])) }
                    cursor = cut.end
                }
                if cursor < info.range.end { emit(UnsafeBufferPointer(rebasing: utf8[cursor..<info.range.end])) }
            }
        } else {
            json.value("text", source.text(info))
        }
        json.value("start", info.range.start)
        json.value("end", info.range.end)
        json.value("source_start", source.offsets.sourceOffset(of: info.range.start))
        json.value("source_end", source.offsets.sourceOffset(of: info.range.end))
        json.value("line", info.position.line)
        json.value("column", info.position.column)
        json.optional("lang", info.language?.rawValue)
        json.optional("lang_confidence", info.languageConfidence)
        if !info.flags.isEmpty { json.array("flags", info.flags) }
        if !info.excluded.isEmpty {
            json.beginArray("excluded", inline: true)
            for range in info.excluded {
                json.beginArray()
                json.value(nil, range.start)
                json.value(nil, range.end)
                json.endArray()
            }
            json.endArray()
        }
        if !info.attributes.isEmpty { json.object("attributes", info.attributes) }
        writeMarks(marks, &json)
        json.endObject()
    }


    /// Writes `"text"`: the block's reader text (`BlockContent`), escaped straight from the
    /// document's bytes instead of being made into a String first. Cuts that are not on
    /// character boundaries (never made by ingest) take the String path, which repairs them.
    /// The reader text of the part of `block` that `range` covers (a sentence, a mention),
    /// written as `writeText` writes a paragraph's.
    static func writeText(of range: TextRange, in block: UnsafePointer<Block>, utf8: UnsafeBufferPointer<UInt8>, _ fields: inout JSONFields, fallback: (Block) -> String) {
        // Most blocks exclude nothing: the text is the clipped range's bytes, read in place.
        if block.pointee.excluded.isEmpty {
            let start = max(range.start, block.pointee.range.start)
            let end = max(min(range.end, block.pointee.range.end), start)
            func onBoundary(_ offset: Int) -> Bool { offset >= utf8.count || utf8[offset] & 0xC0 != 0x80 }
            if end <= utf8.count && onBoundary(start) && onBoundary(end) {
                fields.value("text", foldingLineBreaks: block.pointee.foldsLineBreaks) { emit in
                    if start < end { emit(UnsafeBufferPointer(rebasing: utf8[start..<end])) }
                }
                return
            }
        }
        var clipped = UnitView.clipped(block.pointee, to: range)
        withUnsafePointer(to: &clipped) { writeText(of: $0, utf8: utf8, &fields, fallback: fallback) }
    }

    static func writeText(of pointer: UnsafePointer<Block>, utf8: UnsafeBufferPointer<UInt8>, _ fields: inout JSONFields, fallback: (Block) -> String) {
        // Read in place: a copy of the block would retain its five reference fields.
        let block = pointer
        let excluded = block.pointee.excluded.isEmpty ? [] : block.pointee.excluded.filter { block.pointee.range.contains($0) }.sorted()
        func onBoundary(_ offset: Int) -> Bool { offset >= utf8.count || utf8[offset] & 0xC0 != 0x80 }
        guard block.pointee.range.end <= utf8.count, onBoundary(block.pointee.range.start), onBoundary(block.pointee.range.end),
            excluded.allSatisfy({ onBoundary($0.start) && onBoundary($0.end) })
        else {
            fields.value("text", fallback(block.pointee))
            return
        }
        fields.value("text", foldingLineBreaks: block.pointee.foldsLineBreaks) { emit in
            var cursor = block.pointee.range.start
            for cut in excluded where cut.start >= cursor {
                if cursor < cut.start { emit(UnsafeBufferPointer(rebasing: utf8[cursor..<cut.start])) }
                cursor = cut.end
            }
            if cursor < block.pointee.range.end { emit(UnsafeBufferPointer(rebasing: utf8[cursor..<block.pointee.range.end])) }
        }
    }

    private func writeRemovedAndDiagnostics(
        _ unit: WorkUnit, _ documents: UnsafeBufferPointer<Document>, _ json: inout JSONWriter, flush: (inout JSONWriter) throws -> Void
    ) rethrows {
        // Most units have neither: asked first, without gathering them into new arrays.
        if documents.indices.contains(where: { !documents[$0].removed.isEmpty }) {
            let removed = documents.indices.flatMap { index in documents[index].removed.map { (index, $0) } }
            json.beginArray("removed")
            for (document, item) in removed {
                json.beginObject()
                json.value("document", document)
                json.value("reason", item.reason)
                json.value("line", item.position.line)
                json.optional("element_path", item.elementPath)
                json.value("characters", item.characters)
                json.value("excerpt", item.excerpt)
                json.endObject()
                try flush(&json)
            }
            json.endArray()
        }
        if !unit.diagnostics.isEmpty || documents.indices.contains(where: { !documents[$0].diagnostics.isEmpty }) {
            let diagnostics = documents.indices.flatMap { documents[$0].diagnostics } + unit.diagnostics
            json.beginArray("diagnostics")
            for d in diagnostics {
                json.beginObject()
                json.value("severity", d.severity.rawValue)
                json.value("file", d.file)
                json.optional("line", d.position?.line)
                json.optional("column", d.position?.column)
                json.optional("byte", d.byteOffset)
                json.optional("stage", d.stage)
                json.value("message", d.message)
                json.endObject()
                try flush(&json)
            }
            json.endArray()
        }
    }
}
