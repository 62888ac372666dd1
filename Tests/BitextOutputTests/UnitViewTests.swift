import BitextCore
import Testing

@testable import BitextOutput

/// `UnitView`'s paragraphs, sentences and entity mentions are made when read: each side lists
/// what `WorkUnit` says it holds, in order, with paragraphs and source offsets resolved, both
/// when a side is its whole document and when two sides share one file.
@Suite struct UnitViewTests {
    static func units() throws -> [WorkUnit] {
        try [annotatedSampleUnit(), sampleUnit("oas-haiti-peacekeeping-letter.en.txt")]
    }

    @Test func sidesListWhatTheUnitHolds() throws {
        for unit in try Self.units() {
            let view = UnitView(unit)
            #expect(Set(view.languages) == Set(unit.views.keys))
            for (language, side) in unit.views {
                let document = unit.documents[side.document]
                let paragraphs = try #require(view.paragraphs[language])
                #expect(paragraphs.map(\.block) == Array(side.blocks))
                #expect(paragraphs.map(\.index) == Array(0..<side.blocks.count))
                for p in paragraphs {
                    #expect(p.language == language && p.document == side.document)
                    #expect(p.sourceStart == document.sourceOffsets.sourceOffset(of: document.blocks[p.block].range.start))
                    #expect(p.sourceEnd == document.sourceOffsets.sourceOffset(of: document.blocks[p.block].range.end))
                }
                let sentences = try #require(view.sentences[language])
                let expected = unit.sentences(of: language)
                #expect(sentences.map(\.range) == expected.map { document.sentences[$0].range })
                #expect(sentences.map(\.index) == Array(0..<expected.count))
                #expect(sentences.map(\.paragraph) == Array(sentences.paragraphOfEach))
                for s in sentences { #expect(side.blocks[s.paragraph] == s.block) }
                let onSide = Set(side.blocks)
                let mentions = try #require(view.entities[language])
                #expect(mentions.map(\.entity) == document.entities.filter { onSide.contains($0.block) })
                #expect(mentions.map(\.paragraph) == Array(mentions.paragraphOfEach))
                for m in mentions { #expect(side.blocks[m.paragraph] == m.entity.block) }
            }
        }
    }

    /// Positions grouped by paragraph keep list order inside each group and leave out none.
    /// (In paragraph order with none left out, groups are ranges of positions; otherwise a
    /// list in paragraph order: both kinds are here.)
    @Test(arguments: [[Int](), [0, 0, 1, 3, 3], [2, 0, 2, 1, 0], [-1, 1, -1, 0], [0, 1, 1, 2], [-1, 0, 1], [0, -1, 1], [3], [0, 2, 1]])
    func paragraphGroupsKeepListOrder(paragraphs: [Int]) {
        let groups = UnitView.ParagraphGroups(paragraphs: paragraphs)
        var seen: [Int] = []
        for paragraph in 0...(paragraphs.max() ?? 0) + 1 {
            let positions = Array(groups.positions(of: paragraph))
            #expect(positions == paragraphs.indices.filter { paragraphs[$0] == paragraph })
            seen += positions
        }
        #expect(seen.sorted() == paragraphs.indices.filter { paragraphs[$0] >= 0 })
    }
}
