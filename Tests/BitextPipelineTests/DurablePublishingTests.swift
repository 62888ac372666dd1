import BitextCore
import Foundation
import Testing

@testable import BitextPipeline

/// Outputs are written to temporary files, then published in groups (fsync, rename, directory
/// fsync) before the manifest records their units: what a batch lists is durable, what it does
/// not list is redone by `--resume`, and no name ever shows half a file.
@Suite struct DurablePublishingTests {
    private func stage(_ text: String, to path: String) throws -> AtomicFile.Staged {
        let stream = try AtomicFile.Stream(path: path)
        try Array(text.utf8).withUnsafeBytes { try stream.append($0) }
        return try stream.stage()
    }

    private func names(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    @Test func stagedFilesAppearOnlyWhenPublished() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let staged = try stage("{\"a\": 1}\n", to: dir.path + "/sub/a.json")
        // Written but not published: only the temporary name exists.
        #expect(names(in: dir.path + "/sub").count == 1)
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/sub/a.json"))
        #expect(AtomicFile.publish([[staged]]).map { $0 == nil } == [true])
        #expect(names(in: dir.path + "/sub") == ["a.json"])
        #expect(try String(contentsOfFile: dir.path + "/sub/a.json", encoding: .utf8) == "{\"a\": 1}\n")
    }

    @Test func aGroupThatCannotBePublishedFailsAloneAndWholly() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // b.json is taken by a directory: the rename of b's group fails. Its first file
        // (b.xml) is renamed before b.json fails, as a unit's files are published in order;
        // the group is reported failed and no temporary file of it is left.
        try FileManager.default.createDirectory(atPath: dir.path + "/b.json", withIntermediateDirectories: true)
        let groups = [
            [try stage("a", to: dir.path + "/a.json")],
            [try stage("b", to: dir.path + "/b.xml"), try stage("b", to: dir.path + "/b.json"), try stage("b", to: dir.path + "/b.txt")],
            [try stage("c", to: dir.path + "/c.json")],
        ]
        let failures = AtomicFile.publish(groups)
        #expect(failures.map { $0 == nil } == [true, false, true])
        #expect(failures[1]?.path.hasSuffix("b.json") == true)
        #expect(names(in: dir.path) == ["a.json", "b.json", "b.xml", "c.json"])
        #expect(BatchRobustnessTests.temporaryFiles(in: dir.path) == [])
    }

    @Test func discardedFilesLeaveNothing() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        AtomicFile.discard([try stage("x", to: dir.path + "/x.json"), try stage("y", to: dir.path + "/y.json")])
        #expect(names(in: dir.path) == [])
    }

    /// More units than one publishing group holds: every group is published and recorded,
    /// the manifest lists exactly the files there are, with their checksums, and a resumed
    /// run finds them all current.
    @Test func aBatchOfManyGroupsIsRecordedWhole() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input.appendingPathComponent("nested"), withIntermediateDirectories: true)
        let count = BatchRunner.publishGroupFiles + 37
        for i in 0..<count {
            try Data("Paragraph number \(i).\n".utf8).write(to: input.appendingPathComponent(i % 2 == 0 ? "d\(i).txt" : "nested/d\(i).txt"))
        }
        let pipeline = "stages:\n  - use: ingest\n  - use: segment.paragraphs\noutputs:\n  - write: json\n"
        let runner = BatchRunner(plan: try PipelineLoader().load(yaml: pipeline), pipelineText: pipeline)
        let out = dir.appendingPathComponent("out").path
        let inputs = InputDiscovery.discover([input.path]).files
        let report = await runner.run(inputs, options: BatchOptions(outputDirectory: out, jobs: 2))
        #expect(report.exitStatus == 0)
        let manifest = try #require(Manifest.load(from: out))
        #expect(manifest.units.count == count)
        for unit in manifest.units {
            let entry = try #require(unit.outputs.first)
            let data = try #require(FileManager.default.contents(atPath: out + "/" + entry.path))
            #expect(SHA256.hex(data) == entry.sha256)
        }
        #expect(BatchRobustnessTests.temporaryFiles(in: out) == [])
        let again = await runner.run(inputs, options: BatchOptions(outputDirectory: out, jobs: 2, resume: true))
        #expect(again.outcomes.allSatisfy { $0.status == .skipped })
    }

    /// Six one-paragraph text files through ingest and paragraphs, run with `jobs` and a
    /// cancellation flag set before the run, or else from the first progress report.
    private func interruptedBatch(jobs: Int, cancelBeforeStart: Bool) async throws -> (report: BatchReport, out: String, dir: URL) {
        let dir = try temporaryDirectory()
        let input = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        for i in 0..<6 { try Data("Paragraph \(i).\n".utf8).write(to: input.appendingPathComponent("d\(i).txt")) }
        let pipeline = "stages:\n  - use: ingest\n  - use: segment.paragraphs\noutputs:\n  - write: json\n"
        let runner = BatchRunner(plan: try PipelineLoader().load(yaml: pipeline), pipelineText: pipeline)
        let out = dir.appendingPathComponent("out").path
        let cancellation = CancellationFlag()
        if cancelBeforeStart { cancellation.cancel() }
        let report = await runner.run(InputDiscovery.discover([input.path]).files, options: BatchOptions(outputDirectory: out, jobs: jobs), cancellation: cancellation) { _ in
            cancellation.cancel()
        }
        return (report, out, dir)
    }

    /// Interrupted before anything started: nothing is processed, and the manifest says so.
    @Test(arguments: [1, 2])
    func aBatchInterruptedBeforeItStartsProcessesNothing(jobs: Int) async throws {
        let (report, out, dir) = try await interruptedBatch(jobs: jobs, cancelBeforeStart: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(report.interrupted && report.exitStatus == 130)
        #expect(report.outcomes.isEmpty)
        #expect(try #require(Manifest.load(from: out)).units.isEmpty)
    }

    /// Interrupted after the first unit finished (the flag is checked before each unit
    /// starts), one job or two: the units started are finished, published and listed; the
    /// rest are left for `--resume`.
    @Test(arguments: [1, 2])
    func anInterruptedBatchPublishesAndListsWhatItFinished(jobs: Int) async throws {
        let (report, out, dir) = try await interruptedBatch(jobs: jobs, cancelBeforeStart: false)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(report.interrupted && report.exitStatus == 130)
        // The first unit, and with two jobs the other one already started, if it had.
        #expect((1...jobs).contains(report.outcomes.count))
        let manifest = try #require(Manifest.load(from: out))
        #expect(manifest.units.map(\.id) == report.outcomes.map(\.id))
        #expect(names(in: out).filter { $0 != "manifest.json" } == report.outcomes.map { $0.id + ".json" })
    }

    @Test func pathsSplitAsNSStringSplitsThem() {
        for path in ["out/sub/a.json", "a.json", "/a.json", "out//a.json", "/srv/x/.b.json", "ñ/é.json", "a/b.c/d.json"] {
            let (directory, name) = AtomicFile.split(path)
            #expect(directory == (path as NSString).deletingLastPathComponent, "\(path)")
            #expect(name == (path as NSString).lastPathComponent, "\(path)")
        }
    }

    /// Files are flushed from several threads; each file's error comes back at its place.
    @Test func concurrentFlushesReportEachFilesError() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let staged = try (0..<20).map { try stage("file \($0)", to: dir.path + "/f\($0).txt") }
        var descriptors = staged.map(\.fd)
        descriptors[3] = -1
        descriptors[17] = -1
        let errors = AtomicFile.flushConcurrently(descriptors)
        #expect(errors.indices.filter { errors[$0] != 0 } == [3, 17])
        #expect(errors[3] == EBADF)
        #expect(AtomicFile.publish(staged.map { [$0] }).allSatisfy { $0 == nil })
        #expect(names(in: dir.path).count == 20)
    }

    /// Staged files held open (about three groups) stay within an eighth-per-group share of a
    /// low descriptor limit; with the usual limits a group is 128 files.
    @Test(arguments: [0, 8, 32, 100, 1_024, 20_000, Int.max])
    func aGroupFitsTheDescriptorLimit(limit: Int) {
        let group = BatchRunner.publishGroupFiles(openFileLimit: limit)
        #expect(group >= 1 && group <= 128)
        if limit >= 8 { #expect(3 * group <= limit / 2) }
        if limit >= 1_024 { #expect(group == 128) }
    }
}
