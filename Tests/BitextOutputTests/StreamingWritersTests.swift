import BitextCore
import BitextIngest
import Foundation
import Testing

@testable import BitextOutput

/// The writers that stream (XML, TMX, XLIFF, JSON Lines, bulk, review) hand on, piece by piece,
/// exactly the bytes they render whole, and a long unit leaves in pieces of about a flush each
/// instead of one buffer its size.
@Suite struct StreamingWritersTests {
    enum Format: String, CaseIterable, Sendable {
        case xml, tmx, xliff, jsonl, bulk, review

        var writer: any StreamingOutputWriter {
            get throws {
                switch self {
                case .xml: try XMLDocumentWriter(options: NoOptions())
                case .tmx: try TMXWriter(options: .init())
                case .xliff: try XLIFFWriter(options: .init())
                case .jsonl: try JSONLinesWriter(options: .init())
                case .bulk: try BulkWriter(options: .init())
                case .review: try ReviewWriter(options: .init())
                }
            }
        }

        /// The writer's whole-file rendering, made without a sink.
        func render(_ unit: WorkUnit) throws -> [UInt8] {
            switch self {
            case .xml: try XMLDocumentWriter(options: NoOptions()).render(unit)
            case .tmx: try TMXWriter(options: .init()).render(unit)
            case .xliff: try XLIFFWriter(options: .init()).render(unit)
            case .jsonl: try JSONLinesWriter(options: .init()).render(unit)
            case .bulk: try BulkWriter(options: .init()).render(unit)
            case .review: try ReviewWriter(options: .init()).render(unit)
            }
        }
    }

    /// Keeps every piece handed on, and the file names opened.
    struct PieceSink: OutputSink {
        var names: [String] = []
        var pieces: [[UInt8]] = []
        mutating func open(relativePath: String) throws { names.append(relativePath) }
        mutating func append(_ bytes: UnsafeRawBufferPointer) throws { pieces.append(Array(bytes)) }
    }

    @Test(arguments: Format.allCases)
    func streamingHandsOnTheRenderedBytes(format: Format) throws {
        let writer = try format.writer
        for unit in try testUnits() + completePipelineUnits() {
            var sink = PieceSink()
            try writer.stream(unit, baseName: "dir/" + unit.id, to: &sink)
            #expect(sink.names == ["dir/\(unit.id).\(type(of: writer).fileExtension)"])
            #expect(Array(sink.pieces.joined()) == (try format.render(unit)), "\(unit.id)")
            // `write` is the streamed output gathered.
            let files = try writer.write(unit, baseName: unit.id)
            #expect(files.map(\.relativePath) == ["\(unit.id).\(type(of: writer).fileExtension)"])
            #expect(files.first?.contents == (try format.render(unit)), "\(unit.id)")
        }
    }

    /// A long unit (the statement repeated to some 3 MB, paragraphs only): its file leaves in
    /// several pieces, none much over a flush, that together are the rendered bytes.
    @Test(arguments: Format.allCases.filter { $0 != .tmx })  // an unaligned unit has no TMX pairs
    func aLongUnitLeavesInBoundedPieces(format: Format) throws {
        let unit = try Self.longUnit
        let writer = try format.writer
        var sink = PieceSink()
        try writer.stream(unit, baseName: unit.id, to: &sink)
        #expect(sink.pieces.count >= 2)
        for piece in sink.pieces { #expect(piece.count < StreamedOutput.flushSize + (1 << 16)) }
        for piece in sink.pieces.dropLast() { #expect(piece.count >= StreamedOutput.flushSize) }
        #expect(Array(sink.pieces.joined()) == (try format.render(unit)))
    }

    static var longUnit: WorkUnit {
        get throws {
            let sample = try String(contentsOfFile: repositoryRoot.appendingPathComponent("samples/bap-mss-statement.en-es.txt").path, encoding: .utf8)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("long-\(UUID().uuidString).txt").path
            try String(repeating: sample + "\n\n", count: 3 * StreamedOutput.flushSize / sample.utf8.count).write(toFile: path, atomically: false, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }
            var unit = WorkUnit(id: "long", inputs: [InputFile(path: path, relativePath: "long.txt")])
            let context = StageContext(explain: false)
            try Ingest(options: Ingest.Options()).process(&unit, context: context)
            try SegmentParagraphs(options: NoOptions()).process(&unit, context: context)
            return unit
        }
    }
}
