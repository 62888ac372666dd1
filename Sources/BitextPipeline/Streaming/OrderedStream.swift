import Dispatch
import Foundation

/// Runs a line-to-line function over a stream of lines, several lines at once, and writes the
/// results in input order as soon as each is next in line.
///
/// Memory is bounded by `window`: the reader takes a line only when fewer than `window` lines
/// are read but not yet written, so however long the stream, at most `window` inputs and
/// outputs are held. A result is written the moment it is next in order, even while the reader
/// waits for more input — a client may send one record and wait for its answer.
public struct OrderedStream: Sendable {
    /// Lines processed at once.
    public var jobs: Int
    /// Lines read but not yet written, at most (≥ `jobs`).
    public var window: Int

    public init(jobs: Int, window: Int? = nil) {
        self.jobs = max(1, jobs)
        self.window = max(self.jobs, window ?? 4 * self.jobs)
    }

    public struct Summary: Sendable, Equatable {
        /// Records written.
        public var records: Int
        public var failed: Int
        /// Whether `write` refused an output (nobody reads ours any more) and the run stopped.
        public var stopped = false
    }

    private enum Event: Sendable {
        case line(sequence: Int, number: Int, text: String)
        case result(sequence: Int, StreamProcessor.Output)
        case end(records: Int)
    }

    /// - Parameters:
    ///   - readLine: Blocking source of lines without their line feed; nil at the end. Called on a
    ///     thread of its own. Blank lines are skipped (they still count for line numbers).
    ///   - process: The work for one line and its 1-based line number.
    ///   - write: Takes each output in order; returns false to stop (the reader of our output is gone).
    public func run(
        readLine: @escaping @Sendable () -> String?,
        process: @escaping @Sendable (String, Int) -> StreamProcessor.Output,
        write: (StreamProcessor.Output) -> Bool
    ) async -> Summary {
        let (events, continuation) = AsyncStream<Event>.makeStream()
        let slots = DispatchSemaphore(value: window)
        Thread.detachNewThread {
            var records = 0
            var number = 0
            while true {
                slots.wait()
                var line: String?
                repeat {
                    line = readLine()
                    number += 1
                } while line.map(Self.isBlank) == true
                guard let line else {
                    slots.signal()  // give the slot back: a semaphore must end as it began
                    break
                }
                continuation.yield(.line(sequence: records, number: number, text: line))
                records += 1
            }
            continuation.yield(.end(records: records))
        }

        var waiting: [(sequence: Int, number: Int, text: String)] = []
        var running = 0
        var finished: [Int: StreamProcessor.Output] = [:]
        var nextToWrite = 0
        var total: Int?
        var summary = Summary(records: 0, failed: 0)
        // Unstructured tasks rather than a task group: a group keeps every finished child until
        // it is awaited, which grows with the stream. Every task is awaited here all the same:
        // the loop ends only when its result has arrived.
        events: for await event in events {
            switch event {
            case .line(let sequence, let number, let text):
                waiting.append((sequence, number, text))
            case .result(let sequence, let output):
                running -= 1
                finished[sequence] = output
                while let output = finished.removeValue(forKey: nextToWrite) {
                    nextToWrite += 1
                    summary.records += 1
                    if output.failed { summary.failed += 1 }
                    // Nobody reads our output any more: stop (the reader thread stays parked).
                    guard write(output) else {
                        summary.stopped = true
                        break events
                    }
                    slots.signal()
                }
            case .end(let records):
                total = records
            }
            while running < jobs, !waiting.isEmpty {
                let item = waiting.removeFirst()
                running += 1
                Task { continuation.yield(.result(sequence: item.sequence, process(item.text, item.number))) }
            }
            if let total, nextToWrite == total { break }
        }
        continuation.finish()
        return summary
    }

    static func isBlank(_ line: String) -> Bool { line.allSatisfy(\.isWhitespace) }
}
