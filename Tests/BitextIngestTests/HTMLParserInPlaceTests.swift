import BitextHTML
import Foundation
import PropertyBased
import Testing

/// `HTMLParser.parse(_: String)` lets libxml2 read the string's storage in place;
/// `parse(utf8:)` has libxml2 copy the bytes into its own input buffer (the path every page
/// took before). Both must build the same tree, diagnostics included.
@Suite struct HTMLParserInPlaceTests {
    static func expectSameTree(_ text: String, _ comment: Comment? = nil) throws {
        let inPlace = try HTMLParser.parse(text)
        let copied = try HTMLParser.parse(utf8: Array(text.utf8))
        expectEqual(inPlace, copied, comment)
    }

    static func expectEqual(_ a: HTMLTree, _ b: HTMLTree, _ comment: Comment? = nil) {
        #expect(a.nodes == b.nodes, comment)
        #expect(a.attributes == b.attributes, comment)
        #expect(a.text == b.text, comment)
        #expect(a.extraNames == b.extraNames, comment)
        #expect(a.diagnostics == b.diagnostics, comment)
    }

    /// Markup, recovery cases, entities, non-ASCII text, NULs, CRs, a BOM and a UTF-16-looking
    /// start (which libxml2's own detection turns into an encoding switch), with long text
    /// pieces so that the parser's input grows and shrinks past its 250-byte chunks.
    static let pieces = [
        "<p>", "</p>", "<div class=\"nav\">", "</div>", "<b>", "</i>", "<table><tr><td colspan=2>", "<br>",
        "<!-- note -->", "<script>if (a < b) x();</script>", "<a href=\"#n1\">1</a>", "&amp;", "&eacute;", "&#x1F50E;",
        "&bogus;", "<", ">", "\"", "ñandú ", "🔎\u{FE0E}", "\u{00A0}", "\r\n", "\n", "\0", "\u{FEFF}", "<\0?\0",
        "<html lang=es><head><title>t</title></head><body>", "</body></html>", "<p title='unclosed>",
        "<unknown-tag data-x=1>", "<svg><path d=\"M0\"/></svg>", "<![CDATA[x]]>", "<?pi x?>", "<!DOCTYPE html>",
        String(repeating: "palabra ", count: 40), String(repeating: "ü", count: 300),
    ]

    @Test func inPlaceParseMatchesTheCopyingParse() async {
        let pages = Gen.element(of: Self.pieces).array(of: 0...120).map { $0.compactMap { $0 }.joined() }
        await propertyCheck(count: 300, input: pages) { page in
            try Self.expectSameTree(page)
        }
    }

    @Test func samplesParseTheSameInPlace() throws {
        let samples = try FileManager.default.contentsOfDirectory(atPath: sampleURL("").path).filter { $0.hasSuffix(".html") }
        #expect(!samples.isEmpty)
        for name in samples {
            let text = String(decoding: try Data(contentsOf: sampleURL(name)), as: UTF8.self)
            try Self.expectSameTree(text, Comment(rawValue: name))
        }
    }

    @Test("Edge inputs parse the same in place", arguments: [
        "", "<", "abc", "\u{FEFF}<p>bom", "\u{FEFF}\u{FEFF}<p>two", "<\0?\0x", "\0<\0?", "\u{FEFF}<\0?\0", "\u{FEFF}\u{FEFF}<\0?\0x", "\u{FEFF}\0<\0?x", "<\0?", "<p>\0</p>", "<?xml version=\"1.0\"?><p>x",
    ])
    func edgeInputs(_ text: String) throws {
        try Self.expectSameTree(text)
    }
}
