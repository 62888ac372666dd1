import BitextCore
import Foundation
import Testing

@testable import BitextAlign

/// The repository root, found from this file's path.
let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    fatalError("Package.swift not found above \(#filePath)")
}()

/// One document holding paragraphs separated by blank lines, one block per paragraph, the
/// first `englishCount` blocks on the English side and the rest on the Spanish side.
func pairedUnit(paragraphs: [String], englishCount: Int) -> WorkUnit {
    let text = paragraphs.joined(separator: "\n\n")
    var blocks: [Block] = []
    var offset = 0
    for (i, p) in paragraphs.enumerated() {
        let length = p.utf8.count
        blocks.append(Block(kind: .paragraph, range: TextRange(offset, offset + length), position: SourcePosition(line: 2 * i + 1, column: 1)))
        offset += length + 2
    }
    var unit = WorkUnit(id: "sample", inputs: [InputFile(path: "sample.txt")])
    unit.documents = [Document(source: SourceFile(path: "sample.txt", format: .text), text: text, blocks: blocks)]
    unit.sides = [
        .english: Side(document: 0, blocks: LinkPositions(0..<englishCount)),
        .spanish: Side(document: 0, blocks: LinkPositions(englishCount..<paragraphs.count)),
    ]
    return unit
}

/// The statement sample: its English part, then its Spanish part, paragraphs separated by blank lines.
func statementSample() throws -> [String] {
    let url = repositoryRoot.appendingPathComponent("samples/bap-mss-statement.en-es.txt")
    let text = try String(contentsOf: url, encoding: .utf8)
    return text.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
}

@Suite struct StageTests {
    func run(_ unit: inout WorkUnit, explain: Bool = false) throws {
        let context = StageContext(explain: explain)
        try SegmentSentences().process(&unit, context: context)
        try AlignParagraphs(options: .init()).process(&unit, context: context)
        try AlignSentences().process(&unit, context: context)
    }

    @Test func statementSampleAlignsExactly() throws {
        let paragraphs = try statementSample()
        #expect(paragraphs.count == 18)
        var unit = pairedUnit(paragraphs: paragraphs, englishCount: 9)
        try run(&unit, explain: true)
        let links = try #require(unit.alignment)
        #expect(links.map { [$0.english, $0.spanish] } == (0..<9).map { [[$0], [$0]] })
        #expect(links.allSatisfy { (0...1).contains($0.score) && !$0.flags.contains("omitted") })
        #expect(links.allSatisfy { $0.explanation?["anchors"] != nil })
        // The dated opening paragraph: same date in both conventions, no date mismatch.
        #expect(!links[1].flags.contains("date_mismatch"))
        let sentences = try #require(unit.sentenceAlignment)
        #expect(!sentences.isEmpty)
        #expect(Set(sentences.map(\.paragraphLink)) == Set(0..<9))
        // Every sentence of each side appears in exactly one sentence link, in order.
        let english = unit.sentences(of: .english).count
        let spanish = unit.sentences(of: .spanish).count
        #expect(sentences.flatMap(\.english) == Array(0..<english))
        #expect(sentences.flatMap(\.spanish) == Array(0..<spanish))
    }

    /// align.sentences reuses what align.paragraphs read only while the blocks are unchanged,
    /// and reads the paragraphs itself otherwise: the sentence links are the same either way.
    @Test func sentencesReuseParagraphReadingOnlyWhileValid() throws {
        let paragraphs = try statementSample()
        var reused = pairedUnit(paragraphs: paragraphs, englishCount: 9)
        try SegmentSentences().process(&reused, context: StageContext())
        try AlignParagraphs(options: .init()).process(&reused, context: StageContext())
        #expect(reused.reusable[ParagraphReading.key] is ParagraphReading)
        var recomputed = reused
        recomputed.reusable = [:]
        try AlignSentences().process(&reused, context: StageContext())
        try AlignSentences().process(&recomputed, context: StageContext())
        #expect(reused.reusable.isEmpty)
        #expect(reused.sentenceAlignment == recomputed.sentenceAlignment)
        #expect(reused.sentenceAlignment?.isEmpty == false)

        // A block whose language changed after align.paragraphs: the cached views are stale.
        var changed = pairedUnit(paragraphs: paragraphs, englishCount: 9)
        try SegmentSentences().process(&changed, context: StageContext())
        try AlignParagraphs(options: .init()).process(&changed, context: StageContext())
        let cached = try #require(changed.reusable[ParagraphReading.key] as? ParagraphReading)
        let sides = (changed.sides[.english]!, changed.sides[.spanish]!)
        #expect(cached.matches(changed, englishSide: sides.0, spanishSide: sides.1))
        changed.documents[0].blocks[10].language = .english
        #expect(!cached.matches(changed, englishSide: sides.0, spanishSide: sides.1))
        var fresh = changed
        fresh.reusable = [:]
        try AlignSentences().process(&changed, context: StageContext())
        try AlignSentences().process(&fresh, context: StageContext())
        #expect(changed.sentenceAlignment == fresh.sentenceAlignment)
    }

    /// The sentence texts align.sentences reads: sliced from the paragraph views' texts when a
    /// block excludes nothing, mapped through the block's content otherwise; either way the
    /// reader's text between the sentence's mapped ends.
    @Test func sentenceTextsAreTheReadersText() throws {
        var unit = pairedUnit(
            paragraphs: ["First one. Second\none here.", "Third <b>bold</b> one. Fourth.", "Primera. Segunda\naquí.", "Tercera <b>negrita</b>. Cuarta."],
            englishCount: 2)
        // Blocks 0 and 2 fold their line breaks; blocks 1 and 3 exclude their markup.
        unit.documents[0].blocks[0].foldsLineBreaks = true
        unit.documents[0].blocks[2].foldsLineBreaks = true
        let text = unit.documents[0].text
        for b in [1, 3] {
            let block = unit.documents[0].blocks[b]
            let paragraph = String(text.utf8.dropFirst(block.range.start).prefix(block.range.length))!
            var cuts: [TextRange] = []
            var from = paragraph.startIndex
            while let open = paragraph[from...].firstIndex(of: "<"), let close = paragraph[open...].firstIndex(of: ">") {
                let start = block.range.start + paragraph.utf8.distance(from: paragraph.startIndex, to: open)
                let end = block.range.start + paragraph.utf8.distance(from: paragraph.startIndex, to: close) + 1
                cuts.append(TextRange(start, end))
                from = paragraph.index(after: close)
            }
            unit.documents[0].blocks[b].excluded = cuts
        }
        try SegmentSentences().process(&unit, context: StageContext())
        let document = unit.documents[0]
        for (code, side) in [(LanguageCode.english, unit.sides[.english]!), (.spanish, unit.sides[.spanish]!)] {
            let blockTexts = side.blocks.map { Substring(BlockContent(block: document.blocks[$0], in: document).text) }
            let read = AlignSentences.sentences(of: side, in: unit, blockTexts: blockTexts)
            let expected = unit.sentences(of: code).map { index -> (Int, String) in
                let sentence = document.sentences[index]
                let content = BlockContent(block: document.blocks[sentence.block], in: document)
                let start = AlignSentences.localOffset(of: sentence.range.start, in: content)
                let end = AlignSentences.localOffset(of: sentence.range.end, in: content)
                return (side.blocks.firstIndex(of: sentence.block)!, String(Substring(content.text.utf8.dropFirst(start).prefix(end - start))))
            }
            #expect(read.map(\.block) == expected.map(\.0))
            #expect(read.map { String($0.text) } == expected.map(\.1))
        }
        #expect(AlignSentences.sentences(of: unit.sides[.spanish]!, in: unit, blockTexts: []).map { String($0.text) }
            == ["Primera.", "Segunda aquí.", "Tercera negrita.", "Cuarta."])
    }

    @Test func unpairedUnitsAreLeftAlone() throws {
        var unit = pairedUnit(paragraphs: ["One.", "Uno."], englishCount: 1)
        unit.sides = [:]
        try AlignParagraphs(options: .init()).process(&unit, context: StageContext())
        #expect(unit.alignment == nil)
    }

    @Test func flagsWhatTranslatorsCheck() throws {
        var unit = pairedUnit(
            paragraphs: [
                "The mission has 2,500 officers since 14 October 2024.",
                "This paragraph was never translated into Spanish by anyone at all.",
                "Is the mission legal?",
                "La misión tiene 3.500 agentes desde el 15 de octubre de 2024.",
                "This paragraph was never translated into Spanish by anyone at all.",
                "La misión es legal?",
            ], englishCount: 3)
        try run(&unit)
        let links = try #require(unit.alignment)
        #expect(links.map { [$0.english, $0.spanish] } == [[[0], [0]], [[1], [1]], [[2], [2]]])
        #expect(links[0].flags.contains("number_mismatch"))
        #expect(links[0].flags.contains("date_mismatch"))
        #expect(links[1].flags.contains("untranslated"))
        #expect(links[2].flags.contains("punctuation"))
    }

    @Test func untranslatedUsesIdentifiedLanguages() throws {
        var unit = pairedUnit(paragraphs: ["The committee met on Monday.", "The committee met on Monday again."], englishCount: 1)
        unit.documents[0].blocks[0].language = .english
        unit.documents[0].blocks[1].language = .english
        try AlignParagraphs(options: .init()).process(&unit, context: StageContext())
        #expect(unit.alignment?.first?.flags.contains("untranslated") == true)
    }

    /// An untranslated English paragraph on the Spanish side: its sentences are read in English
    /// as the paragraph was, so "2.100" is the same version number on both sides, not 2100.
    @Test func sentencesAreReadInTheirBlocksLanguage() throws {
        let text = "Install version 2.100 of the package first. Then restart the service and check the log."
        var unit = pairedUnit(paragraphs: [text, text], englishCount: 1)
        unit.documents[0].blocks[0].language = .english
        unit.documents[0].blocks[1].language = .english
        try run(&unit)
        let sentenceLinks = try #require(unit.sentenceAlignment)
        #expect(sentenceLinks.map { [$0.english, $0.spanish] } == [[[0], [0]], [[1], [1]]])
        #expect(sentenceLinks.allSatisfy { !$0.flags.contains("number_mismatch") })
    }

    @Test func omissionsAreFlagged() throws {
        let paragraphs = Array(AlignerTests.english) + AlignerTests.spanish.enumerated().filter { $0.offset != 4 }.map(\.element)
        var unit = pairedUnit(paragraphs: paragraphs, englishCount: 8)
        try run(&unit)
        let links = try #require(unit.alignment)
        let omitted = links.filter { $0.flags.contains("omitted") }
        #expect(omitted.map(\.english) == [[4]])
        #expect(omitted.allSatisfy { $0.spanish.isEmpty })
    }

    @Test func optionsAreValidated() {
        #expect(throws: OptionError.self) { try AlignParagraphs(options: .init(band: 1)) }
        #expect(throws: OptionError.self) { try AlignParagraphs(options: .init(lowConfidence: 1.5)) }
        #expect(throws: OptionError.self) { try AlignParagraphs(options: .init(lengthZ: 0)) }
    }

    /// Blocks segmented in place (nothing left out, line breaks kept) get the ranges that
    /// segmenting their `BlockContent` and mapping back gives, as the others do.
    @Test func sentencesInPlaceMatchTheBlockContent() throws {
        var unit = pairedUnit(
            paragraphs: ["Año 2024. Él llegó.\nLuego se fue.", "Line one.\n\nLine two.", "A <b>bold</b> move. Then rest.", "  code();\n  more();  ",
                         "Ünïcödé — ok. Sí… Next.", "Plain sentence."],
            englishCount: 3)
        unit.documents[0].blocks[1].foldsLineBreaks = true
        unit.documents[0].blocks[3].kind = .preformatted
        let block2 = unit.documents[0].blocks[2]
        unit.documents[0].blocks[2].excluded = [TextRange(block2.range.start + 2, block2.range.start + 5), TextRange(block2.range.start + 9, block2.range.start + 13)]
        try SegmentSentences().process(&unit, context: StageContext())
        let document = unit.documents[0]
        var expected: [Sentence] = []
        for (b, block) in document.blocks.enumerated() {
            let content = BlockContent(block: block, in: document)
            let language: SentenceSegmenter.Language = b < 3 ? .english : .spanish
            let ranges = block.kind == .preformatted
                ? SegmentSentences.lines(Substring(content.text)) : SentenceSegmenter(language: language).sentences(in: Substring(content.text))
            expected += ranges.map { Sentence(block: b, range: content.documentRange(of: $0)) }
        }
        #expect(document.sentences == expected)
        #expect(document.sentences.count == 13)
    }

    @Test func sentencesCoverEveryBlock() throws {
        var unit = pairedUnit(paragraphs: ["Mr. Smith came. He left.", "El Sr. Pérez vino. Se fue."], englishCount: 1)
        try SegmentSentences().process(&unit, context: StageContext())
        let document = unit.documents[0]
        #expect(document.sentences.map { String(document.text(of: $0.range)) } == ["Mr. Smith came.", "He left.", "El Sr. Pérez vino.", "Se fue."])
        #expect(document.sentences.map(\.block) == [0, 0, 1, 1])
    }
}

/// Long sides aligned window by window (`AlignParagraphs.Options.window`).
@Suite struct AlignmentWindowTests {
    /// The statement sample repeated `copies` times, each paragraph numbered (its own anchor),
    /// the Spanish copies less the paragraphs at `dropped` (positions in the Spanish side).
    static func numberedPair(copies: Int, dropped: Set<Int> = []) throws -> (paragraphs: [String], englishCount: Int) {
        let sample = try statementSample()
        var english: [String] = []
        var spanish: [String] = []
        for copy in 0..<copies {
            for k in 0..<9 {
                let number = copy * 9 + k + 1
                english.append("Section \(number). " + sample[k])
                spanish.append("Sección \(number). " + sample[9 + k])
            }
        }
        spanish = spanish.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
        return (english + spanish, english.count)
    }

    func run(_ unit: inout WorkUnit, window: Int, above: Int = 0) throws {
        try SegmentSentences().process(&unit, context: StageContext())
        try AlignParagraphs(options: .init(window: window, windowAbove: above)).process(&unit, context: StageContext())
        try AlignSentences().process(&unit, context: StageContext())
    }

    /// Every position of each side in exactly one link, links in order on both sides.
    func expectPartition(_ links: [AlignmentLink], english: Int, spanish: Int) {
        #expect(links.flatMap(\.english) == Array(0..<english))
        #expect(links.flatMap(\.spanish) == Array(0..<spanish))
        for link in links {
            #expect(link.english.array == link.english.sorted() && link.spanish.array == link.spanish.sorted())
            #expect(link.english.isEmpty || link.english.last! - link.english.first! == link.english.count - 1)
            #expect(link.spanish.isEmpty || link.spanish.last! - link.spanish.first! == link.spanish.count - 1)
        }
    }

    /// A side's cumulative lengths (4 bytes an entry) and its sentences before each position
    /// (walked, not listed) are what whole lists of them would hold, at every position, asked in
    /// order and out of it.
    @Test func cumulativeLengthsAndSentencesBefore() throws {
        let pair = try Self.numberedPair(copies: 3)
        var unit = pairedUnit(paragraphs: pair.paragraphs, englishCount: pair.englishCount)
        try SegmentSentences().process(&unit, context: StageContext())
        for language in [LanguageCode.english, .spanish] {
            let side = try #require(unit.sides[language])
            let document = unit.documents[side.document]
            let lengths = side.blocks.map { document.blocks[$0].range.end - document.blocks[$0].range.start }
            let cumulative = CumulativeLengths(of: side, in: unit)
            #expect(Array(cumulative) == lengths.reduce(into: [0]) { $0.append($0.last! + $1) })
            #expect(Array(CumulativeLengths(Array(cumulative))) == Array(cumulative))
            var before = try #require(SentencesBefore(side, in: unit))
            let counts = side.blocks.map { b in document.sentences.filter { $0.block == b }.count }
            let expected = counts.reduce(into: [0]) { $0.append($0.last! + $1) }
            #expect(expected.last! > side.blocks.count)  // (blocks of several sentences)
            for p in Array(0...side.blocks.count) + [5, 2, side.blocks.count, 0] {
                #expect(before.count(before: p) == expected[p])
            }
        }
    }

    /// A clean pair: a small forced window gives the links (and sentence links) of no window.
    @Test func cleanPairAlignsAsWhole() throws {
        let pair = try Self.numberedPair(copies: 40)  // 360 paragraphs a side: four windows of 100
        var whole = pairedUnit(paragraphs: pair.paragraphs, englishCount: pair.englishCount)
        var windowed = whole
        try run(&whole, window: 0)
        try run(&windowed, window: AlignParagraphs.smallestWindow)
        #expect(windowed.reusable.isEmpty)
        let links = try #require(windowed.alignment)
        #expect(links.map { [$0.english, $0.spanish] } == (0..<360).map { [[$0], [$0]] })
        // The same links (scores differ in the last digits: anchors are weighted by their frequency in the window).
        let wholeLinks = try #require(whole.alignment)
        #expect(links.map { [$0.english, $0.spanish] } == wholeLinks.map { [$0.english, $0.spanish] })
        #expect(zip(links, wholeLinks).allSatisfy { abs($0.score - $1.score) < 0.01 && $0.flags == $1.flags })
        let wholeSentences = try #require(whole.sentenceAlignment)
        #expect(windowed.sentenceAlignment?.map { [[$0.paragraphLink], $0.english, $0.spanish] }
            == wholeSentences.map { [[$0.paragraphLink], $0.english, $0.spanish] })
        let sentences = try #require(windowed.sentenceAlignment)
        #expect(sentences.flatMap(\.english) == Array(0..<windowed.sentences(of: .english).count))
        #expect(sentences.flatMap(\.spanish) == Array(0..<windowed.sentences(of: .spanish).count))
    }

    /// Omissions across window boundaries: nothing lost, nothing twice, monotone; the omitted
    /// paragraphs found as with no window.
    @Test func omissionsAcrossWindowsKeepEveryParagraphOnce() throws {
        let dropped: Set<Int> = [5, 70, 74, 99, 100, 151, 230, 298, 299, 300]
        let pair = try Self.numberedPair(copies: 40, dropped: dropped)
        for window in [0, 100, 150] {
            var unit = pairedUnit(paragraphs: pair.paragraphs, englishCount: pair.englishCount)
            try run(&unit, window: window)
            let links = try #require(unit.alignment)
            expectPartition(links, english: 360, spanish: 360 - dropped.count)
            let omitted = links.filter { $0.spanish.isEmpty }.flatMap(\.english)
            #expect(Set(omitted) == dropped, "window \(window)")
            let sentences = try #require(unit.sentenceAlignment)
            #expect(sentences.flatMap(\.english) == Array(0..<unit.sentences(of: .english).count))
            #expect(sentences.flatMap(\.spanish) == Array(0..<unit.sentences(of: .spanish).count))
            #expect(sentences.map(\.paragraphLink) == sentences.map(\.paragraphLink).sorted())
        }
    }

    /// A run of English paragraphs missing in Spanish across a group's first links: the group
    /// opens with links that omit the Spanish side (its span still empty), which crashed
    /// align.sentences with an arithmetic overflow on real pages (LibreOffice help concatenated).
    @Test(arguments: [80..<130, 95..<105, 190..<260])
    func omittedRunsAtAGroupStart(omitted: Range<Int>) throws {
        let pair = try Self.numberedPair(copies: 40, dropped: Set(omitted))
        var unit = pairedUnit(paragraphs: pair.paragraphs, englishCount: pair.englishCount)
        try run(&unit, window: AlignParagraphs.smallestWindow)
        let links = try #require(unit.alignment)
        expectPartition(links, english: 360, spanish: 360 - omitted.count)
        let sentences = try #require(unit.sentenceAlignment)
        #expect(sentences.flatMap(\.english) == Array(0..<unit.sentences(of: .english).count))
        #expect(sentences.flatMap(\.spanish) == Array(0..<unit.sentences(of: .spanish).count))
    }

    /// Sides no longer than `window_above` (or than a window) are aligned whole, and read once for both stages.
    @Test(arguments: [(copies: 11, above: 0), (copies: 40, above: 360), (copies: 40, above: AlignParagraphs.defaultWindowAbove)])
    func shortSidesAreAlignedWhole(copies: Int, above: Int) throws {
        let pair = try Self.numberedPair(copies: copies)  // 99 or 360 paragraphs a side
        var unit = pairedUnit(paragraphs: pair.paragraphs, englishCount: pair.englishCount)
        try SegmentSentences().process(&unit, context: StageContext())
        try AlignParagraphs(options: .init(window: AlignParagraphs.smallestWindow, windowAbove: above)).process(&unit, context: StageContext())
        #expect(unit.reusable[ParagraphReading.key] is ParagraphReading)
    }

    /// Explanations (`--explain`) for windowed links as for whole ones.
    @Test func windowedLinksAreExplained() throws {
        let pair = try Self.numberedPair(copies: 40)
        var unit = pairedUnit(paragraphs: pair.paragraphs, englishCount: pair.englishCount)
        try AlignParagraphs(options: .init(window: 100, windowAbove: 0)).process(&unit, context: StageContext(explain: true))
        let links = try #require(unit.alignment)
        #expect(links.count == 360)
        #expect(links.allSatisfy { $0.explanation?["anchors"]?.isEmpty == false && $0.explanation?["shape"] == "1-1" })
    }

    @Test func windowIsValidated() throws {
        #expect(throws: OptionError.self) { try AlignParagraphs(options: .init(window: 99)) }
        #expect(throws: OptionError.self) { try AlignParagraphs(options: .init(window: -1)) }
        #expect(throws: OptionError.self) { try AlignParagraphs(options: .init(windowAbove: -1)) }
        _ = try AlignParagraphs(options: .init(window: 0))
        _ = try AlignParagraphs(options: .init(window: 100))
    }
}
