import BitextCore
import Foundation
import Testing

@testable import BitextPipeline

@Suite struct BatchRunnerTests {
    static let pipeline = "stages:\n  - use: ingest\n  - use: segment.paragraphs\noutputs:\n  - write: json\n  - write: xml\n"

    private func runner() throws -> BatchRunner {
        BatchRunner(plan: try PipelineLoader().load(yaml: Self.pipeline), pipelineText: Self.pipeline)
    }

    @Test func badFileIsReportedAndTheRestOfTheBatchGoesOn() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("Hello there.\n".utf8).write(to: dir.appendingPathComponent("good.txt"))
        try Data([0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x34]).write(to: dir.appendingPathComponent("bad.txt"))
        let inputs = InputDiscovery.discover([dir.path]).files
        let out = dir.appendingPathComponent("out").path
        let report = try await runner().run(inputs, options: BatchOptions(outputDirectory: out, jobs: 2))
        #expect(report.outcomes.map(\.status) == [.failed, .ok])
        #expect(report.exitStatus == 1)
        let failure = try #require(report.failed.first?.failure)
        #expect(failure.file.hasSuffix("bad.txt"))
        #expect(failure.stage == "ingest")
        #expect(failure.byteOffset == 0)
        #expect(FileManager.default.fileExists(atPath: out + "/good.json"))
        #expect(!FileManager.default.fileExists(atPath: out + "/bad.json"))
    }

    @Test func outputIsByteIdenticalWhateverTheJobs() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var digests: [[String]] = []
        for jobs in [1, 4] {
            let out = dir.appendingPathComponent("out\(jobs)").path
            let inputs = InputDiscovery.discover([repositoryRoot.appendingPathComponent("samples").path]).files
            let report = try await runner().run(inputs, options: BatchOptions(outputDirectory: out, jobs: jobs))
            #expect(report.exitStatus == 0)
            digests.append(report.outcomes.flatMap { $0.outputs.map(\.sha256) })
        }
        #expect(digests[0] == digests[1])
        #expect(!digests[0].isEmpty)
    }

    /// Batches run their units in groups, stage by stage (`BatchRunner.process` over a group),
    /// with align.paragraphs handing its reading to align.sentences inside each unit: every
    /// unit's output is what the unit gets alone, and a unit that fails fails alone.
    @Test(arguments: [1, 2])
    func unitsRunInGroupsWriteWhatEachUnitGetsAloneAndFailAlone(jobs: Int) async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        let paragraphs = [
            ("The Council met on 12 March 2024 in New York.", "El Consejo se reunió el 12 de marzo de 2024 en Nueva York."),
            ("Install the package with apt-get before the upgrade.", "Instale el paquete con apt-get antes de la actualización."),
            ("Mexico and Canada signed the agreement on trade.", "México y Canadá firmaron el acuerdo sobre comercio."),
            ("The report lists 35 resolutions adopted in 2023.", "El informe enumera 35 resoluciones aprobadas en 2023."),
            ("Press Enter to confirm. The file is saved at once.", "Pulse Intro para confirmar. El archivo se guarda enseguida."),
            ("Ms. García presented the budget of the Organization.", "La Sra. García presentó el presupuesto de la Organización."),
        ]
        let pairs = 70
        for i in 0..<pairs {
            // Each pair a different selection of paragraphs, so that units differ.
            let chosen = (0..<(2 + i % 4)).map { paragraphs[(i + $0 * 5) % paragraphs.count] }
            try Data(chosen.map(\.0).joined(separator: "\n\n").utf8).write(to: input.appendingPathComponent("p\(i).en.txt"))
            try Data(chosen.map(\.1).joined(separator: "\n\n").utf8).write(to: input.appendingPathComponent("p\(i).es.txt"))
        }
        // A pair whose Spanish side is not text: it fails in ingest, inside a group.
        try Data("Hello there.\n".utf8).write(to: input.appendingPathComponent("p900.en.txt"))
        try Data([0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x34]).write(to: input.appendingPathComponent("p900.es.txt"))
        let stages = ["ingest", "segment.paragraphs", "identify.language", "pair.documents", "segment.sentences", "align.paragraphs",
            "align.sentences", "extract.entities", "link.entities"]
        let pipeline = "stages:\n" + stages.map { "  - use: \($0)\n" }.joined() + "outputs:\n  - write: json\n"
        let runner = BatchRunner(plan: try PipelineLoader().load(yaml: pipeline), pipelineText: pipeline)
        let inputs = InputDiscovery.discover([input.path]).files
        #expect(BatchRunner.groupSize(units: pairs + 1, jobs: jobs, filesPerUnit: 1) > 1)
        let out = dir.appendingPathComponent("out").path
        let report = await runner.run(inputs, options: BatchOptions(outputDirectory: out, jobs: jobs))
        #expect(report.outcomes.count == pairs + 1)
        #expect(report.failed.map(\.id) == ["p900.en-es"])
        #expect(report.failed.first?.failure?.stage == "ingest")
        var alone = Dictionary(uniqueKeysWithValues: runner.units(for: inputs).units.map { ($0.id, $0) })
        for outcome in report.outcomes where outcome.status == .ok {
            let taken = alone.removeValue(forKey: outcome.id)
            var unit = try #require(taken)
            try runner.process(&unit, context: StageContext())
            let expected = try runner.render(unit)
            let written = try outcome.outputs.map { try Data(contentsOf: URL(fileURLWithPath: out + "/" + $0.path)) }
            #expect(written == expected.map { Data($0.contents) }, "\(outcome.id)")
            #expect(unit.alignment?.isEmpty == false, "\(outcome.id)")
        }
    }

    /// A group's staged outputs stay open until the group is written: the workers' groups
    /// together hold no more of them than one publishing group, whatever the limit.
    @Test(arguments: [16, 32, 64, 256, 1_024, 65_536])
    func groupsKeepTheirStagedFilesWithinOnePublishingGroup(openFileLimit: Int) {
        let publishing = BatchRunner.publishGroupFiles(openFileLimit: openFileLimit)
        for jobs in [1, 2, 8] {
            for filesPerUnit in [1, 3, 7] {
                let size = BatchRunner.groupSize(units: 10_000, jobs: jobs, filesPerUnit: filesPerUnit, publishGroupFiles: publishing)
                #expect(size >= 1 && size <= BatchRunner.unitsPerGroup)
                #expect(size == 1 || jobs * size * filesPerUnit <= publishing, "jobs \(jobs), files \(filesPerUnit)")
            }
        }
        #expect(BatchRunner.groupSize(units: 10_000, jobs: 1, filesPerUnit: 1, publishGroupFiles: 128) == BatchRunner.unitsPerGroup)
        #expect(BatchRunner.groupSize(units: 6, jobs: 2, filesPerUnit: 1, publishGroupFiles: 128) == 1)
    }

    @Test func resumeSkipsCurrentOutputsAndRedoesChangedInputs() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("in/a.txt")
        try FileManager.default.createDirectory(at: a.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("First version.\n".utf8).write(to: a)
        try Data("Other file.\n".utf8).write(to: dir.appendingPathComponent("in/b.txt"))
        let out = dir.appendingPathComponent("out").path
        let inputs = InputDiscovery.discover([dir.appendingPathComponent("in").path]).files
        _ = try await runner().run(inputs, options: BatchOptions(outputDirectory: out))
        try Data("Second version.\n".utf8).write(to: a)
        let again = try await runner().run(inputs, options: BatchOptions(outputDirectory: out, resume: true))
        #expect(again.outcomes.map(\.status) == [.ok, .skipped])
        // A damaged output is not current either.
        try Data("{}".utf8).write(to: URL(fileURLWithPath: out + "/b.json"))
        let third = try await runner().run(inputs, options: BatchOptions(outputDirectory: out, resume: true))
        #expect(third.outcomes.map(\.status) == [.skipped, .ok])
    }

    /// Inputs of every kind: clean text (read straight into the document's string, hashed
    /// alongside the outputs) and text that needs decoding (read as bytes, hashed at once).
    static let inputKinds: [(name: String, bytes: [UInt8])] = {
        // Three and a half MiB of clean text with characters cut by the ends of the 1 MiB
        // points the readers cut their pieces at: ñ after its first byte, — after its first and its second.
        var long = Array(repeating: UInt8(ascii: "x"), count: 3 << 20 | 1 << 19)
        long.replaceSubrange((1 << 20 - 1)..<(1 << 20 + 1), with: [0xC3, 0xB1])
        long.replaceSubrange((2 << 20 - 1)..<(2 << 20 + 2), with: [0xE2, 0x80, 0x94])
        long.replaceSubrange((3 << 20 - 2)..<(3 << 20 + 1), with: [0xE2, 0x80, 0x94])
        for offset in stride(from: 80, to: long.count, by: 81) where long[offset] == UInt8(ascii: "x") { long[offset] = 0x0A }
        var longWithCR = long
        longWithCR[long.count - 10] = 0x0D
        // Large files that need decoding (read piece by piece, then as bytes).
        var longLatin1 = long
        longLatin1[long.count / 2] = 0xF1
        return [
            ("clean", Array("Plain text, años y niños — “quoted”.\n\nA second paragraph.\n".utf8)),
            ("long", long), ("long-cr-at-end", longWithCR),
            ("long-latin1", longLatin1), ("long-cut-at-end", long + [0xE2, 0x80]),
            ("long-bom", [0xEF, 0xBB, 0xBF] + long), ("long-pdf", Array("%PDF-1.4\n".utf8) + long),
            ("crlf", Array("One line.\r\nAnother.\r\n".utf8)), ("bom", [0xEF, 0xBB, 0xBF] + Array("With a BOM.\n".utf8)),
            ("latin1", Array("Espa".utf8) + [0xF1] + Array("a.\n".utf8)), ("nfd", Array("Cafe\u{301}.\n".utf8)),
            ("control", Array("Bell\u{7}.\n".utf8)), ("empty", []), ("short", Array("Hi".utf8)),
            ("gif", Array("GIF89a is how such files start.\n".utf8)),
        ]
    }()

    @Test func manifestDigestsAreTheInputFilesDigests() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, bytes) in Self.inputKinds { try Data(bytes).write(to: folder.appendingPathComponent(name + ".txt")) }
        let inputs = InputDiscovery.discover([folder.path]).files
        let report = try await runner().run(inputs, options: BatchOptions(outputDirectory: dir.appendingPathComponent("out").path, jobs: 2))
        #expect(report.outcomes.count == Self.inputKinds.count)
        for (name, bytes) in Self.inputKinds {
            let outcome = try #require(report.outcomes.first { $0.id == name })
            #expect(outcome.inputs.map(\.sha256) == [SHA256.hex(bytes)], "\(name)")
            #expect(outcome.inputs.map(\.bytes) == [bytes.count], "\(name)")
        }
        #expect(report.outcomes.first { $0.id == "gif" }?.status == .failed)
    }

    @Test func cleanTextIsReadOnlyWhenDecodingWouldKeepTheBytes() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, bytes) in Self.inputKinds {
            let path = dir.appendingPathComponent(name + ".txt").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let text = BatchRunner.cleanText(ofFile: path, limit: 1 << 30)
            if ["clean", "long", "empty", "short"].contains(name) {
                #expect(text.map { Array($0.utf8) } == bytes, "\(name)")
            } else {
                #expect(text == nil, "\(name)")
            }
            if bytes.count > 1 { #expect(BatchRunner.cleanText(ofFile: path, limit: bytes.count - 1) == nil) }
        }
        #expect(BatchRunner.cleanText(ofFile: dir.path, limit: 1 << 30) == nil)
    }

    /// Large files are read piece by piece, small ones straight into their string: both ways
    /// give the same text for the same file, and neither gives text for bytes that need decoding.
    @Test func piecewiseAndWholeReadsOfCleanTextAgree() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, bytes) in Self.inputKinds where !bytes.isEmpty {
            let path = dir.appendingPathComponent(name + ".txt").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            try #require(fd >= 0)
            defer { close(fd) }
            let whole = BatchRunner.readCleanText(fd, size: bytes.count)
            #expect(lseek(fd, 0, SEEK_SET) == 0)
            let piecewise = BatchRunner.piecewiseCleanText(fd, size: bytes.count)
            #expect(whole.map { Array($0.utf8) } == piecewise.map { Array($0.utf8) }, "\(name)")
            // A size that is not the file's (it shrank or grew since fstat) gives no text.
            #expect(lseek(fd, 0, SEEK_SET) == 0)
            #expect(BatchRunner.piecewiseCleanText(fd, size: bytes.count + 1) == nil, "\(name)")
        }
    }

    @Test func contentsAreTheWholeFileWithinTheLimit() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, bytes) in Self.inputKinds {
            let path = dir.appendingPathComponent(name + ".txt").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(BatchRunner.contents(ofFile: path, limit: 1 << 30) == bytes, "\(name)")
            #expect(BatchRunner.contents(ofFile: path, limit: bytes.count) == bytes, "\(name): exactly at the limit")
            if !bytes.isEmpty { #expect(BatchRunner.contents(ofFile: path, limit: bytes.count - 1) == nil, "\(name)") }
        }
        #expect(BatchRunner.contents(ofFile: dir.path, limit: 1 << 30) == nil)
    }

    @Test func shardsPartitionTheBatch() async throws {
        let ids = (0..<50).map { "doc\($0)" }
        let shards = (1...3).map { Shard("\($0)/3")! }
        for id in ids { #expect(shards.filter { $0.contains(id) }.count == 1) }
        #expect(Shard("0/3") == nil)
        #expect(Shard("4/3") == nil)
    }

    @Test func discoveryReportsMissingPathsAndSymlinkLoops() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("a"), withIntermediateDirectories: true)
        try Data("x\n".utf8).write(to: dir.appendingPathComponent("a/one.txt"))
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("a/loop").path, withDestinationPath: dir.appendingPathComponent("a").path)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("a/self").path, withDestinationPath: dir.appendingPathComponent("a/self").path)
        let result = InputDiscovery.discover([dir.path, dir.appendingPathComponent("missing.txt").path])
        #expect(result.files.map(\.relativePath) == ["a/one.txt"])
        #expect(result.problems.contains { $0.message.contains("symlink loop") })
        #expect(result.problems.contains { $0.file.hasSuffix("missing.txt") && $0.message.contains("no such file") })
    }
}
