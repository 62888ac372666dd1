import Testing

@testable import BitextCore

@Suite struct BlockContentTests {
    private func document(_ text: String, _ blocks: [Block]) -> Document {
        Document(source: SourceFile(path: "t.txt", format: .text), text: text, blocks: blocks)
    }

    @Test func excludedMarkupIsLeftOutAndOffsetsMapBack() {
        // "**Bold** word" with the asterisks excluded.
        var block = Block(kind: .paragraph, range: TextRange(0, 13), position: SourcePosition(line: 1, column: 1))
        block.excluded = [TextRange(0, 2), TextRange(6, 8)]
        let doc = document("**Bold** word", [block])
        let content = doc.content(ofBlock: 0)
        #expect(content.text == "Bold word")
        #expect(content.documentOffset(of: 0) == 2)  // "B"
        #expect(content.documentOffset(of: 4) == 8)  // the space after "Bold"
        #expect(content.documentRange(of: 5..<9) == TextRange(9, 13))  // "word"
        #expect(content.documentRange(of: 0..<4) == TextRange(2, 6))  // "Bold"
    }

    @Test func softLineBreaksReadAsSpacesByteForByte() {
        var block = Block(kind: .paragraph, range: TextRange(0, 11), position: SourcePosition(line: 1, column: 1))
        block.foldsLineBreaks = true
        let doc = document("hello\nworld", [block])
        #expect(doc.text(ofBlock: 0) == "hello world")
        #expect(doc.content(ofBlock: 0).documentRange(of: 6..<11) == TextRange(6, 11))
    }

    @Test func blocksWithoutMarkupAreTheirRange() {
        let doc = document("¿Qué tal?\n\nBien.", [
            Block(kind: .paragraph, range: TextRange(0, 11), position: SourcePosition(line: 1, column: 1)),
            Block(kind: .paragraph, range: TextRange(13, 18), position: SourcePosition(line: 3, column: 1)),
        ])
        #expect(doc.blockTexts == ["¿Qué tal?", "Bien."])
    }
}

@Suite struct WorkUnitTests {
    private func document(languages: [LanguageCode], blocks: Int) -> Document {
        var d = Document(source: SourceFile(path: "x", format: .text), text: String(repeating: "a\n", count: blocks))
        d.blocks = (0..<blocks).map { Block(kind: .paragraph, range: TextRange($0 * 2, $0 * 2 + 1), position: SourcePosition(line: $0 + 1, column: 1)) }
        d.languages = languages
        return d
    }

    @Test func unpairedDocumentsAreReportedUnderTheirLanguageEachOnce() {
        var unit = WorkUnit(id: "u", inputs: [])
        unit.documents = [document(languages: ["en"], blocks: 2), document(languages: ["en"], blocks: 1), document(languages: [], blocks: 1)]
        let views = unit.views
        #expect(Set(views.keys) == ["en", "en-2", "und"])
        #expect(views.values.map(\.blocks.count).reduce(0, +) == 4)
    }

    @Test func pairedSidesWinOverDocumentLanguages() {
        var unit = WorkUnit(id: "u", inputs: [])
        unit.documents = [document(languages: ["en", "es"], blocks: 4)]
        unit.sides = [.english: Side(document: 0, blocks: [0, 1]), .spanish: Side(document: 0, blocks: [2, 3])]
        #expect(unit.isPaired)
        #expect(unit.views[.spanish]?.blocks == [2, 3])
    }
}
