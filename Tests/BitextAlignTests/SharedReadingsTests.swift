import Testing

@testable import BitextAlign

@Suite struct SharedReadingsTests {
    /// Keys get the values 0, 1, 2… in the order first met, across the map's growth (it
    /// starts at 1,024 slots and doubles at half full), and keep them.
    @Test(arguments: [1, 511, 512, 513, 3_000])
    func idMapNumbersKeysInTheOrderMet(keys: Int) {
        var map = IDMap()
        // Spread keys, some colliding in the low bits the hash reads (multiples of 4,096).
        let spread = (0..<keys).map { Int32(($0 * 4_096 + $0 % 7) % Int(Int32.max)) }
        for (k, key) in spread.enumerated() {
            let (value, inserted) = map.valueOrInsertNext(key)
            #expect(inserted && value == Int32(k))
            #expect(map.keyCount == k + 1)
        }
        for (k, key) in spread.enumerated().reversed() {
            let (value, inserted) = map.valueOrInsertNext(key)
            #expect(!inserted && value == Int32(k))
        }
        #expect(map.keyCount == keys)
    }
}
