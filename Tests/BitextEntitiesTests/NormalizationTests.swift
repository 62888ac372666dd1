import Testing
@testable import BitextEntities

@Suite struct NumberNormalizationTests {
    @Test("Numbers in English and Spanish conventions", arguments: [
        ("1,234.5", false, "1234.5", nil),
        ("1.234,5", true, "1234.5", nil),
        ("1,234,567", false, "1234567", nil),
        ("1.234.567", true, "1234567", nil),
        ("12.75", false, "12.75", nil),
        ("12,75", true, "12.75", nil),
        ("0,125", true, "0.125", nil),
        ("2024", false, "2024", nil),
        ("007", false, "7", nil),
        ("0", false, "0", nil),
        ("0000", true, "0", nil),
        ("5", true, "5", nil),
        ("000120", false, "120", nil),
        ("3.50", false, "3.5", nil),
        // One separator before exactly three digits: the language decides, the other reading is kept.
        ("1,234", false, "1234", "1.234"),
        ("1,234", true, "1.234", "1234"),
        ("1.234", true, "1234", "1.234"),
        ("1.234", false, "1.234", "1234"),
        ("1\u{00A0}234\u{00A0}567", true, "1234567", nil),
        ("1\u{202F}234,5", true, "1234.5", nil),
    ] as [(String, Bool, String, String?)])
    func reads(text: String, spanish: Bool, value: String, alternative: String?) {
        let reading = NumberNormalizer.read(text, spanish: spanish)
        #expect(reading?.value == value)
        #expect(reading?.alternative == alternative)
    }

    @Test("Mixed separators in the wrong order are not a number")
    func rejectsMalformed() {
        #expect(NumberNormalizer.read("1.234.5,6,7", spanish: true) == nil)
    }

    @Test("Scaling is exact", arguments: [("1.5", 6, "1500000"), ("2", 9, "2000000000"), ("0.25", 3, "250"), ("1.2345", 2, "123.45")])
    func scales(value: String, power: Int, expected: String) {
        #expect(NumberNormalizer.scale(value, by: power) == expected)
    }
}

@Suite struct DateNormalizationTests {
    @Test("English and Spanish dates to ISO 8601", arguments: [
        ("22 November 2024", "en", "2024-11-22"),
        ("November 13, 2024", "en", "2024-11-13"),
        ("OCTOBER 14, 2024", "en", "2024-10-14"),
        ("14 DE OCTUBRE DE 2024", "es", "2024-10-14"),
        ("el 1.º de octubre de 2024", "es", "2024-10-01"),
        ("el 1 de octubre del 2024", "es", "2024-10-01"),
        ("on the 30th of September 2024", "en", "2024-09-30"),
        ("in Sept. 2023 they met", "en", "2023-09"),
        ("en noviembre de 2024", "es", "2024-11"),
        ("dated 2024-11-22", "en", "2024-11-22"),
        ("el 22/11/2024", "es", "2024-11-22"),
        ("on 11/22/2024", "en", "2024-11-22"),
        ("since 2019 the", "en", "2019"),
        ("Tuesday, 5 March 2024", "en", "2024-03-05"),
        ("held on 13-15 November 2024 in", "en", "2024-11-13/2024-11-15"),
        ("del 13 al 15 de noviembre de 2024", "es", "2024-11-13/2024-11-15"),
        ("from 3 to 5 May", "en", "--05-03/--05-05"),
    ])
    func normalizes(text: String, language: String, expected: String) {
        let dates = EntityExtractor().extract(text: text, language: .init(language)).filter { $0.kind == "date" }
        #expect(dates.map(\.normalized) == [expected])
    }

    @Test("A partial date takes the document's only year, and says so")
    func infersYear() {
        let text = "OCTOBER 14, 2024— On Monday, September 30th, the Council voted."
        let date = EntityExtractor().extract(text: text, language: .english).filter { $0.kind == "date" }.last
        #expect(date?.normalized == "2024-09-30")
        #expect(date?.attributes["year_inferred"] == "true")
    }

    @Test("No year is inferred when the weekday contradicts it")
    func weekdayBlocksInference() {
        // 30 September 2024 was a Monday, not a Friday.
        let text = "14 de octubre de 2024. El viernes 30 de septiembre se votó."
        let date = EntityExtractor().extract(text: text, language: .spanish).filter { $0.kind == "date" }.last
        #expect(date?.normalized == "--09-30")
        #expect(date?.attributes["year_inferred"] == nil)
    }

    @Test("No year is inferred when the document names two years")
    func twoYearsBlockInference() {
        let text = "On 6 October 2022 and 13 November 2024, and again on 30 September."
        let date = EntityExtractor().extract(text: text, language: .english).filter { $0.kind == "date" }.last
        #expect(date?.normalized == "--09-30")
    }

    @Test("Lower-case English month words are not dates")
    func mayIsAVerb() {
        #expect(EntityExtractor().extract(text: "They may 15 times ask.", language: .english).allSatisfy { $0.kind != "date" })
    }

    @Test("ISO weekday", arguments: [(2024, 9, 30, 1), (2024, 11, 22, 5), (2000, 1, 1, 6), (2024, 2, 29, 4)])
    func weekday(year: Int, month: Int, day: Int, expected: Int) {
        #expect(DateNormalizer.weekday(year: year, month: month, day: day) == expected)
    }
}
