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
        let opened = PrefetchedInputs()
        let paths = (0...opened.maxKept).map { dir.appendingPathComponent("\($0).txt").path }
        for path in paths { #expect(FileManager.default.createFile(atPath: path, contents: Data("x\n".utf8))) }
        let isOpen = { (fd: Int32) in fcntl(fd, F_GETFD) != -1 }

        // Asked for by a worker before the prefetch thread came: skipped by it.
        opened.expect([paths[0]])
        #expect(opened.take(paths[0]) == nil)
        #expect(!opened.claim(paths[0]))
        // Not handed over: not opened.
        #expect(!opened.claim(paths[1]))

        opened.expect(paths)
        var kept: [(fd: Int32, path: String)] = []
        for path in paths {
            #expect(opened.claim(path))
            let fd = try #require(InputPrefetcher.adviseWillNeed(path))
            opened.settle(path, descriptor: fd)
            if isOpen(fd) { kept.append((fd, path)) }
        }
        #expect(kept.count == opened.maxKept)
        #expect(kept.count > 2 && kept[1].path == paths[1])
        #expect(opened.take(paths[1]) == kept[1].fd)
        #expect(opened.take(paths[1]) == nil)
        close(kept[1].fd)
        opened.closeAll()
        // Closed: the number no longer names that file (tests running alongside may have been
        // given the same number for a file of their own since).
        let stillOpenOnItsFile = { (fd: Int32, path: String) -> Bool in
            var open = stat(), file = stat()
            return fstat(fd, &open) == 0 && stat(path, &file) == 0 && open.st_ino == file.st_ino && open.st_dev == file.st_dev
        }
        #expect(kept.enumerated().allSatisfy { $0.offset == 1 || !stillOpenOnItsFile($0.element.fd, $0.element.path) })
        #expect(opened.take(paths[2]) == nil)
        opened.expect([paths[2]])
        #expect(!opened.claim(paths[2]))
        #expect(opened.remembered == 0)
    }

    /// Review of session 21: a worker that asked for a path the prefetch thread had passed
    /// without keeping a descriptor (none left to keep, or the file empty) was remembered to
    /// the end of the batch, one path per such input (some 13% of 1,000 pairs' inputs); now
    /// nothing is remembered past a worker's read.
    @Test func pathsAreForgottenOnceTheirWorkerReadThem() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let opened = PrefetchedInputs(maxKept: 2)
        let paths = (0..<10).map { dir.appendingPathComponent("\($0).txt").path }
        for path in paths { #expect(FileManager.default.createFile(atPath: path, contents: Data("x\n".utf8))) }
        opened.expect(paths)
        for path in paths {
            #expect(opened.claim(path))
            opened.settle(path, descriptor: InputPrefetcher.adviseWillNeed(path))
        }
        for path in paths {
            if let fd = opened.take(path) { close(fd) }
        }
        #expect(opened.remembered == 0)
        opened.closeAll()
    }

    /// Review of session 21: a descriptor the prefetch thread opened while the worker read
    /// the file itself was kept, unclaimed, to the end of the batch (taking one of the places
    /// for descriptors); it is closed at once.
    @Test func aDescriptorOpenedWhileItsWorkerReadTheFileIsClosed() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("a.txt").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data("x\n".utf8)))
        let opened = PrefetchedInputs()
        opened.expect([path])
        #expect(opened.claim(path))
        #expect(opened.take(path) == nil)  // the worker, while the thread opens it
        let fd = try #require(InputPrefetcher.adviseWillNeed(path))
        opened.settle(path, descriptor: fd)
        #expect(fcntl(fd, F_GETFD) == -1)
        #expect(opened.remembered == 0)
        opened.closeAll()
    }

    /// Review of session 21: a window of pairs' inputs fits in the descriptors kept (64 held
    /// 72 of one job's window, 80 of two's: the rest were opened twice).
    @Test func aWindowOfPairsFitsInTheDescriptorsKept() {
        for jobs in 1...8 {
            let window = InputPrefetcher.lookahead(jobs: jobs) + InputPrefetcher.chunk + jobs
            #expect(InputPrefetcher.keptDescriptors(jobs: jobs, openFileLimit: 1_024) >= 2 * window)
        }
        #expect(InputPrefetcher.keptDescriptors(jobs: 1000) <= InputPrefetcher.maxKeptDescriptors)
    }

    /// Under a low `ulimit -n` the prefetcher keeps no more than a quarter of the limit, so the
    /// workers' own opens and the staged outputs still find descriptors.
    @Test(arguments: [0, 3, 64, 256, 1_024, Int.max])
    func theDescriptorsKeptStayUnderAQuarterOfTheLimit(limit: Int) {
        for jobs in [1, 2, 8, 64] {
            #expect(InputPrefetcher.keptDescriptors(jobs: jobs, openFileLimit: limit) <= limit / 4)
        }
        #expect(InputPrefetcher.openFileLimit > 0)
    }
}
