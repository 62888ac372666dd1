import BitextCore
import Foundation
import PropertyBased
import Testing

@testable import BitextAlign

/// The whole-grid search with a known path's cost as a bound (`PathCostBound`: cells no path as
/// cheap passes through left out) must pick exactly the path the plain whole-grid search picks,
/// in both passes: the first (bounded by the guide band's best path) and the lexicon bootstrap's
/// second (bounded by the first pass's path, re-costed), from a right or a wrong first pass.
@Suite struct BoundedSearchTests {
    /// The links a search's traceback reads from (n, m), as [end row, end column, shape]; [-1] where it finds no way in.
    static func path(_ search: BandSearch, _ result: (rowStart: [Int], back: [UInt8])) -> [[Int]] {
        var (i, j) = (search.en.units.count, search.es.units.count)
        var links: [[Int]] = []
        while i > 0 || j > 0 {
            let s = result.back[result.rowStart[i] + j - search.lo[i]]
            guard s != 255 else { return links + [[-1]] }
            links.append([i, j, Int(s)])
            (i, j) = (i - LinkShape.all[Int(s)].english, j - LinkShape.all[Int(s)].spanish)
        }
        return links
    }

    /// The same search over the whole grid, without a bound.
    static func wholeGrid(_ search: BandSearch) -> BandSearch {
        let (n, m) = (search.en.units.count, search.es.units.count)
        return BandSearch(
            aligner: search.aligner, en: search.en, es: search.es, table: search.table, lo: [Int](repeating: 0, count: n + 1),
            hi: [Int](repeating: m, count: n + 1))
    }

    /// A document pair made by edits of a translated one: per paragraph, `edits[k]` keeps it
    /// translated (0–4), leaves it out on the Spanish (5) or English side (6), splits its
    /// translation in two (7), merges it with the previous translation (8) or gives it no
    /// anchors (9); a block of `block` untranslated English paragraphs is inserted before
    /// paragraph `at` (as in an edited document whose new section is not translated yet).
    static func document(edits: [Int], at: Int, block: Int) -> (en: [AlignmentUnit], es: [AlignmentUnit]) {
        var en: [String] = []
        var es: [String] = []
        for (k, edit) in edits.enumerated() {
            if k == at % max(1, edits.count) {
                for b in 0..<block { en.append("New section \(b): the working group will report on item \(5000 + b) next year.") }
            }
            let header = k % 11 == 0
            let english = header ? "REPORT OF THE COMMITTEE" : "Paragraph \(k + 1): the committee approved document A/\(1000 + k) with \(k * 7 + 3) votes."
            let spanish = header ? "INFORME DEL COMITÉ" : "Párrafo \(k + 1): el comité aprobó el documento A/\(1000 + k) con \(k * 7 + 3) votos."
            if edit != 6 { en.append(edit == 9 ? "—" : english) }
            switch edit {
            case 5: continue
            case 7:
                es.append("Párrafo \(k + 1):")
                es.append("el comité aprobó \(k * 7 + 3) votos.")
            case 8 where !es.isEmpty: es[es.count - 1] += " " + spanish
            case 9: es.append("…")
            default: es.append(spanish)
            }
        }
        return (AlignerTests.units(en, .english), AlignerTests.units(es, .spanish))
    }

    static let edits = Gen.int(in: 0...9).array(of: 60...170)

    @Test func boundedFirstPassPicksTheWholeGridPath() async {
        await propertyCheck(count: 25, input: Self.edits, Gen.int(in: 0...200), Gen.int(in: 0...30)) { edits, at, block in
            let (en, es) = Self.document(edits: edits, at: at, block: block)
            let aligner = Aligner(parameters: .standard)
            let table = AnchorTable(english: en.map(\.features), spanish: es.map(\.features), parameters: aligner.parameters)
            let bounded = aligner.prepare(english: en, spanish: es, table: table)
            let whole = Self.wholeGrid(bounded)
            #expect(Self.path(bounded, bounded.run()) == Self.path(whole, whole.run()))
        }
    }

    @Test func boundedSecondPassPicksTheWholeGridPath() async {
        await propertyCheck(count: 25, input: Self.edits, Gen.int(in: 0...200), Gen.int(in: 0...30), Gen.int(in: 0...1_000)) { edits, at, block, wrong in
            let (en, es) = Self.document(edits: edits, at: at, block: block)
            let aligner = Aligner(parameters: .standard)
            let table = AnchorTable(english: en.map(\.features), spanish: es.map(\.features), parameters: aligner.parameters)
            var first = aligner.align(english: en, spanish: es, table: table)
            // A first pass wrong at one link: a 1-1 link taken for an omission pair.
            let oneToOne = first.indices.filter { first[$0].english.count == 1 && first[$0].spanish.count == 1 }
            if !oneToOne.isEmpty {
                let k = oneToOne[wrong % oneToOne.count]
                let (row, column) = (first[k].english, first[k].spanish)
                first.replaceSubrange(k...k, with: [
                    RawLink(english: row, spanish: column.lowerBound..<column.lowerBound, terms: LinkTerms(shape: LinkShape(english: 1, spanish: 0))),
                    RawLink(english: row.upperBound..<row.upperBound, spanish: column, terms: LinkTerms(shape: LinkShape(english: 0, spanish: 1))),
                ])
            }
            let bounded = aligner.prepare(english: en, spanish: es, table: table, previous: first)
            #expect(bounded.bound != nil)
            let whole = Self.wholeGrid(bounded)
            #expect(Self.path(bounded, bounded.run()) == Self.path(whole, whole.run()))
        }
    }

    /// On a long translated document both bounds leave most of the grid out, and the links stay.
    @Test func boundsLeaveMostOfTheGridOut() {
        let (en, es) = Self.document(edits: (0..<200).map { $0 % 5 }, at: 120, block: 12)
        let aligner = Aligner(parameters: .standard)
        let table = AnchorTable(english: en.map(\.features), spanish: es.map(\.features), parameters: aligner.parameters)
        let first = aligner.prepare(english: en, spanish: es, table: table)
        let links = aligner.align(english: en, spanish: es, table: table)
        let second = aligner.prepare(english: en, spanish: es, table: table, previous: links)
        let grid = (en.count + 1) * (es.count + 1)
        for search in [first, second] {
            #expect(search.bound != nil)
            #expect(zip(search.lo, search.hi).reduce(0) { $0 + $1.1 - $1.0 + 1 } * 2 < grid)
            let whole = Self.wholeGrid(search)
            #expect(Self.path(search, search.run()) == Self.path(whole, whole.run()))
        }
    }

    /// Rows end at their last cell a link reaches (the fills too): with long runs of omissions on
    /// both sides (whose rows reach far right along the row, then stop), both passes still trace
    /// the whole grid's path.
    @Test func rowsEndedAtTheirLastReachedCellKeepThePath() {
        let edits = (0..<150).map { k in k % 40 < 8 ? 5 : k % 40 < 14 ? 6 : k % 7 == 3 ? 7 : 0 }
        let (en, es) = Self.document(edits: edits, at: 90, block: 25)
        let aligner = Aligner(parameters: .standard)
        let table = AnchorTable(english: en.map(\.features), spanish: es.map(\.features), parameters: aligner.parameters)
        let first = aligner.prepare(english: en, spanish: es, table: table)
        let second = aligner.prepare(english: en, spanish: es, table: table, previous: aligner.align(english: en, spanish: es, table: table))
        for search in [first, second] {
            #expect(search.bound != nil)
            let whole = Self.wholeGrid(search)
            #expect(Self.path(search, search.run()) == Self.path(whole, whole.run()))
        }
    }

    /// A path cost below what any path costs (a wrong bound) is refused rather than trusted to cut the grid to nothing.
    @Test func aBoundBelowTheDisplacementCostNarrowsNothing() {
        let (en, es) = Self.document(edits: (0..<40).map { $0 % 2 == 0 ? 5 : 0 }, at: 0, block: 0)
        let aligner = Aligner(parameters: .standard)
        let table = AnchorTable(english: en.map(\.features), spanish: es.map(\.features), parameters: aligner.parameters)
        let search = aligner.prepare(english: en, spanish: es, table: table)
        let bound = PathCostBound(pathCost: 1, en: search.en, es: search.es, parameters: .standard, constants: aligner.searchConstants)
        #expect(bound != nil)
        #expect(bound?.band(n: en.count, m: es.count) == nil)
    }

    /// Units without anchor weight add their floor, up to an omission's excess over the rate, to every bound.
    @Test func unitsWithoutAnchorsRaiseTheBound() {
        let (en, es) = Self.document(edits: (0..<30).map { $0 % 3 == 0 ? 9 : 0 }, at: 0, block: 0)
        let aligner = Aligner(parameters: .standard)
        let table = AnchorTable(english: en.map(\.features), spanish: es.map(\.features), parameters: aligner.parameters)
        let search = aligner.prepare(english: en, spanish: es, table: table)
        let bound = PathCostBound(pathCost: 100, en: search.en, es: search.es, parameters: .standard, constants: aligner.searchConstants)!
        let weightless = (0..<en.count).filter { !(search.en.spanWeight[0][$0] > 0) }
        #expect(!weightless.isEmpty)
        #expect(bound.englishRest[0] > 0 && bound.englishRest[en.count] == 0)
        #expect(zip(bound.englishRest, bound.englishRest.dropFirst()).allSatisfy { $0 >= $1 && $0 - $1 <= 6.5 - bound.rate })
    }

    /// Anchored units' floors (their content share at the best coverage the strip allows) hold
    /// on the whole grid's path: each link pays at least its units' floors beyond what its
    /// displacement costs (an omission: its cost over the rate), and anchored units do raise the bound.
    /// `document`'s paragraphs (kept, or left out on either side by edits 5 and 6), where every
    /// `every`-th Spanish paragraph names the document of the paragraph `shift` places on: anchors
    /// the other side holds only far away, which anchored units' floors count as out of reach.
    static func displaced(edits: [Int], shift: Int, every: Int) -> (en: [AlignmentUnit], es: [AlignmentUnit]) {
        var en: [String] = []
        var es: [String] = []
        for (k, edit) in edits.enumerated() {
            if edit != 6 { en.append("Paragraph \(k + 1): the committee approved document A/\(1000 + k) with \(k * 7 + 3) votes.") }
            let named = k % every == 0 ? (k + shift) % edits.count : k
            if edit != 5 { es.append("Párrafo \(k + 1): el comité aprobó el documento A/\(1000 + named) con \(k * 7 + 3) votos.") }
        }
        return (AlignerTests.units(en, .english), AlignerTests.units(es, .spanish))
    }

    @Test func anchoredFloorsHoldOnTheWholeGridPath() async {
        await propertyCheck(count: 25, input: Self.edits, Gen.int(in: 1...120), Gen.int(in: 1...6)) { edits, shift, every in
            let (en, es) = Self.displaced(edits: edits, shift: shift, every: every)
            let aligner = Aligner(parameters: .standard)
            let table = AnchorTable(english: en.map(\.features), spanish: es.map(\.features), parameters: aligner.parameters)
            let links = aligner.align(english: en, spanish: es, table: table)
            let search = aligner.prepare(english: en, spanish: es, table: table, previous: links)
            guard let bound = search.bound else { return }
            let whole = Self.wholeGrid(search)
            #expect(Self.path(search, search.run()) == Self.path(whole, whole.run()))
            func floor(_ rest: [Double], _ u: Int) -> Double { rest[u] - rest[u + 1] }
            for link in links {
                let shape = LinkShape(english: link.english.count, spanish: link.spanish.count)
                let terms = aligner.linkTerms(
                    shape: shape, enStart: link.english.lowerBound, esStart: link.spanish.lowerBound, en: search.en, es: search.es, table: table)
                let floors = link.english.reduce(0) { $0 + floor(bound.englishRest, $1) } + link.spanish.reduce(0) { $0 + floor(bound.spanishRest, $1) }
                let paid = shape.isOmission ? terms.total - bound.rate : terms.contentCost
                #expect(floors <= paid + 1e-9)
            }
        }
    }

    /// Units whose anchors the other side holds only far away (every fourth Spanish paragraph
    /// names the document of the English paragraph 60 places on) have floors above 0: the bound rises
    /// beyond what units without anchor weight add, and the path stays the whole grid's.
    @Test func anchoredUnitsRaiseTheBound() {
        let count = 120
        let en = (0..<count).map { k in "Paragraph \(k + 1): the committee approved document A/\(1000 + k) with \(k * 7 + 3) votes." }
        let es = (0..<count).map { k in
            let named = k % 4 == 0 ? (k + 60) % count : k
            return "Párrafo \(k + 1): el comité aprobó el documento A/\(1000 + named) con \(k * 7 + 3) votos."
        }
        let (english, spanish) = (AlignerTests.units(en, .english), AlignerTests.units(es, .spanish))
        let aligner = Aligner(parameters: .standard)
        let table = AnchorTable(english: english.map(\.features), spanish: spanish.map(\.features), parameters: aligner.parameters)
        let links = aligner.align(english: english, spanish: spanish, table: table)
        let search = aligner.prepare(english: english, spanish: spanish, table: table, previous: links)
        let bound = search.bound!
        #expect((0..<count).allSatisfy { search.en.spanWeight[0][$0] > 0 && search.es.spanWeight[0][$0] > 0 })
        #expect(bound.englishRest[0] > 1 && bound.spanishRest[0] > 1)
        let whole = Self.wholeGrid(search)
        #expect(Self.path(search, search.run()) == Self.path(whole, whole.run()))
    }
}
