import Testing
@testable import BitextHTML

@Suite struct HTMLParserTests {
    /// Concatenated text of the whole tree, in order.
    static func allText(_ tree: HTMLTree) -> String {
        var bytes: [UInt8] = []
        for i in tree.nodes.indices where tree.nodes[i].kind == .text { bytes += tree.content(of: i) }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func copiesElementsTextAndAttributesInOrder() throws {
        let tree = try HTMLParser.parse(#"<html lang="es"><body><p class="a">ñandú <b>pingüino</b></p><!-- c --></body></html>"#)
        let names = tree.nodes.filter(\.isElement).map(\.name)
        #expect(names == ["html", "body", "p", "b"])
        let html = try #require(tree.root)
        #expect(tree.attribute("lang", of: html) == "es")
        let p = try #require(tree.nodes.firstIndex { $0.name == "p" })
        #expect(tree.attribute("class", of: p) == "a")
        #expect(Array(tree.children(of: p)).count == 2)
        #expect(Self.allText(tree) == "ñandú pingüino")
        let comment = try #require(tree.nodes.firstIndex { $0.kind == .comment })
        #expect(String(decoding: tree.content(of: comment), as: UTF8.self) == " c ")
    }

    @Test("Recovers from malformed markup", arguments: [
        ("<p>ñandú<p>pingüino", "ñandúpingüino"),
        ("<p>unclosed <b>bold", "unclosed bold"),
        ("<P>UPPER</P>", "UPPER"),
        ("<p>a &amp; b &lt; c &nbsp;&#233;&eacute;", "a & b < c \u{00A0}éé"),
    ])
    func recovers(html: String, expected: String) throws {
        #expect(Self.allText(try HTMLParser.parse(html)) == expected)
    }

    @Test func subtreeBoundsAreConsistent() throws {
        let tree = try HTMLParser.parse("<div><ul><li>a<li>b</ul><p>c</p></div><p>d")
        for (i, node) in tree.nodes.enumerated() {
            #expect(Int(node.end) > i && Int(node.end) <= tree.nodes.count)
            if node.parent >= 0 {
                let parent = tree.nodes[Int(node.parent)]
                #expect(Int(node.parent) < i && i < Int(parent.end))
            }
        }
    }

    @Test func emptyInputGivesADocumentWithoutContent() throws {
        // libxml2's context API returns a document (and "Document is empty") for zero bytes.
        let tree = try HTMLParser.parse(utf8: [])
        #expect(tree.nodes.allSatisfy { $0.kind != .text })
    }

    @Test func keepsSourceLines() throws {
        let tree = try HTMLParser.parse("<html><body>\n<h1>T</h1>\n\n<p>x</p></body></html>")
        let p = try #require(tree.nodes.first { $0.name == "p" })
        #expect(p.line == 4)
    }

    @Test func parsesConcurrently() async throws {
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<64 {
                group.addTask {
                    let html = "<html lang=en><body>" + String(repeating: "<p>paragraph \(i) <i>x</i></p>\n", count: 200)
                    return try HTMLParser.parse(html).nodes.filter { $0.name == "p" }.count
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(counts == Array(repeating: 200, count: 64))
    }

    @Test func deepNestingDoesNotOverflowTheStack() throws {
        let depth = 100_000
        let html = "<html><body>" + String(repeating: "<div>", count: depth) + "deep" + String(repeating: "</div>", count: depth)
        let tree = try HTMLParser.parse(html)
        // libxml2 may cap the depth; either way we get a tree and no crash.
        #expect(tree.nodes.count > 2)
    }

    @Test func entityDeclarationsInTheDoctypeAreNotExpanded() throws {
        var html = "<!DOCTYPE html [\n<!ENTITY a \"aaaaaaaaaaaaaaaa\">\n"
        for i in 1...9 { html += "<!ENTITY \(Character(UnicodeScalar(97 + i)!)) \"" + String(repeating: "&\(Character(UnicodeScalar(96 + i)!));", count: 10) + "\">\n" }
        html += "]>\n<html><body><p>&j;</p></body></html>"
        let tree = try HTMLParser.parse(html)
        #expect(tree.text.count < 10_000)
    }

    @Test func nulBytesDoNotStopOrCrashTheParser() throws {
        var bytes = Array("<html><body><p>before".utf8)
        bytes += [0, 0]
        bytes += Array("after</p><p>next</p></body></html>".utf8)
        let tree = try HTMLParser.parse(utf8: bytes)
        #expect(tree.nodes.contains { $0.name == "p" })
    }
}
