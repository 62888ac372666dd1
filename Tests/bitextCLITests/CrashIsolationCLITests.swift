import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A document that crashes the process (here on purpose, through `BITEXT_FAULT_TEST`, as an
/// overflow or an index out of range would, or an endless loop) fails alone, and the batch goes on: the real
/// binary, its supervising process and its restarts.
@Suite(.serialized) struct CrashIsolationCLITests {
    private func makeBatch(_ count: Int) throws -> (dir: URL, input: URL, out: URL) {
        let dir = try CLI.temporaryDirectory()
        let input = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        for i in 0..<count {
            let text = "\(i + 1). The Council met on \(i + 3) May.\n\nIt adopted resolution \(2000 + i).\n"
            try Data(text.utf8).write(to: input.appendingPathComponent(String(format: "doc%03d.txt", i)))
        }
        return (dir, input, dir.appendingPathComponent("out"))
    }

    private func manifestUnits(_ out: URL) throws -> [[String: Any]] {
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as? [String: Any]
        return manifest?["units"] as? [[String: Any]] ?? []
    }

    /// With one worker or two, whether the crash comes early or late in a unit's stages, and
    /// with one crashing document or several (a crash alone in flight at once, as the last
    /// group's only unit, or among others): only those fail, with the signal and stage;
    /// every other document is written and in the manifest; the exit status is 1.
    @Test(arguments: [
        (1, "segment.paragraphs", ["doc017.txt"]),
        (2, "ingest", ["doc003.txt"]),
        (2, "segment.paragraphs", ["doc000.txt", "doc041.txt", "doc079.txt"]),
    ])
    func aCrashingDocumentFailsAloneAndTheBatchGoesOn(jobs: Int, stage: String, crashing: [String]) throws {
        let (dir, input, out) = try makeBatch(80)
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try CLI.run(
            ["run", "pipelines/ingest-json.yaml", input.path, "--out", out.path, "--jobs", String(jobs)],
            environment: ["BITEXT_FAULT_TEST": "crash:\(stage):\(crashing.joined(separator: ","))", "SWIFT_BACKTRACE": "enable=no"])
        #expect(result.status == 1, "\(result.stderr)")
        let units = try manifestUnits(out)
        #expect(units.count == 80, "every document is accounted for")
        let failed = units.filter { $0["status"] as? String == "failed" }
        #expect(Set(failed.compactMap { $0["id"] as? String }) == Set(crashing.map { String($0.dropLast(4)) }))
        for unit in failed {
            let error = unit["error"] as? String ?? ""
            #expect(error.contains("[\(stage)]") && error.contains("SIGILL"), "\(error)")
        }
        for name in crashing {
            #expect(result.stderr.contains(input.appendingPathComponent(name).path + ": error: [\(stage)]"), "\(result.stderr)")
        }
        // (How many count as written rather than done before a restart depends on when the
        // crashed process last wrote its manifest.)
        #expect(result.stderr.contains("80 document(s): ") && result.stderr.contains(" written, \(crashing.count) failed"), "\(result.stderr)")
        let written = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".json") && $0 != "manifest.json" }
        #expect(written.count == 80 - crashing.count)
        #expect(!written.contains { $0.contains(".tmp-") })
    }

    /// A document that never finishes (an endless loop) is stopped at `--unit-timeout` and
    /// fails with the limit and its stage; the batch goes on.
    @Test func aDocumentThatNeverFinishesIsStoppedAtTheUnitTimeout() throws {
        let (dir, input, out) = try makeBatch(20)
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try CLI.run(
            ["run", "pipelines/ingest-json.yaml", input.path, "--out", out.path, "--jobs", "2", "--unit-timeout", "1.5"],
            environment: ["BITEXT_FAULT_TEST": "hang:segment.paragraphs:doc011.txt"])
        #expect(result.status == 1, "\(result.stderr)")
        let units = try manifestUnits(out)
        #expect(units.count == 20)
        let failed = units.filter { $0["status"] as? String == "failed" }
        #expect(failed.compactMap { $0["id"] as? String } == ["doc011"])
        let error = failed.first?["error"] as? String ?? ""
        #expect(error.contains("[segment.paragraphs] still in progress after the time limit of 1.5 s (--unit-timeout)"), "\(error)")
        // Documents the first process finished before it was stopped may count as done before
        // the restart, depending on its manifest checkpoint: only the failure count is fixed.
        #expect(result.stderr.contains("20 document(s): ") && result.stderr.contains(" written, 1 failed"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".json") && $0 != "manifest.json" }.count == 19)
    }

    @Test func aUnitTimeoutMustBePositiveAndSupervised() throws {
        for arguments in [["--unit-timeout", "0"], ["--unit-timeout", "-3"], ["--unit-timeout", "5", "--in-process"]] {
            let result = try CLI.run(["run", "pipelines/ingest-json.yaml", "samples", "--out", "/nonexistent/out"] + arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("--unit-timeout"), "\(result.stderr)")
        }
    }

    /// `--in-process` runs without the supervisor: a crash then ends the batch with the signal,
    /// as a debugger or profiler needs it to.
    @Test func inProcessRunsHaveNoSupervisor() throws {
        let (dir, input, out) = try makeBatch(4)
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try CLI.run(
            ["run", "pipelines/ingest-json.yaml", input.path, "--out", out.path, "--in-process", "--jobs", "1"],
            environment: ["BITEXT_FAULT_TEST": "crash:ingest:doc002.txt", "SWIFT_BACKTRACE": "enable=no"])
        #expect(result.status == 128 + SIGILL || result.status == SIGILL, "\(result.status) \(result.stderr)")
        #expect(!result.stderr.contains("goes on in a new process"))
    }

    /// The supervisor's child ends with it: `kill -9` of `bitext run` leaves no process behind
    /// that goes on writing into the output directory.
    @Test func theBatchProcessEndsWithItsSupervisor() throws {
        let (dir, input, out) = try makeBatch(400)
        defer { try? FileManager.default.removeItem(at: dir) }
        let process = try startBatch(input: input, out: out, standardError: FileHandle.nullDevice)
        try Self.expectTheChildEndsWithItsSupervisor(process, named: "batch")
    }

    /// `bitext run` of the default pipeline over `input`, one job, started and not waited for.
    private func startBatch(input: URL, out: URL, standardError: Any) throws -> Process {
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["run", "pipelines/default.yaml", input.path, "--out", out.path, "--jobs", "1"]
        process.currentDirectoryURL = CLI.root
        process.standardError = standardError
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// A batch process ended by a signal from outside (a terminal's hang-up, or a second Ctrl-C
    /// that reaches it before its supervisor) stops the batch with that signal: it is not taken
    /// for a crash, and no new process goes on with the batch.
    @Test func aBatchProcessEndedFromOutsideIsNotACrash() throws {
        let (dir, input, out) = try makeBatch(400)
        defer { try? FileManager.default.removeItem(at: dir) }
        let stderr = Pipe()
        let process = try startBatch(input: input, out: out, standardError: stderr)
        kill(try Self.child(of: process, named: "batch"), SIGHUP)
        process.waitUntilExit()
        let messages = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 128 + SIGHUP, "\(messages)")
        #expect(!messages.contains("died from") && !messages.contains("new process"), "\(messages)")
    }

    /// Waits for the supervisor `process`'s child to start, kills the supervisor with SIGKILL
    /// and expects the child (the `name` process) to end soon after.
    static func expectTheChildEndsWithItsSupervisor(_ process: Process, named name: String) throws {
        let child = try child(of: process, named: name)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let gone = Date().addingTimeInterval(10)
        while isAlive(child) && Date() < gone { usleep(5_000) }
        #expect(!isAlive(child), "the \(name) process outlived its supervisor")
    }

    /// The supervisor `process`'s one child (the `name` process), once it has started.
    static func child(of process: Process, named name: String) throws -> pid_t {
        let deadline = Date().addingTimeInterval(60)
        while children(of: process.processIdentifier).isEmpty && process.isRunning && Date() < deadline { usleep(2_000) }
        let child = children(of: process.processIdentifier)
        try #require(child.count == 1 && process.isRunning, "the \(name) process did not start, or finished too soon")
        return child[0]
    }

    /// Processes whose parent is `pid` (from /proc).
    static func children(of pid: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { candidate in
            guard let stat = try? String(contentsOfFile: "/proc/\(candidate)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            // Fields after the command name: state, then the parent's pid.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == pid
        }
    }

    /// Alive and not a zombie waiting for its parent.
    private static func isAlive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
    }
}
