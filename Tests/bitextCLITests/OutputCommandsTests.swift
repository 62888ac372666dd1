import Foundation
import Testing

/// The outputs on the command line: `align --format` for every writer that fits standard
/// output, the all-outputs pipeline, `bitext index` and `bitext search`.
@Suite struct OutputCommandsTests {
    static let pair = ["align", "samples/oas-haiti-peacekeeping-letter.en.txt", "samples/bap-mss-statement.en-es.txt"]

    @Test(arguments: ["json", "xml", "jsonl", "bulk", "xliff"])
    func alignWritesEveryStreamableFormat(format: String) throws {
        let result = try CLI.run(Self.pair + ["--format", format])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.isEmpty)
        switch format {
        case "xml": #expect(result.stdout.contains("<bitext xmlns=\"urn:bitext:document:1\""))
        case "xliff": #expect(result.stdout.contains("urn:oasis:names:tc:xliff:document:2.0"))
        case "jsonl": #expect(result.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("{\"id\":") })
        case "bulk": #expect(result.stdout.split(separator: "\n").first?.hasPrefix("{\"index\":{\"_index\":\"bitext\",\"_id\":") == true)
        default: #expect(result.stdout.hasPrefix("{"))
        }
    }

    @Test(arguments: ["review", "index"])
    func alignRefusesBatchFormats(format: String) throws {
        let result = try CLI.run(Self.pair + ["--format", format])
        #expect(result.status != 0)
        #expect(result.stderr.contains("bitext run"))
    }

    @Test func allOutputsPipelineThenIndexAndSearch() throws {
        let out = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try CLI.run(["validate", "pipelines/all-outputs.yaml"]).status == 0)
        let run = try CLI.run(["run", "pipelines/all-outputs.yaml", "samples", "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as? [String: Any])
        let batch = try #require(manifest["batch_outputs"] as? [[String: Any]])
        #expect(batch.compactMap { $0["path"] as? String } == ["review.html", "index.sqlite"])
        let units = try #require(manifest["units"] as? [[String: Any]])
        for unit in units {
            let outputs = (unit["outputs"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
            for suffix in [".json", ".xml", ".jsonl", ".bulk.ndjson", ".xlf", ".review.html"] {
                #expect(outputs.contains { $0.hasSuffix(suffix) }, "\(suffix)")
            }
        }

        let db = out.appendingPathComponent("rebuilt.sqlite").path
        let index = try CLI.run(["index", out.path, "--db", db])
        #expect(index.status == 0, "\(index.stderr)")
        let search = try CLI.run(["search", "resolucion", "--db", db, "--limit", "3"])
        #expect(search.status == 0, "\(search.stderr)")
        #expect(search.stdout.contains("[resolución]"))
        let json = try CLI.run(["search", "haiti", "--db", out.appendingPathComponent("index.sqlite").path, "--json", "--limit", "2"])
        #expect(json.stdout.split(separator: "\n").count == 2)
        #expect(try CLI.run(["search", "x", "--db", out.appendingPathComponent("none.sqlite").path]).status == 1)
        #expect(try CLI.run(["search", "x", "--lang", "fr"]).status != 0)
    }
}
