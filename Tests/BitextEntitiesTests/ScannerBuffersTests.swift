import Testing
@testable import BitextEntities

/// The buffer pool keeps a document's arrays for the next document only while they are small:
/// a long document of many short blocks grows the marks, block facts and sets, not the tokens.
@Suite struct ScannerBuffersTests {
    @Test func emptyBuffersAreKept() {
        #expect(ScannerBuffers().isSmallEnoughToKeep)
    }

    @Test(arguments: ["tokens", "claimed", "blockFacts", "runs", "lowercaseSeen"])
    func oneLargeArrayOrSetIsNotKept(_ field: String) {
        var buffers = ScannerBuffers()
        let large = ScannerBuffers.keptElements * 4
        switch field {
        case "tokens": buffers.tokens.storage.reserveCapacity(large)
        case "claimed": buffers.claimed.append(contentsOf: Array(repeating: false, count: large))
        case "blockFacts": buffers.blockFacts.reserveCapacity(large)
        case "runs": buffers.runs.keys = Array(repeating: 1, count: large)
        default: buffers.lowercaseSeen = HashSet64(1...UInt64(large))
        }
        buffers.empty()
        #expect(!buffers.isSmallEnoughToKeep)
    }
}
