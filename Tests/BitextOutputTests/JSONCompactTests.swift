import BitextCore
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
}
