import BitextCore
import Foundation
import Testing

@testable import BitextPipeline

/// JSON compared as data, not as bytes: parsed and written again with sorted keys.
func canonicalJSON(_ data: Data) throws -> Data {
    try JSONSerialization.data(withJSONObject: JSONSerialization.jsonObject(with: data), options: [.sortedKeys])
}

@Suite struct StreamProcessorTests {
    /// The default pipeline, whatever stages it has today.
    static func defaultPlan() throws -> (PipelinePlan, String) {
        let path = repositoryRoot.appendingPathComponent("pipelines/default.yaml").path
        return (try PipelineLoader().load(path: path), try String(contentsOfFile: path, encoding: .utf8))
    }

    @Test func recordsGiveWhatBitextRunWrites() async throws {
        let (plan, text) = try Self.defaultPlan()
        let runner = BatchRunner(plan: plan, pipelineText: text)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = InputDiscovery.discover([repositoryRoot.appendingPathComponent("samples").path]).files
        let report = await runner.run(files, options: BatchOptions(outputDirectory: dir.path, jobs: 2))
        #expect(report.exitStatus == 0)

        let processor = try StreamProcessor(plan: plan)
        let records = StreamRecordLister.lines(for: files, runner: runner)
        #expect(!records.notes.contains { $0.severity == .error }, "\(records.notes)")
        #expect(records.lines.count == report.outcomes.count)
        for (number, line) in records.lines.enumerated() {
            let output = processor.process(line: String(line.dropLast()), lineNumber: number + 1)
            #expect(!output.failed)
            #expect(output.line.last == 0x0A && output.line.dropLast().allSatisfy { $0 != 0x0A }, "one line")
            let streamed = try JSONSerialization.jsonObject(with: Data(output.line)) as? [String: Any]
            let id = try #require(streamed?["id"] as? String)
            let written = try Data(contentsOf: dir.appendingPathComponent(id + ".json"))
            #expect(try canonicalJSON(Data(output.line)) == canonicalJSON(written), "\(id)")
        }
    }

    @Test func inlineContentIsReadLikeTheSameFile() throws {
        let (plan, _) = try Self.defaultPlan()
        let processor = try StreamProcessor(plan: plan)
        let sample = repositoryRoot.appendingPathComponent("samples/bap-mss-statement.en-es.txt")
        let contents = try String(contentsOf: sample, encoding: .utf8)
        func document(_ record: [String: String]) throws -> [String: Any] {
            let line = String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self)
            let output = processor.process(line: line, lineNumber: 1)
            #expect(!output.failed, "\(String(decoding: output.line, as: UTF8.self))")
            var json = try #require(try JSONSerialization.jsonObject(with: Data(output.line)) as? [String: Any])
            // Only the names differ: a path on one side, `inline:ID` on the other.
            json["source"] = nil
            json["documents"] = (json["documents"] as? [[String: Any]])?.map { var d = $0; d["path"] = nil; return d }
            return json
        }
        let fromFile = try document(["id": "s", "path": sample.path])
        let inline = try document(["id": "s", "text": contents])
        let a = try JSONSerialization.data(withJSONObject: fromFile, options: [.sortedKeys])
        let b = try JSONSerialization.data(withJSONObject: inline, options: [.sortedKeys])
        #expect(a == b)
        #expect(((fromFile["paragraphs"] as? [String: Any])?.values.first as? [Any])?.isEmpty == false)
    }

    @Test func failuresBecomeErrorRecordsNamingFileAndStage() throws {
        let (plan, _) = try Self.defaultPlan()
        let processor = try StreamProcessor(plan: plan)
        let missing = processor.process(line: #"{"id": "m", "path": "/nonexistent/a.txt"}"#, lineNumber: 5)
        #expect(missing.failed)
        let record = try #require(try JSONSerialization.jsonObject(with: Data(missing.line)) as? [String: Any])
        #expect(record["id"] as? String == "m")
        let error = try #require(record["error"] as? [String: Any])
        #expect(error["file"] as? String == "/nonexistent/a.txt")
        #expect(error["stage"] as? String == "ingest")
        #expect((error["message"] as? String)?.contains("cannot open") == true)

        let binary = processor.process(line: #"{"id": "b", "text": "%PDF-1.4\u0000\u0000\u0000\u0000binary"}"#, lineNumber: 6)
        #expect(binary.failed)
        let broken = processor.process(line: #"{"id": "b", "path": }"#, lineNumber: 7)
        #expect(String(decoding: broken.line, as: UTF8.self).hasPrefix(#"{"id":7,"error":{"message":"not valid JSON"#))
        #expect(String(decoding: broken.line, as: UTF8.self).hasSuffix(#""file":"<stdin>","stage":"stream","line":7}}"# + "\n"))
    }

    @Test func aGroupOfRecordsGivesEachWhatItGetsAloneFailuresIncluded() throws {
        let (plan, text) = try Self.defaultPlan()
        let processor = try StreamProcessor(plan: plan)
        let files = InputDiscovery.discover([repositoryRoot.appendingPathComponent("samples").path]).files
        let records = StreamRecordLister.lines(for: files, runner: BatchRunner(plan: plan, pipelineText: text)).lines.map { String($0.dropLast()) }
        #expect(records.count >= 2)
        // Good records around a missing file, a line that is not JSON and a binary text.
        var lines = records.enumerated().map { (text: $0.element, number: $0.offset + 1) }
        lines.insert((#"{"id": "m", "path": "/nonexistent/a.txt"}"#, 90), at: 1)
        lines.insert((#"{"id": "b", "path": }"#, 91), at: 2)
        lines.append((#"{"id": "p", "text": "%PDF-1.4\u0000\u0000\u0000\u0000binary"}"#, 92))
        let grouped = processor.process(lines: lines)
        #expect(grouped.count == lines.count)
        for (line, output) in zip(lines, grouped) {
            #expect(output == processor.process(line: line.text, lineNumber: line.number), "line \(line.number)")
        }
        #expect(grouped.map(\.failed) == lines.map { $0.number >= 90 })
    }

    @Test(arguments: [
        ([], []),
        ([10, 20, 30], [0..<3]),
        ([60, 50, 10, 200, 1], [0..<2, 2..<4, 4..<5]),
        ([500, 0, 0], [0..<1, 1..<3]),
    ] as [([Int], [Range<Int>])])
    func groupsCloseOnceTheirInputsReachTheLimit(sizes: [Int], groups: [Range<Int>]) {
        #expect(StreamProcessor.groups(inputBytes: sizes, limit: 100) == groups)
    }

    @Test func theJSONWriterOptionsOfThePipelineAreKept() throws {
        let plan = try PipelineLoader().load(yaml: "stages:\n  - use: ingest\n  - use: segment.paragraphs\noutputs:\n  - write: json\n    with: {include_text: true}\n")
        let output = try StreamProcessor(plan: plan).process(line: #"{"id": "t", "text": "Uno.\n\nDos."}"#, lineNumber: 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.line)) as? [String: Any])
        #expect((json["documents"] as? [[String: Any]])?.first?["text"] as? String == "Uno.\n\nDos.")
    }
}
