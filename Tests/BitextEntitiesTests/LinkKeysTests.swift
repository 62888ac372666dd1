import BitextCore
import Foundation
import Testing
@testable import BitextEntities

/// `link.entities` works on interned byte keys; these tests hold it to what the string keys
/// it replaced gave (the reference below is that code, kept here only to compare against).
@Suite struct LinkKeysTests {
    /// The key strings of a mention, as `link.entities` built them before `LinkKeys`.
    static func referenceKeys(_ e: Entity, written: Substring) -> [String] {
        guard let kind = EntityKind.of(e.kind) else { return [] }
        let value = e.normalized ?? ""
        switch kind {
        case .number, .money, .percent:
            var keys = ["q:" + value]
            if let alternative = e.attributes["alternative"] {
                keys.append("q:" + (kind == .money ? alternative + " " + (e.attributes["currency"] ?? "") : kind == .percent ? alternative + "%" : alternative))
            }
            return keys
        case .date:
            if value.hasPrefix("--") { return ["d:" + value] }
            if value.count == 10 { return ["d:" + value, "d:--" + value.dropFirst(5)] }
            return ["d:" + value]
        case .country:
            return ["c:" + value]
        case .resolution:
            var keys = ["resolution:" + value]
            if let symbol = e.attributes["symbol"] { keys.append("document_symbol:" + symbol) }
            return keys
        case .documentSymbol, .url, .email:
            return ["\(kind.rawValue):" + value]
        case .acronym:
            return ["o:" + value]
        case .organization, .location, .person:
            var keys = ["n:" + AlphanumericFold.fold(written)]
            if !value.isEmpty, e.attributes["canonical"] != nil || e.attributes["acronym"] != nil || LinkEntities.isCode(value) {
                keys.append("o:" + value)
            }
            return keys
        }
    }

    /// `match` as it was with string keys: groups of mentions sharing a key, then cognate names.
    static func referenceMatch(_ english: [LinkEntities.Mention], _ spanish: [LinkEntities.Mention], in documents: [Document],
                               nameSimilarity: Double = 0.75) -> [[LinkEntities.Mention]] {
        func entity(_ m: LinkEntities.Mention) -> Entity { documents[m.document].entities[m.entity] }
        func written(_ m: LinkEntities.Mention) -> Substring { documents[m.document].text(of: entity(m).range) }
        var groups: [[LinkEntities.Mention]] = []
        var matched = Set<LinkEntities.Mention>()
        let spanishPairs = spanish.flatMap { m in referenceKeys(entity(m), written: written(m)).map { ($0, m) } }
        let englishPairs = english.flatMap { m in referenceKeys(entity(m), written: written(m)).map { ($0, m) } }
        var keyOrder: [String] = []
        for (key, _) in englishPairs where !keyOrder.contains(key) { keyOrder.append(key) }
        for key in keyOrder {
            guard spanishPairs.contains(where: { $0.0 == key }) else { continue }
            var fresh: [LinkEntities.Mention] = []
            for pair in englishPairs where pair.0 == key && !matched.contains(pair.1) { fresh.append(pair.1) }
            for pair in spanishPairs where pair.0 == key && !matched.contains(pair.1) { fresh.append(pair.1) }
            guard fresh.contains(where: { english.contains($0) }), fresh.contains(where: { !english.contains($0) }) else { continue }
            groups.append(fresh)
            matched.formUnion(fresh)
        }
        func isUnmatchedName(_ m: LinkEntities.Mention) -> Bool {
            !matched.contains(m) && EntityKind.of(entity(m).kind)?.isName == true
        }
        let englishNames = english.filter(isUnmatchedName)
        var spanishNames = spanish.filter(isUnmatchedName)
        var spanishFolded = spanishNames.map { AlphanumericFold.fold(written($0)) }
        for m in englishNames where !spanishNames.isEmpty {
            let a = AlphanumericFold.fold(written(m))
            var best: (Int, Double)?
            for (i, b) in spanishFolded.enumerated() {
                let s = LinkEntities.dice(a, b)
                if s >= nameSimilarity, s > (best?.1 ?? 0) { best = (i, s) }
            }
            if let (i, _) = best {
                groups.append([m, spanishNames[i]])
                matched.insert(m)
                matched.insert(spanishNames[i])
                spanishNames.remove(at: i)
                spanishFolded.remove(at: i)
            }
        }
        return groups
    }

    /// The nine English and nine Spanish paragraphs of the sample statement, entities extracted.
    func statement() throws -> WorkUnit {
        var unit = WorkUnit(id: "bap", inputs: [InputFile(path: "bap-mss-statement.en-es.txt")])
        unit.documents = [paragraphDocument(try sample("bap-mss-statement.en-es.txt"))]
        for b in 0..<18 { unit.documents[0].blocks[b].language = b < 9 ? .english : .spanish }
        unit.sides = [.english: Side(document: 0, blocks: LinkPositions(0..<9)), .spanish: Side(document: 0, blocks: LinkPositions(9..<18))]
        unit.alignment = (0..<9).map { AlignmentLink(english: [$0], spanish: [$0], score: 1) }
        try ExtractEntities(options: .init()).process(&unit, context: StageContext())
        return unit
    }

    @Test func keysAreTheStringsBytes() throws {
        let unit = try statement()
        let document = unit.documents[0]
        var keys = LinkKeys()
        var extra = document.entities
        // Attributes and values the statement lacks.
        extra.append(Entity(kind: "money", range: TextRange(0, 4), block: 0, normalized: "1234 USD", attributes: ["alternative": "1234", "currency": "USD"]))
        extra.append(Entity(kind: "percent", range: TextRange(0, 4), block: 0, normalized: "5", attributes: ["alternative": "5.0"]))
        extra.append(Entity(kind: "resolution", range: TextRange(0, 4), block: 0, normalized: "2751 (2024)", attributes: ["symbol": "S/RES/2751 (2024)"]))
        extra.append(Entity(kind: "date", range: TextRange(0, 4), block: 0, normalized: "2024-10-14"))
        extra.append(Entity(kind: "date", range: TextRange(0, 4), block: 0, normalized: "--10-14"))
        extra.append(Entity(kind: "date", range: TextRange(0, 4), block: 0, normalized: "2024-10"))
        extra.append(Entity(kind: "organization", range: TextRange(0, 4), block: 0, normalized: "UN", attributes: ["canonical": "United Nations"]))
        extra.append(Entity(kind: "person", range: TextRange(0, 4), block: 0, normalized: "Ábc"))
        extra.append(Entity(kind: "email", range: TextRange(0, 4), block: 0, normalized: "a@b.org"))
        #expect(extra.count > 40)
        for e in extra {
            keys.reset()
            let written = document.text(of: e.range)
            let ids = LinkEntities.addKeys(e, written: { written }, to: &keys)
            let got = [ids.first, ids.second].filter { $0 >= 0 }.map { Array(keys.bytes(of: Int($0))) }
            #expect(got == Self.referenceKeys(e, written: written).map { Array($0.utf8) }, "\(e)")
        }
    }

    /// Two keys get one id exactly when their strings are equal (canonical equivalence).
    @Test func idsFollowStringEquality() {
        let texts = ["q:1234", "q:1234 ", "n:jose", "n:jos\u{E9}", "n:jose\u{301}", "n:\u{212B}", "n:\u{C5}", "n:A\u{30A}",
                     "n:", "d:--10-14", "n:\u{1100}\u{1161}", "n:\u{AC00}", "q:1234", "n:ελλαδα",
                     // Past the first eight bytes (hashed a word at a time), in a word and in the tail.
                     "n:abcdefghijklmnopq", "n:abcdefghijklmnopr", "n:abcdefghe\u{301}", "n:abcdefgh\u{E9}",
                     "n:abcdefghijklmnoe\u{301}", "n:abcdefghijklmno\u{E9}", "n:abcdefghijklmno\u{E9}"]
        var keys = LinkKeys()
        keys.reset()
        var ids: [Int] = []
        for text in texts {
            keys.append(text)
            ids.append(keys.finishKey())
        }
        for i in texts.indices {
            for j in texts.indices { #expect((ids[i] == ids[j]) == (texts[i] == texts[j]), "\(texts[i]) / \(texts[j])") }
        }
        // Many keys: the table grows and keeps every id.
        keys.reset()
        let many = (0..<500).map { "q:\($0)" }
        let first = many.map { key in keys.append(key); return keys.finishKey() }
        let again = many.map { key in keys.append(key); return keys.finishKey() }
        #expect(first == Array(0..<500))
        #expect(again == first)
    }

    @Test func scalarDiceIsStringDice() {
        let words = ["andres", "andrés", "thomasgreenfield", "thomas", "greenfield", "night", "nacht", "aaaa", "aa", "a", "", "kenya", "kenia"]
        var bigrams: [UInt64] = []
        var taken: [Bool] = []
        for a in words {
            for b in words {
                let x = a.unicodeScalars.map(\.value)[...]
                let y = b.unicodeScalars.map(\.value)[...]
                #expect(LinkEntities.dice(scalars: x, y, bigrams: &bigrams, taken: &taken) == LinkEntities.dice(a, b), "\(a) / \(b)")
            }
        }
    }

    /// Links of one, several and all paragraphs (many mentions: the old code's tables), and a
    /// link whose English and Spanish blocks overlap: the same groups as the string keys gave.
    @Test func groupsAreTheStringKeysGroups() throws {
        let unit = try statement()
        let byBlock = LinkEntities.EntitiesByBlock(unit.documents[0].entities)
        let linker = try LinkEntities(options: .init())
        var scratch = LinkEntities.MatchScratch()
        var links: [([Int], [Int])] = (0..<9).map { ([$0], [$0 + 9]) }
        links += [([0, 1, 2], [9, 10, 11]), (Array(0..<9), Array(9..<18)), ([1, 2], [2, 10, 11]), ([3], [12, 13, 14, 15]), ([1], [11])]
        var grouped = 0
        for (englishBlocks, spanishBlocks) in links {
            let english = byBlock.mentions(of: englishBlocks, document: 0)
            let spanish = byBlock.mentions(of: spanishBlocks, document: 0)
            linker.match(english, spanish, in: unit.documents, entities: unit.documents.map(\.entities), scratch: &scratch)
            var groups: [[LinkEntities.Mention]] = []
            var start = 0
            for end in scratch.groupEnds {
                groups.append(Array(scratch.groupMentions[start..<end]))
                start = end
            }
            let reference = Self.referenceMatch(english, spanish, in: unit.documents)
            #expect(groups == reference, "\(englishBlocks) / \(spanishBlocks)")
            grouped += reference.count
        }
        #expect(grouped > 20)
    }

    /// The other side's folded text is searched by bytes when it and the name are ASCII: the
    /// same answers as `String.contains` (also for an empty name and for text beyond ASCII).
    @Test func foldedTextSearchIsStringSearch() {
        let document = paragraphDocument("The Security Council, S/RES/2751 (2024) and Ms. Thomas-Greenfield.\n\nOtro párrafo 1.º con Æble.")
        for blocks in [[0], [1], [0, 1]] {
            var side = LinkEntities.OtherSide(blocks: blocks)
            let folded = side.folded(document)
            for needle in ["", "security", "sres27512024", "thomasgreenfield", "aeble", "æble", "1º", "zzz", "the", "e", "l", folded, folded + "x"] {
                #expect(side.foldedText(document, contains: needle) == folded.contains(needle), "\(blocks) \(needle)")
            }
        }
    }

    /// The ASCII path of `isCode` answers as the general test.
    @Test func codesAreCapitalsDigitsAndHyphens() {
        for value in ["", "UN", "OAS", "S-2751", "ABCDEFGHIJKL", "ABCDEFGHIJKLM", "Un", "UN1", "U N", "ÑU", "AÉ", "12", "-", "a",
                      "Ué", "aÉ", "a\u{301}", "A\u{301}", ".\u{345}", "U.N\u{301}", "UN\r\n", "Un\u{C9}", "1\u{20E3}"] {
            let general = !value.isEmpty && value.count <= 12 && value.allSatisfy { $0.isUppercase || $0.isNumber || $0 == "-" }
            #expect(LinkEntities.isCode(value) == general, "\(value)")
        }
    }
}
