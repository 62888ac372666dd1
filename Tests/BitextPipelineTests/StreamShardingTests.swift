import BitextCore
import Foundation
import Testing

@testable import BitextPipeline

/// `bitext run --shard K/N`: the job-array alternative to a streaming cluster job.
@Suite struct StreamShardingTests {
    /// Every file under `directory` except the manifest, by relative path.
    private func outputs(in directory: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let root = directory.path + "/"
        let walker = try #require(FileManager.default.enumerator(atPath: directory.path))
        while let path = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            guard path != "manifest.json", FileManager.default.fileExists(atPath: root + path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            files[path] = try Data(contentsOf: URL(fileURLWithPath: root + path))
        }
        return files
    }

    /// The outputs the manifest lists for its documents.
    private func perDocument(_ manifest: Manifest) -> Set<String> {
        Set(manifest.units.flatMap { $0.outputs.map(\.path) })
    }

    /// Documents cut from the samples (real text), named as EN/ES pairs and single files,
    /// in nested folders, plus one file that fails.
    private func makeCorpus(in directory: URL) throws {
        let statement = try String(contentsOf: repositoryRoot.appendingPathComponent("samples/bap-mss-statement.en-es.txt"), encoding: .utf8)
        let letter = try String(contentsOf: repositoryRoot.appendingPathComponent("samples/oas-haiti-peacekeeping-letter.en.txt"), encoding: .utf8)
        let paragraphs = (statement + "\n\n" + letter).components(separatedBy: "\n\n").filter { $0.count > 40 }
        let fm = FileManager.default
        for folder in ["a", "a/b", "c"] { try fm.createDirectory(at: directory.appendingPathComponent(folder), withIntermediateDirectories: true) }
        for i in 0..<24 {
            let body = (0..<3).map { paragraphs[(i * 3 + $0) % paragraphs.count] }.joined(separator: "\n\n")
            let folder = ["a", "a/b", "c"][i % 3]
            let name = i % 2 == 0 ? "doc\(i).en.txt" : "doc\(i - 1).es.txt"
            try Data(body.utf8).write(to: directory.appendingPathComponent("\(folder)/\(name)"))
            try Data(("Note \(i)\n\n" + body).utf8).write(to: directory.appendingPathComponent("\(folder)/note\(i).txt"))
        }
        try Data([0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x34, 0, 0, 0]).write(to: directory.appendingPathComponent("c/broken.txt"))
    }

    @Test func shardsTogetherEqualOneUnshardedRun() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("corpus")
        try makeCorpus(in: corpus)
        let (plan, text) = try StreamProcessorTests.defaultPlan()
        let runner = BatchRunner(plan: plan, pipelineText: text)
        let files = InputDiscovery.discover([corpus.path]).files

        let full = dir.appendingPathComponent("full")
        let whole = await runner.run(files, options: BatchOptions(outputDirectory: full.path, jobs: 2))
        let wholeManifest = try #require(Manifest.load(from: full.path))
        // Batch-level outputs (the review index page, the search index) summarize the documents
        // of their own run, so each shard has its own; the per-document outputs must be identical.
        let expected = try outputs(in: full).filter { perDocument(wholeManifest).contains($0.key) }
        #expect(expected.count > 40)
        #expect(whole.failed.count == 1, "the broken file fails in the full run and in its shard")

        let count = 3
        var union: [String: Data] = [:]
        var unitIDs: [String] = []
        for index in 1...count {
            let out = dir.appendingPathComponent("shard\(index)")
            let report = await runner.run(files, options: BatchOptions(outputDirectory: out.path, jobs: 2, shard: Shard("\(index)/\(count)")))
            let manifest = try #require(Manifest.load(from: out.path))
            let shardOutputs = try outputs(in: out).filter { perDocument(manifest).contains($0.key) }
            #expect(!shardOutputs.isEmpty, "every shard gets a share of \(whole.outcomes.count) units")
            #expect(Set(shardOutputs.keys).isDisjoint(with: union.keys))
            union.merge(shardOutputs) { a, _ in a }
            unitIDs += manifest.units.map(\.id)
            #expect(Set(report.outcomes.map(\.id)) == Set(manifest.units.map(\.id)))
        }
        #expect(union == expected, "byte-identical files")
        #expect(unitIDs.sorted() == wholeManifest.units.map(\.id).sorted(), "the shards' units partition the run's")
        #expect(Set(unitIDs).count == unitIDs.count)
    }
}
