/// The input format of a source file.
public enum SourceFormat: String, Hashable, Sendable, Codable, CaseIterable {
    case text
    case html

    /// Guesses the format from a file name: `.html`, `.htm` and `.xhtml` are HTML.
    public static func guess(fromPath path: String) -> SourceFormat {
        let lower = path.lowercased()
        for ext in [".html", ".htm", ".xhtml", ".shtml"] where lower.hasSuffix(ext) { return .html }
        return .text
    }
}

/// Where a document came from, and how its bytes were read.
public struct SourceFile: Hashable, Sendable, Codable {
    /// The path as given or found while walking directories.
    public var path: String
    public var format: SourceFormat
    /// The character encoding the bytes were decoded from (`utf-8`, `utf-16le`, `windows-1252`…).
    public var encoding: String
    /// Size of the file in bytes.
    public var byteCount: Int

    public init(path: String, format: SourceFormat, encoding: String = "utf-8", byteCount: Int = 0) {
        self.path = path
        self.format = format
        self.encoding = encoding
        self.byteCount = byteCount
    }
}
