import BitextCore
import Testing

@testable import BitextOutput

@Suite struct PairRecordsTests {
    /// A record as its JSON Lines line: every field the writers read.
    static func line(_ record: PairRecord) -> [UInt8] {
        var json = JSONWriter(pretty: false)
        PairRecordJSON.write(record, into: &json)
        return json.bytes
    }

    /// XLIFF reads records in outline and fills only those it writes as paragraphs: a filled
    /// record is the one the full pass makes at its place.
    @Test func anOutlineRecordFilledIsTheFullRecord() throws {
        for unit in try testUnits() {
            let view = UnitView(unit)
            let lists = PairRecords.UnitLists(view)
            var full: [[UInt8]] = []
            PairRecords.forEachParagraphRecord(view, lists: lists) { full.append(Self.line($0)) }
            var filled: [[UInt8]] = []
            PairRecords.forEachParagraphRecord(view, lists: lists, outline: true) { record in
                #expect(record.sides.allSatisfy { $0.text.isEmpty && $0.entities.isEmpty })
                filled.append(Self.line(PairRecords.filled(record, view: view, lists: lists)))
            }
            #expect(!full.isEmpty)
            #expect(filled == full, "unit \(unit.id)")
        }
    }
}
