import Testing

@testable import BitextEntities

/// `Lexicon.isCommonWord` reads all of a word's filter bits before testing them: the same
/// answers as stopping at the first clear bit.
@Suite struct CommonWordTests {
    static func stoppingAtFirstClearBit(_ lexicon: Lexicon, _ hash: UInt64) -> Bool {
        guard lexicon.bloomBits > 0 else { return false }
        let h1 = hash & 0xFFFF_FFFF
        let h2 = (hash >> 32) | 1
        for i in 0..<lexicon.bloomHashes {
            let bit = (((h1 &+ i &* h2) & 0xFFFF_FFFF) &* lexicon.bloomBits) >> 32
            if lexicon.bloom[Int(bit >> 6)] & (1 << (bit & 63)) == 0 { return false }
        }
        return true
    }

    @Test func sameAnswersAsStoppingEarly() {
        let lexicon = Lexicon.shared
        #expect(lexicon.bloomBits > 0)
        let words = ["when", "the", "government", "council", "haiti", "port", "naciones", "gobierno", "xqzv", "dupont", "no", "report"]
        var hashes = words.map { foldedHash($0) }
        var state: UInt64 = 0x1234_5678
        for _ in 0..<50_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            hashes.append(state)
        }
        var common = 0
        for h in hashes {
            // (A bit past the filter's words would trap the reference: such hashes are left out.)
            let h1 = h & 0xFFFF_FFFF, h2 = (h >> 32) | 1
            let inRange = (0..<lexicon.bloomHashes).allSatisfy { i in
                Int(((((h1 &+ i &* h2) & 0xFFFF_FFFF) &* lexicon.bloomBits) >> 32) >> 6) < lexicon.bloom.count
            }
            guard inRange else { continue }
            let expected = Self.stoppingAtFirstClearBit(lexicon, h)
            #expect(lexicon.isCommonWord(h) == expected)
            if expected { common += 1 }
        }
        #expect(common >= 4)
        #expect(lexicon.isCommonWord(foldedHash("the")) && !lexicon.isCommonWord(foldedHash("xqzv")))
    }
}
