import BitextCore
import BitextTestSupport
import Testing

@testable import BitextEntities

/// A document longer than `DocumentScanner.keptTokensLimit` keeps only its claims from pass 1
/// to pass 2 (a bit a token) and measures each block again in pass 2 from its tokens (its
/// language, case and name starts). With the limit forced to 0 every document of several
/// blocks takes that way: its entities must be those of the way that keeps everything.
@Suite struct TokensMeasuredAgainTests {
    static func extractor(keptTokensLimit: Int) -> EntityExtractor {
        var extractor = EntityExtractor()
        extractor.keptTokensLimit = keptTokensLimit
        return extractor
    }

    static let keeping = extractor(keptTokensLimit: DocumentScanner.keptTokensLimit)
    static let measuringAgain = extractor(keptTokensLimit: 0)

    @Test(arguments: ["bap-mss-statement.en-es.txt", "oas-haiti-peacekeeping-letter.en.txt"])
    func samplesFindTheSameEntities(name: String) throws {
        let document = paragraphDocument(try sample(name))
        #expect(document.blocks.count > 1)
        let kept = Self.keeping.extract(from: document)
        #expect(kept.count > 20)
        #expect(Self.measuringAgain.extract(from: document) == kept)
    }

    /// Blocks of every language and case: headings, capitals, title case, Spanish and English
    /// function words, names after claimed tokens.
    @Test func randomDocumentsFindTheSameEntities() {
        var generator = SplitMix64(seed: 2811)
        let pieces = [
            "Ana", "María", "López", "the", "The", "el", "de", "la", "of", "UNITED NATIONS", "Naciones Unidas", "Security Council",
            "22 November 2024", "3 de marzo", "S/2024/765", "5 %", "US$ 10", "Port-au-Prince", "(CSNU)", "Consejo de Seguridad",
            "Ms. Thomas-Greenfield", "www.oas.org", "a@b.org", "When", "No", " ", " ", ". ", ", ", "\n",
        ]
        var entities = 0
        for _ in 0..<150 {
            let document = paragraphDocument(randomParagraphs(pieces, blocks: 8, piecesPerBlock: 25, using: &generator))
            let kept = Self.keeping.extract(from: document)
            #expect(Self.measuringAgain.extract(from: document) == kept, "\(document.text)")
            entities += kept.count
        }
        #expect(entities > 1_000)
    }

    /// Both versions of an aligned pair, with the bilingual signal.
    @Test func alignedPairsFindTheSameEntities() throws {
        let units = AlignedExtractionTests()
        for unit in [try units.sampleUnit(), units.pairUnit(), units.commonWordsUnit()] {
            guard let alignment = unit.alignment, let en = unit.sides[.english], let es = unit.sides[.spanish] else {
                Issue.record("unit \(unit.id) is not aligned")
                continue
            }
            let kept = Self.keeping.extractAligned(unit.documents, alignment: alignment, english: en, spanish: es)
            #expect(kept.joined().count > 5)
            #expect(Self.measuringAgain.extractAligned(unit.documents, alignment: alignment, english: en, spanish: es) == kept)
        }
    }
}

/// Pass 1's claims are kept a bit a token (`ClaimedTokens`): any block's claims read back as
/// they were appended, across word boundaries.
@Suite struct ClaimedTokensTests {
    @Test func blocksReadBackAsAppended() {
        var generator = SplitMix64(seed: 64)
        var claimed = ClaimedTokens()
        var reference: [Bool] = []
        var blocks: [Range<Int>] = []
        for _ in 0..<300 {
            let block = (0..<Int.random(in: 0...150, using: &generator)).map { _ in Bool.random(using: &generator) }
            blocks.append(reference.count..<(reference.count + block.count))
            claimed.append(contentsOf: block)
            reference.append(contentsOf: block)
        }
        #expect(claimed.count == reference.count)
        #expect(claimed.capacity >= claimed.count)
        var used = [true]
        for range in blocks.shuffled(using: &generator) {
            claimed.copy(range, into: &used)
            #expect(used == Array(reference[range]))
        }
        claimed.removeAll(keepingCapacity: true)
        #expect(claimed.count == 0)
    }
}
