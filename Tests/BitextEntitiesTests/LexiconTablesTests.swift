import Foundation
import Testing

@testable import BitextEntities

/// `Resources/lexicon.bin` is the text gazetteers compiled (`LexiconTables`): it must say
/// exactly what the text files say, and read back to the same tables.
@Suite struct LexiconTablesTests {
    @Test func compiledResourceMatchesTheTextResources() throws {
        let fromText = LexiconTables.fromText()
        #expect(fromText.entries.count > 5_000 && fromText.firstNames.count > 5_000 && fromText.currencyCodes.count > 100)
        let bytes = fromText.binary()
        // scripts/entities/build_lexicon.sh sets this to rewrite the resource.
        if let path = ProcessInfo.processInfo.environment["BITEXT_WRITE_LEXICON"] {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return
        }
        let data = try #require(LexiconTables.resource("lexicon", "bin"), "Resources/lexicon.bin is missing: run scripts/entities/build_lexicon.sh")
        #expect(Array(data) == bytes, "Resources/lexicon.bin is out of date: run scripts/entities/build_lexicon.sh")
        #expect(try LexiconTables(binary: data) == fromText)
    }

    @Test func readsBackWhatItWrites() throws {
        var tables = LexiconTables()
        tables.maxNameTokens = 3
        tables.entries = [
            GazetteerEntry(kind: .country, code: "ES", canonical: "España", lowercaseForm: false),
            GazetteerEntry(kind: .demonym, code: "HT", canonical: "haitiano", lowercaseForm: true, requiresCapitals: false),
            GazetteerEntry(kind: .organization, code: "UN", canonical: "United Nations", lowercaseForm: false, requiresCapitals: true),
        ]
        tables.pickKeys = [7, 1 << 63]
        tables.picks = [GazetteerPick(lowercase: -1, capitalized: 0, allCapitals: 2), GazetteerPick(lowercase: 1, capitalized: -1, allCapitals: -1)]
        tables.starts = [1, 2, 3]
        tables.prefixes = [UInt64.max]
        tables.firstNames = [42]
        tables.currencyHashes = [9]
        tables.currencyCodes = ["EUR"]
        #expect(try LexiconTables(binary: Data(tables.binary())) == tables)
    }

    @Test(arguments: [0, 3, 4, 8, 20, 40])
    func rejectsTruncatedData(length: Int) {
        var tables = LexiconTables()
        tables.entries = [GazetteerEntry(kind: .location, code: "ES-M", canonical: "Madrid", lowercaseForm: false)]
        tables.pickKeys = [5]
        tables.picks = [GazetteerPick(lowercase: -1, capitalized: 0, allCapitals: 0)]
        let bytes = tables.binary()
        #expect(throws: (any Error).self) { try LexiconTables(binary: Data(bytes.prefix(min(length, bytes.count - 1)))) }
    }

    @Test func rejectsAPickOutsideTheEntries() {
        var tables = LexiconTables()
        tables.pickKeys = [5]
        tables.picks = [GazetteerPick(lowercase: -1, capitalized: 3, allCapitals: -1)]
        #expect(throws: (any Error).self) { try LexiconTables(binary: Data(tables.binary())) }
    }
}

@Suite struct CommonWordFilterTests {
    /// A `BLM1` filter of `bits` bits, every one set.
    static func filter(bits: UInt32, words: Int) -> Data {
        var data = Data("BLM1".utf8)
        withUnsafeBytes(of: bits.littleEndian) { data.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(7).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: [UInt8](repeating: 0xFF, count: words * 8))
        return data
    }

    @Test func aFullFilterCallsEveryWordCommon() {
        let lexicon = Lexicon(LexiconTables(), bloom: Self.filter(bits: 128, words: 2))
        #expect((0..<1_000).allSatisfy { lexicon.isCommonWord(UInt64($0) &* 0x9E37_79B9_7F4A_7C15) })
    }

    /// Probes reach every bit below the count, so a count the words do not cover is refused
    /// (the filter is ignored) rather than read past its end.
    @Test(arguments: [UInt32(100), 129])
    func aBitCountBeyondTheWordsIsRefused(bits: UInt32) {
        let lexicon = Lexicon(LexiconTables(), bloom: Self.filter(bits: bits, words: Int(bits / 64)))
        #expect((0..<1_000).allSatisfy { !lexicon.isCommonWord(UInt64($0) &* 0x9E37_79B9_7F4A_7C15) })
    }
}
