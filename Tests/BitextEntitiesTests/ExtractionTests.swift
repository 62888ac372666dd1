import BitextCore
import Testing
@testable import BitextEntities

/// (text, language, kind, covered text, normalized)
typealias Expectation = (String, String, String, String, String)

@Suite struct ExtractionTests {
    func find(_ text: String, _ language: String, kind: String) -> [(String, String?)] {
        let document = Document(source: SourceFile(path: "t", format: .text), text: text,
                                blocks: [Block(kind: .paragraph, range: TextRange(0, text.utf8.count), position: .init(line: 1, column: 1))])
        var d = document
        d.blocks[0].language = LanguageCode(language)
        return EntityExtractor().extract(from: d).filter { $0.kind == kind }.map { (String(d.text(of: $0.range)), $0.normalized) }
    }

    @Test("Closed kinds", arguments: [
        ("See S/2024/765 now.", "en", "document_symbol", "S/2024/765", "S/2024/765"),
        ("adopted A/RES/78/1 and", "en", "document_symbol", "A/RES/78/1", "A/RES/78/1"),
        ("statement S/PRST/2024/1.", "en", "document_symbol", "S/PRST/2024/1", "S/PRST/2024/1"),
        ("resolution CP/RES. 1268 (2523/24), adopted", "en", "document_symbol", "CP/RES. 1268 (2523/24)", "CP/RES. 1268 (2523/24)"),
        ("OAS/Ser.G", "en", "document_symbol", "OAS/Ser.G", "OAS/Ser.G"),
        ("under S/RES/2751 (2024), the", "en", "document_symbol", "S/RES/2751 (2024)", "S/RES/2751 (2024)"),
        ("draft A/78/L.1/Rev.1 was", "en", "document_symbol", "A/78/L.1/Rev.1", "A/78/L.1/Rev.1"),
        ("la resolución AG/RES. 2976 (LI-O/21) sobre", "es", "document_symbol", "AG/RES. 2976 (LI-O/21)", "AG/RES. 2976 (LI-O/21)"),
        ("UNSC document S/2024-765)", "en", "document_symbol", "S/2024-765", "S/2024/765"),
        ("under Resolution 2751 (2024), which", "en", "resolution", "Resolution 2751 (2024)", "2751 (2024)"),
        ("la resolución 2751 (2024) del", "es", "resolution", "resolución 2751 (2024)", "2751 (2024)"),
        ("General Assembly resolution 78/1 of", "en", "resolution", "resolution 78/1", "78/1"),
        ("costs US$ 1,000 each", "en", "money", "US$ 1,000", "1000 USD"),
        ("costs $5 million", "en", "money", "$5 million", "5000000 USD"),
        ("vale 20 euros", "es", "money", "20 euros", "20 EUR"),
        ("unos 10 millones de dólares", "es", "money", "10 millones de dólares", "10000000 USD"),
        ("a €3.5 fee", "en", "money", "€3.5", "3.5 EUR"),
        ("paid 300 USD", "en", "money", "300 USD", "300 USD"),
        ("rose 12.5% in", "en", "percent", "12.5%", "12.5%"),
        ("subió un 12,5 % en", "es", "percent", "12,5 %", "12.5%"),
        ("fell 3 per cent", "en", "percent", "3 per cent", "3%"),
        ("el 40 por ciento", "es", "percent", "40 por ciento", "40%"),
        ("see https://www.oas.org/en/council/. Then", "en", "url", "https://www.oas.org/en/council/", "https://www.oas.org/en/council/"),
        ("(www.un.org)", "en", "url", "www.un.org", "www.un.org"),
        ("write to Info.Press@OAS.org.", "en", "email", "Info.Press@OAS.org", "info.press@oas.org"),
        ("there were 1,234 people", "en", "number", "1,234", "1234"),
        ("había 1.234 personas", "es", "number", "1.234", "1234"),
    ] as [Expectation])
    func closedKinds(text: String, language: String, kind: String, covered: String, normalized: String) {
        let found = find(text, language, kind: kind)
        #expect(found.map(\.0) == [covered])
        #expect(found.map(\.1) == [normalized])
    }

    @Test("Countries, organizations, persons, locations", arguments: [
        ("funded by the U.S. and led", "en", "country", "U.S.", "US"),
        ("financiada por EE. UU. y", "es", "country", "EE. UU.", "US"),
        ("intervención de EE.UU. en", "es", "country", "EE.UU.", "US"),
        ("dirigida por Estados Unidos y", "es", "country", "Estados Unidos", "US"),
        ("troops from Kenya arrived", "en", "country", "Kenya", "KE"),
        ("tropas de Kenia llegaron", "es", "country", "Kenia", "KE"),
        ("people of Haití suffer", "es", "country", "Haití", "HT"),
        ("the Haitian people", "en", "country", "Haitian", "HT"),
        ("el pueblo haitiano y", "es", "country", "haitiano", "HT"),
        ("members of the United Nations agree", "en", "organization", "United Nations", "UN"),
        ("miembros de las Naciones Unidas y", "es", "organization", "Naciones Unidas", "UN"),
        ("la ONU y", "es", "organization", "ONU", "UN"),
        ("the OAS said", "en", "organization", "OAS", "OAS"),
        ("la OEA dijo", "es", "organization", "OEA", "OAS"),
        ("el Consejo de Seguridad votó", "es", "organization", "Consejo de Seguridad", "UNSC"),
        ("the talks, said Ambassador Linda Thomas-Greenfield on", "en", "person", "Linda Thomas-Greenfield", "Linda Thomas-Greenfield"),
        ("según la Sra. María López, que", "es", "person", "María López", "María López"),
        ("Prime Minister, Ariel Henry, and", "en", "person", "Ariel Henry", "Ariel Henry"),
        ("la Embajadora Rosa Pérez dijo", "es", "person", "Rosa Pérez", "Rosa Pérez"),
        ("a base in the city of Madrid and", "en", "location", "Madrid", "ES-M"),
        ("nations of the Caribbean and", "en", "location", "Caribbean", "029"),
        ("las naciones del Caribe y", "es", "location", "Caribe", "029"),
        ("de América Central y", "es", "location", "América Central", "013"),
        ("though the Biden administration has", "en", "person", "Biden", "Biden"),
    ] as [Expectation])
    func names(text: String, language: String, kind: String, covered: String, normalized: String) {
        let found = find(text, language, kind: kind)
        #expect(found.map(\.0) == [covered])
        #expect(found.map(\.1) == [normalized])
    }

    @Test("Sentence-initial capitals and all-capital headings are not names", arguments: [
        ("Yet, the mission will fail.", "en"),
        ("Though the vote passed, nothing changed.", "en"),
        ("Afirmamos que la intervención es ilegal.", "es"),
        ("RECALLING the Charter and NOTING the report,", "en"),
        ("No to Another Occupation!", "en"),
        ("The Government of the day said so.", "en"),
    ])
    func noFalseNames(text: String, language: String) {
        let names = EntityExtractor().extract(text: text, language: .init(language))
            .filter { EntityKind(rawValue: $0.kind)?.isName == true }
        #expect(names.isEmpty, "\(names.map { String(text.utf8.dropFirst($0.range.start).prefix($0.range.length))! })")
    }

    @Test("Acronym definitions carry their expansion and name later mentions")
    func acronyms() {
        let text = "The mandate of the Multinational Security Support (MSS) mission was renewed. The MSS is led by Kenya."
        let entities = EntityExtractor().extract(text: text, language: .english)
        let acronym = entities.first { $0.kind == "acronym" }
        #expect(acronym?.normalized == "MSS")
        #expect(acronym?.attributes["expansion"] == "Multinational Security Support")
        let later = entities.filter { $0.kind == "organization" && $0.attributes["acronym"] == "MSS" }
        #expect(later.count == 2)  // the expansion and the later mention
    }

    @Test("Spanish acronym definitions whose letters come from English")
    func spanishAcronym() {
        let text = "La Misión Multinacional de Apoyo a la Seguridad (MSS) en Haití debe terminar."
        let acronym = EntityExtractor().extract(text: text, language: .spanish).first { $0.kind == "acronym" }
        #expect(acronym?.attributes["expansion"] == "Misión Multinacional de Apoyo a la Seguridad")
    }

    @Test("Offsets are UTF-8 byte offsets into the document text")
    func offsets() {
        let text = "¡Kenia fuera de Haití!"
        let entities = EntityExtractor().extract(text: text, language: .spanish)
        let utf8 = Array(text.utf8)
        let covered = entities.map { String(decoding: utf8[$0.range.start..<$0.range.end], as: UTF8.self) }
        #expect(covered == ["Kenia", "Haití"])
    }

    /// A name is normalized with one space between its words however the text spaces them
    /// (single spaces take the text as it stands, other gaps are rebuilt).
    @Test("Names are normalized with one space between words", arguments: [
        "We met Ambassador Linda Thomas-Greenfield today.",
        "We met Ambassador Linda  Thomas-Greenfield today.",
        "We met Ambassador Linda\u{00A0}Thomas-Greenfield today.",
        "We met Ambassador Linda\tThomas-Greenfield today.",
    ])
    func namesCollapseWhiteSpace(_ text: String) {
        #expect(find(text, "en", kind: "person").map(\.1) == ["Linda Thomas-Greenfield"])
    }

    @Test("The kinds option filters the output")
    func kindsFilter() {
        let extractor = EntityExtractor(kinds: ["date"])
        #expect(extractor.extract(text: "Kenya, 22 November 2024, 15 votes", language: .english).map(\.kind) == ["date"])
    }

    /// As many names as there are kinds, or more, are not all kinds: only the named ones are
    /// reported (`bitext entities --kinds` passes what it is given unchecked).
    @Test("Unknown kind names do not stand for every kind")
    func unknownKindsAreNotEverything() {
        let text = "Kenya, 22 November 2024, 15 votes"
        let bogus = Set((0...EntityKind.allCases.count).map { "no_such_kind_\($0)" })
        #expect(EntityExtractor(kinds: bogus).extract(text: text, language: .english).isEmpty)
        #expect(EntityExtractor(kinds: bogus.union(["date"])).extract(text: text, language: .english).map(\.kind) == ["date"])
        let every = EntityExtractor().extract(text: text, language: .english)
        #expect(every.count >= 3)
        #expect(EntityExtractor(kinds: bogus.union(EntityKind.allCases.map(\.rawValue))).extract(text: text, language: .english) == every)
    }
}
