import BitextCore
import BitextIngest
import Foundation
import PropertyBased
import Testing

@testable import BitextOutput

/// Reads bitext's JSON (written with `include_text: true`) back into documents: the proof
/// that the JSON carries the whole document, not a lossy summary.
///
/// Not recoverable from the JSON by design: the full source offset map (only each
/// paragraph's source start and end are written), removed content's column (only its line),
/// and which document a diagnostic belongs to when a unit has several (it names the file).
enum BitextJSONReader {
    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    static func read(_ bytes: [UInt8]) throws -> WorkUnit {
        guard let root = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { throw ReadError(description: "not an object") }
        guard root["format"] as? String == "bitext-document", root["offset_unit"] as? String == "utf8" else { throw ReadError(description: "not bitext JSON") }
        let paths = root["source"] as? [String] ?? []
        var unit = WorkUnit(id: root["id"] as? String ?? "", inputs: paths.map { InputFile(path: $0) })
        for entry in root["documents"] as? [[String: Any]] ?? [] {
            guard let text = entry["text"] as? String else { throw ReadError(description: "written without include_text") }
            let format = SourceFormat(rawValue: entry["format"] as? String ?? "") ?? .text
            let source = SourceFile(path: entry["path"] as? String ?? "", format: format, encoding: entry["encoding"] as? String ?? "", byteCount: entry["bytes"] as? Int ?? 0)
            var document = Document(source: source, text: text)
            document.languages = (entry["languages"] as? [String] ?? []).map { LanguageCode($0) }
            document.languageRuns = (entry["language_runs"] as? [[String: Any]] ?? []).map {
                LanguageRun(language: LanguageCode($0["lang"] as? String ?? ""), firstBlock: $0["first_block"] as? Int ?? 0, lastBlock: $0["last_block"] as? Int ?? 0)
            }
            document.languageHints = (entry["language_hints"] as? [[String: Any]] ?? []).map {
                LanguageHint(source: LanguageHint.Source(rawValue: $0["source"] as? String ?? "") ?? .fileName, language: LanguageCode($0["lang"] as? String ?? ""), href: $0["href"] as? String, block: $0["block"] as? Int)
            }
            unit.documents.append(document)
        }
        // Paragraphs → blocks; remember which block each paragraph index is, per language.
        var blockOf: [String: [Int: (document: Int, block: Int)]] = [:]
        var pending: [(document: Int, block: Int, value: Block, marks: [[String: Any]], language: String, text: String)] = []
        for (language, list) in root["paragraphs"] as? [String: [[String: Any]]] ?? [:] {
            for p in list {
                let d = p["document"] as? Int ?? 0
                let b = p["block"] as? Int ?? 0
                blockOf[language, default: [:]][p["index"] as? Int ?? 0] = (d, b)
                var block = Block(
                    kind: BlockKind(rawValue: p["kind"] as? String ?? "") ?? .paragraph,
                    range: TextRange(p["start"] as? Int ?? 0, p["end"] as? Int ?? 0),
                    position: SourcePosition(line: p["line"] as? Int ?? 0, column: p["column"] as? Int ?? 0),
                    level: p["level"] as? Int, marker: p["marker"] as? String, attributes: p["attributes"] as? [String: String] ?? [:])
                block.language = (p["lang"] as? String).map { LanguageCode($0) }
                block.languageConfidence = p["lang_confidence"] as? Double
                block.flags = p["flags"] as? [String] ?? []
                block.excluded = (p["excluded"] as? [[Int]] ?? []).map { TextRange($0[0], $0[1]) }
                pending.append((d, b, block, p["marks"] as? [[String: Any]] ?? [], language, p["text"] as? String ?? ""))
            }
        }
        for (d, b, _, _, _, _) in pending {
            guard unit.documents.indices.contains(d) else { throw ReadError(description: "paragraph of missing document \(d)") }
            while unit.documents[d].blocks.count <= b {
                unit.documents[d].blocks.append(Block(kind: .paragraph, range: TextRange(0, 0), position: SourcePosition(line: 0, column: 0)))
            }
        }
        for (d, b, block, marks, language, text) in pending {
            var block = block
            unit.documents[d].blocks[b] = block
            // Soft line breaks are not a field: they show in the text (a space where the range has a line feed).
            if unit.documents[d].text(ofBlock: b) != text {
                block.foldsLineBreaks = true
                unit.documents[d].blocks[b] = block
            }
            for m in marks {
                unit.documents[d].marks.append(
                    InlineMark(
                        kind: InlineMark.Kind(rawValue: m["kind"] as? String ?? "") ?? .bold, range: TextRange(m["start"] as? Int ?? 0, m["end"] as? Int ?? 0),
                        value: m["value"] as? String, target: (m["target"] as? Int).flatMap { blockOf[language]?[$0]?.block }, href: m["href"] as? String))
            }
        }
        for d in unit.documents.indices { unit.documents[d].marks.sort { $0.range < $1.range } }
        for (language, list) in root["sentences"] as? [String: [[String: Any]]] ?? [:] {
            for s in list {
                guard let (d, b) = blockOf[language]?[s["paragraph"] as? Int ?? -1] else { throw ReadError(description: "sentence of a missing paragraph") }
                unit.documents[d].sentences.append(Sentence(block: b, range: TextRange(s["start"] as? Int ?? 0, s["end"] as? Int ?? 0)))
            }
        }
        for (language, list) in root["entities"] as? [String: [[String: Any]]] ?? [:] {
            for e in list {
                guard let (d, b) = blockOf[language]?[e["paragraph"] as? Int ?? -1] else { throw ReadError(description: "entity of a missing paragraph") }
                unit.documents[d].entities.append(
                    Entity(kind: e["kind"] as? String ?? "", range: TextRange(e["start"] as? Int ?? 0, e["end"] as? Int ?? 0), block: b, normalized: e["normalized"] as? String, link: e["link"] as? String, attributes: e["attributes"] as? [String: String] ?? [:]))
            }
        }
        for r in root["removed"] as? [[String: Any]] ?? [] {
            let d = r["document"] as? Int ?? 0
            unit.documents[d].removed.append(
                RemovedContent(reason: r["reason"] as? String ?? "", position: SourcePosition(line: r["line"] as? Int ?? 0, column: 0), elementPath: r["element_path"] as? String, excerpt: r["excerpt"] as? String ?? "", characters: r["characters"] as? Int ?? 0))
        }
        let diagnostics = (root["diagnostics"] as? [[String: Any]] ?? []).map { j in
            Diagnostic(
                Diagnostic.Severity(rawValue: j["severity"] as? String ?? "") ?? .warning, file: j["file"] as? String ?? "",
                position: (j["line"] as? Int).map { SourcePosition(line: $0, column: j["column"] as? Int ?? 0) }, byteOffset: j["byte"] as? Int,
                stage: j["stage"] as? String, message: j["message"] as? String ?? "")
        }
        if unit.documents.count == 1 { unit.documents[0].diagnostics = diagnostics } else { unit.diagnostics = diagnostics }
        if let links = root["alignment"] as? [[String: Any]] {
            unit.alignment = links.map { AlignmentLink(english: LinkPositions($0["en"] as? [Int] ?? []), spanish: LinkPositions($0["es"] as? [Int] ?? []), score: $0["score"] as? Double ?? 0, flags: $0["flags"] as? [String] ?? [], explanation: $0["explanation"] as? [String: String]) }
        }
        return unit
    }
}

@Suite struct RoundTripPropertyTests {
    static let fragments = [
        "The Council", " reaffirms", " its commitment", ".", "\n", "\n\n", "\n1. First item", "\n  (a) nested", "\n# Heading\n",
        "**bold** text", "^{1/}", "\n[1] A note.", "Año ", "pingüino ", "\r\n", "\u{0}", "ESTADOS UNIDOS", "\n```\ncode\n```\n",
        " that wraps onto the next line because it is long enough to have been wrapped at seventy columns", "\u{A0}", "\t",
        "\nFOOTNOTES\n", "\n(Signed) Name\n", "e\u{301}", "\"quote\"", "<b>&amp;</b>", "\u{7}",
    ]
    static let document = Gen.element(of: fragments).array(of: 0...60).map { $0.compactMap { $0 }.joined() }

    private func unit(_ text: String) throws -> WorkUnit? {
        let input = InputFile(path: "dir/generated \"doc\".txt", relativePath: "generated.txt")
        guard var document = try? PlainTextIngest.document(from: Array(text.utf8), file: input) else { return nil }
        PlainTextSegmenter().segment(&document)
        var unit = WorkUnit(id: "generated", inputs: [input])
        unit.documents = [document]
        return unit
    }

    private func expectSame(_ a: Document, _ b: Document) {
        #expect(a.text == b.text)
        #expect(a.source == b.source)
        #expect(a.blocks == b.blocks)
        #expect(a.marks == b.marks)
        #expect(a.sentences == b.sentences)
        #expect(a.entities == b.entities)
        #expect(a.languages == b.languages)
        #expect(a.languageRuns == b.languageRuns)
        #expect(a.languageHints == b.languageHints)
        #expect(a.diagnostics == b.diagnostics)
        #expect(a.removed.map(\.excerpt) == b.removed.map(\.excerpt))
    }

    @Test func readingTheJSONBackGivesTheSameDocument() async throws {
        let writer = try JSONDocumentWriter(options: .init(includeText: true, pretty: false))
        await propertyCheck(count: 200, input: Self.document) { text in
            guard let original = try unit(text) else { return }
            let read = try BitextJSONReader.read(writer.render(original))
            #expect(read.id == original.id)
            #expect(read.inputs.map(\.path) == original.inputs.map(\.path))
            #expect(read.documents.count == 1)
            if let document = read.documents.first { expectSame(document, original.documents[0]) }
        }
    }

    @Test func theSamplesRoundTripWithAnnotationsFromEveryLayer() throws {
        let writer = try JSONDocumentWriter(options: .init(includeText: true))
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("samples/oas-haiti-peacekeeping-letter.en.txt")
        var original = try #require(try unit(String(decoding: Data(contentsOf: url), as: UTF8.self)))
        // Layers later stages add, filled by hand so that the reader is tested on all of them.
        var document = original.documents[0]
        document.languages = [.english]
        document.languageHints = [LanguageHint(source: .fileName, language: .english)]
        document.languageRuns = [LanguageRun(language: .english, firstBlock: 0, lastBlock: document.blocks.count - 1)]
        document.sentences = document.blocks.indices.map { Sentence(block: $0, range: document.blocks[$0].range) }
        let first = document.blocks[0].range
        document.entities = [Entity(kind: "organization", range: TextRange(first.start, first.start + 3), block: 0, normalized: "X", link: "e1", attributes: ["k": "v"])]
        document.blocks[0].language = .english
        document.blocks[0].languageConfidence = 0.5
        document.blocks[0].flags = ["untranslated"]
        original.documents[0] = document
        original.sides = [.english: Side(document: 0, blocks: LinkPositions(document.blocks.indices))]
        let read = try BitextJSONReader.read(writer.render(original))
        expectSame(read.documents[0], original.documents[0])
    }
}
