import BitextCore
import Foundation
import Testing

@testable import BitextLanguage

/// A document whose blocks are the given paragraphs, joined by blank lines (built by hand,
/// as a segmenter would).
func document(_ paragraphs: [String], path: String = "inline.txt", kinds: [Int: BlockKind] = [:]) -> Document {
    var text = ""
    var blocks: [Block] = []
    for (i, paragraph) in paragraphs.enumerated() {
        if i > 0 { text += "\n\n" }
        let start = text.utf8.count
        text += paragraph
        blocks.append(Block(kind: kinds[i] ?? .paragraph, range: TextRange(start, text.utf8.count), position: SourcePosition(line: 2 * i + 1, column: 1)))
    }
    return Document(source: SourceFile(path: path, format: .text), text: text, blocks: blocks)
}

/// The repository root, found from this file's path.
let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    fatalError("Package.swift not found above \(#filePath)")
}()

/// A sample split into blocks at blank lines (the simplest segmentation).
func sampleByBlankLines(_ name: String) throws -> Document {
    let text = try String(contentsOf: repositoryRoot.appendingPathComponent("samples/\(name)"), encoding: .utf8)
    let paragraphs = text.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    return document(paragraphs, path: "samples/\(name)")
}

let englishParagraphs = [
    "The committee met on Monday to discuss the annual report and the budget for next year.",
    "Members agreed that the new procedures should be published before the end of the month.",
    "The secretariat will circulate the revised text to all delegations for their comments.",
]
let spanishParagraphs = [
    "El comité se reunió el lunes para examinar el informe anual y el presupuesto del próximo año.",
    "Los miembros acordaron que los nuevos procedimientos deberían publicarse antes de fin de mes.",
    "La secretaría distribuirá el texto revisado a todas las delegaciones para que formulen observaciones.",
]

@Suite struct IdentifyLanguageTests {
    let stage = try! IdentifyLanguage(options: .init())

    @Test func labelsBlocksAndDocument() {
        var doc = document(spanishParagraphs)
        stage.identify(&doc)
        #expect(doc.blocks.allSatisfy { $0.language == .spanish && ($0.languageConfidence ?? 0) > 0.9 })
        #expect(doc.languages == [.spanish])
        #expect(doc.languageRuns == [LanguageRun(language: .spanish, firstBlock: 0, lastBlock: 2)])
        #expect(doc.blocks.allSatisfy { $0.flags.isEmpty })
    }

    @Test func flagsAnEnglishBlockInASpanishDocument() {
        var doc = document([spanishParagraphs[0], spanishParagraphs[1], englishParagraphs[2], spanishParagraphs[2]])
        stage.identify(&doc)
        #expect(doc.languages.first == .spanish)
        #expect(doc.blocks[2].language == .english)
        #expect(doc.blocks.map(\.flags) == [[], [], ["untranslated"], []])
        #expect(doc.languageRuns.map(\.language) == [.spanish, .english, .spanish])
    }

    @Test func flagsASpanishBlockInAnEnglishDocument() {
        var doc = document(englishParagraphs + [spanishParagraphs[0]] + englishParagraphs)
        stage.identify(&doc)
        #expect(doc.languages.first == .english)
        #expect(doc.blocks[3].flags == ["untranslated"])
        #expect(doc.blocks.enumerated().allSatisfy { $0.offset == 3 || $0.element.flags.isEmpty })
    }

    @Test func shortUndeterminedBlocksJoinTheirRun() {
        var doc = document([englishParagraphs[0], "2024", englishParagraphs[1], "§ 3", englishParagraphs[2]])
        stage.identify(&doc)
        #expect(doc.blocks[1].language == .undetermined)
        #expect(doc.languageRuns == [LanguageRun(language: .english, firstBlock: 0, lastBlock: 4)])
    }

    @Test func shortBlockOfAnotherLanguageStaysInTheRun() {
        let runs = IdentifyLanguage.runs(labels: ["en", "es", "en", "es"], letters: [200, 5, 200, 300], absorbBelow: 200, shortLetters: 20)
        #expect(runs == [LanguageRun(language: .english, firstBlock: 0, lastBlock: 2), LanguageRun(language: .spanish, firstBlock: 3, lastBlock: 3)])
    }

    @Test func leadingUndeterminedBlocksJoinTheFirstRun() {
        var doc = document(["1.", "***", spanishParagraphs[0], spanishParagraphs[1]])
        stage.identify(&doc)
        #expect(doc.languageRuns == [LanguageRun(language: .spanish, firstBlock: 0, lastBlock: 3)])
    }

    @Test func hintDecidesThinBlocksOnly() {
        var doc = document(["Radio", "Normal", englishParagraphs[0]])
        doc.languageHints = [LanguageHint(source: .documentAttribute, language: "es-ES")]
        stage.identify(&doc)
        #expect(doc.blocks[0].language == .spanish)
        #expect(doc.blocks[1].language == .spanish)
        // Plenty of evidence: the text wins over the hint, and the block is flagged.
        #expect(doc.blocks[2].language == .english)
    }

    /// Without a source hint, a thin block takes the language of the substantial blocks around
    /// it; a source hint outside the model (`de`) is no hint, and the context is not used then.
    @Test func contextDecidesThinBlocksWithoutAHint() {
        var spanish = document([spanishParagraphs[0], "Radio", spanishParagraphs[1]])
        var english = document([englishParagraphs[0], "Radio", englishParagraphs[1]])
        stage.identify(&spanish)
        stage.identify(&english)
        #expect(spanish.blocks[1].language == .spanish)
        #expect(english.blocks[1].language == .english)

        var hinted = document([spanishParagraphs[0], "Radio", spanishParagraphs[1]])
        hinted.languageHints = [LanguageHint(source: .documentAttribute, language: "de-DE")]
        var alone = document(["Radio"])
        stage.identify(&hinted)
        stage.identify(&alone)
        #expect(hinted.blocks[1].language == alone.blocks[0].language)
        #expect(hinted.blocks[1].languageConfidence == alone.blocks[0].languageConfidence)
        #expect(hinted.blocks[1].languageConfidence != spanish.blocks[1].languageConfidence)
    }

    @Test func thinBlocksOfAnEnglishDocumentAreNotTakenForAThirdLanguage() {
        var doc = document(englishParagraphs + ["Ambassador", "Embaixador"] + englishParagraphs)
        stage.identify(&doc)
        #expect(doc.blocks[3].language == .english || doc.blocks[3].language == .undetermined)
        #expect(LanguageCode.pairLanguages.contains(doc.blocks[4].language!) || doc.blocks[4].language == .undetermined)
    }

    @Test func elementHintBeatsDocumentHint() {
        var doc = document(["Radio", "Radio"])
        doc.languageHints = [
            LanguageHint(source: .documentAttribute, language: "es"),
            LanguageHint(source: .elementAttribute, language: "en", block: 1),
        ]
        stage.identify(&doc)
        #expect(doc.blocks.map(\.language) == [.spanish, .english])
    }

    @Test func otherLanguagesAreNotForcedIntoThePair() {
        var doc = document([
            "O comité reuniu-se na segunda-feira para discutir o relatório anual e o orçamento.",
            "Os membros concordaram que os novos procedimentos devem ser publicados até ao fim do mês.",
        ])
        stage.identify(&doc)
        #expect(doc.languages == ["pt"])
        #expect(doc.blocks.allSatisfy { $0.flags.isEmpty })
    }

    @Test func statementSampleIsMixedNotUntranslated() throws {
        var doc = try sampleByBlankLines("bap-mss-statement.en-es.txt")
        stage.identify(&doc)
        #expect(Set(doc.languages) == [.english, .spanish])
        #expect(doc.languageRuns.map(\.language) == [.english, .spanish])
        #expect(doc.blocks.allSatisfy { $0.flags.isEmpty }, "a text followed by its translation is a pair, not untranslated")
    }

    @Test func englishLetterSample() throws {
        var doc = try sampleByBlankLines("oas-haiti-peacekeeping-letter.en.txt")
        stage.identify(&doc)
        #expect(doc.languages.first == .english)
        let prose = doc.blocks.filter { $0.range.length > 150 }
        #expect(!prose.isEmpty && prose.allSatisfy { $0.language == .english })
    }

    @Test("Rejects options that make no sense", arguments: [
        IdentifyLanguage.Options(thinLetters: -1),
        IdentifyLanguage.Options(hintWeight: -2),
        IdentifyLanguage.Options(untranslatedMinConfidence: 1.5),
    ])
    func rejectsOptions(options: IdentifyLanguage.Options) {
        #expect(throws: OptionError.self) { try IdentifyLanguage(options: options) }
    }
}
