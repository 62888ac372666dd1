import BitextCore
import Testing
@testable import BitextIngest

/// Ingests an HTML string (UTF-8) with the given policy.
func ingestHTML(_ html: String, boilerplate: BoilerplatePolicy = .remove, path: String = "page.html") throws -> Document {
    try HTMLIngest.document(from: Array(html.utf8), file: InputFile(path: path), options: HTMLIngestOptions(boilerplate: boilerplate))
}

func page(_ body: String, lang: String = "en") -> String {
    "<!DOCTYPE html><html lang=\"\(lang)\"><head><title>T</title></head><body>\(body)</body></html>"
}

@Suite struct HTMLIngestStructureTests {
    @Test func documentTextIsTheBlocksJoinedByBlankLines() throws {
        let doc = try ingestHTML(page("<h1>Title</h1><p>One.</p><p>Two.</p>"))
        #expect(doc.text == "Title\n\nOne.\n\nTwo.")
        #expect(doc.blockTexts == ["Title", "One.", "Two."])
        for block in doc.blocks { #expect(String(doc.text(of: block.range)) == doc.text(ofBlock: doc.blocks.firstIndex(of: block)!)) }
    }

    @Test func headingsKeepTheirLevel() throws {
        let doc = try ingestHTML(page("<h1>A</h1><h2>B</h2><h3>C</h3><h6>F</h6>"))
        #expect(doc.blocks.map(\.kind) == [.heading, .heading, .heading, .heading])
        #expect(doc.blocks.map(\.level) == [1, 2, 3, 6])
    }

    @Test func nestedListsKeepDepthAndMarkers() throws {
        let doc = try ingestHTML(
            page("""
                <ul><li>one<ul><li>one.a</li><li>one.b<ol start="3"><li>deep</li><li>deeper</li></ol></li></ul></li>
                <li><p>two</p><p>two, second paragraph</p></li></ul>
                <ol type="a"><li>alpha</li><li value="5">echo</li></ol>
                """))
        #expect(doc.blockTexts == ["one", "one.a", "one.b", "deep", "deeper", "two", "two, second paragraph", "alpha", "echo"])
        #expect(doc.blocks.map(\.kind).allSatisfy { $0 == .listItem })
        #expect(doc.blocks.map(\.level) == [1, 2, 2, 3, 3, 1, 1, 1, 1])
        #expect(doc.blocks.map(\.marker) == ["•", "•", "•", "3.", "4.", "•", nil, "a.", "e."])
    }

    @Test func definitionListsQuotesPreformattedCaptionsAddresses() throws {
        let doc = try ingestHTML(
            page("""
                <dl><dt>Term</dt><dd>Meaning</dd></dl>
                <blockquote><p>Quoted one.</p><p>Quoted two.</p></blockquote>
                <pre>
                line 1
                    indented  twice
                </pre>
                <figure><img src="x.png" alt="x"><figcaption>Figure 1. A caption</figcaption></figure>
                <address>UN Plaza<br>New York</address>
                """))
        #expect(
            doc.blocks.map(\.kind) == [
                .definitionTerm, .definitionDescription, .quote, .quote, .preformatted, .caption, .address,
            ])
        #expect(doc.text(ofBlock: 4) == "line 1\n    indented  twice")
        #expect(doc.text(ofBlock: 6) == "UN Plaza\nNew York")
    }

    @Test func tableCellsRecordRowAndColumn() throws {
        let doc = try ingestHTML(
            page("""
                <table><caption>Votes</caption>
                <tr><th>Country</th><th>Vote</th><th>Notes</th></tr>
                <tr><td rowspan="2">Chile</td><td>Yes</td><td>—</td></tr>
                <tr><td colspan="2">Abstained</td></tr>
                <tr><td>Perú</td><td></td><td>Late</td></tr>
                </table>
                """))
        #expect(doc.blocks.first?.kind == .caption)
        let cells = doc.blocks.enumerated().filter { $0.element.kind == .tableCell }
        let positions = cells.map { "\(doc.text(ofBlock: $0.offset))@\($0.element.attributes["row"]!),\($0.element.attributes["column"]!)" }
        #expect(positions == ["Country@1,1", "Vote@1,2", "Notes@1,3", "Chile@2,1", "Yes@2,2", "—@2,3", "Abstained@3,2", "Perú@4,1", "Late@4,3"])
        #expect(cells[0].element.attributes["header"] == "true")
        #expect(cells[6].element.attributes["colspan"] == "2")
    }

    @Test func looseTextInContainersBecomesBlocks() throws {
        let doc = try ingestHTML(page("<div>Loose text<p>Para</p>tail text</div><section>Section text</section>"))
        #expect(doc.blockTexts == ["Loose text", "Para", "tail text", "Section text"])
        #expect(doc.blocks.map(\.kind).allSatisfy { $0 == .paragraph })
    }

    @Test func elementPathsAndLines() throws {
        let doc = try ingestHTML(
            "<html><body>\n<main>\n<article>\n<p>one</p>\n<p>two</p>\n<p>three</p>\n<ul><li>item</li></ul></article></main></body></html>")
        #expect(doc.blocks.map { $0.attributes["element_path"]! } == [
            "body/main/article/p[1]", "body/main/article/p[2]", "body/main/article/p[3]", "body/main/article/ul/li",
        ])
        #expect(doc.blocks.map(\.position.line) == [4, 5, 6, 7])
        #expect(doc.blocks.allSatisfy { $0.position.column == 1 })
    }
}

@Suite struct HTMLIngestInlineTests {
    @Test("Inline elements join with the spacing a reader sees", arguments: [
        ("<p>one<b>two</b> <span>three</span>\n   four</p>", "onetwo three four"),
        ("<p><b>Bold</b><i> italic</i> and <a href='x'>link</a>.</p>", "Bold italic and link."),
        ("<p>  spaced   out  </p>", "spaced out"),
        ("<p>a <span> </span> b</p>", "a b"),
        ("<p>10&nbsp;%  y&#160;&nbsp; más</p>", "10\u{00A0}% y\u{00A0}más"),
        ("<p>co&shy;operate and co\u{00AD}operation</p>", "cooperate and cooperation"),
        ("<p>&eacute;t&eacute; &amp; &#x201C;quoted&#8221; &lt;tag&gt;</p>", "été & “quoted” <tag>"),
        ("<p>line one<br>line two <br/> line three</p>", "line one\nline two\nline three"),
    ])
    func spacing(html: String, expected: String) throws {
        #expect(try ingestHTML(page(html)).blockTexts == [expected])
    }

    @Test func doubleLineBreaksEndTheParagraph() throws {
        #expect(try ingestHTML(page("<div>First part<br><br>Second part<br>\n<br>Third</div>")).blockTexts == ["First part", "Second part", "Third"])
    }

    @Test func boldItalicCodeAndLinksBecomeMarks() throws {
        let doc = try ingestHTML(page("<p>Read <b>this</b>, <em>that</em> and <code>ls -l</code> at <a href=\"https://un.org\">the UN</a>.</p>"))
        let marks = doc.marks.map { ($0.kind, String(doc.text(of: $0.range)), $0.href) }
        #expect(marks.map(\.0) == [.bold, .italic, .code, .link])
        #expect(marks.map(\.1) == ["this", "that", "ls -l", "the UN"])
        #expect(marks[3].2 == "https://un.org")
    }

    @Test func footnoteReferencesPointAtTheirNotes() throws {
        let doc = try ingestHTML(
            page("""
                <main><p>Peace in Haiti<sup><a href="#fn1" id="r1">1</a></sup> and the region <sup><a href="#fn2" id="r2">[2]</a></sup>.</p>
                <hr><ol class="footnotes"><li id="fn1">Colombia's statement. <a href="#r1">↩</a></li>
                <li id="fn2"><p>2. Argentina's statement.</p></li></ol></main>
                """))
        #expect(doc.blocks.map(\.kind) == [.paragraph, .footnote, .footnote])
        #expect(doc.blocks[1].marker == "1")
        #expect(doc.blocks[2].marker == "2")
        // Reference numbers and back links stay in the text but not in the reader's view.
        #expect(String(doc.text(of: doc.blocks[0].range)) == "Peace in Haiti1 and the region [2].")
        #expect(doc.text(ofBlock: 0) == "Peace in Haiti and the region.")
        #expect(doc.text(ofBlock: 1) == "Colombia's statement.")
        #expect(doc.text(ofBlock: 2) == "Argentina's statement.")
        let references = doc.marks.filter { $0.kind == .footnoteReference }
        #expect(references.map(\.value) == ["1", "2"])
        #expect(references.map(\.target) == [1, 2])
        #expect(references.map { String(doc.text(of: $0.range)) } == ["1", "[2]"])
    }

    @Test func languageHints() throws {
        let doc = try ingestHTML(
            """
            <html lang="en-GB"><head><link rel="alternate" hreflang="es" href="https://example.org/es/">
            <link rel="alternate" hreflang="x-default" href="https://example.org/"></head>
            <body><p>English.</p><p lang="es-ES">Español.</p><div xml:lang="fr"><p>Français.</p></div></body></html>
            """)
        #expect(doc.languageHints.contains(LanguageHint(source: .documentAttribute, language: "en")))
        #expect(doc.languageHints.contains(LanguageHint(source: .alternate, language: "es", href: "https://example.org/es/")))
        #expect(doc.languageHints.contains(LanguageHint(source: .elementAttribute, language: "es", block: 1)))
        #expect(doc.languageHints.contains(LanguageHint(source: .elementAttribute, language: "fr", block: 2)))
        #expect(!doc.languageHints.contains { $0.block == 0 })
        #expect(doc.blocks[1].attributes["lang_hint"] == "es")
    }

    @Test func scriptsStylesCommentsAndHiddenContentAreDroppedAndReported() throws {
        let doc = try ingestHTML(
            page("""
                <script>var secret = 1;</script><style>p { color: red }</style><noscript>Enable JS</noscript>
                <template><p>tmpl</p></template><!-- a comment -->
                <p>Visible.</p><p hidden>Hidden attr.</p><p aria-hidden="true">Aria hidden.</p>
                <p style="display: none">Display none.</p><p>Also <span style="visibility:hidden">not</span>visible.</p>
                """), boilerplate: .keep)
        #expect(doc.blockTexts == ["Visible.", "Also visible."])
        let reasons = doc.removed.map(\.reason)
        for reason in ["script", "style", "noscript", "template", "comment", "hidden"] { #expect(reasons.contains(reason)) }
        #expect(doc.removed.filter { $0.reason == "hidden" }.count == 4)
        #expect(doc.removed.first { $0.reason == "comment" }?.excerpt == "a comment")
    }
}

@Suite struct HTMLIngestBoilerplateTests {
    static let site = """
        <!DOCTYPE html><html lang="en"><head><title>Statement</title></head><body>
        <a class="skip" href="#content">Skip to content</a>
        <div id="cookie-banner">We use cookies. <button>Accept</button></div>
        <header><div class="logo">United Nations</div><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav></header>
        <main id="content">
          <h1>Statement on Haiti</h1>
          <p>The Security Council met today to discuss the situation in Haiti and the mission.</p>
          <div class="share-buttons"><a href="#">Share on X</a> <a href="#">Email</a></div>
        </main>
        <aside><h2>Related</h2><ul><li><a href="/a">Other story</a></li></ul></aside>
        <footer><p>© 2024 United Nations. All rights reserved.</p></footer>
        </body></html>
        """

    @Test func removesSiteChromeAroundMainAndSaysWhy() throws {
        let doc = try ingestHTML(Self.site)
        #expect(doc.blockTexts == ["Statement on Haiti", "The Security Council met today to discuss the situation in Haiti and the mission."])
        let reasons = Set(doc.removed.map(\.reason))
        #expect(reasons.isSuperset(of: ["share_widget"]))
        #expect(doc.removed.contains { $0.excerpt.contains("Skip to content") })
        #expect(doc.removed.contains { $0.excerpt.contains("We use cookies") })
        #expect(doc.removed.contains { $0.excerpt.contains("© 2024") && $0.reason == "site_footer" })
        #expect(doc.removed.allSatisfy { $0.elementPath != nil })
    }

    @Test func keepPolicyKeepsEverythingVisible() throws {
        let doc = try ingestHTML(Self.site, boilerplate: .keep)
        let texts = doc.blockTexts
        for expected in ["Skip to content", "United Nations", "Home", "Statement on Haiti", "Share on X Email", "Other story", "© 2024 United Nations. All rights reserved."] {
            #expect(texts.contains(expected), "missing \(expected)")
        }
        #expect(!doc.removed.contains { $0.reason != "form_control" })
    }

    @Test func classAndRoleNamesIdentifyChromeWithoutMain() throws {
        let doc = try ingestHTML(
            page("""
                <div role="navigation"><a href="/">Home</a> | <a href="/about">About</a></div>
                <div class="breadcrumbs"><a href="/">Home</a> › <a href="/docs">Docs</a></div>
                <div class="content"><h1>Guía de instalación</h1>
                <p>Este documento explica cómo instalar el sistema en un equipo nuevo, paso a paso, con todas las opciones.</p>
                <p>Short one.</p></div>
                <div id="sidebar"><p>Sidebar text</p></div>
                """, lang: "es"))
        #expect(doc.blockTexts == ["Guía de instalación", "Este documento explica cómo instalar el sistema en un equipo nuevo, paso a paso, con todas las opciones.", "Short one."])
        #expect(Set(doc.removed.map(\.reason)) == ["navigation", "breadcrumbs", "aside"])
    }

    @Test func linkDenseEdgesAreTrimmedButHeadingsAndTablesStay() throws {
        let doc = try ingestHTML(
            page("""
                <div><a href="/1">Inicio</a></div><div><a href="/2">Noticias</a></div><div><a href="/3">Contacto</a></div>
                <h1>Informe anual</h1>
                <p>El informe describe las actividades de la organización durante el año y los resultados obtenidos en cada programa.</p>
                <table><tr><th>Año</th><th>Total</th></tr><tr><td>2023</td><td>15</td></tr></table>
                <p>See <a href="/a">one</a>, <a href="/b">two</a> and <a href="/c">three</a>.</p>
                <div><a href="/x">Privacidad</a></div><div><a href="/y">Términos</a></div>
                """, lang: "es"))
        #expect(doc.blockTexts == ["Informe anual", "El informe describe las actividades de la organización durante el año y los resultados obtenidos en cada programa.", "Año", "Total", "2023", "15", "See one, two and three."])
        #expect(doc.removed.filter { $0.reason.hasPrefix("edge_boilerplate") }.count == 5)
    }

    @Test func footnotesInAFooterAreKept() throws {
        let doc = try ingestHTML(
            page("""
                <article><p>Text<sup><a href="#n1">1</a></sup>.</p></article>
                <footer><div id="n1">1 The note.</div><p>Site footer</p></footer>
                """))
        #expect(doc.blocks.map(\.kind) == [.paragraph, .footnote])
        #expect(doc.text(ofBlock: 1) == "The note.")
    }
}

@Suite struct HTMLIngestEncodingTests {
    static func ingest(_ bytes: [UInt8]) throws -> Document {
        try HTMLIngest.document(from: bytes, file: InputFile(path: "enc.html"), options: HTMLIngestOptions())
    }

    static let latin1Body: [UInt8] = Array("<p>Espa".utf8) + [0xF1] + Array("a y Per".utf8) + [0xFA] + Array(" ".utf8) + [0x93] + Array("hola".utf8) + [0x94] + Array("</p>".utf8)

    @Test func utf8WithBOM() throws {
        let doc = try Self.ingest([0xEF, 0xBB, 0xBF] + Array("<p>España</p>".utf8))
        #expect(doc.blockTexts == ["España"])
        #expect(doc.source.encoding == "utf-8")
    }

    @Test func utf16WithBOM() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "<html><body><p>Perú ¿qué?</p></body></html>".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let doc = try Self.ingest(bytes)
        #expect(doc.blockTexts == ["Perú ¿qué?"])
        #expect(doc.source.encoding == "utf-16le")
    }

    @Test func declaredLatin1ThatIsReallyUTF8() throws {
        let html = #"<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"></head><body><p>España y Perú</p></body></html>"#
        let doc = try Self.ingest(Array(html.utf8))
        #expect(doc.blockTexts == ["España y Perú"])
        #expect(doc.diagnostics.contains { $0.message.contains("declares charset iso-8859-1") })
    }

    @Test func declaredUTF8ThatIsReallyWindows1252() throws {
        let bytes = Array(#"<html><head><meta charset="utf-8"></head><body>"#.utf8) + Self.latin1Body + Array("</body></html>".utf8)
        let doc = try Self.ingest(bytes)
        #expect(doc.blockTexts == ["España y Perú “hola”"])
        #expect(doc.source.encoding == "windows-1252")
    }

    @Test func undeclaredWindows1252IsDetected() throws {
        let doc = try Self.ingest(Self.latin1Body)
        #expect(doc.blockTexts == ["España y Perú “hola”"])
    }

    @Test func declaredWindows1252() throws {
        let bytes = Array(#"<meta charset="windows-1252">"#.utf8) + Self.latin1Body
        let doc = try Self.ingest(bytes)
        #expect(doc.blockTexts == ["España y Perú “hola”"])
        #expect(!doc.diagnostics.contains { $0.message.contains("declares") })
    }

    @Test func charsetDeclarations() {
        #expect(HTMLCharset.declared(in: Array(#"<meta charset="UTF-8">"#.utf8)) == "utf-8")
        #expect(HTMLCharset.declared(in: Array("<META HTTP-EQUIV='Content-Type' CONTENT='text/html;charset=iso-8859-1'>".utf8)) == "iso-8859-1")
        #expect(HTMLCharset.declared(in: Array(#"<?xml version="1.0" encoding="windows-1252"?><html>"#.utf8)) == "windows-1252")
        #expect(HTMLCharset.declared(in: Array("<p>charset=utf-8 in text</p>".utf8)) == nil)
    }
}

@Suite struct HTMLIngestConcurrencyTests {
    @Test func ingestsManyPagesInParallel() async throws {
        let results = try await withThrowingTaskGroup(of: [String].self) { group in
            for i in 0..<48 {
                group.addTask {
                    try ingestHTML(page("<h1>Page \(i)</h1><ul><li>a</li><li>b</li></ul><p>End \(i).</p>")).blockTexts
                }
            }
            return try await group.reduce(into: [[String]]()) { $0.append($1) }
        }
        #expect(results.count == 48)
        #expect(results.allSatisfy { $0.count == 4 })
    }
}
