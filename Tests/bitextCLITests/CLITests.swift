import Dispatch
import Foundation
import Testing

/// Runs the built `bitext` binary, as a user or a script would.
struct CLI {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found")
    }()

    /// The executable sits beside the test bundle in the build products directory.
    static let executable: URL = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("bitext").path) && dir.path != "/" {
            dir.deleteLastPathComponent()
        }
        return dir.appendingPathComponent("bitext")
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `bitext ARGUMENTS` with `input` on standard input (none: an empty one, so that a
    /// command that reads it never waits on the test runner's). `environment` is added to the
    /// test runner's.
    static func run(_ arguments: [String], in directory: URL = root, input: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe()
        let err = Pipe()
        let stdin = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        process.standardOutput = out
        process.standardError = err
        try process.run()
        if let input {
            // Fed from another thread so that a large output cannot block either side.
            let writer = stdin.fileHandleForWriting
            DispatchQueue.global().async {
                writer.write(Data(input.utf8))
                try? writer.close()
            }
        }
        // Read both pipes before waiting so that a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bitext-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

@Suite struct CLITests {
    @Test func runsTheDefaultPipelineOverTheSamples() throws {
        let out = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try CLI.run(["run", "pipelines/default.yaml", "samples", "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        // The letter exists as text and as HTML: names that would collide keep their extensions.
        for name in ["oas-haiti-peacekeeping-letter.en.txt.json", "oas-haiti-peacekeeping-letter.en.html.xml", "bap-mss-statement.en-es.json", "manifest.json"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("oas-haiti-peacekeeping-letter.en.txt.json"))) as? [String: Any]
        #expect(json?["offset_unit"] as? String == "utf8")
        #expect(result.stderr.contains("0 failed"))
        #expect(!result.stderr.contains("\r"), "no progress line when stderr is not a terminal")
    }

    @Test(arguments: [
        ("stages:\n  - use: ingest\n  - use: segment.paragrahs\n", "3:10: error: unknown stage 'segment.paragrahs' (did you mean 'segment.paragraphs'?)"),
        ("stages:\n  - use: ingest\n    with: {max_bytes: many}\n", "3:23: error: stage 'ingest': option 'max_bytes' must be an integer"),
        ("stages:\n  - use: segment.paragraphs\n", "2:10: error: stage 'segment.paragraphs' needs 'document'"),
        ("stages: [\n", "error: invalid YAML"),
    ])
    func brokenPipelineFilesExitWithStatusTwoAndAPosition(yaml: String, expected: String) throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("broken.yaml")
        try Data(yaml.utf8).write(to: file)
        for command in [["validate", file.path], ["run", file.path, "samples", "--out", dir.appendingPathComponent("out").path]] {
            let result = try CLI.run(command)
            #expect(result.status == 2)
            #expect(result.stderr.contains(file.path + ":"), "\(result.stderr)")
            #expect(result.stderr.contains(expected), "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path), "nothing runs when the plan is invalid")
    }

    @Test func failingInputsGiveStatusOneAndNameTheFile() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("A good paragraph.\n".utf8).write(to: dir.appendingPathComponent("good.txt"))
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A]).write(to: dir.appendingPathComponent("image.txt"))
        let result = try CLI.run(["run", "pipelines/default.yaml", dir.path, "--out", dir.appendingPathComponent("out").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("image.txt: error: at byte 0: [ingest] binary file (PNG image)"), "\(result.stderr)")
        #expect(result.stderr.contains("1 written, 1 failed"))
    }

    @Test func validateAcceptsTheShippedPipelines() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: CLI.root.appendingPathComponent("pipelines").path).filter { $0.hasSuffix(".yaml") }
        let result = try CLI.run(["validate"] + files.map { "pipelines/" + $0 })
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func stagesListsEveryStageWithOptions() throws {
        let result = try CLI.run(["stages"])
        #expect(result.status == 0)
        for name in ["ingest", "segment.paragraphs", "max_bytes (integer, default 1073741824)", "json", "xml"] {
            #expect(result.stdout.contains(name), "\(name)")
        }
    }

    @Test func alignPrintsToStandardOutput() throws {
        let result = try CLI.run(["align", "samples/oas-haiti-peacekeeping-letter.en.txt", "samples/bap-mss-statement.en-es.txt", "--format", "xml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
        #expect(result.stdout.contains("Security Council"))
        let unknown = try CLI.run(["align", "a.txt", "b.txt", "--format", "pdf"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("unknown format 'pdf'"))
    }

    @Test func entitiesRejectsUnknownKinds() throws {
        let result = try CLI.run(["entities", "--kinds", "date,dates"])
        #expect(result.status == 2, "usage error: \(result.stderr)")
        #expect(result.stderr.contains("unknown entity kind 'dates'"), "\(result.stderr)")
        let line = "On 22 November 2024 the OAS adopted CP/RES. 1268 (2523/24).\n"
        let all = try CLI.run(["entities", "--kinds", "all"], input: line)
        let everything = try CLI.run(["entities"], input: line)
        #expect(all.status == 0, "'all' is every kind, as in the stage's option: \(all.stderr)")
        #expect(!all.stdout.isEmpty && all.stdout == everything.stdout)
        let dates = try CLI.run(["entities", "--kinds", "date"], input: line)
        #expect(dates.stdout.split(separator: "\n").count == 1 && dates.stdout.contains("\"kind\":\"date\""), "\(dates.stdout)")
    }

    @Test func helpHasExamples() throws {
        for command in [["--help"], ["run", "--help"], ["align", "--help"], ["validate", "--help"], ["stages", "--help"]] {
            let result = try CLI.run(command)
            #expect(result.status == 0)
            #expect(result.stdout.contains("bitext "), "\(command)")
        }
    }

    /// A command's description is written as paragraphs the help wraps to the terminal's width
    /// (lines broken in the source came out broken again at 80 columns), and its examples fit 80.
    @Test(arguments: ["run", "align", "identify", "entities", "index", "search", "stream", "validate", "stages"])
    func helpReadsAtEightyColumns(command: String) throws {
        let wide = try CLI.run([command, "--help"], environment: ["COLUMNS": "4000"])
        let description = wide.stdout.split(separator: "\n", omittingEmptySubsequences: false).prefix { !$0.hasPrefix("USAGE:") }
        for (line, next) in zip(description, description.dropFirst()) where !line.isEmpty && !next.isEmpty {
            // Two prose lines in a row: a paragraph broken in the source.
            #expect(line.hasPrefix(" ") || next.hasPrefix(" "), "\(command): \(line) / \(next)")
        }
        for line in description where line.hasPrefix(" ") {
            #expect(line.count <= 80, "\(command): \(line)")
        }
    }
}
