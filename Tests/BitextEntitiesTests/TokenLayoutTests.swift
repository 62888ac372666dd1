import Testing

@testable import BitextEntities

/// A document's scanner keeps every token of a document of up to 1 MB (one per four bytes of
/// text): a token stays 32 bytes, and its packed fields give back what it was made with.
@Suite struct TokenLayoutTests {
    @Test func tokenIsThirtyTwoBytes() {
        #expect(MemoryLayout<Token>.stride == 32)
    }

    @Test func packedFieldsRoundTrip() {
        for start in [0, 7, 1 << 31, (1 << 40) + 3] {
            for byteCount in [1, 3, 65_536, (1 << 32) - 1] {
                for flags in 0..<16 {
                    let t = Token(start: start, end: start + byteCount, kind: .word, isCapitalized: flags & 1 != 0,
                                  isAllCaps: flags & 2 != 0, spaceBefore: flags & 4 != 0, newlineBefore: flags & 8 != 0,
                                  hash: 0xDEAD_BEEF, scalar: 0x20AC, length: byteCount, classes: .month)
                    #expect(t.start == start && t.end == start + byteCount)
                    #expect(t.isCapitalized == (flags & 1 != 0) && t.isAllCaps == (flags & 2 != 0))
                    #expect(t.spaceBefore == (flags & 4 != 0) && t.newlineBefore == (flags & 8 != 0))
                    #expect(t.length == min(byteCount, 65_535))
                    #expect(t.hash == 0xDEAD_BEEF && t.scalar == 0x20AC && t.isA(.month) && t.kind == .word)
                }
            }
        }
    }
}
