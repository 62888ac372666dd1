import BitextCore
import BitextTestSupport
import Testing

@testable import BitextEntities

/// Pass 1 collects each block's capitalized runs during its walk over the tokens
/// (`appendCapitalizedRuns(from:)`); they must be the runs `Tokenizer.forEachCapitalizedRun`
/// finds in the block, in the same order, with the same one-word filter.
@Suite struct CapitalizedRunsTests {
    @Test func runsAreTheTokenizersRuns() {
        var generator = SplitMix64(seed: 77)
        let pieces = [
            "Ana", "María", "López", "The", "When", "No", "Of", "of", "de", "la", "EE. UU.", "U.S.", "NASA", "Łódź", "İstanbul",
            "Ramos-Horta", "O'Brien", "United", "Nations", "Él", "ab", "Ab", " ", " ", " ", "\u{A0}", "\t", ". ", ", ", "\n", "\n\n",
        ]
        var runs = 0
        for _ in 0..<300 {
            var text = ""
            for _ in 0..<Int.random(in: 1...40, using: &generator) { text += pieces.randomElement(using: &generator)! }
            let document = paragraphDocument(text)
            let inputs = EntityExtractor().inputs(document)
            var bytes = document.text
            var (collected, expected) = (CapitalizedRuns(), CapitalizedRuns())
            bytes.withUTF8 { p in
                var scanner = DocumentScanner(p: p, lexicon: Lexicon.shared)
                scanner.closedPass(inputs, collectSequences: true)
                collected = scanner.buffers.runs
                scanner.releaseBuffers()
                for block in inputs {
                    expected.starts.append(Int32(expected.keys.count))
                    var tokens: [Token] = []
                    Tokenizer.tokenize(p, block.start, block.end, vocabulary: Lexicon.shared.vocabulary, into: &tokens)
                    Tokenizer.forEachCapitalizedRun(tokens) { key, first, single in
                        if !single || (tokens[first].length > 2 && !tokens[first].isA([.englishFunction, .spanishFunction])) {
                            expected.keys.append(key)
                        }
                    }
                }
                expected.starts.append(Int32(expected.keys.count))
            }
            #expect(collected.keys == expected.keys && collected.starts == expected.starts, "\(text)")
            runs += expected.keys.count
        }
        #expect(runs > 1_000)
    }
}
