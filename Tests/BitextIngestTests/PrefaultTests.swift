import Testing

@testable import BitextIngest

@Suite struct PrefaultTests {
    @Test func populatingChangesNoByte() {
        let count = 3 * Prefault.minimumRegion + 123
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 1)
        defer { buffer.deallocate() }
        for i in 0..<count { buffer[i] = UInt8(truncatingIfNeeded: i &* 31) }
        // Unaligned edges, a region too small to advise, and an empty one.
        Prefault.populate(UnsafeMutableRawBufferPointer(rebasing: buffer[7..<(count - 5)]))
        Prefault.populate(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<100]))
        Prefault.populate(UnsafeMutableRawBufferPointer(start: nil, count: 0))
        #expect((0..<count).allSatisfy { buffer[$0] == UInt8(truncatingIfNeeded: $0 &* 31) })
    }

    /// Appends with `prepare` before each give the array plain appends give, across stretches
    /// and regrowths, from an empty array and from a reserved one.
    @Test(arguments: [0, 1000, 40_000])
    func preparedAppendsMatchPlainOnes(reserved: Int) {
        struct Wide: Equatable {
            var a: Int
            var b: String
            var c = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
            static func == (l: Wide, r: Wide) -> Bool { l.a == r.a && l.b == r.b }
        }
        var prepared: [Wide] = []
        var plain: [Wide] = []
        prepared.reserveCapacity(reserved)
        var ahead = PrefaultAhead()
        for i in 0..<60_000 {
            ahead.prepare(&prepared)
            prepared.append(Wide(a: i, b: i % 7 == 0 ? "item \(i)" : ""))
            plain.append(Wide(a: i, b: i % 7 == 0 ? "item \(i)" : ""))
        }
        #expect(prepared == plain)
    }
}
