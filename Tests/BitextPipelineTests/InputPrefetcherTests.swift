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
    /// A descriptor the prefetch thread keeps goes to the one worker that asks for its path;
    /// a path a worker asked for first is not opened again; at most `maxKept` are held, and
    /// `closeAll` closes what no worker took and keeps nothing after.
    @Test func keptDescriptorsGoToOneWorkerAndAreClosedAtTheEnd() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let paths = (0...PrefetchedInputs.maxKept).map { dir.appendingPathComponent("\($0).txt").path }
        for path in paths { #expect(FileManager.default.createFile(atPath: path, contents: Data("x\n".utf8))) }
        let opened = PrefetchedInputs()
        let isOpen = { (fd: Int32) in fcntl(fd, F_GETFD) != -1 }

        // Asked for by a worker before the prefetch thread came: skipped by it, once.
        #expect(opened.take(paths[0]) == nil)
        #expect(!opened.awaits(paths[0]))
        #expect(opened.awaits(paths[0]))

        var descriptors: [Int32] = []
        for path in paths {
            let fd = try #require(InputPrefetcher.adviseWillNeed(path))
            if opened.keep(fd, for: path) { descriptors.append(fd) } else { close(fd) }
        }
        #expect(descriptors.count == PrefetchedInputs.maxKept)
        #expect(opened.take(paths[1]) == descriptors[1])
        #expect(opened.take(paths[1]) == nil)
        close(descriptors[1])
        opened.closeAll()
        #expect(descriptors.enumerated().allSatisfy { $0.offset == 1 || !isOpen($0.element) })
        #expect(opened.take(paths[2]) == nil)
        let late = try #require(InputPrefetcher.adviseWillNeed(paths[2]))
        #expect(!opened.keep(late, for: paths[2]))
        close(late)
    }
}
