/// A half-open range of UTF-8 byte offsets into a document's text.
///
/// UTF-8 is Swift's native string storage, so slicing is cheap and exact; writers
/// state the unit in every output file (`"offset_unit": "utf8"`).
public struct TextRange: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var start: Int
    public var end: Int

    /// Inlinable: blocks and sentences store their ranges narrowed and make one at each read.
    @inlinable
    public init(_ start: Int, _ end: Int) {
        precondition(start <= end, "TextRange start \(start) > end \(end)")
        self.start = start
        self.end = end
    }

    public var length: Int { end - start }
    public var isEmpty: Bool { start == end }
    public func contains(_ other: TextRange) -> Bool { start <= other.start && other.end <= end }
    public func overlaps(_ other: TextRange) -> Bool { start < other.end && other.start < end }

    /// Canonical stand-off order (UIMA): start ascending, then end descending,
    /// so that an enclosing annotation precedes what it encloses.
    public static func < (a: TextRange, b: TextRange) -> Bool {
        a.start != b.start ? a.start < b.start : a.end > b.end
    }

    public var description: String { "\(start)..<\(end)" }
}

/// A line and column in the source file, both 1-based. Columns count Unicode
/// scalars of the decoded line, which is what editors and `grep -n` users expect
/// for UTF-8 files.
public struct SourcePosition: Hashable, Sendable, Codable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    @inlinable
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public var description: String { "\(line):\(column)" }
}
