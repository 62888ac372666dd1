import BitextCore

/// Where a unit sits in its document's structure: facts the English and Spanish versions of
/// one document share because translation keeps the layout (po4a, XLIFF, a translator working
/// in the same template). The HTML ingest records them on blocks: the column of a table cell
/// (empty cells and spans counted), the level of a heading, the depth of a list item.
///
/// They settle what text cannot: in a table of one-word cells (`popcon`, `-`, `Nota`) a cell
/// left empty on one side can be placed at any of several identical neighbours for the same
/// text cost; only the column says which one is missing.
struct UnitStructure: Sendable, Hashable {
    /// Column of a data-table cell (1-based); 0 outside data tables.
    var column: Int32 = 0
    /// Heading level (1–6); 0 for other units.
    var headingLevel: Int8 = 0
    /// List nesting depth (1 = top level); 0 outside lists.
    var listDepth: Int8 = 0

    init() {}

    init(column: Int?, headingLevel: Int?, listDepth: Int?) {
        self.column = Int32(clamping: column ?? 0)
        self.headingLevel = Int8(clamping: headingLevel ?? 0)
        self.listDepth = Int8(clamping: listDepth ?? 0)
    }

    /// Reads the facts the ingest recorded on a block (`column` attribute of table cells,
    /// `level` of headings and list items).
    init(block: Block) {
        let column = block.attributes["column"].flatMap { Int($0) }
        switch block.kind {
        case .heading: self.init(column: column, headingLevel: block.level, listDepth: nil)
        default: self.init(column: column, headingLevel: nil, listDepth: block.level)
        }
    }

    var isEmpty: Bool { column == 0 && headingLevel == 0 && listDepth == 0 }
}

/// Costs of structural disagreement inside one link.
struct StructureWeights: Sendable {
    /// Table cells of different columns linked together (no column shared by the two sides).
    /// Same scale as a block-kind mismatch: both say the two units hold different places.
    var columnMismatchCost = 2.5
    /// Headings of different levels, or list items of different depths, linked together.
    var levelMismatchCost = 2.5
}

enum StructuralCost {
    /// Cost of linking these units: each fact is compared only when both sides have it, and a
    /// side that merges several units agrees when any of them agrees (a split cell keeps its
    /// column in both parts; a merged block keeps its first unit's facts).
    @inline(__always)
    static func cost(_ english: ArraySlice<AlignmentUnit>, _ spanish: ArraySlice<AlignmentUnit>, weights: StructureWeights) -> Double {
        var total = 0.0
        if disagree(english, spanish, fact: 0) { total += weights.columnMismatchCost }
        if disagree(english, spanish, fact: 1) || disagree(english, spanish, fact: 2) { total += weights.levelMismatchCost }
        return total
    }

    @inline(__always)
    private static func value(_ unit: AlignmentUnit, fact: Int) -> Int32 {
        switch fact {
        case 0: unit.structure.column
        case 1: Int32(unit.structure.headingLevel)
        default: Int32(unit.structure.listDepth)
        }
    }

    /// Both sides carry the fact and no value is shared.
    @inline(__always)
    private static func disagree(_ english: ArraySlice<AlignmentUnit>, _ spanish: ArraySlice<AlignmentUnit>, fact: Int) -> Bool {
        var englishHas = false
        var spanishHas = false
        for e in english {
            let a = value(e, fact: fact)
            guard a != 0 else { continue }
            englishHas = true
            for s in spanish {
                let b = value(s, fact: fact)
                if b == a { return false }
                if b != 0 { spanishHas = true }
            }
        }
        return englishHas && spanishHas
    }
}
