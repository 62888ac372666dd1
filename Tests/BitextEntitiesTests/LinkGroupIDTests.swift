import BitextCore
import Testing
@testable import BitextEntities

/// The id the linker gives a link's group of mentions (`Entity.linkID`) is written digit by
/// digit: it must give what concatenating `String(Int)`s (the way it replaced) gives, for
/// every size of number.
@Suite struct LinkGroupIDTests {
    func concatenated(_ link: Int, _ group: Int) -> String { "L" + String(link) + "-" + String(group) }

    @Test func smallNumbersAsConcatenated() {
        for link in 0..<1_200 {
            for group in 0..<25 {
                #expect(Entity.linkID(link: link, group: group) == concatenated(link, group))
            }
        }
    }

    @Test func everyDigitCountAsConcatenated() {
        // Each power of ten and its neighbours, up to the largest Int (long strings, not inline).
        var edges = [0, 1, Int.max, Int.max - 1]
        var power = 1
        while power <= Int.max / 10 {
            power *= 10
            edges += [power - 1, power, power + 1]
        }
        for link in edges {
            for group in edges {
                #expect(Entity.linkID(link: link, group: group) == concatenated(link, group))
            }
        }
    }

    @Test func pseudoRandomNumbersAsConcatenated() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let link = Int.random(in: 0...Int.max, using: &generator) >> Int.random(in: 0...62, using: &generator)
            let group = Int.random(in: 0...100_000, using: &generator)
            #expect(Entity.linkID(link: link, group: group) == concatenated(link, group))
        }
    }
}
