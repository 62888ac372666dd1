/// A block's text as a reader sees it, and the way back to document offsets.
///
/// The text is the block's range with its `excluded` markup left out and, where the block
/// folds line breaks, each `\n` read as a space. Folding is byte-for-byte, so the only
/// offset shifts come from excluded ranges: stages that work on this string (sentence
/// splitting, entity rules) map their results back with `documentRange(of:)`.
public struct BlockContent: Sendable {
    public let text: String
    /// The block's range in the document.
    public let range: TextRange
    /// Excluded ranges inside `range`, sorted and disjoint.
    private let excluded: [TextRange]

    public init(block: Block, in document: Document) {
        range = block.range
        excluded = block.excluded.filter { block.range.contains($0) }.sorted()
        if excluded.isEmpty && !block.foldsLineBreaks {
            text = String(document.text(of: block.range))
            return
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(block.range.length)
        var cursor = block.range.start
        for cut in excluded + [TextRange(block.range.end, block.range.end)] where cut.start >= cursor {
            bytes.append(contentsOf: document.text(of: TextRange(cursor, cut.start)).utf8)
            cursor = cut.end
        }
        if block.foldsLineBreaks {
            for i in bytes.indices where bytes[i] == UInt8(ascii: "\n") { bytes[i] = UInt8(ascii: " ") }
        }
        text = String(decoding: bytes, as: UTF8.self)
    }

    /// The document offset of a UTF-8 offset in `text` (the first byte at or after it that
    /// is not excluded).
    public func documentOffset(of local: Int) -> Int {
        var offset = range.start + local
        for cut in excluded {
            guard cut.start <= offset else { break }
            offset += cut.length
        }
        return offset
    }

    /// The document range of a UTF-8 range in `text`.
    public func documentRange(of local: Range<Int>) -> TextRange {
        let start = documentOffset(of: local.lowerBound)
        let end = local.isEmpty ? start : documentOffset(of: local.upperBound - 1) + 1
        return TextRange(start, end)
    }
}
