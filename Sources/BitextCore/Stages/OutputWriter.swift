import Foundation

/// A file a writer produces, before the runner writes it (atomically) under the output directory.
public struct OutputFile: Hashable, Sendable {
    /// Path relative to the output directory.
    public var relativePath: String
    public var contents: [UInt8]
    public init(relativePath: String, contents: [UInt8]) {
        self.relativePath = relativePath
        self.contents = contents
    }
}

/// A named output format. Writers are pure: they turn a processed unit into bytes and
/// leave writing (atomic rename, manifests) to the runner.
public protocol OutputWriter: Sendable {
    associatedtype Options: StageOptions = NoOptions
    /// The name used in pipeline files and `--format`.
    static var name: StageID { get }
    static var summary: String { get }
    /// Layers the format needs (TMX needs sentence alignment, …).
    static var requires: Set<Layer> { get }
    /// The file extension, without the dot.
    static var fileExtension: String { get }
    /// Whether the output makes sense on standard output (`bitext align --format NAME`).
    static var writesToStandardOutput: Bool { get }
    init(options: Options) throws
    /// The bytes for one unit. `baseName` is the unit's output path without extension.
    func write(_ unit: WorkUnit, baseName: String) throws -> [OutputFile]
}

extension OutputWriter {
    public static var requires: Set<Layer> { [.blocks] }
    public static var writesToStandardOutput: Bool { true }
}

/// What a batch-level writer learns about one unit of the batch once every unit is done.
public struct BatchUnitSummary: Hashable, Sendable {
    public var id: String
    /// `ok`, `skipped` (current from an earlier run) or `failed`.
    public var status: String
    /// The unit's outputs, relative to the output directory.
    public var outputs: [String]
    public init(id: String, status: String, outputs: [String]) {
        self.id = id
        self.status = status
        self.outputs = outputs
    }
}

/// A writer that also writes files over the whole batch (an index page, a search index),
/// after every unit. It reads what it needs from the units' outputs, so that units skipped
/// by `--resume` count as much as those processed in this run.
public protocol BatchOutputWriter: OutputWriter {
    /// Called once after the last unit; `outputs` reads the units' outputs back (paths
    /// relative to the output directory), a piece at a time. Units are sorted by id. The
    /// batch's files go to `sink`, one after the other (a search index over a large batch is
    /// no file to hold in memory).
    func finish(units: [BatchUnitSummary], outputs: OutputReader, to sink: inout some OutputSink) throws
}

extension BatchOutputWriter {
    /// The batch's files, gathered whole.
    public func finish(units: [BatchUnitSummary], outputs: OutputReader) throws -> [OutputFile] {
        var sink = CollectingSink()
        try finish(units: units, outputs: outputs, to: &sink)
        return sink.files
    }
}

/// Where a streaming writer puts its bytes: the runner writes them to disk (atomically) and
/// hashes them as they pass, so that a large output never sits whole in memory.
public protocol OutputSink {
    /// Starts the next file (path relative to the output directory); earlier files are complete.
    mutating func open(relativePath: String) throws
    /// The next bytes of the file opened last.
    mutating func append(_ bytes: UnsafeRawBufferPointer) throws
}

extension OutputSink {
    /// Appends the bytes of the file at `path`, a megabyte at a time.
    public mutating func appendContents(ofFile path: String) throws {
        guard let file = FileHandle(forReadingAtPath: path) else { throw InputError(file: path, stage: "write", "cannot open the file to copy it") }
        defer { try? file.close() }
        while true {
            let piece: Data
            do { piece = try file.read(upToCount: 1 << 20) ?? Data() } catch { throw InputError(file: path, stage: "write", "cannot read: \(error)") }
            if piece.isEmpty { return }
            try piece.withUnsafeBytes { try append($0) }
        }
    }
}

/// A writer whose output can be produced piece by piece. `stream` must produce exactly the
/// files and bytes that `write(_:baseName:)` returns: it is the same output, only not held
/// in memory at once.
public protocol StreamingOutputWriter: OutputWriter {
    func stream(_ unit: WorkUnit, baseName: String, to sink: inout some OutputSink) throws
}

extension StreamingOutputWriter {
    /// The whole output, gathered from `stream`: one way of rendering, so the two cannot differ.
    public func write(_ unit: WorkUnit, baseName: String) throws -> [OutputFile] {
        var sink = CollectingSink()
        try stream(unit, baseName: baseName, to: &sink)
        return sink.files
    }
}

/// An `OutputSink` that keeps what it is given, file by file.
public struct CollectingSink: OutputSink {
    public private(set) var files: [OutputFile] = []
    public init() {}

    public mutating func open(relativePath: String) throws {
        files.append(OutputFile(relativePath: relativePath, contents: []))
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) throws {
        precondition(!files.isEmpty, "OutputSink.append before open")
        files[files.count - 1].contents.append(contentsOf: bytes)
    }
}
