import Testing

@testable import BitextAlign

struct AlignmentModelTests {
    /// The catalog's sort decides most comparisons on a value's first seven bytes: values
    /// that share them, or end within them, or hold a NUL byte, still come in description order.
    @Test func descriptionOrderPastTheFirstSevenBytes() {
        let values = [
            "install", "installation", "installer", "installe", "instal", "installation2", "abcdefg", "abcdefgh", "abcdefg\u{0}",
            "abc\u{0}", "abc", "abc\u{0}d", "x\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}y", "x", "~~~~~~~~", "~~~~~~~", "ñandú", "nandu", "",
        ]
        var keys: [AnchorKey] = []
        for kind in [AnchorKind.word, .name, .learned, .code] { for value in values { keys.append(AnchorKey(kind: kind, value: value)) } }
        keys.reverse()
        let ids = Array(keys.indices)
        let sorted = AnchorCatalog.inDescriptionOrder(ids, keys: keys)
        #expect(sorted == ids.sorted { AnchorKey.precedes(keys[$0], keys[$1]) })
        #expect(sorted.map { keys[$0].description } == keys.map(\.description).sorted())
    }

    /// ASCII values only (the packed sort: rank and six bytes as one number, then runs that
    /// share them by bytes), every kind, prefixes, NUL bytes, values sharing six bytes or more.
    @Test func descriptionOrderOfASCIIValues() {
        let values = [
            "install", "installation", "installer", "installe", "instal", "instak", "installation2", "abcdef", "abcdefg", "abcdef\u{0}",
            "abc\u{0}", "abc", "abc\u{0}d", "x\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}y", "x", "~~~~~~~~", "~~~~~~~", "~~~~~~", "nandu", "", "A", "a", "10", "9",
        ]
        var keys: [AnchorKey] = []
        for kind in AnchorKind.allCases { for value in values { keys.append(AnchorKey(kind: kind, value: value)) } }
        keys.reverse()
        let ids = Array(keys.indices)
        let sorted = AnchorCatalog.inDescriptionOrder(ids, keys: keys)
        #expect(sorted == ids.sorted { AnchorKey.precedes(keys[$0], keys[$1]) })
        #expect(sorted.map { keys[$0].description } == keys.map(\.description).sorted())
        // A subset in another order: the same relative order.
        let some = ids.filter { $0 % 3 != 1 }.reversed().map { $0 }
        #expect(AnchorCatalog.inDescriptionOrder(some, keys: keys) == sorted.filter { $0 % 3 != 1 })
    }
}
