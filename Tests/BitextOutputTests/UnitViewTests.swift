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

    /// A range's reader text is read straight from the document when its block leaves nothing
    /// out and folds no line break: the text of the block cut to the range, as before, for
    /// ranges inside, across and outside each block's edges, of blocks of every kind.
    @Test func rangeTextIsTheClippedBlocksText() throws {
        var document = Document(
            source: SourceFile(path: "t.txt", format: .text), text: "Año uno\ndos <b>tres</b> cuatro\ncinco.",
            blocks: [
                Block(kind: .paragraph, range: TextRange(0, 12), position: SourcePosition(line: 1, column: 1)),
                Block(kind: .paragraph, range: TextRange(13, 38), position: SourcePosition(line: 2, column: 1)),
            ])
        document.blocks[1].excluded = [TextRange(17, 20), TextRange(24, 28)]
        var folded = document
        folded.blocks[0].foldsLineBreaks = true
        var documents = try [annotatedSampleUnit()].flatMap(\.documents)
        documents.append(contentsOf: [document, folded])
        for document in documents {
            for block in document.blocks {
                let edges = [block.range.start - 3, block.range.start, block.range.start + 1, block.range.end - 1, block.range.end, block.range.end + 2]
                for start in edges where start >= 0 {
                    for end in edges where end >= start && end <= document.text.utf8.count {
                        let range = TextRange(start, end)
                        #expect(UnitView.text(of: range, block: block, in: document) == BlockContent(block: UnitView.clipped(block, to: range), in: document).text)
                    }
                }
            }
        }
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
        // The array form and the general one group alike.
        let general = UnitView.ParagraphGroups(paragraphs: paragraphs.lazy.map { $0 })
        for paragraph in -1...(paragraphs.max() ?? 0) + 1 {
            #expect(Array(general.positions(of: paragraph)) == Array(groups.positions(of: paragraph)))
        }
    }
}
