import BitextCore
import Foundation
import Testing

@testable import BitextPipeline

#if canImport(Glibc)
    import Glibc
#endif

/// The pieces of crash isolation that need no crash: the journal a supervised batch writes,
/// the supervisor's reading of it, its decisions, and a batch following a restart plan.
/// (Crashes themselves are in `CrashIsolationCLITests`, on the real binary.)
@Suite struct CrashIsolationTests {
    /// A pipe whose write end a journal writes into; `drain` reads everything written so far.
    private struct JournalPipe {
        let read: Int32
        let write: Int32
        init() throws {
            var ends: [Int32] = [0, 0]
            try #require(pipe(&ends) == 0)
            (read, write) = (ends[0], ends[1])
            _ = fcntl(read, F_SETFL, O_NONBLOCK)
        }
        func drain() -> [UInt8] {
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(read, $0.baseAddress, $0.count) }
                guard count > 0 else { return bytes }
                bytes += buffer[..<count]
            }
        }
        func close() {
            Glibc.close(read)
            Glibc.close(write)
        }
    }

    @Test(arguments: ["doc", "a b/c.txt", "line\nbreak", "back\\slash\\n", "é 漢字 🙂", "T stage", "S x"])
    func journalLinesCarryAnyIdWhole(id: String) throws {
        let pipe = try JournalPipe()
        defer { pipe.close() }
        let journal = UnitJournal(descriptor: pipe.write)
        journal.started(["first", id, "last"])
        journal.entering(stage: "align.sentences", of: id)
        journal.finished(["first"])
        var inFlight = UnitsInFlight()
        // Fed a byte at a time: a line cut between two reads waits for its end.
        for byte in pipe.drain() { inFlight.read([byte]) }
        #expect(inFlight.ids == [id, "last"])
        #expect(inFlight.stage(of: id) == "align.sentences")
        #expect(inFlight.stage(of: "last") == nil)
        journal.finished([id])
        inFlight.read(pipe.drain())
        #expect(inFlight.ids == ["last"])
        #expect(inFlight.stage(of: id) == nil, "a finished unit's stage is forgotten")
    }

    private func inFlight(_ ids: [String], stage: (String, String)? = nil) -> UnitsInFlight {
        var journal = ids.map { "S \($0)\n" }.joined()
        if let stage { journal += "T \(stage.1) \(stage.0)\n" }
        var inFlight = UnitsInFlight()
        inFlight.read(Array(journal.utf8))
        return inFlight
    }

    @Test func aUnitAloneInFlightIsTheOneThatCrashed() {
        var triage = CrashTriage()
        let decision = triage.attemptDied(signal: SIGILL, inFlight: inFlight(["a"], stage: ("a", "align.sentences")))
        guard case .restart(let note) = decision else { Issue.record("\(decision)"); return }
        #expect(note.contains("on a in align.sentences"))
        #expect(triage.plan == RestartPlan(attempt: 2, suspects: [], crashes: ["a": UnitCrash(signal: SIGILL, stage: "align.sentences")]))
        #expect(triage.plan.crashes["a"]?.message.contains("SIGILL (a runtime trap") == true)
    }

    @Test func unitsInFlightTogetherRunOneByOneAndTheCulpritIsFoundNext() {
        var triage = CrashTriage()
        #expect(triage.attemptDied(signal: SIGSEGV, inFlight: inFlight(["a", "b", "c"])) != .stop(note: ""))
        #expect(triage.plan.suspects == ["a", "b", "c"])
        #expect(triage.plan.crashes.isEmpty)
        // The next attempt runs them alone: b crashes alone.
        _ = triage.attemptDied(signal: SIGSEGV, inFlight: inFlight(["b"], stage: ("b", "extract.entities")))
        #expect(triage.plan.crashes.keys.sorted() == ["b"])
        #expect(triage.plan.suspects == ["a", "c"], "the other suspects still run alone first")
        #expect(triage.plan.attempt == 3)
    }

    @Test func aGroupThatCrashesTwiceTogetherFailsWhole() {
        var triage = CrashTriage()
        _ = triage.attemptDied(signal: SIGKILL, inFlight: inFlight(["a", "b"]))
        _ = triage.attemptDied(signal: SIGKILL, inFlight: inFlight(["b", "a"]))
        #expect(triage.plan.crashes == ["a": UnitCrash(signal: SIGKILL, inFlight: 2), "b": UnitCrash(signal: SIGKILL, inFlight: 2)])
        #expect(triage.plan.suspects.isEmpty)
        #expect(triage.plan.crashes["a"]?.message.contains("out of memory") == true)
        #expect(triage.plan.crashes["a"]?.message.contains("bug") == false, "an out-of-memory kill is not called a bug")
    }

    /// A timeout fails the overdue unit, or narrows down the overdue group; the units merely
    /// interrupted with them are neither suspected nor failed.
    @Test func aTimeoutSuspectsOnlyTheOverdueUnits() {
        var journal = UnitsInFlight()
        journal.read(Array("S slow1\nS slow2\n".utf8), at: 0)
        journal.read(Array("S quick\n".utf8), at: 9)
        #expect(journal.overdue(limit: 5, at: 10) == ["slow1", "slow2"])
        var triage = CrashTriage()
        _ = triage.attemptTimedOut(overdue: journal.overdue(limit: 5, at: 10), limit: 5, inFlight: journal)
        #expect(triage.plan.suspects == ["slow1", "slow2"])
        var alone = UnitsInFlight()
        alone.read(Array("S slow2\nT align.paragraphs slow2\n".utf8), at: 20)
        _ = triage.attemptTimedOut(overdue: ["slow2"], limit: 5, inFlight: alone)
        #expect(triage.plan.crashes == ["slow2": UnitCrash(signal: SIGKILL, stage: "align.paragraphs", timeout: 5)])
        #expect(triage.plan.crashes["slow2"]?.message.hasPrefix("still in progress after the time limit of 5 s (--unit-timeout)") == true)
    }

    @Test func aCrashOutsideAnyUnitStopsTheBatch() {
        var triage = CrashTriage()
        guard case .stop(let note) = triage.attemptDied(signal: SIGABRT, inFlight: inFlight([])) else {
            Issue.record("restarted")
            return
        }
        #expect(note.contains("outside any document"))
    }

    @Test func restartsAreBounded() {
        var triage = CrashTriage()
        var restarts = 0
        while case .restart = triage.attemptDied(signal: SIGILL, inFlight: inFlight(["unit\(restarts)"])) { restarts += 1 }
        #expect(restarts == CrashTriage.maximumRestarts)
        #expect(triage.plan.crashes.count == CrashTriage.maximumRestarts)
    }

    /// Where no batch process can be started (no /proc, say), the supervisor says so and hands
    /// the batch back to run in this process.
    @Test func aSupervisorThatCannotStartAProcessHandsTheBatchBack() {
        var lines: [String] = []
        let status = BatchSupervisor(executable: "/nonexistent/bitext", arguments: ["bitext", "run"]).run { lines.append($0) }
        #expect(status == nil)
        #expect(lines.count == 1 && lines[0].contains("running without crash isolation"), "\(lines)")
    }

    @Test func supervisionComesFromTheEnvironment() throws {
        #expect(try Supervision.fromEnvironment([:]) == nil)
        #expect(throws: SupervisionError.self) { try Supervision.fromEnvironment([Supervision.environmentKey: "journal=999"]) }
        let pipe = try JournalPipe()
        defer { pipe.close() }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = RestartPlan(attempt: 3, suspects: ["x"], crashes: ["y": UnitCrash(signal: SIGBUS, stage: "ingest")])
        let planFile = dir.appendingPathComponent("plan.json")
        try JSONEncoder().encode(plan).write(to: planFile)
        let supervision = try #require(try Supervision.fromEnvironment([Supervision.environmentKey: "journal=\(pipe.write);plan=\(planFile.path)"]))
        #expect(supervision.plan == plan)
        supervision.journal.started(["z"])
        #expect(pipe.drain() == Array("S z\n".utf8))
    }

    /// A batch following a restart plan: the crashed unit fails at once with the crash's
    /// message, each suspect runs alone before the others with its stages journaled, the rest
    /// runs as usual (in groups, whose stages are not journaled), and every unit is in the
    /// manifest.
    @Test func aRestartedBatchFailsTheCrashedUnitAndRunsTheSuspectsAloneFirst() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        // b, c, d are planned for; the other twelve run in groups of three (12 units, one job).
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o"]
        for name in names { try Data("Text of \(name).\n".utf8).write(to: input.appendingPathComponent(name + ".txt")) }
        let pipe = try JournalPipe()
        defer { pipe.close() }
        let plan = RestartPlan(attempt: 2, suspects: ["d", "b"], crashes: ["c": UnitCrash(signal: SIGILL, stage: "segment.paragraphs")])
        let pipeline = "stages:\n  - use: ingest\n  - use: segment.paragraphs\noutputs:\n  - write: json\n"
        let runner = BatchRunner(plan: try PipelineLoader().load(yaml: pipeline), pipelineText: pipeline)
        let out = dir.appendingPathComponent("out").path
        let report = await runner.run(
            InputDiscovery.discover([input.path]).files,
            options: BatchOptions(outputDirectory: out, jobs: 1, supervision: Supervision(journal: UnitJournal(descriptor: pipe.write), plan: plan)))
        #expect(report.outcomes.map(\.status) == names.map { $0 == "c" ? .failed : .ok })
        let failure = try #require(report.outcomes[2].failure)
        #expect(failure.stage == "segment.paragraphs")
        #expect(failure.file.hasSuffix("in/c.txt"))
        #expect(failure.message.contains("SIGILL"))
        #expect(report.outcomes[2].inputs.first?.sha256.count == 64, "the crashed input's digest is in the manifest")
        #expect(report.exitStatus == 1)
        let lines = String(decoding: pipe.drain(), as: UTF8.self).split(separator: "\n").map(String.init)
        // The suspects, alone and in batch order, each stage named; then the others.
        let expectedStart = ["S b", "T read b", "T ingest b", "T segment.paragraphs b", "T write b", "F b", "S d", "T read d", "T ingest d", "T segment.paragraphs d", "T write d", "F d"]
        #expect(Array(lines.prefix(expectedStart.count)) == expectedStart)
        let rest = lines.dropFirst(expectedStart.count)
        #expect(Set(rest.filter { $0.hasPrefix("S ") }) == Set(names.filter { !["b", "c", "d"].contains($0) }.map { "S " + $0 }))
        #expect(!rest.contains { $0.hasPrefix("T ") }, "units in groups journal no stages")
        let manifest = try #require(Manifest.load(from: out))
        #expect(manifest.units.map(\.status) == names.map { $0 == "c" ? "failed" : "ok" })
    }

    /// A unit an earlier resumed run skipped is still current for the next resumed run (a batch
    /// restarted after a crash resumes, and is often resumed again).
    @Test func skippedUnitsStayCurrentAcrossResumes() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("Only file.\n".utf8).write(to: dir.appendingPathComponent("a.txt"))
        let pipeline = "stages:\n  - use: ingest\n  - use: segment.paragraphs\noutputs:\n  - write: json\n"
        let runner = BatchRunner(plan: try PipelineLoader().load(yaml: pipeline), pipelineText: pipeline)
        let inputs = InputDiscovery.discover([dir.appendingPathComponent("a.txt").path]).files
        let out = dir.appendingPathComponent("out").path
        var statuses: [UnitOutcome.Status] = []
        for resume in [false, true, true] {
            statuses += await runner.run(inputs, options: BatchOptions(outputDirectory: out, resume: resume)).outcomes.map(\.status)
        }
        #expect(statuses == [.ok, .skipped, .skipped])
    }
}
