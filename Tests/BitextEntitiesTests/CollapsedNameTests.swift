import BitextCore
import BitextTestSupport
import Testing

@testable import BitextEntities

/// `DocumentScanner.collapsed` takes a name's text as it stands when its words are one space
/// apart; whatever the white space between them, it must give what joining each token's bytes
/// with one space where the token has white space before it gives.
@Suite struct CollapsedNameTests {
    static let pieces = [
        "Ana", "María", "López", "de", "la", "EE. UU.", "U.S.", "Port-au-Prince", "O'Brien", "Łódź", "(", ")", ".", ",", "-",
        "12", " ", " ", " ", "  ", "\u{A0}", "\u{202F}", "\t", "\n", "\u{2028}", "\u{301}", "ﬁ", "Ñ",
    ]

    @Test func collapsedIsTheTokensJoinedBySingleSpaces() {
        var generator = SplitMix64(seed: 1124)
        var checked = 0
        for _ in 0..<400 {
            var text = ""
            for _ in 0..<Int.random(in: 1...24, using: &generator) { text += Self.pieces.randomElement(using: &generator)! }
            let scalars = Array(text.unicodeScalars)  // (for the message: `text` is lent below)
            text.withUTF8 { p in
                var scanner = DocumentScanner(p: p, lexicon: Lexicon.shared)
                scanner.closedPass([BlockInput(block: 0, start: 0, end: p.count, spanish: nil, isHeading: false, documentSpanish: false)],
                                   collectSequences: false)
                let tokens = scanner.buffers.tokens
                for a in tokens.indices {
                    for b in a..<min(tokens.count, a + 6) {
                        var bytes: [UInt8] = []
                        for k in a...b {
                            if k > a && tokens[k].spaceBefore { bytes.append(0x20) }
                            bytes.append(contentsOf: p[tokens[k].start..<tokens[k].end])
                        }
                        #expect(scanner.collapsed(a, b) == String(decoding: bytes, as: UTF8.self), "\(scalars) \(a)...\(b)")
                        checked += 1
                    }
                }
                scanner.releaseBuffers()
            }
        }
        #expect(checked > 1_000)
    }
}
