import BitextCore
import Testing

@testable import BitextOutput

/// `UnitView.paragraphIndex`: a side that shows its whole document in order answers without a
/// table; every side answers as its block list says (a block's position on the side, nil for
/// a block not on it or out of range).
@Suite struct ParagraphIndexTests {
    @Test(arguments: [
        ([Int](), 0), ([], 3), ([0], 1), ([0, 1, 2, 3], 4), ([0, 1, 2], 4), ([1, 2, 3], 4), ([0, 2, 1], 3), ([3, 0], 4), ([0, 1, 1, 2], 3),
    ])
    func answersAsTheSideSays(blocks: [Int], blockCount: Int) {
        let index = UnitView.paragraphIndex(of: Side(document: 0, blocks: LinkPositions(blocks)), blockCount: blockCount)
        for block in -1...blockCount + 1 {
            #expect(index[block] == blocks.lastIndex(of: block), "\(blocks) of \(blockCount): block \(block)")
        }
    }
}
