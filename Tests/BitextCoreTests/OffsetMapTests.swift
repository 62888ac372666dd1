import Testing
@testable import BitextCore

@Suite struct OffsetMapTests {
    @Test func identityMapsOffsetsToThemselves() {
        #expect(OffsetMap.identity.sourceOffset(of: 42) == 42)
    }

    @Test func checkpointsShiftLaterOffsets() {
        var map = OffsetMap(checkpoints: [])
        map.add(text: 0, source: 3)  // a UTF-8 BOM
        map.add(text: 10, source: 14)  // a CRLF became LF before text offset 10
        #expect(map.sourceOffset(of: 0) == 3)
        #expect(map.sourceOffset(of: 9) == 12)
        #expect(map.sourceOffset(of: 10) == 14)
        #expect(map.sourceOffset(of: 20) == 24)
        #expect(map.checkpoints.count == 2)
    }

    @Test func redundantCheckpointsAreSkipped() {
        var map = OffsetMap(checkpoints: [])
        map.add(text: 5, source: 5)
        map.add(text: 7, source: 9)
        map.add(text: 9, source: 11)
        #expect(map.checkpoints == [.init(text: 7, source: 9)])
    }
}
