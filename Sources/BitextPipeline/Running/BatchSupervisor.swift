import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a batch in a child process (this executable again, with the same arguments) and, when
/// the child dies from a signal, runs it again past the units that crashed it.
///
/// A trap in Swift code (an overflow, an index out of range) cannot be caught: it ends the
/// process, every unit of the batch with it, and a resumed run would meet the same unit again.
/// The child journals the units it has in flight (`UnitJournal`); after a crash the supervisor
/// fails the unit that was alone in flight, or has the next attempt run the units that were in
/// flight together one by one first (`CrashTriage`). Each attempt resumes from the manifest,
/// so finished work is not redone. The child's own messages, progress and summary go straight
/// to this process's standard error; its exit status becomes this process's.
public struct BatchSupervisor: Sendable {
    public var executable: String
    public var arguments: [String]
    /// Seconds a unit (or a group of small units, which start together) may stay in flight
    /// before the supervisor stops the process and fails it, as for a crash: an endless loop
    /// must not hold up a batch. Nil: no limit.
    public var unitTimeout: Double?

    /// The child runs `executable` with `arguments`, program name first (this process's own,
    /// so that it shows in `ps` as the command the user typed).
    public init(executable: String = "/proc/self/exe", arguments: [String], unitTimeout: Double? = nil) {
        self.executable = executable
        self.arguments = arguments
        self.unitTimeout = unitTimeout
    }

    /// Runs attempts until one exits; returns the status this process should exit with (the
    /// last attempt's, or 128 + the signal when the supervisor stops after a crash), or nil
    /// when no batch process could be started at all (no /proc, no descriptors left): the
    /// caller then runs the batch itself. `report` receives the supervisor's own lines.
    public func run(report: (String) -> Void) -> Int32? {
        let forwarding = SignalForwarding()
        /// A batch process that could not be set up (`errno` says why). Before the first
        /// attempt nothing has been done, and the caller can still run the batch itself (nil);
        /// later, the batch is half done and stops here.
        func cannot(_ what: String, firstAttempt: Bool) -> Int32? {
            let reason = String(cString: strerror(errno))
            report("bitext: \(firstAttempt ? "warning: " : "")cannot \(what) (\(reason))\(firstAttempt ? "; running without crash isolation" : "")")
            return firstAttempt ? nil : 1
        }
        // The child's end of the lifeline: the child ends itself when it reads end-of-file,
        // which happens only when this process is gone.
        guard let lifeline = ChildProcess.pipe() else { return cannot("create a pipe for a batch process", firstAttempt: true) }
        defer {
            close(lifeline.read)
            close(lifeline.write)
        }
        var triage = CrashTriage()
        var planFile: String?
        defer { if let planFile { unlink(planFile) } }
        while true {
            if forwarding.stopping { return 130 }
            var supervision = "lifeline=\(Self.childLifeline);journal=\(Self.childJournal)"
            if triage.plan.attempt > 1 {
                do {
                    planFile = try planFile ?? Self.temporaryFile()
                    try Data(JSONEncoder().encode(triage.plan)).write(to: URL(fileURLWithPath: planFile!))
                } catch {
                    report("bitext: cannot write the restart plan: \(error)")
                    return 1
                }
                supervision += ";plan=\(planFile!)"
            }
            let firstAttempt = triage.plan.attempt == 1
            guard let journal = ChildProcess.pipe() else { return cannot("create a pipe for a batch process", firstAttempt: firstAttempt) }
            let spawned = spawn(supervision: supervision, journal: journal.write, lifeline: lifeline.read)
            let spawnError = errno
            close(journal.write)
            guard let child = spawned else {
                close(journal.read)
                errno = spawnError
                return cannot("start a batch process \(executable)", firstAttempt: firstAttempt)
            }
            forwarding.child = child
            let (inFlight, overdue) = watch(child, journal: journal.read)
            close(journal.read)
            let status = ChildProcess.wait(for: child)
            forwarding.child = nil
            guard let signal = status.signal else { return status.exitCode }
            if forwarding.endedFromOutside(signal) { return 128 + signal }
            let decision =
                if let unitTimeout, !overdue.isEmpty {
                    triage.attemptTimedOut(overdue: overdue, limit: unitTimeout, inFlight: inFlight)
                } else {
                    triage.attemptDied(signal: signal, inFlight: inFlight)
                }
            switch decision {
            case .restart(let note):
                report((isatty(2) == 1 ? "\n" : "") + "bitext: " + note)
            case .stop(let note):
                report((isatty(2) == 1 ? "\n" : "") + "bitext: " + note)
                return 128 + signal
            }
        }
    }

    /// Descriptors the child finds its journal and lifeline on.
    static let childJournal: Int32 = 3
    static let childLifeline: Int32 = 4

    private func spawn(supervision: String, journal: Int32, lifeline: Int32) -> pid_t? {
        ChildProcess.spawn(
            executable: executable, arguments: arguments, supervision: supervision,
            placing: [(journal, Self.childJournal), (lifeline, Self.childLifeline)])
    }

    /// Reads the child's journal until the child is gone (end of file). With a unit timeout,
    /// looks every `timeoutCheckInterval` for units in flight past it, and then kills the
    /// child; returns those units (none when the child ended by itself).
    private func watch(_ child: pid_t, journal descriptor: Int32) -> (inFlight: UnitsInFlight, overdue: [String]) {
        var inFlight = UnitsInFlight()
        var overdue: [String] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let wait = unitTimeout == nil ? -1 : Int32(Self.timeoutCheckInterval * 1000)
        while true {
            let ready = poll(&poller, 1, wait)
            if ready > 0 {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count > 0 {
                    inFlight.read(buffer[..<count], at: ChildProcess.now())
                } else if count == 0 || errno != EINTR {
                    return (inFlight, overdue)
                }
            } else if ready < 0 && errno != EINTR {
                return (inFlight, overdue)
            }
            if let unitTimeout, overdue.isEmpty {
                overdue = inFlight.overdue(limit: unitTimeout, at: ChildProcess.now())
                if !overdue.isEmpty { kill(child, SIGKILL) }
            }
        }
    }

    /// Seconds between two looks for units past the timeout.
    static let timeoutCheckInterval = 0.25

    private static func temporaryFile() throws -> String {
        let directory = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        var template = Array((directory + "/bitext-restart-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw SupervisionError("cannot create a file in \(directory): \(String(cString: strerror(errno)))") }
        close(fd)
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Starting and ending a supervised child process (`BatchSupervisor`, `StreamSupervisor`).
enum ChildProcess {
    /// Starts `executable` with `arguments` (program name first), each of `placing`'s pipe ends
    /// on its agreed descriptor, the signals a supervisor ignores back at their defaults, and
    /// `supervision` in its environment (`Supervision.environmentKey`). Nil when it cannot be
    /// started (`errno` says why).
    static func spawn(executable: String, arguments: [String], supervision: String, placing: [(end: Int32, descriptor: Int32)]) -> pid_t? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Every end is first copied above the agreed descriptors, so that moving one onto its
        // place can never overwrite another.
        let copies = placing.map { fcntl($0.end, F_DUPFD_CLOEXEC, 10) }
        defer { for copy in copies where copy >= 0 { close(copy) } }
        guard !copies.contains(where: { $0 < 0 }) else { return nil }
        for (copy, placed) in zip(copies, placing) { posix_spawn_file_actions_adddup2(&actions, copy, placed.descriptor) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in SignalForwarding.forwarded { sigaddset(&defaults, signal) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var environment = ProcessInfo.processInfo.environment
        environment[Supervision.environmentKey] = supervision
        // Swift's crash report, unless asked otherwise: the crashed thread's frames, which say
        // where the bug is, without every thread, register and library (a hundred lines).
        if environment["SWIFT_BACKTRACE"] == nil { environment["SWIFT_BACKTRACE"] = "threads=crashed,registers=none,images=none" }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0.key + "=" + $0.value) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            errno = result
            return nil
        }
        return pid
    }

    /// Seconds on the monotonic clock.
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// How the child ended: its exit code, or the signal that killed it.
    static func wait(for child: pid_t) -> (exitCode: Int32, signal: Int32?) {
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 {
            if errno != EINTR { return (1, nil) }
        }
        // WIFEXITED / WTERMSIG, which Swift does not import (they are macros).
        let signal = status & 0x7f
        if signal == 0 { return ((status >> 8) & 0xff, nil) }
        return (128 + signal, signal)
    }

    static func pipe() -> (read: Int32, write: Int32)? {
        var ends: [Int32] = [0, 0]
        guard Glibc.pipe(&ends) == 0 else { return nil }
        // Close-on-exec: each child gets only the ends placed for it (`spawn`). (pipe2, which
        // sets it at once, is not imported; nothing else here starts processes meanwhile.)
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return (ends[0], ends[1])
    }
}

/// While a supervisor runs: Ctrl-C, `kill` and hang-ups reach the child as SIGTERM (it finishes
/// the units in progress and exits 130), and the supervisor then does not restart it. The
/// terminal sends Ctrl-C to the child too (it is in the same process group), so a second
/// Ctrl-C still quits the child at once.
final class SignalForwarding: @unchecked Sendable {
    static let forwarded: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private let lock = NSLock()
    private var current: pid_t?
    private var asked = false
    private var sources: [any DispatchSourceSignal] = []

    init() {
        for signal in Self.forwarded {
            Glibc.signal(signal, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
            source.setEventHandler { [weak self] in self?.stop() }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
        for signal in Self.forwarded { Glibc.signal(signal, SIG_DFL) }
    }

    var child: pid_t? {
        get { lock.withLock { current } }
        set {
            lock.withLock {
                current = newValue
                if asked, let newValue { kill(newValue, SIGTERM) }
            }
        }
    }

    /// Whether a signal asked the batch to stop.
    var stopping: Bool { lock.withLock { asked } }

    /// Whether a child that died from `signal` was ended from outside rather than by a unit: a
    /// signal asked this process to stop, or the child died from one this process forwards. A
    /// terminal's Ctrl-C (the second, for a batch) or hang-up reaches the child as soon as this
    /// process and may end it before our own handler has run.
    func endedFromOutside(_ signal: Int32) -> Bool {
        stopping || Self.forwarded.contains(signal)
    }

    private func stop() {
        lock.withLock {
            asked = true
            if let current { kill(current, SIGTERM) }
        }
    }
}
