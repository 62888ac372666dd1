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
