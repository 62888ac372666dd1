import BitextCore
import BitextIngest
import Foundation
import Testing

@testable import BitextLanguage

/// The real samples, read and segmented the way the pipeline does.
@Suite struct SampleFilesTests {
    func segmentedSample(_ name: String) throws -> Document {
        let url = repositoryRoot.appendingPathComponent("samples/\(name)")
        var document = try PlainTextIngest.document(from: Array(try Data(contentsOf: url)), file: InputFile(path: url.path))
        PlainTextSegmenter().segment(&document)
        return document
    }

    @Test func statementSplitsIntoEnglishThenSpanish() throws {
        var unit = WorkUnit(id: "bap-mss-statement.en-es", inputs: [InputFile(path: "samples/bap-mss-statement.en-es.txt")])
        unit.documents = [try segmentedSample("bap-mss-statement.en-es.txt")]
        try IdentifyLanguage(options: .init()).process(&unit, context: StageContext())
        try PairDocuments(options: .init()).process(&unit, context: StageContext())
        let document = unit.documents[0]
        let english = try #require(unit.sides[.english])
        let spanish = try #require(unit.sides[.spanish])
        // Every block in exactly one side, English first.
        #expect(english.blocks.array + spanish.blocks.array == Array(document.blocks.indices))
        #expect((8...10).contains(english.blocks.count))
        #expect(document.text(ofBlock: spanish.blocks[0]).hasPrefix("La Misión"))
        #expect(document.languageRuns.map(\.language) == [.english, .spanish])
        #expect(document.blocks.allSatisfy { $0.flags.isEmpty })
        for index in english.blocks where document.blocks[index].range.length > 60 {
            #expect(document.blocks[index].language == .english)
        }
        for index in spanish.blocks where document.blocks[index].range.length > 60 {
            #expect(document.blocks[index].language == .spanish)
        }
    }

    @Test func letterIsEnglishWithNothingFlagged() throws {
        var unit = WorkUnit(id: "oas", inputs: [InputFile(path: "samples/oas-haiti-peacekeeping-letter.en.txt", languageHint: .english)])
        unit.documents = [try segmentedSample("oas-haiti-peacekeeping-letter.en.txt")]
        try IdentifyLanguage(options: .init()).process(&unit, context: StageContext())
        try PairDocuments(options: .init()).process(&unit, context: StageContext())
        let document = unit.documents[0]
        #expect(document.languages.first == .english)
        #expect(unit.sides.isEmpty)
        #expect(unit.views.keys.sorted() == [.english])
        #expect(document.blocks.allSatisfy { !$0.flags.contains("untranslated") })
    }
}

/// The whole batch of samples: planning from the real files (names and hreflang read from
/// disk), then the HTML pairs through ingest, identification and pairing.
@Suite struct SampleBatchTests {
    let samples: [InputFile] = {
        let directory = repositoryRoot.appendingPathComponent("samples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".txt") || $0.hasSuffix(".html") }.sorted().map {
            InputFile(path: directory.appendingPathComponent($0).path, relativePath: $0)
        }
    }()

    @Test func plansTheSamples() throws {
        let plan = try PairDocuments(options: .init()).plan(samples)
        let pairs = plan.units.filter { $0.count == 2 }.map { $0.map(\.relativePath) }
        #expect(pairs.contains(["debian-reference-appendix.en.html", "debian-reference-appendix.es.html"]))
        #expect(pairs.contains(["libreoffice-help-meta-tags.en.html", "libreoffice-help-meta-tags.es.html"]))
        let noted = Set(plan.notes.map { ($0.file as NSString).lastPathComponent })
        #expect(noted.isSuperset(of: ["bap-mss-statement.en-es.txt", "oas-haiti-peacekeeping-letter.en.txt"]))
        let letter = try #require(plan.notes.first { $0.file.hasSuffix("oas-haiti-peacekeeping-letter.en.html") })
        #expect(letter.message.contains("hreflang alternate"))
        // Every input is in exactly one unit.
        #expect(plan.units.flatMap { $0 }.map(\.relativePath).sorted() == samples.map(\.relativePath))
    }

    @Test("HTML pairs get their sides, and the text agrees with the names", arguments: ["debian-reference-appendix", "libreoffice-help-meta-tags"])
    func htmlPair(name: String) throws {
        let plan = try PairDocuments(options: .init()).plan(samples)
        let inputs = try #require(plan.units.first { $0.first?.relativePath == "\(name).en.html" })
        var unit = WorkUnit(id: name, inputs: inputs)
        try Ingest(options: .init()).process(&unit, context: StageContext())
        try SegmentParagraphs(options: NoOptions()).process(&unit, context: StageContext())
        try IdentifyLanguage(options: .init()).process(&unit, context: StageContext())
        try PairDocuments(options: .init()).process(&unit, context: StageContext())
        #expect(unit.sides[.english]?.document == 0)
        #expect(unit.sides[.spanish]?.document == 1)
        #expect(unit.documents[0].languages.first == .english)
        #expect(unit.documents[1].languages.first == .spanish)
        #expect(unit.diagnostics.isEmpty)
        // Long English blocks of the English page are never flagged.
        #expect(unit.documents[0].blocks.allSatisfy { $0.flags.isEmpty })
    }

    @Test("Untranslated paragraphs of the Spanish pages are flagged", arguments: ["debian-reference-appendix", "libreoffice-help-meta-tags"])
    func untranslatedParagraphsAreFlagged(name: String) throws {
        let plan = try PairDocuments(options: .init()).plan(samples)
        let inputs = try #require(plan.units.first { $0.first?.relativePath == "\(name).en.html" })
        var unit = WorkUnit(id: "appendix", inputs: inputs)
        try Ingest(options: .init()).process(&unit, context: StageContext())
        try IdentifyLanguage(options: .init()).process(&unit, context: StageContext())
        let spanish = unit.documents[1]
        let flagged = spanish.blocks.indices.filter { spanish.blocks[$0].flags.contains("untranslated") }
        #expect(!flagged.isEmpty)
        for index in flagged {
            #expect(spanish.blocks[index].language == .english, "\(spanish.text(ofBlock: index))")
        }
        // …and every long English block of the Spanish page is.
        for index in spanish.blocks.indices where spanish.blocks[index].language == .english && spanish.blocks[index].range.length > 80 {
            #expect(flagged.contains(index), "\(spanish.text(ofBlock: index))")
        }
    }
}
