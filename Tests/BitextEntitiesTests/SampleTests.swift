import BitextCore
import Testing
@testable import BitextEntities

/// On the repository's samples, every date, document symbol, resolution and acronym is
/// found and normalized.
@Suite struct SampleTests {
    func entities(_ name: String) throws -> (Document, [Entity]) {
        let document = paragraphDocument(try sample(name), path: name)
        return (document, EntityExtractor().extract(from: document))
    }

    func values(_ entities: [Entity], _ kind: String) -> [String] {
        entities.filter { $0.kind == kind }.compactMap(\.normalized)
    }

    @Test func oasLetterDates() throws {
        let (_, found) = try entities("oas-haiti-peacekeeping-letter.en.txt")
        #expect(values(found, "date") == [
            "2024-11-22", "2024-11-22", "2024-11-13", "2024-11-22", "2024-11-13", "2024-11-13", "2024-10-22", "2022-10-06",
        ])
    }

    @Test func oasLetterSymbolsAndResolutions() throws {
        let (_, found) = try entities("oas-haiti-peacekeeping-letter.en.txt")
        #expect(values(found, "document_symbol") == [
            "CP/RES. 1268 (2523/24)", "OAS/Ser.G", "CP/RES. 1268 (2523/24)", "CP/RES. 1268 (2523/24)", "S/2024/765",
        ])
        #expect(values(found, "resolution") == ["2751 (2024)", "2699 (2023)", "2751 (2024)", "2751 (2024)"])
        let symbols = found.filter { $0.kind == "resolution" }.compactMap { $0.attributes["symbol"] }
        #expect(symbols == ["S/RES/2751 (2024)", "S/RES/2699 (2023)", "S/RES/2751 (2024)", "S/RES/2751 (2024)"])
    }

    @Test func oasLetterAcronyms() throws {
        let (_, found) = try entities("oas-haiti-peacekeeping-letter.en.txt")
        let acronyms = found.filter { $0.kind == "acronym" }.map { ($0.normalized ?? "", $0.attributes["expansion"] ?? "") }
        #expect(acronyms.map(\.0) == ["UNSC", "MSS", "PKO", "MINUSTAH", "MINUJUSTH", "BINUH"])
        #expect(acronyms.map(\.1) == [
            "United Nations Security Council", "Multinational Security Support", "United Nations Peacekeeping Operation",
            "United Nations Stabilization Mission in Haiti", "United Nations Mission for Justice Support in Haiti",
            "United Nations Integrated Office in Haiti",
        ])
    }

    @Test func oasLetterNames() throws {
        let (document, found) = try entities("oas-haiti-peacekeeping-letter.en.txt")
        let persons = Set(found.filter { $0.kind == "person" }.map { String(document.text(of: $0.range)) })
        #expect(persons == ["Andres Montalvo Sosa", "Linda Thomas-Greenfield"])
        let countries = Set(values(found, "country"))
        #expect(countries.isSuperset(of: ["EC", "US", "HT", "KE", "CO", "AR"]))
        let organizations = Set(values(found, "organization"))
        #expect(organizations.isSuperset(of: ["UN", "UNSC", "OAS", "MSS", "OAS-PC"]))
    }

    @Test func statementDatesInBothLanguages() throws {
        let (document, found) = try entities("bap-mss-statement.en-es.txt")
        let dates = found.filter { $0.kind == "date" }
        #expect(dates.map { String(document.text(of: $0.range)) } == [
            "OCTOBER 14, 2024", "Monday, September 30th", "14 DE OCTUBRE DE 2024", "lunes 30 de septiembre",
        ])
        #expect(dates.map(\.normalized) == ["2024-10-14", "2024-09-30", "2024-10-14", "2024-09-30"])
        #expect(dates.map { $0.attributes["year_inferred"] } == [nil, "true", nil, "true"])
    }

    @Test func statementAcronymsInBothLanguages() throws {
        let (_, found) = try entities("bap-mss-statement.en-es.txt")
        let acronyms = found.filter { $0.kind == "acronym" }.map { "\($0.normalized ?? ""): \($0.attributes["expansion"] ?? "")" }
        #expect(acronyms == [
            "MSS: Multinational Security Support",
            "MSS: Misión Multinacional de Apoyo a la Seguridad",
            "BAP: Alianza Negra por la Paz",
            "MSS: Multinacional de Apoyo a la Seguridad",
        ])
    }

    @Test func statementCountriesInBothLanguages() throws {
        let (document, found) = try entities("bap-mss-statement.en-es.txt")
        var spellings: [String: Set<String>] = [:]
        for e in found where e.kind == "country" { spellings[e.normalized ?? "", default: []].insert(String(document.text(of: e.range))) }
        #expect(spellings["US"] == ["U.S.", "Estados Unidos", "EE.UU."])
        #expect(spellings["KE"] == ["Kenya", "Kenia"])
        #expect(spellings["HT"]?.isSuperset(of: ["Haiti", "Haití", "Haitian", "haitiano"]) == true)
    }
}
