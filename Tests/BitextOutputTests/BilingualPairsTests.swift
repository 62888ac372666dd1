import BitextTestSupport
import Foundation
import Testing

@testable import BitextOutput

/// The segment joins of the TMX and Moses writers read bytes where they can; these check them
/// against the Character-by-Character splits they replace, on text built to hold every kind of
/// line break, CR LF pairs, combining marks after a break, and the separators' look-alikes.
@Suite struct BilingualPairsTests {
    /// Pieces the generated texts are made of.
    static let pieces = [
        "a", "Año", " ", "  ", "\n", "\r", "\r\n", "\n\r", "\t", "\u{0B}", "\u{0C}", "\u{2028}", "\u{2029}", "\u{2026}", "\u{00A0}",
        "\u{0301}", "e\u{0301}", "€", "🇪🇸", "\u{3000}", "x y",
    ]

    static func text(_ random: inout SplitMix64) -> String {
        (0..<random.below(9)).map { _ in pieces[random.below(pieces.count)] }.joined()
    }

    /// The join as it was: every part split by Characters.
    static func referenceJoin(_ parts: [String]) -> String {
        parts.map { $0.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ") }
            .joined(separator: " ")
    }

    /// The Moses line as it was: split by Characters, each piece trimmed.
    static func referenceLine(_ text: String) -> String {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\u{2028}" || $0 == "\u{2029}" || $0 == "\u{0B}" || $0 == "\u{0C}" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    @Test(arguments: 0..<8)
    func joinIsTheCharacterSplits(seed: Int) {
        var random = SplitMix64(seed: UInt64(seed) &+ 4_242)
        for _ in 0..<400 {
            let parts = (0..<(1 + random.below(3))).map { _ in Self.text(&random) }
            #expect(BilingualPairs.join(parts) == Self.referenceJoin(parts), "\(parts.map { Array($0.unicodeScalars) })")
        }
    }

    @Test(arguments: 0..<8)
    func mosesLineIsTheCharacterSplits(seed: Int) {
        var random = SplitMix64(seed: UInt64(seed) &+ 9_001)
        for _ in 0..<400 {
            let text = Self.text(&random)
            #expect(MosesWriter.line(text) == Self.referenceLine(text), "\(Array(text.unicodeScalars))")
        }
    }

    @Test func aSegmentWithoutBreaksIsItsParts() {
        #expect(BilingualPairs.join(["One sentence."]) == "One sentence.")
        #expect(BilingualPairs.join(["One.", "Two."]) == "One. Two.")
        #expect(BilingualPairs.join(["Line\none", "two\n\nthree"]) == "Line one two three")
        #expect(!BilingualPairs.containsLineBreak("Año 2024 — €"))
        #expect(BilingualPairs.containsLineBreak("a\rb"))
    }
}
