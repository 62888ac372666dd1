import BitextCore
import Foundation
import PropertyBased
import Testing

@testable import BitextIngest

/// Pieces of plain-text documents as they occur in the wild, including the awkward ones:
/// markup the segmenter strips (list markers, `#`, `**`, `^{1/}`, fences, setext
/// underlines), legacy bytes, control characters, CRLF, no-break spaces, combining marks.
enum TextPieces {
    static let words: [[UInt8]] = [
        "The", "Council", "reaffirms", "its", "commitment", "Año", "niño", "pingüino", "¿Qué?", "¡Sí!", "3.5", "U.S.",
        "Sr.", "etc.", "(a)", "—", "“quoted”", "«citado»", "e\u{301}te", "ﬁn", "日本", "🙂", "x", "A.", "NOTES",
    ].map { Array($0.utf8) }
    static let pieces: [[UInt8]] = words + [
        " ", " ", " ", "  ", "\t", "\n", "\n", "\n", "\n\n", "\r\n", "\r", "\u{A0}", "\u{2028}", ". ", ", ", ": ",
        "\n1. ", "\n2) ", "\n(a) ", "\n- ", "\n• ", "\n  - ", "\n# ", "\n## ", "**", "^{1/}", "^2", "¹", "\n[1] ",
        "\n1/ ", "\n```\n", "\n```swift\n", "\n===\n", "\n---\n", "(Signed) ", "\nFOOTNOTES\n", "ALL CAPS TITLE",
    ].map { Array($0.utf8) } + [[0xE9], [0xF1], [0x80], [0x00], [0x0C], [0x1B], [0xC3], [0xEF, 0xBB, 0xBF]]

    /// A document of up to 120 pieces.
    static let document = Gen.element(of: pieces).array(of: 0...120).map { $0.compactMap { $0 }.flatMap { $0 } }
}

@Suite struct ConservationPropertyTests {
    private func segmented(_ bytes: [UInt8]) -> Document? {
        guard var document = try? PlainTextIngest.document(from: bytes, file: InputFile(path: "generated.txt")) else { return nil }
        PlainTextSegmenter().segment(&document)
        return document
    }

    @Test func everyCharacterIsInABlockOrIsRecordedMarkup() async {
        await propertyCheck(count: 400, input: TextPieces.document) { bytes in
            guard let document = segmented(bytes) else { return }
            #expect(Invariants.structuralProblems(in: document) == [])
            let lost = Invariants.unaccountedText(in: document)
            #expect(lost.isEmpty, "lost \(lost.map(\.text)) from \(String(decoding: bytes, as: UTF8.self).debugDescription)")
        }
    }

    @Test func blockTextsMapBackInsideTheirBlocks() async {
        await propertyCheck(count: 200, input: TextPieces.document) { bytes in
            guard let document = segmented(bytes) else { return }
            for index in document.blocks.indices {
                let content = document.content(ofBlock: index)
                let local = Array(content.text.utf8)
                // Every visible character maps to the same character in the document.
                var i = 0
                while i < local.count {
                    let length = local[i] < 0x80 ? 1 : local[i] < 0xE0 ? 2 : local[i] < 0xF0 ? 3 : 4
                    let mapped = content.documentRange(of: i..<min(i + length, local.count))
                    let original = Array(document.text(of: mapped).utf8)
                    let expected = Array(local[i..<min(i + length, local.count)])
                    #expect(original == expected || (expected == [0x20] && original == [0x0A]), "block \(index) byte \(i)")
                    i += length
                }
            }
        }
    }

    @Test func arbitraryBytesNeverCrashAndKeepTheInvariants() async {
        await propertyCheck(count: 300, input: Gen<UInt8>.value(in: 0...255).array(of: 0...400)) { bytes in
            guard let document = segmented(bytes) else { return }
            #expect(Invariants.structuralProblems(in: document) == [])
            #expect(Invariants.unaccountedText(in: document).map(\.text) == [])
        }
    }

    @Test func cleanUTF8DecodesToItselfWithLineEndsNormalized() async {
        let clean = Gen.element(of: TextPieces.words + [Array(" ".utf8), Array("\n".utf8), Array("\r\n".utf8)]).array(of: 0...60)
            .map { $0.compactMap { $0 }.flatMap { $0 } }
        await propertyCheck(count: 200, input: clean) { bytes in
            let decoded = try TextDecoder.decode(bytes, file: "clean.txt")
            let expected = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n").precomposedStringWithCanonicalMapping
            #expect(Array(decoded.text.utf8) == Array(expected.utf8))
            #expect(decoded.warnings.isEmpty)
            // Line starts map back to line starts in the source.
            let sourceLineStarts = Set([0] + bytes.indices.filter { bytes[$0] == 0x0A }.map { $0 + 1 })
            let text = Array(decoded.text.utf8)
            for start in [0] + text.indices.filter({ text[$0] == 0x0A }).map({ $0 + 1 }) {
                #expect(sourceLineStarts.contains(decoded.offsets.sourceOffset(of: start)))
            }
        }
    }
}
