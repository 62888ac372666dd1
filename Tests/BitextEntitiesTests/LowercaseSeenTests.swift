import BitextCore
import BitextTestSupport
import Testing

@testable import BitextEntities

/// Pass 1 keeps, in `lowercaseSeen`, only the lower-case words the document also writes with a
/// capital when every token is still at hand after it (one block, or kept tokens); pass 2 asks
/// only about capitalized words. For every capitalized word, the set must answer as the set of
/// every lower-case word of three letters or more would.
@Suite struct LowercaseSeenTests {
    @Test(arguments: ["bap-mss-statement.en-es.txt", "oas-haiti-peacekeeping-letter.en.txt"])
    func answersAsEveryLowercaseWord(name: String) throws {
        let document = paragraphDocument(try sample(name))
        let inputs = EntityExtractor().inputs(document)
        #expect(inputs.count > 1)
        // The whole document, and its first block alone (the one-block path).
        for blocks in [inputs, Array(inputs.prefix(1))] {
            let (capitalized, writtenBothWays) = Self.compareWithEveryLowercaseWord(document, blocks: blocks)
            #expect(capitalized > 0)
            // Not vacuous: a whole document writes some word both ways.
            if blocks.count > 1 { #expect(writtenBothWays > 0) }
        }
    }

    /// The same on seeded random documents of one to six blocks: words written both ways,
    /// accents and case outside Latin-1 (whose capitals the word hash does not fold).
    @Test func answersAsEveryLowercaseWordOnRandomDocuments() {
        var generator = SplitMix64(seed: 2026)
        let pieces = [
            "Council", "council", "Consejo", "consejo", "Łódź", "łódź", "ÁREA", "área", "Área", "Ωmega", "ωmega", "İzmir", "izmir",
            "the", "The", "and", "Año", "año", "aŁx", "AŁx", "Of", "of", "NASA", "nasa", "Ab", "ab", " ", " ", " ", ". ", ", ", "\n",
        ]
        var writtenBothWays = 0
        for _ in 0..<200 {
            let document = paragraphDocument(randomParagraphs(pieces, blocks: 6, piecesPerBlock: 30, using: &generator))
            writtenBothWays += Self.compareWithEveryLowercaseWord(document, blocks: EntityExtractor().inputs(document)).writtenBothWays
        }
        #expect(writtenBothWays > 0)
    }

    /// Runs pass 1 over `blocks` and expects `lowercaseSeen` to answer, for every capitalized
    /// word, as the set of every lower-case word of three letters or more. How many capitalized
    /// words there were, and how many of them the set holds.
    static func compareWithEveryLowercaseWord(_ document: Document, blocks: [BlockInput]) -> (capitalized: Int, writtenBothWays: Int) {
        var text = document.text
        var (capitalized, writtenBothWays, disagreements) = (0, 0, 0)
        text.withUTF8 { p in
            var scanner = DocumentScanner(p: p, lexicon: Lexicon.shared)
            scanner.closedPass(blocks, collectSequences: false)
            var every = HashSet64()
            var capitalizedWords: [UInt64] = []
            for block in blocks {
                var tokens: [Token] = []
                Tokenizer.tokenize(p, block.start, block.end, vocabulary: Lexicon.shared.vocabulary, into: &tokens)
                for t in tokens where t.kind == .word {
                    if !t.isCapitalized, t.length >= 3 { every.insert(t.hash) }
                    if t.isCapitalized { capitalizedWords.append(t.hash) }
                }
            }
            for word in capitalizedWords {
                let seen = scanner.buffers.lowercaseSeen.contains(word)
                if seen != every.contains(word) { disagreements += 1 }
                if seen { writtenBothWays += 1 }
            }
            capitalized = capitalizedWords.count
            scanner.releaseBuffers()
        }
        #expect(disagreements == 0, "\(document.text)")
        return (capitalized, writtenBothWays)
    }
}
