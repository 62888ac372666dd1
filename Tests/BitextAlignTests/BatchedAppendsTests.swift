import Testing

@testable import BitextAlign

@Suite struct BatchedAppendsTests {
    /// Appends of single ids and of runs (empty, short, longer than the stack room) in every
    /// mix end as the same appends to the array itself, counted as they go.
    @Test(arguments: [0, 1, 7, 255, 256, 257, 600, 5_000])
    func appendsEndAsAppendsToTheArrayItself(total: Int) {
        var expected: [Int32] = [-1, -2]
        var list: [Int32] = [-1, -2]
        let runs: [[Int32]] = [[], [9], Array(0..<40), Array(0..<300)]
        var counts: [Int] = []
        var expectedCounts: [Int] = []
        BatchedAppends.appending(to: &list) { appends in
            var k = 0
            while k < total {
                if k % 11 == 3 {
                    let run = runs[k % runs.count]
                    run.withUnsafeBufferPointer { appends.append(contentsOf: $0) }
                    expected.append(contentsOf: run)
                } else {
                    appends.append(Int32(k))
                    expected.append(Int32(k))
                }
                counts.append(appends.count)
                expectedCounts.append(expected.count)
                k += 1
            }
        }
        #expect(list == expected)
        #expect(counts == expectedCounts)
    }

    @Test func theBodysResultIsReturned() {
        var list: [Int] = []
        let result = BatchedAppends.appending(to: &list) { appends -> String in
            appends.append(4)
            return "done"
        }
        #expect(result == "done")
        #expect(list == [4])
    }
}
