import Dispatch
import Foundation

/// Runs a line-to-line function over a stream of lines, several lines at once, and writes the
/// results in input order as soon as each is next in line.
///
/// Memory is bounded by `window`: the reader takes a line only when fewer than `window` lines
/// are read but not yet written, so however long the stream, at most `window` inputs and
/// outputs are held. A result is written the moment it is next in order, even while the reader
/// waits for more input — a client may send one record and wait for its answer.
///
/// Lines that wait while every job is busy are handed to the next free job together, up to
/// `groupLimit` of them (`BatchRunner.process(_:context:)` runs a group's stages one at a time
/// over all its units, which keeps each stage's tables in the caches); a line that arrives
/// while a job is free goes alone, at once.
public struct OrderedStream: Sendable {
    /// Lines processed at once.
    public var jobs: Int
    /// Lines read but not yet written, at most (≥ `jobs`).
    public var window: Int
    /// Lines handed to one job at a time, at most.
    public var groupLimit: Int

    /// `window` defaults to `groupLimit` lines per job, so that a busy stream can fill groups.
    public init(jobs: Int, window: Int? = nil, groupLimit: Int = BatchRunner.unitsPerGroup) {
        self.jobs = max(1, jobs)
        self.groupLimit = max(1, groupLimit)
        self.window = max(self.jobs, window ?? max(4, self.groupLimit) * self.jobs)
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
        /// The outputs of lines `first`, `first + 1`, …: a group is consecutive lines.
        case results(first: Int, [StreamProcessor.Output])
        case end(records: Int)
    }

    /// `run(readLine:processGroup:write:)` with lines processed one by one, even in a group.
    public func run(
        readLine: @escaping @Sendable () -> String?,
        process: @escaping @Sendable (String, Int) -> StreamProcessor.Output,
        write: (StreamProcessor.Output) -> Bool
    ) async -> Summary {
        await run(readLine: readLine, processGroup: { lines in lines.map { process($0.text, $0.number) } }, write: write)
    }

    /// - Parameters:
    ///   - readLine: Blocking source of lines without their line feed; nil at the end. Called on a
    ///     thread of its own. Blank lines are skipped (they still count for line numbers).
    ///   - processGroup: The work for consecutive lines with their 1-based line numbers: one
    ///     output per line, in order.
    ///   - write: Takes each output in order; returns false to stop (the reader of our output is gone).
    public func run(
        readLine: @escaping @Sendable () -> String?,
        processGroup: @escaping @Sendable ([(text: String, number: Int)]) -> [StreamProcessor.Output],
        write: (StreamProcessor.Output) -> Bool
    ) async -> Summary {
        let numbering = LineNumbering()
        return await run(
            readRecord: {
                var line: String?
                repeat {
                    line = readLine()
                    numbering.number += 1
                } while line.map(Self.isBlank) == true
                return line.map { ($0, numbering.number) }
            }, processGroup: processGroup, write: write)
    }

    /// `run(readLine:processGroup:write:)` with lines that come numbered, and none blank
    /// (a supervised stream's, `StreamSupervisor`).
    public func run(
        readRecord: @escaping @Sendable () -> (text: String, number: Int)?,
        processGroup: @escaping @Sendable ([(text: String, number: Int)]) -> [StreamProcessor.Output],
        write: (StreamProcessor.Output) -> Bool
    ) async -> Summary {
        let (events, continuation) = AsyncStream<Event>.makeStream()
        let slots = DispatchSemaphore(value: window)
        Thread.detachNewThread {
            var records = 0
            while true {
                slots.wait()
                guard let (text, number) = readRecord() else {
                    slots.signal()  // give the slot back: a semaphore must end as it began
                    break
                }
                continuation.yield(.line(sequence: records, number: number, text: text))
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
            case .results(let first, let outputs):
                running -= 1
                for (k, output) in outputs.enumerated() { finished[first + k] = output }
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
                // The waiting lines shared among the free jobs, `groupLimit` at most to one.
                let free = jobs - running
                let size = min(groupLimit, (waiting.count + free - 1) / free)
                let group = waiting.prefix(size)
                waiting.removeFirst(size)
                let first = group[group.startIndex].sequence
                let lines = group.map { (text: $0.text, number: $0.number) }
                running += 1
                Task {
                    let outputs = processGroup(lines)
                    // One short, and the writer would wait for that line forever.
                    precondition(outputs.count == lines.count, "processGroup gave \(outputs.count) outputs for \(lines.count) lines")
                    continuation.yield(.results(first: first, outputs))
                }
            }
            if let total, nextToWrite == total { break }
        }
        continuation.finish()
        return summary
    }

    static func isBlank(_ line: String) -> Bool { line.allSatisfy(\.isWhitespace) }
}

/// The line count of a stream's input, kept by its one reading thread.
private final class LineNumbering: @unchecked Sendable {
    var number = 0
}
