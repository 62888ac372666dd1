import BitextCore
import Foundation
import Testing

@testable import BitextOutput

/// A paired unit built by hand: one document per language, one block per paragraph, one
/// sentence per block unless `sentences` splits it, and the links given.
func bilingualUnit(
    english: [String], spanish: [String], links: [AlignmentLink], sentenceLinks: [SentenceLink]? = nil
) -> WorkUnit {
    func document(_ paragraphs: [String], path: String) -> Document {
        let text = paragraphs.joined(separator: "\n\n")
        var blocks: [Block] = []
        var offset = 0
        for p in paragraphs {
            let length = p.utf8.count
            blocks.append(Block(kind: .paragraph, range: TextRange(offset, offset + length), position: SourcePosition(line: 1, column: 1)))
            offset += length + 2
        }
        var document = Document(source: SourceFile(path: path, format: .text), text: text, blocks: blocks)
        document.sentences = blocks.indices.map { Sentence(block: $0, range: blocks[$0].range) }
        return document
    }
    var unit = WorkUnit(id: "pair", inputs: [InputFile(path: "a.en.txt"), InputFile(path: "a.es.txt")])
    unit.documents = [document(english, path: "a.en.txt"), document(spanish, path: "a.es.txt")]
    unit.sides = [.english: Side(document: 0, blocks: LinkPositions(english.indices)), .spanish: Side(document: 1, blocks: LinkPositions(spanish.indices))]
    unit.alignment = links
    unit.sentenceAlignment = sentenceLinks
    return unit
}

/// The shared specifications folder (`../shared/specs` from the repository root), if present.
let specsFolder: URL? = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            let specs = url.deletingLastPathComponent().appendingPathComponent("shared/specs")
            return FileManager.default.fileExists(atPath: specs.appendingPathComponent("tmx14.dtd").path) ? specs : nil
        }
    }
    return nil
}()

let xmllint: String? = ["/usr/bin/xmllint", "/usr/local/bin/xmllint"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// Runs `xmllint --noout --dtdvalid DTD FILE`; returns its exit status and messages.
func validate(_ bytes: [UInt8], dtd: URL) throws -> (status: Int32, messages: String) {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("bitext-tmx-\(UUID().uuidString).tmx")
    try Data(bytes).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: xmllint!)
    process.arguments = ["--noout", "--dtdvalid", dtd.path, file.path]
    let pipe = Pipe()
    process.standardError = pipe
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}

@Suite struct TMXWriterTests {
    static let unit = bilingualUnit(
        english: ["Fish & chips <cheap> \"here\".", "Only English.", "Emoji 🇭🇹 and 𝄞 stay; a bell\u{07} goes.", "Two."],
        spanish: ["Pescado y patatas <baratas> «aquí».", "Emoji 🇭🇹 y 𝄞 se quedan; una campana\u{07} se va.", "Dos", "partes."],
        links: [
            AlignmentLink(english: [0], spanish: [0], score: 0.97),
            AlignmentLink(english: [1], spanish: [], score: 0.8, flags: ["omitted"]),
            AlignmentLink(english: [2], spanish: [1], score: 0.9, flags: ["number_mismatch"]),
            AlignmentLink(english: [3], spanish: [2, 3], score: 0.7),
        ],
        sentenceLinks: [
            SentenceLink(paragraphLink: 0, english: [0], spanish: [0], score: 0.97),
            SentenceLink(paragraphLink: 1, english: [1], spanish: [], score: 0.8, flags: ["omitted"]),
            SentenceLink(paragraphLink: 2, english: [2], spanish: [1], score: 0.9),
            SentenceLink(paragraphLink: 3, english: [3], spanish: [2, 3], score: 0.7),
        ])

    func render(_ options: BilingualWriterOptions = .init(), unit: WorkUnit = unit) throws -> String {
        String(decoding: try TMXWriter(options: options).render(unit), as: UTF8.self)
    }

    @Test func headerIsComplete() throws {
        let tmx = try render()
        #expect(tmx.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">"))
        for attribute in [
            "creationtool=\"bitext\"", "creationtoolversion=\"\(BitextVersion.current)\"", "segtype=\"sentence\"", "o-tmf=\"bitext\"",
            "adminlang=\"en\"", "srclang=\"en\"", "datatype=\"plaintext\"",
        ] {
            #expect(tmx.contains(attribute), "\(attribute)")
        }
    }

    @Test func pairsAreEscapedAndOneSidedLinksLeftOut() throws {
        let tmx = try render()
        #expect(tmx.contains("<seg>Fish &amp; chips &lt;cheap&gt; \"here\".</seg>"))
        #expect(tmx.contains("<tuv xml:lang=\"es\">"))
        #expect(!tmx.contains("Only English."))
        #expect(tmx.contains("🇭🇹 and 𝄞"))
        #expect(!tmx.contains("\u{07}"))
        #expect(tmx.contains("<seg>Dos partes.</seg>"))
        #expect(tmx.components(separatedBy: "<tu ").count - 1 == 3)
        #expect(tmx.contains("<prop type=\"x-flags\">number_mismatch</prop>") == false)  // sentence link had no flags
    }

    @Test func paragraphSegmentsOnRequest() throws {
        let tmx = try render(BilingualWriterOptions(segmentType: .paragraph))
        #expect(tmx.contains("segtype=\"paragraph\""))
        #expect(tmx.contains("<prop type=\"x-flags\">number_mismatch</prop>"))
    }

    @Test func fallsBackToParagraphsWithoutSentenceAlignment() throws {
        var unit = Self.unit
        unit.sentenceAlignment = nil
        #expect(try render(unit: unit).contains("segtype=\"paragraph\""))
    }

    @Test func minimumScoreFilters() throws {
        let tmx = try render(BilingualWriterOptions(minimumScore: 0.95))
        #expect(tmx.components(separatedBy: "<tu ").count - 1 == 1)
        #expect(throws: OptionError.self) { try TMXWriter(options: BilingualWriterOptions(minimumScore: 2)) }
    }

    @Test(.enabled(if: specsFolder != nil && xmllint != nil, "needs ../shared/specs/tmx14.dtd and xmllint (libxml2-utils)"))
    func validatesAgainstTheTMXDTD() throws {
        for options in [BilingualWriterOptions(), BilingualWriterOptions(segmentType: .paragraph)] {
            let result = try validate(try TMXWriter(options: options).render(Self.unit), dtd: specsFolder!.appendingPathComponent("tmx14.dtd"))
            #expect(result.status == 0, "\(result.messages)")
        }
        // An unpaired unit gives an empty but valid memory.
        let empty = WorkUnit(id: "single", inputs: [])
        let result = try validate(try TMXWriter(options: .init()).render(empty), dtd: specsFolder!.appendingPathComponent("tmx14.dtd"))
        #expect(result.status == 0, "\(result.messages)")
    }
}
