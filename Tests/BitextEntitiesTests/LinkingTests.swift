import BitextCore
import Testing
@testable import BitextEntities

@Suite struct LinkingTests {
    /// A unit with an English and a Spanish document, one block per paragraph, aligned 1–1.
    func pair(_ english: [String], _ spanish: [String], flags: [[String]] = []) throws -> WorkUnit {
        var unit = WorkUnit(id: "pair", inputs: [InputFile(path: "a.en.txt"), InputFile(path: "a.es.txt")])
        unit.documents = [paragraphDocument(english.joined(separator: "\n\n")), paragraphDocument(spanish.joined(separator: "\n\n"))]
        for (i, language) in [LanguageCode.english, .spanish].enumerated() {
            for b in unit.documents[i].blocks.indices { unit.documents[i].blocks[b].language = language }
            unit.documents[i].languages = [language]
        }
        unit.sides = [.english: Side(document: 0, blocks: LinkPositions(unit.documents[0].blocks.indices)),
                      .spanish: Side(document: 1, blocks: LinkPositions(unit.documents[1].blocks.indices))]
        unit.alignment = english.indices.map { AlignmentLink(english: [$0], spanish: [$0], score: 1, flags: flags.indices.contains($0) ? flags[$0] : []) }
        try ExtractEntities(options: .init()).process(&unit, context: StageContext())
        try LinkEntities(options: .init()).process(&unit, context: StageContext())
        return unit
    }

    func linked(_ unit: WorkUnit, _ english: String, _ spanish: String) -> Bool {
        func find(_ d: Int, _ text: String) -> Entity? {
            unit.documents[d].entities.first { unit.documents[d].text(of: $0.range) == text }
        }
        guard let a = find(0, english), let b = find(1, spanish), let link = a.link else { return false }
        return link == b.link
    }

    @Test func sameValuesShareALinkID() throws {
        let unit = try pair(
            ["On 22 November 2024 the United Nations and the U.S. paid US$ 1,234 to Kenya under resolution 2751 (2024)."],
            ["El 22 de noviembre de 2024 las Naciones Unidas y Estados Unidos pagaron 1.234 dólares a Kenia según la resolución 2751 (2024)."])
        #expect(linked(unit, "22 November 2024", "22 de noviembre de 2024"))
        #expect(linked(unit, "United Nations", "Naciones Unidas"))
        #expect(linked(unit, "U.S.", "Estados Unidos"))
        #expect(linked(unit, "US$ 1,234", "1.234 dólares"))
        #expect(linked(unit, "Kenya", "Kenia"))
        #expect(linked(unit, "resolution 2751 (2024)", "resolución 2751 (2024)"))
        #expect(unit.documents[0].entities.compactMap(\.link).allSatisfy { $0.hasPrefix("L0-") })
        #expect(unit.alignment?[0].flags == [])
    }

    @Test func aResolutionMeetsItsSymbol() throws {
        let unit = try pair(["The Security Council adopted resolution 2751 (2024)."], ["El Consejo de Seguridad aprobó el documento S/RES/2751 (2024)."])
        #expect(linked(unit, "resolution 2751 (2024)", "S/RES/2751 (2024)"))
        #expect(unit.alignment?[0].flags == [])
    }

    @Test func identicalNamesLink() throws {
        let unit = try pair(["The Prime Minister, Ariel Henry, resigned."], ["El Primer Ministro, Ariel Henry, dimitió."])
        #expect(linked(unit, "Ariel Henry", "Ariel Henry"))
    }

    @Test func missingNumberDateAndEntityAreFlagged() throws {
        let unit = try pair(
            ["On 3 May 2024, 15 members of the Security Council met in Haiti.", "Nothing differs here: 40 votes."],
            ["El 4 de mayo de 2024, 14 miembros del Consejo de Seguridad se reunieron en Kenia.", "Nada cambia aquí: 40 votos."])
        #expect(unit.alignment?[0].flags == ["date_mismatch", "entity_mismatch", "number_mismatch"])
        #expect(unit.alignment?[1].flags == [])
    }

    @Test func namesTheOtherVersionWritesAreNotMissing() throws {
        // From samples/debian-reference-appendix: word order differs, and unknown acronyms
        // (VCS / CSV) are not names the gazetteers can compare.
        let unit = try pair(
            ["\"Debian GNU/Linux: Guide to Installation and Usage\" by John Goerzen and Ossama Othman (1999)",
             "significant contents contribution on X and VCS related topics by Brian Nelson"],
            ["«GNU/Linux Debian: guía de instalación y uso« de John Goerzen y Ossama Othman (1999)",
             "una parte significativa del contenido de X y CSV fue escrita por Brian Nelson"])
        #expect(unit.alignment?[0].flags == [])
        #expect(unit.alignment?[1].flags == [])
    }

    @Test func existingFlagsAreNotDuplicated() throws {
        let unit = try pair(["We counted 15 votes."], ["Contamos 16 votos."], flags: [["number_mismatch"]])
        #expect(unit.alignment?[0].flags == ["number_mismatch"])
    }

    @Test func aPartialDateMeetsAFullOne() throws {
        let unit = try pair(["It met on Monday, 30 September."], ["Se reunió el lunes 30 de septiembre de 2024."])
        #expect(linked(unit, "Monday, 30 September", "lunes 30 de septiembre de 2024"))
        #expect(unit.alignment?[0].flags == [])
    }

    @Test func theSampleStatementIsLinkedAndItsTypoFlagged() throws {
        // The sample holds nine English paragraphs and then their nine Spanish versions.
        let text = try sample("bap-mss-statement.en-es.txt")
        let document = paragraphDocument(text)
        var unit = WorkUnit(id: "bap", inputs: [InputFile(path: "bap-mss-statement.en-es.txt")])
        unit.documents = [document]
        #expect(document.blocks.count == 18)
        for b in 0..<18 { unit.documents[0].blocks[b].language = b < 9 ? .english : .spanish }
        unit.sides = [.english: Side(document: 0, blocks: LinkPositions(0..<9)), .spanish: Side(document: 0, blocks: LinkPositions(9..<18))]
        unit.alignment = (0..<9).map { AlignmentLink(english: [$0], spanish: [$0], score: 1) }
        try ExtractEntities(options: .init()).process(&unit, context: StageContext())
        try LinkEntities(options: .init()).process(&unit, context: StageContext())
        let entities = unit.documents[0].entities
        func link(_ text: String, block: Int) -> String? {
            entities.first { $0.block == block && unit.documents[0].text(of: $0.range) == text }?.link
        }
        #expect(link("OCTOBER 14, 2024", block: 1) != nil)
        #expect(link("OCTOBER 14, 2024", block: 1) == link("14 DE OCTUBRE DE 2024", block: 10))
        #expect(link("Monday, September 30th", block: 2) == link("lunes 30 de septiembre", block: 11))
        #expect(link("Ariel Henry", block: 2) == link("Ariel Henry", block: 11))
        #expect(link("Kenya", block: 1) == link("Kenia", block: 10))
        // The Spanish text writes "MMS" where the English has "MSS".
        #expect(unit.alignment?[3].flags.contains("entity_mismatch") == true)
        #expect(unit.alignment?[1].flags.contains("date_mismatch") == false)
    }
}

@Suite struct BilingualSignalTests {
    func unit(aligned: Bool) throws -> WorkUnit {
        var unit = WorkUnit(id: "pair", inputs: [InputFile(path: "a.en.txt"), InputFile(path: "a.es.txt")])
        unit.documents = [paragraphDocument("Okonkwo spoke first. The vote followed."),
                          paragraphDocument("Okonkwo habló primero. Siguió la votación.")]
        unit.sides = [.english: Side(document: 0, blocks: [0]), .spanish: Side(document: 1, blocks: [0])]
        if aligned { unit.alignment = [AlignmentLink(english: [0], spanish: [0], score: 1)] }
        try ExtractEntities(options: .init()).process(&unit, context: StageContext())
        return unit
    }

    @Test("A sentence-initial capital seen in both aligned paragraphs is kept as a name")
    func keepsSharedNames() throws {
        let names = { (unit: WorkUnit) in unit.documents.map { d in d.entities.map { String(d.text(of: $0.range)) } } }
        #expect(names(try unit(aligned: false)) == [[], []])
        #expect(names(try unit(aligned: true)) == [["Okonkwo"], ["Okonkwo"]])
    }
}

/// Linking groups each document's entities by block in two flat arrays: they must hold what
/// grouping them in a table gives, block by block and in entity order.
@Suite struct EntitiesByBlockTests {
    @Test(arguments: [[Int](), [0], [0, 0, 1, 3, 3, 3], [2, 0, 2, 1, 0], [5, 5, 5], [7, 1, 7, 0, 4, 4, 1], [-1, 0, 0, 2], [0, -1, 1, 1]])
    func groupsLikeATable(_ blocks: [Int]) {
        let entities = blocks.enumerated().map { Entity(kind: "number", range: TextRange($0.offset, $0.offset + 1), block: $0.element) }
        let byBlock = LinkEntities.EntitiesByBlock(entities)
        // Entities of no block (-1) are no block's mentions.
        let table = Dictionary(grouping: entities.indices.filter { entities[$0].block >= 0 }) { entities[$0].block }
        for b in -1...9 {
            #expect(byBlock.mentions(of: [b], document: 1).map(\.entity) == (table[b] ?? []))
        }
        let asked = [3, 0, 9, 1]
        #expect(byBlock.mentions(of: asked, document: 1).map(\.entity) == asked.flatMap { table[$0] ?? [] })
    }
}
