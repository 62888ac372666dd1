import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A record that crashes `bitext stream` (here on purpose, through `BITEXT_FAULT_TEST`, as an
/// overflow or an index out of range would, or an endless loop) gets an error record, and the
/// stream goes on: the real binary, its supervising process and its restarts.
@Suite(.serialized) struct StreamCrashIsolationCLITests {
    /// `count` small documents and their records, one line each, in order.
    private func makeRecords(_ count: Int) throws -> (dir: URL, input: String) {
        let dir = try CLI.temporaryDirectory()
        var lines: [String] = []
        for i in 0..<count {
            let name = String(format: "doc%03d", i)
            let text = "\(i + 1). The Council met on \(i + 3) May.\n\nIt adopted resolution \(2000 + i).\n"
            let file = dir.appendingPathComponent(name + ".txt")
            try Data(text.utf8).write(to: file)
            lines.append(#"{"id": "\#(name)", "path": "\#(file.path)"}"#)
        }
        return (dir, lines.joined(separator: "\n") + "\n")
    }

    private func stream(_ arguments: [String], input: String, fault: String? = nil) throws -> CLI.Result {
        var environment: [String: String] = [:]
        if let fault { environment = ["BITEXT_FAULT_TEST": fault, "SWIFT_BACKTRACE": "enable=no"] }
        return try CLI.run(["stream", "--pipeline", "pipelines/ingest-json.yaml"] + arguments, input: input, environment: environment)
    }

    private func lines(_ stdout: String) -> [Substring] { stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast() }

    /// Checks that the records named `crashing` (file names) got error records with `message`
    /// and `stage`, and every other line is byte for byte the unsupervised run's, in order.
    private func expectErrorRecords(_ result: CLI.Result, reference: String, crashing: [String], stage: String, message: String) throws {
        let expected = lines(reference)
        let got = lines(result.stdout)
        try #require(got.count == expected.count, "\(result.stderr)")
        for (k, line) in got.enumerated() {
            let name = String(format: "doc%03d", k)
            guard crashing.contains(name + ".txt") else {
                #expect(line == expected[k], "line \(k + 1)")
                continue
            }
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["id"] as? String == name)
            let error = try #require(object["error"] as? [String: Any])
            #expect((error["message"] as? String ?? "").contains(message), "\(error)")
            #expect(error["stage"] as? String == stage, "\(error)")
            #expect(error["line"] as? Int == k + 1)
            #expect((error["file"] as? String ?? "").hasSuffix("/" + name + ".txt"))
        }
    }

    /// With one worker or two and several records in flight, one crashing record or two, early or
    /// late in the stages, the last record of the stream among them: each crashing record gets
    /// an error record with the signal and its stage, all others their lines, in order; exit 1.
    @Test(arguments: [
        (1, "segment.paragraphs", ["doc017.txt"]),
        (2, "ingest", ["doc003.txt", "doc041.txt"]),
        (2, "segment.paragraphs", ["doc000.txt", "doc079.txt"]),
    ])
    func aCrashingRecordGetsAnErrorRecordAndTheStreamGoesOn(jobs: Int, stage: String, crashing: [String]) throws {
        let (dir, input) = try makeRecords(80)
        defer { try? FileManager.default.removeItem(at: dir) }
        let reference = try stream(["--in-process"], input: input)
        #expect(reference.status == 0, "\(reference.stderr)")
        let result = try stream(["--jobs", String(jobs)], input: input, fault: "crash:\(stage):\(crashing.joined(separator: ","))")
        #expect(result.status == 1, "\(result.stderr)")
        try expectErrorRecords(
            result, reference: reference.stdout, crashing: crashing, stage: stage,
            message: "the process running this record died from SIGILL (a runtime trap")
        #expect(result.stderr.contains("\(crashing.count) of 80 record(s) failed"), "\(result.stderr)")
        #expect(result.stderr.contains("goes on in a new process"), "\(result.stderr)")
    }

    /// Whatever the lines (blank ones, Unicode spaces, CRLF, a line that is not JSON, inline
    /// records named by their line numbers, an answer of several pipefuls, no final line feed),
    /// the supervised stream answers as the unsupervised one, line numbers included; a crashing
    /// inline record without an id is named by its line number, as its other errors are.
    @Test func supervisedLinesAreTheUnsupervisedOnes() throws {
        let long = String(repeating: "The Council met on 3 May and adopted a resolution.\\n\\n", count: 4_000)
        let input = "\n" + #"{"id": "a", "text": "The Council met.", "format": "text"}"# + "\r\n  \n\u{00A0}\u{2003}\nnot json\n"
            + #"{"text": "Hola amigos."}"# + "\n" + #"{"id": 7}"# + "\n" + #"{"id": "long", "text": "\#(long)"}"# + "\n"
            + #"{"en_text": "Hi.", "es_text": "Hola."}"#
        let reference = try stream(["--in-process"], input: input)
        let result = try stream([], input: input)
        #expect(result.status == reference.status && result.status == 1, "\(result.stderr)")
        #expect(result.stdout == reference.stdout)
        #expect(lines(result.stdout).count == 6)
        #expect(lines(result.stdout)[4].utf8.count > 1 << 18, "an answer longer than a pipe holds")
        let crashed = try stream(["--jobs", "1"], input: input, fault: "crash:segment.paragraphs:inline:6")
        let crashedLines = lines(crashed.stdout)
        try #require(crashedLines.count == 6, "\(crashed.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(crashedLines[2].utf8)) as? [String: Any])
        #expect(object["id"] as? String == "6", "named as its document would be")
        let error = try #require(object["error"] as? [String: Any])
        #expect(error["file"] as? String == "inline:6" && error["line"] as? Int == 6 && error["stage"] as? String == "segment.paragraphs", "\(error)")
        #expect(Array(crashedLines.enumerated().filter { $0.offset != 2 }.map(\.element)) == Array(lines(reference.stdout).enumerated().filter { $0.offset != 2 }.map(\.element)))
    }

    @Test func toleratedCrashesExitZero() throws {
        let (dir, input) = try makeRecords(6)
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try stream(["--tolerate-failures"], input: input, fault: "crash:ingest:doc002.txt")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(lines(result.stdout).count == 6)
        #expect(result.stderr.contains("1 of 6 record(s) failed"), "\(result.stderr)")
    }

    /// A record that never finishes (an endless loop) is stopped at `--unit-timeout` and fails
    /// with the limit and its stage; the stream goes on.
    @Test func aRecordThatNeverFinishesIsStoppedAtTheUnitTimeout() throws {
        let (dir, input) = try makeRecords(20)
        defer { try? FileManager.default.removeItem(at: dir) }
        let reference = try stream(["--in-process"], input: input)
        let result = try stream(["--jobs", "2", "--unit-timeout", "1.5"], input: input, fault: "hang:segment.paragraphs:doc011.txt")
        #expect(result.status == 1, "\(result.stderr)")
        try expectErrorRecords(
            result, reference: reference.stdout, crashing: ["doc011.txt"], stage: "segment.paragraphs",
            message: "still in progress after the time limit of 1.5 s (--unit-timeout)")
    }

    @Test func aUnitTimeoutMustBePositiveAndSupervised() throws {
        for arguments in [["--unit-timeout", "0"], ["--unit-timeout", "5", "--in-process"]] {
            let result = try CLI.run(["stream"] + arguments, input: "")
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("--unit-timeout"), "\(result.stderr)")
        }
    }

    /// `--in-process` runs without the supervisor: a crash ends the stream with the signal.
    @Test func inProcessStreamsHaveNoSupervisor() throws {
        let (dir, input) = try makeRecords(4)
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try stream(["--in-process", "--jobs", "1"], input: input, fault: "crash:ingest:doc002.txt")
        #expect(result.status == 128 + SIGILL || result.status == SIGILL, "\(result.status) \(result.stderr)")
        #expect(!result.stderr.contains("goes on in a new process"))
    }

    /// Ctrl-C on a terminal reaches both processes at once: the stream ends with 130, and the
    /// child's death is not taken for a crash.
    @Test func anInterruptIsNotACrash() throws {
        let stdin = Pipe()
        let stderr = Pipe()
        let process = try startStream(standardInput: stdin, standardError: stderr)
        defer { try? stdin.fileHandleForWriting.close() }
        let child = try CrashIsolationCLITests.child(of: process, named: "stream")
        usleep(200_000)  // (the supervisor's signal handling is set up before the child starts; this lets the child reach its input)
        kill(child, SIGINT)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let messages = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 130, "\(messages)")
        #expect(!messages.contains("died from"), "\(messages)")
    }

    /// The supervisor's child ends with it, even while its standard input stays open.
    @Test func theStreamProcessEndsWithItsSupervisor() throws {
        let stdin = Pipe()
        let process = try startStream(standardInput: stdin, standardError: FileHandle.nullDevice)
        defer { try? stdin.fileHandleForWriting.close() }
        try CrashIsolationCLITests.expectTheChildEndsWithItsSupervisor(process, named: "stream")
    }

    /// `bitext stream` of the ingest pipeline reading `standardInput`, started and not waited for.
    private func startStream(standardInput: Pipe, standardError: Any) throws -> Process {
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["stream", "--pipeline", "pipelines/ingest-json.yaml"]
        process.currentDirectoryURL = CLI.root
        process.standardInput = standardInput
        process.standardError = standardError
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }
}
