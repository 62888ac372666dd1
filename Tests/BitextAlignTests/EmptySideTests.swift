import BitextCore
import Testing

@testable import BitextAlign

/// One side empty against the other side of every size, and the stage on such a pair.
/// Found by scripts/robustness/pairs.py: an empty English file beside a Spanish one of 1,999
/// paragraphs or more trapped (`Range requires lowerBound <= upperBound`) in the guide band a
/// first pass of that many cells is bounded with, killing the batch.
@Suite struct EmptySideTests {
    static func units(_ count: Int, _ language: LanguageKind) -> [AlignmentUnit] {
        let word = language == .english ? "Paragraph" : "Párrafo"
        return AlignerTests.units((0..<count).map { "\(word) \($0 + 1) of the report, with 3 items." }, language)
    }

    /// Grids of cells below, at and above `Aligner.guidedBoundCells` (2,000).
    @Test(arguments: [(0, 1), (0, 1_998), (0, 1_999), (0, 2_000), (0, 3_000), (1, 0), (2_000, 0), (3_000, 0), (0, 0)])
    func everyUnitOfTheOtherSideIsOneSided(english: Int, spanish: Int) {
        let links = Aligner().align(english: Self.units(english, .english), spanish: Self.units(spanish, .spanish))
        #expect(links.count == english + spanish)
        #expect(links.allSatisfy { $0.english.count + $0.spanish.count == 1 })
        #expect(links.flatMap { Array($0.english) } == Array(0..<english))
        #expect(links.flatMap { Array($0.spanish) } == Array(0..<spanish))
    }

    /// The stages on a pair one of whose sides has no paragraph, the other 2,250 (whole, and in
    /// windows of 2,000): every paragraph in a one-sided link, every sentence in a sentence link.
    @Test(arguments: [(true, 0), (true, 2_000), (false, 0), (false, 2_000)])
    func stagesOnAPairWithAnEmptySide(englishEmpty: Bool, window: Int) throws {
        let pair = try AlignmentWindowTests.numberedPair(copies: 250)
        let paragraphs = englishEmpty ? Array(pair.paragraphs[pair.englishCount...]) : Array(pair.paragraphs[..<pair.englishCount])
        var unit = pairedUnit(paragraphs: paragraphs, englishCount: englishEmpty ? 0 : paragraphs.count)
        try AlignmentWindowTests().run(&unit, window: window)
        let links = try #require(unit.alignment)
        AlignmentWindowTests().expectPartition(links, english: englishEmpty ? 0 : 2_250, spanish: englishEmpty ? 2_250 : 0)
        let sentences = try #require(unit.sentenceAlignment)
        #expect(sentences.flatMap(\.english) == Array(0..<unit.sentences(of: .english).count))
        #expect(sentences.flatMap(\.spanish) == Array(0..<unit.sentences(of: .spanish).count))
    }
}
