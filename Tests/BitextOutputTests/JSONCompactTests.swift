import BitextCore
import BitextIngest
import Foundation
import Testing

@testable import BitextOutput

/// `pretty: false` is a layout choice only: the compact file is the same JSON value as the
/// indented one, and streaming writes the bytes rendering returns.
@Suite struct JSONCompactTests {
    static func units() throws -> [WorkUnit] {
        try [annotatedSampleUnit()] + sampleNames.map(sampleUnit)
    }

    @Test func compactAndPrettyParseToTheSameValue() throws {
        let pretty = try JSONDocumentWriter(options: .init(includeText: true, pretty: true))
        let compact = try JSONDocumentWriter(options: .init(includeText: true, pretty: false))
        for unit in try Self.units() {
            let indented = pretty.render(unit)
            let flat = compact.render(unit)
            #expect(flat.count < indented.count)
            // No layout white space outside strings: every line feed or space is inside a value.
            #expect(!flat.contains(0x0A))
            let a = try JSONSerialization.jsonObject(with: Data(indented)) as? NSDictionary
            let b = try JSONSerialization.jsonObject(with: Data(flat)) as? NSDictionary
            #expect(a != nil && a == b, "\(unit.id)")
        }
    }

    /// Collects what a streaming writer hands on.
    struct CollectingSink: OutputSink {
        var files: [String: [UInt8]] = [:]
        var current = ""
        mutating func open(relativePath: String) throws {
            current = relativePath
            files[relativePath] = []
        }
        mutating func append(_ bytes: UnsafeRawBufferPointer) throws { files[current]!.append(contentsOf: bytes) }
    }

    @Test(arguments: [true, false])
    func streamingWritesTheRenderedBytes(pretty: Bool) throws {
        let writer = try JSONDocumentWriter(options: .init(pretty: pretty))
        for unit in try Self.units() {
            var sink = CollectingSink()
            try writer.stream(unit, baseName: unit.id, to: &sink)
            #expect(sink.files[unit.id + ".json"] == writer.render(unit), "\(unit.id)")
        }
    }
    /// A unit whose file is several flushes long: the pieces handed on before the last are
    /// whole pages from page-aligned memory (what `AtomicFile` writes with `O_DIRECT` in place),
    /// and all of them together are the rendered bytes.
    @Test(arguments: [true, false])
    func streamingALargeUnitHandsOnWholePages(pretty: Bool) throws {
        let sample = try String(contentsOfFile: repositoryRoot.appendingPathComponent("samples/bap-mss-statement.en-es.txt").path, encoding: .utf8)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("large-\(UUID().uuidString).txt").path
        try String(repeating: sample + "\n\n", count: 3 * JSONDocumentWriter.flushSize / sample.utf8.count).write(toFile: path, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var unit = WorkUnit(id: "large", inputs: [InputFile(path: path, relativePath: "large.txt")])
        let context = StageContext(explain: false)
        try Ingest(options: Ingest.Options()).process(&unit, context: context)
        try SegmentParagraphs(options: NoOptions()).process(&unit, context: context)

        struct PieceSink: OutputSink {
            var bytes: [UInt8] = []
            var pieces: [(count: Int, aligned: Bool)] = []
            mutating func open(relativePath: String) throws {}
            mutating func append(_ piece: UnsafeRawBufferPointer) throws {
                bytes.append(contentsOf: piece)
                pieces.append((piece.count, Int(bitPattern: piece.baseAddress) % JSONDocumentWriter.flushBlock == 0))
            }
        }
        let writer = try JSONDocumentWriter(options: .init(pretty: pretty))
        var sink = PieceSink()
        try writer.stream(unit, baseName: unit.id, to: &sink)
        #expect(sink.bytes == writer.render(unit))
        #expect(sink.pieces.count >= 3)
        for piece in sink.pieces.dropLast() {
            #expect(piece.aligned && piece.count % JSONDocumentWriter.flushBlock == 0 && piece.count >= JSONDocumentWriter.flushSize - JSONDocumentWriter.flushBlock)
        }
    }

    /// A unit file's writer starts with the memory an earlier unit's left (output buffer, composed
    /// keys): whichever unit left it, at whatever depth its keys were composed, and with
    /// several units streamed at once, the bytes are those of a fresh writer.
    @Test(arguments: [true, false])
    func reusedWriterMemoryChangesNoByte(pretty: Bool) async throws {
        let writer = try JSONDocumentWriter(options: .init(includeText: true, pretty: pretty))
        let units = try Self.units()
        let expected = units.map { writer.render($0) }
        for order in [Array(units.indices), units.indices.reversed(), Array(units.indices) + units.indices.reversed()] {
            for index in order {
                var sink = CollectingSink()
                try writer.stream(units[index], baseName: "u", to: &sink)
                #expect(sink.files["u.json"] == expected[index], "\(units[index].id)")
            }
        }
        let written = try await withThrowingTaskGroup(of: (Int, [UInt8]?).self) { group in
            for round in 0..<8 {
                for index in units.indices {
                    group.addTask {
                        var sink = CollectingSink()
                        try writer.stream(units[(index + round) % units.count], baseName: "u", to: &sink)
                        return ((index + round) % units.count, sink.files["u.json"])
                    }
                }
            }
            return try await group.reduce(into: [(Int, [UInt8]?)]()) { $0.append($1) }
        }
        #expect(written.count == 8 * units.count)
        for (index, bytes) in written { #expect(bytes == expected[index], "\(units[index].id)") }
    }
    /// A writer hands its memory on only when nothing else holds it: not while a copy shares
    /// its buffer, nor its composed keys (a copy that wrote has a buffer of its own but the same
    /// keys), nor when the buffer grew past the limit.
    @Test func writerMemoryIsHandedOnOnlyWhenUnshared() {
        func written() -> JSONWriter {
            var writer = JSONWriter(pretty: true)
            writer.beginArray()
            writer.object(fields: { $0.value("a", 1) })
            return writer
        }
        let alone = written()
        #expect((consume alone).memory(maxKeptCapacity: 1 << 20) != nil)
        #expect(written().memory(maxKeptCapacity: 16) == nil)
        let shared = written()
        let copy = shared
        #expect((consume shared).memory(maxKeptCapacity: 1 << 20) == nil)
        var wrote = copy
        wrote.object(fields: { $0.value("b", 2) })
        #expect((consume copy).memory(maxKeptCapacity: 1 << 20) == nil)
        _ = wrote
    }
}
