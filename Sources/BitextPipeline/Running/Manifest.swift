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

    public static func load(from directory: String, name: String = "manifest.json") -> Manifest? {
        guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { return nil }
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

/// Builds `manifest.json` as units finish, encoding each unit's entry once. The runner rewrites
/// the manifest about every second so a killed batch can resume; re-encoding every entry at each
/// checkpoint made that cost grow with units done × time (6% of a 10,000-pair run). The bytes
/// are exactly `Manifest.encoded()`'s: each entry is encoded alone with the same encoder and
/// indented to its place in the `units` array.
struct IncrementalManifest {
    private var header: Manifest
    private var entries: [(id: String, json: [UInt8])] = []
    /// An entry that could not be encoded: the manifest is not written without it.
    private var failure: (any Error)?
    private let encoder: JSONEncoder

    init(pipeline: String, pipelineFingerprint: String) {
        header = Manifest(pipeline: pipeline, pipelineFingerprint: pipelineFingerprint, units: [])
        encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    }

    var batchOutputs: [Manifest.FileEntry]? {
        get { header.batchOutputs }
        set { header.batchOutputs = newValue }
    }

    mutating func append(_ unit: Manifest.UnitEntry) {
        let json: Data
        do { json = try encoder.encode(unit) } catch {
            failure = failure ?? error
            return
        }
        // Nested one level inside "units": every line but the blank one inside an empty array
        // moves right by four spaces (JSON strings hold no raw newline: every newline is layout).
        var indented: [UInt8] = []
        indented.reserveCapacity(json.count + json.count / 8)
        var atLineStart = true
        for byte in json {
            if atLineStart && byte != 0x0A { indented.append(contentsOf: [0x20, 0x20, 0x20, 0x20]) }
            indented.append(byte)
            atLineStart = byte == 0x0A
        }
        entries.append((unit.id, indented))
    }

    /// The manifest with its units sorted by id, as `Manifest.encoded()` writes it.
    mutating func encoded() throws -> [UInt8] {
        if let failure { throw failure }
        var bytes = Array(try encoder.encode(header))
        guard !entries.isEmpty else { return bytes + [0x0A] }
        // "units" sorts last among the manifest's keys, so the header's encoding ends with its
        // empty array: the entries go in its place.
        let key = Array(#""units" : ["#.utf8)
        guard let keyEnd = bytes.endOfLast(key) else { throw ManifestLayoutError() }
        bytes.removeSubrange(keyEnd...)
        entries.sort { $0.id < $1.id }
        bytes.append(0x0A)
        for index in entries.indices {
            if index > 0 { bytes.append(contentsOf: [0x2C, 0x0A]) }
            bytes.append(contentsOf: entries[index].json)
        }
        bytes.append(contentsOf: Array("\n  ]\n}\n".utf8))
        return bytes
    }
}

/// Foundation's encoder laid the manifest out differently from what `IncrementalManifest`
/// splices into (a test pins the layout).
struct ManifestLayoutError: Error, CustomStringConvertible {
    var description: String { "the JSON encoder's manifest layout changed: cannot add unit entries" }
}

private extension Array where Element == UInt8 {
    /// The index just past the last occurrence of `needle`.
    func endOfLast(_ needle: [UInt8]) -> Int? {
        guard needle.count <= count else { return nil }
        for start in stride(from: count - needle.count, through: 0, by: -1)
        where self[start..<start + needle.count].elementsEqual(needle) {
            return start + needle.count
        }
        return nil
    }
}
