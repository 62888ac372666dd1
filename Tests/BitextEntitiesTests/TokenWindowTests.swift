import Testing

@testable import BitextEntities

/// A document's scanner tokenizes each block onto the end of one array and later shows the
/// blocks again from it (`TokenWindow`): every window must hold exactly the block's own tokens.
@Suite struct TokenWindowTests {
    static let text = """
        On 22 November 2024 the OAS adopted CP/RES. 1268 (2523/24).
        El Consejo de Seguridad de las Naciones Unidas (CSNU) se reunió el 3 de marzo.
        U.S. and EE. UU. delegates met Ms. Thomas-Greenfield in Port-au-Prince; 5 % más.
        """

    static func blocks(_ text: String) -> [(start: Int, end: Int)] {
        var result: [(start: Int, end: Int)] = []
        var start = 0
        for (i, byte) in text.utf8.enumerated() where byte == 0x0A {
            result.append((start, i))
            start = i + 1
        }
        result.append((start, text.utf8.count))
        return result
    }

    static func same(_ a: some Collection<Token>, _ b: [Token]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy {
            $0.start == $1.start && $0.end == $1.end && $0.hash == $1.hash && $0.kind == $1.kind
                && $0.classes == $1.classes && $0.spaceBefore == $1.spaceBefore
        }
    }

    @Test func appendedBlocksShowTheirOwnTokens() {
        var text = Self.text
        let ranges = Self.blocks(text)
        text.withUTF8 { p in
            let vocabulary = Lexicon.shared.vocabulary
            var window = TokenWindow()
            var alone: [[Token]] = []
            var bases: [Int] = []
            for r in ranges {
                var tokens: [Token] = []
                Tokenizer.tokenize(p, r.start, r.end, vocabulary: vocabulary, into: &tokens)
                alone.append(tokens)
                bases.append(window.storage.count)
                window.appendBlock(p, r.start, r.end, vocabulary: vocabulary)
                #expect(Self.same(window, tokens))
                #expect(window.last?.end == tokens.last?.end)
            }
            // Shown again later, in any order, each block is still its own tokens.
            for b in ranges.indices.reversed() {
                window.show(base: bases[b], count: alone[b].count)
                #expect(Self.same(window, alone[b]))
                #expect(window.indices == alone[b].indices)
            }
            // Replacing keeps only the new block.
            window.replaceBlock(p, ranges[1].start, ranges[1].end, vocabulary: vocabulary)
            #expect(window.storage.count == alone[1].count)
            #expect(Self.same(window, alone[1]))
        }
    }
}
