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
        var out: [UInt8] = []
        out.reserveCapacity(StreamedOutput.flushSize + (1 << 16))
        try forEachLine(unit) { line in
            out += line
            try StreamedOutput.drain(&out, to: &sink)
        }
        try StreamedOutput.drain(&out, to: &sink, final: true)
    }

    /// The whole file at once.
    public func render(_ unit: WorkUnit) -> [UInt8] {
        var out: [UInt8] = []
        forEachLine(unit) { out += $0 }
        return out
    }

    /// The file's lines in order, one record each, made as they are handed on.
    private func forEachLine(_ unit: WorkUnit, _ body: ([UInt8]) throws -> Void) rethrows {
        try PairRecords.forEach(UnitView(unit), paragraphs: options.records.paragraphs, sentences: options.records.sentences) { record in
            try body(PairRecordJSON.line(record))
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
        var out: [UInt8] = []
        out.reserveCapacity(StreamedOutput.flushSize + (1 << 16))
        try forEachLinePair(unit) { action, record in
            out += action
            out += record
            try StreamedOutput.drain(&out, to: &sink)
        }
        try StreamedOutput.drain(&out, to: &sink, final: true)
    }

    /// The whole file at once.
    public func render(_ unit: WorkUnit) -> [UInt8] {
        var out: [UInt8] = []
        forEachLinePair(unit) { out += $0 + $1 }
        return out
    }

    /// Each record's action line and record line, in order, made as they are handed on.
    private func forEachLinePair(_ unit: WorkUnit, _ body: ([UInt8], [UInt8]) throws -> Void) rethrows {
        try PairRecords.forEach(UnitView(unit), paragraphs: options.records.paragraphs, sentences: options.records.sentences) { record in
            var action = JSONWriter(pretty: false)
            action.beginObject()
            action.beginObject("index")
            action.value("_index", options.index)
            action.value("_id", record.id)
            action.endObject()
            action.endObject()
            var actionLine = action.bytes
            actionLine.append(0x0A)
            try body(actionLine, PairRecordJSON.line(record))
        }
    }
}

/// One record as one line of compact JSON (keys in a fixed order), ending in `\n`.
enum PairRecordJSON {
    static func line(_ record: PairRecord) -> [UInt8] {
        var json = JSONWriter(pretty: false, capacity: 512)
        json.beginObject()
        json.value("id", record.id)
        json.value("type", record.kind.rawValue)
        json.value("unit", record.unit)
        json.optional("link", record.link)
        json.optional("sentence_link", record.sentenceLink)
        if let score = record.score { json.value("score", score) }
        json.array("flags", record.flags)
        json.array("languages", record.sides.map(\.language.rawValue))
        json.beginObject("sides")
        for side in record.sides {
            json.beginObject(side.language.rawValue)
            json.value("lang", side.language.rawValue)
            json.value("text", side.text)
            json.array("paragraphs", side.paragraphs)
            if let sentences = side.sentences { json.array("sentences", sentences) }
            json.value("source", side.sourcePath)
            json.value("source_start", side.sourceStart)
            json.value("source_end", side.sourceEnd)
            json.value("start", side.start)
            json.value("end", side.end)
            json.beginArray("entities")
            for (n, mention) in side.entities.enumerated() {
                json.beginObject()
                json.value("kind", mention.entity.kind)
                json.value("text", mention.text)
                json.optional("normalized", mention.entity.normalized)
                json.optional("link", mention.entity.link)
                json.value("start", mention.entity.range.start)
                json.value("end", mention.entity.range.end)
                if n < side.entitySpans.count, let span = side.entitySpans[n] {
                    json.value("text_start", span.lowerBound)
                    json.value("text_end", span.upperBound)
                }
                json.endObject()
            }
            json.endArray()
            json.endObject()
        }
        json.endObject()
        json.endObject()
        var bytes = json.bytes
        bytes.append(0x0A)
        return bytes
    }
}
