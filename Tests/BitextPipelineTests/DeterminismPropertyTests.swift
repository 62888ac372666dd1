import BitextCore
import Foundation
import PropertyBased
import Testing

@testable import BitextPipeline

/// The same inputs give byte-identical outputs (and manifest entries) whatever the number
/// of jobs and however often the batch is run.
@Suite struct DeterminismPropertyTests {
    static let pipeline = "stages:\n  - use: ingest\n  - use: segment.paragraphs\noutputs:\n  - write: json\n    with: {include_text: true}\n  - write: xml\n"

    static let fragments = [
        "The Council", " reaffirms", " its commitment.", "\n", "\n\n", "1. First item", "\n  (a) nested", "# Heading",
        "**bold** text", "^{1/}", "\n[1] A note.", "Año ", "pingüino ", "\r\n", "\u{0}", "caf\u{E9}", "\n```\ncode\n```\n",
    ]
    /// A batch of 1–6 small documents.
    static let batch = Gen.element(of: fragments).array(of: 0...40).map { $0.compactMap { $0 }.joined() }.array(of: 1...6)

    private func outputs(_ files: [String], in dir: URL, jobs: Int, run: Int) async throws -> [String: String] {
        let out = dir.appendingPathComponent("out-\(jobs)-\(run)").path
        let plan = try PipelineLoader().load(yaml: Self.pipeline)
        let inputs = InputDiscovery.discover([dir.appendingPathComponent("in").path]).files
        let report = await BatchRunner(plan: plan, pipelineText: Self.pipeline).run(inputs, options: BatchOptions(outputDirectory: out, jobs: jobs))
        #expect(report.outcomes.count == files.count)
        var digests: [String: String] = [:]
        for outcome in report.outcomes {
            for output in outcome.outputs { digests[output.path] = output.sha256 }
        }
        // The manifest differs only in nothing: same units, same checksums.
        digests["manifest"] = SHA256.hex(Array(try Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))))
        return digests
    }

    @Test func outputsDoNotDependOnJobsOrRuns() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var round = 0
        await propertyCheck(count: 6, input: Self.batch) { files in
            round += 1
            let input = dir.appendingPathComponent("in")
            try? FileManager.default.removeItem(at: input)
            try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
            for (i, text) in files.enumerated() { try Data(text.utf8).write(to: input.appendingPathComponent("d\(i).txt")) }
            let reference = try await outputs(files, in: dir, jobs: 1, run: round * 10)
            #expect(reference.count == files.count * 2 + 1)
            for (jobs, run) in [(4, round * 10 + 1), (2, round * 10 + 2), (1, round * 10 + 3)] {
                #expect(try await outputs(files, in: dir, jobs: jobs, run: run) == reference, "jobs \(jobs)")
            }
        }
    }
}
