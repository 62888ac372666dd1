import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A document that crashes the process (here on purpose, through `BITEXT_CRASH_TEST`, as an
/// overflow or an index out of range would) fails alone, and the batch goes on: the real
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
    /// with one crashing document or several: only those fail, with the signal and stage;
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
            environment: ["BITEXT_CRASH_TEST": "\(stage):\(crashing.joined(separator: ","))", "SWIFT_BACKTRACE": "enable=no"])
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
        #expect(result.stderr.contains("80 document(s): \(80 - crashing.count) written, \(crashing.count) failed"), "\(result.stderr)")
        let written = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".json") && $0 != "manifest.json" }
        #expect(written.count == 80 - crashing.count)
        #expect(!written.contains { $0.contains(".tmp-") })
    }

    /// `--in-process` runs without the supervisor: a crash then ends the batch with the signal,
    /// as a debugger or profiler needs it to.
    @Test func inProcessRunsHaveNoSupervisor() throws {
        let (dir, input, out) = try makeBatch(4)
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try CLI.run(
            ["run", "pipelines/ingest-json.yaml", input.path, "--out", out.path, "--in-process", "--jobs", "1"],
            environment: ["BITEXT_CRASH_TEST": "ingest:doc002.txt", "SWIFT_BACKTRACE": "enable=no"])
        #expect(result.status == 128 + SIGILL || result.status == SIGILL, "\(result.status) \(result.stderr)")
        #expect(!result.stderr.contains("goes on in a new process"))
    }

    /// The supervisor's child ends with it: `kill -9` of `bitext run` leaves no process behind
    /// that goes on writing into the output directory.
    @Test func theBatchProcessEndsWithItsSupervisor() throws {
        let (dir, input, out) = try makeBatch(400)
        defer { try? FileManager.default.removeItem(at: dir) }
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["run", "pipelines/default.yaml", input.path, "--out", out.path, "--jobs", "1"]
        process.currentDirectoryURL = CLI.root
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while children(of: process.processIdentifier).isEmpty && process.isRunning && Date() < deadline { usleep(2_000) }
        let batch = children(of: process.processIdentifier)
        try #require(batch.count == 1 && process.isRunning, "the batch process did not start, or finished too soon")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let gone = Date().addingTimeInterval(10)
        while isAlive(batch[0]) && Date() < gone { usleep(5_000) }
        #expect(!isAlive(batch[0]), "the batch process outlived its supervisor")
    }

    /// Processes whose parent is `pid` (from /proc).
    private func children(of pid: pid_t) -> [pid_t] {
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
    private func isAlive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
    }
}
