import BitextCore
import BitextTestSupport
import Testing

@testable import BitextEntities

/// Pass 1 tries for closed kinds (dates, numbers, money, percentages, symbols, resolutions)
/// only the tokens its walk listed as able to begin one (`canStartClosedKind`), pass 2 tries
/// for names only those listed as able to begin a name (`canStartName`), and acronym
/// definitions are looked for from a block's first "(": every entity must be the one trying
/// every token finds.
@Suite struct ClosedKindStartsTests {
    static func entities(_ document: Document, everyToken: Bool) -> [Entity] {
        var text = document.text
        let inputs = EntityExtractor().inputs(document)
        return text.withUTF8 { p in
            var scanner = DocumentScanner(p: p, lexicon: Lexicon.shared)
            scanner.triesEveryToken = everyToken
            return scanner.run(inputs, inferYears: true)
        }
    }

    @Test(arguments: ["bap-mss-statement.en-es.txt", "oas-haiti-peacekeeping-letter.en.txt"])
    func samplesFindWhatEveryTokenFinds(name: String) throws {
        let document = paragraphDocument(try sample(name))
        let listed = Self.entities(document, everyToken: false)
        #expect(listed.count > 20)
        #expect(listed == Self.entities(document, everyToken: true))
    }

    /// Seeded random documents dense in closed kinds and near misses.
    @Test func randomDocumentsFindWhatEveryTokenFinds() {
        var generator = SplitMix64(seed: 2611)
        let pieces = [
            "22", "November", "noviembre", "de", "2024", "1,234.5", "3", "$", "US$", "€", "£", "¥", "USD", "EUR", "%", "per", "cent",
            "S/2024/765", "A/RES/78/1", "CP/RES.", "1268", "(2523/24)", "resolution", "resolución", "Monday", "lunes", "the", "el",
            "13-15", "del", "al", "15", "2024-11-22", "22/11/2024", "1.º", "30th", "million", "millones", "mil", "OAS", "UN",
            "Council", "(", ")", "/", ".", ",", "-", " ", " ", " ", "\n", "ab@example.org", "https://example.org/x",
            "United", "Nations", "Naciones", "Unidas", "Security", "Haiti", "Haití", "Kenya", "and", "y", "of", "Ms.", "Linda",
            "Thomas-Greenfield", "Mission", "in", "The", "La", "Multinational", "Support", "(MSS)", "(ONU)", "secretary-general",
            "united nations", "NASA", "When", "Government",
        ]
        var found = 0
        for _ in 0..<300 {
            let text = randomParagraphs(pieces, blocks: 5, piecesPerBlock: 40, using: &generator)
            let document = paragraphDocument(text)
            let listed = Self.entities(document, everyToken: false)
            found += listed.count
            #expect(listed == Self.entities(document, everyToken: true), "\(text)")
        }
        #expect(found > 300)
    }
}
