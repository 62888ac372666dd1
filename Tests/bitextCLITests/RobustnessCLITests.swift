import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The README's "Bad input" rows that need the real binary: signals, kills, file-size
/// limits, permissions, hostile pipeline files.
@Suite(.serialized) struct RobustnessCLITests {
    /// `count` text files of a few kilobytes each, so that a batch runs long enough to be
    /// interrupted in the middle.
    private func makeBatch(_ count: Int) throws -> (dir: URL, input: URL, out: URL) {
        let dir = try CLI.temporaryDirectory()
        let input = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        let paragraph = String(repeating: "The Council reaffirms its commitment to the sovereignty of Haiti. ", count: 12)
        for i in 0..<count {
            let text = (0..<8).map { "\($0 + 1). Item \(i)-\($0): \(paragraph)" }.joined(separator: "\n\n")
            try Data(text.utf8).write(to: input.appendingPathComponent(String(format: "doc%04d.txt", i)))
        }
        return (dir, input, dir.appendingPathComponent("out"))
    }

    private func start(_ arguments: [String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = arguments
        process.currentDirectoryURL = CLI.root
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, err)
    }

    private func jsonOutputs(_ out: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []).filter { $0.hasSuffix(".json") && $0 != "manifest.json" }
    }

    /// Waits until at least `count` outputs exist (the batch is under way).
    private func waitForOutputs(_ out: URL, _ count: Int, process: Process) {
        let deadline = Date().addingTimeInterval(60)
        while jsonOutputs(out).count < count && process.isRunning && Date() < deadline { usleep(2_000) }
    }

    /// Every output is whole (parses), no temporary file is left, and the manifest lists
    /// exactly the outputs that exist, with their checksums.
    private func checkOutputDirectory(_ out: URL) throws -> [String: Any] {
        let all = (FileManager.default.enumerator(atPath: out.path)?.allObjects as? [String]) ?? []
        #expect(all.filter { $0.contains(".tmp-") } == [], "no half-written file")
        for name in jsonOutputs(out) {
            #expect((try? JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent(name)))) != nil, "\(name) parses")
        }
        let manifest = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as? [String: Any])
        let units = manifest["units"] as? [[String: Any]] ?? []
        for unit in units where unit["status"] as? String == "ok" {
            for output in unit["outputs"] as? [[String: Any]] ?? [] {
                let path = out.appendingPathComponent(output["path"] as? String ?? "").path
                #expect(FileManager.default.fileExists(atPath: path), "manifest lists \(path)")
            }
        }
        return manifest
    }

    /// SIGINT as Ctrl-C sends it; SIGTERM as `kill` and job schedulers send it.
    @Test(arguments: [SIGINT, SIGTERM])
    func ctrlCInTheMiddleOfABatchStopsCleanlyAndResumeFinishesIt(signal: Int32) throws {
        let (dir, input, out) = try makeBatch(200)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (process, err) = try start(["run", "pipelines/default.yaml", input.path, "--out", out.path, "--jobs", "2"])
        waitForOutputs(out, 4, process: process)
        try #require(process.isRunning, "the batch finished before it could be interrupted; make it longer")
        kill(process.processIdentifier, signal)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(stderr.contains("interrupted"), "\(stderr)")
        let manifest = try checkOutputDirectory(out)
        let done = (manifest["units"] as? [Any])?.count ?? 0
        #expect(done > 0 && done < 200)
        #expect(jsonOutputs(out).count == done, "the manifest is current: it lists every output written")

        let resumed = try CLI.run(["run", "pipelines/default.yaml", input.path, "--out", out.path, "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("\(done) already current"), "\(resumed.stderr)")
        #expect(jsonOutputs(out).count == 200)
        _ = try checkOutputDirectory(out)
    }

    @Test func killMinus9LeavesNoHalfWrittenOutputAndTheNextRunCompletes() throws {
        let (dir, input, out) = try makeBatch(200)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (process, _) = try start(["run", "pipelines/ingest-json.yaml", input.path, "--out", out.path, "--jobs", "2"])
        // Let the manifest be written at least once (its first checkpoint comes a second in).
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: out.appendingPathComponent("manifest.json").path) && process.isRunning && Date() < deadline {
            usleep(5_000)
        }
        try #require(process.isRunning, "the batch finished before it could be killed; make it longer")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        // Whatever was written is whole: outputs appear by rename, the manifest too.
        for name in jsonOutputs(out) + ["manifest.json"] {
            #expect((try? JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent(name)))) != nil, "\(name) parses")
        }
        let resumed = try CLI.run(["run", "pipelines/ingest-json.yaml", input.path, "--out", out.path, "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("already current"), "\(resumed.stderr)")
        #expect(jsonOutputs(out).count == 200)
        let manifest = try checkOutputDirectory(out)
        #expect((manifest["units"] as? [Any])?.count == 200)
    }

    /// `make test-sanitize` builds into .build-tsan: the ThreadSanitizer runtime maps memory
    /// backed by files, which `ulimit -f` cuts short (the binary dies of SIGBUS at start-up).
    static let underThreadSanitizer = CLI.executable.path.contains(".build-tsan")

    @Test(.disabled(if: underThreadSanitizer, "ThreadSanitizer's runtime cannot start under ulimit -f"))
    func aFullDiskFailsTheOutputsThatDoNotFitAndLeavesNoPartialFile() throws {
        // RLIMIT_FSIZE (ulimit -f) makes write(2) fail with EFBIG past the limit, as a full
        // disk fails with ENOSPC: the same code path, without needing a small file system.
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        try Data("Short.\n".utf8).write(to: input.appendingPathComponent("small.txt"))
        try Data(String(repeating: "A long paragraph that will not fit in the space left. ", count: 2000).utf8)
            .write(to: input.appendingPathComponent("large.txt"))
        let out = dir.appendingPathComponent("out")
        // dash counts ulimit -f in 512-byte blocks: 64 KB.
        let (status, stderr) = try runUnderLimit("-f 128", pipeline: "pipelines/default.yaml", input: input, out: out, jobs: 1)
        #expect(status == 1, "\(stderr)")
        #expect(stderr.contains("large.txt") && stderr.contains("File too large"), "\(stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("small.json").path))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("large.json").path))
        let all = (FileManager.default.enumerator(atPath: out.path)?.allObjects as? [String]) ?? []
        #expect(all.filter { $0.contains(".tmp-") } == [])
    }

    /// Under a low `ulimit -n` the read-ahead, the groups' staged outputs and the publishing
    /// groups share the descriptors: every document is still written.
    @Test(.disabled(if: underThreadSanitizer, "ThreadSanitizer's runtime needs descriptors of its own"))
    func aLowOpenFileLimitStillWritesEveryDocument() throws {
        let (dir, input, out) = try makeBatch(200)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (status, stderr) = try runUnderLimit("-n 32", pipeline: "pipelines/ingest-json.yaml", input: input, out: out, jobs: 2)
        #expect(status == 0, "\(stderr)")
        #expect(jsonOutputs(out).count == 200)
        _ = try checkOutputDirectory(out)
    }

    /// `bitext run PIPELINE INPUT --out OUT --jobs JOBS` under the shell's `ulimit LIMIT`: its
    /// exit status and standard error.
    private func runUnderLimit(_ limit: String, pipeline: String, input: URL, out: URL, jobs: Int) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [
            "-c", "ulimit \(limit); exec \"$0\" run \(pipeline) \"$1\" --out \"$2\" --jobs \(jobs)", CLI.executable.path, input.path, out.path,
        ]
        process.currentDirectoryURL = CLI.root
        let err = Pipe()
        process.standardError = err
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stderr)
    }

    @Test func anUnreadableFileFailsAloneWithPermissionDenied() throws {
        // Root reads a chmod 000 file anyway, so as root the batch runs without the capabilities
        // that bypass file permissions (setpriv drops them from the bounding set). It stays root, so
        // it still reaches a checkout under a private (0700) directory, as CI's may be.
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") || getuid() != 0 else {
            Issue.record("running as root without setpriv: cannot test permission errors")
            return
        }
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in")
        let out = dir.appendingPathComponent("out")
        for d in [input, out] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }
        try Data("Readable.\n".utf8).write(to: input.appendingPathComponent("ok.txt"))
        try Data("Secret.\n".utf8).write(to: input.appendingPathComponent("secret.txt"))
        chmod(input.appendingPathComponent("secret.txt").path, 0o000)
        let process = Process()
        let command = [CLI.executable.path, "run", CLI.root.appendingPathComponent("pipelines/default.yaml").path, input.path, "--out", out.path]
        if getuid() == 0 {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--bounding-set=-dac_override,-dac_read_search", "--"] + command
        } else {
            process.executableURL = URL(fileURLWithPath: command[0])
            process.arguments = Array(command.dropFirst())
        }
        process.currentDirectoryURL = dir
        let err = Pipe()
        process.standardError = err
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1, "\(stderr)")
        #expect(stderr.contains("secret.txt") && stderr.contains("permission"), "\(stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("ok.json").path), "\(stderr)")
    }

    @Test(arguments: [
        // A YAML "billion laughs": nine levels of aliases, 10^9 strings if expanded.
        ("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\ninputs: [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\nstages: *h\n", "unknown key 'a'"),
        ("\u{FEFF}stages:\n  - use: ingest\n  - use: ingest\n    with: {max_bytes: -1}\n", "must be positive"),
        ("stages:\n  - use: ingest\n    with: {max_bytes: 99999999999999999999999}\n", "max_bytes"),
        ("stages: &s\n  - use: *s\n", "error"),
        (String(repeating: "[", count: 5000), "error"),
    ])
    func hostilePipelineFilesFailFastWithStatusTwo(yaml: String, expected: String) throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("hostile.yaml")
        try Data(yaml.utf8).write(to: file)
        let result = try CLI.run(["validate", file.path])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains(file.path + ":") && result.stderr.contains(expected), "\(result.stderr)")
    }

    @Test func aPipelineFileThatIsNotTextIsRefused() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("binary.yaml")
        try Data([0x89, 0x50, 0x4E, 0x47, 0xFF, 0xFE, 0x00]).write(to: file)
        let result = try CLI.run(["run", file.path, "samples", "--out", dir.appendingPathComponent("out").path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("binary.yaml:1:1: error: pipeline file is not UTF-8 text"), "\(result.stderr)")
    }
}
