import Testing

@testable import BitextAlign

/// Every string of up to a few pieces: each byte-level shortcut of the segmenter and of the
/// sentence merges answers as the Character-level code it stands for (accents, NFD marks,
/// CR LF, no-break spaces, tabs, U+2028, ligatures, other scripts' digits and capitals).
@Suite struct ShortcutEquivalenceTests {
    /// Every concatenation of up to `count` of `pieces` (repeats allowed), the empty one first.
    static func strings(from pieces: [String], upTo count: Int) -> [String] {
        var all = [""]
        var last = [""]
        for _ in 0..<count {
            last = last.flatMap { prefix in pieces.map { prefix + $0 } }
            all += last
        }
        return all
    }

    static let numberingPieces = [
        "1", "2", "9", "0", "12", "A", "Z", "I", "V", "X", "L", "C", "M", ".", "a", "É", "Ⅳ", "２", "١", "\u{301}",
        "-", " ", "\r", "\n", "\r\n", "\t", "\u{A0}", "ª",
    ]

    @Test func numberingByBytesIsByCharacters() {
        for word in Self.strings(from: Self.numberingPieces, upTo: 3) {
            #expect(SentenceSegmenter.isNumbering(word) == SentenceSegmenter.isNumberingByCharacters(word), "\(Array(word.unicodeScalars))")
        }
    }

    static let clausePieces = [
        ",", ";", ":", " ", "\n", "\r\n", "\r", "and", "AND", "And", "y", "Y", "e", "u", "ni", "nor", "or", "orange",
        "a", "b1", "ñ", "á", "\u{301}", "\u{A0}", "\t", "\u{2028}", "x", "ﬁ", "nor\u{301}", "1,5", "10:30",
    ]

    @Test func clauseMarksByBytesAreByCharacters() {
        for whole in Self.strings(from: Self.clausePieces, upTo: 3) {
            // Also a slice from the second Character on, as sentences are slices of their document.
            for text in [Substring(whole), whole.dropFirst()] {
                #expect(SentenceMerges.clauseMarks(text) == SentenceMerges.clauseMarksByCharacters(text), "\(Array(text.unicodeScalars))")
            }
        }
    }

    static let abbreviationLists = [
        SentenceSegmenter.beforeNumber, SentenceSegmenter.englishNonFinal, SentenceSegmenter.spanishNonFinal,
        SentenceSegmenter.englishAmbiguous, SentenceSegmenter.spanishAmbiguous,
    ]

    /// Words before a period, lower-cased as `boundaryAfterPeriod` lower-cases them: the filter
    /// rules out only words no list holds, and the other two shortcuts read as the library.
    @Test func periodWordShortcutsAreTheLibrarys() {
        let listed = Array(Self.abbreviationLists.joined())
        let pieces = listed + listed.map { $0.uppercased() } + [".", "a", "s", "Ñ", "é", "x", "9", "\u{301}", "ﬁ", "İ"]
        var found = 0
        for word in Self.strings(from: pieces, upTo: 2) {
            let lower = SentenceSegmenter.isASCIILowercase(word) ? word : word.lowercased()
            #expect(lower == word.lowercased())
            #expect(SentenceSegmenter.hasShortParts(lower) == lower.split(separator: ".").allSatisfy { $0.count <= 2 })
            if Self.abbreviationLists.contains(where: { $0.contains(lower) }) {
                found += 1
                #expect(SentenceSegmenter.mayBeAbbreviation(lower), "\(word)")
            }
        }
        #expect(found > 500)
    }
}
