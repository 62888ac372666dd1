import BitextCore
import Foundation
import Testing

@testable import BitextPipeline

@Suite struct InputPrefetcherTests {
    static func units(_ count: Int) -> [WorkUnit] {
        (0..<count).map { WorkUnit(id: "u\($0)", inputs: [InputFile(path: "/nonexistent/bitext-prefetch/\($0).txt", relativePath: "\($0).txt")]) }
    }

    @Test func theWindowStaysAheadOfTheNextUnitInChunksAndNeverAsksTwice() {
        let lookahead = InputPrefetcher.lookahead(jobs: 2)
        let units = Self.units(200)
        var window = PrefetchWindow(jobs: 2)
        var asked: [Int] = []
        for next in units.indices {
            let range = window.advance(to: next, of: units)
            asked += Array(range)
            // Every unit up to `lookahead` past the one starting has been asked for.
            #expect(asked.count >= min(units.count, next + lookahead))
        }
        // Each unit once, in order, and one hand-over per chunk after the first.
        #expect(asked == Array(units.indices))
    }

    @Test func aShortBatchIsAskedForWholeAndNoFurther() {
        let units = Self.units(3)
        var window = PrefetchWindow(jobs: 4)
        #expect(window.advance(to: 0, of: units) == 0..<3)
        #expect(window.advance(to: 1, of: units).isEmpty)
        #expect(window.advance(to: 2, of: units).isEmpty)
    }

    /// Advice on a missing file, a directory, an empty file or a named pipe is skipped without
    /// blocking (a FIFO opened for reading would wait for a writer without O_NONBLOCK), and
    /// leaves a regular file as it was.
    @Test func adviceSkipsWhatIsNoRegularFileWithoutBlocking() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pipe = dir.appendingPathComponent("pipe.txt").path
        #expect(mkfifo(pipe, 0o644) == 0)
        let empty = dir.appendingPathComponent("empty.txt").path
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        let text = dir.appendingPathComponent("a.txt").path
        #expect(FileManager.default.createFile(atPath: text, contents: Data("Hello.\n".utf8)))
        for path in [pipe, empty, text, dir.path, dir.appendingPathComponent("missing.txt").path] {
            InputPrefetcher.adviseWillNeed(path)
        }
        #expect(FileManager.default.contents(atPath: text) == Data("Hello.\n".utf8))
        #expect(FileManager.default.fileExists(atPath: pipe))
    }
}
