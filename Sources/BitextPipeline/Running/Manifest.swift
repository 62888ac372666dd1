import BitextCore
import Foundation

/// `manifest.json` in the output directory: every unit's inputs (with content hashes) and
/// outputs (with checksums), so that `--resume` can skip what is current and anyone can
/// verify the outputs with `sha256sum`.
public struct Manifest: Codable, Sendable {
    public struct FileEntry: Codable, Sendable, Hashable {
        public var path: String
        public var sha256: String
        public var bytes: Int
    }
    public struct UnitEntry: Codable, Sendable {
        public var id: String
        public var status: String
        public var inputs: [FileEntry]
        public var outputs: [FileEntry]
        public var error: String?
        public var warnings: Int
    }

    public var format = "bitext-manifest"
    public var formatVersion = 1
    public var generator = "bitext \(BitextVersion.current)"
    public var pipeline: String
    /// Hash of the pipeline file and version: outputs made by another pipeline are not current.
    public var pipelineFingerprint: String
    public var units: [UnitEntry]
    /// Files written over the whole batch (review index page, search index), when the
    /// pipeline has batch-level writers.
    public var batchOutputs: [FileEntry]?

    enum CodingKeys: String, CodingKey {
        case format, formatVersion = "format_version", generator, pipeline, pipelineFingerprint = "pipeline_fingerprint", units
        case batchOutputs = "batch_outputs"
    }

    public static func load(from directory: String) -> Manifest? {
        guard let data = FileManager.default.contents(atPath: directory + "/manifest.json") else { return nil }
        return try? JSONDecoder().decode(Manifest.self, from: data)
    }

    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var sorted = self
        sorted.units.sort { $0.id < $1.id }
        return Array(try encoder.encode(sorted)) + [0x0A]
    }
}
