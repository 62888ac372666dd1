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
/// the manifest at checkpoints (`BatchRunner.manifestCheckpointIsDue`: at most every second, at
/// least every ten once it has news) so a killed batch can resume; re-encoding every entry at each
/// checkpoint made that cost grow with units done × time (6% of a 10,000-pair run). The bytes
/// are exactly `Manifest.encoded()`'s: each entry is written in JSONEncoder's layout (pretty,
/// sorted keys, slashes unescaped; a test compares the two), indented to its place in the
/// `units` array, by hand (JSONEncoder took a few percent of a batch of small units).
struct IncrementalManifest {
    private var header: Manifest
    private var entries: [(id: String, json: [UInt8])] = []
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

    /// Units recorded so far.
    var count: Int { entries.count }

    mutating func append(_ unit: Manifest.UnitEntry) {
        var json: [UInt8] = []
        json.reserveCapacity(256 + 160 * (unit.inputs.count + unit.outputs.count))
        Self.write(unit, into: &json)
        entries.append((unit.id, json))
    }

    /// One entry as JSONEncoder lays it out nested one level in `units` (four more spaces on
    /// every line but the blank one inside an empty array); keys in sorted order.
    static func write(_ unit: Manifest.UnitEntry, into json: inout [UInt8]) {
        json.append(contentsOf: "    {\n".utf8)
        if let error = unit.error {
            json.append(contentsOf: "      \"error\" : ".utf8)
            writeString(error, into: &json)
            json.append(contentsOf: ",\n".utf8)
        }
        json.append(contentsOf: "      \"id\" : ".utf8)
        writeString(unit.id, into: &json)
        json.append(contentsOf: ",\n      \"inputs\" : ".utf8)
        writeFiles(unit.inputs, into: &json)
        json.append(contentsOf: ",\n      \"outputs\" : ".utf8)
        writeFiles(unit.outputs, into: &json)
        json.append(contentsOf: ",\n      \"status\" : ".utf8)
        writeString(unit.status, into: &json)
        json.append(contentsOf: ",\n      \"warnings\" : ".utf8)
        json.append(contentsOf: String(unit.warnings).utf8)
        json.append(contentsOf: "\n    }".utf8)
    }

    private static func writeFiles(_ files: [Manifest.FileEntry], into json: inout [UInt8]) {
        guard !files.isEmpty else {
            json.append(contentsOf: "[\n\n      ]".utf8)
            return
        }
        json.append(contentsOf: "[\n".utf8)
        for (index, file) in files.enumerated() {
            if index > 0 { json.append(contentsOf: ",\n".utf8) }
            json.append(contentsOf: "        {\n          \"bytes\" : ".utf8)
            json.append(contentsOf: String(file.bytes).utf8)
            json.append(contentsOf: ",\n          \"path\" : ".utf8)
            writeString(file.path, into: &json)
            json.append(contentsOf: ",\n          \"sha256\" : ".utf8)
            writeString(file.sha256, into: &json)
            json.append(contentsOf: "\n        }".utf8)
        }
        json.append(contentsOf: "\n      ]".utf8)
    }

    /// JSONEncoder's string escapes: quote, backslash, the short control escapes, other
    /// controls as lowercase `\u00xx`; everything else (slashes, DEL, non-ASCII) as is.
    private static func writeString(_ string: String, into json: inout [UInt8]) {
        json.append(UInt8(ascii: "\""))
        // Ids, paths and digests seldom need an escape: copied whole (byte by byte, with an
        // array of hex digits made per string, this was most of an entry's cost).
        if !string.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            json.append(contentsOf: string.utf8)
            json.append(UInt8(ascii: "\""))
            return
        }
        let hex = Array("0123456789abcdef".utf8)
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): json.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): json.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: json.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: json.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: json.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: json.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: json.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case ..<0x20: json.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: json.append(byte)
            }
        }
        json.append(UInt8(ascii: "\""))
    }

    /// The manifest with its units sorted by id, as `Manifest.encoded()` writes it.
    mutating func encoded() throws -> [UInt8] {
        var bytes: [UInt8] = []
        try forEachPiece { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// Writes the manifest (`encoded()`'s bytes) to `path` atomically, in pieces of about
    /// `Self.writeChunk` bytes: a checkpoint of a long batch no longer builds the whole
    /// manifest in one array (megabytes of fresh memory, faulted in, at every checkpoint).
    mutating func write(to path: String) throws {
        let file = try AtomicFile.Stream(path: path)
        var chunk: [UInt8] = []
        chunk.reserveCapacity(Self.writeChunk)
        try forEachPiece { piece in
            if chunk.count + piece.count > Self.writeChunk && !chunk.isEmpty {
                try chunk.withUnsafeBytes { try file.append($0) }
                chunk.removeAll(keepingCapacity: true)
            }
            if piece.count >= Self.writeChunk {
                try piece.withUnsafeBytes { try file.append(UnsafeRawBufferPointer($0)) }
            } else {
                chunk.append(contentsOf: piece)
            }
        }
        try chunk.withUnsafeBytes { try file.append($0) }
        try file.commit()
    }

    /// Bytes gathered before `write(to:)` hands them to the file.
    static let writeChunk = 1 << 16

    /// The manifest's bytes in order, in pieces (the header, each entry, the separators).
    private mutating func forEachPiece(_ body: (ArraySlice<UInt8>) throws -> Void) throws {
        let header = Array(try encoder.encode(self.header))
        guard !entries.isEmpty else {
            try body(header[...])
            try body(Self.lineFeed[...])
            return
        }
        // "units" sorts last among the manifest's keys, so the header's encoding ends with its
        // empty array: the entries go in its place.
        let key = Array(#""units" : ["#.utf8)
        guard let keyEnd = header.endOfLast(key) else { throw ManifestLayoutError() }
        entries.sort { $0.id < $1.id }
        try body(header[..<keyEnd])
        try body(Self.lineFeed[...])
        for index in entries.indices {
            if index > 0 { try body(Self.entrySeparator[...]) }
            try body(entries[index].json[...])
        }
        try body(Self.unitsEnd[...])
    }

    private static let lineFeed: [UInt8] = [0x0A]
    private static let entrySeparator = Array(",\n".utf8)
    private static let unitsEnd = Array("\n  ]\n}\n".utf8)
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
