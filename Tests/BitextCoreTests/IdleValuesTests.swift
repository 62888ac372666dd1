import BitextCore
import Foundation
import Testing

@Suite struct IdleValuesTests {
    @Test func keepsWhatIsGivenBackAndHandsEachOutOnce() {
        let idle = IdleValues<[Int]>()
        #expect(idle.take() == nil)
        idle.giveBack([1])
        idle.giveBack([2, 2])
        let first = idle.take()
        let second = idle.take()
        #expect(Set([first, second].compactMap { $0 }) == [[1], [2, 2]])
        #expect(idle.take() == nil)
    }

    /// Tasks taking and giving back at once: every value is held by one task at a time, and
    /// none is lost or made twice.
    @Test func tasksShareValuesWithoutLosingAny() async {
        let idle = IdleValues<Int>()
        for value in 0..<4 { idle.giveBack(value) }
        let taken = await withTaskGroup(of: [Int].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var seen: [Int] = []
                    for _ in 0..<500 {
                        guard let value = idle.take() else { continue }
                        seen.append(value)
                        idle.giveBack(value)
                    }
                    return seen
                }
            }
            var all: [Int] = []
            for await seen in group { all += seen }
            return all
        }
        #expect(!taken.isEmpty && taken.allSatisfy { (0..<4).contains($0) })
        var left: [Int] = []
        while let value = idle.take() { left.append(value) }
        #expect(left.sorted() == [0, 1, 2, 3])
    }
}
