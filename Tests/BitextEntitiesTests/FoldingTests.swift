import BitextCore
import Testing
@testable import BitextEntities

@Suite struct FoldingTests {
    /// Every scalar the table covers, alone and between letters, folds as Foundation folds it.
    @Test func theTableAgreesWithFoundation() {
        for value in UInt32(0)..<AlphanumericFold.tableLimit {
            let s = String(Character(Unicode.Scalar(value)!))
            for text in [s, "a\(s)b", "\(s)\(s)", "Z\(s)9"] {
                #expect(AlphanumericFold.fold(text) == AlphanumericFold.foundation(text), "U+\(String(value, radix: 16))")
            }
        }
    }

    @Test(arguments: [
        "Policía Nacional de Haití", "Thomas-Greenfield", "ANDRÉS Núñez", "Straße 1ª", "Øresund Æble",
        "İstanbul", "Ĳssel", "Ελλάδα", "q\u{301}uinto", "東京", "S/RES/2751 (2024)", "", "¿Qué?",
    ])
    func textsAgreeWithFoundation(_ text: String) {
        #expect(AlphanumericFold.fold(text) == AlphanumericFold.foundation(text))
    }

    @Test func samplesAgreeWithFoundation() throws {
        for name in ["bap-mss-statement.en-es.txt"] {
            for line in try sample(name).split(separator: "\n") {
                #expect(AlphanumericFold.fold(line) == AlphanumericFold.foundation(line))
            }
        }
    }

    @Test func diceCountsSharedBigrams() {
        #expect(LinkEntities.dice("andres", "andres") == 1)
        #expect(LinkEntities.dice("thomasgreenfield", "thomasgreenfield") == 1)
        #expect(abs(LinkEntities.dice("night", "nacht") - 0.25) < 1e-12)
        #expect(LinkEntities.dice("aaaa", "aa") == 2.0 * 1 / 4)
        #expect(LinkEntities.dice("ελλαδα", "ελλαδα") == 1)
    }
}

@Suite struct EntityKindParsingTests {
    @Test func everyKindAndNothingElse() {
        for kind in EntityKind.allCases { #expect(EntityKind.of(kind.rawValue) == kind) }
        for other in ["", "URL", "dates", "mone", "emails", "persons", "numbers", "acronyms", "locations", "x", "organisation", "document-symbol", "country "] {
            #expect(EntityKind.of(other) == EntityKind(rawValue: other))
        }
    }

    @Test func anEntitysKindIsItsKindStringsKind() {
        for kind in EntityKind.allCases.map(\.rawValue) + ["paragraph", "footnote_reference", "dates", "organisation", ""] {
            let entity = Entity(kind: kind, range: TextRange(0, 1), block: 0)
            #expect(withUnsafePointer(to: entity) { EntityKind.of($0) } == EntityKind.of(kind))
        }
    }
}
