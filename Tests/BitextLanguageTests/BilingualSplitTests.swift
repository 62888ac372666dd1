import BitextCore
import Testing

@testable import BitextLanguage

/// `BilingualSplit` on block labels and weights shaped like the alignment devset's files.
@Suite struct BilingualSplitTests {
    static let en = LanguageCode.english, es = LanguageCode.spanish

    /// `count` blocks of `language`, each `weight` long.
    static func run(_ language: LanguageCode, _ count: Int, weight: Int) -> [(LanguageCode, Int)] {
        Array(repeating: (language, weight), count: count)
    }

    static func find(_ blocks: [(LanguageCode, Int)]) -> BilingualSplit? {
        BilingualSplit.find(labels: blocks.map(\.0), weights: blocks.map(\.1))
    }

    /// 25 English paragraphs then their translation, 3 of whose 25 paragraphs (12%, longer:
    /// commands and titles) were left in English: 12% of the text sits on the wrong side, which
    /// the 10% limit before session 30 refused, leaving the whole file unpaired.
    @Test func translationWithUntranslatedParagraphsSplits() {
        var spanishHalf = Self.run(Self.es, 25, weight: 110)
        for untranslated in [4, 12, 20] { spanishHalf[untranslated] = (Self.en, 230) }
        let file = Self.run(Self.en, 25, weight: 100) + spanishHalf
        #expect(Self.find(file) == BilingualSplit(first: .english, second: .spanish, boundary: 25))
        // The same file the other way round: its English half holds Spanish-read paragraphs.
        let reversed = spanishHalf.map { ($0.0 == Self.en ? Self.es : Self.en, $0.1) } + Self.run(Self.es, 25, weight: 100)
        #expect(Self.find(reversed) == BilingualSplit(first: .english, second: .spanish, boundary: 25))
    }

    /// Documents in one language with a passage in the other stay whole: the passage is not
    /// as long as the rest, as a translation would be, or sits in the middle.
    @Test("Stays whole", arguments: [
        ("Spanish abstract (30%) at the start", run(es, 3, weight: 115) + run(en, 7, weight: 100)),
        ("Spanish abstract (30%) at the end", run(en, 7, weight: 100) + run(es, 3, weight: 115)),
        ("English abstract (30%) at the start", run(en, 3, weight: 100) + run(es, 7, weight: 115)),
        ("Spanish quotes (30%) in the middle", run(en, 4, weight: 100) + run(es, 3, weight: 115) + run(en, 3, weight: 100)),
        ("English with a 10% Spanish abstract", run(es, 1, weight: 115) + run(en, 9, weight: 100)),
        ("interleaved paragraphs", Array(repeatElement(run(en, 1, weight: 100) + run(es, 1, weight: 115), count: 10).joined())),
        ("monolingual English", run(en, 20, weight: 100)),
        ("Spanish with 15% read as English", Array(repeatElement(run(es, 6, weight: 115) + run(en, 1, weight: 115), count: 5).joined())),
        ("halves with a quarter of the text on the wrong side", run(en, 5, weight: 100) + run(es, 5, weight: 100) + run(en, 5, weight: 100) + run(es, 5, weight: 100)),
    ] as [(String, [(LanguageCode, Int)])])
    func staysWhole(_ name: String, blocks: [(LanguageCode, Int)]) {
        #expect(Self.find(blocks) == nil, "\(name)")
    }

    /// Parts whose own-language texts are within the length ratio split, one beyond it does not.
    @Test func lengthRatioBetweenTheParts() {
        let within = Self.run(Self.en, 10, weight: 100) + Self.run(Self.es, 10, weight: 145)
        #expect(Self.find(within) == BilingualSplit(first: .english, second: .spanish, boundary: 10))
        let beyond = Self.run(Self.en, 10, weight: 100) + Self.run(Self.es, 10, weight: 155)
        #expect(Self.find(beyond) == nil)
    }
}
