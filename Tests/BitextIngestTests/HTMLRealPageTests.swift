import BitextCore
import Foundation
import Testing
@testable import BitextIngest

/// Real pages from Debian's documentation packages and a hand-made HTML rendering of a
/// plain-text sample (provenance in samples/README.md).
@Suite struct HTMLRealPageTests {
    static func sample(_ name: String, boilerplate: BoilerplatePolicy = .remove) throws -> Document {
        let url = sampleURL(name)
        return try HTMLIngest.document(
            from: Array(try Data(contentsOf: url)), file: InputFile(path: url.path), options: HTMLIngestOptions(boilerplate: boilerplate))
    }

    @Test func plainTextAndHTMLVersionsGiveTheSameParagraphs() throws {
        let text = try segmentedSample("oas-haiti-peacekeeping-letter.en.txt")
        let html = try Self.sample("oas-haiti-peacekeeping-letter.en.html")
        #expect(html.blockTexts == text.blockTexts)
        // Both readers agree on what the operative paragraphs and footnotes are.
        let operative = { (d: Document) in d.blocks.filter { $0.kind == .listItem && $0.marker != nil }.prefix(5).map(\.marker) }
        #expect(operative(html) == operative(text))
        let footnotes = { (d: Document) in d.blocks.indices.filter { d.blocks[$0].kind == .footnote } }
        #expect(footnotes(html) == [28, 39])
        #expect(Array(footnotes(text).prefix(2)) == [28, 39])
        let references = html.marks.filter { $0.kind == .footnoteReference }
        #expect(references.map(\.target) == [28, 39])
        #expect(references.map(\.value) == ["1", "2"])
        // The site chrome around <main> is gone and accounted for.
        #expect(Set(html.removed.map(\.reason)).isSuperset(of: ["site_header", "site_footer", "script"]))
        #expect(html.languageHints.contains(LanguageHint(source: .alternate, language: "es", href: "oas-haiti-peacekeeping-letter.es.html")))
    }

    @Test(arguments: ["en", "es"])
    func debianReferenceAppendix(language: String) throws {
        let doc = try Self.sample("debian-reference-appendix.\(language).html")
        let headings = doc.blocks.indices.filter { doc.blocks[$0].kind == .heading }
        #expect(headings.map { doc.blocks[$0].level } == [1, 2, 2, 2])
        let expectedTitles =
            language == "en"
            ? ["Appendix A. Appendix", "A.1. The Debian maze", "A.2. Copyright history", "A.3. Document format"]
            : ["Apéndice A. Apéndice", "A.1. La mazmorra de Debian", "A.2. Histórico de copyright", "A.3. Formato del documento"]
        // DocBook writes no-break spaces after the numbers; they are kept (see HTMLBlockBuilder).
        #expect(headings.map { doc.text(ofBlock: $0).replacingOccurrences(of: "\u{00A0}", with: " ") } == expectedTitles)
        if language == "en" { #expect(doc.text(ofBlock: headings[1]).hasPrefix("A.1.\u{00A0}")) }
        // Nested lists: three top-level items of the first list, with their sub-items at level 2.
        let items = doc.blocks.filter { $0.kind == .listItem }
        #expect(items.map(\.level) == [1, 2, 1, 2, 2, 1, 2, 1, 1, 2, 1, 1, 1, 1, 1])
        // The navigation bars and the table of contents are not text; the page is.
        #expect(doc.removed.filter { $0.reason == "navigation" }.count == 2)
        #expect(doc.removed.contains { $0.excerpt == (language == "en" ? "Table of Contents" : "Tabla de contenidos") })
        #expect(doc.blocks.count == 37)
        #expect(doc.languageHints.isEmpty)  // these pages declare no language
        let copyright = doc.blocks.firstIndex { doc.text(ofBlock: doc.blocks.firstIndex(of: $0)!).hasPrefix(language == "en" ? "The Debian Reference was initiated" : "La Referencia de Debian fue iniciada") }
        #expect(copyright != nil)
        if let copyright { #expect(doc.blocks[copyright].attributes["element_path"] == "body/div[2]/div[4]/p[1]") }
    }

    @Test func englishAndSpanishAppendixHaveTheSameShape() throws {
        let en = try Self.sample("debian-reference-appendix.en.html")
        let es = try Self.sample("debian-reference-appendix.es.html")
        #expect(en.blocks.map(\.kind) == es.blocks.map(\.kind))
        #expect(en.blocks.map(\.level) == es.blocks.map(\.level))
    }

    @Test(arguments: ["en", "es"])
    func libreOfficeHelpTable(language: String) throws {
        let doc = try Self.sample("libreoffice-help-meta-tags.\(language).html")
        #expect(doc.blocks.first?.kind == .heading)
        #expect(doc.text(ofBlock: 0) == (language == "en" ? "HTML import and export" : "Importación y exportación de HTML"))
        let cells = doc.blocks.indices.filter { doc.blocks[$0].kind == .tableCell }
        #expect(cells.count == 12)  // 6 rows × 2 columns
        let grid = cells.map { "\(doc.blocks[$0].attributes["row"]!),\(doc.blocks[$0].attributes["column"]!)" }
        #expect(grid == (1...6).flatMap { r in (1...2).map { "\(r),\($0)" } })
        #expect(doc.text(ofBlock: cells[3]).hasPrefix("<TITLE>") || doc.text(ofBlock: cells[3]).hasPrefix("<TÍTULO>"))
        #expect(doc.blocks[cells[0]].attributes["header"] == "true")
        #expect(doc.languageHints.first == LanguageHint(source: .documentAttribute, language: LanguageCode(language)))
        // Header, side panels and footer of the help viewer are dropped.
        #expect(Set(doc.removed.map(\.reason)).isSuperset(of: ["site_header", "aside", "site_footer"]))
        let kept = try Self.sample("libreoffice-help-meta-tags.\(language).html", boilerplate: .keep)
        #expect(kept.blocks.count > doc.blocks.count)
    }

    /// Whole installed manuals, when present: every page ingests, in both languages, with
    /// headings and body text (not a fixed count: package versions vary).
    @Test(arguments: ["/usr/share/doc/maint-guide/html", "/usr/share/doc/maint-guide-es/html", "/usr/share/debian-reference"])
    func installedManuals(directory: String) throws {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory))?.filter { $0.hasSuffix(".html") }.sorted() ?? []
        try #require(!files.isEmpty, "\(directory) is not installed")
        for name in files.prefix(6) {
            let path = directory + "/" + name
            let doc = try HTMLIngest.document(
                from: Array(try Data(contentsOf: URL(fileURLWithPath: path))), file: InputFile(path: path), options: HTMLIngestOptions())
            #expect(doc.blocks.contains { $0.kind == .heading }, "\(name): no heading")
            #expect(doc.blocks.contains { $0.kind == .paragraph || $0.kind == .listItem }, "\(name): no body text")
            #expect(!doc.text.contains("\n\n\n"), "\(name): empty block")
        }
    }
}
