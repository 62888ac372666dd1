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
