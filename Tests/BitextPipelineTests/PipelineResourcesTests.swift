import BitextCore
import Foundation
import Testing

@testable import BitextPipeline

@Suite struct PipelineResourcesTests {
    @Test func defaultPipelineLoadsEveryResourceInStageOrder() throws {
        let plan = try PipelineLoader().load(path: repositoryRoot.appendingPathComponent("pipelines/default.yaml").path)
        #expect(PipelineResources.resources(for: plan) == [.languageModel, .dictionary, .lexicon, .folding])
    }

    @Test(arguments: [
        ("stages:\n  - use: ingest\n  - use: segment.paragraphs\n", [PipelineResources.Resource]()),
        ("stages:\n  - use: ingest\n  - use: segment.paragraphs\n  - use: identify.language\n", [.languageModel]),
        ("stages:\n  - use: ingest\n  - use: segment.paragraphs\n  - use: segment.sentences\n  - use: extract.entities\n", [.lexicon]),
    ])
    func onlyTheResourcesOfThePlansStages(yaml: String, expected: [PipelineResources.Resource]) throws {
        let plan = try PipelineLoader().load(yaml: yaml, file: "p.yaml")
        #expect(PipelineResources.resources(for: plan) == expected)
    }

    @Test func backgroundLoadingLeavesTheStagesOutputUnchanged() throws {
        let plan = try PipelineLoader().load(yaml: "stages:\n  - use: ingest\n  - use: segment.paragraphs\n  - use: identify.language\n", file: "p.yaml")
        PipelineResources.loadInBackground(for: plan)
        // A unit meeting the model while the background thread loads it waits for that load.
        let runner = BatchRunner(plan: plan)
        let text = "The committee approved the annual report yesterday, after a long debate about the budget."
        var unit = WorkUnit(id: "a", inputs: [InputFile(path: "a.txt", contents: Array(text.utf8))])
        try runner.process(&unit, context: StageContext())
        #expect(unit.documents.first?.languages.first == .english)
    }
}
