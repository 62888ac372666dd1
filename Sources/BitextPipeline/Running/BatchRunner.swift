import BitextCore
import BitextIngest
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Settings of one batch run.
public struct BatchOptions: Sendable {
    public var outputDirectory: String
    /// Units processed at once.
    public var jobs: Int
    public var explain: Bool
    /// Skip units whose outputs the manifest shows to be current.
    public var resume: Bool
    /// Process only the units whose stable hash falls in this shard (`K/N`, 1-based K).
    public var shard: Shard?
    /// The supervisor this run reports to, and the plan it was given (`BatchSupervisor`):
    /// nil when the run is not supervised.
    public var supervision: Supervision?

    /// `manifest.json`, or `manifest.shard-K-of-N.json` for a shard, so that shards writing
    /// into one directory keep one manifest each (and `--resume` finds its own).
    public var manifestName: String { shard.map { "manifest.shard-\($0.index)-of-\($0.count).json" } ?? "manifest.json" }
    public var manifestPath: String { outputDirectory + "/" + manifestName }

    public init(
        outputDirectory: String, jobs: Int = ProcessInfo.processInfo.activeProcessorCount, explain: Bool = false, resume: Bool = false, shard: Shard? = nil,
        supervision: Supervision? = nil
    ) {
        self.outputDirectory = outputDirectory
        self.jobs = max(1, jobs)
        self.explain = explain
        // A restarted attempt takes up where the crashed one left off.
        self.resume = resume || (supervision?.plan.attempt ?? 1) > 1
        self.shard = shard
        self.supervision = supervision
    }
}

/// A deterministic slice of a batch: unit `u` belongs to shard `index` of `count` when
/// `fnv1a(u.id) % count == index - 1`.
public struct Shard: Sendable, Hashable {
    public var index: Int
    public var count: Int
    public init?(_ text: String) {
        let parts = text.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 2, parts[1] >= 1, (1...parts[1]).contains(parts[0]) else { return nil }
        index = parts[0]
        count = parts[1]
    }
    public func contains(_ id: String) -> Bool { Int(StableHash.fnv1a(id) % UInt64(count)) == index - 1 }
}

/// What happened to one unit.
public struct UnitOutcome: Sendable {
    public enum Status: String, Sendable { case ok, failed, skipped }
    public var id: String
    public var inputs: [Manifest.FileEntry]
    public var status: Status
    public var outputs: [Manifest.FileEntry]
    public var failure: Diagnostic?
    public var warnings: [Diagnostic]
    public var notes: [String]
}

/// Counts for the progress line.
public struct BatchProgress: Sendable {
    public var done: Int
    public var total: Int
    public var failed: Int
    public var bytes: Int
    public var elapsed: Double
}

/// The result of a batch run.
public struct BatchReport: Sendable {
    public var outcomes: [UnitOutcome]
    /// Discovery problems and planning notes (unpaired or ambiguous documents).
    public var notes: [Diagnostic]
    public var interrupted: Bool
    public var elapsed: Double
    public var bytes: Int

    public var failed: [UnitOutcome] { outcomes.filter { $0.status == .failed } }
    /// 0 when every input succeeded, 1 when any failed (or could not be found), 130 when interrupted.
    public var exitStatus: Int32 {
        if interrupted { return 130 }
        return failed.isEmpty && !notes.contains { $0.severity == .error } ? 0 : 1
    }
}

/// Set from a signal handler; checked before each unit starts.
public final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    public init() {}
    public func cancel() { lock.withLock { cancelled = true } }
    public var isCancelled: Bool { lock.withLock { cancelled } }
}

/// Runs a plan over units: stages in order, then writers; many units at once.
public struct BatchRunner: Sendable {
    public let plan: PipelinePlan
    /// A fingerprint of the pipeline, so that `--resume` never trusts another pipeline's outputs.
    public let fingerprint: String

    /// The plan's writers as `writeOutputs` calls them, and its first stage when that is
    /// ingest: cast once here (casting them for every unit cost a dynamic cast each).
    private let writers: [Writer]
    private let ingest: Ingest?
    /// The resource each stage of the plan reads (`PipelineResources`), by the stage's index.
    private let stageResources: [PipelineResources.Resource?]
    /// A deliberate crash or hang, for testing crash isolation (`FaultInjection`).
    public var faultInjection: FaultInjection?

    private enum Writer: Sendable {
        /// Streams its files into the sink as it writes them.
        case streaming(any StreamingOutputWriter)
        /// Returns its files whole.
        case whole(any OutputWriter)
    }

    public init(plan: PipelinePlan, pipelineText: String = "") {
        self.plan = plan
        self.fingerprint = SHA256.hex(Array((pipelineText + "\n" + BitextVersion.current).utf8))
        writers = plan.writers.map { planned in (planned.writer as? any StreamingOutputWriter).map(Writer.streaming) ?? .whole(planned.writer) }
        ingest = plan.stages.first?.stage as? Ingest
        stageResources = plan.stages.map { PipelineResources.resource(of: $0.stage) }
    }

    /// Groups inputs into units (pairing, when the pipeline has a planning stage) and names them.
    public func units(for inputs: [InputFile]) -> (units: [WorkUnit], notes: [Diagnostic]) {
        let batch = plan.stages.lazy.compactMap(\.planner).first?.plan(inputs) ?? BatchPlan(units: inputs.map { [$0] })
        let named = UnitNaming.name(batch.units)
        return (zip(named, batch.units).map { WorkUnit(id: $0, inputs: $1) }, batch.notes)
    }

    /// Runs every stage on one unit. Errors name the file and the stage.
    public func process(_ unit: inout WorkUnit, context: StageContext) throws {
        // Stages called in place: a copy of each planned stage (its id and its stage) was
        // retained and released for every stage of every unit.
        try plan.stages.withUnsafeBufferPointer { stages in
            for index in stages.indices {
                if let resource = stageResources[index] { PipelineResources.ensureLoaded(resource) }
                try Self.run(stages.baseAddress! + index, on: &unit, context: context)
            }
        }
    }

    /// Runs one stage on a unit; an error names the file and the stage.
    private static func run(_ planned: UnsafePointer<PipelinePlan.PlannedStage>, on unit: inout WorkUnit, context: StageContext) throws {
        do {
            try planned.pointee.stage.process(&unit, context: context)
        } catch var error as InputError {
            if error.diagnostic.stage == nil { error.diagnostic.stage = planned.pointee.id.rawValue }
            throw error
        } catch {
            throw InputError(file: unit.inputs.map(\.path).joined(separator: " + "), stage: planned.pointee.id.rawValue, "\(error)")
        }
    }

    /// Runs every stage on a group of units read together, stage by stage rather than unit by
    /// unit: each stage's code and tables (lexicons, language profiles, dictionaries) then stay in
    /// the caches for the whole group instead of being evicted by the other stages between two
    /// units (on 1,000 small pairs a unit's entity extraction cost 1.6× a second run over the
    /// same unit; groups of 16 took 11–13% off a batch's CPU, BENCHMARKS.md, session 25). A unit
    /// that a stage left intermediate results for (`WorkUnit.reusable`: the paragraph reading
    /// `align.sentences` takes over, holding a lease on a shared reading store) runs its next
    /// stages at once, until none are left, so that a group holds one such reading at a time;
    /// they are dropped after the last stage. A unit whose stage fails keeps the error and
    /// skips its other stages; the group goes on. Returns each unit's error, nil for a unit
    /// that went through every stage.
    /// `journal`: where to record each stage a unit enters (for a unit in a group of its own).
    public func process(_ units: inout [WorkUnit], context: StageContext, journal: UnitJournal? = nil) -> [(any Error)?] {
        var group = units.map { GroupedUnit(unit: $0) }
        units = []  // the group holds the only copy while the stages change it
        process(&group, context: context, journal: journal)
        units = group.map(\.unit)
        return group.map(\.failure)
    }

    /// `journal`: where to record each stage a unit enters (for a unit in a group of its own).
    private func process<Unit: UnitInGroup>(_ group: inout [Unit], context: StageContext, journal: UnitJournal? = nil) {
        plan.stages.withUnsafeBufferPointer { stages in
            // Each unit's next stage.
            var next = [Int](repeating: 0, count: group.count)
            // Whether each unit is still processing, looked at once and then kept here (only a
            // stage's failure changes it): each look at `isProcessing` copied the whole unit and
            // destroyed the copy, some 25 a unit over the nine stages of the full pipeline.
            var processing = group.map(\.isProcessing)
            for stage in stages.indices {
                for u in group.indices where next[u] == stage && processing[u] {
                    repeat {
                        do {
                            if journal != nil || faultInjection != nil {
                                let id = stages[next[u]].id.rawValue
                                journal?.entering(stage: id, of: group[u].unit.id)
                                faultInjection?.injectIfChosen(stage: id, unit: group[u].unit)
                            }
                            if let resource = stageResources[next[u]] { PipelineResources.ensureLoaded(resource) }
                            try Self.run(stages.baseAddress! + next[u], on: &group[u].unit, context: context)
                            next[u] += 1
                        } catch {
                            group[u].failure = error
                            processing[u] = false
                        }
                    } while processing[u] && next[u] < stages.count && !group[u].unit.reusable.isEmpty
                    if !processing[u] || next[u] == stages.count { group[u].unit.reusable = [:] }
                }
            }
        }
    }

    /// Units read together and run stage by stage (`process(_:context:)` over a group): enough
    /// to keep each stage's working set in the caches across units, few enough that a worker's
    /// group stays small beside the inputs in flight.
    public static let unitsPerGroup = 16
    /// A group is closed once its inputs reach this many bytes: larger documents gain nothing
    /// from company (one alone fills the caches) and a group's units are all in memory at once.
    static let groupInputBytes = 1 << 20

    /// Units per group for a batch of `units` over `jobs` workers whose writers stage about
    /// `filesPerUnit` files a unit: smaller groups in small batches, so that every worker gets
    /// some (a group is one worker's); and no more staged files held open by the workers'
    /// groups together than one publishing group (`publishGroupFiles`), which keeps the
    /// runner within its share of a low `ulimit -n` (a group's files are handed over for
    /// publishing only once the whole group is written).
    static func groupSize(units: Int, jobs: Int, filesPerUnit: Int, publishGroupFiles: Int = publishGroupFiles) -> Int {
        max(1, min(unitsPerGroup, units / (4 * jobs), publishGroupFiles / (jobs * max(1, filesPerUnit))))
    }

    /// Runs the writers on a processed unit (for standard output or files).
    public func render(_ unit: WorkUnit) throws -> [OutputFile] {
        try plan.writers.flatMap { try $0.writer.write(unit, baseName: unit.id) }
    }

    public func run(
        _ inputs: [InputFile], options: BatchOptions, cancellation: CancellationFlag = CancellationFlag(),
        progress: @escaping @Sendable (BatchProgress) -> Void = { _ in }
    ) async -> BatchReport {
        let start = Date()
        var (units, notes) = units(for: inputs)
        if let shard = options.shard { units = units.filter { shard.contains($0.id) } }
        Self.removeStaleTemporaryFiles(in: options.outputDirectory)
        let previous = options.resume ? Manifest.load(from: options.outputDirectory, name: options.manifestName) : nil
        let current = previous?.pipelineFingerprint == fingerprint ? previous : nil
        let previousUnits = Dictionary((current?.units ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var outcomes: [UnitOutcome] = []
        var bytes = 0
        var failed = 0
        var manifest = IncrementalManifest(pipeline: plan.name, pipelineFingerprint: fingerprint)
        var lastManifestWrite = Date.distantPast
        var lastSubmission = Date.distantPast
        var listedInManifest = 0
        let context = StageContext(explain: options.explain)
        // Finished units whose files are written but not yet durable nor in place: they are
        // published together (fsync, rename, directory fsync) on the publisher's thread, and
        // only then recorded in the manifest, so the manifest never lists an output a crash
        // could lose. Units go on being processed while the disk flushes.
        var pending: [(outcome: Int, files: [AtomicFile.Staged])] = []
        var pendingFiles = 0
        let publisher = BackgroundPublisher()
        // Outcome indices of the groups handed to the publisher, oldest first, and their files.
        var submitted: [(outcomes: [Int], files: Int)] = []
        var submittedFiles = 0

        /// Records the groups the publisher has finished (a unit whose files could not be
        /// published fails), oldest first.
        func recordPublished() {
            for failures in publisher.takeFinished() {
                let group = submitted.removeFirst()
                submittedFiles -= group.files
                for (index, failure) in zip(group.outcomes, failures) {
                    if let failure {
                        outcomes[index].status = .failed
                        outcomes[index].outputs = []
                        outcomes[index].failure = InputError(file: outcomes[index].inputs.map(\.path).joined(separator: " + "), stage: "write", "\(failure)").diagnostic
                        failed += 1
                    }
                    manifest.append(Self.manifestEntry(outcomes[index]))
                }
            }
        }

        /// Hands the pending units to the publisher; with `wait`, returns once every group
        /// handed over is published and recorded.
        func publishPending(wait: Bool = false) {
            if !pending.isEmpty {
                publisher.submit(pending.map(\.files))
                submitted.append((pending.map(\.outcome), pendingFiles))
                submittedFiles += pendingFiles
                pending.removeAll(keepingCapacity: true)
                pendingFiles = 0
            }
            // Files stay open until published: past two groups' worth, wait for the disk.
            if wait || submittedFiles > 2 * Self.publishGroupFiles { publisher.waitUntilIdle() }
            recordPublished()
        }

        // A finished unit: counted, reported, and published with its group.
        func finish(_ outcome: UnitOutcome, _ staged: [AtomicFile.Staged], _ unitBytes: Int) {
            outcomes.append(outcome)
            bytes += unitBytes
            if outcome.status == .failed { failed += 1 }
            if staged.isEmpty {
                manifest.append(Self.manifestEntry(outcome))
            } else {
                pending.append((outcomes.count - 1, staged))
                pendingFiles += staged.count
            }
            progress(BatchProgress(done: outcomes.count, total: units.count, failed: failed, bytes: bytes, elapsed: Date().timeIntervalSince(start)))
            // Publish about every second, sooner when many files are open; keep the manifest
            // current (`manifestCheckpointIsDue`: at most every second, at least every ten once
            // it has news) so that a killed run can resume.
            let now = Date()
            if now.timeIntervalSince(lastSubmission) > 1 || pendingFiles >= Self.publishGroupFiles {
                publishPending()
                lastSubmission = now
            } else {
                recordPublished()
            }
            if Self.manifestCheckpointIsDue(listed: listedInManifest, recorded: manifest.count, sinceLastWrite: now.timeIntervalSince(lastManifestWrite)) {
                try? manifest.write(to: options.manifestPath)
                lastManifestWrite = now
                listedInManifest = manifest.count
            }
        }

        // The inputs of the units about to start are read ahead in the background, so that
        // a worker seldom waits for the disk (`InputPrefetcher`).
        // The files it opens are kept for the workers when the pipeline reads its inputs here
        // (it starts by ingesting them).
        var prefetch = PrefetchWindow(jobs: options.jobs, keepingDescriptors: ingest != nil)
        let opened = prefetch.opened
        // After a crash (`BatchSupervisor`): the units that crashed the process fail at once,
        // and those in flight when it died each run alone, first, before the rest.
        var scheduled = units
        if let plan = options.supervision?.plan, !plan.crashes.isEmpty || !plan.suspects.isEmpty {
            let suspects = Set(plan.suspects)
            for unit in units {
                if let crash = plan.crashes[unit.id] { finish(Self.outcome(of: unit, crashed: crash), [], 0) }
            }
            for unit in units where suspects.contains(unit.id) && plan.crashes[unit.id] == nil && !cancellation.isCancelled {
                for (outcome, staged, unitBytes) in runGroup(
                    [unit], context: context, options: options, priors: previousUnits, opened: nil, cancellation: cancellation)
                {
                    finish(outcome, staged, unitBytes)
                }
            }
            // What ran alone is published and listed before anything else starts, so that
            // another crash never sends it round again.
            publishPending(wait: true)
            try? manifest.write(to: options.manifestPath)
            lastManifestWrite = Date()
            listedInManifest = manifest.count
            scheduled = units.filter { plan.crashes[$0.id] == nil && !suspects.contains($0.id) }
        }
        let groupSize = Self.groupSize(units: scheduled.count, jobs: options.jobs, filesPerUnit: writers.count)
        if options.jobs == 1 {
            // One group at a time, run right here: a child task per unit cost two thread
            // hand-offs (a futex wake and a context switch each way) per unit.
            var next = 0
            while next < scheduled.count && !cancellation.isCancelled {
                prefetch.advance(to: next, of: scheduled)
                let group = scheduled[next..<min(scheduled.count, next + groupSize)]
                next = group.endIndex
                for (outcome, staged, unitBytes) in runGroup(group, context: context, options: options, priors: previousUnits, opened: opened, cancellation: cancellation) {
                    finish(outcome, staged, unitBytes)
                }
            }
        } else {
            await withTaskGroup(of: [(UnitOutcome, [AtomicFile.Staged], Int)].self) { tasks in
                var next = 0
                func launch() {
                    prefetch.advance(to: next, of: scheduled)
                    let group = Array(scheduled[next..<min(scheduled.count, next + groupSize)])
                    let priors = previousUnits.isEmpty ? [:] : Dictionary(group.compactMap { unit in previousUnits[unit.id].map { (unit.id, $0) } }, uniquingKeysWith: { a, _ in a })
                    next += group.count
                    tasks.addTask { self.runGroup(group[...], context: context, options: options, priors: priors, opened: opened, cancellation: cancellation) }
                }
                for _ in 0..<options.jobs where next < scheduled.count && !cancellation.isCancelled { launch() }
                for await results in tasks {
                    for (outcome, staged, unitBytes) in results { finish(outcome, staged, unitBytes) }
                    if next < scheduled.count && !cancellation.isCancelled { launch() }
                }
            }
        }
        opened?.closeAll()
        publishPending(wait: true)
        if options.shard != nil, plan.writers.contains(where: { $0.writer is any BatchOutputWriter }) {
            // Shards share the output directory: one shard's index page or search index would
            // overwrite another's. Build them once all shards are done.
            notes.append(Diagnostic(.warning, file: options.outputDirectory, message: "a sharded run does not write batch outputs (review index page, search index); run `bitext index \(options.outputDirectory)` after the last shard"))
        } else if !cancellation.isCancelled {
            manifest.batchOutputs = finishBatchWriters(outcomes, directory: options.outputDirectory, notes: &notes)
        }
        do {
            try manifest.write(to: options.manifestPath)
        } catch {
            notes.append(Diagnostic(.error, file: options.manifestPath, message: "\(error)"))
        }
        outcomes.sort { $0.id < $1.id }
        return BatchReport(outcomes: outcomes, notes: notes, interrupted: cancellation.isCancelled && outcomes.count < units.count, elapsed: Date().timeIntervalSince(start), bytes: bytes)
    }

    /// Staged output files a batch holds open before publishing them together: enough to share
    /// the flushing of inode and directory blocks. The runner holds at most about three groups'
    /// worth (see `publishPending`), so under a low `ulimit -n` a group shrinks to an eighth of
    /// the limit, leaving room for the inputs and the prefetcher's descriptors.
    static let publishGroupFiles = publishGroupFiles(openFileLimit: InputPrefetcher.openFileLimit)
    static func publishGroupFiles(openFileLimit: Int) -> Int { max(1, min(128, openFileLimit / 8)) }

    /// Whether the batch should rewrite its manifest now: `recorded` units are in it, of which
    /// the file on disk lists `listed`, written `sinceLastWrite` seconds ago.
    ///
    /// Each checkpoint rewrites the whole manifest (and flushes it), so checkpoints made every
    /// second cost units done × seconds: on 10,000 small pairs on a loaded machine (50 s of
    /// wall time) about 50 rewrites of up to 7.7 MB, 3.4% of the run's CPU. A checkpoint
    /// therefore also waits until as many units were recorded since the last one as it listed
    /// (while a batch is young, the bytes written stay within twice the manifest's), or until
    /// `manifestCheckpointLongestInterval` has passed: a killed run redoes at most half of
    /// what it had done, and never more than about that many seconds' worth.
    static func manifestCheckpointIsDue(listed: Int, recorded: Int, sinceLastWrite: TimeInterval) -> Bool {
        guard recorded > listed, sinceLastWrite > manifestCheckpointInterval else { return false }
        return recorded - listed >= listed || sinceLastWrite > manifestCheckpointLongestInterval
    }

    /// Seconds between manifest checkpoints at least (`manifestCheckpointIsDue`).
    static let manifestCheckpointInterval: TimeInterval = 1
    /// Seconds after which a checkpoint is made however few units are new.
    static let manifestCheckpointLongestInterval: TimeInterval = 10

    static func manifestEntry(_ outcome: UnitOutcome) -> Manifest.UnitEntry {
        Manifest.UnitEntry(
            id: outcome.id, status: outcome.status.rawValue, inputs: outcome.inputs, outputs: outcome.outputs,
            error: outcome.failure?.description, warnings: outcome.warnings.count)
    }

    /// Lets batch-level writers (`BatchOutputWriter`) write their files over the whole batch,
    /// atomically; returns their manifest entries. A failure is a batch note, not a crash.
    private func finishBatchWriters(_ outcomes: [UnitOutcome], directory: String, notes: inout [Diagnostic]) -> [Manifest.FileEntry]? {
        let batchWriters = plan.writers.compactMap { planned in (planned.writer as? any BatchOutputWriter).map { (planned.name, $0) } }
        guard !batchWriters.isEmpty else { return nil }
        let summaries = outcomes.sorted { $0.id < $1.id }.map { BatchUnitSummary(id: $0.id, status: $0.status.rawValue, outputs: $0.outputs.map(\.path)) }
        var entries: [Manifest.FileEntry] = []
        for (name, writer) in batchWriters {
            do {
                // Written as they come (hashed on the way), and put in place together.
                var sink = HashingFileSink(directory: directory)
                try writer.finish(units: summaries, outputs: OutputReader(directory: directory), to: &sink)
                let (files, staged) = try sink.stage()
                if let failure = AtomicFile.publish([staged])[0] { throw failure }
                entries += files
            } catch {
                notes.append(Diagnostic(.error, file: directory, stage: name.rawValue, message: "\(error)"))
            }
        }
        return entries
    }

    /// A unit that goes through the stages with others (`process(_:context:)` over a group).
    private protocol UnitInGroup {
        var unit: WorkUnit { get set }
        /// The error of the stage that failed, if one did.
        var failure: (any Error)? { get set }
        /// Still to go through the stages.
        var isProcessing: Bool { get }
    }

    /// A unit handed in by a caller (`bitext stream`'s records), nothing around it.
    private struct GroupedUnit: UnitInGroup {
        var unit: WorkUnit
        var failure: (any Error)?
        var isProcessing: Bool { failure == nil }
    }

    /// A unit between reading and writing: its inputs read and entered for the manifest, then
    /// processed with the rest of its group.
    private struct UnitInProgress: UnitInGroup {
        var unit: WorkUnit
        var outcome: UnitOutcome
        /// Plain-text inputs whose digests wait for the outputs, to be computed alongside theirs.
        var textsToHash: [(entry: Int, text: String)]
        /// Input bytes read.
        var bytes: Int
        /// The error of the stage that failed, if one did.
        var failure: (any Error)?

        /// Still to go through the stages: not skipped (current outputs) and not failed.
        var isProcessing: Bool { failure == nil && outcome.status != .skipped }
    }

    /// Reads, processes and writes a group of units (`process(_:context:)` over a group);
    /// never throws: failures become outcomes, in the group's order. Units are read until
    /// their inputs reach `groupInputBytes`, processed, written, and so on to the group's end;
    /// reading stops once the batch is cancelled (the units read are still finished).
    /// A supervised run journals the group's units as in flight until they are done, and,
    /// for a group of one unit, each stage it enters: a unit alone in flight when the process
    /// dies is the one that crashed it, and its stage goes in the report. (A few writes per
    /// stage; groups of one hold large documents, small batches, or units rerun after a crash.)
    private func runGroup(
        _ units: ArraySlice<WorkUnit>, context: StageContext, options: BatchOptions, priors: [String: Manifest.UnitEntry], opened: PrefetchedInputs?,
        cancellation: CancellationFlag
    ) -> [(UnitOutcome, [AtomicFile.Staged], Int)] {
        let journal = options.supervision?.journal
        journal?.started(units.lazy.map(\.id))
        defer { journal?.finished(units.lazy.map(\.id)) }
        let stageJournal = units.count == 1 ? journal : nil
        var results: [(UnitOutcome, [AtomicFile.Staged], Int)] = []
        results.reserveCapacity(units.count)
        var group: [UnitInProgress] = []
        group.reserveCapacity(units.count)
        var groupBytes = 0
        func finishGroup() {
            process(&group, context: context, journal: stageJournal)
            for unit in group {
                stageJournal?.entering(stage: "write", of: unit.unit.id)
                results.append(writeUnit(unit, options: options))
            }
            group.removeAll(keepingCapacity: true)
            groupBytes = 0
        }
        for unit in units {
            if cancellation.isCancelled { break }
            stageJournal?.entering(stage: "read", of: unit.id)
            group.append(readUnit(unit, options: options, prior: priors[unit.id], opened: opened))
            groupBytes += group[group.count - 1].bytes
            if groupBytes >= Self.groupInputBytes { finishGroup() }
        }
        if !group.isEmpty { finishGroup() }
        return results
    }

    /// A unit that crashed an earlier attempt of this batch (`CrashTriage`): failed, with its
    /// inputs entered for the manifest as they are now, never run again in this batch.
    static func outcome(of unit: WorkUnit, crashed crash: UnitCrash) -> UnitOutcome {
        let inputs = unit.inputs.map { input in
            Self.digest(ofFile: input.path).map { Manifest.FileEntry(path: input.path, sha256: $0.sha256, bytes: $0.bytes) }
                ?? Manifest.FileEntry(path: input.path, sha256: "", bytes: 0)
        }
        let failure = Diagnostic(.error, file: unit.inputs.map(\.path).joined(separator: " + "), stage: crash.stage, message: crash.message)
        return UnitOutcome(id: unit.id, inputs: inputs, status: .failed, outputs: [], failure: failure, warnings: [], notes: [])
    }

    /// Reads a unit's inputs and enters them for the manifest; marks it skipped when resuming
    /// finds its outputs current. `opened`: descriptors of inputs the prefetcher opened, taken
    /// instead of opening them again.
    private func readUnit(_ unit: WorkUnit, options: BatchOptions, prior: Manifest.UnitEntry?, opened: PrefetchedInputs?) -> UnitInProgress {
        var unit = unit
        var inputs: [Manifest.FileEntry] = []
        var total = 0
        // When the pipeline starts by ingesting, each input is read once: hashed for the
        // manifest here and handed to ingest in memory (ingest drops it once decoded). Plain
        // text that needs no decoding is read straight into the document's `String`, and its
        // digest waits for the outputs, to be computed alongside theirs (`HashingFileSink`),
        // unless resuming needs it first.
        var textsToHash: [(entry: Int, text: String)] = []
        // One entry per input, two for a pair: appended from empty, each list was allocated twice.
        inputs.reserveCapacity(unit.inputs.count)
        textsToHash.reserveCapacity(unit.inputs.count)
        for index in unit.inputs.indices {
            let input = unit.inputs[index]
            let readsAsText = ingest.map { $0.options.format == "text" || ($0.options.format == "auto" && input.format == .text) } ?? false
            if let contents = input.contents {
                inputs.append(Manifest.FileEntry(path: input.path, sha256: SHA256.hex(contents), bytes: contents.count))
                total += contents.count
            } else if let ingest, readsAsText, let text = Self.cleanText(ofFile: input.path, limit: ingest.options.maxBytes, prefetched: opened) {
                let count = text.utf8.count
                inputs.append(Manifest.FileEntry(path: input.path, sha256: prior == nil ? "" : Self.digest(of: text), bytes: count))
                if prior == nil { textsToHash.append((inputs.count - 1, text)) }
                total += count
                unit.inputs[index].text = text
            } else if let ingest, let bytes = Self.contents(ofFile: input.path, limit: ingest.options.maxBytes, prefetched: opened) {
                inputs.append(Manifest.FileEntry(path: input.path, sha256: SHA256.hex(bytes), bytes: bytes.count))
                total += bytes.count
                unit.inputs[index].contents = bytes
            } else if let (sha256, count) = Self.digest(ofFile: input.path) {
                inputs.append(Manifest.FileEntry(path: input.path, sha256: sha256, bytes: count))
                total += count
            } else {
                inputs.append(Manifest.FileEntry(path: input.path, sha256: "", bytes: 0))
            }
        }
        // The entries handed over, not shared: the digests written into them below copied them.
        var outcome = UnitOutcome(id: unit.id, inputs: consume inputs, status: .ok, outputs: [], failure: nil, warnings: [], notes: [])
        // A unit an earlier resumed run skipped is as current as when it was written.
        if let prior, prior.status == UnitOutcome.Status.ok.rawValue || prior.status == UnitOutcome.Status.skipped.rawValue, prior.inputs == outcome.inputs, outputsAreCurrent(prior.outputs, in: options.outputDirectory) {
            outcome.status = .skipped
            outcome.outputs = prior.outputs
        }
        return UnitInProgress(unit: unit, outcome: outcome, textsToHash: textsToHash, bytes: total, failure: nil)
    }

    /// Writes a processed unit's outputs (or records its failure); never throws.
    private func writeUnit(_ read: UnitInProgress, options: BatchOptions) -> (UnitOutcome, [AtomicFile.Staged], Int) {
        var outcome = read.outcome
        if outcome.status == .skipped { return (outcome, [], read.bytes) }
        let unit = read.unit
        let textsToHash = read.textsToHash
        var staged: [AtomicFile.Staged] = []
        do {
            if let failure = read.failure { throw failure }
            outcome.warnings = unit.documents.flatMap(\.diagnostics).filter { $0.severity == .warning } + unit.diagnostics.filter { $0.severity == .warning }
            let digests: [String]
            (outcome.outputs, staged, digests) = try writeOutputs(unit, directory: options.outputDirectory, hashingAlongside: textsToHash.map(\.text))
            for (index, digest) in digests.enumerated() { outcome.inputs[textsToHash[index].entry].sha256 = digest }
        } catch let error as InputError {
            outcome.status = .failed
            outcome.failure = error.diagnostic
        } catch let error as AtomicFile.WriteError {
            outcome.status = .failed
            outcome.failure = InputError(file: unit.inputs.map(\.path).joined(separator: " + "), stage: "write", "\(error)").diagnostic
        } catch {
            outcome.status = .failed
            outcome.failure = Diagnostic(.error, file: unit.inputs.map(\.path).joined(separator: " + "), message: "\(error)")
        }
        // Inputs whose digests no output carried (the unit failed before or while writing).
        for (entry, text) in textsToHash where outcome.inputs[entry].sha256.isEmpty {
            outcome.inputs[entry].sha256 = Self.digest(of: text)
        }
        return (outcome, staged, read.bytes)
    }

    /// Runs every writer on a processed unit into temporary files, hashing the bytes as they
    /// pass, and stages them for the runner to publish once every writer has succeeded (so a
    /// failing writer leaves no partial set of outputs). Streaming writers never hold their
    /// whole output in memory.
    /// The digests of `texts` (inputs), hashed alongside the outputs, come back too.
    private func writeOutputs(_ unit: WorkUnit, directory: String, hashingAlongside texts: [String]) throws -> (
        entries: [Manifest.FileEntry], staged: [AtomicFile.Staged], alongside: [String]
    ) {
        var sink = HashingFileSink(directory: directory, hashingAlongside: texts)
        for writer in writers {
            switch writer {
            case .streaming(let streaming):
                try streaming.stream(unit, baseName: unit.id, to: &sink)
            case .whole(let whole):
                for file in try whole.write(unit, baseName: unit.id) {
                    try sink.open(relativePath: file.relativePath)
                    try file.contents.withUnsafeBytes { try sink.append($0) }
                }
            }
        }
        let digests = sink.alongsideDigests()
        let (entries, staged) = try sink.stage()
        return (entries, staged, digests)
    }

    /// A regular file no larger than `limit`, opened for reading (or as the prefetcher opened
    /// it), and its size; nil otherwise. O_NONBLOCK keeps a FIFO from blocking the open. The
    /// caller closes the descriptor.
    private static func openRegularFile(_ path: String, limit: Int, prefetched: PrefetchedInputs?) -> (fd: Int32, size: Int)? {
        let fd = prefetched?.take(path) ?? path.withCString { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) <= limit else {
            close(fd)
            return nil
        }
        return (fd, Int(info.st_size))
    }

    /// A whole regular file no larger than `limit` read straight into a `String`, when its
    /// bytes need no decoding (`TextDecoder.startsLikeCleanText`, `cleanPrefixEnd`: the
    /// common case for plain text): no byte array, no copy. Each piece is checked as it
    /// arrives, while it is in the cache; nil as soon as one is not clean (or the file cannot
    /// be read so), and the caller reads the bytes as usual. Large files are read through a
    /// small buffer instead (`piecewiseCleanText`).
    static func cleanText(ofFile path: String, limit: Int, prefetched: PrefetchedInputs? = nil) -> String? {
        guard let (fd, size) = openRegularFile(path, limit: limit, prefetched: prefetched) else { return nil }
        defer { close(fd) }
        if size >= piecewiseReadMinimum { return piecewiseCleanText(fd, size: size) }
        return readCleanText(fd, size: size)
    }

    /// `cleanText` by reading the file (of `size` bytes, as `fstat` said) into the string a
    /// piece at a time.
    static func readCleanText(_ fd: Int32, size: Int) -> String? {
        var clean = true
        // Whether the last read came back short: then it met the end of the file.
        var metEnd = false
        // One byte more than `fstat` said is asked for, so that the read that fills the text
        // also shows where the file ends (a short read) and no second read is needed to see it.
        let text = String(unsafeUninitializedCapacity: size + 1) { buffer in
            guard size > 0, let base = buffer.baseAddress else { return 0 }
            // Fresh memory, every page of it about to be written: resident at once (`Prefault`).
            Prefault.populate(UnsafeMutableRawBufferPointer(buffer))
            var filled = 0
            var cleanEnd = 0
            while filled < size {
                let wanted = min(size + 1 - filled, 1 << 20)
                let n = read(fd, base + filled, wanted)
                if n < 0 && errno == EINTR { continue }
                guard n > 0, filled + n <= size else {  // an error, or the file shrank or grew
                    clean = false
                    return 0
                }
                filled += n
                metEnd = n < wanted
                cleanEnd = TextDecoder.cleanPrefixEnd(UnsafeBufferPointer(rebasing: buffer[0..<filled]), from: cleanEnd)
                // A sequence cut by the end of the piece is checked again with the next one.
                guard cleanEnd == filled || (filled < size && cleanEnd + 4 > filled) else {
                    clean = false
                    return 0
                }
            }
            guard TextDecoder.startsLikeCleanText(UnsafeBufferPointer(rebasing: buffer[0..<size])) else {
                clean = false
                return 0
            }
            return size
        }
        guard clean else { return nil }
        // A file that grew since `fstat` is read again as bytes.
        if !metEnd {
            var probe: UInt8 = 0
            guard read(fd, &probe, 1) == 0 else { return nil }
        }
        return text
    }

    /// Files from this size are read a piece at a time through a small buffer
    /// (`piecewiseCleanText`); smaller ones (most documents) straight into their string.
    static let piecewiseReadMinimum = 1 << 20

    /// Bytes read at a time by `piecewiseCleanText` (the buffer stays in the second-level cache).
    static let cleanReadPiece = 1 << 18

    /// A large file's text read a piece at a time into a buffer, each piece checked
    /// (`cleanPrefixEnd`) and appended to the text while it is in the cache, without the
    /// standard library's second UTF-8 check (`validateUTF8`, 3.8% of a run on 100 MB). The
    /// string's storage is reserved, and made resident at once after the first piece (`Prefault`). Read, not mapped:
    /// a mapped file that another process truncates faults (SIGBUS) and would stop the batch;
    /// a read just comes back short. Nil when the bytes need decoding or the file changed size.
    static func piecewiseCleanText(_ fd: Int32, size: Int) -> String? {
        var text = String()
        text.reserveCapacity(size)
        // Room for a piece and the up to three bytes of a sequence the last piece cut.
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: cleanReadPiece + 4)
        defer { buffer.deallocate() }
        var carried = 0
        var total = 0
        var first = true
        while true {
            let n = read(fd, buffer.baseAddress! + carried, cleanReadPiece)
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return nil }
            total += n
            guard total <= size else { return nil }  // the file grew
            if n == 0 {
                // The end: nothing cut may be left, and the file must not have shrunk.
                return carried == 0 && total == size ? text : nil
            }
            if first && carried + n < min(size, cleanReadPiece) {
                // A short first read: the head is checked (signatures, `startsLikeCleanText`)
                // on a whole first piece, as on the whole file, not on what one read returned.
                carried += n
                continue
            }
            let available = UnsafeBufferPointer(rebasing: buffer[0..<(carried + n)])
            if first {
                guard TextDecoder.startsLikeCleanText(available) else { return nil }
            }
            let end = TextDecoder.appendCleanPrefix(of: available, to: &text)
            if first {
                // The string's reserve made resident at once, now that it holds a piece.
                Prefault.populateReserve(of: &text, upTo: size)
                first = false
            }
            // Only a sequence cut by the piece's end (at most three bytes) may be left over.
            carried = available.count - end
            guard carried < 4 else { return nil }
            if carried > 0 { buffer.baseAddress!.update(from: buffer.baseAddress! + end, count: carried) }
        }
    }

    /// The SHA-256 of a text's UTF-8 bytes, in lower-case hex.
    static func digest(of text: String) -> String {
        var text = text
        text.makeContiguousUTF8()
        return text.utf8.withContiguousStorageIfAvailable { SHA256.hex($0) } ?? SHA256.hex(Array(text.utf8))
    }

    /// A whole regular file no larger than `limit`, read with plain system calls (no
    /// intermediate `Data`); nil when it cannot be read that way (ingest then reads it itself
    /// and reports why).
    static func contents(ofFile path: String, limit: Int, prefetched: PrefetchedInputs? = nil) -> [UInt8]? {
        guard let (fd, size) = openRegularFile(path, limit: limit, prefetched: prefetched) else { return nil }
        defer { close(fd) }
        var failed = false
        var metEnd = false
        // One byte more than `fstat` said is asked for (see `cleanText`): a short read shows
        // the end of the file. At least one slot also keeps an empty file's initializer away
        // from the process-wide empty-array storage (writing its count there is a data race
        // between concurrent units).
        var bytes = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, initialized in
            while initialized <= size {
                let wanted = size + 1 - initialized
                let n = read(fd, buffer.baseAddress! + initialized, wanted)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { failed = true }
                if n <= 0 { break }  // an error, or the file shrank
                initialized += n
                if n < wanted {
                    metEnd = true
                    break
                }
            }
        }
        // The file may have grown since `fstat`: read on to its end, but never past the limit.
        if bytes.count > limit { failed = true }
        var chunk = [UInt8](repeating: 0, count: failed || metEnd ? 0 : 1 << 16)
        while !failed && !metEnd {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { failed = true }
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > limit { failed = true }
        }
        return failed ? nil : bytes
    }

    /// SHA-256 and size of a file, read in 1 MiB chunks so that hashing a large input does not
    /// hold a second copy of it in memory; nil when it cannot be opened as a regular file
    /// (ingest then reports why). O_NONBLOCK keeps a FIFO from blocking the open.
    static func digest(ofFile path: String) -> (sha256: String, bytes: Int)? {
        let fd = path.withCString { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        var hasher = SHA256()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var count = 0
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return nil }
            if n == 0 { break }
            hasher.update(chunk[0..<n])
            count += n
        }
        return (SHA256.hex(digest: hasher.finalize()), count)
    }

    /// Removes temporary files (`.NAME.tmp-PID-N`, see `AtomicFile`) that a killed run left in
    /// the output directory, when the process that made them is gone.
    ///
    /// It runs before the first unit starts, so it walks with `readdir` and looks only at
    /// hidden names: a `FileManager` enumerator stats every entry, which over a rerun's
    /// 10,000 outputs kept the batch on one thread for about 40 ms. Like that enumerator it
    /// follows no symbolic link and stays on the directory's file system.
    static func removeStaleTemporaryFiles(in directory: String) {
        var info = stat()
        guard directory.withCString({ stat($0, &info) }) == 0, info.st_mode & S_IFMT == S_IFDIR else { return }
        removeStaleTemporaryFiles(inDirectory: directory, device: info.st_dev)
    }

    private static func removeStaleTemporaryFiles(inDirectory directory: String, device: dev_t) {
        guard let stream = opendir(directory) else { return }
        var subdirectories: [String] = []
        while let entry = readdir(stream) {
            let type = Int32(entry.pointee.d_type)
            guard type == Int32(DT_DIR) || type == Int32(DT_REG) || type == Int32(DT_UNKNOWN) else { continue }
            let name = withUnsafePointer(to: entry.pointee.d_name) { $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) } }
            guard name != ".", name != ".." else { continue }
            let path = directory + "/" + name
            var isDirectory = type == Int32(DT_DIR)
            if type == Int32(DT_UNKNOWN) {
                var info = stat()
                guard path.withCString({ lstat($0, &info) }) == 0 else { continue }
                let kind = info.st_mode & S_IFMT
                guard kind == S_IFDIR || kind == S_IFREG else { continue }
                isDirectory = kind == S_IFDIR
            }
            if isDirectory {
                subdirectories.append(path)
            } else if isStaleTemporaryFile(name) {
                unlink(path)
            }
        }
        closedir(stream)
        for subdirectory in subdirectories {
            var info = stat()
            guard subdirectory.withCString({ lstat($0, &info) }) == 0, info.st_dev == device else { continue }
            removeStaleTemporaryFiles(inDirectory: subdirectory, device: device)
        }
    }

    /// Whether a file name is an `AtomicFile` temporary (`.NAME.tmp-PID-N`) of a process that
    /// no longer runs: gone, or dead and not yet reaped (a batch process whose supervisor was
    /// killed is reaped by init, in its own time).
    static func isStaleTemporaryFile(_ name: String) -> Bool {
        guard name.utf8.first == UInt8(ascii: "."), let marker = name.range(of: ".tmp-", options: .backwards) else { return false }
        let pid = name[marker.upperBound...].split(separator: "-").first.flatMap { Int32($0) }
        guard let pid, pid != getpid() else { return false }
        if kill(pid, 0) != 0 { return errno == ESRCH }
        return isZombie(pid)
    }

    /// Whether process `pid` has ended and waits to be reaped (state `Z` in /proc/PID/stat).
    static func isZombie(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let end = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: end)...].split(separator: " ").first == "Z"
    }

    private func outputsAreCurrent(_ outputs: [Manifest.FileEntry], in directory: String) -> Bool {
        !outputs.isEmpty && outputs.allSatisfy { entry in
            guard let data = FileManager.default.contents(atPath: directory + "/" + entry.path) else { return false }
            return data.count == entry.bytes && SHA256.hex(data) == entry.sha256
        }
    }
}

/// Publishes groups of staged output files (`AtomicFile.publish`) on a thread of its own, one
/// group after another in the order given, so that a batch goes on computing while the disk
/// flushes (each fsync waits for the device: milliseconds, against about two of compute per
/// small pair).
///
/// Its results are guarded by an `NSLock` (a pthread mutex) rather than `Mutex`: on Linux the
/// standard library's `Mutex` waits in a futex that ThreadSanitizer does not see, so under
/// contention it reported the guarded accesses as races, and `make test-sanitize` must only
/// report real ones.
final class BackgroundPublisher: @unchecked Sendable {
    private let queue = DispatchQueue(label: "bitext.publish")
    private let lock = NSLock()
    private var finished: [[AtomicFile.WriteError?]] = []

    func submit(_ groups: [[AtomicFile.Staged]]) {
        queue.async {
            let failures = AtomicFile.publish(groups)
            self.lock.withLock { self.finished.append(failures) }
        }
    }

    /// The results of the groups published since the last call, in submission order.
    func takeFinished() -> [[AtomicFile.WriteError?]] {
        lock.withLock {
            defer { finished.removeAll() }
            return finished
        }
    }

    func waitUntilIdle() { queue.sync {} }
}

/// The runner's `OutputSink`: each file goes to a temporary file as its bytes come, hashed on
/// the way; `stage` hands them over for publishing and returns their manifest entries.
/// Dropping the sink uncommitted removes the temporary files (`AtomicFile.Stream`).
struct HashingFileSink: OutputSink {
    let directory: String
    private var files: [(stream: AtomicFile.Stream, relativePath: String, hasher: SHA256, bytes: Int)] = []
    /// Inputs hashed alongside the outputs: as each output piece is hashed, as many bytes of
    /// the first unfinished input are hashed with it, two messages at once
    /// (`SHA256.update(_:with:_:with:)`), so that hashing the inputs costs little more.
    private var alongside: [(text: String, hasher: SHA256, hashed: Int)]

    init(directory: String, hashingAlongside texts: [String] = []) {
        self.directory = directory
        alongside = texts.map { text in
            var text = text
            text.makeContiguousUTF8()
            return (text, SHA256(), 0)
        }
    }

    mutating func open(relativePath: String) throws {
        try files.last?.stream.finishWriting()
        files.append((try AtomicFile.Stream(path: directory + "/" + relativePath), relativePath, SHA256(), 0))
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) throws {
        precondition(!files.isEmpty, "OutputSink.append before open")
        let last = files.count - 1
        try files[last].stream.append(bytes)
        if let input = alongside.firstIndex(where: { $0.hashed < $0.text.utf8.count }) {
            let (text, hashed) = (alongside[input].text, alongside[input].hashed)
            let piece = min(bytes.count, text.utf8.count - hashed)
            _ = text.utf8.withContiguousStorageIfAvailable { utf8 in
                SHA256.update(
                    &files[last].hasher, with: bytes,
                    &alongside[input].hasher, with: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[hashed..<(hashed + piece)]))
            }
            alongside[input].hashed += piece
        } else {
            files[last].hasher.update(bytes: bytes)
        }
        files[last].bytes += bytes.count
    }

    /// The digests of the inputs hashed alongside, in the order given (what the outputs left
    /// unhashed is hashed here).
    mutating func alongsideDigests() -> [String] {
        alongside.indices.map { input in
            let (text, hashed) = (alongside[input].text, alongside[input].hashed)
            _ = text.utf8.withContiguousStorageIfAvailable { utf8 in
                alongside[input].hasher.update(bytes: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[hashed...]))
            }
            alongside[input].hashed = text.utf8.count
            return SHA256.hex(digest: alongside[input].hasher.finalize())
        }
    }

    /// The files written, left for the runner to make durable and put in place with others
    /// (`AtomicFile.publish`), and their manifest entries.
    consuming func stage() throws -> (entries: [Manifest.FileEntry], staged: [AtomicFile.Staged]) {
        var entries: [Manifest.FileEntry] = []
        var staged: [AtomicFile.Staged] = []
        for index in files.indices {
            do { staged.append(try files[index].stream.stage()) } catch {
                AtomicFile.discard(staged)
                throw error
            }
            entries.append(Manifest.FileEntry(path: files[index].relativePath, sha256: SHA256.hex(digest: files[index].hasher.finalize()), bytes: files[index].bytes))
        }
        return (entries, staged)
    }
}

/// Output names for units: the input's relative path without its extension; a pair's common
/// name with `.en-es`. Names that would collide keep their extensions.
public enum UnitNaming {
    public static func name(_ units: [[InputFile]]) -> [String] {
        var names = units.map(baseName)
        var counts: [String: Int] = [:]
        for name in names { counts[name, default: 0] += 1 }
        // `manifest` at the top would write manifest.json over the batch's manifest.
        counts["manifest", default: 0] += 1
        for i in names.indices where counts[names[i]]! > 1 {
            names[i] = units[i].map(\.relativePath).joined(separator: "+")
        }
        // Still equal (the same relative path under two input roots): number them in input
        // order, or one output would overwrite the other.
        var taken: Set<String> = ["manifest"]
        for i in names.indices {
            var candidate = names[i]
            var n = 2
            while taken.contains(candidate) {
                candidate = "\(names[i])~\(n)"
                n += 1
            }
            taken.insert(candidate)
            names[i] = candidate
        }
        return names
    }

    public static func baseName(_ inputs: [InputFile]) -> String {
        let first = inputs.first(where: { $0.languageHint == .english }) ?? inputs[0]
        var name = deletingPathExtension(first.relativePath)
        guard inputs.count > 1 else { return name }
        // Drop the language tag the pair shares: x.en, x_en, x-EN, en/x.
        for tag in [".en", "_en", "-en", ".EN", "_EN", "-EN"] where name.hasSuffix(tag) {
            name.removeLast(tag.count)
            break
        }
        if name.hasPrefix("en/") { name.removeFirst(3) }
        return name + ".en-es"
    }

    /// `(path as NSString).deletingPathExtension`, without bridging every unit's path to
    /// NSString: the last component loses its last `.` and what follows, unless that dot
    /// starts the component (`.hidden`) or the component is `..`. Paths NSString would tidy
    /// first (empty, doubled or trailing slashes) are left to it.
    static func deletingPathExtension(_ path: String) -> String {
        let utf8 = path.utf8
        let slash = UInt8(ascii: "/")
        let dot = UInt8(ascii: ".")
        var previous: UInt8 = 0
        for byte in utf8 {
            if byte == slash && previous == slash { return (path as NSString).deletingPathExtension }
            previous = byte
        }
        guard let last = utf8.last, last != slash else { return (path as NSString).deletingPathExtension }
        let componentStart = utf8.lastIndex(of: slash).map { utf8.index(after: $0) } ?? utf8.startIndex
        guard let extensionDot = utf8[componentStart...].lastIndex(of: dot), extensionDot != componentStart else { return path }
        if utf8.index(after: extensionDot) == utf8.endIndex && utf8.index(before: extensionDot) == componentStart && utf8[componentStart] == dot {
            return path  // ".."
        }
        return String(path[..<extensionDot])
    }
}
