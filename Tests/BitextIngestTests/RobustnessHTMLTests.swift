import BitextCore
import Foundation
import Testing

@testable import BitextIngest

/// Hostile HTML: nesting deep enough to overflow a recursive walker, entity-expansion bombs,
/// and markup soup. Each must give a document (or a clear error naming the file) quickly,
/// with the document invariants intact.
@Suite struct HTMLRobustnessTests {
    private func ingest(_ html: String, name: String = "page.html") throws -> Document {
        let document = try HTMLIngest.document(from: Array(html.utf8), file: InputFile(path: name), options: HTMLIngestOptions())
        #expect(Invariants.structuralProblems(in: document) == [])
        #expect(Invariants.unaccountedText(in: document).map(\.text) == [])
        return document
    }

    /// libxml2 stops at 256 open elements (HTML_PARSE_HUGE is not set): up to that depth
    /// everything is kept; deeper, the text before the cut is kept and a warning names the
    /// file, the line and the loss. No depth crashes or overflows the stack.
    @Test(arguments: [200, 5_000, 100_000])
    func deeplyNestedHTMLNeverCrashesAndNeverLosesTextSilently(depth: Int) throws {
        for tag in ["div", "b", "blockquote", "li"] {
            let html = "<html><body><p>Before.</p>" + String(repeating: "<\(tag)>", count: depth) + "Deep text." + String(repeating: "</\(tag)>", count: depth) + "<p>After.</p></body></html>"
            let document = try ingest(html, name: "deep.html")
            let texts = document.blockTexts.joined(separator: " ")
            #expect(texts.contains("Before."), "\(tag) × \(depth)")
            let kept = texts.contains("Deep text.") && texts.contains("After.")
            let warned = document.diagnostics.contains { $0.file == "deep.html" && $0.message.contains("the rest of the page is lost") }
            #expect(kept || warned, "\(tag) × \(depth): text lost without a warning")
            if depth <= 250 || tag == "li" { #expect(kept, "\(tag) × \(depth)") }
        }
    }

    @Test func entityExpansionBombIsNotExpanded() throws {
        // "Billion laughs": ten levels of ten references, 10^10 characters if expanded.
        var doctype = "<!DOCTYPE html [\n<!ENTITY lol0 \"lol\">\n"
        for level in 1...9 {
            doctype += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">\n"
        }
        doctype += "]>\n"
        let html = doctype + "<html><body><p>Start &lol9; end.</p><p>Next paragraph.</p></body></html>"
        let started = Date()
        let document = try ingest(html, name: "bomb.html")
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(document.text.utf8.count < 10_000, "entities were expanded")
        #expect(document.blockTexts.contains { $0.contains("Next paragraph.") })
    }

    @Test func externalEntitiesAreNeverFetched() throws {
        let html = "<!DOCTYPE html [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><html><body><p>A &xxe; B</p></body></html>"
        let document = try ingest(html, name: "xxe.html")
        #expect(!document.text.contains("root:"))
    }

    @Test func tagSoupAndBinaryInHTMLAreHandled() throws {
        for html in ["<p>unclosed <b>bold <i>italic</p><p>next", "</p></p></div><p>stray closers</p>", "<p>\u{0}NUL\u{0}</p><p>ok</p>", "<<<>>><p>x</p>", "<table><tr><td><table><tr><td>nested cell</td></tr></table></td></tr></table>"] {
            let document = try ingest(html)
            #expect(!document.blocks.isEmpty, "\(html)")
        }
    }
}
