import BitextCore
import BitextTestSupport
import Testing
@testable import BitextIngest

/// Broken and hostile pages: bitext must never crash or hang, and must say which file it
/// could not read. Inputs are generated here; nothing big is committed.
@Suite struct HTMLHostileInputTests {
    static func ingest(_ bytes: [UInt8], path: String = "hostile.html", maxBytes: Int = 256 << 20) throws -> Document {
        try HTMLIngest.document(from: bytes, file: InputFile(path: path), options: HTMLIngestOptions(maxBytes: maxBytes))
    }

    @Test func truncatedFile() throws {
        let full = page("<h1>Title</h1><p>First paragraph.</p><p>Second paragraph that is cut off in the mid")
        let doc = try Self.ingest(Array(full.utf8.prefix(full.utf8.count - 20)))
        #expect(doc.blockTexts.first == "Title")
        #expect(doc.blockTexts.count == 3)
    }

    @Test func truncatedInsideATag() throws {
        let doc = try Self.ingest(Array("<html><body><p>Kept text.</p><p class=\"unterminated".utf8))
        #expect(doc.blockTexts == ["Kept text."])
    }

    @Test func unclosedTags() throws {
        let doc = try Self.ingest(Array("<html><body><div><p>One<p>Two<ul><li>a<li>b<table><tr><td>cell".utf8))
        #expect(doc.blockTexts == ["One", "Two", "a", "b", "cell"])
    }

    @Test func hundredThousandDeepNesting() throws {
        let depth = 100_000
        let html = "<html><body><p>Before the pit.</p>" + String(repeating: "<div><span>", count: depth) + "deep text"
            + String(repeating: "</span></div>", count: depth) + "<p>After.</p></body></html>"
        // Elements past libxml2's depth limit (256) are flattened into the deepest kept one:
        // nothing exhausts the stack, nothing grows without bound, no text is lost.
        let doc = try Self.ingest(Array(html.utf8))
        #expect(doc.blockTexts == ["Before the pit.", "deep text", "After."])
        #expect(doc.diagnostics.contains { $0.message.contains("flattened") })
        #expect(doc.blocks.allSatisfy { ($0.attributes["element_path"]?.split(separator: "/").count ?? 0) <= 256 })
    }

    @Test func unclosedDeepNestingKeepsItsText() throws {
        let html = String(repeating: "<div>", count: 100_000) + "x"
        #expect(try Self.ingest(Array(html.utf8)).blockTexts == ["x"])
    }

    @Test func deepListNestingKeepsLevels() throws {
        let depth = 100
        let html = "<html><body>" + String(repeating: "<ul><li>x", count: depth) + String(repeating: "</li></ul>", count: depth)
        let doc = try Self.ingest(Array(html.utf8))
        #expect(doc.blocks.count == depth)
        #expect(doc.blocks.last?.level == depth)
    }

    @Test func fiftyMegabyteSingleLinePage() throws {
        // 1,000 paragraphs of 50 KB on one line: a minified page.
        let paragraph = Array(("<p>" + String(repeating: "Peace and <b>security</b> in the region. ", count: 1_220) + "</p>").utf8)
        var bytes = Array("<html><body>".utf8)
        bytes.reserveCapacity(paragraph.count * 1_000 + 100)
        for _ in 0..<1_000 { bytes += paragraph }
        bytes += Array("</body></html>".utf8)
        #expect(bytes.count > 50_000_000)
        #expect(!bytes.contains(0x0A))
        let doc = try Self.ingest(bytes)
        #expect(doc.blocks.count == 1_000)
        #expect(doc.text(ofBlock: 999).hasSuffix("Peace and security in the region."))
        #expect(doc.blocks.allSatisfy { $0.position.line == 1 })
    }

    @Test func nulBytes() throws {
        var bytes = Array("<html><body><p>before".utf8)
        bytes += [0, 0, 0]
        bytes += Array("after</p>\0<p>next\0 para</p></body></html>".utf8)
        let doc = try Self.ingest(bytes)
        #expect(doc.blockTexts == ["beforeafter", "next para"])
    }

    @Test func wrongDeclaredCharset() throws {
        // Declares Shift_JIS, is UTF-8: the bytes win.
        let doc = try Self.ingest(Array(#"<meta charset="shift_jis"><p>Señor Núñez</p>"#.utf8))
        #expect(doc.blockTexts == ["Señor Núñez"])
    }

    @Test func xhtmlWithXMLProlog() throws {
        let xhtml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
            <html xmlns="http://www.w3.org/1999/xhtml" xml:lang="es" lang="es">
            <head><title>Prueba</title></head>
            <body><h1>Título</h1><p>Párrafo con <br/> salto.</p><p><![CDATA[not markup]]></p></body></html>
            """
        let doc = try Self.ingest(Array(xhtml.utf8))
        #expect(Array(doc.blockTexts.prefix(2)) == ["Título", "Párrafo con\nsalto."])
        #expect(doc.languageHints.first == LanguageHint(source: .documentAttribute, language: "es"))
    }

    @Test func doctypeWithInternalEntitiesDoesNotExpand() throws {
        var html = "<!DOCTYPE html [\n<!ENTITY lol \"lol\">\n"
        for i in 1...9 {
            let previous = i == 1 ? "lol" : "lol\(i - 1)"
            html += "<!ENTITY lol\(i) \"" + String(repeating: "&\(previous);", count: 10) + "\">\n"
        }
        html += "]>\n<html><body><p>&lol9;</p><p>Real text.</p></body></html>"
        let doc = try Self.ingest(Array(html.utf8))
        #expect(doc.text.utf8.count < 10_000)
        #expect(doc.blockTexts.contains("Real text."))
        #expect(doc.blockTexts.contains("&lol9;"))
    }

    @Test func externalEntitiesAreNotLoaded() throws {
        let html = "<!DOCTYPE html [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><html><body><p>&xxe;</p></body></html>"
        let doc = try Self.ingest(Array(html.utf8))
        #expect(!doc.text.contains("root:"))
    }

    @Test func pagesWithoutTextFailNamingTheFile() throws {
        for html in ["", "<html><head><title>Only a title</title></head><body></body></html>", "<script>alert(1)</script>", "<!-- only a comment -->", "   \n  "] {
            #expect {
                try Self.ingest(Array(html.utf8), path: "dir/empty-page.html")
            } throws: { error in
                guard let error = error as? InputError else { return false }
                return error.diagnostic.file == "dir/empty-page.html" && error.description.contains("no text")
            }
        }
    }

    @Test func inputsOverTheLimitAreRefused() throws {
        #expect {
            try Self.ingest(Array(page("<p>Some text here.</p>").utf8), path: "big.html", maxBytes: 32)
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.diagnostic.file == "big.html" && error.diagnostic.byteOffset == 32 && error.description.contains("max_bytes")
        }
    }

    @Test func binaryDataIsRefusedNotParsed() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 64)
        #expect(throws: InputError.self) { try Self.ingest(png) }
    }

    @Test func randomBytesNeverCrash() throws {
        var generator = SplitMix64(seed: 2024)
        let alphabet = Array("<>/=\"' &;#!-[]abcdpluitr\n\u{00}é".utf8)
        for _ in 0..<200 {
            let length = Int(generator.next() % 400)
            let bytes = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            _ = try? Self.ingest(bytes)
        }
    }
}
