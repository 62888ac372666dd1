/// Eight bytes at a time: whether a word of text holds a byte an escaping loop must look at.
/// A word with none joins the run being copied whole, instead of being tested byte by byte
/// (the XML writers' escaping tested every byte: 1.6% of the default pipeline).
enum ByteWords {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let high: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes at `offset` (at most `bytes.count - 8`), the first in the low byte.
    @inline(__always)
    static func load(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + offset).loadUnaligned(as: UInt64.self))
    }

    /// Whether any byte of `word` is `byte`. (Exact for the word; a borrow may also mark
    /// the byte above a hit, which only matters to a caller that wants the positions.)
    @inline(__always)
    static func contains(_ word: UInt64, _ byte: UInt8) -> Bool {
        let x = word ^ (UInt64(byte) &* ones)
        return (x &- ones) & ~x & high != 0
    }

    /// Whether any byte of `word` is below `limit` (at most 0x80).
    @inline(__always)
    static func containsBelow(_ word: UInt64, _ limit: UInt8) -> Bool {
        (word &- UInt64(limit) &* ones) & ~word & high != 0
    }

    /// Whether an XML or HTML escaping loop passes over all of `word`: none of its bytes is
    /// `&`, `<`, `>`, `"`, `extra`, or below `limit`.
    @inline(__always)
    static func isPlainMarkupText(_ word: UInt64, below limit: UInt8, extra: UInt8) -> Bool {
        !containsBelow(word, limit) && !contains(word, UInt8(ascii: "&")) && !contains(word, UInt8(ascii: "<"))
            && !contains(word, UInt8(ascii: ">")) && !contains(word, UInt8(ascii: "\"")) && !contains(word, extra)
    }
}
