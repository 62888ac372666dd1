import BitextCore
import Foundation
import Testing

@testable import BitextIngest

@Suite struct IngestStageTests {
    static let page = """
        <html lang="en"><body>
        <nav><a href="/">Home</a> <a href="/about">About</a> <a href="/contact">Contact</a></nav>
        <main><h1>Report</h1><p>The Council adopted the resolution on 13 November 2024.</p></main>
        <footer>© 2024 Example. All rights reserved.</footer>
        </body></html>
        """

    private func ingest(_ options: Ingest.Options) throws -> Document {
        var unit = WorkUnit(id: "page", inputs: [InputFile(path: "page.html", contents: Array(Self.page.utf8))])
        try Ingest(options: options).process(&unit, context: StageContext())
        return unit.documents[0]
    }

    /// A clean file handed over as text (the batch runner reads such files straight into a
    /// string) gives the document its bytes give; another format still gets its bytes.
    @Test(arguments: ["Título\n\nUn párrafo — con “comillas”.\n", "", "   \n"])
    func cleanTextGivesTheDocumentItsBytesGive(text: String) throws {
        var fromBytes = WorkUnit(id: "a", inputs: [InputFile(path: "a.en.txt", languageHint: .english, contents: Array(text.utf8))])
        var fromText = WorkUnit(id: "a", inputs: [InputFile(path: "a.en.txt", languageHint: .english)])
        fromText.inputs[0].text = text
        try Ingest(options: Ingest.Options()).process(&fromBytes, context: StageContext())
        try Ingest(options: Ingest.Options()).process(&fromText, context: StageContext())
        let (a, b) = (fromBytes.documents[0], fromText.documents[0])
        #expect(Array(a.text.utf8) == Array(b.text.utf8))
        #expect(a.source == b.source)
        #expect(a.sourceOffsets == b.sourceOffsets)
        #expect(a.diagnostics == b.diagnostics)
        #expect(a.languageHints == b.languageHints)
        #expect(fromText.inputs[0].text == nil && fromText.inputs[0].contents == nil)

        var asHTML = WorkUnit(id: "p", inputs: [InputFile(path: "page.html")])
        asHTML.inputs[0].text = Self.page
        try Ingest(options: Ingest.Options()).process(&asHTML, context: StageContext())
        #expect(asHTML.documents[0].blockTexts.contains("Report"))
    }

    @Test func boilerplateIsRemovedAndReportedByDefault() throws {
        let document = try ingest(Ingest.Options())
        #expect(document.blockTexts == ["Report", "The Council adopted the resolution on 13 November 2024."])
        #expect(!document.removed.isEmpty)
    }

    @Test func boilerplateCanBeKept() throws {
        let document = try ingest(Ingest.Options(boilerplate: "keep"))
        #expect(document.blockTexts.contains { $0.contains("All rights reserved") })
        #expect(document.blockTexts.contains("Report"))
    }

    @Test(arguments: [
        (Ingest.Options(boilerplate: "maybe"), "boilerplate"),
        (Ingest.Options(format: "pdf"), "format"),
        (Ingest.Options(maxBytes: 0), "max_bytes"),
    ])
    func invalidOptionsAreRefusedByName(options: Ingest.Options, option: String) {
        do {
            _ = try Ingest(options: options)
            Issue.record("options accepted")
        } catch let error as OptionError {
            #expect(error.option == option)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func filesOverTheLimitFailWithTheirName() {
        var unit = WorkUnit(id: "big", inputs: [InputFile(path: "big.txt", contents: Array(repeating: 0x61, count: 100))])
        #expect {
            try Ingest(options: Ingest.Options(maxBytes: 10)).process(&unit, context: StageContext())
        } throws: { error in
            (error as? InputError)?.diagnostic.file == "big.txt" && "\(error)".contains("max_bytes")
        }
    }
}

/// `PlainTextIngest.hasVisibleText` decides on ASCII bytes what the scalars' White_Space
/// property says, and falls back to it from the first byte over 0x7F.
@Suite struct VisibleTextTests {
    @Test(arguments: [
        "", " ", "\t\n\r\u{0B}\u{0C} ", "x", "  \n a", "\u{00A0}", "\u{85}", " \u{2003}\u{3000}\n",
        "\u{200B}", "  \u{00E9}", "\u{2028}\u{2029}", "\u{2003}z", "\u{1F600}", "\u{1C}\u{1F}",
    ])
    func agreesWithTheWhiteSpaceProperty(_ text: String) {
        let expected = text.unicodeScalars.contains { !$0.properties.isWhitespace }
        #expect(PlainTextIngest.hasVisibleText(text) == expected)
    }

    @Test func anEmptyFileIsWarnedAbout() {
        let blank = PlainTextIngest.document(fromCleanText: " \n\u{00A0}\n", file: InputFile(path: "blank.txt"))
        #expect(blank.diagnostics.contains { $0.message.hasPrefix("empty file") })
        let text = PlainTextIngest.document(fromCleanText: "\u{00A0}Hola\n", file: InputFile(path: "hola.txt"))
        #expect(!text.diagnostics.contains { $0.message.hasPrefix("empty file") })
    }

    /// What Foundation calls an unknown failure is named in the system's words (`strerror`):
    /// "Too many open files" under a low `ulimit -n`, here a missing file.
    @Test func anOpenFailureIsNamedByTheSystem() throws {
        let missing = NSTemporaryDirectory() + "bitext-missing-\(UUID().uuidString).txt"
        #expect(Ingest.openFailure(missing) == String(cString: strerror(ENOENT)))
        let present = NSTemporaryDirectory() + "bitext-present-\(UUID().uuidString).txt"
        try Data("x".utf8).write(to: URL(fileURLWithPath: present))
        defer { try? FileManager.default.removeItem(atPath: present) }
        #expect(Ingest.openFailure(present) == nil)
    }
}
