import Dispatch
import Foundation
import Testing

/// `bitext stream` run as Spark's `RDD.pipe` or a shell pipe runs it.
@Suite struct StreamCLITests {
    /// Runs `bitext ARGS` with `input` on standard input.
    private func stream(_ arguments: [String], input: String) throws -> CLI.Result {
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = arguments
        process.currentDirectoryURL = CLI.root
        let stdin = Pipe()
        let out = Pipe()
        let err = Pipe()
        process.standardInput = stdin
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Feed standard input from another thread so that a large output cannot block us.
        let writer = stdin.fileHandleForWriting
        let data = Data(input.utf8)
        DispatchQueue.global().async {
            writer.write(data)
            try? writer.close()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLI.Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    private func objects(_ stdout: String) throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    @Test func oneLinePerRecordInOrderWithErrorRecordsAndExitStatus() throws {
        let input = """
            {"id": "letter", "path": "samples/oas-haiti-peacekeeping-letter.en.txt"}
            {"id": "gone", "path": "samples/no-such-file.txt"}
            this is not json

            {"id": 42, "en_text": "The Council met on 3 May.", "es_text": "El Consejo se reunió el 3 de mayo."}
            {"path": "samples/bap-mss-statement.en-es.txt"}

            """
        let result = try stream(["stream", "--pipeline", "pipelines/default.yaml", "--jobs", "2"], input: input)
        #expect(result.status == 1, "a record failed")
        #expect(result.stderr.contains("2 of 5 record(s) failed"))
        let lines = try objects(result.stdout)
        #expect(lines.map { "\($0["id"]!)" } == ["letter", "gone", "3", "42", "bap-mss-statement.en-es"])
        #expect(lines.map { $0["error"] != nil } == [false, true, true, false, false])
        let gone = try #require(lines[1]["error"] as? [String: Any])
        #expect(gone["stage"] as? String == "ingest")
        #expect(gone["file"] as? String == "samples/no-such-file.txt")
        let malformed = try #require(lines[2]["error"] as? [String: Any])
        #expect(malformed["line"] as? Int == 3)
        #expect(lines[0]["format"] as? String == "bitext-document")

        let tolerant = try stream(["stream", "--tolerate-failures"], input: input)
        #expect(tolerant.status == 0)
        #expect(tolerant.stdout == result.stdout, "the built-in default pipeline is pipelines/default.yaml")
        let clean = try stream(["stream"], input: #"{"id": "x", "text": "Hola."}"# + "\n")
        #expect(clean.status == 0)
    }

    /// A pipeline-file error exits 2; a command-line error exits with ArgumentParser's usage
    /// status (64, as for every bitext command). Neither is mistaken for 1, "a record failed".
    @Test func usageAndPipelineErrorsAreNotRecordFailures() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let broken = dir.appendingPathComponent("broken.yaml")
        try Data("stages:\n  - use: nope\n".utf8).write(to: broken)
        #expect(try stream(["stream", "--pipeline", broken.path], input: "").status == 2)
        for arguments in [["stream", "--jobs", "0"], ["stream", "samples"], ["stream", "--records"], ["stream", "--window", "0"]] {
            let result = try stream(arguments, input: "")
            #expect(![0, 1].contains(result.status), "\(arguments)")
            #expect(result.stderr.contains("Error:"), "\(arguments)")
        }
    }

    /// `--records` lists a batch the way `bitext run` groups and names it; streaming those
    /// records gives `bitext run`'s JSON documents.
    @Test func recordsOfABatchStreamToWhatRunWrites() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let samples = CLI.root.appendingPathComponent("samples").path
        let run = try CLI.run(["run", "pipelines/default.yaml", samples, "--out", dir.path, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let records = try CLI.run(["stream", "--records", "--pipeline", "pipelines/default.yaml", samples])
        #expect(records.status == 0, "\(records.stderr)")
        let streamed = try stream(["stream", "--pipeline", "pipelines/default.yaml"], input: records.stdout)
        #expect(streamed.status == 0, "\(streamed.stderr)")
        let documents = try objects(streamed.stdout)
        #expect(documents.count == records.stdout.split(separator: "\n").count)
        #expect(!documents.isEmpty)
        for document in documents {
            let id = try #require(document["id"] as? String)
            let written = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent(id + ".json")))
            let a = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
            let b = try JSONSerialization.data(withJSONObject: written, options: [.sortedKeys])
            #expect(a == b, "\(id)")
        }
    }

    @Test func eachResultIsFlushedWhileTheInputStaysOpen() throws {
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["stream"]
        process.currentDirectoryURL = CLI.root
        let stdin = Pipe()
        let out = Pipe()
        process.standardInput = stdin
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            try? stdin.fileHandleForWriting.close()
            process.waitUntilExit()
        }
        stdin.fileHandleForWriting.write(Data(#"{"id": "first", "text": "Uno."}"#.utf8 + [0x0A]))
        // Read the answer before sending anything else (with a time limit, so a bug fails the test
        // rather than hanging it).
        let got = DispatchSemaphore(value: 0)
        let reader = out.fileHandleForReading
        let line = LineBox()
        DispatchQueue.global().async {
            var bytes: [UInt8] = []
            while true {
                let chunk = reader.readData(ofLength: 1)
                guard let byte = chunk.first, byte != 0x0A else { break }
                bytes.append(byte)
            }
            line.set(String(decoding: bytes, as: UTF8.self))
            got.signal()
        }
        #expect(got.wait(timeout: .now() + 120) == .success, "the answer came before the input ended")
        #expect(line.get().contains(#""id":"first""#))
    }
}

private final class LineBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value = ""
    func set(_ text: String) { lock.withLock { value = text } }
    func get() -> String { lock.withLock { value } }
}
