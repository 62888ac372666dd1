import BitextTestSupport
import Testing

@testable import BitextEntities

/// A document's entities are put in order by moving them in place (`EntityExtractor.move`):
/// the result must be what copying them out in that order gives.
@Suite struct MoveIntoOrderTests {
    @Test func movesAsMapCopies() {
        var generator = SplitMix64(seed: 26)
        for count in Array(0...12) + [50, 333, 2000] {
            for _ in 0..<20 {
                let elements = (0..<count).map { "e\($0)-\(Int.random(in: 0...9, using: &generator))" }
                let order = Array(elements.indices).shuffled(using: &generator)
                var moved = elements
                var used = order.map { Int32($0) }
                EntityExtractor.move(&moved, into: &used)
                #expect(moved == order.map { elements[$0] })
            }
        }
    }

    /// Orders with fixed points, one long cycle, and many two-element cycles.
    @Test func movesEveryCycleShape() {
        let count = 101
        let elements = (0..<count).map { $0 * 7 }
        let shapes: [[Int]] = [
            Array(0..<count),
            (0..<count).map { ($0 + 1) % count },
            (0..<count).map { $0 == count - 1 ? $0 : ($0 % 2 == 0 ? $0 + 1 : $0 - 1) },
            Array((0..<count).reversed()),
        ]
        for order in shapes {
            var moved = elements
            var used = order.map { Int32($0) }
            EntityExtractor.move(&moved, into: &used)
            #expect(moved == order.map { elements[$0] })
        }
    }
}
