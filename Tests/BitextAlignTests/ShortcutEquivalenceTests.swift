import Testing

@testable import BitextAlign

/// Seeded random words and sentences: each byte-level shortcut of the segmenter and of the
/// sentence merges answers as the Character-level code it stands for (accents, NFD marks,
/// CR LF, no-break spaces, tabs, U+2028, other scripts' digits and capitals).
@Suite struct ShortcutEquivalenceTests {
    /// SplitMix64, so that a failure reproduces.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func text(from pieces: [String], upTo count: Int, _ generator: inout Generator) -> String {
        var text = ""
        for _ in 0..<Int.random(in: 0...count, using: &generator) { text += pieces.randomElement(using: &generator)! }
        return text
    }

    static let numberingPieces = [
        "1", "2", "9", "0", "12", "A", "Z", "I", "V", "X", "L", "C", "M", ".", ".", ".", "a", "É", "Ⅳ", "２", "١", "\u{301}",
        "-", " ", "\r", "\n", "\r\n", "\t", "\u{A0}", "ª",
    ]

    @Test func numberingByBytesIsByCharacters() {
        var generator = Generator(state: 9)
        for _ in 0..<20_000 {
            let word = Self.text(from: Self.numberingPieces, upTo: 8, &generator)
            #expect(SentenceSegmenter.isNumbering(word) == SentenceSegmenter.isNumberingByCharacters(word), "\(Array(word.unicodeScalars))")
        }
    }

    static let clausePieces = [
        ",", ",", ";", ":", " ", " ", "\n", "\r\n", "\r", "and", "AND", "And", "y", "Y", "e", "u", "ni", "nor", "or", "orange",
        "a", "b1", "ñ", "á", "\u{301}", "\u{A0}", "\t", "\u{2028}", "x", "ﬁ", "nor\u{301}", "1,5", "10:30",
    ]

    @Test func clauseMarksByBytesAreByCharacters() {
        var generator = Generator(state: 20)
        for _ in 0..<20_000 {
            // A slice from a random Character on, as sentences are slices of their document.
            let whole = Self.text(from: Self.clausePieces, upTo: 16, &generator)
            let text = whole.dropFirst(Int.random(in: 0...min(2, whole.count), using: &generator))
            #expect(SentenceMerges.clauseMarks(text) == SentenceMerges.clauseMarksByCharacters(text), "\(Array(text.unicodeScalars))")
        }
    }

    static let abbreviationLists = [
        SentenceSegmenter.beforeNumber, SentenceSegmenter.englishNonFinal, SentenceSegmenter.spanishNonFinal,
        SentenceSegmenter.englishAmbiguous, SentenceSegmenter.spanishAmbiguous,
    ]

    /// Words before a period, lower-cased as `boundaryAfterPeriod` lower-cases them: the filter
    /// rules out only words no list holds, and the other two shortcuts read as the library.
    @Test func periodWordShortcutsAreTheLibrarys() {
        var generator = Generator(state: 17)
        let listed = Array(Self.abbreviationLists.joined())
        let pieces = listed + listed.map { $0.uppercased() } + [".", ".", "a", "s", "Ñ", "é", "x", "9", "\u{301}", "ﬁ", "İ"]
        var found = 0
        for _ in 0..<20_000 {
            let word = Self.text(from: pieces, upTo: 3, &generator)
            let lower = SentenceSegmenter.isASCIILowercase(word) ? word : word.lowercased()
            #expect(lower == word.lowercased())
            #expect(SentenceSegmenter.hasShortParts(lower) == lower.split(separator: ".").allSatisfy { $0.count <= 2 })
            if Self.abbreviationLists.contains(where: { $0.contains(lower) }) {
                found += 1
                #expect(SentenceSegmenter.mayBeAbbreviation(lower), "\(word)")
            }
        }
        #expect(found > 1_000)
    }
}
