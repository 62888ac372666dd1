@testable import BitextCore
import Testing

@testable import BitextEntities

/// A document's entities share the storage of equal long normalized values and of equal
/// attributes, but only when the bytes are the same: `String` equality is canonical
/// equivalence, and outputs write the bytes.
@Suite struct SharedEntityValuesTests {
    private static func scanner(_ text: String, _ body: (inout DocumentScanner) -> Void) {
        var copy = text
        copy.withUTF8 { p in
            var scanner = DocumentScanner(p: p, lexicon: Lexicon.shared)
            body(&scanner)
        }
    }

    @Test func longValuesKeepTheirBytes() {
        let composed = "Universidad de Córdoba Central"
        let decomposed = "Universidad de Co\u{301}rdoba Central"
        #expect(composed == decomposed && !composed.utf8.elementsEqual(decomposed.utf8))
        Self.scanner("text") { scanner in
            let first = scanner.stored(composed)
            let other = scanner.stored(decomposed)
            let again = scanner.stored(composed)
            let short = scanner.stored("short")
            #expect(first.utf8.elementsEqual(composed.utf8) && again.utf8.elementsEqual(composed.utf8))
            #expect(other.utf8.elementsEqual(decomposed.utf8))
            #expect(short == "short")
            #expect(scanner.longNormalized.count == 1)
        }
    }

    @Test func attributesAreSharedOnlyWhenByteForByteEqual() {
        #expect(DocumentScanner.sameBytes(["acronym": "GUI"], ["acronym": "GUI"]))
        #expect(!DocumentScanner.sameBytes(["acronym": "GUI"], ["acronym": "GUI", "form": "x"]))
        #expect(!DocumentScanner.sameBytes(["expansion": "Córdoba"], ["expansion": "Co\u{301}rdoba"]))
        #expect(!DocumentScanner.sameBytes(["é": "x"], ["e\u{301}": "x"]))
        Self.scanner("GUI SSH") { scanner in
            scanner.sharesValues = true
            scanner.emitBytes(.organization, 0, 3, normalized: "GUI", attributes: ["acronym": "GUI"])
            scanner.emitBytes(.organization, 0, 3, normalized: "GUI", attributes: ["acronym": "GUI"])
            scanner.emitBytes(.organization, 4, 7, normalized: "SSH", attributes: ["expansion": "Córdoba"])
            scanner.emitBytes(.organization, 4, 7, normalized: "SSH", attributes: ["expansion": "Co\u{301}rdoba"])
            let out = scanner.out
            #expect(out[0].rare === out[1].rare && out[0].attributes == ["acronym": "GUI"])
            #expect(out[2].rare !== out[3].rare)
            #expect(out[2].attributes["expansion"]!.utf8.elementsEqual("Córdoba".utf8))
            #expect(out[3].attributes["expansion"]!.utf8.elementsEqual("Co\u{301}rdoba".utf8))
        }
    }

    /// Sharing is for documents longer than the scanner's `keptTokensLimit`: on short ones its
    /// hashing costs more than it saves.
    @Test(arguments: [(100, false), (4, true)])
    func onlyLongDocumentsShare(keptTokensLimit: Int, shares: Bool) {
        var text = "GUI and SSH"
        text.withUTF8 { p in
            var scanner = DocumentScanner(p: p, lexicon: Lexicon.shared, keptTokensLimit: keptTokensLimit)
            scanner.closedPass([BlockInput(block: 0, start: 0, end: p.count, spanish: nil, isHeading: false, documentSpanish: false)],
                               collectSequences: false)
            #expect(scanner.sharesValues == shares)
            scanner.emitBytes(.organization, 0, 3, normalized: "GUI", attributes: ["acronym": "GUI"])
            scanner.emitBytes(.organization, 0, 3, normalized: "GUI", attributes: ["acronym": "GUI"])
            let count = scanner.out.count
            #expect((scanner.out[count - 2].rare === scanner.out[count - 1].rare) == shares)
            scanner.releaseBuffers()
        }
    }
}
