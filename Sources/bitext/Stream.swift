import ArgumentParser
import BitextCore
import BitextPipeline
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension BitextCommand {
    struct Stream: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stream",
            abstract: "Process NDJSON records from standard input, one JSON result line per record (for Spark, Hadoop Streaming, pipes).",
            discussion: """
                Each input line is a record naming files or carrying the text:
                  {"id": "a", "path": "corpus/a.txt"}
                  {"id": "b", "en": "corpus/b.en.html", "es": "corpus/b.es.html"}
                  {"id": "c", "text": "…", "format": "text"}
                  {"id": "d", "en_text": "…", "es_text": "…", "format": "html"}
                ('format' is text, html or auto: by file extension, the default for paths; inline \
                text defaults to text.) Each record gives one line on standard output, in input \
                order, written as soon as it is ready: the unit's JSON document on one line (the \
                pipeline's 'json' writer, compact), or {"id": …, "error": {"message", "file", \
                "stage", "line"}} — processing goes on. A line that is not JSON gets an error \
                record whose id is its line number. Blank lines are skipped.

                At most --window records are held at once, however long the stream.

                The records are processed in a child process. A record that crashes it (a bug: \
                a trap, a segmentation fault, the kernel's out-of-memory killer) or that is still \
                in progress after --unit-timeout gets an error record with the signal (or the \
                limit) and the stage, and the other records go on in a new process: this process \
                keeps the records it has handed over until they are answered, so none is lost. \
                When several records were in progress, they are run again one at a time first, \
                until the one that crashes is alone. --in-process runs without the child (for \
                debuggers and profilers); a crash then ends the stream.

                Exit status: 0 every record succeeded, 1 some failed (0 with --tolerate-failures), \
                2 usage or pipeline-file error, 128+N when the process died from signal N outside \
                any record, 130 interrupted.

                With --records, nothing is processed: the records for INPUT... are printed, grouped \
                and named as `bitext run` would, to feed a cluster job.

                Examples:
                  bitext stream < records.ndjson > results.ndjson
                  echo '{"id":"x","en":"a.en.txt","es":"a.es.txt"}' | bitext stream
                  bitext stream --records -p pipelines/default.yaml corpus/ > records.ndjson
                """)

        @Option(name: .shortAndLong, help: "Pipeline file whose stages to run (default: the built-in default pipeline).") var pipeline: String?
        @Option(name: .shortAndLong, help: "Records processed at once (default: number of cores).") var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
        @Option(help: "Records held at once, read but not yet written (default: 16 × jobs).") var window: Int?
        @Flag(help: "Record why decisions were made (alignment cost terms, dropped boilerplate) in the output.") var explain = false
        @Flag(help: "Exit 0 even when records failed (they are still error records): Spark's pipe with checkCode and Hadoop Streaming fail the task on any other status.") var tolerateFailures = false
        @Option(help: "Stop and fail a record still in progress after this many seconds (records processed together count as one), as if it had crashed; the stream goes on.")
        var unitTimeout: Double?
        @Flag(help: "Run in this process, without the supervising parent that lets a stream go on past a record that crashes it (for debuggers and profilers).")
        var inProcess = false
        @Flag(help: "Print the records for INPUT... (files, directories, glob patterns) instead of reading standard input.") var records = false
        @Option(help: "With --records: only the units of shard K of N, as `bitext run --shard`.") var shard: String?
        @Argument(help: "With --records: files, directories or glob patterns.") var inputs: [String] = []

        func validate() throws {
            guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
            if let window, window < 1 { throw ValidationError("--window must be at least 1") }
            if !records && !inputs.isEmpty { throw ValidationError("inputs are read from standard input; name files only with --records") }
            if records && inputs.isEmpty { throw ValidationError("--records needs files or directories") }
            if let shard, Shard(shard) == nil { throw ValidationError("--shard takes K/N with 1 ≤ K ≤ N, like 2/4") }
            if let unitTimeout, !(unitTimeout > 0) { throw ValidationError("--unit-timeout must be a positive number of seconds") }
            if unitTimeout != nil && inProcess { throw ValidationError("--unit-timeout needs the supervising process: it cannot be used with --in-process") }
        }

        func run() async throws {
            if records { return try listRecords(loadPipeline()) }
            let supervision = try supervisionFromEnvironment()
            // Our output is someone's pipe: a closed pipe is an error to handle, not a signal.
            signal(SIGPIPE, SIG_IGN)
            let stream = OrderedStream(jobs: jobs, window: window)
            if supervision == nil && !inProcess,
                let outcome = StreamSupervisor(arguments: CommandLine.arguments, jobs: stream.jobs, window: stream.window, unitTimeout: unitTimeout).run(
                    write: { StandardOutput.write($0) }, report: { printError($0) })
            {
                // (The child loads the pipeline, and says what is wrong with it: the supervisor
                // keeps only the records in flight.)
                switch outcome {
                case .finished(let summary): return try finish(summary)
                case .exit(let status): throw ExitCode(status)
                }
            }
            let plan = try loadPipeline()
            // The stages' resources load on other cores while the first records are read.
            PipelineResources.loadInBackground(for: plan)
            let processor = try StreamProcessor(plan: plan, explain: explain, faultInjection: FaultInjection())
            if let supervision {
                // The supervisor's child: numbered records in, marked answers out; the supervisor
                // counts and reports.
                let summary = await stream.run(
                    readRecord: { StreamSupervisor.unframe(Swift.readLine(strippingNewline: true)) },
                    processGroup: { processor.process(lines: $0, journal: supervision.journal) },
                    write: { StandardOutput.write(StreamSupervisor.mark($0), $0.line) })
                if summary.stopped { throw ExitCode(1) }
                return
            }
            let summary = await stream.run(
                readLine: { Swift.readLine(strippingNewline: true) },
                processGroup: { processor.process(lines: $0) },
                write: { StandardOutput.write($0.line) })
            try finish(summary)
        }

        private func loadPipeline() throws -> PipelinePlan {
            if let pipeline { return try loadPlan(pipeline).0 }
            return try PipelineLoader().load(yaml: DefaultPipeline.yaml, file: "<built-in default pipeline>")
        }

        /// The summary line and the exit status.
        private func finish(_ summary: OrderedStream.Summary) throws {
            if summary.stopped {
                printError("bitext stream: standard output closed after \(summary.records) record(s); stopped")
                throw ExitCode(1)
            }
            if summary.failed > 0 {
                printError("bitext stream: \(summary.failed) of \(summary.records) record(s) failed")
                if !tolerateFailures { throw ExitCode(1) }
            }
        }

        private func listRecords(_ plan: PipelinePlan) throws {
            let discovered = InputDiscovery.discover(inputs)
            let (lines, notes) = StreamRecordLister.lines(for: discovered.files, runner: BatchRunner(plan: plan), shard: shard.flatMap(Shard.init))
            for line in lines { guard StandardOutput.write(Array(line.utf8)) else { break } }
            let problems = discovered.problems + notes
            for problem in problems { printError(problem.description) }
            if problems.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
        }
    }
}

/// Unbuffered writes to standard output: each record reaches the reader at once.
enum StandardOutput {
    /// Writes everything; false when the reader is gone (EPIPE) or another error happens.
    static func write(_ bytes: [UInt8]) -> Bool { write(bytes[...]) }

    static func write(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBytes { write($0) }
    }

    static func write(_ buffer: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < buffer.count {
            let n = Glibc.write(1, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    /// `mark`, then `bytes`, in one system call: a supervised stream's answer, whose line (up to
    /// hundreds of MB) is not copied to put the mark before it.
    static func write(_ mark: UInt8, _ bytes: [UInt8]) -> Bool {
        var mark = mark
        let written = withUnsafeMutablePointer(to: &mark) { markPointer in
            bytes.withUnsafeBytes { buffer in
                var pieces = [
                    iovec(iov_base: UnsafeMutableRawPointer(markPointer), iov_len: 1),
                    iovec(iov_base: UnsafeMutableRawPointer(mutating: buffer.baseAddress), iov_len: buffer.count),
                ]
                while true {
                    let n = writev(1, &pieces, 2)
                    if n >= 0 || errno != EINTR { return n }
                }
            }
        }
        // What a short write left over goes as usual.
        if written < 1 { return written == 0 ? write([mark] + bytes) : false }
        return written - 1 >= bytes.count || write(bytes[(written - 1)...])
    }
}
