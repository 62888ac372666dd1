import BitextCore
import BitextHTML
import BitextPipeline
import Foundation
import Testing

/// The real thing: every sample through the complete pipeline (`pipelines/all-outputs.yaml`:
/// language identification, pairing, alignment, entities), every file it writes checked
/// against its schema.
@Suite struct PipelineOutputValidationTests {
    @Test func everyOutputOfTheCompletePipelineValidates() async throws {
        let pipeline = repositoryRoot.appendingPathComponent("pipelines/all-outputs.yaml").path
        let plan = try PipelineLoader().load(path: pipeline)
        let out = try artifactDirectory("all-outputs")
        let inputs = InputDiscovery.discover([repositoryRoot.appendingPathComponent("samples").path]).files
        let report = await BatchRunner(plan: plan).run(inputs, options: BatchOptions(outputDirectory: out.path, jobs: 2))
        #expect(report.exitStatus == 0, "\(report.failed.map { $0.failure?.description ?? "" })")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()

        var checked: [String: Int] = [:]
        for name in files {
            let path = out.appendingPathComponent(name).path
            let schema: String? =
                name.hasSuffix(".xml") ? "bitext-document.xsd" : name.hasSuffix(".xlf") ? "xliff-core-2.0.xsd" : nil
            guard let schema else { continue }
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(XMLValidator.validate(xml: bytes, againstSchema: schemaPath(schema)) == [], "\(name)")
            checked[schema, default: 0] += 1
        }
        let documents = files.filter { $0.hasSuffix(".json") && $0 != "manifest.json" }.map { out.appendingPathComponent($0).path }
        let records = files.filter { $0.hasSuffix(".jsonl") || $0.hasSuffix(".bulk.ndjson") }.map { out.appendingPathComponent($0).path }
        if let problems = try jsonSchemaProblems(files: documents, schema: schemaPath("bitext-document.schema.json")),
           let recordProblems = try jsonSchemaProblems(files: records, schema: schemaPath("bitext-record.schema.json"))
        {
            #expect(problems == [])
            #expect(recordProblems == [])
        } else {
            print("SKIPPED JSON Schema validation of pipeline outputs: python3 with jsonschema is not available")
        }
        // The samples hold pairs: the complete pipeline aligns them, and the outputs show it.
        #expect(checked["bitext-document.xsd"] == checked["xliff-core-2.0.xsd"])
        #expect((checked["bitext-document.xsd"] ?? 0) >= 4)
        let paired = try documents.filter { path in
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
            return json?["alignment"] != nil && json?["sentence_alignment"] != nil && json?["entities"] != nil
        }
        #expect(paired.count >= 3)
        #expect(files.contains("review.html") && files.contains("index.sqlite"))
    }
}
