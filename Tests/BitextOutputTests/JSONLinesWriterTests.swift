import BitextCore
import BitextTestSupport
import Foundation
import Testing

@testable import BitextOutput

private func records(_ bytes: [UInt8]) throws -> [[String: Any]] {
    try String(decoding: bytes, as: UTF8.self).split(separator: "\n").map { line in
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }
}

private func side(_ record: [String: Any], _ language: String) -> [String: Any]? {
    (record["sides"] as? [String: Any])?[language] as? [String: Any]
}

@Suite struct JSONLinesWriterTests {
    let writer = try! JSONLinesWriter(options: JSONLinesWriter.Options())

    @Test func oneRecordPerLinkSentenceLinkAndUnlinkedParagraph() throws {
        let unit = try annotatedSampleUnit()
        let lines = try records(writer.render(unit))
        let alignment = try #require(unit.alignment)
        let sentenceLinks = try #require(unit.sentenceAlignment)
        #expect(lines.filter { $0["type"] as? String == "paragraph_pair" }.count == alignment.count)
        #expect(lines.filter { $0["type"] as? String == "sentence_pair" }.count == sentenceLinks.count)
        // Every paragraph of each side is in exactly one paragraph-level record.
        for language in ["en", "es"] {
            let paragraphs = lines.filter { $0["type"] as? String != "sentence_pair" }.flatMap { side($0, language)?["paragraphs"] as? [Int] ?? [] }
            let expected = unit.sides[LanguageCode(language)]!.blocks.count
            #expect(paragraphs.sorted() == Array(0..<expected), "\(language)")
        }
        // The one-sided link (an omission) keeps its one side.
        let omission = try #require(lines.first { ($0["flags"] as? [String]) == ["omission"] })
        #expect(omission["languages"] as? [String] == ["es"])
        #expect(side(omission, "en") == nil)
    }

    @Test func unlinkedParagraphsComeInReadingOrder() throws {
        var unit = trickyUnit()
        unit.alignment = [AlignmentLink(english: [1], spanish: [1], score: 0.5)]
        #expect(PairRecords.paragraphRecords(UnitView(unit)).map(\.localID) == ["en0", "es0", "p0"])
        unit.alignment = [AlignmentLink(english: [0], spanish: [0], score: 0.5)]
        #expect(PairRecords.paragraphRecords(UnitView(unit)).map(\.localID) == ["p0", "en1", "es1"])
    }

    /// Unlinked paragraphs follow the last link that holds an earlier paragraph of their
    /// language, whatever the links' order (crossing links, links of several paragraphs):
    /// the records' order is the one a search back through the links for each paragraph gives.
    @Test(arguments: 0..<40)
    func unlinkedParagraphsFollowTheLastLinkBeforeThem(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed))
        let count = 8
        func document(_ language: LanguageCode) -> Document {
            let text = (0..<count).map { "\(language.rawValue) paragraph \($0)." }.joined(separator: "\n\n")
            var blocks: [Block] = []
            var start = 0
            for line in text.components(separatedBy: "\n\n") {
                var block = Block(kind: .paragraph, range: TextRange(start, start + line.utf8.count), position: SourcePosition(line: blocks.count * 2 + 1, column: 1))
                block.language = language
                blocks.append(block)
                start += line.utf8.count + 2
            }
            var document = Document(source: SourceFile(path: "\(language.rawValue).txt", format: .text, byteCount: text.utf8.count), text: text, blocks: blocks)
            document.languages = [language]
            return document
        }
        var unit = WorkUnit(id: "u", inputs: [InputFile(path: "en.txt"), InputFile(path: "es.txt")])
        unit.documents = [document(.english), document(.spanish)]
        unit.sides = [.english: Side(document: 0, blocks: LinkPositions(0..<count)), .spanish: Side(document: 1, blocks: LinkPositions(0..<count))]
        func someParagraphs() -> [Int] { Array(Set((0..<Int.random(in: 0...2, using: &random)).map { _ in Int.random(in: 0..<count, using: &random) })).sorted().shuffled(using: &random) }
        let links = (0..<Int.random(in: 1...6, using: &random)).map { _ in (someParagraphs(), someParagraphs()) }.filter { !$0.0.isEmpty || !$0.1.isEmpty }
        unit.alignment = links.map { AlignmentLink(english: LinkPositions($0.0), spanish: LinkPositions($0.1), score: 0.5) }
        // The order by a search back through the links for each unlinked paragraph.
        var after: [Int: [String]] = [:]
        for (language, side) in [("en", 0), ("es", 1)] {
            let linked = Set(links.flatMap { side == 0 ? $0.0 : $0.1 })
            let ends = links.enumerated().compactMap { index, link in (side == 0 ? link.0 : link.1).max().map { (paragraph: $0, link: index) } }
            for paragraph in 0..<count where !linked.contains(paragraph) {
                after[ends.last { $0.paragraph < paragraph }?.link ?? -1, default: []].append("\(language)\(paragraph)")
            }
        }
        let expected = (after[-1] ?? []) + links.indices.flatMap { ["p\($0)"] + (after[$0] ?? []) }
        #expect(PairRecords.paragraphRecords(UnitView(unit)).map(\.localID) == expected, "links \(links)")
    }

    @Test func idsAreUniqueAndStable() throws {
        let first = try records(writer.render(try annotatedSampleUnit())).map { $0["id"] as! String }
        let second = try records(writer.render(try annotatedSampleUnit())).map { $0["id"] as! String }
        #expect(first == second)
        #expect(Set(first).count == first.count)
        #expect(first.first == "bap-mss-statement.en-es#p0")
        #expect(first.contains("bap-mss-statement.en-es#s0"))
        #expect(writer.render(try annotatedSampleUnit()) == writer.render(try annotatedSampleUnit()))
    }

    @Test(arguments: sampleNames)
    func unpairedUnitsKeepEveryParagraph(name: String) throws {
        let unit = try sampleUnit(name)
        let lines = try records(writer.render(unit))
        #expect(lines.count == unit.documents[0].blocks.count)
        #expect(lines.allSatisfy { $0["type"] as? String == "paragraph" && ($0["languages"] as? [String])?.count == 1 })
        let texts = lines.compactMap { record in (record["languages"] as? [String])?.first.flatMap { side(record, $0)?["text"] as? String } }
        #expect(texts == unit.documents[0].blockTexts)
    }

    @Test func offsetsPointIntoTheSourceFile() throws {
        let unit = try annotatedSampleUnit()
        let source = try Data(contentsOf: URL(fileURLWithPath: unit.inputs[0].path))
        func words(_ text: String) -> [String] {
            text.split(whereSeparator: { $0.isWhitespace || $0 == "•" }).map(String.init)
        }
        for record in try records(writer.render(unit)) {
            for language in record["languages"] as! [String] {
                let half = try #require(side(record, language))
                let start = half["source_start"] as! Int
                let end = half["source_end"] as! Int
                #expect(half["source"] as? String == unit.inputs[0].path)
                let slice = String(decoding: source[start..<end], as: UTF8.self)
                // The source holds the text with its line breaks and list markers; the words agree.
                let text = half["text"] as! String
                #expect(words(slice).suffix(words(text).count).elementsEqual(words(text)) || words(slice) == words(text), "\(record["id"]!)")
            }
        }
    }

    @Test func entitiesCarryNormalizedValuesAndLinks() throws {
        let lines = try records(writer.render(try annotatedSampleUnit()))
        let first = try #require(lines.first)
        let english = try #require(side(first, "en")?["entities"] as? [[String: Any]])
        let spanish = try #require(side(first, "es")?["entities"] as? [[String: Any]])
        #expect(english.first?["normalized"] as? String == "HT")
        #expect(spanish.first?["text"] as? String == "Haití")
        #expect(english.first?["link"] as? String == spanish.first?["link"] as? String)
    }

    @Test(arguments: [true, false])
    func entityOffsetsInTheRecordTextPointAtTheMention(html: Bool) throws {
        // The hand-annotated plain-text pair, and the HTML sample through the complete pipeline
        // (its blocks have excluded markup and entities from the entity stages).
        let units = html ? [] : [try annotatedSampleUnit()]
        var mentions = 0
        for unit in units + (html ? try completePipelineUnits() : []) {
            for record in try records(writer.render(unit)) {
                for language in record["languages"] as! [String] {
                    let half = try #require(side(record, language))
                    let text = Array((half["text"] as! String).utf8)
                    // A mention wholly inside excluded markup reads as nothing: no span to give.
                    for entity in half["entities"] as! [[String: Any]] where entity["text"] as? String != "" {
                        let start = try #require(entity["text_start"] as? Int, "\(entity)")
                        let end = try #require(entity["text_end"] as? Int)
                        #expect(String(decoding: text[start..<end], as: UTF8.self) == entity["text"] as? String)
                        mentions += 1
                    }
                }
            }
        }
        #expect(mentions > 10)
    }

    @Test func escapingSurvivesAJSONParser() throws {
        let lines = try records(writer.render(trickyUnit()))
        let text = try #require(side(lines[0], "en")?["text"] as? String)
        #expect(text == "Tom & Jerry <b>\"quoted\"</b> 'single' </script><script>alert(1)</script>")
        #expect((side(lines[1], "en")?["text"] as? String)?.contains("\u{1} char and emoji 😀") == true)
        #expect(lines[0]["unit"] as? String == "tricky & <odd> \"name\"")
    }

    @Test func bulkAlternatesActionAndDocumentLines() throws {
        let unit = try annotatedSampleUnit()
        let bulk = try BulkWriter(options: try .init(index: "bitext-es")).render(unit)
        #expect(bulk.last == 0x0A)
        let lines = try records(bulk)
        let documents = try records(writer.render(unit))
        #expect(lines.count == documents.count * 2)
        for (n, document) in documents.enumerated() {
            let action = try #require(lines[2 * n]["index"] as? [String: Any])
            #expect(action["_index"] as? String == "bitext-es")
            #expect(action["_id"] as? String == document["id"] as? String)
            #expect(lines[2 * n + 1]["id"] as? String == document["id"] as? String)
        }
    }

    @Test(arguments: ["Bitext", "_private", "a b", "a/b", "", "..", "x#y"])
    func bulkRejectsIndexNamesElasticsearchRejects(name: String) {
        #expect(throws: OptionError.self) { try BulkWriter.Options(index: name) }
    }

    @Test func recordsCanBeLimitedToOneKind() throws {
        let unit = try annotatedSampleUnit()
        let sentencesOnly = try JSONLinesWriter(options: .init(records: PairRecordOptions(paragraphs: false, sentences: true)))
        let lines = try records(sentencesOnly.render(unit))
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0["type"] as? String == "sentence_pair" })
    }

    /// schemas/bitext-search-index.json (Elasticsearch/OpenSearch settings and mappings for the
    /// bulk records) maps exactly the fields the record schema defines. Not tested against a
    /// running cluster: this checks that the two files agree.
    @Test func searchIndexMappingCoversEveryRecordField() throws {
        func object(_ name: String) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: schemaPath(name)))) as? [String: Any])
        }
        let schema = try object("bitext-record.schema.json")
        let mapping = try #require((try object("bitext-search-index.json")["mappings"] as? [String: Any])?["properties"] as? [String: Any])
        let recordFields = Set(try #require(schema["properties"] as? [String: Any]).keys)
        #expect(Set(mapping.keys) == recordFields)
        let side = try #require((schema["$defs"] as? [String: Any])?["side"] as? [String: Any])
        let sideFields = Set(try #require(side["properties"] as? [String: Any]).keys)
        let entityFields = Set(try #require(((side["properties"] as? [String: Any])?["entities"] as? [String: Any])
            .flatMap { ($0["items"] as? [String: Any])?["properties"] as? [String: Any] }).keys)
        let sides = try #require((mapping["sides"] as? [String: Any])?["properties"] as? [String: Any])
        for language in ["en", "es"] {
            let fields = try #require((sides[language] as? [String: Any])?["properties"] as? [String: Any])
            #expect(Set(fields.keys) == sideFields, "\(language)")
            let entities = try #require((fields["entities"] as? [String: Any])?["properties"] as? [String: Any])
            #expect(Set(entities.keys) == entityFields, "\(language)")
        }
    }
}
