import BitextCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A unit that killed the process running it: a Swift runtime trap (overflow, index out of
/// range, failed precondition), a segmentation fault, the kernel's out-of-memory killer.
public struct UnitCrash: Codable, Sendable, Hashable {
    /// The signal the process died from.
    public var signal: Int32
    /// The stage the unit was in, when known (journaled while it ran alone).
    public var stage: String?
    /// 1 when the unit was alone in flight; otherwise how many units were in flight, every
    /// time, when the process died (`CrashTriage` could not tell them apart).
    public var inFlight: Int

    public init(signal: Int32, stage: String? = nil, inFlight: Int = 1) {
        self.signal = signal
        self.stage = stage
        self.inFlight = inFlight
    }

    /// The reason recorded for the unit, which fails and is not written.
    public var message: String {
        var text = "the process running this document died from \(Self.describe(signal: signal))"
        if inFlight > 1 { text += " twice while it was in progress with the same \(inFlight - 1) other(s)" }
        text += "; not written, and the batch went on in a new process"
        if signal != SIGKILL { text += ". This is a bug in bitext: please report it with this input" }
        return text
    }

    /// A signal's name and what usually sends it.
    public static func describe(signal: Int32) -> String {
        switch signal {
        case SIGILL, SIGTRAP: "SIG\(signal == SIGILL ? "ILL" : "TRAP") (a runtime trap: arithmetic overflow, index out of range or a failed precondition)"
        case SIGSEGV: "SIGSEGV (invalid memory access)"
        case SIGBUS: "SIGBUS (invalid memory access)"
        case SIGABRT: "SIGABRT (aborted by a failed check)"
        case SIGFPE: "SIGFPE (arithmetic error)"
        case SIGKILL: "SIGKILL (killed, most likely by the kernel for running out of memory)"
        case SIGXCPU: "SIGXCPU (over the CPU time limit)"
        default: "signal \(signal)"
        }
    }
}

/// What the supervisor asks of one attempt at a batch: which units to run alone first, and
/// which to fail at once because they crashed an earlier attempt.
public struct RestartPlan: Codable, Sendable, Equatable {
    /// 1 for the first attempt.
    public var attempt: Int
    /// Units that were in flight together when an earlier attempt died: each runs alone,
    /// before the others, with its stages journaled, so that a crash names one unit and stage.
    public var suspects: [String]
    /// Units that crashed an earlier attempt: failed with the crash's message, never run again.
    public var crashes: [String: UnitCrash]

    public init(attempt: Int = 1, suspects: [String] = [], crashes: [String: UnitCrash] = [:]) {
        self.attempt = attempt
        self.suspects = suspects
        self.crashes = crashes
    }
}

/// How a batch process takes part in supervision: the journal it writes to and the plan it
/// follows, handed down by `BatchSupervisor` through the environment.
public struct Supervision: Sendable {
    public var journal: UnitJournal
    public var plan: RestartPlan

    /// `journal=FD;lifeline=FD[;plan=PATH]`.
    public static let environmentKey = "BITEXT_SUPERVISION"

    public init(journal: UnitJournal, plan: RestartPlan) {
        self.journal = journal
        self.plan = plan
    }

    /// The supervision this process runs under, nil when it is not supervised. Also starts
    /// watching the supervisor's lifeline: when the supervisor dies (even by `kill -9`), this
    /// process ends at once rather than running on unseen.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Supervision? {
        guard let value = environment[environmentKey] else { return nil }
        var fields: [Substring: Substring] = [:]
        for field in value.split(separator: ";") {
            guard let equals = field.firstIndex(of: "=") else { continue }
            fields[field[..<equals]] = field[field.index(after: equals)...]
        }
        guard let journal = fields["journal"].flatMap({ Int32($0) }), fcntl(journal, F_GETFD) >= 0 else {
            throw SupervisionError("\(environmentKey) names no open journal descriptor: \(value)")
        }
        var plan = RestartPlan()
        if let path = fields["plan"] {
            guard let data = FileManager.default.contents(atPath: String(path)) else { throw SupervisionError("cannot read the restart plan \(path)") }
            plan = try JSONDecoder().decode(RestartPlan.self, from: data)
        }
        if let lifeline = fields["lifeline"].flatMap({ Int32($0) }) { watch(lifeline: lifeline) }
        return Supervision(journal: UnitJournal(descriptor: journal), plan: plan)
    }

    /// Ends this process when `lifeline` (a pipe whose only writer is the supervisor, which
    /// never writes) reaches its end: the supervisor is gone.
    private static func watch(lifeline: Int32) {
        let watcher = Thread {
            var byte: UInt8 = 0
            while read(lifeline, &byte, 1) < 0 && errno == EINTR {}
            kill(getpid(), SIGKILL)
        }
        watcher.stackSize = 1 << 16
        watcher.start()
    }
}

public struct SupervisionError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// The supervisor's decisions after an attempt dies from a signal: which units to suspect,
/// which to fail, or whether to stop.
///
/// Units in flight alone when a process died crashed it. When several were in flight (a group
/// of units, or several workers), the next attempt runs them one by one before anything else,
/// so a unit that crashes again is then alone. Each restart therefore either fails one unit or
/// narrows a group down to single units, and the batch ends.
public struct CrashTriage: Sendable {
    public private(set) var plan = RestartPlan()
    /// The units in flight at the last death, to catch a group that keeps crashing together.
    private var lastInFlight: [String] = []

    /// Restarts before the supervisor gives up: a batch with this many crashes has a bug that
    /// is not about one input, and restarting costs a process start and resource loading.
    public static let maximumRestarts = 1_000

    public enum Decision: Sendable, Equatable {
        /// Run another attempt with `plan`; `note` says why.
        case restart(note: String)
        /// Stop with the crash's status; `note` says why.
        case stop(note: String)
    }

    public init() {}

    public mutating func attemptDied(signal: Int32, inFlight: UnitsInFlight) -> Decision {
        let died = "the batch process died from \(UnitCrash.describe(signal: signal))"
        let ids = inFlight.ids.filter { plan.crashes[$0] == nil }
        guard plan.attempt <= Self.maximumRestarts else {
            return .stop(note: "\(died); \(Self.maximumRestarts) restarts were not enough to get past every crash, giving up")
        }
        plan.attempt += 1
        defer { lastInFlight = ids }
        switch ids.count {
        case 0:
            return .stop(note: "\(died) outside any document; outputs listed in the manifest are whole, run again with --resume")
        case 1:
            plan.crashes[ids[0]] = UnitCrash(signal: signal, stage: inFlight.stage(of: ids[0]))
            plan.suspects.removeAll { $0 == ids[0] }
            return .restart(note: "\(died) on \(ids[0])\(inFlight.stage(of: ids[0]).map { " in \($0)" } ?? ""); it is failed, and the batch goes on in a new process")
        default:
            if Set(ids) == Set(lastInFlight) {
                for id in ids { plan.crashes[id] = UnitCrash(signal: signal, inFlight: ids.count) }
                plan.suspects.removeAll { plan.crashes[$0] != nil }
                return .restart(note: "\(died) again with the same \(ids.count) documents in progress; they are failed, and the batch goes on in a new process")
            }
            plan.suspects = ids
            return .restart(note: "\(died) with \(ids.count) documents in progress; the batch goes on in a new process, which runs those one at a time first")
        }
    }
}

/// A deliberate crash, so that tests can check crash isolation on the real binary:
/// `BITEXT_CRASH_TEST=STAGE:FILE[,FILE…]` traps (as an overflow would) when stage STAGE starts
/// on a unit with an input named FILE (the last component of its path).
public struct FaultInjection: Sendable {
    public var stage: String
    public var fileNames: Set<String>

    public static let environmentKey = "BITEXT_CRASH_TEST"

    public init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let value = environment[Self.environmentKey], let colon = value.firstIndex(of: ":") else { return nil }
        stage = String(value[..<colon])
        fileNames = Set(value[value.index(after: colon)...].split(separator: ",").map(String.init))
    }

    func crashIfChosen(stage: String, unit: WorkUnit) {
        guard stage == self.stage,
            let chosen = unit.inputs.lazy.compactMap({ $0.path.split(separator: "/").last.map(String.init) }).first(where: fileNames.contains)
        else { return }
        fatalError("\(Self.environmentKey): crashing in \(stage) on \(chosen), as asked")
    }
}
