import Foundation
import Testing

@testable import BitextCore

/// `Block` and `Sentence` store their fields narrowed or boxed; these pin their sizes and
/// check that every value, compact or not, reads back as it was set.
@Suite struct BlockLayoutTests {
    private static let plain = Block(kind: .paragraph, range: TextRange(3, 9), position: SourcePosition(line: 2, column: 1))

    private static var everyFieldSet: Block {
        var block = Block(
            kind: .listItem, range: TextRange(10, 40), position: SourcePosition(line: 7, column: 3), level: 2, marker: "1.",
            attributes: ["row": "2"])
        block.language = .spanish
        block.languageConfidence = 0.9731
        block.flags = ["untranslated"]
        block.excluded = [TextRange(12, 14), TextRange(20, 22)]
        block.foldsLineBreaks = true
        return block
    }

    @Test func strides() {
        // A block per paragraph and a sentence or two per block: a new stored field must not
        // slip in unnoticed (Block was 120 bytes, Sentence 24).
        #expect(MemoryLayout<Block>.stride == 40)
        #expect(MemoryLayout<Sentence>.stride == 16)
    }

    @Test func writesToACopyLeaveTheOriginalAndAnUnsharedBoxIsReused() throws {
        let original = Self.everyFieldSet
        var copy = original
        copy.flags.append("omitted")
        copy.marker = "2."
        copy.level = 300  // a wide value: the second box is copied too
        #expect(original.flags == ["untranslated"] && original.marker == "1." && original.level == 2)
        #expect(copy.flags == ["untranslated", "omitted"] && copy.marker == "2." && copy.level == 300)
        // The copy's box is its own now: further writes go into it, not into a new one.
        // (Identities, not references: a reference held here would share the box.)
        let box = ObjectIdentifier(try #require(copy.rare))
        let wide = ObjectIdentifier(try #require(copy.rare?.wide))
        copy.excluded = []
        copy.level = 301
        #expect(copy.rare.map(ObjectIdentifier.init) == box && copy.rare?.wide.map(ObjectIdentifier.init) == wide)
        #expect(copy.excluded.isEmpty && copy.level == 301 && original.excluded.count == 2)
    }

    @Test func aNewBlockHasNoBoxAndDefaults() {
        let block = Self.plain
        #expect(block.rare == nil)
        #expect(block.range == TextRange(3, 9))
        #expect(block.position == SourcePosition(line: 2, column: 1))
        #expect(block.marker == nil && block.language == nil && block.level == nil && block.languageConfidence == nil)
        #expect(block.flags.isEmpty && block.excluded.isEmpty && block.attributes.isEmpty && !block.foldsLineBreaks)
        var cleared = block
        cleared.marker = nil
        cleared.flags = []
        cleared.excluded = []
        #expect(cleared.rare == nil)  // setting the defaults makes no box
    }

    @Test func everyFieldReadsBack() {
        let block = Self.everyFieldSet
        #expect(block.kind == .listItem)
        #expect(block.range == TextRange(10, 40))
        #expect(block.position == SourcePosition(line: 7, column: 3))
        #expect(block.level == 2)
        #expect(block.marker == "1.")
        #expect(block.attributes == ["row": "2"])
        #expect(block.language == .spanish)
        #expect(block.languageConfidence == 0.9731)
        #expect(block.flags == ["untranslated"])
        #expect(block.excluded == [TextRange(12, 14), TextRange(20, 22)])
        #expect(block.foldsLineBreaks)
    }

    @Test(arguments: [
        TextRange(0, 0), TextRange(5, Int(UInt32.max)), TextRange(5, Int(UInt32.max) + 1),
        TextRange(Int(UInt32.max) + 7, Int(UInt32.max) + 9), TextRange(1 << 40, 1 << 41),
    ])
    func rangesPast4GiBGoToTheBox(range: TextRange) {
        var block = Self.plain
        block.range = range
        #expect(block.range == range)
        #expect((block.rare != nil) == (range.end > Int(UInt32.max)))
        block.range.end += 1
        #expect(block.range == TextRange(range.start, range.end + 1))
        block.range = TextRange(1, 2)  // back to the compact fields
        #expect(block.range == TextRange(1, 2))
    }

    @Test(arguments: [SourcePosition(line: 1, column: 1), SourcePosition(line: Int(UInt32.max) + 1, column: 4), SourcePosition(line: 3, column: -1)])
    func positionsOutOfRangeGoToTheBox(position: SourcePosition) {
        var block = Self.plain
        block.position = position
        #expect(block.position == position)
        #expect(block.range == TextRange(3, 9))
    }

    @Test(arguments: [nil, "en", "es", "und", "pt", "zh-Hant"] as [LanguageCode?])
    func languagesReadBack(language: LanguageCode?) {
        var block = Self.plain
        block.language = language
        #expect(block.language == language)
        #expect(block.language?.rawValue == language?.rawValue)
        #expect(block.languageIsSpanish == language.map { $0 == .spanish })
    }

    @Test(arguments: [nil, 1, 6, 254, 255, 0, -3, 1 << 40] as [Int?])
    func levelsReadBack(level: Int?) {
        var block = Self.plain
        block.level = level
        #expect(block.level == level)
    }

    @Test(arguments: [nil, 0, 1, 0.5, 0.9731, 0.0001, 0.12345, 1.5, -0.25, -0.0, 1e-300] as [Double?])
    func confidencesReadBackBitForBit(confidence: Double?) {
        var block = Self.plain
        block.languageConfidence = confidence
        #expect(block.languageConfidence?.bitPattern == confidence?.bitPattern)
    }

    @Test func identifiedConfidencesStayCompact() {
        // `identify.language` rounds to four decimals: every such value needs no box.
        var block = Self.plain
        for n in stride(from: 0, through: 10_000, by: 1) {
            let confidence = (Double(n) / 10_000 * 10_000).rounded() / 10_000
            block.languageConfidence = confidence
            #expect(block.languageConfidence?.bitPattern == confidence.bitPattern)
        }
        #expect(block.rare == nil)
    }

    @Test func copiesDoNotShareWrites() {
        var first = Self.everyFieldSet
        let second = first
        first.excluded.append(TextRange(30, 31))
        first.flags = []
        first.marker = "2."
        #expect(second.excluded == [TextRange(12, 14), TextRange(20, 22)])
        #expect(second.flags == ["untranslated"])
        #expect(second.marker == "1.")
        #expect(first.excluded.count == 3 && first.flags.isEmpty && first.marker == "2.")
        // The wide values' box is shared by a copied box too, and copied before a write.
        var wide = Self.everyFieldSet
        wide.range = TextRange(1 << 33, 1 << 34)
        let wideCopy = wide
        wide.level = 1_000
        wide.range.end += 1
        #expect(wideCopy.level == 2 && wideCopy.range == TextRange(1 << 33, 1 << 34))
        #expect(wide.level == 1_000 && wide.range == TextRange(1 << 33, (1 << 34) + 1))
    }

    @Test func equalityAndHashingGoByValue() {
        var boxed = Self.plain
        boxed.marker = "x"
        boxed.marker = nil  // a box, holding only defaults
        boxed.range = TextRange(1 << 33, 1 << 34)
        boxed.range = Self.plain.range  // and a stale wide range
        #expect(boxed.rare != nil)
        #expect(boxed == Self.plain)
        #expect(Set([boxed, Self.plain]).count == 1)
        var other = Self.plain
        other.languageConfidence = 0.5
        #expect(other != Self.plain)
    }

    @Test(arguments: [plain, everyFieldSet, {
        var wide = everyFieldSet
        wide.range = TextRange(1 << 33, (1 << 33) + 5)
        wide.language = "pt"
        wide.level = 300
        wide.languageConfidence = 0.123456
        return wide
    }()])
    func codableRoundTrip(block: Block) throws {
        let data = try JSONEncoder().encode(block)
        #expect(try JSONDecoder().decode(Block.self, from: data) == block)
    }

    @Test func codableKeysAreThePlainStructs() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let plain = String(decoding: try encoder.encode(Self.plain), as: UTF8.self)
        #expect(plain == #"{"attributes":{},"excluded":[],"flags":[],"foldsLineBreaks":false,"kind":"paragraph","position":{"column":1,"line":2},"range":{"end":9,"start":3}}"#)
        let full = String(decoding: try encoder.encode(Self.everyFieldSet), as: UTF8.self)
        #expect(
            full
                == #"{"attributes":{"row":"2"},"excluded":[{"end":14,"start":12},{"end":22,"start":20}],"flags":["untranslated"],"foldsLineBreaks":true,"kind":"list_item","language":"es","languageConfidence":0.9731,"level":2,"marker":"1.","position":{"column":3,"line":7},"range":{"end":40,"start":10}}"#
        )
    }

    @Test(arguments: [
        Sentence(block: 0, range: TextRange(0, 0)), Sentence(block: 12, range: TextRange(40, 90)),
        Sentence(block: Int(UInt32.max) + 1, range: TextRange(1, 2)), Sentence(block: 3, range: TextRange(5, 1 << 35)),
    ])
    func sentencesReadBackAndRoundTrip(sentence: Sentence) throws {
        let copy = Sentence(block: sentence.block, range: sentence.range)
        #expect(copy == sentence && copy.hashValue == sentence.hashValue)
        var moved = sentence
        moved.range.end += 1
        moved.block += 1
        #expect(moved.range == TextRange(sentence.range.start, sentence.range.end + 1) && moved.block == sentence.block + 1)
        #expect(try JSONDecoder().decode(Sentence.self, from: JSONEncoder().encode(sentence)) == sentence)
    }
}
