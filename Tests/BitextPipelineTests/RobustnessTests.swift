import BitextCore
import Foundation
import Testing

@testable import BitextPipeline

/// Batch-level rows of the README's "Bad input" table: whatever happens to one input or one
/// output, the error names the file, the rest of the batch is finished, and no partial
/// output is left behind.
@Suite struct BatchRobustnessTests {
    static let pipeline = "stages:\n  - use: ingest\n    with: {max_bytes: 4096}\n  - use: segment.paragraphs\noutputs:\n  - write: json\n"

    private func run(_ inputs: [InputFile], out: String, jobs: Int = 2) async throws -> BatchReport {
        let plan = try PipelineLoader().load(yaml: Self.pipeline)
        return await BatchRunner(plan: plan, pipelineText: Self.pipeline).run(inputs, options: BatchOptions(outputDirectory: out, jobs: jobs))
    }

    /// Files in `directory` (recursively) whose names show an unfinished atomic write.
    static func temporaryFiles(in directory: String) -> [String] {
        let all = (FileManager.default.enumerator(atPath: directory)?.allObjects as? [String]) ?? []
        return all.filter { $0.contains(".tmp-") }
    }

    private func batchDirectory() throws -> (URL, URL) {
        let dir = try temporaryDirectory()
        let input = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        for name in ["a", "b", "c"] { try Data("Paragraph of \(name).\n".utf8).write(to: input.appendingPathComponent("\(name).txt")) }
        return (dir, input)
    }

    @Test func aNamedPipeInTheInputIsReportedAndDoesNotBlockTheBatch() async throws {
        let (dir, input) = try batchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(mkfifo(input.appendingPathComponent("pipe.txt").path, 0o644) == 0)
        let discovered = InputDiscovery.discover([input.path])
        #expect(discovered.files.map(\.relativePath) == ["a.txt", "b.txt", "c.txt"])
        #expect(discovered.problems.contains { $0.file.hasSuffix("pipe.txt") && $0.message.contains("named pipe") && $0.severity == .error })
        // Named on the command line, too.
        let named = InputDiscovery.discover([input.appendingPathComponent("pipe.txt").path])
        #expect(named.files.isEmpty && named.problems.count == 1)
        let report = try await run(discovered.files, out: dir.appendingPathComponent("out").path)
        #expect(report.outcomes.map(\.status) == [.ok, .ok, .ok])
    }

    @Test func aFileRemovedAfterDiscoveryFailsAloneWithItsName() async throws {
        let (dir, input) = try batchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = InputDiscovery.discover([input.path]).files
        try FileManager.default.removeItem(at: input.appendingPathComponent("b.txt"))
        let out = dir.appendingPathComponent("out").path
        let report = try await run(files, out: out)
        #expect(report.outcomes.map(\.status) == [.ok, .failed, .ok])
        let failure = try #require(report.failed.first?.failure)
        #expect(failure.file.hasSuffix("b.txt") && failure.stage == "ingest" && failure.message.contains("cannot open"))
        #expect(report.exitStatus == 1)
        #expect(FileManager.default.fileExists(atPath: out + "/a.json") && FileManager.default.fileExists(atPath: out + "/c.json"))
        #expect(!FileManager.default.fileExists(atPath: out + "/b.json"))
    }

    @Test func aFileOverMaxBytesFailsAloneAndTheOthersAreWritten() async throws {
        let (dir, input) = try batchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(String(repeating: "Too long. ", count: 500).utf8).write(to: input.appendingPathComponent("b.txt"))
        let out = dir.appendingPathComponent("out").path
        let report = try await run(InputDiscovery.discover([input.path]).files, out: out)
        #expect(report.outcomes.map(\.status) == [.ok, .failed, .ok])
        #expect(report.failed.first?.failure?.message.contains("over the limit of 4096 (ingest option max_bytes)") == true)
    }

    @Test func anOutputPathTakenByADirectoryFailsThatUnitOnly() async throws {
        let (dir, input) = try batchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out").path
        try FileManager.default.createDirectory(atPath: out + "/b.json", withIntermediateDirectories: true)
        let report = try await run(InputDiscovery.discover([input.path]).files, out: out)
        #expect(report.outcomes.map(\.status) == [.ok, .failed, .ok])
        let failure = try #require(report.failed.first?.failure)
        #expect(failure.stage == "write" && failure.message.contains("b.json") && failure.file.hasSuffix("b.txt"))
        #expect(Self.temporaryFiles(in: out) == [])
    }

    @Test func anOutputDirectoryThatIsAFileFailsEveryUnitWithAClearError() async throws {
        let (dir, input) = try batchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out").path
        try Data("not a directory".utf8).write(to: URL(fileURLWithPath: out))
        let report = try await run(InputDiscovery.discover([input.path]).files, out: out)
        #expect(report.outcomes.allSatisfy { $0.status == .failed && $0.failure?.message.contains("cannot create directory") == true })
        #expect(report.notes.contains { $0.file.hasSuffix("manifest.json") && $0.severity == .error })
        #expect(report.exitStatus == 1)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "not a directory")
    }

    @Test func staleTemporaryFilesOfAKilledRunAreRemoved() async throws {
        let (dir, input) = try batchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out.appendingPathComponent("sub"), withIntermediateDirectories: true)
        // pid 2^22 + 1 is above Linux's pid_max limit: no such process can exist.
        let stale = ".a.json.tmp-4194305-17"
        try Data("{\"half".utf8).write(to: out.appendingPathComponent(stale))
        try Data("{\"half".utf8).write(to: out.appendingPathComponent("sub/" + stale))
        // A temporary file of a live process (this one: another shard writing) is left alone.
        let live = ".z.json.tmp-\(getpid())-3"
        try Data().write(to: out.appendingPathComponent(live))
        _ = try await run(InputDiscovery.discover([input.path]).files, out: out.path)
        #expect(Self.temporaryFiles(in: out.path) == [live])
    }

    /// A process that has died but is not yet reaped (a batch process whose supervisor was
    /// killed, waiting for init) writes nothing more: its temporary files are stale.
    @Test func temporaryFilesOfADeadUnreapedProcessAreStale() throws {
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { free(argv[0]) }
        try #require(posix_spawn(&pid, "/bin/true", nil, nil, argv, nil) == 0)
        defer { waitpid(pid, nil, 0) }
        let deadline = Date().addingTimeInterval(10)
        while !BatchRunner.isZombie(pid) && Date() < deadline { usleep(1_000) }
        #expect(BatchRunner.isStaleTemporaryFile(".a.json.tmp-\(pid)-1"))
        #expect(!BatchRunner.isStaleTemporaryFile(".a.json.tmp-\(getpid())-1"), "this process is alive")
    }

    /// The sweep reaches hidden and nested directories, but never through a symbolic link
    /// (it could lead out of the output directory), and leaves files that only look alike.
    @Test func theStaleFileSweepStaysInsideTheOutputDirectory() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let outside = dir.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: out.appendingPathComponent(".hidden/deep"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: out.appendingPathComponent("link").path, withDestinationPath: outside.path)
        let stale = ".a.json.tmp-4194305-17"
        for place in [out.appendingPathComponent(".hidden/deep"), outside] {
            try Data("x".utf8).write(to: place.appendingPathComponent(stale))
        }
        // Not temporaries: no leading dot, or no pid after the marker.
        for name in ["a.json.tmp-4194305-17", ".b.json.tmp-x-1", ".c.json"] {
            try Data("x".utf8).write(to: out.appendingPathComponent(name))
        }
        BatchRunner.removeStaleTemporaryFiles(in: out.path)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(".hidden/deep/" + stale).path))
        #expect(FileManager.default.fileExists(atPath: outside.appendingPathComponent(stale).path))
        let left = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(left == [".b.json.tmp-x-1", ".c.json", ".hidden", "a.json.tmp-4194305-17", "link"])
        // A missing directory or a file in its place is no error.
        BatchRunner.removeStaleTemporaryFiles(in: dir.appendingPathComponent("missing").path)
        BatchRunner.removeStaleTemporaryFiles(in: out.appendingPathComponent(".c.json").path)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(".c.json").path))
    }

    @Test func symlinkLoopsAreSkippedWithAWarningNamingThePath() async throws {
        let (dir, input) = try batchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createSymbolicLink(atPath: input.appendingPathComponent("loop").path, withDestinationPath: input.path)
        try FileManager.default.createSymbolicLink(atPath: input.appendingPathComponent("x.txt").path, withDestinationPath: input.appendingPathComponent("y.txt").path)
        try FileManager.default.createSymbolicLink(atPath: input.appendingPathComponent("y.txt").path, withDestinationPath: input.appendingPathComponent("x.txt").path)
        let discovered = InputDiscovery.discover([input.path])
        #expect(discovered.files.map(\.relativePath) == ["a.txt", "b.txt", "c.txt"])
        #expect(discovered.problems.contains { $0.file.hasSuffix("in/loop") && $0.message.contains("symlink loop") })
        #expect(discovered.problems.contains { $0.file.hasSuffix("x.txt") && $0.message.contains("symlink loop") })
    }

    @Test func hashingReadsInChunksAndMatchesTheOneShotDigest() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = (0..<(3 << 20) + 17).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let file = dir.appendingPathComponent("f.txt")
        try Data(bytes).write(to: file)
        let digest = try #require(BatchRunner.digest(ofFile: file.path))
        #expect(digest.bytes == bytes.count)
        #expect(digest.sha256 == SHA256.hex(bytes))
        #expect(BatchRunner.digest(ofFile: dir.path) == nil, "a directory is not an input")
    }

    @Test func aDocumentNamedManifestDoesNotOverwriteTheManifest() async throws {
        let (dir, input) = try batchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("The manifest of a ship.\n".utf8).write(to: input.appendingPathComponent("manifest.txt"))
        let out = dir.appendingPathComponent("out").path
        let report = try await run(InputDiscovery.discover([input.path]).files, out: out)
        #expect(report.exitStatus == 0)
        #expect(report.outcomes.flatMap { $0.outputs.map(\.path) }.contains("manifest.txt.json"))
        #expect(Manifest.load(from: out)?.units.count == 4)
    }

    @Test func theSameRelativePathUnderTwoRootsGivesTwoOutputs() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for root in ["one", "two"] {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(root), withIntermediateDirectories: true)
            try Data("Text from \(root).\n".utf8).write(to: dir.appendingPathComponent("\(root)/x.txt"))
        }
        let out = dir.appendingPathComponent("out").path
        let report = try await run(InputDiscovery.discover([dir.appendingPathComponent("one").path, dir.appendingPathComponent("two").path]).files, out: out)
        let outputs = report.outcomes.flatMap { $0.outputs.map(\.path) }
        #expect(Set(outputs).count == 2, "\(outputs)")
        #expect(UnitNaming.name([[InputFile(path: "a/x.txt", relativePath: "x.txt")], [InputFile(path: "b/x.txt", relativePath: "x.txt")]]) == ["x.txt", "x.txt~2"])
    }
}

@Suite struct UnitNamingPathTests {
    /// Unit names drop the extension exactly as NSString does, for the paths it takes apart
    /// itself and for those it leaves to NSString.
    @Test(arguments: [
        "x.txt", "x.en.txt", "sub/dir/x.en.txt", "x", "sub.d/x", ".hidden", "sub/.hidden", "sub/.hidden.txt", "a.", "sub/a.",
        "..", "sub/..", "...", "sub/...", ".", "/", "", "/abs/x.txt", "sub//x.txt", "sub/x.txt/", "dir.v2/", "é/ñ.es.html",
    ])
    func dropsTheExtensionAsNSStringDoes(path: String) {
        #expect(UnitNaming.deletingPathExtension(path) == (path as NSString).deletingPathExtension)
    }
}
