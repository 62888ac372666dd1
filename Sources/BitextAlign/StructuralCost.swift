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
    /// Whether markup stated the unit's kind (HTML blocks carry `element_path`), rather than
    /// the plain-text ingest guessing it from the text: only stated kinds pay full kind costs.
    var kindStated = true

    init() {}

    init(column: Int?, headingLevel: Int?, listDepth: Int?) {
        self.column = Int32(clamping: column ?? 0)
        self.headingLevel = Int8(clamping: headingLevel ?? 0)
        self.listDepth = Int8(clamping: listDepth ?? 0)
    }

    /// Reads the facts the ingest recorded on a block (`column` attribute of table cells,
    /// `level` of headings and list items). Levels count only when markup states them (HTML
    /// blocks carry `element_path`): plain text's heading levels and list depths are guesses
    /// from capitals and indentation that two translations need not share.
    init(block: Block) {
        let column = block.attributes["column"].flatMap { Int($0) }
        guard block.attributes["element_path"] != nil else {
            self.init(column: column, headingLevel: nil, listDepth: nil)
            kindStated = false
            return
        }
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
    /// Chosen on the tuning sets (maint-guide + libreoffice-tune, whose 1,289 cells maint-guide
    /// lacks): `tune.py '{"columnMismatchCost":[2.5,4,6],"kindMismatchCost":[2.5,4]}'`, 4 = 6 > 2.5.
    var columnMismatchCost = 4.0
    /// Headings of different levels, or list items of different depths, linked together.
    var levelMismatchCost = 2.5
    /// A merge (2-1, 1-2, 2-2, 3-1, 1-3) whose first units differ in kind (a heading against a
    /// paragraph, a cell against a list item). A translation that merges or splits blocks keeps
    /// the kind of the place it starts at, so in a right merge the two sides start with the
    /// same kind; a heading absorbed into its neighbour's link does not. The block-kind
    /// mismatch cost (2.5) is charged only when the two sides share no kind at all, so
    /// `[heading, paragraph]` against `[paragraph]` paid nothing: an omitted heading was
    /// cheaper to absorb than to leave out. Chosen on the tuning sets (maint-guide +
    /// libreoffice-tune): `tune.py '{"mergeKindCost":[1,2,3,4,6,8]}'` gives libreoffice-tune
    /// perturbed omission F1 0.868 / 0.889 / 0.903 from 1 to 3 and 0.903 up to 8 (maint-guide
    /// unchanged): 6, inside the plateau (a mixed-kind merge then costs more than a skip).
    var mergeKindCost = 6.0
    /// Share of the kind costs (`kindMismatchCost`, `mergeKindCost`) charged when a unit's kind
    /// is a plain-text guess on either side: two translations need not guess alike ("Row
    /// labels" a paragraph, "Etiqueta de filas" a heading), yet mostly do. Chosen on the
    /// plain-text tuning set (`scripts/align/plaintext_eval.py`: maint-guide + libreoffice-tune
    /// as plain text): 1 / 0.5 / 0.375 / 0.25 / 0.125 / 0 give perturbed strict F1 0.9857 /
    /// 0.9883 / 0.9893 / 0.9909 / 0.9909 / 0.9907, omission F1 0.821 / 0.847 / 0.853 / 0.867 /
    /// 0.859 / 0.857, clean 0.9978 → 0.9997 from 0.25 down (BENCHMARKS.md).
    var guessedKindWeight = 0.25
}

enum StructuralCost {
    /// Cost of linking these units. Each fact is compared only when both sides have it, on
    /// the first unit of each side: a paragraph merged with the next one takes the place of
    /// the first, and both parts of a split paragraph keep the place of the whole, so a right
    /// link starts at the same place on both sides. (A deleted cell absorbed into its
    /// neighbour's link starts one column early.)
    @inline(__always)
    static func cost(_ english: ArraySlice<AlignmentUnit>, _ spanish: ArraySlice<AlignmentUnit>, weights: StructureWeights) -> Double {
        guard let a = english.first?.structure, let b = spanish.first?.structure else { return 0 }
        return cost(a, b, weights: weights)
    }

    /// Cost of linking these units: structure (below) and, for a merge, the first units' kinds.
    @inline(__always)
    static func cost(_ english: ArraySlice<AlignmentUnit>, _ spanish: ArraySlice<AlignmentUnit>, weights: StructureWeights, merge: Bool) -> Double {
        guard let a = english.first, let b = spanish.first else { return 0 }
        return cost(a, b, merge: merge, weights: weights)
    }

    /// The same from the first unit of each side.
    @inline(__always)
    static func cost(_ a: AlignmentUnit, _ b: AlignmentUnit, merge: Bool, weights: StructureWeights) -> Double {
        cost(a.structure, b.structure, kinds: (a.kindClass, b.kindClass), merge: merge, weights: weights)
    }

    /// The same from the first units' structure and kind classes (the band search's inner loop:
    /// no unit, and so none of its feature sets, is copied).
    @inline(__always)
    static func cost(_ a: UnitStructure, _ b: UnitStructure, kinds: (Int, Int), merge: Bool, weights: StructureWeights) -> Double {
        var total = cost(a, b, weights: weights)
        if merge && kinds.0 != kinds.1 { total += weights.mergeKindCost * kindWeight(a, b, weights: weights) }
        return total
    }

    /// How much of a kind cost a link pays: all of it when markup stated both first units'
    /// kinds, `guessedKindWeight` of it when either kind is a plain-text guess.
    @inline(__always)
    static func kindWeight(_ a: UnitStructure, _ b: UnitStructure, weights: StructureWeights) -> Double {
        a.kindStated && b.kindStated ? 1 : weights.guessedKindWeight
    }

    /// The structure facts of the first unit of each side.
    @inline(__always)
    static func cost(_ a: UnitStructure, _ b: UnitStructure, weights: StructureWeights) -> Double {
        var total = 0.0
        if a.column != 0 && b.column != 0 && a.column != b.column { total += weights.columnMismatchCost }
        if (a.headingLevel != 0 && b.headingLevel != 0 && a.headingLevel != b.headingLevel)
            || (a.listDepth != 0 && b.listDepth != 0 && a.listDepth != b.listDepth)
        {
            total += weights.levelMismatchCost
        }
        return total
    }
}
