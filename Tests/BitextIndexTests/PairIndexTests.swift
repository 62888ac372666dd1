import BitextCore
import BitextOutput
import Foundation
import Testing

@testable import BitextIndex
@testable import BitextPipeline

private let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    fatalError("Package.swift not found above \(#filePath)")
}()

private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("bitext-index-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A small aligned pair built by hand: two documents, one paragraph each side per link, a
/// sentence link per sentence.
private func alignedPair() -> WorkUnit {
    let english = ["The Security Council adopted resolution 2699 on 2 October 2023.", "The mission will be reviewed. Its mandate lasts one year.", "Annex"]
    let spanish = ["El Consejo de Seguridad aprobó la resolución 2699 el 2 de octubre de 2023.", "La misión será examinada. Su mandato dura un año."]
    func document(_ paragraphs: [String], path: String, language: LanguageCode) -> Document {
        let text = paragraphs.joined(separator: "\n\n") + "\n"
        var blocks: [Block] = []
        var sentences: [Sentence] = []
        var offset = 0
        for (index, paragraph) in paragraphs.enumerated() {
            let length = paragraph.utf8.count
            var block = Block(kind: index == 2 ? .heading : .paragraph, range: TextRange(offset, offset + length), position: SourcePosition(line: index * 2 + 1, column: 1))
            block.language = language
            blocks.append(block)
            var start = 0
            for part in paragraph.split(separator: ". ", omittingEmptySubsequences: true) {
                let partLength = part.utf8.count + (start + part.utf8.count < length ? 1 : 0)
                sentences.append(Sentence(block: index, range: TextRange(offset + start, offset + start + partLength)))
                start += part.utf8.count + 2
            }
            offset += length + 2
        }
        var document = Document(source: SourceFile(path: path, format: .text, byteCount: text.utf8.count), text: text, blocks: blocks)
        document.sentences = sentences
        document.languages = [language]
        return document
    }
    var unit = WorkUnit(id: "resolution.en-es", inputs: [InputFile(path: "resolution.en.txt"), InputFile(path: "resolution.es.txt")])
    unit.documents = [document(english, path: "resolution.en.txt", language: .english), document(spanish, path: "resolution.es.txt", language: .spanish)]
    unit.sides = [.english: Side(document: 0, blocks: [0, 1, 2]), .spanish: Side(document: 1, blocks: [0, 1])]
    unit.alignment = [
        AlignmentLink(english: [0], spanish: [0], score: 0.95),
        AlignmentLink(english: [1], spanish: [1], score: 0.71, flags: ["length_ratio"]),
    ]
    unit.sentenceAlignment = [
        SentenceLink(paragraphLink: 0, english: [0], spanish: [0], score: 0.95),
        SentenceLink(paragraphLink: 1, english: [1], spanish: [1], score: 0.8),
        SentenceLink(paragraphLink: 1, english: [2], spanish: [2], score: 0.7),
    ]
    unit.documents[0].entities = [Entity(kind: "date", range: TextRange(48, 62), block: 0, normalized: "2023-10-02", link: "L0-1")]
    unit.documents[1].entities = [Entity(kind: "date", range: TextRange(55, 75), block: 0, normalized: "2023-10-02", link: "L0-1")]
    return unit
}

private func buildIndex(_ units: [WorkUnit], in directory: URL) throws -> String {
    let writer = try JSONDocumentWriter(options: .init())
    let path = directory.appendingPathComponent("index.sqlite").path
    _ = try PairIndex.build(at: path, documents: units.map(writer.render))
    return path
}

@Suite struct PairIndexTests {
    @Test func accentInsensitiveSpanishSearchReturnsTheCounterpart() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = try buildIndex([alignedPair()], in: directory)
        let hits = try PairIndex.search("resolucion", in: db, language: .spanish)
        #expect(hits.map(\.pair.key) == ["resolution.en-es#s0", "resolution.en-es#p0"] || hits.map(\.pair.key) == ["resolution.en-es#p0", "resolution.en-es#s0"])
        let hit = try #require(hits.first)
        #expect(hit.matchedLanguage == "es")
        #expect(hit.snippet.contains("[resolución]"))
        #expect(hit.counterpart == "The Security Council adopted resolution 2699 on 2 October 2023.")
        // Case and accents both ways; the English side only when asked for.
        #expect(try PairIndex.search("RESOLUCIÓN", in: db, language: .spanish).count == 2)
        #expect(try PairIndex.search("mision", in: db, language: .english).isEmpty)
        #expect(try PairIndex.search("mision", in: db).first?.matchedLanguage == "es")
        #expect(try PairIndex.search("resolution", in: db, language: .english).first?.counterpart.hasPrefix("El Consejo") == true)
    }

    @Test func normalizedEntityValuesAreSearchable() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = try buildIndex([alignedPair()], in: directory)
        let hits = try PairIndex.search("\"2023-10-02\"", in: db)
        #expect(Set(hits.map(\.pair.key)) == ["resolution.en-es#p0", "resolution.en-es#s0"])
        #expect(hits.first?.pair.entities.contains("2 de octubre de 2023") == true)
    }

    @Test func theSameOutputsGiveTheSameIndexFile() throws {
        let first = try temporaryDirectory()
        let second = try temporaryDirectory()
        defer { for d in [first, second] { try? FileManager.default.removeItem(at: d) } }
        let a = try Data(contentsOf: URL(fileURLWithPath: try buildIndex([alignedPair()], in: first)))
        let b = try Data(contentsOf: URL(fileURLWithPath: try buildIndex([alignedPair()], in: second)))
        #expect(a == b)
    }

    @Test func queriesAreWordsPrefixesAndPhrasesNeverSyntax() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = try buildIndex([alignedPair()], in: directory)
        #expect(try PairIndex.search("manda*", in: db, language: .spanish, kind: "sentence_pair").map(\.pair.key) == ["resolution.en-es#s2"])
        #expect(try PairIndex.search("\"consejo de seguridad\"", in: db, kind: "paragraph_pair").count == 1)
        #expect(try PairIndex.search("\"seguridad de consejo\"", in: db).isEmpty)
        // FTS5 operators and punctuation in user input are plain text, not errors.
        for query in ["AND", "mission OR", "NEAR(", "2699:", "-year", "col:umn", "\"", "*", "()"] {
            _ = try PairIndex.search(query, in: db)
        }
        #expect(try PairIndex.search("   ", in: db).isEmpty)
        #expect(try PairIndex.search("annex", in: db).map(\.pair.kind) == ["paragraph"])
    }

    @Test func rankingPrefersTheBetterMatchAndRespectsTheLimit() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = try buildIndex([alignedPair()], in: directory)
        let hits = try PairIndex.search("mission", in: db, language: .english)
        #expect(hits.count == 2)
        #expect(hits.first?.pair.kind == "sentence_pair")  // the shorter record that holds the word ranks first (bm25)
        #expect(hits.first!.rank <= hits.last!.rank)
        #expect(try PairIndex.search("mission", in: db, language: .english, limit: 1).count == 1)
        #expect(throws: IndexError.self) { try PairIndex.search("x", in: directory.appendingPathComponent("missing.sqlite").path) }
    }

    /// The pipeline's `index` output over the real samples, through the batch runner: the
    /// index is a batch output listed in the manifest with its checksum, and finds
    /// `resolución` in the bilingual sample when asked for `resolucion`.
    @Test func pipelineIndexOutputOverTheSamples() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let yaml = "stages:\n  - use: ingest\n  - use: segment.paragraphs\noutputs:\n  - write: json\n  - write: index\n  - write: review\n"
        let runner = BatchRunner(plan: try PipelineLoader().load(yaml: yaml), pipelineText: yaml)
        let inputs = InputDiscovery.discover([repositoryRoot.appendingPathComponent("samples").path]).files
        let out = directory.appendingPathComponent("out").path
        let report = await runner.run(inputs, options: BatchOptions(outputDirectory: out, jobs: 2))
        #expect(report.exitStatus == 0)
        let manifest = try #require(Manifest.load(from: out))
        let batch = try #require(manifest.batchOutputs)
        #expect(batch.map(\.path) == ["index.sqlite", "review.html"])
        for entry in batch {
            let data = try Data(contentsOf: URL(fileURLWithPath: out + "/" + entry.path))
            #expect(SHA256.hex(Array(data)) == entry.sha256)
            #expect(data.count == entry.bytes)
        }
        let hits = try PairIndex.search("resolucion", in: out + "/index.sqlite")
        let hit = try #require(hits.first)
        #expect(hit.pair.unit == "bap-mss-statement.en-es")
        #expect(hit.snippet.contains("[resolución]"))

        // Resume: every unit skipped, the batch outputs rebuilt identically from the units' outputs.
        let before = try Data(contentsOf: URL(fileURLWithPath: out + "/review.html"))
        let again = await runner.run(inputs, options: BatchOptions(outputDirectory: out, resume: true))
        #expect(again.outcomes.allSatisfy { $0.status == .skipped })
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/review.html")) == before)
        #expect(Manifest.load(from: out)?.batchOutputs?.map(\.sha256) == batch.map(\.sha256))
    }

    @Test func shardedRunsLeaveBatchOutputsForLater() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let yaml = "stages:\n  - use: ingest\n  - use: segment.paragraphs\noutputs:\n  - write: json\n  - write: index\n"
        let runner = BatchRunner(plan: try PipelineLoader().load(yaml: yaml), pipelineText: yaml)
        let inputs = InputDiscovery.discover([repositoryRoot.appendingPathComponent("samples").path]).files
        let report = await runner.run(inputs, options: BatchOptions(outputDirectory: directory.path, shard: Shard("1/2")))
        #expect(report.exitStatus == 0)
        #expect(report.notes.contains { $0.severity == .warning && $0.message.contains("bitext index") })
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("index.sqlite").path))
        #expect(Manifest.load(from: directory.path)?.batchOutputs == nil)
    }

    @Test func indexOutputWithoutJSONSaysWhatIsMissing() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let yaml = "stages:\n  - use: ingest\n  - use: segment.paragraphs\noutputs:\n  - write: xml\n  - write: index\n"
        let runner = BatchRunner(plan: try PipelineLoader().load(yaml: yaml), pipelineText: yaml)
        let inputs = InputDiscovery.discover([repositoryRoot.appendingPathComponent("samples").path]).files
        let report = await runner.run(inputs, options: BatchOptions(outputDirectory: directory.path, jobs: 1))
        #expect(report.exitStatus == 1)
        #expect(report.notes.contains { $0.stage == "index" && $0.message.contains("write: json") })
    }

    /// Documents are asked for one at a time, in order, each once; one that is not a bitext
    /// document fails the build and leaves the index that was there untouched, and no partial file.
    @Test func documentsAreReadOneAtATimeAndAFailureKeepsTheOldIndex() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = try buildIndex([alignedPair()], in: directory)
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        let json = try JSONDocumentWriter(options: .init()).render(alignedPair())
        var asked: [Int] = []
        #expect(throws: IndexError.self) {
            _ = try PairIndex.build(at: db, documentCount: 3) { index in
                asked.append(index)
                return OutputPieces(bytes: index == 1 ? Array("{\"format\": \"something else\"}".utf8) : json)
            }
        }
        #expect(asked == [0, 1])
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["index.sqlite"])
        var second = alignedPair()
        second.id = "second.en-es"
        let documents = [json, try JSONDocumentWriter(options: .init()).render(second)]
        asked = []
        let count = try PairIndex.build(at: db, documentCount: 2) { index in
            asked.append(index)
            return OutputPieces(bytes: documents[index])
        }
        #expect(asked == [0, 1])
        #expect(count == 2 * (try PairIndex.build(at: directory.appendingPathComponent("one.sqlite").path, documents: [json])))
    }

    /// The pull reader takes from a unit's JSON what `JSONSerialization` finds there, and the
    /// same rows whether the JSON is indented or compact.
    @Test func unitJSONReadsAsJSONSerializationReadsIt() throws {
        let unit = alignedPair()
        let pretty = try JSONDocumentWriter(options: .init(pretty: true)).render(unit)
        let compact = try JSONDocumentWriter(options: .init(pretty: false)).render(unit)
        let file = try BitextDocumentJSON.read(pretty)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(pretty)) as? [String: Any])
        #expect(file.id == object["id"] as? String)
        // The first pass keeps where values lie; read again there, they are the file's.
        let windows = JSONReader.Windows(OutputPieces(bytes: pretty), windowSize: 64)
        func member<T>(_ key: String, at offset: Int, _ read: (inout JSONReader) throws -> T) throws -> T? {
            var reader = try windows.reader(at: offset)
            var value: T?
            try reader.forEachMember { reader, found in
                if found == JSONReader.Key(key) { value = try read(&reader) } else { try reader.skipValue() }
            }
            return value
        }
        let paragraphs = try #require(object["paragraphs"] as? [String: [[String: Any]]])
        #expect(try file.paragraphs.mapValues { try $0.map { try member("text", at: $0.offset) { try $0.string() } } } == paragraphs.mapValues { $0.map { $0["text"] as? String } })
        #expect(file.paragraphs.mapValues { $0.map(\.document) } == paragraphs.mapValues { $0.map { $0["document"] as? Int ?? -1 } })
        let sentences = try #require(object["sentences"] as? [String: [[String: Any]]])
        #expect(try file.sentences?.mapValues { try $0.map { try member("text", at: $0) { try $0.string() } } } == sentences.mapValues { $0.map { $0["text"] as? String } })
        let links = try #require(object["alignment"] as? [[String: Any]])
        #expect(try file.alignment?.map { try member("score", at: $0) { try $0.double() } } == links.map { $0["score"] as? Double })
        #expect(try file.sentenceAlignment?.map { try member("link", at: $0) { try $0.int() } } == (object["sentence_alignment"] as? [[String: Any]])?.map { $0["link"] as? Int })
        #expect(try file.entities?["en"]?.map { try member("normalized", at: $0.offset) { try $0.string() } } == ["2023-10-02"])
        let mentions = try #require((object["entities"] as? [String: [[String: Any]]])?["en"])
        #expect(file.entities?["en"]?.map { [$0.paragraph, $0.start, $0.end] } == mentions.map { [$0["paragraph"] as? Int ?? -1, $0["start"] as? Int ?? -1, $0["end"] as? Int ?? -1] })
        let rows = try BitextDocumentJSON.pairs(from: pretty)
        #expect(try BitextDocumentJSON.pairs(from: compact) == rows)
        // Read a few bytes at a time, every value straddles pieces: the same rows.
        for pieceSize in [1, 7, 4096] {
            var piecewise: [IndexedPair] = []
            try BitextDocumentJSON.forEachPair(in: OutputPieces(bytes: pretty), pieceSize: pieceSize) { piecewise.append($0) }
            #expect(piecewise == rows, "pieces of \(pieceSize) bytes")
        }
        #expect(throws: IndexError.self) { try BitextDocumentJSON.pairs(from: Array(pretty.dropLast(40))) }
    }

    /// Links of several paragraphs and sentences (given out of order; a sentence in two links,
    /// one of them one-sided) read as rows: paragraph texts joined by a line break, sentence
    /// texts by a space, locations from the first to the last, every entity term of the link's
    /// paragraphs (a sentence row only those inside its sentences).
    @Test func rowsOfManyToManyLinksJoinTheirParagraphsAndSentences() throws {
        var unit = alignedPair()
        unit.alignment = [AlignmentLink(english: [1, 0], spanish: [0, 1], score: 0.9)]
        unit.sentenceAlignment = [
            SentenceLink(paragraphLink: 0, english: [2, 0, 1], spanish: [0, 2, 1], score: 0.8),
            SentenceLink(paragraphLink: 0, english: [1], spanish: [], score: 0.5),
        ]
        let json = try JSONDocumentWriter(options: .init()).render(unit)
        let rows = try BitextDocumentJSON.pairs(from: json)
        let english = unit.documents[0].blocks.map { String(unit.documents[0].text(of: $0.range)) }
        let spanish = unit.documents[1].blocks.map { String(unit.documents[1].text(of: $0.range)) }
        let paragraphRow = try #require(rows.first { $0.key == "resolution.en-es#p0" })
        #expect(paragraphRow.english == english[0] + "\n" + english[1])
        #expect(paragraphRow.spanish == spanish[0] + "\n" + spanish[1])
        #expect(paragraphRow.englishLocation == "resolution.en.txt bytes 0-\(unit.documents[0].blocks[1].range.end)")
        #expect(paragraphRow.entities == "2023-10-02 2 October 2023 2023-10-02 2 de octubre de 2023")
        let sentenceRow = try #require(rows.first { $0.key == "resolution.en-es#s0" })
        let englishSentences = unit.documents[0].sentences.prefix(3).map { String(unit.documents[0].text(of: $0.range)) }
        #expect(sentenceRow.english == englishSentences.joined(separator: " "))
        #expect(sentenceRow.entities == "2023-10-02 2 October 2023 2023-10-02 2 de octubre de 2023")
        let oneSided = try #require(rows.first { $0.key == "resolution.en-es#s1" })
        #expect(oneSided.english == englishSentences[1])
        #expect(oneSided.spanish == "" && oneSided.spanishLocation == "" && oneSided.entities == "")
        // The third English paragraph is in no link: a row of its own.
        #expect(rows.contains { $0.key == "resolution.en-es#en2" && $0.english == english[2] })
    }

    /// A link's indices are read in order, those out of the list's range left out, one index
    /// as several.
    @Test(arguments: [([3, -1, 1, 5], [1, 3]), ([2], [2]), ([4], []), ([-1], []), ([], []), ([1, 0], [0, 1])] as [([Int], [Int])])
    func linkIndicesAreReadInOrderWithinTheList(indices: [Int], expected: [Int]) {
        #expect(BitextDocumentJSON.inOrder(indices, within: 4) { $0 } == expected)
    }

    /// A row's entity terms are what joining them with spaces gives, empty terms included.
    @Test(arguments: [[], [""], ["", "a"], ["a", ""], ["2023-10-02", "2 October 2023"], ["x", "", "", "y"]])
    func entityTermsJoinAsJoinedDoes(_ terms: [String]) {
        var joined = BitextDocumentJSON.Terms()
        for term in terms { joined.append(term) }
        #expect(joined.text == terms.joined(separator: " "))
    }
}
