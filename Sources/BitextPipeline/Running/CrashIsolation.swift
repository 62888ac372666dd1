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
    /// The stage the unit was in, when known (journaled for a unit in a group of its own, as a unit alone in flight always is).
    public var stage: String?
    /// 1 when the unit was alone in flight; otherwise how many units were in flight, every
    /// time, when the process died (`CrashTriage` could not tell them apart).
    public var inFlight: Int
    /// The time limit (`--unit-timeout`, seconds) the unit overran, when the supervisor
    /// stopped the process for that.
    public var timeout: Double?

    public init(signal: Int32, stage: String? = nil, inFlight: Int = 1, timeout: Double? = nil) {
        self.signal = signal
        self.stage = stage
        self.inFlight = inFlight
        self.timeout = timeout
    }

    /// The reason recorded for the unit, which fails and is not written.
    public var message: String { message(.batch) }

    /// The reason recorded for the unit, in the words of a batch or a stream.
    public func message(_ wording: CrashWording) -> String {
        var text: String
        if let timeout {
            text = "still in progress after the time limit of \(Self.seconds(timeout)) (--unit-timeout), so the process running it was stopped"
        } else {
            text = "the process running this \(wording.unit) died from \(Self.describe(signal: signal))"
        }
        if inFlight > 1 { text += ", twice while it was in progress with the same \(inFlight - 1) other(s)" }
        text += "; not written, and the \(wording.run) went on in a new process"
        if signal != SIGKILL { text += ". This is a bug in bitext: please report it with this input" }
        return text
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
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

/// How crash reports name what crashed: a batch's documents, or a stream's records.
public struct CrashWording: Sendable {
    /// One unit: "document".
    public var unit: String
    /// Several: "documents".
    public var units: String
    /// The whole run: "batch".
    public var run: String
    /// How a note names a unit by its journaled id.
    public var name: @Sendable (String) -> String
    /// What a note adds when a process died outside any unit.
    public var outsideAnyUnit: String

    public static let batch = CrashWording(
        unit: "document", units: "documents", run: "batch", name: { $0 },
        outsideAnyUnit: "; outputs listed in the manifest are whole, run again with --resume")
    /// A stream journals its records by input line number.
    public static let stream = CrashWording(
        unit: "record", units: "records", run: "stream", name: { "the record on line \($0)" },
        outsideAnyUnit: "; the stream stops here")
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

    private let wording: CrashWording

    public init(wording: CrashWording = .batch) { self.wording = wording }

    /// After the supervisor stopped an attempt (SIGKILL) because `overdue` units ran past
    /// `limit` seconds: the same decisions, among the overdue units only (the others in
    /// flight were merely interrupted, and are done again).
    public mutating func attemptTimedOut(overdue: [String], limit: Double, inFlight: UnitsInFlight) -> Decision {
        decide(
            ids: overdue.filter { plan.crashes[$0] == nil }, inFlight: inFlight, signal: SIGKILL, timeout: limit,
            died: "the \(wording.run) process was stopped at the time limit of \(UnitCrash.seconds(limit)) (--unit-timeout)")
    }

    public mutating func attemptDied(signal: Int32, inFlight: UnitsInFlight) -> Decision {
        decide(
            ids: inFlight.ids.filter { plan.crashes[$0] == nil }, inFlight: inFlight, signal: signal, timeout: nil,
            died: "the \(wording.run) process died from \(UnitCrash.describe(signal: signal))")
    }

    private mutating func decide(ids: [String], inFlight: UnitsInFlight, signal: Int32, timeout: Double?, died: String) -> Decision {
        guard plan.attempt <= Self.maximumRestarts else {
            return .stop(note: "\(died); \(Self.maximumRestarts) restarts were not enough to get past every crash, giving up")
        }
        plan.attempt += 1
        defer { lastInFlight = ids }
        switch ids.count {
        case 0:
            return .stop(note: "\(died) outside any \(wording.unit)\(wording.outsideAnyUnit)")
        case 1:
            plan.crashes[ids[0]] = UnitCrash(signal: signal, stage: inFlight.stage(of: ids[0]), timeout: timeout)
            plan.suspects.removeAll { $0 == ids[0] }
            return .restart(
                note: "\(died) on \(wording.name(ids[0]))\(inFlight.stage(of: ids[0]).map { " in \($0)" } ?? ""); it is failed, and the \(wording.run) goes on in a new process")
        default:
            if Set(ids) == Set(lastInFlight) {
                for id in ids { plan.crashes[id] = UnitCrash(signal: signal, inFlight: ids.count, timeout: timeout) }
                plan.suspects.removeAll { plan.crashes[$0] != nil }
                return .restart(note: "\(died) again with the same \(ids.count) \(wording.units) in progress; they are failed, and the \(wording.run) goes on in a new process")
            }
            plan.suspects = ids
            return .restart(note: "\(died) with \(ids.count) \(wording.units) in progress; the \(wording.run) goes on in a new process, which runs those one at a time first")
        }
    }
}

/// A deliberate fault, so that tests can check crash isolation on the real binary:
/// `BITEXT_FAULT_TEST=KIND:STAGE:FILE[,FILE…]` makes stage STAGE, when it starts on a unit with
/// an input named FILE (the last component of its path; for an inline record of `bitext stream`,
/// `inline:` and its id, as `inline:7` or `inline:d.en`), trap as an overflow would (KIND
/// `crash`) or never return, as an endless loop would (KIND `hang`).
public struct FaultInjection: Sendable {
    public enum Kind: String, Sendable { case crash, hang }
    public var kind: Kind
    public var stage: String
    public var fileNames: Set<String>

    public static let environmentKey = "BITEXT_FAULT_TEST"

    public init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let fields = environment[Self.environmentKey]?.split(separator: ":", maxSplits: 2), fields.count == 3,
            let kind = Kind(rawValue: String(fields[0]))
        else { return nil }
        self.kind = kind
        stage = String(fields[1])
        fileNames = Set(fields[2].split(separator: ",").map(String.init))
    }

    func injectIfChosen(stage: String, unit: WorkUnit) {
        guard stage == self.stage,
            let chosen = unit.inputs.lazy.compactMap({ $0.path.split(separator: "/").last.map(String.init) }).first(where: fileNames.contains)
        else { return }
        switch kind {
        case .crash:
            fatalError("\(Self.environmentKey): crashing in \(stage) on \(chosen), as asked")
        case .hang:
            while true { sleep(3600) }
        }
    }
}
