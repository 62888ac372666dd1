import BitextCore
import Testing
@testable import BitextEntities

/// `extract.entities` on an aligned pair reads the bilingual signal from pass 1's runs;
/// it must give what extracting each document with `BilingualSignal.names(in:)` gives.
@Suite struct AlignedExtractionTests {
    func sampleUnit() throws -> WorkUnit {
        let document = paragraphDocument(try sample("bap-mss-statement.en-es.txt"))
        var unit = WorkUnit(id: "bap", inputs: [InputFile(path: "bap-mss-statement.en-es.txt")])
        unit.documents = [document]
        for b in 0..<18 { unit.documents[0].blocks[b].language = b < 9 ? .english : .spanish }
        unit.sides = [.english: Side(document: 0, blocks: LinkPositions(0..<9)), .spanish: Side(document: 0, blocks: LinkPositions(9..<18))]
        unit.alignment = (0..<9).map { AlignmentLink(english: [$0], spanish: [$0], score: 1) }
        return unit
    }

    func pairUnit() -> WorkUnit {
        var unit = WorkUnit(id: "pair", inputs: [InputFile(path: "a.en.txt"), InputFile(path: "a.es.txt")])
        unit.documents = [
            paragraphDocument("Okonkwo spoke first. The vote followed.\n\nThe Black Alliance for Peace (BAP) met Ariel Henry in Port-au-Prince.\n\nNothing here."),
            paragraphDocument("Okonkwo habló primero. Siguió la votación.\n\nLa Alianza Negra por la Paz (BAP) se reunió con Ariel Henry en Port-au-Prince.\n\nNada aquí."),
        ]
        unit.sides = [.english: Side(document: 0, blocks: [0, 1, 2]), .spanish: Side(document: 1, blocks: [0, 1, 2])]
        unit.alignment = [AlignmentLink(english: [0], spanish: [0], score: 1), AlignmentLink(english: [1, 2], spanish: [1], score: 1)]
        return unit
    }

    /// Common words written with a capital in both versions, alone and in longer runs: pass 2
    /// tests a shared one-word run against the dictionary itself (`BilingualKeys.oneWordRunsScreened`).
    func commonWordsUnit() -> WorkUnit {
        var unit = WorkUnit(id: "common", inputs: [InputFile(path: "c.en.txt"), InputFile(path: "c.es.txt")])
        unit.documents = [
            paragraphDocument("Total costs rose. Radio Nacional spoke.\n\nNormal service resumed. Plan B failed. Total.\n\nGeneral Motors and Internet Explorer.\n\nCONTROL PANEL"),
            paragraphDocument("Total de costes subió. Radio Nacional habló.\n\nNormal servicio reanudó. Plan B falló. Total.\n\nGeneral Motors e Internet Explorer.\n\nCONTROL PANEL"),
        ]
        unit.sides = [.english: Side(document: 0, blocks: [0, 1, 2, 3]), .spanish: Side(document: 1, blocks: [0, 1, 2, 3])]
        unit.alignment = (0..<4).map { AlignmentLink(english: [$0], spanish: [$0], score: 1) }
        return unit
    }

    @Test func theSignalFromPassOneEqualsTheReference() throws {
        for var unit in [try sampleUnit(), pairUnit(), commonWordsUnit()] {
            let reference = BilingualSignal.names(in: unit)
            let expected = unit.documents.indices.map { EntityExtractor().extract(from: unit.documents[$0], bilingualNames: reference[$0] ?? [:]) }
            try ExtractEntities(options: .init()).process(&unit, context: StageContext())
            #expect(unit.documents.map(\.entities) == expected)
            #expect(!reference.isEmpty)
        }
    }
}
