import BitextCore
import Foundation
import Testing

@testable import BitextPipeline

@Suite struct PipelineLoaderTests {
    private func errors(_ yaml: String) -> [PipelineError] {
        do {
            _ = try PipelineLoader().load(yaml: yaml, file: "p.yaml")
            return []
        } catch let e as PipelineErrors {
            return e.errors
        } catch {
            return [PipelineError(file: "?", line: 0, column: 0, message: "\(error)")]
        }
    }

    @Test func defaultPipelineLoads() throws {
        let plan = try PipelineLoader().load(path: repositoryRoot.appendingPathComponent("pipelines/default.yaml").path)
        #expect(plan.stages.map(\.id.rawValue).prefix(2) == ["ingest", "segment.paragraphs"])
        #expect(plan.writers.map(\.name.rawValue).contains("json"))
        #expect(plan.inputs == ["samples"])
    }

    @Test func builtInDefaultMatchesTheFile() throws {
        let file = try String(contentsOf: repositoryRoot.appendingPathComponent("pipelines/default.yaml"), encoding: .utf8)
        #expect(DefaultPipeline.yaml.trimmingCharacters(in: .whitespacesAndNewlines) == file.trimmingCharacters(in: .whitespacesAndNewlines), "DefaultPipeline.yaml is out of date: copy pipelines/default.yaml into Sources/BitextPipeline/Loading/DefaultPipeline.swift")
    }

    @Test func unknownStageIsReportedWithPositionAndSuggestion() {
        let found = errors("stages:\n  - use: ingest\n  - use: segment.paragraph\n")
        #expect(found.count == 1)
        #expect(found.first?.line == 3)
        #expect(found.first?.column == 10)
        #expect(found.first?.message.contains("did you mean 'segment.paragraphs'") == true)
        #expect(found.first?.description.hasPrefix("p.yaml:3:10: error: unknown stage") == true)
    }

    @Test func unknownOptionIsReportedAtTheKey() {
        let found = errors("stages:\n  - use: ingest\n    with:\n      max_byte: 10\n")
        #expect(found.map(\.line) == [4])
        #expect(found.first?.message.contains("did you mean 'max_bytes'") == true)
    }

    @Test func wrongTypeIsReportedAtTheValue() {
        let found = errors("stages:\n  - use: ingest\n    with: {max_bytes: lots}\n")
        #expect(found.count == 1)
        #expect(found.first?.line == 3)
        #expect(found.first?.message.contains("max_bytes") == true)
        #expect(found.first?.message.contains("integer") == true)
    }

    @Test func invalidValueFromTheStageIsReportedAtTheOption() {
        let found = errors("stages:\n  - use: ingest\n    with:\n      format: pdf\n")
        #expect(found.map(\.line) == [4])
        #expect(found.first?.message.contains("format") == true)
    }

    @Test func missingLayerNamesTheStageThatWouldProduceIt() {
        let found = errors("stages:\n  - use: segment.paragraphs\n")
        #expect(found.count == 1)
        #expect(found.first?.message.contains("needs 'document'") == true)
        #expect(found.first?.message.contains("'ingest'") == true)
    }

    @Test func yamlSyntaxErrorHasAPosition() {
        let found = errors("stages:\n  - use: ingest\n   - use: [unclosed\n")
        #expect(found.count == 1)
        #expect(found.first?.line ?? 0 >= 2)
        #expect(found.first?.message.hasPrefix("invalid YAML") == true)
    }

    @Test func unknownTopLevelKeyAndWriterAreAllReported() {
        let found = errors("stage:\n  - use: ingest\noutputs:\n  - write: jsn\n")
        #expect(found.contains { $0.message.contains("unknown key 'stage'") && $0.message.contains("did you mean 'stages'") })
        #expect(found.contains { $0.message.contains("missing 'stages'") })
        #expect(found.contains { $0.line == 4 && $0.message.contains("did you mean 'json'") })
    }

    @Test func stageThatTakesNoOptionsSaysSo() {
        let found = errors("stages:\n  - use: ingest\n  - use: segment.paragraphs\n    with: {depth: 2}\n")
        #expect(found.first?.message.contains("takes no options") == true)
    }

    @Test func emptyFileIsAnError() {
        #expect(errors("").first?.message.contains("empty") == true)
    }
}
