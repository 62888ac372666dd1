import BitextCore
import Testing

@testable import BitextLanguage

/// `identify.language` reads a block's evidence from the document's bytes when it can; it must
/// equal the evidence of the block's text (`Document.text(ofBlock:)`) in every case.
@Suite struct BlockEvidenceTests {
    @Test func evidenceFromTheBytesEqualsEvidenceFromTheBlockText() throws {
        var doc = try sampleByBlankLines("bap-mss-statement.en-es.txt")
        // A block whose line breaks fold to spaces, one with an excluded part cut from the
        // middle of a word, and one with an apostrophe before a line break.
        doc = document(doc.blockTexts + ["first line\nsecond line it's", "Tele[[note]]communications y l'\nagua"])
        let n = doc.blocks.count
        doc.blocks[n - 2].foldsLineBreaks = true
        let r = doc.blocks[n - 1].range
        doc.blocks[n - 1].excluded = [TextRange(r.start + 4, r.start + 12)]
        let identifier = LanguageIdentifier.shared
        let expected = doc.blocks.indices.map { identifier.evidence(doc.text(ofBlock: $0)) }
        #expect(IdentifyLanguage.evidence(of: doc, identifier) == expected)
        #expect(doc.text(ofBlock: n - 1).hasPrefix("Telecommunications"))
    }
}

/// `evidences(utf8:)` looks words up in batches; each text's evidence must equal what
/// `evidence(utf8:)` gives it alone, across batch boundaries and for every kind of word.
@Suite struct BatchedEvidenceTests {
    let identifier = LanguageIdentifier.shared

    /// The texts back to back in one buffer, handed over as slices of it (as a document's blocks).
    func batched(_ texts: [String]) -> [LanguageEvidence] {
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        for text in texts {
            ranges.append(bytes.count..<(bytes.count + text.utf8.count))
            bytes.append(contentsOf: text.utf8)
        }
        return bytes.withUnsafeBufferPointer { p in
            identifier.evidences(utf8: ranges.map { UnsafeBufferPointer(rebasing: p[$0]) })
        }
    }

    @Test func equalsOneTextAtATime() throws {
        let statement = try sampleByBlankLines("bap-mss-statement.en-es.txt").blockTexts
        let odd = [
            "", " ", "l'agua d’aigua don't Ñandú ÀÉÎÕÜ × ÷ l·l 😀 naïve Straße İstanbul",
            "Zxqvw blorptastic unfathomablyunknownwords qwertyuiopasdfghjklzxcvbnmqwertyuiopasdfghjklzxcvbnmqwertyuiop",
            "日本語のテキスト и кириллица, ελληνικά",
            "trailing apostrophe' and ’ alone",
        ]
        // One text longer than a batch of words, and one whose unknown words overflow the
        // n-gram batch several times.
        let long = Array(repeating: statement.joined(separator: " "), count: 3).joined(separator: "\n")
        let unknown = (0..<600).map { "xq\($0 % 26)zv" + String(repeating: "k", count: $0 % 40) }.joined(separator: " ")
        let texts = statement + odd + [long, unknown] + statement.reversed()
        let expected = texts.map { identifier.evidence($0) }
        #expect(batched(texts) == expected)
        #expect(batched([long]) == [identifier.evidence(long)])
        #expect(batched([]) == [])
        #expect(expected.contains { $0.letters > 1000 })
    }

    /// Words the word table lacks take their costs from `UnknownWordCosts` once seen: reading
    /// texts again, their words now kept there (or replaced by others that share a slot: half
    /// as many distinct words as slots leave a few hundred sharing one), gives the same
    /// evidence as reading each one alone.
    @Test func unknownWordsKeptGiveTheSameEvidence() {
        let letters = Array("bcdfghjklmnpqrstvwxz")
        func word(_ n: Int) -> String {
            var n = n
            var result = "qy"
            repeat {
                result.append(letters[n % letters.count])
                n /= letters.count
            } while n > 0
            return result
        }
        let distinct = (1 << UnknownWordCosts.slotBits) / 2
        let texts = stride(from: 0, to: distinct, by: 50).map { start in
            (start..<(start + 50)).map(word).joined(separator: " ")
        }
        let expected = texts.map { identifier.evidence($0) }
        #expect(batched(texts) == expected)
        #expect(batched(texts) == expected)
        #expect(batched(texts.reversed()) == expected.reversed())
    }
}
