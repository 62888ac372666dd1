import BitextCore

/// Options shared by `jsonl` and `bulk`: which records to write.
public struct PairRecordOptions: Sendable, Hashable {
    public var paragraphs: Bool
    public var sentences: Bool
    public init(paragraphs: Bool = true, sentences: Bool = true) {
        self.paragraphs = paragraphs
        self.sentences = sentences
    }
    static let fields = [
        OptionField("paragraphs", "boolean", default: "true", "Write paragraph-pair records (and unlinked paragraphs)."),
        OptionField("sentences", "boolean", default: "true", "Write sentence-pair records."),
    ]
}

/// JSON Lines for search indexes: one compact JSON object per line, one per aligned paragraph
/// pair, per sentence pair and per unlinked paragraph. Described by
/// `schemas/bitext-record.schema.json`.
public struct JSONLinesWriter: StreamingOutputWriter {
    public static let name: StageID = "jsonl"
    public static let summary = "JSON Lines: one record per paragraph pair, sentence pair and unlinked paragraph, with stable ids."
    public static let fileExtension = "jsonl"

    public struct Options: StageOptions {
        public var records: PairRecordOptions
        public static let fields = PairRecordOptions.fields
        enum CodingKeys: String, CodingKey { case paragraphs, sentences }
        public init(records: PairRecordOptions = PairRecordOptions()) { self.records = records }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            records = PairRecordOptions(paragraphs: try c.value(.paragraphs, or: true), sentences: try c.value(.sentences, or: true))
        }
    }

    public let options: Options
    public init(options: Options) throws { self.options = options }

    public func stream(_ unit: WorkUnit, baseName: String, to sink: inout some OutputSink) throws {
        try sink.open(relativePath: baseName + ".jsonl")
        var json = JSONWriter(pretty: false, capacity: StreamedOutput.flushSize + (1 << 16))
        try writeLines(unit, into: &json) { json in
            if json.count >= StreamedOutput.flushSize { try json.drain { try sink.append($0) } }
        }
        try json.drain { try sink.append($0) }
    }

    /// The whole file at once.
    public func render(_ unit: WorkUnit) -> [UInt8] {
        var json = JSONWriter(pretty: false)
        writeLines(unit, into: &json) { _ in }
        return json.bytes
    }

    /// The file's lines in order, one record each, made as they are written: one writer for
    /// them all, so that the records' keys are composed once (`PairRecordJSON.write`).
    /// `flush` is called after each line.
    private func writeLines(_ unit: WorkUnit, into json: inout JSONWriter, flush: (inout JSONWriter) throws -> Void) rethrows {
        try PairRecords.forEach(UnitView(unit), paragraphs: options.records.paragraphs, sentences: options.records.sentences) { record in
            PairRecordJSON.write(record, into: &json)
            json.lineFeed()
            try flush(&json)
        }
    }
}

/// The Elasticsearch/OpenSearch bulk format: for each record an action line
/// `{"index":{"_index":…,"_id":…}}` then the record, each line ending in `\n` (the last too),
/// so that `curl -H 'Content-Type: application/x-ndjson' --data-binary @file …/_bulk` loads it.
public struct BulkWriter: StreamingOutputWriter {
    public static let name: StageID = "bulk"
    public static let summary = "Elasticsearch/OpenSearch bulk: an index action line before each JSON Lines record."
    public static let fileExtension = "bulk.ndjson"

    public struct Options: StageOptions {
        public var index: String
        public var records: PairRecordOptions
        public static let fields = [OptionField("index", "string", default: "bitext", "The target index name (`_index`).")] + PairRecordOptions.fields
        enum CodingKeys: String, CodingKey { case index, paragraphs, sentences }
        public init(index: String = "bitext", records: PairRecordOptions = PairRecordOptions()) throws {
            try Self.check(index)
            self.index = index
            self.records = records
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            try self.init(
                index: try c.value(.index, or: "bitext"),
                records: PairRecordOptions(paragraphs: try c.value(.paragraphs, or: true), sentences: try c.value(.sentences, or: true)))
        }
        /// Elasticsearch's rules for index names: lowercase, not empty, no `\ / * ? " < > | , #`
        /// or space, not starting with `-`, `_`, `+`, not `.` or `..`, at most 255 bytes.
        static func check(_ index: String) throws {
            let forbidden = Set("\\/*?\"<>|,# :".unicodeScalars)
            if index.isEmpty || index == "." || index == ".." || index.utf8.count > 255 {
                throw OptionError(option: "index", "'\(index)' is not a valid index name")
            }
            if let first = index.unicodeScalars.first, "-_+".unicodeScalars.contains(first) {
                throw OptionError(option: "index", "an index name cannot start with '\(first)'")
            }
            if index.lowercased() != index { throw OptionError(option: "index", "index names must be lowercase: '\(index)'") }
            if let bad = index.unicodeScalars.first(where: { forbidden.contains($0) }) {
                throw OptionError(option: "index", "index names cannot contain '\(bad)'")
            }
        }
    }

    public let options: Options
    public init(options: Options) throws { self.options = options }

    public func stream(_ unit: WorkUnit, baseName: String, to sink: inout some OutputSink) throws {
        try sink.open(relativePath: baseName + ".bulk.ndjson")
        var json = JSONWriter(pretty: false, capacity: StreamedOutput.flushSize + (1 << 16))
        try writeLinePairs(unit, into: &json) { json in
            if json.count >= StreamedOutput.flushSize { try json.drain { try sink.append($0) } }
        }
        try json.drain { try sink.append($0) }
    }

    /// The whole file at once.
    public func render(_ unit: WorkUnit) -> [UInt8] {
        var json = JSONWriter(pretty: false)
        writeLinePairs(unit, into: &json) { _ in }
        return json.bytes
    }

    /// Each record's action line and record line, in order, made as they are written;
    /// `flush` is called after each pair of lines.
    private func writeLinePairs(_ unit: WorkUnit, into json: inout JSONWriter, flush: (inout JSONWriter) throws -> Void) rethrows {
        try PairRecords.forEach(UnitView(unit), paragraphs: options.records.paragraphs, sentences: options.records.sentences) { record in
            json.beginObject()
            json.beginObject("index")
            json.value("_index", options.index)
            json.value("_id", record.id)
            json.endObject()
            json.endObject()
            json.lineFeed()
            PairRecordJSON.write(record, into: &json)
            json.lineFeed()
            try flush(&json)
        }
    }
}

/// One record as one line of compact JSON (keys in a fixed order).
enum PairRecordJSON {
    /// The record's object (no line feed). Its runs of members are composed by `fields`: keys
    /// written through the general path cost some 260 instructions each, and a writer kept
    /// for a file's lines composes each key once.
    static func write(_ record: PairRecord, into json: inout JSONWriter) {
        json.beginObject()
        json.fields { fields in
            fields.value("id", record.id)
            fields.value("type", record.kind.rawValue)
            fields.value("unit", record.unit)
            fields.optional("link", record.link)
            fields.optional("sentence_link", record.sentenceLink)
            if let score = record.score { fields.value("score", score) }
            fields.array("flags", record.flags)
            fields.array("languages", record.sides.map(\.language.rawValue))
        }
        json.beginObject("sides")
        for side in record.sides {
            json.beginObject(side.language.rawValue)
            json.fields { fields in
                fields.value("lang", side.language.rawValue)
                fields.value("text", side.text)
                fields.array("paragraphs", side.paragraphs)
                if let sentences = side.sentences { fields.array("sentences", sentences) }
                fields.value("source", side.sourcePath)
                fields.value("source_start", side.sourceStart)
                fields.value("source_end", side.sourceEnd)
                fields.value("start", side.start)
                fields.value("end", side.end)
            }
            json.beginArray("entities")
            for (n, mention) in side.entities.enumerated() {
                json.object(fields: { fields in
                    let entity = mention.entity
                    fields.value("kind", entity.kind)
                    fields.value("text", mention.text)
                    fields.optional("normalized", entity.normalized)
                    fields.optional("link", entity.link)
                    fields.value("start", entity.range.start)
                    fields.value("end", entity.range.end)
                    if n < side.entitySpans.count, let span = side.entitySpans[n] {
                        fields.value("text_start", span.lowerBound)
                        fields.value("text_end", span.upperBound)
                    }
                })
            }
            json.endArray()
            json.endObject()
        }
        json.endObject()
        json.endObject()
    }
}
