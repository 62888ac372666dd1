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
        let names = tree.nodes.indices.filter { tree.nodes[$0].isElement }.map { tree.name(of: $0) }
        #expect(names == ["html", "body", "p", "b"])
        let html = try #require(tree.root)
        #expect(tree.attribute("lang", of: html) == "es")
        let p = try #require(tree.nodes.firstIndex { $0.name == .p })
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
        let p = try #require(tree.nodes.first { $0.name == .p })
        #expect(p.line == 4)
    }

    @Test func parsesConcurrently() async throws {
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<64 {
                group.addTask {
                    let html = "<html lang=en><body>" + String(repeating: "<p>paragraph \(i) <i>x</i></p>\n", count: 200)
                    return try HTMLParser.parse(html).nodes.filter { $0.name == .p }.count
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
        // Depth stops at 256 elements; deeper ones are flattened and reported, text kept.
        var deepest = 0
        for i in tree.nodes.indices {
            var depth = 0
            var k = Int(tree.nodes[i].parent)
            while k >= 0 {
                depth += 1
                k = Int(tree.nodes[k].parent)
            }
            deepest = max(deepest, depth)
        }
        #expect(deepest <= 256)
        #expect(tree.nodes.contains { $0.kind == .text && String(decoding: tree.content(of: tree.nodes.firstIndex(of: $0)!), as: UTF8.self) == "deep" })
        #expect(tree.diagnostics.contains { $0.code == HTMLDiagnostic.flattenedNesting })
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
        #expect(tree.nodes.contains { $0.name == .p })
    }
}


@Suite struct HTMLNameTests {
    @Test func unknownNamesAreInternedPerTreeAndSpelledBack() throws {
        let tree = try HTMLParser.parse(#"<body><my-widget data-x="1 &amp; 2"><my-widget>t</my-widget></my-widget><p data-x="y">"#)
        let widgets = tree.nodes.indices.filter { tree.name(of: $0) == "my-widget" }
        #expect(widgets.count == 2)
        #expect(tree.nodes[widgets[0]].name == tree.nodes[widgets[1]].name)
        #expect(!tree.nodes[widgets[0]].name.isKnown)
        #expect(tree.attribute("data-x", of: widgets[0]) == "1 & 2")
        let p = try #require(tree.nodes.firstIndex { $0.name == .p })
        #expect(tree.attribute("data-x", of: p) == "y")
        #expect(tree.attribute("data-y", of: p) == nil)
        #expect(tree.attribute(.class_, of: p) == nil)
    }

    @Test func thousandsOfDistinctNamesKeepTheirSpelling() throws {
        // More names than the pointer cache has slots: collisions must never swap names.
        let count = 3000
        var html = "<body>"
        for k in 0..<count { html += "<x-\(k) data-a\(k)=\"v\(k)\">t</x-\(k)><p class=c\(k)>p</p>" }
        let tree = try HTMLParser.parse(html)
        var seen = 0
        for i in tree.nodes.indices where tree.nodes[i].isElement {
            let name = tree.name(of: i)
            guard name.hasPrefix("x-") else { continue }
            let k = String(name.dropFirst(2))
            #expect(tree.attribute("data-a" + k, of: i) == "v" + k)
            #expect(tree.attributes(of: i).count == 1)
            seen += 1
        }
        #expect(seen == count)
        #expect(tree.nodes.filter { $0.name == .p }.count == count)
    }

    @Test func textAndCommentsHaveNoElementName() throws {
        let tree = try HTMLParser.parse("<p>x<!-- c --></p>")
        for i in tree.nodes.indices where !tree.nodes[i].isElement {
            #expect(tree.nodes[i].name == .none)
            #expect(tree.name(of: i) == "")
            #expect(tree.attributes(of: i).isEmpty)
        }
    }

    @Test func knownNamesHaveFixedIds() {
        #expect(HTMLName(known: "p") == .p)
        #expect(HTMLName(known: "href") == .href)
        #expect(HTMLName(known: "no-such-element") == nil)
        #expect(Set(HTMLName.known).count == HTMLName.known.count)
        #expect(HTMLName.knownCount == UInt32(HTMLName.known.count))
    }

    @Test("Named constants carry their own spelling's id", arguments: [
        (HTMLName.html, "html"), (.head, "head"), (.body, "body"), (.title, "title"), (.meta, "meta"), (.link, "link"),
        (.base, "base"), (.script, "script"), (.style, "style"), (.noscript, "noscript"), (.template, "template"),
        (.input, "input"), (.div, "div"), (.section, "section"), (.article, "article"), (.main, "main"),
        (.header, "header"), (.footer, "footer"), (.nav, "nav"), (.aside, "aside"), (.ul, "ul"), (.ol, "ol"),
        (.dl, "dl"), (.menu, "menu"), (.dir, "dir"), (.table, "table"), (.tr, "tr"), (.td, "td"), (.th, "th"),
        (.blockquote, "blockquote"), (.p, "p"), (.h1, "h1"), (.h2, "h2"), (.h3, "h3"), (.h4, "h4"), (.h5, "h5"),
        (.h6, "h6"), (.li, "li"), (.dt, "dt"), (.dd, "dd"), (.pre, "pre"), (.listing, "listing"), (.xmp, "xmp"),
        (.plaintext, "plaintext"), (.figcaption, "figcaption"), (.caption, "caption"), (.address, "address"),
        (.summary, "summary"), (.legend, "legend"), (.hr, "hr"), (.br, "br"), (.a, "a"), (.sup, "sup"), (.img, "img"),
        (.id_, "id"), (.class_, "class"), (.name_, "name"), (.href, "href"), (.role, "role"), (.lang, "lang"),
        (.xmlLang, "xml:lang"), (.hidden, "hidden"), (.ariaHidden, "aria-hidden"), (.type, "type"), (.rel, "rel"),
        (.hreflang, "hreflang"), (.epubType, "epub:type"), (.reversed, "reversed"), (.start, "start"),
        (.value, "value"), (.colspan, "colspan"), (.rowspan, "rowspan"),
    ])
    func namedConstants(name: HTMLName, spelling: String) {
        #expect(name.knownString == spelling)
        #expect(HTMLName(known: spelling) == name)
    }
}

@Suite struct HTMLParserNameTableTests {
    /// More distinct names than the name table's first size (it grows), known names among
    /// them, each used twice: every node and attribute is named as written, known names get
    /// their fixed ids, and a name keeps one id.
    @Test func manyDistinctNamesKeepTheirSpellingsAndIds() throws {
        let count = 700
        var html = "<html><body>"
        for round in 0..<2 {
            for k in 0..<count { html += "<x-e\(k) data-a\(k)=\"v\" class=\"c\"><p lang=\"en\">t\(round)</p></x-e\(k)>" }
        }
        html += "</body></html>"
        let tree = try HTMLParser.parse(html)
        var idsByName: [String: HTMLName] = [:]
        var customElements = 0
        for index in tree.nodes.indices where tree.nodes[index].kind == .element {
            let node = tree.nodes[index]
            let name = tree.string(of: node.name)
            if let known = HTMLName(known: name) { #expect(node.name == known) }
            if let seen = idsByName[name] { #expect(seen == node.name) } else { idsByName[name] = node.name }
            if name.hasPrefix("x-e") {
                customElements += 1
                let k = name.dropFirst(3)
                #expect(tree.attributes(of: index).map { tree.string(of: $0.name) } == ["data-a\(k)", "class"])
                #expect(tree.attributes(of: index).last?.name == .class_)
            }
        }
        #expect(customElements == 2 * count)
        #expect(Set(tree.extraNames).count == tree.extraNames.count)
    }
}
