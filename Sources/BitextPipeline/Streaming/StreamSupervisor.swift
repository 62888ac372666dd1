import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs `bitext stream` in a child process (this executable again, with the same arguments)
/// and, when the child dies from a signal, answers the record that crashed it with an error
/// record and goes on with the others in a new child.
///
/// Standard input cannot be read twice, so this process reads it and keeps every record it has
/// forwarded until the child answers it: at most `window` records (the child's `--window`),
/// however long the stream. It forwards them to the child's standard input numbered (`frame`),
/// and copies the child's answers (each after its `mark`) to standard output in input order,
/// each as soon as it is whole. The child journals the records it has in flight by line number (`UnitJournal`);
/// after a crash `CrashTriage` decides as for a batch: a record alone in flight fails, with its
/// stage; records in flight together are forwarded to the next child one at a time, until the
/// one that crashes is alone. Everything else is forwarded again to the new child.
public struct StreamSupervisor: Sendable {
    public var executable: String
    public var arguments: [String]
    /// Records the child processes at once (its `--jobs`).
    public var jobs: Int
    /// Records forwarded and not yet answered, at most: the child's window (`OrderedStream.window`).
    public var window: Int
    /// Seconds a record may stay in flight before the child is stopped and the record fails,
    /// as for a crash. Nil: no limit.
    public var unitTimeout: Double?

    public init(executable: String = "/proc/self/exe", arguments: [String], jobs: Int, window: Int, unitTimeout: Double? = nil) {
        self.executable = executable
        self.arguments = arguments
        self.jobs = max(1, jobs)
        self.window = max(1, window)
        self.unitTimeout = unitTimeout
    }

    public enum Outcome: Sendable, Equatable {
        /// Every record was answered (or standard output closed: `stopped`).
        case finished(OrderedStream.Summary)
        /// The stream ended early with this status; `report` said why (or the child did).
        case exit(Int32)
    }

    /// Descriptors the child finds its journal and lifeline on (standard input and output are
    /// the records and the answers).
    static let childJournal = BatchSupervisor.childJournal
    static let childLifeline = BatchSupervisor.childLifeline

    /// Relays `input` through child processes to `write` (which returns false when nobody reads
    /// the answers any more); nil when no child could be started at all: the caller then runs
    /// the stream itself. `report` receives the supervisor's own lines.
    public func run(input: Int32 = 0, write: (ArraySlice<UInt8>) -> Bool, report: (String) -> Void) -> Outcome? {
        let forwarding = SignalForwarding()
        func cannot(_ what: String, firstAttempt: Bool) -> Outcome? {
            let reason = String(cString: strerror(errno))
            report("bitext stream: \(firstAttempt ? "warning: " : "")cannot \(what) (\(reason))\(firstAttempt ? "; running without crash isolation" : "")")
            return firstAttempt ? nil : .exit(1)
        }
        guard let lifeline = ChildProcess.pipe() else { return cannot("create a pipe for a stream process", firstAttempt: true) }
        defer {
            close(lifeline.read)
            close(lifeline.write)
        }
        var relay = RecordRelay(input: input, jobs: jobs, window: window)
        var triage = CrashTriage(wording: .stream)
        var firstAttempt = true
        while true {
            if forwarding.stopping { return .exit(130) }
            var pipes: [(read: Int32, write: Int32)] = []
            for _ in 0..<3 {
                guard let pipe = ChildProcess.pipe() else {
                    for pipe in pipes { close(pipe.read); close(pipe.write) }
                    return cannot("create a pipe for a stream process", firstAttempt: firstAttempt)
                }
                pipes.append(pipe)
            }
            let (records, answers, journal) = (pipes[0], pipes[1], pipes[2])
            let spawned = ChildProcess.spawn(
                executable: executable, arguments: arguments, supervision: "lifeline=\(Self.childLifeline);journal=\(Self.childJournal)",
                placing: [(records.read, 0), (answers.write, 1), (journal.write, Self.childJournal), (lifeline.read, Self.childLifeline)])
            let spawnError = errno
            for end in [records.read, answers.write, journal.write] { close(end) }
            guard let child = spawned else {
                for end in [records.write, answers.read, journal.read] { close(end) }
                errno = spawnError
                return cannot("start a stream process \(executable)", firstAttempt: firstAttempt)
            }
            firstAttempt = false
            forwarding.child = child
            _ = fcntl(records.write, F_SETFL, fcntl(records.write, F_GETFL) | O_NONBLOCK)
            let attempt = relay.attempt(
                child: child, records: records.write, answers: answers.read, journal: journal.read, unitTimeout: unitTimeout, write: write)
            for end in [answers.read, journal.read] { close(end) }
            let status = ChildProcess.wait(for: child)
            forwarding.child = nil
            if relay.summary.stopped { return .finished(relay.summary) }
            if let failure = attempt.inputError {
                report("bitext stream: cannot read standard input (\(String(cString: strerror(failure))))")
                return .exit(1)
            }
            guard let signal = status.signal else {
                if status.exitCode != 0 { return .exit(status.exitCode) }
                if relay.isDone { return .finished(relay.summary) }
                report("bitext stream: the stream process ended with \(relay.unanswered) record(s) unanswered")
                return .exit(1)
            }
            if forwarding.endedFromOutside(signal) { return .exit(128 + signal) }
            let decision =
                if let unitTimeout, !attempt.overdue.isEmpty {
                    triage.attemptTimedOut(overdue: attempt.overdue, limit: unitTimeout, inFlight: attempt.inFlight)
                } else {
                    triage.attemptDied(signal: signal, inFlight: attempt.inFlight)
                }
            switch decision {
            case .restart(let note):
                report("bitext stream: " + note)
            case .stop(let note):
                report("bitext stream: " + note)
                return .exit(128 + signal)
            }
            relay.restart(crashes: triage.plan.crashes, suspects: triage.plan.suspects)
        }
    }

    /// A record as the child reads it: its line number, a space, the line.
    static func frame(_ line: ArraySlice<UInt8>, number: Int) -> [UInt8] {
        var bytes = Array(String(number).utf8)
        bytes.reserveCapacity(bytes.count + line.count + 2)
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: line)
        bytes.append(0x0A)
        return bytes
    }

    /// The record in a line the child read (without its line feed): nil at the end.
    public static func unframe(_ line: String?) -> (text: String, number: Int)? {
        guard let line, let space = line.firstIndex(of: " "), let number = Int(line[..<space]) else { return nil }
        return (String(line[line.index(after: space)...]), number)
    }

    /// What a child writes before each output line: a byte that says whether the record failed,
    /// so that the supervisor counts failures without reading the line.
    public static func mark(_ output: StreamProcessor.Output) -> UInt8 {
        output.failed ? failedMark : succeededMark
    }

    static let failedMark = UInt8(ascii: "-")
    static let succeededMark = UInt8(ascii: "+")
}

/// The supervisor's records in flight: read from standard input, forwarded to the child,
/// answered, written in order.
///
/// The child answers in the order it was sent the records, and they were sent in input order,
/// skipping only those that crashed a child (which are answered here): so an answer always
/// belongs to the first record not yet written once the crashed ones before it are, and is
/// written as soon as it is whole, from the buffers it was read into (the answers are most of
/// the bytes). Only whole answers are written: a child that dies halfway through one leaves
/// nothing of it in the output.
private struct RecordRelay {
    enum State {
        /// Not (or no longer) forwarded to the current child.
        case waiting
        case forwarded
        /// Crashed a child: answered by the supervisor, never forwarded again.
        case crashed(UnitCrash)
    }

    struct Record {
        var number: Int
        var line: [UInt8]
        var state: State

        var isWaiting: Bool { if case .waiting = state { true } else { false } }
    }

    let window: Int
    /// Waiting records are forwarded while the child has a job free (fewer than `jobs`
    /// outstanding), else once this many wait, so that they reach the child together and its
    /// next free job takes them as one group (`OrderedStream`), as it does reading a file: sent
    /// as answers came back (a few per 64 KiB read), the 10,000 bench pairs at --jobs 1 ran
    /// mostly in groups of 6–11 records instead of 14–15 (BENCHMARKS.md, session 31).
    let batch: Int
    let jobs: Int
    var input: InputLines
    /// Records read and not yet written, in input order: `records[first...]`.
    private var records: [Record] = []
    private var first = 0
    /// Records forwarded to the current child and not yet answered.
    private var outstanding = 0
    /// Records that were in flight together when a child died: forwarded one at a time.
    private var suspects: Set<Int> = []
    /// Answers to write, in order.
    private var output: [UInt8] = []
    private(set) var summary = OrderedStream.Summary(records: 0, failed: 0)

    init(input descriptor: Int32, jobs: Int, window: Int) {
        input = InputLines(descriptor: descriptor)
        self.jobs = jobs
        self.window = window
        batch = max(1, min(BatchRunner.unitsPerGroup, window - jobs))
    }

    var unanswered: Int { records.count - first }
    var isDone: Bool { input.atEnd && !input.hasLine && unanswered == 0 }

    /// What an attempt leaves for the triage.
    struct Attempt {
        var inFlight = UnitsInFlight()
        var overdue: [String] = []
        /// `errno` of a failed read of standard input.
        var inputError: Int32?
    }

    /// Relays records to `child` and its answers back until the child is gone (its answers and
    /// journal at their ends), or standard output is closed (then the child is killed).
    mutating func attempt(
        child: pid_t, records recordsPipe: Int32, answers: Int32, journal: Int32, unitTimeout: Double?, write: (ArraySlice<UInt8>) -> Bool
    ) -> Attempt {
        var attempt = Attempt()
        var pending: [UInt8] = []  // framed records, `pending[sent...]` not yet taken by the pipe
        var sent = 0
        var recordsOpen = true
        var answersOpen = true
        var journalOpen = true
        var answerLines = LineSplitter()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        defer { if recordsOpen { close(recordsPipe) } }
        func read(_ descriptor: Int32) -> ArraySlice<UInt8>? {
            while true {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
                if count >= 0 { return count == 0 ? nil : buffer[..<count] }
                if errno != EINTR { return nil }
            }
        }
        while answersOpen || journalOpen {
            guard flush(write) else {
                kill(child, SIGKILL)
                while read(answers) != nil {}
                return attempt
            }
            takeLines()
            if recordsOpen { pending += forward() }
            if recordsOpen && sent == pending.count && input.atEnd && !input.hasLine && !hasWaiting {
                close(recordsPipe)  // the child finishes what it has and exits
                recordsOpen = false
            }
            let wantsInput = !input.atEnd && !input.hasLine && unanswered < window
            var pollers = [
                pollfd(fd: wantsInput ? input.descriptor : -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: recordsOpen && sent < pending.count ? recordsPipe : -1, events: Int16(POLLOUT), revents: 0),
                pollfd(fd: answersOpen ? answers : -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: journalOpen ? journal : -1, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&pollers, nfds_t(pollers.count), unitTimeout == nil ? -1 : Int32(BatchSupervisor.timeoutCheckInterval * 1000))
            if ready < 0 && errno != EINTR {
                kill(child, SIGKILL)  // (never seen: poll fails only without memory or on a bad argument)
                return attempt
            }
            if pollers[0].revents != 0 {
                if let failure = input.fill() {
                    attempt.inputError = failure
                    kill(child, SIGKILL)
                }
            }
            if pollers[1].revents != 0 {
                let written = pending[sent...].withUnsafeBytes { Glibc.write(recordsPipe, $0.baseAddress, $0.count) }
                if written > 0 {
                    sent += written
                    // What was sent is dropped once it is most of the buffer (a pipe takes 64 KiB at a time).
                    if sent == pending.count || sent >= pending.count / 2 {
                        pending.removeFirst(sent)
                        sent = 0
                    }
                } else if written < 0 && errno != EAGAIN && errno != EINTR {
                    close(recordsPipe)  // the child is gone; what it was sent is sent again to the next
                    recordsOpen = false
                }
            }
            if pollers[2].revents != 0 {
                if let bytes = read(answers) {
                    answerLines.read(bytes) { received($0, write: write) }
                } else {
                    answersOpen = false
                }
            }
            if pollers[3].revents != 0 {
                if let bytes = read(journal) {
                    attempt.inFlight.read(bytes, at: ChildProcess.now())
                } else {
                    journalOpen = false
                }
            }
            if let unitTimeout, attempt.overdue.isEmpty {
                attempt.overdue = attempt.inFlight.overdue(limit: unitTimeout, at: ChildProcess.now())
                if !attempt.overdue.isEmpty { kill(child, SIGKILL) }
            }
        }
        _ = flush(write)  // the last answers
        return attempt
    }

    /// After a child died: the records that crashed one are answered here, those in flight
    /// together go one at a time, and the rest are forwarded again.
    mutating func restart(crashes: [String: UnitCrash], suspects: [String]) {
        let suspected = Set(suspects.compactMap { Int($0) })
        self.suspects = []
        for index in first..<records.count {
            if case .forwarded = records[index].state { records[index].state = .waiting }
            if let crash = crashes[String(records[index].number)] { records[index].state = .crashed(crash) }
            // (The triage's suspects include those answered since: only the waiting ones count.)
            if records[index].isWaiting, suspected.contains(records[index].number) { self.suspects.insert(records[index].number) }
        }
        outstanding = 0
    }

    private var hasWaiting: Bool {
        records[first...].contains(where: \.isWaiting)
    }

    /// Reads records out of standard input's buffered bytes while the window has room.
    private mutating func takeLines() {
        while unanswered < window, let (number, line) = input.next() {
            records.append(Record(number: number, line: Array(line), state: .waiting))
        }
    }

    /// The records to send the child now, framed: every waiting one when a job is free or a
    /// batch waits, or while suspects remain, the next one alone once the child has answered
    /// everything it was sent.
    private mutating func forward() -> [UInt8] {
        var bytes: [UInt8] = []
        let oneAtATime = !suspects.isEmpty
        if oneAtATime && outstanding > 0 { return bytes }
        if outstanding >= jobs && records[first...].count(where: \.isWaiting) < batch { return bytes }
        for index in first..<records.count {
            guard records[index].isWaiting else { continue }
            bytes += StreamSupervisor.frame(records[index].line[...], number: records[index].number)
            records[index].state = .forwarded
            outstanding += 1
            if oneAtATime { break }
        }
        return bytes
    }

    /// An answer line from the child (with its line feed, in the pieces it was read in): the
    /// first unwritten record's, once the crashed ones before it are written. One that came in
    /// one piece joins the output; a longer one is written from its pieces, not copied again.
    private mutating func received(_ pieces: [ArraySlice<UInt8>], write: (ArraySlice<UInt8>) -> Bool) {
        takeCrashed()
        guard first < records.count, case .forwarded = records[first].state, let mark = pieces.first?.first else { return }
        if pieces.count == 1 {
            output += pieces[0].dropFirst()
        } else if flush(write) {
            for piece in [pieces[0].dropFirst()] + pieces.dropFirst() where !summary.stopped {
                if !piece.isEmpty && !write(piece) { summary.stopped = true }
            }
        }
        if mark == StreamSupervisor.failedMark { summary.failed += 1 }
        suspects.remove(records[first].number)
        outstanding -= 1
        advance()
    }

    /// Adds the error records of the crashed records first in line to the output.
    private mutating func takeCrashed() {
        while first < records.count, case .crashed(let crash) = records[first].state {
            output += Self.errorLine(records[first], crash: crash)
            summary.failed += 1
            advance()
        }
    }

    /// The first record is in the output.
    private mutating func advance() {
        summary.records += 1
        first += 1
        // Written records are dropped a window's worth at a time, not one by one.
        if first >= window {
            records.removeFirst(first)
            first = 0
        }
    }

    /// Writes the answers taken so far in one write; false when the reader is gone (`summary.stopped`).
    private mutating func flush(_ write: (ArraySlice<UInt8>) -> Bool) -> Bool {
        takeCrashed()
        guard !summary.stopped else { return false }
        guard !output.isEmpty else { return true }
        defer { output.removeAll(keepingCapacity: true) }
        guard write(output[...]) else {
            summary.stopped = true
            return false
        }
        return true
    }

    /// The error record for a record that crashed a child: named by its id, as the child would.
    private static func errorLine(_ record: Record, crash: UnitCrash) -> [UInt8] {
        let text = String(decoding: record.line, as: UTF8.self)
        let (id, file): (RecordID, String) =
            switch StreamRecord.parse(text, lineNumber: record.number) {
            case .success(let parsed): (parsed.id, parsed.inputs.map(\.path).joined(separator: " + "))
            case .failure(let error): (error.id, "<stdin>")
            }
        return StreamProcessor.errorLine(id: id, message: crash.message(.stream), file: file, stage: crash.stage, line: record.number).line
    }
}

/// Standard input's lines, read as they come: numbered from 1, blank ones skipped.
private struct InputLines {
    let descriptor: Int32
    private var bytes: [UInt8] = []
    private var start = 0
    /// The line feed that ends the line at `start`, if it has been read (each byte is searched once).
    private var lineEnd: Int?
    private var number = 0
    private(set) var atEnd = false

    init(descriptor: Int32) { self.descriptor = descriptor }

    /// Whether a whole line is buffered (or the last, unended one).
    var hasLine: Bool { lineEnd != nil || (atEnd && start < bytes.count) }

    /// Reads what is there (after `poll` said so, and only when no whole line is buffered);
    /// `errno` when reading failed.
    mutating func fill() -> Int32? {
        if start > 0 {
            bytes.removeFirst(start)  // the start of a line at most
            start = 0
        }
        let old = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: 1 << 16))
        while true {
            let count = bytes[old...].withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            let failure = count < 0 ? errno : nil
            if failure == EINTR { continue }
            bytes.removeLast(bytes.count - old - max(0, count))
            // (After a failed read, too, nothing more is read: the stream ends there.)
            if count <= 0 { atEnd = true }
            lineEnd = lineFeed(in: bytes[old...])
            return failure
        }
    }

    /// The next line that is not blank, without its line feed.
    mutating func next() -> (number: Int, line: ArraySlice<UInt8>)? {
        while let end = lineEnd ?? (atEnd && start < bytes.count ? bytes.count : nil) {
            let line = bytes[start..<end]
            start = min(end + 1, bytes.count)
            lineEnd = lineFeed(in: bytes[start...])
            number += 1
            if !Self.isBlank(line) { return (number, line) }
        }
        return nil
    }

    /// As `OrderedStream.isBlank` would find the line once decoded; decoded only when it has
    /// no ASCII character that settles it (a record starts with `{`).
    static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        if line.contains(where: { $0 < 0x80 && !(0x09...0x0D).contains($0) && $0 != 0x20 }) { return false }
        return OrderedStream.isBlank(String(decoding: line, as: UTF8.self))
    }
}

/// Lines out of a byte stream read in pieces, each with its line feed, as the pieces it came
/// in: one, unless it spanned reads (an answer may be hundreds of MB; its pieces are not joined).
private struct LineSplitter {
    private var pieces: [[UInt8]] = []

    mutating func read(_ bytes: ArraySlice<UInt8>, line: ([ArraySlice<UInt8>]) -> Void) {
        var start = bytes.startIndex
        while let end = lineFeed(in: bytes[start...]) {
            if pieces.isEmpty {
                line([bytes[start...end]])
            } else {
                line(pieces.map { $0[...] } + [bytes[start...end]])
                pieces = []
            }
            start = end + 1
        }
        if start < bytes.endIndex { pieces.append(Array(bytes[start...])) }
    }
}

/// The index of the first line feed in `bytes` (memchr: the answers are hundreds of MB).
private func lineFeed(in bytes: ArraySlice<UInt8>) -> Int? {
    bytes.withUnsafeBytes { buffer in
        guard let base = buffer.baseAddress, let found = memchr(base, 0x0A, buffer.count) else { return nil }
        return bytes.startIndex + (UnsafeRawPointer(found) - base)
    }
}
