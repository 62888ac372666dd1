import Foundation
import Testing
@testable import BitextPipeline

@Suite("Manifest")
struct ManifestTests {
    static func unit(_ id: String, error: String? = nil, outputs: Int = 1) -> Manifest.UnitEntry {
        Manifest.UnitEntry(
            id: id, status: error == nil ? "ok" : "failed",
            inputs: [Manifest.FileEntry(path: "in/\(id).txt", sha256: String(repeating: "ab", count: 32), bytes: 1234)],
            outputs: (0..<outputs).map { Manifest.FileEntry(path: "\(id).\($0).json", sha256: String(repeating: "0f", count: 32), bytes: $0 * 7) },
            error: error, warnings: id.count % 3)
    }

    static let batches: [(units: [Manifest.UnitEntry], batchOutputs: [Manifest.FileEntry]?)] = [
        ([], nil),
        ([unit("only")], nil),
        ([unit("b"), unit("a", outputs: 0), unit("c", outputs: 3)], nil),
        ([unit("z/y"), unit("éñ ü"), unit("q", error: "in/q.txt:3:7: bad \"byte\" \\ / \u{1}\ttab\nline")],
         [Manifest.FileEntry(path: "review.html", sha256: "", bytes: 0)]),
        ((0..<50).map { unit("doc-\(($0 * 37) % 50)") }, []),
        // Every kind of character JSONEncoder escapes or leaves alone.
        ([unit("a/b\"c\\d\n\r\t\u{8}\u{C}\u{1}\u{1F}\u{7F} ñ😀\u{2028}", error: "\u{0}\u{B}\u{1B} é / \\", outputs: 2), unit("", outputs: 0)], nil),
    ]

    /// The runner's manifest, built one entry at a time, is byte for byte what the plain
    /// encoder writes for the same batch (sorted units, same layout).
    @Test(arguments: batches.indices)
    func incrementalEncodingEqualsWholeEncoding(batch: Int) throws {
        let (units, batchOutputs) = Self.batches[batch]
        var incremental = IncrementalManifest(pipeline: "p", pipelineFingerprint: "f")
        for unit in units { incremental.append(unit) }
        incremental.batchOutputs = batchOutputs
        var whole = Manifest(pipeline: "p", pipelineFingerprint: "f", units: units)
        whole.batchOutputs = batchOutputs
        let expected = try whole.encoded()
        #expect(try incremental.encoded() == expected)
        // A checkpoint in the middle leaves the later result unchanged.
        #expect(try incremental.encoded() == expected)
        // Written to a file in pieces, the same bytes.
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("manifest.json").path
        try incremental.write(to: path)
        #expect(FileManager.default.contents(atPath: path).map(Array.init) == expected)
    }

    /// A manifest larger than `write(to:)`'s chunk, with an entry larger than one, is
    /// written whole and in order.
    @Test func manifestLargerThanAChunkIsWrittenWhole() throws {
        var incremental = IncrementalManifest(pipeline: "p", pipelineFingerprint: "f")
        for index in 0..<600 { incremental.append(Self.unit("unit-\(index)", outputs: index % 4)) }
        incremental.append(Self.unit(String(repeating: "long", count: IncrementalManifest.writeChunk / 2)))
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("manifest.json").path
        try incremental.write(to: path)
        let written = try #require(FileManager.default.contents(atPath: path))
        #expect(written.count > 3 * IncrementalManifest.writeChunk)
        #expect(Array(written) == (try incremental.encoded()))
    }

    @Test func encodedManifestDecodesToTheSameUnits() throws {
        var incremental = IncrementalManifest(pipeline: "p", pipelineFingerprint: "f")
        for id in ["c", "a", "b"] { incremental.append(Self.unit(id, error: id == "b" ? "oops" : nil)) }
        let decoded = try JSONDecoder().decode(Manifest.self, from: Data(try incremental.encoded()))
        #expect(decoded.units.map(\.id) == ["a", "b", "c"])
        #expect(decoded.units[1].error == "oops")
    }

    /// The runner's checkpoint schedule (`BatchRunner.manifestCheckpointIsDue`), simulated over
    /// batches of units finishing at a steady rate: the first unit is listed within a second,
    /// a killed run would redo at most half of its units or about ten seconds' worth, and the
    /// entries written over the batch stay within three times the final manifest's or an
    /// eighth of what a checkpoint every second wrote (units × seconds).
    @Test(arguments: [2.0, 50, 200, 1000])
    func manifestCheckpointsBoundBothTheWorkLostAndTheBytesWritten(unitsPerSecond: Double) {
        let units = 20_000
        var listed = 0
        var lastWrite = -Double.infinity
        var entriesWritten = 0
        var firstListedAt: Double?
        for recorded in 1...units {
            let now = Double(recorded) / unitsPerSecond
            let unlisted = recorded - listed
            #expect(Double(unlisted) <= max(Double(listed), 11 * unitsPerSecond) + unitsPerSecond + 1)
            if BatchRunner.manifestCheckpointIsDue(listed: listed, recorded: recorded, sinceLastWrite: now - lastWrite) {
                listed = recorded
                lastWrite = now
                entriesWritten += recorded
                if firstListedAt == nil { firstListedAt = now }
            }
        }
        #expect(firstListedAt == 1 / unitsPerSecond)
        let everySecond = stride(from: 1.0, through: Double(units) / unitsPerSecond, by: 1).reduce(0) { $0 + Int($1 * unitsPerSecond) }
        #expect(entriesWritten <= max(3 * units, everySecond / 8))
        #expect(!BatchRunner.manifestCheckpointIsDue(listed: 5, recorded: 5, sinceLastWrite: 100))
    }
}
