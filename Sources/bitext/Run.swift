import ArgumentParser
import BitextCore
import BitextPipeline
import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension BitextCommand {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run a pipeline over files and directories.",
            discussion: """
                Inputs on the command line replace the pipeline's 'inputs'. Directories are walked \
                recursively for .txt and .html files. One JSON/XML/… file per document (or EN/ES pair) \
                is written under --out, with manifest.json listing every output and its checksum.

                Exit status: 0 all inputs succeeded, 1 some failed, 2 usage or pipeline-file error, \
                130 interrupted (Ctrl-C: units in progress finish, nothing is left half-written).

                The batch runs in a child process. If a document crashes it (a bug), that document \
                fails with the signal and stage, and the batch goes on in a new process from where \
                it was; 128+N only when a crash cannot be tied to any document.

                Examples:
                  bitext run pipelines/default.yaml samples --out out
                  bitext run pipelines/default.yaml corpus/ --out out --jobs 8 --resume
                  bitext run pipelines/default.yaml corpus/ --out out --shard 2/4
                """)

        @Argument(help: "The pipeline file (YAML).") var pipeline: String
        @Argument(help: "Files, directories or glob patterns (default: the pipeline's inputs).") var inputs: [String] = []
        @Option(name: .shortAndLong, help: "Output directory (default: the pipeline's 'output', else out).") var out: String?
        @Option(name: .shortAndLong, help: "Documents processed at once (default: number of cores).") var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
        @Flag(help: "Skip inputs whose outputs in --out are current (same input hash, same pipeline).") var resume = false
        @Flag(help: "Record why decisions were made (dropped boilerplate, alignment cost terms) in the outputs.") var explain = false
        @Option(help: "Process only shard K of N (K/N, 1-based), chosen by a stable hash of each unit's name.") var shard: String?
        @Flag(name: .shortAndLong, help: "No progress line and no summary.") var quiet = false
        @Option(help: "Stop and fail a document still in progress after this many seconds (a group of small documents counts as one), as if it had crashed; the batch goes on.")
        var unitTimeout: Double?
        @Flag(help: "Run in this process, without the supervising parent that lets a batch go on past a document that crashes it (for debuggers and profilers).")
        var inProcess = false

        func validate() throws {
            guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
            if let shard, Shard(shard) == nil { throw ValidationError("--shard takes K/N with 1 ≤ K ≤ N, like 2/4") }
            if let unitTimeout, !(unitTimeout > 0) { throw ValidationError("--unit-timeout must be a positive number of seconds") }
            if unitTimeout != nil && inProcess { throw ValidationError("--unit-timeout needs the supervising process: it cannot be used with --in-process") }
        }

        func run() async throws {
            let supervision = try supervisionFromEnvironment()
            if supervision == nil && !inProcess, let status = BatchSupervisor(arguments: CommandLine.arguments, unitTimeout: unitTimeout).run(report: { printError($0) }) {
                if status != 0 { throw ExitCode(status) }
                return
            }
            let (plan, text) = try loadPlan(pipeline)
            let specs = inputs.isEmpty ? plan.inputs : inputs
            guard !specs.isEmpty else {
                printError("error: no inputs: name files or directories, or list them under 'inputs' in \(pipeline)")
                throw ExitCode(2)
            }
            // Resources load while the inputs are found and paired (not under --resume, where
            // most units are usually current and need none).
            if !resume { PipelineResources.loadInBackground(for: plan) }
            let discovered = InputDiscovery.discover(specs)
            let options = BatchOptions(
                outputDirectory: out ?? plan.outputDirectory ?? "out", jobs: jobs, explain: explain, resume: resume, shard: shard.flatMap(Shard.init),
                supervision: supervision)
            let cancellation = CancellationFlag()
            let interrupt = Self.onInterrupt { cancellation.cancel() }
            defer { for source in interrupt { source.cancel() } }
            let reporter = ProgressLine(enabled: !quiet && isatty(2) == 1)
            var runner = BatchRunner(plan: plan, pipelineText: text)
            runner.faultInjection = FaultInjection()
            var report = await runner.run(discovered.files, options: options, cancellation: cancellation) { reporter.show($0) }
            report.notes.insert(contentsOf: discovered.problems, at: 0)
            reporter.finish()
            Summary.print(report, quiet: quiet, restarted: (supervision?.plan.attempt ?? 1) > 1)
            if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
        }

        /// Ctrl-C stops new documents from starting; the ones in progress finish and are written.
        /// SIGTERM (`kill`, and the supervisor passing on Ctrl-C) does the same, without the
        /// second signal's quitting at once. The sources returned must be kept: a source
        /// released stops handling its signal, which stays ignored.
        static func onInterrupt(_ handler: @escaping @Sendable () -> Void) -> [any DispatchSourceSignal] {
            signal(SIGINT, SIG_IGN)
            signal(SIGTERM, SIG_IGN)
            // Over a file-size limit (ulimit -f), a write should fail with EFBIG and be reported
            // for that output, not kill the whole batch.
            signal(SIGXFSZ, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
            source.setEventHandler {
                printError("\ninterrupted: finishing documents in progress (Ctrl-C again to quit at once)")
                handler()
                signal(SIGINT, SIG_DFL)
            }
            source.resume()
            let term = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
            term.setEventHandler { handler() }
            term.resume()
            return [source, term]
        }
    }
}

/// The progress line on a terminal: documents done/total, MB/s, failures.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ p: BatchProgress) {
        guard enabled else { return }
        lock.withLock {
            guard Date().timeIntervalSince(lastDraw) > 0.1 || p.done == p.total else { return }
            lastDraw = Date()
            drawn = true
            let rate = p.elapsed > 0 ? Double(p.bytes) / 1_048_576 / p.elapsed : 0
            let line = String(format: "\r[%d/%d] %.1f MB/s, %d failed ", p.done, p.total, rate, p.failed)
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    func finish() {
        guard enabled, drawn else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}

/// The end-of-batch report on standard error: every failure with file, stage and reason.
enum Summary {
    /// `restarted`: the batch went on in a new process after a crash, so the units the crashed
    /// process finished count as already current.
    static func print(_ report: BatchReport, quiet: Bool, restarted: Bool = false) {
        for note in report.notes where !quiet || note.severity == .error { printError(note.description) }
        for outcome in report.outcomes {
            if let failure = outcome.failure { printError(failure.description) }
            if !quiet { for warning in outcome.warnings { printError(warning.description) } }
        }
        guard !quiet else { return }
        let ok = report.outcomes.filter { $0.status == .ok }.count
        let skipped = report.outcomes.filter { $0.status == .skipped }.count
        let megabytes = Double(report.bytes) / 1_048_576
        var line = "bitext: \(report.outcomes.count) document(s): \(ok) written, \(report.failed.count) failed"
        if skipped > 0 { line += ", \(skipped) already current" + (restarted ? " or done before the restart" : "") }
        line += String(format: "; %.2f MB in %.2f s", megabytes, report.elapsed)
        if report.interrupted { line += "; interrupted before the end (run again with --resume)" }
        printError(line)
    }
}
