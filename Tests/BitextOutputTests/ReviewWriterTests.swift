import BitextCore
import BitextTestSupport
import Foundation
import Testing

@testable import BitextOutput

/// Runs headless Chromium (Debian's `chromium`) on a page; nil when it is not installed.
private func chromium(_ arguments: [String]) throws -> ToolResult? {
    let name = ["chromium", "chromium-browser", "google-chrome"].first { which($0) != nil }
    guard let name else { return nil }
    let profile = FileManager.default.temporaryDirectory.appendingPathComponent("bitext-chromium-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: profile) }
    return try runTool("timeout", ["120", which(name)!, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                                   "--user-data-dir=\(profile.path)", "--virtual-time-budget=3000"] + arguments)
}

private func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

@Suite struct ReviewWriterTests {
    let writer = try! ReviewWriter(options: ReviewWriter.Options())

    @Test func pageIsSelfContainedAndShowsEveryLink() throws {
        let unit = try annotatedSampleUnit()
        let page = String(decoding: writer.render(unit), as: UTF8.self)
        let alignment = try #require(unit.alignment)
        #expect(count("<tr id=\"p", in: page) == alignment.count)
        // Offline: nothing loaded from elsewhere, and the policy forbids it anyway.
        #expect(!page.contains("src=\"http") && !page.contains("href=\"http") && !page.contains("@import") && !page.contains("url("))
        #expect(page.contains("default-src 'none'"))
        // Flags as badges with their reasons.
        #expect(page.contains("<span class=\"badge\" title=\"English "))
        #expect(page.contains(">many_to_one</span><span class=\"reason\">several paragraphs are aligned with one</span>"))
        #expect(page.contains("<details class=\"explain\"><summary>why</summary><dl><dt>length_ratio</dt>"))
        // Entities on both sides with a shared link id.
        #expect(page.contains("<mark class=\"ent\" data-kind=\"location\" data-link=\"e0-HT-0\" title=\"location: HT\">Haiti</mark>"))
        // Sentences carry their sentence link; every sentence link appears on both sides.
        for link in 0..<(unit.sentenceAlignment ?? []).count {
            #expect(count("class=\"sent", in: page) > 0)
            #expect(count("data-sl=\"\(link)\"", in: page) >= 2, "sentence link \(link)")
        }
        #expect(page.contains("<mark class=\"ent\" data-kind=\"location\" data-link=\"e0-HT-0\" title=\"location: HT\">Haití</mark>"))
    }

    @Test func escapingIsRight() throws {
        let page = String(decoding: writer.render(trickyUnit()), as: UTF8.self)
        #expect(page.contains("Tom &amp; Jerry &lt;b&gt;\"quoted\"&lt;/b&gt; 'single' &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!page.contains("<script>alert(1)"))
        #expect(page.contains("title=\"4 &lt; 5 &amp; &quot;6&quot; differ\""))
        #expect(page.contains("data-link=\"e-&quot;emoji&quot;&lt;&amp;&gt;\""))
        #expect(page.contains("<title>Review: tricky &amp; &lt;odd&gt; \"name\"</title>"))
        // The embedded summary cannot close its script element early.
        let summary = try #require(page.range(of: "id=\"bitext-summary\">"))
        let end = try #require(page.range(of: "</script>", range: summary.upperBound..<page.endIndex))
        #expect(page[summary.upperBound..<end.lowerBound].contains("tricky & <odd> \\\"name\\\""))
        #expect(ReviewWriter.summary(inPage: Array(page.utf8))?.id == "tricky & <odd> \"name\"")
    }

    /// The escaping skips eight bytes at a time where none needs it: the same bytes as
    /// testing each one, on generated text dense in what it must escape.
    @Test(arguments: [false, true])
    func escapingWordsAtATimeIsEscapingEachByte(attribute: Bool) {
        let pieces: [[UInt8]] = [Array("plain text".utf8), Array("ñandú".utf8), [0x26], [0x3C], [0x3E], [0x22], [0x27], [0x00], [0x0A], Array("12345678".utf8)]
        var random = SplitMix64(seed: attribute ? 5 : 6)
        for _ in 0..<2_000 {
            let text = (0..<random.below(20)).flatMap { _ in pieces[random.below(pieces.count)] }
            var expected: [UInt8] = []
            for byte in text {
                switch byte {
                case UInt8(ascii: "&"): expected += "&amp;".utf8
                case UInt8(ascii: "<"): expected += "&lt;".utf8
                case UInt8(ascii: ">"): expected += "&gt;".utf8
                case UInt8(ascii: "\"") where attribute: expected += "&quot;".utf8
                case UInt8(ascii: "'") where attribute: expected += "&#39;".utf8
                case 0: expected += "\u{FFFD}".utf8
                default: expected.append(byte)
                }
            }
            var out: [UInt8] = []
            text.withUnsafeBufferPointer { HTML.appendEscaped($0, attribute: attribute, to: &out) }
            #expect(out == expected, "\(text)")
        }
    }

    @Test func reasonsSayWhatDiffers() throws {
        let unit = trickyUnit()
        var record = PairRecords.paragraphRecords(UnitView(unit))[1]
        #expect(ReviewWriter.reason(for: "number_mismatch", record: record, explanation: nil) == "the numbers differ between the two sides")
        record.sides[1].text = "Carácter 5 < 7 > 4 y 2.699"
        #expect(ReviewWriter.reason(for: "number_mismatch", record: record, explanation: nil) == "numbers differ — only in English: 6; only in Spanish: 2, 7, 699")
        #expect(ReviewWriter.reason(for: "date_mismatch", record: record, explanation: nil) == "a date on one side has no counterpart on the other")
        record.sides[0].entities[0].entity.kind = "date"
        record.sides[0].entities[0].entity.link = nil
        #expect(ReviewWriter.reason(for: "date_mismatch", record: record, explanation: nil) == "unmatched in English: 😀")
        #expect(ReviewWriter.reason(for: "length_ratio", record: record, explanation: ["length_z": "2.5"]).hasSuffix(", z = 2.5"))
        #expect(ReviewWriter.reason(for: "brand_new_flag", record: record, explanation: nil) == "brand new flag")
        #expect(ReviewWriter.reason(for: "omitted", record: record, explanation: ["omitted": "said by the aligner"]) == "said by the aligner")
    }

    @Test func entityOffsetsSkipExcludedMarkup() {
        var block = Block(kind: .paragraph, range: TextRange(10, 40), position: SourcePosition(line: 1, column: 1))
        block.excluded = [TextRange(10, 12), TextRange(20, 22)]
        #expect(ReviewWriter.localOffset(12, in: block) == 0)
        #expect(ReviewWriter.localOffset(20, in: block) == 8)
        #expect(ReviewWriter.localOffset(22, in: block) == 8)
        #expect(ReviewWriter.localOffset(30, in: block) == 16)
    }

    @Test func indexPageListsEveryUnitFromTheirPages() throws {
        let units = try [annotatedSampleUnit(), sampleUnit("oas-haiti-peacekeeping-letter.en.txt")]
        var files: [String: [UInt8]] = [:]
        var summaries: [BatchUnitSummary] = []
        for unit in units {
            for file in try writer.write(unit, baseName: "pages/" + unit.id) { files[file.relativePath] = file.contents }
            summaries.append(BatchUnitSummary(id: unit.id, status: "ok", outputs: ["pages/\(unit.id).review.html"]))
        }
        summaries.append(BatchUnitSummary(id: "broken", status: "failed", outputs: []))
        let index = try writer.finish(units: summaries, outputs: OutputReader(files: files))
        #expect(index.map(\.relativePath) == ["review.html"])
        let page = String(decoding: index[0].contents, as: UTF8.self)
        #expect(page.contains("<a href=\"pages/bap-mss-statement.en-es.review.html\">bap-mss-statement.en-es</a>"))
        #expect(page.contains("<a href=\"pages/oas-haiti-peacekeeping-letter.en.review.html\">"))
        #expect(page.contains("broken <span class=\"badge\">failed</span>"))
        #expect(page.contains("<td>\(units[0].sides[.english]!.blocks.count) en / \(units[0].sides[.spanish]!.blocks.count) es</td>"))
        let nested = try ReviewWriter(options: .init(indexPage: "review/index.html")).finish(units: summaries, outputs: OutputReader(files: files))
        #expect(String(decoding: nested[0].contents, as: UTF8.self).contains("href=\"../pages/bap-mss-statement.en-es.review.html\""))
    }

    /// Loads the page in headless Chromium: the script runs, `#flagged` hides every row that
    /// needs no review, and a screenshot is kept under .build/test-artifacts/review/.
    @Test func filterWorksInARealBrowser() throws {
        let directory = try artifactDirectory("review")
        let unit = try annotatedSampleUnit()
        let page = directory.appendingPathComponent("\(unit.id).review.html")
        try Data(writer.render(unit)).write(to: page)
        let url = page.absoluteString

        guard let plain = try chromium(["--dump-dom", url]) else {
            print("SKIPPED browser test: chromium is not installed (apt-get install chromium)")
            return
        }
        #expect(plain.status == 0, "\(plain.error.suffix(500))")
        #expect(plain.output.contains("data-ready=\"true\""), "the page's script did not run")
        let rows = try #require(unit.alignment).count
        #expect(count("<tr id=\"p", in: plain.output) == rows)
        #expect(count(" hidden=\"\"", in: plain.output) == 0)

        let filtered = try #require(try chromium(["--dump-dom", url + "#flagged"]))
        let flaggedRows = count("data-flagged=\"true\"", in: plain.output)
        #expect(flaggedRows > 0 && flaggedRows < rows)
        #expect(filtered.output.contains("class=\"only-flagged\""))
        // Every unflagged row is hidden, no flagged one is.
        let hiddenRows = filtered.output.split(separator: "\n").filter { $0.contains("<tr id=") && $0.contains(" hidden=\"\"") }
        #expect(hiddenRows.count == rows - flaggedRows)
        #expect(hiddenRows.allSatisfy { $0.contains("data-flagged=\"false\"") })

        // Keyboard and entity linking, driven by real DOM events in the browser: a copy of the
        // page with a driver script appended presses j, j, k, n and hovers an entity.
        let driver = """
            <script>
            (function(){
              function press(key){ document.dispatchEvent(new KeyboardEvent("keydown",{key:key,bubbles:true})); }
              var seen=[];
              ["j","j","k","n"].forEach(function(k){ press(k); var c=document.querySelector("tr.current"); seen.push(c?c.id:"none"); });
              document.body.setAttribute("data-visited", seen.join(" "));
              var mark=document.querySelector("mark.ent[data-link]");
              mark.dispatchEvent(new MouseEvent("mouseover",{bubbles:true}));
              document.body.setAttribute("data-highlighted", document.querySelectorAll("mark.ent.hl").length + " " + mark.getAttribute("data-link"));
              var sentence=document.querySelector('.sent[data-sl="0"]');
              sentence.dispatchEvent(new MouseEvent("mouseover",{bubbles:true}));
              var lit=document.querySelectorAll(".sent.shl");
              document.body.setAttribute("data-sentences", lit.length + " " + Array.prototype.map.call(lit,function(x){return x.closest("td").getAttribute("lang");}).join(","));
            })();
            </script>
            """
        var driven = String(decoding: writer.render(unit), as: UTF8.self)
        driven = driven.replacingOccurrences(of: "</body>", with: driver + "</body>")
        let drivenPage = directory.appendingPathComponent("driven.html")
        try Data(driven.utf8).write(to: drivenPage)
        let keys = try #require(try chromium(["--dump-dom", drivenPage.absoluteString]))
        let flaggedIDs = plain.output.split(separator: "\n").filter { $0.contains("<tr id=") && $0.contains("data-flagged=\"true\"") }
            .compactMap { line in line.firstMatch(of: /<tr id="([^"]+)"/).map { String($0.1) } }
        try #require(flaggedIDs.count >= 2)
        let expected = [flaggedIDs[0], flaggedIDs[1], flaggedIDs[0], flaggedIDs[1]].joined(separator: " ")
        #expect(keys.output.contains("data-visited=\"\(expected)\""))
        // Hovering the first linked entity highlights it and its counterpart on the other side.
        #expect(keys.output.contains("data-highlighted=\"2 e0-HT-0\""))
        // Hovering a sentence highlights it and the sentence(s) it is aligned with.
        #expect(keys.output.contains("data-sentences=\"2 en,es\""))

        let screenshot = directory.appendingPathComponent("review-flagged.png")
        let shot = try #require(try chromium(["--window-size=1400,1000", "--screenshot=\(screenshot.path)", url + "#flagged"]))
        #expect(shot.status == 0)
        let size = (try? FileManager.default.attributesOfItem(atPath: screenshot.path)[.size] as? Int) ?? 0
        #expect(size > 10_000)
        print("Review page screenshot: \(screenshot.path)")
    }
}
