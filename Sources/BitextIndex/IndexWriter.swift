import BitextCore
import Foundation

/// The `index` output: after the batch, a SQLite FTS5 index of every unit's paragraph and
/// sentence pairs, built from the units' JSON outputs (so the pipeline must also `write: json`).
/// Search it with `bitext search`.
public struct IndexWriter: BatchOutputWriter {
    public static let name: StageID = "index"
    public static let summary = "SQLite FTS5 search index of paragraph and sentence pairs over the batch (needs the json output)."
    public static let fileExtension = "sqlite"
    public static let writesToStandardOutput = false

    public struct Options: StageOptions {
        public var database: String
        public static let fields = [OptionField("database", "string", default: "index.sqlite", "The index file, relative to the output directory.")]
        enum CodingKeys: String, CodingKey { case database }
        public init(database: String = "index.sqlite") throws {
            guard !database.isEmpty, !database.hasPrefix("/"), !database.split(separator: "/").contains("..") else {
                throw OptionError(option: "database", "must be a relative path inside the output directory, not '\(database)'")
            }
            self.database = database
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            try self.init(database: try c.value(.database, or: "index.sqlite"))
        }
    }

    public let options: Options
    public init(options: Options) throws { self.options = options }

    /// Nothing per unit: the index is built once, at the end.
    public func write(_ unit: WorkUnit, baseName: String) throws -> [OutputFile] { [] }

    /// Builds the index in a temporary file, reading the units' JSON a piece at a time, then
    /// copies it to the sink in pieces: no unit's JSON, nor the index, is ever whole in memory.
    public func finish(units: [BatchUnitSummary], outputs: OutputReader, to sink: inout some OutputSink) throws {
        let paths = try units.filter { $0.status != "failed" }.map { unit in
            guard let path = unit.outputs.first(where: { $0.hasSuffix(".json") }) else {
                throw IndexError("the index output reads each unit's JSON output, and unit \(unit.id) has none: add `- write: json` to the pipeline's outputs")
            }
            return path
        }
        let temporary = NSTemporaryDirectory() + "bitext-index-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max)).sqlite"
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        _ = try PairIndex.build(at: temporary, documentCount: paths.count) { index in
            guard let pieces = outputs.open(paths[index]) else { throw IndexError("cannot read \(paths[index])") }
            return pieces
        }
        try sink.open(relativePath: options.database)
        try sink.appendContents(ofFile: temporary)
    }
}
