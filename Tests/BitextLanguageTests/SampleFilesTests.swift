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
        #expect(english.blocks + spanish.blocks == Array(document.blocks.indices))
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
