import BitextCore
import Testing

@testable import BitextAlign

/// Structural facts (table column, heading level, list depth) and the omission post-pass.
@Suite struct StructureTests {
    static func cells(_ texts: [String], columns: [Int], _ language: LanguageKind) -> [AlignmentUnit] {
        let extractor = AnchorExtractor()
        return zip(texts, columns).map { text, column in
            AlignmentUnit(
                features: extractor.features(of: text, language: language), kind: .tableCell,
                structure: UnitStructure(column: column, headingLevel: nil, listDepth: nil))
        }
    }

    static func shape(_ links: [RawLink]) -> [[[Int]]] { links.map { [Array($0.english), Array($0.spanish)] } }

    @Test func readsTheFactsTheIngestRecords() {
        var cell = Block(kind: .tableCell, range: TextRange(0, 1), position: SourcePosition(line: 1, column: 1),
                         attributes: ["table": "1", "row": "2", "column": "3"])
        #expect(UnitStructure(block: cell).column == 3)
        cell.attributes = [:]
        #expect(UnitStructure(block: cell).isEmpty)
        let markup = ["element_path": "/html/body/h2"]
        let heading = Block(kind: .heading, range: TextRange(0, 1), position: SourcePosition(line: 1, column: 1), level: 2, attributes: markup)
        #expect(UnitStructure(block: heading).headingLevel == 2 && UnitStructure(block: heading).listDepth == 0)
        let item = Block(kind: .listItem, range: TextRange(0, 1), position: SourcePosition(line: 1, column: 1), level: 3, attributes: markup)
        #expect(UnitStructure(block: item).listDepth == 3 && UnitStructure(block: item).headingLevel == 0)
        // Plain text's levels are guesses: not compared.
        let guessed = Block(kind: .heading, range: TextRange(0, 1), position: SourcePosition(line: 1, column: 1), level: 2)
        #expect(UnitStructure(block: guessed).isEmpty)
    }

    @Test func costComparesTheFirstUnitOfEachSideWhenBothKnowTheFact() {
        let en = Self.cells(["a", "b"], columns: [2, 3], .english)
        let es = Self.cells(["a", "b"], columns: [2, 3], .spanish)
        let weights = StructureWeights()
        #expect(StructuralCost.cost(en[0..<1], es[0..<1], weights: weights) == 0)
        #expect(StructuralCost.cost(en[0..<1], es[1..<2], weights: weights) == weights.columnMismatchCost)
        // A merge starting at the same column agrees; one that starts a column early does not.
        #expect(StructuralCost.cost(en[0..<2], es[0..<1], weights: weights) == 0)
        #expect(StructuralCost.cost(en[0..<2], es[1..<2], weights: weights) == weights.columnMismatchCost)
        // No fact on one side: nothing to compare.
        let plain = [AlignmentUnit(features: TextFeatures(), kind: .tableCell)]
        #expect(StructuralCost.cost(plain[0..<1], es[1..<2], weights: weights) == 0)
    }

    /// A row of identical cells with one left empty in Spanish: only the column says which.
    @Test(arguments: [1, 2, 3, 4])
    func emptyCellIsPlacedByItsColumn(missing: Int) {
        let english = Self.cells(["-", "-", "-", "-"], columns: [1, 2, 3, 4], .english)
        let columns = [1, 2, 3, 4].filter { $0 != missing }
        let spanish = Self.cells(["-", "-", "-"], columns: columns, .spanish)
        var expected: [[[Int]]] = []
        var j = 0
        for i in 0..<4 {
            if i + 1 == missing {
                expected.append([[i], []])
            } else {
                expected.append([[i], [j]])
                j += 1
            }
        }
        #expect(Self.shape(Aligner().align(english: english, spanish: spanish)) == expected)
    }

    static let english = [
        "The Security Council adopted resolution 2699 (2023) on 2 October 2023.",
        "Kenya offered to lead the Multinational Security Support mission in Haiti and to deploy 1,000 police officers, with Jamaica, the Bahamas and Belize sending smaller contingents over the following months while funding remained uncertain.",
        "Humanitarian funding covered only 42.5 percent of the requirements.",
    ]
    static let spanish = [
        "El Consejo de Seguridad aprobó la resolución 2699 (2023) el 2 de octubre de 2023.",
        "Kenia se ofreció a dirigir la misión Multinacional de Apoyo a la Seguridad en Haití.",
        "La financiación humanitaria cubrió solo el 42,5 por ciento de las necesidades.",
    ]

    static func repair(_ english: [String], _ spanish: [String], links: [[[Int]]]) -> [[[Int]]] {
        let extractor = AnchorExtractor()
        let en = english.map { AlignmentUnit(features: extractor.features(of: $0, language: .english)) }
        let es = spanish.map { AlignmentUnit(features: extractor.features(of: $0, language: .spanish)) }
        let table = AnchorTable(english: en.map(\.features), spanish: es.map(\.features), parameters: .standard)
        let raw = links.map { link in
            let a = link[0].first.map { $0..<link[0].last! + 1 } ?? 0..<0
            let b = link[1].first.map { $0..<link[1].last! + 1 } ?? 0..<0
            return RawLink(english: a, spanish: b, terms: LinkTerms(shape: LinkShape(english: a.count, spanish: b.count)))
        }
        return shape(OmissionRepair(parameters: .standard).apply(raw, english: en, spanish: es, table: table))
    }

    @Test func facingOmissionsThatShareAnchorsBecomeOneLink() {
        let split: [[[Int]]] = [[[0], [0]], [[1], []], [[], [1]], [[2], [2]]]
        #expect(Self.repair(Self.english, Self.spanish, links: split) == [[[0], [0]], [[1], [1]], [[2], [2]]])
        let otherOrder: [[[Int]]] = [[[0], [0]], [[], [1]], [[1], []], [[2], [2]]]
        #expect(Self.repair(Self.english, Self.spanish, links: otherOrder) == [[[0], [0]], [[1], [1]], [[2], [2]]])
    }

    @Test func unrelatedFacingOmissionsStay() {
        var spanish = Self.spanish
        spanish[1] = "Las escuelas y los hospitales permanecieron cerrados durante varias semanas."
        let split: [[[Int]]] = [[[0], [0]], [[1], []], [[], [1]], [[2], [2]]]
        #expect(Self.repair(Self.english, spanish, links: split) == split)
    }

    /// The search gave the English paragraph to the wrong one of two Spanish candidates; the
    /// run is re-placed where the anchors are.
    @Test func omissionInARunMovesToTheUnitThatSharesNothing() {
        let spanish = [Self.spanish[0], "Las escuelas permanecieron cerradas durante varias semanas.", Self.spanish[1], Self.spanish[2]]
        let wrong: [[[Int]]] = [[[0], [0]], [[1], [1]], [[], [2]], [[2], [3]]]
        #expect(Self.repair(Self.english, spanish, links: wrong) == [[[0], [0]], [[], [1]], [[1], [2]], [[2], [3]]])
        let right: [[[Int]]] = [[[0], [0]], [[], [1]], [[1], [2]], [[2], [3]]]
        #expect(Self.repair(Self.english, spanish, links: right) == right)
    }

    /// The search left a Spanish paragraph out and merged two English ones (their lengths fit
    /// better); the one-to-one reading pairs every paragraph with one that holds its anchors.
    @Test func omissionBesideAMergeBecomesOneToOneWhenEveryPairHoldsItsAnchors() {
        let absorbed: [[[Int]]] = [[[0], [0]], [[1], []], [[2], [1, 2]]]
        #expect(Self.repair(Self.english, Self.spanish, links: absorbed) == [[[0], [0]], [[1], [1]], [[2], [2]]])
        let otherSide: [[[Int]]] = [[[0], [0]], [[], [1]], [[1, 2], [2]]]
        #expect(Self.repair(Self.english, Self.spanish, links: otherSide) == [[[0], [0]], [[1], [1]], [[2], [2]]])
    }

    /// A real deletion beside a real merge: the one-to-one reading would pair unrelated paragraphs.
    @Test func omissionBesideAMergeStaysWhenAPairSharesNothing() {
        var spanish = Self.spanish
        spanish[1] = "Las escuelas y los hospitales permanecieron cerrados durante varias semanas."
        let links: [[[Int]]] = [[[0], [0]], [[1], []], [[2], [1, 2]]]
        #expect(Self.repair(Self.english, spanish, links: links) == links)
    }

    /// An untranslated paragraph copied as it is, absorbed with its neighbour into a merge: the
    /// copy is the whole of the single unit, so the neighbour has no counterpart.
    @Test func mergeHoldingAVerbatimCopyIsSplit() {
        let copied = "If the method is called without arguments, then it returns the list of controls."
        let english = [Self.english[0], copied]
        let spanish = [Self.spanish[0], "Modo de inserción", copied]
        let absorbed: [[[Int]]] = [[[0], [0]], [[1], [1, 2]]]
        #expect(Self.repair(english, spanish, links: absorbed) == [[[0], [0]], [[], [1]], [[1], [2]]])
        // The copy first, the extra unit after it; and the other side.
        let after: [[[Int]]] = [[[0], [0]], [[1], [1, 2]]]
        #expect(Self.repair(english, [Self.spanish[0], copied, "Modo de inserción"], links: after) == [[[0], [0]], [[1], [1]], [[], [2]]])
        let otherSide: [[[Int]]] = [[[0], [0]], [[1, 2], [1]]]
        #expect(Self.repair([Self.english[0], "Insert mode", copied], [Self.spanish[0], copied], links: otherSide)
            == [[[0], [0]], [[1], []], [[2], [1]]])
        // A real merge: the single unit holds both texts, it is no copy of either.
        let merged: [[[Int]]] = [[[0], [0]], [[1], [1, 2]]]
        #expect(Self.repair([Self.english[0], copied + " Insert mode"], [Self.spanish[0], copied, "Modo de inserción"], links: merged) == merged)
    }

    /// A heading absorbed into the merge of a paragraph pair costs `mergeKindCost`; a merge
    /// that starts with the same kind on both sides does not, nor does a 1-1 link.
    @Test func mergeWhoseFirstUnitsDifferInKindCosts() {
        let weights = StructureWeights()
        let heading = AlignmentUnit(features: TextFeatures(), kind: .heading)
        let paragraph = AlignmentUnit(features: TextFeatures(), kind: .paragraph)
        #expect(weights.mergeKindCost > 0)
        #expect(StructuralCost.cost([heading, paragraph][0..<2], [paragraph][0..<1], weights: weights, merge: true) == weights.mergeKindCost)
        #expect(StructuralCost.cost([heading, paragraph][0..<2], [heading][0..<1], weights: weights, merge: true) == 0)
        #expect(StructuralCost.cost([paragraph, heading][0..<2], [paragraph][0..<1], weights: weights, merge: true) == 0)
        #expect(StructuralCost.cost([heading][0..<1], [paragraph][0..<1], weights: weights, merge: false) == 0)
    }

    /// End to end: an English heading deleted before a paragraph pair is left out, not merged
    /// into the paragraph's link.
    @Test func deletedHeadingIsLeftOutRatherThanMerged() {
        let extractor = AnchorExtractor()
        func units(_ items: [(String, BlockKind)], _ language: LanguageKind) -> [AlignmentUnit] {
            items.map { AlignmentUnit(features: extractor.features(of: $0.0, language: language), kind: $0.1) }
        }
        let english = units([(Self.english[0], .paragraph), (Self.english[2], .paragraph)], .english)
        let spanish = units([(Self.spanish[0], .paragraph), ("Financiación", .heading), (Self.spanish[2], .paragraph)], .spanish)
        #expect(Self.shape(Aligner().align(english: english, spanish: spanish)) == [[[0], [0]], [[], [1]], [[1], [2]]])
    }
}
