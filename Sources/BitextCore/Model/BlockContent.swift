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

    /// Both arguments are borrowed: an initializer would otherwise take its own copy of the
    /// document and the block (a retain per field) at every call, and callers make one per block.
    public init(block: borrowing Block, in document: borrowing Document) {
        let blockRange = block.range
        range = blockRange
        excluded = block.excluded.isEmpty ? [] : block.excluded.filter { blockRange.contains($0) }.sorted()
        text = Self.text(range: blockRange, excluded: excluded, foldsLineBreaks: block.foldsLineBreaks, in: document)
    }

    /// The reader's text of `block` (what `BlockContent(block:in:).text` holds), without
    /// the offset map: for callers that only want the string.
    public static func text(of block: Block, in document: Document) -> String {
        let excluded = block.excluded.isEmpty ? [] : block.excluded.filter { block.range.contains($0) }.sorted()
        return text(range: block.range, excluded: excluded, foldsLineBreaks: block.foldsLineBreaks, in: document)
    }

    private static func text(range: TextRange, excluded: [TextRange], foldsLineBreaks: Bool, in document: Document) -> String {
        if excluded.isEmpty && !foldsLineBreaks { return String(document.text(of: range)) }
        // Fast path: copy the kept bytes straight from the text's storage when every cut
        // falls on a character boundary (as ingest makes them).
        let fast: String?? = document.text.utf8.withContiguousStorageIfAvailable { utf8 in
            @inline(__always) func onBoundary(_ offset: Int) -> Bool { offset >= utf8.count || utf8[offset] & 0xC0 != 0x80 }
            guard range.end <= utf8.count, onBoundary(range.start), onBoundary(range.end),
                excluded.allSatisfy({ onBoundary($0.start) && onBoundary($0.end) })
            else { return nil }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, range.length)) { buffer in
                var count = 0
                var cursor = range.start
                func keep(_ end: Int) {
                    guard cursor < end else { return }
                    let piece = UnsafeBufferPointer(rebasing: utf8[cursor..<end])
                    _ = UnsafeMutableBufferPointer(rebasing: buffer[count..<(count + piece.count)]).initialize(from: piece)
                    count += piece.count
                }
                for cut in excluded where cut.start >= cursor {
                    keep(cut.start)
                    cursor = cut.end
                }
                keep(range.end)
                if foldsLineBreaks {
                    for i in 0..<count where buffer[i] == UInt8(ascii: "\n") { buffer[i] = UInt8(ascii: " ") }
                }
                return String(decoding: UnsafeBufferPointer(rebasing: buffer[0..<count]), as: UTF8.self)
            }
        }
        if let fast, let fast { return fast }
        return slowText(range: range, excluded: excluded, foldsLineBreaks: foldsLineBreaks, in: document)
    }

    private static func slowText(range block: TextRange, excluded: [TextRange], foldsLineBreaks: Bool, in document: Document) -> String {
        let block = (range: block, foldsLineBreaks: foldsLineBreaks)
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
        return String(decoding: bytes, as: UTF8.self)
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
