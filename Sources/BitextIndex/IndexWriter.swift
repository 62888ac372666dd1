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

    public func finish(units: [BatchUnitSummary], read: (String) -> [UInt8]?) throws -> [OutputFile] {
        let usable = units.filter { $0.status != "failed" }
        var documents: [[UInt8]] = []
        for unit in usable {
            guard let path = unit.outputs.first(where: { $0.hasSuffix(".json") }) else {
                throw IndexError("the index output reads each unit's JSON output, and unit \(unit.id) has none: add `- write: json` to the pipeline's outputs")
            }
            guard let bytes = read(path) else { throw IndexError("cannot read \(path)") }
            documents.append(bytes)
        }
        let temporary = NSTemporaryDirectory() + "bitext-index-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max)).sqlite"
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        _ = try PairIndex.build(at: temporary, documents: documents)
        guard let bytes = FileManager.default.contents(atPath: temporary) else { throw IndexError("cannot read the index built at \(temporary)") }
        return [OutputFile(relativePath: options.database, contents: Array(bytes))]
    }
}
