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

    @Test func aLoadRunsOnceWhileTheOtherCallersWaitForIt() {
        let gate = LoadGate(count: 2)
        let log = LoadLog()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            gate.ensure(1) {
                log.record("start")
                Thread.sleep(forTimeInterval: 0.02)  // long enough for the others to arrive meanwhile
                log.record("end")
            }
            // Every caller returns only once the load is done.
            log.record(log.contains("end") ? "returned after the load" : "returned before the load")
        }
        #expect(log.entries.filter { $0 == "start" }.count == 1)
        #expect(log.entries.filter { $0 == "returned after the load" }.count == 8)
    }

    @Test func eachLoadIsItsOwn() {
        let gate = LoadGate(count: 2)
        let log = LoadLog()
        gate.ensure(0) { log.record("0") }
        gate.ensure(1) { log.record("1") }
        gate.ensure(0) { log.record("0 again") }
        #expect(log.entries == ["0", "1"])
    }
}

/// What the loads and their callers did, in order.
private final class LoadLog: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func record(_ entry: String) { lock.withLock { list.append(entry) } }
    func contains(_ entry: String) -> Bool { lock.withLock { list.contains(entry) } }
    var entries: [String] { lock.withLock { list } }
}
