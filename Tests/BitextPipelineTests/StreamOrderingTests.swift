import Dispatch
import Foundation
import Testing

@testable import BitextPipeline

/// Counts shared between the reader thread, the workers and the writer of a test stream.
private final class Counters: @unchecked Sendable {
    private let lock = NSLock()
    private var read = 0
    private var written = 0
    private var largestGap = 0
    private var running = 0
    private var largestRunning = 0

    func didRead() {
        lock.withLock {
            read += 1
            largestGap = max(largestGap, read - written)
        }
    }
    func didWrite() { lock.withLock { written += 1 } }
    func start() { lock.withLock { running += 1; largestRunning = max(largestRunning, running) } }
    func stop() { lock.withLock { running -= 1 } }
    var gap: Int { lock.withLock { largestGap } }
    var concurrency: Int { lock.withLock { largestRunning } }
    /// Lines read and not yet written, now.
    var pending: Int { lock.withLock { read - written } }
}

/// The line numbers of each group a job was handed, in the order the job got them.
private final class Groups: @unchecked Sendable {
    private let lock = NSLock()
    private var groups: [[Int]] = []
    func add(_ group: [Int]) { lock.withLock { groups.append(group) } }
    var all: [[Int]] { lock.withLock { groups } }
}

/// Hands out lines one by one from another thread.
private final class LineSource: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String]
    init(_ lines: [String]) { self.lines = lines.reversed() }
    func next() -> String? { lock.withLock { lines.popLast() } }
}

// Serialized: two of these tests hold a cooperative thread while they wait (one for a second
// record in flight, one for an answer), and run side by side on a 2-core machine under
// ThreadSanitizer each could wait out its deadline for the thread the other held.
@Suite(.serialized) struct StreamOrderingTests {
    private func output(_ text: String, failed: Bool = false) -> StreamProcessor.Output {
        StreamProcessor.Output(line: Array((text + "\n").utf8), failed: failed)
    }

    @Test func outputsKeepInputOrderAndTheWindowBoundsWhatIsHeld() async {
        let counters = Counters()
        let source = LineSource((0..<300).map { "record \($0)" } + ["", "   "])
        var written: [String] = []
        let stream = OrderedStream(jobs: 4, window: 8)
        let summary = await stream.run(
            readLine: {
                let line = source.next()
                // Blank lines are skipped at once and take no room.
                if let line, !line.allSatisfy(\.isWhitespace) { counters.didRead() }
                return line
            },
            process: { text, number in
                counters.start()
                defer { counters.stop() }
                // The first record waits until a second one is in process: records run at once.
                // (The deadline only turns a bug into a failure; parallel tests can hold threads.)
                let deadline = Date().addingTimeInterval(120)
                while number == 1 && counters.concurrency < 2 && Date() < deadline { usleep(1000) }
                // Uneven work, so that later records often finish first.
                usleep(UInt32((number * 7919) % 5) * 300)
                return self.output("\(number): \(text)", failed: number % 50 == 0)
            },
            write: { output in
                written.append(String(decoding: output.line.dropLast(), as: UTF8.self))
                counters.didWrite()
                return true
            })
        #expect(written == (0..<300).map { "\($0 + 1): record \($0)" })
        #expect(summary == OrderedStream.Summary(records: 300, failed: 6))
        #expect(counters.gap <= 8, "lines read but not written never exceed the window")
        #expect(counters.concurrency <= 4)
        #expect(counters.concurrency > 1, "records are processed at once")
    }

    @Test func eachAnswerIsWrittenBeforeTheNextRecordArrives() async {
        // A client that sends one record and waits for its answer before sending the next.
        let answered = DispatchSemaphore(value: 0)
        let counters = Counters()
        let source = LineSource((0..<5).map { "q\($0)" })
        let summary = await OrderedStream(jobs: 2).run(
            readLine: {
                // Wait for the previous answer, as an interactive client does. The time limit only
                // turns a deadlock into a failure; it is generous because parallel tests can keep
                // the cooperative threads busy for a while.
                if counters.pending > 0 && answered.wait(timeout: .now() + 120) == .timedOut { return nil }
                counters.didRead()
                return source.next()
            },
            process: { text, _ in self.output(text) },
            write: { _ in
                counters.didWrite()
                answered.signal()
                return true
            })
        #expect(summary.records == 5, "no deadlock: every record was answered while the input stayed open")
    }

    @Test func linesThatWaitForABusyJobGoTogetherInOrder() async {
        // One job, held on the first line until the others have been read: they wait, and go
        // to the job in groups of at most `groupLimit`, consecutive and in order.
        let source = LineSource((0..<40).map { "r\($0)" })
        let counters = Counters()
        let groups = Groups()
        let summary = await OrderedStream(jobs: 1, window: 40, groupLimit: 16).run(
            readLine: {
                let line = source.next()
                if line != nil { counters.didRead() }
                return line
            },
            processGroup: { lines in
                let deadline = Date().addingTimeInterval(120)
                while lines[0].number == 1 && counters.pending < 40 && Date() < deadline { usleep(1000) }
                groups.add(lines.map(\.number))
                return lines.map { self.output($0.text) }
            },
            write: { _ in
                counters.didWrite()
                return true
            })
        #expect(summary.records == 40)
        #expect(groups.all == [[1], Array(2...17), Array(18...33), Array(34...40)])
    }

    @Test func aClosedOutputStopsTheStream() async {
        let source = LineSource((0..<1000).map { "r\($0)" })
        var writes = 0
        let summary = await OrderedStream(jobs: 2, window: 4).run(
            readLine: { source.next() },
            process: { text, _ in self.output(text) },
            write: { _ in
                writes += 1
                return writes < 3
            })
        #expect(summary.stopped)
        #expect(summary.records == 3)
    }

    @Test func emptyInputWritesNothing() async {
        let summary = await OrderedStream(jobs: 3).run(readLine: { nil }, process: { text, _ in self.output(text) }, write: { _ in true })
        #expect(summary == OrderedStream.Summary(records: 0, failed: 0))
    }
}
