import BitextCore
import Foundation
import Testing

@testable import BitextPipeline

#if canImport(Glibc)
    import Glibc
#endif

/// The pieces of a supervised stream that need no child process: how records and answers cross
/// the pipes, what the child journals, and how crashes are worded for a stream. (Crashes
/// themselves are in `StreamCrashIsolationCLITests`, on the real binary.)
@Suite struct StreamSupervisorTests {
    @Test(arguments: [#"{"id": "a", "text": "x y"}"#, "", "  spaced  ", "é 漢字 🙂", "not json\r"])
    func recordsReachTheChildWithTheirLineNumbers(line: String) {
        var framed = StreamSupervisor.frame(Array(line.utf8)[...], number: 42)
        #expect(framed.removeLast() == 0x0A)
        let record = StreamSupervisor.unframe(String(decoding: framed, as: UTF8.self))
        #expect(record?.text == line)
        #expect(record?.number == 42)
        #expect(StreamSupervisor.unframe(nil) == nil)
    }

    @Test func answersSayWhetherTheRecordFailed() {
        let line = Array("{\"id\":1}\n".utf8)
        #expect(StreamSupervisor.mark(.init(line: line, failed: false)) == StreamSupervisor.succeededMark)
        #expect(StreamSupervisor.mark(.init(line: line, failed: true)) == StreamSupervisor.failedMark)
        #expect(StreamSupervisor.succeededMark != StreamSupervisor.failedMark)
    }

    /// A journaled stream names its records by line number, the stages of a record processed
    /// alone included, and leaves them named by their ids in the output.
    @Test func aJournaledStreamNamesRecordsByLineNumber() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { for end in ends { close(end) } }
        let processor = try StreamProcessor(plan: PipelineLoader().load(yaml: DefaultPipeline.yaml, file: "default"))
        let line = #"{"id": "doc", "en_text": "The Council met.", "es_text": "El Consejo se reunió."}"#
        let journaled = processor.process(lines: [(line, 7)], journal: UnitJournal(descriptor: ends[1]))
        #expect(journaled == processor.process(lines: [(line, 7)]))
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let count = buffer.withUnsafeMutableBytes { read(ends[0], $0.baseAddress, $0.count) }
        let journal = String(decoding: buffer[..<max(0, count)], as: UTF8.self).split(separator: "\n")
        #expect(journal.first == "S 7" && journal.last == "F 7", "\(journal)")
        #expect(journal.contains("T ingest 7") && journal.contains("T write 7"), "\(journal)")
    }

    @Test func crashesAreWordedForAStream() {
        var triage = CrashTriage(wording: .stream)
        var inFlight = UnitsInFlight()
        inFlight.read(Array("S 12\nT ingest 12\n".utf8))
        guard case .restart(let note) = triage.attemptDied(signal: SIGSEGV, inFlight: inFlight) else {
            Issue.record("stopped")
            return
        }
        #expect(note == "the stream process died from SIGSEGV (invalid memory access) on the record on line 12 in ingest; it is failed, and the stream goes on in a new process")
        let message = triage.plan.crashes["12"]?.message(.stream) ?? ""
        #expect(message.hasPrefix("the process running this record died from SIGSEGV"), "\(message)")
        #expect(message.contains("the stream went on in a new process"), "\(message)")
        guard case .stop(let stop) = triage.attemptDied(signal: SIGSEGV, inFlight: UnitsInFlight()) else {
            Issue.record("restarted")
            return
        }
        #expect(stop.hasSuffix("outside any record; the stream stops here"), "\(stop)")
    }

    /// Where no stream process can be started, the supervisor says so and hands the stream back
    /// before reading any of it.
    @Test func aSupervisorThatCannotStartAProcessHandsTheStreamBack() {
        var lines: [String] = []
        let outcome = StreamSupervisor(executable: "/nonexistent/bitext", arguments: ["bitext", "stream"], jobs: 1, window: 4).run(write: { _ in true }) {
            lines.append($0)
        }
        #expect(outcome == nil)
        #expect(lines.count == 1 && lines[0].contains("running without crash isolation"), "\(lines)")
    }
}
