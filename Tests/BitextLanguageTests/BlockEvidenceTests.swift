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
