import Foundation
import Testing

@testable import BitextCore

/// `Entity` stores its kind as a code, its offsets narrowed and its rare fields boxed; these pin
/// its size and check that every value, common or not, reads back as it was set and keeps its
/// Codable form.
@Suite struct EntityLayoutTests {
    private static let plain = Entity(kind: "number", range: TextRange(3, 9), block: 2)

    private static let everyFieldSet = Entity(
        kind: "money", range: TextRange(10, 40), block: 7, normalized: "12.50 EUR", link: "L2-1",
        attributes: ["currency": "EUR", "year_inferred": "true"])

    @Test func stride() {
        // One entity per 60 to 200 bytes of text: a new stored field must not slip in
        // unnoticed (Entity was 80 bytes, then 56).
        #expect(MemoryLayout<Entity>.stride == 40)
    }

    @Test func aPlainEntityHasNoBox() {
        let entity = Self.plain
        #expect(entity.rare == nil)
        #expect(entity.kind == "number" && entity.range == TextRange(3, 9) && entity.block == 2)
        #expect(entity.normalized == nil && entity.link == nil && entity.attributes.isEmpty)
    }

    @Test func everyFieldReadsBack() {
        let entity = Self.everyFieldSet
        #expect(entity.kind == "money" && entity.range == TextRange(10, 40) && entity.block == 7)
        #expect(entity.normalized == "12.50 EUR" && entity.link == "L2-1")
        #expect(entity.attributes == ["currency": "EUR", "year_inferred": "true"])
    }

    @Test func sharedAttributesReadBackAndStayOwnOnEdit() {
        let holder = Entity(kind: "organization", range: TextRange(0, 3), block: 0, attributes: ["acronym": "GUI"])
        var entity = Entity(kind: "organization", range: TextRange(9, 12), block: 4, normalized: "GUI")
        let shared = entity.shareAttributes(of: holder)
        #expect(shared)
        #expect(entity.rare === holder.rare && entity.attributes == ["acronym": "GUI"])
        #expect(entity.kind == "organization" && entity.range == TextRange(9, 12) && entity.block == 4)
        // The box is immutable: an edit gives this entity a box of its own.
        entity.attributes["form"] = "x"
        #expect(holder.attributes == ["acronym": "GUI"] && entity.attributes == ["acronym": "GUI", "form": "x"])
    }

    @Test func attributesAreNotSharedWithABoxHoldingMore() {
        // A holder whose box holds a link or a kind of its own, or an entity that has a box
        // already, shares nothing (the link or kind would come with it, or be lost).
        let linked = Entity(kind: "person", range: TextRange(0, 3), block: 0, link: "x", attributes: ["form": "demonym"])
        let ownKind = Entity(kind: "a_kind_of_its_own", range: TextRange(0, 3), block: 0, attributes: ["form": "demonym"])
        var entity = Entity(kind: "person", range: TextRange(5, 8), block: 1)
        let results = [entity.shareAttributes(of: linked), entity.shareAttributes(of: ownKind), entity.shareAttributes(of: Self.plain)]
        #expect(results == [false, false, false] && entity.rare == nil)
        var boxed = Entity(kind: "a_kind_of_its_own", range: TextRange(5, 8), block: 1)
        let boxedShared = boxed.shareAttributes(of: Entity(kind: "person", range: TextRange(0, 3), block: 0, attributes: ["form": "demonym"]))
        #expect(!boxedShared)
        #expect(boxed.kind == "a_kind_of_its_own" && boxed.attributes.isEmpty)
    }

    @Test(arguments: ["number", "person", "resolution", "bold", "a_kind_of_its_own", ""])
    func kindsInAndOutOfTheTable(kind: String) {
        var entity = Entity(kind: kind, range: TextRange(0, 1), block: 0)
        #expect(entity.kind == kind)
        entity.kind = "date"
        #expect(entity.kind == "date" && entity.rare == nil)
        entity.kind = kind
        #expect(entity.kind == kind)
    }

    @Test func everyCommonKindIsStoredWithoutABox() {
        #expect(Entity.commonKinds.count == 19 && Set(Entity.commonKinds).count == 19)
        for kind in Entity.commonKinds {
            let entity = Entity(kind: kind, range: TextRange(0, 1), block: 0)
            #expect(entity.kind == kind && entity.rare == nil)
        }
    }

    @Test func commonKindCodesNameEveryCommonKindAndNoOther() {
        for (index, kind) in Entity.commonKinds.enumerated() {
            let code = UInt8(index + 1)
            #expect(Entity.commonKindCode(of: kind) == code)
            #expect(Entity.commonKindName(code: code) == kind)
            #expect(Entity(kind: kind, range: TextRange(0, 1), block: 0).commonKindCode == code)
        }
        for other in ["", "x", "URL", "bald", "dates", "mone", "emails", "persons", "Number", "headings", "academy",
                      "footnotes", "list-item", "resolutions", "organisation", "document-symbol", "footnote_referencex"] {
            #expect(Entity.commonKindCode(of: other) == nil)
            let entity = Entity(kind: other, range: TextRange(0, 1), block: 0)
            #expect(entity.commonKindCode == 0 && entity.kind == other)
        }
        #expect(Entity.commonKindName(code: 0) == nil && Entity.commonKindName(code: 20) == nil)
    }

    @Test func wideValuesGoInTheBoxAndComeBack() {
        let wideEnd = Int(UInt32.max) + 5
        var entity = Entity(kind: "url", range: TextRange(1, wideEnd), block: Int(UInt32.max) + 1)
        #expect(entity.range == TextRange(1, wideEnd) && entity.block == Int(UInt32.max) + 1)
        entity.range = TextRange(4, 8)
        entity.block = 3
        #expect(entity.range == TextRange(4, 8) && entity.block == 3 && entity.rare == nil)
        entity.block = -1
        #expect(entity.block == -1)
    }

    @Test(arguments: ["L0-1", "L2-1", "L178207-3", "L4294967295-255"])
    func linkIDsOfTheLinkersFormNeedNoBox(link: String) {
        let entity = Entity(kind: "number", range: TextRange(0, 1), block: 0, link: link)
        #expect(entity.link == link && entity.rare == nil)
    }

    @Test(arguments: ["L4294967296-1", "L1-256", "L1-0", "L01-1", "L1-01", "L-1", "L1-", "L1", "X1-1", "L1-1x", "", "l1-1", "L1--1"])
    func otherLinkIDsGoInTheBoxAndComeBack(link: String) {
        var entity = Entity(kind: "number", range: TextRange(0, 1), block: 0, link: link)
        #expect(entity.link == link && entity.rare != nil)
        entity.link = "L3-2"
        #expect(entity.link == "L3-2" && entity.rare == nil)
        entity.link = nil
        #expect(entity.link == nil && entity.rare == nil)
    }

    @Test func longRangesGoInTheBoxAndComeBack() {
        var entity = Entity(kind: "paragraph", range: TextRange(5, 5 + 65_535), block: 1)
        #expect(entity.range == TextRange(5, 65_540) && entity.rare == nil)
        entity.range = TextRange(5, 5 + 65_536)
        #expect(entity.range == TextRange(5, 65_541) && entity.rare != nil)
        entity.range = TextRange(7, 9)
        #expect(entity.range == TextRange(7, 9) && entity.rare == nil)
    }

    @Test func linkIDsAreWhatConcatenationWrites() {
        for link in [0, 9, 10, 99, 12_345, Int(UInt32.max)] {
            for group in [0, 1, 9, 10, 255, 256] {
                #expect(Entity.linkID(link: link, group: group) == "L" + String(link) + "-" + String(group))
            }
        }
    }

    /// `setLink(link:group:)` leaves an entity as setting `link` to `linkID(link:group:)` does,
    /// in the compact form and out of it, from no link, a compact link and a boxed one.
    @Test func settingALinkByItsNumbersIsSettingItsID() {
        for before in [nil, "L3-2", "L1-256"] as [String?] {
            for link in [0, 9, 12_345, Int(UInt32.max), Int(UInt32.max) + 1] {
                for group in [0, 1, 255, 256] {
                    var byNumbers = Entity(kind: "number", range: TextRange(0, 1), block: 0, link: before)
                    var byID = byNumbers
                    byNumbers.setLink(link: link, group: group)
                    byID.link = Entity.linkID(link: link, group: group)
                    #expect(byNumbers == byID && byNumbers.link == byID.link)
                }
            }
        }
    }

    @Test func editingACopyLeavesTheOriginal() {
        let original = Self.everyFieldSet
        var copy = original
        copy.attributes["currency"] = "USD"
        copy.kind = "something_else"
        #expect(original.attributes["currency"] == "EUR" && original.kind == "money")
        #expect(copy.attributes["currency"] == "USD" && copy.kind == "something_else")
        copy.attributes = [:]
        copy.kind = "money"
        #expect(copy.rare == nil)
    }

    @Test func equalityAndHashingSeeValuesNotStorage() {
        var boxed = Entity(kind: "number", range: TextRange(3, 9), block: 2, attributes: ["x": "y"])
        boxed.attributes = [:]
        #expect(boxed == Self.plain)
        #expect(Set([boxed, Self.plain]).count == 1)
        #expect(Self.plain != Self.everyFieldSet)
    }

    @Test(arguments: [plain, everyFieldSet, Entity(kind: "custom", range: TextRange(0, 0), block: 0, link: "L1-1")])
    func codableRoundTrip(entity: Entity) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(entity)
        #expect(try JSONDecoder().decode(Entity.self, from: data) == entity)
        // The form the synthesized conformance wrote: nil optionals left out, attributes always.
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var keys = ["attributes", "block", "kind", "range"]
        if entity.normalized != nil { keys.append("normalized") }
        if entity.link != nil { keys.append("link") }
        #expect(Set(object.keys) == Set(keys))
    }

    @Test func theEmptyFormIsTheSynthesizedOne() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(Self.plain), as: UTF8.self)
        #expect(text == #"{"attributes":{},"block":2,"kind":"number","range":{"end":9,"start":3}}"#)
    }
}
