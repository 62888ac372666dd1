import BitextTestSupport
import Testing

@testable import BitextOutput

@Suite struct DecimalDigitsTests {
    @Test(arguments: [0, 1, -1, 9, 10, -10, 99, 100, 12_345, -987_654_321, Int(Int32.max), Int.max, Int.min, Int.min + 1])
    func writesWhatStringWrites(value: Int) {
        var bytes: [UInt8] = [0x2A]
        bytes.appendDecimal(value)
        #expect(bytes == [0x2A] + Array(String(value).utf8))
    }

    @Test func randomNumbersOfEveryLength() {
        var random = SplitMix64(seed: 31)
        for _ in 0..<2_000 {
            let value = Int(truncatingIfNeeded: random.next()) >> random.below(64)
            var bytes: [UInt8] = []
            bytes.appendDecimal(value)
            #expect(String(decoding: bytes, as: UTF8.self) == String(value))
        }
    }
}
