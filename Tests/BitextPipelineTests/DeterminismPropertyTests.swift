import BitextCore
import Foundation
import PropertyBased
import Testing

@testable import BitextPipeline

/// The same inputs give byte-identical outputs (and manifest entries) whatever the number
/// of jobs and however often the batch is run.
@Suite struct DeterminismPropertyTests {
    /// The default pipeline's stages (language, pairing, alignment, entities: where an
    /// unordered dictionary or set would show), with every writer.
    static let pipeline: String = {
        let text = (try? String(contentsOf: repositoryRoot.appendingPathComponent("pipelines/default.yaml"), encoding: .utf8)) ?? ""
        let stages = text.components(separatedBy: "\noutputs:")[0].components(separatedBy: "\nstages:")[1]
        return "stages:" + stages + "\noutputs:\n  - write: json\n    with: {include_text: true}\n  - write: xml\n"
    }()

    static let fragments = [
        "The Council", " reaffirms", " its commitment.", "\n", "\n\n", "El Consejo", " reafirma", " su compromiso.", " on 5 March 2024", " el 5 de marzo de 2024", "1. First item", "\n  (a) nested", "# Heading",
        "**bold** text", "^{1/}", "\n[1] A note.", "Año ", "pingüino ", "\r\n", "\u{0}", "caf\u{E9}", "\n```\ncode\n```\n",
    ]
    /// A batch of 1–6 small documents.
    static let batch = Gen.element(of: fragments).array(of: 0...40).map { $0.compactMap { $0 }.joined() }.array(of: 1...6)

    private func outputs(_ files: [String], in dir: URL, jobs: Int, run: Int) async throws -> [String: String] {
        let out = dir.appendingPathComponent("out-\(jobs)-\(run)").path
        let plan = try PipelineLoader().load(yaml: Self.pipeline)
        let inputs = InputDiscovery.discover([dir.appendingPathComponent("in").path]).files
        let report = await BatchRunner(plan: plan, pipelineText: Self.pipeline).run(inputs, options: BatchOptions(outputDirectory: out, jobs: jobs))
        #expect(report.outcomes.count >= files.count - 1)
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
            // Pairs (d0.en.txt, d0.es.txt) as well as single files.
            for (i, text) in files.enumerated() {
                let name = i < 2 ? "d.\(i == 0 ? "en" : "es").txt" : "d\(i).txt"
                try Data(text.utf8).write(to: input.appendingPathComponent(name))
            }
            let reference = try await outputs(files, in: dir, jobs: 1, run: round * 10)
            #expect(reference.count >= 3)
            for (jobs, run) in [(4, round * 10 + 1), (2, round * 10 + 2), (1, round * 10 + 3)] {
                #expect(try await outputs(files, in: dir, jobs: jobs, run: run) == reference, "jobs \(jobs)")
            }
        }
    }
}
