import BitextCore
import Foundation
import Testing

@testable import BitextIngest

/// Every input the fuzzers found (fuzz/regressions/<harness>/), replayed through the same
/// entry point and the same invariant checks as the harness.
@Suite struct RobustnessFuzzRegressionTests {
    static func findings(_ harness: String) -> [String] {
        let dir = repositoryRoot.appendingPathComponent("fuzz/regressions/\(harness)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.sorted().map { dir.appendingPathComponent($0).path }
    }

    private func check(_ document: Document) {
        #expect(Invariants.structuralProblems(in: document) == [])
        #expect(Invariants.unaccountedText(in: document).map(\.text) == [])
        for index in document.blocks.indices { _ = document.text(ofBlock: index) }
    }

    @Test(arguments: findings("FuzzTextIngest"))
    func textFinding(path: String) throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        guard var document = try? PlainTextIngest.document(from: bytes, file: InputFile(path: "fuzz.txt")) else { return }
        PlainTextSegmenter().segment(&document)
        check(document)
    }

    /// The harness reads the first byte as the boilerplate policy and the rest as the page.
    @Test(arguments: findings("FuzzHTMLIngest"))
    func htmlFinding(path: String) throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let policy: BoilerplatePolicy = (bytes.first ?? 0) & 1 == 0 ? .remove : .keep
        guard let document = try? HTMLIngest.document(from: Array(bytes.dropFirst()), file: InputFile(path: "fuzz.html"), options: HTMLIngestOptions(boilerplate: policy, maxBytes: 1 << 20)) else { return }
        check(document)
    }

    @Test func aFootnoteMarkAfterLeadingSpacesWithNoBackLinkDoesNotTrap() throws {
        // FuzzHTMLIngest: excludeLeadingMarker widened excluded[0] when there was none.
        for html in ["<p>x<sup><a href=\"#fn1\">1</a></sup></p><div id=\"fn1\"> 1. The note.</div>", "<ol><li id=\"fn1\"> 1 Note</li></ol><p>t<a href=\"#fn1\">1</a></p>"] {
            let document = try HTMLIngest.document(from: Array(html.utf8), file: InputFile(path: "n.html"), options: HTMLIngestOptions())
            check(document)
        }
    }
}
