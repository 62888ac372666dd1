/// The dynamic-programming search of `Aligner.align` over the band `lo[i]...hi[i]`.
///
/// Every link cost is made of per-unit coverages: how much of one unit's anchor weight the
/// span on the other side of the link holds. A unit meets the same few spans from many
/// cells and shapes, so those coverages are computed once per row, for the spans the row
/// can reach, and kept for the three rows that use them. The inner loop then only adds
/// numbers; it allocates nothing and skips the Gale–Church term (erfc, log) when the other
/// terms alone already lose. The arithmetic is the same, term for term and in the same
/// order, as `Aligner.linkTerms`, so the costs — and the links — are identical to it.
struct BandSearch {
    let aligner: Aligner
    let en: Aligner.SideIndex
    let es: Aligner.SideIndex
    let table: AnchorTable
    let lo: [Int]
    let hi: [Int]

    /// Cells of row i are stored at rowStart[i] + j − lo[i].
    func run() -> (rowStart: [Int], back: [UInt8]) {
        let n = en.units.count
        let m = es.units.count
        var rowStart = [Int](repeating: 0, count: n + 2)
        for i in 0...n { rowStart[i + 1] = rowStart[i] + (hi[i] - lo[i] + 1) }
        let cellCount = rowStart[n + 1]
        var cost = [Float](repeating: .infinity, count: cellCount)
        var back = [UInt8](repeating: 255, count: cellCount)
        cost[0] = 0  // (0, 0): lo[0] == 0

        let constants = Constants(aligner: aligner)

        // Coverage rows. Slot k (= unit index mod 3) holds, for English unit u, its shortfall
        // against every Spanish span of size b starting at s (enShortfall), and for the English
        // spans starting at r = u, the shortfall of every Spanish unit v against them
        // (esShortfall). Both cover columns first[k] ..< first[k] + width.
        var width = 1
        if m > 0 && n > 0 {
            for u in 0..<n {
                let (first, last) = columns(forUnit: u, n: n, m: m)
                width = max(width, last - first + 1)
            }
        }
        let slotSize = 3 * width
        var enShortfall = [Double](repeating: 0, count: 3 * slotSize)
        var esShortfall = [Double](repeating: 0, count: 3 * slotSize)
        var first = [Int](repeating: 0, count: 3)
        var marks = CoverageMarks(table: table, sides: n + m)

        for i in 0...n {
            if i > 0 && m > 0 {
                let u = i - 1
                let slot = u % 3
                let (firstColumn, lastColumn) = columns(forUnit: u, n: n, m: m)
                first[slot] = firstColumn
                if firstColumn <= lastColumn {
                    fillEnglish(unit: u, columns: firstColumn...lastColumn, into: &enShortfall, at: slot * slotSize, width: width, marks: &marks)
                    fillSpanish(spanStart: u, n: n, columns: firstColumn...lastColumn, into: &esShortfall, at: slot * slotSize, width: width, marks: &marks)
                }
            }
            let rowLo = lo[i]
            let rowHi = hi[i]
            enShortfall.withUnsafeBufferPointer { enShortfall in
                esShortfall.withUnsafeBufferPointer { esShortfall in
                    cost.withUnsafeMutableBufferPointer { cost in
                        back.withUnsafeMutableBufferPointer { back in
                            for j in rowLo...rowHi where i > 0 || j > 0 {
                                let (best, bestShape) = bestLink(
                                    i: i, j: j, cost: UnsafeBufferPointer(cost), rowStart: rowStart, first: first, width: width,
                                    slotSize: slotSize, enShortfall: enShortfall, esShortfall: esShortfall, constants: constants)
                                cost[rowStart[i] + j - rowLo] = best
                                back[rowStart[i] + j - rowLo] = bestShape
                            }
                        }
                    }
                }
            }
        }
        return (rowStart, back)
    }

    /// Per-shape constants of the search.
    struct Constants {
        var shapeEnglish: [Int]
        var shapeSpanish: [Int]
        var baseCost: [Double]
        var omissionCost: [Float]
        /// Skipping the length term is exact only when no term can be negative.
        var canPrune: Bool

        init(aligner: Aligner) {
            let shapes = LinkShape.all
            let parameters = aligner.parameters
            shapeEnglish = shapes.map(\.english)
            shapeSpanish = shapes.map(\.spanish)
            baseCost = shapes.map { aligner.shapeCosts[$0.english * 4 + $0.spanish] }
            omissionCost = shapes.map { Float(aligner.shapeCosts[$0.english * 4 + $0.spanish] + parameters.skipCost) }
            canPrune = parameters.mergeShortfallCost >= 0 && parameters.contentWeight >= 0 && parameters.lengthWeight >= 0
                && parameters.kindMismatchCost >= 0 && baseCost.allSatisfy { $0 >= 0 }
                && parameters.structure.columnMismatchCost >= 0 && parameters.structure.levelMismatchCost >= 0
                && parameters.structure.mergeKindCost >= 0
        }
    }

    /// The cheapest way into cell (i, j) and the shape it uses (255: none).
    @inline(__always)
    private func bestLink(
        i: Int, j: Int, cost: UnsafeBufferPointer<Float>, rowStart: [Int], first: [Int], width: Int, slotSize: Int,
        enShortfall: UnsafeBufferPointer<Double>, esShortfall: UnsafeBufferPointer<Double>, constants: Constants
    ) -> (Float, UInt8) {
        let parameters = aligner.parameters
        var best = Float.infinity
        var bestShape: UInt8 = 255
        for s in 0..<8 {
            let a = constants.shapeEnglish[s]
            let b = constants.shapeSpanish[s]
            let pi = i - a
            let pj = j - b
            guard pi >= 0, pj >= 0, pj >= lo[pi], pj <= hi[pi] else { continue }
            let previous = cost[rowStart[pi] + pj - lo[pi]]
            if previous == .infinity { continue }
            if a == 0 || b == 0 {
                let c = previous + constants.omissionCost[s]
                if c < best {
                    best = c
                    bestShape = UInt8(s)
                }
                continue
            }
            let baseCost = constants.baseCost[s]
            if constants.canPrune && previous + Float(baseCost) >= best { continue }
            var shortfall = 0.0
            var worstMerged = 0.0
            for u in pi..<i {
                let f = enShortfall[(u % 3) * slotSize + (b - 1) * width + pj - first[u % 3]]
                shortfall += f
                if a > 1 { worstMerged = max(worstMerged, f) }
            }
            let spanSlot = (pi % 3) * slotSize + (a - 1) * width - first[pi % 3]
            for v in pj..<j {
                let f = esShortfall[spanSlot + v]
                shortfall += f
                if b > 1 { worstMerged = max(worstMerged, f) }
            }
            let shapeCost = baseCost + parameters.mergeShortfallCost * max(0, worstMerged - parameters.mergeShortfallFloor)
            let contentCost = parameters.contentWeight * shortfall / 2
            var kindCost = en.kindMask[a - 1][pi] & es.kindMask[b - 1][pj] == 0
                ? parameters.kindMismatchCost * StructuralCost.kindWeight(en.units[pi].structure, es.units[pj].structure, weights: parameters.structure)
                : 0
            // Hook (StructuralCost.swift): table column, heading level, list depth of the first units.
            kindCost += StructuralCost.cost(
                en.units[pi].structure, es.units[pj].structure, kinds: (en.units[pi].kindClass, es.units[pj].kindClass),
                merge: a + b > 2, weights: parameters.structure)
            if constants.canPrune && previous + Float(shapeCost + contentCost + kindCost) >= best { continue }
            let z = GaleChurch.z(
                english: en.spanLength[a - 1][pi], spanish: es.spanLength[b - 1][pj], ratio: parameters.lengthRatio,
                variance: parameters.lengthVariance)
            let lengthCost = parameters.lengthWeight * GaleChurch.cost(z: z)
            let c = previous + Float(shapeCost + lengthCost + contentCost + kindCost)
            if c < best {
                best = c
                bestShape = UInt8(s)
            }
        }
        return (best, bestShape)
    }

    /// The span starts (on the Spanish side) that links touching English unit u can use:
    /// rows u+1 ... u+3, columns lo − 3 ... hi − 1. The Spanish units that links starting at
    /// English position u can cover are the same range.
    private func columns(forUnit u: Int, n: Int, m: Int) -> (Int, Int) {
        var low = Int.max
        var high = Int.min
        for row in (u + 1)...min(n, u + 3) {
            low = min(low, lo[row])
            high = max(high, hi[row])
        }
        return (max(0, low - 3), min(m - 1, high - 1))
    }

    /// English unit u against the Spanish spans of sizes 1–3 starting in `columns`.
    private func fillEnglish(unit u: Int, columns: ClosedRange<Int>, into out: inout [Double], at base: Int, width: Int, marks: inout CoverageMarks) {
        let parameters = aligner.parameters
        let unitWeight = en.spanWeight[0][u]
        let denominator = max(0.25, 1 - en.baseline[u])
        let m = es.units.count
        let unit = en.span(1, u)
        if unitWeight > 0 { marks.mark(unit) }
        for size in 1...3 {
            let ids = es.flatIDs[size - 1]
            let starts = es.flatStart[size - 1]
            let row = base + (size - 1) * width - columns.lowerBound
            for s in columns where s + size <= m {
                let coverage: Double
                if unitWeight > 0 {
                    let shared = marks.sharedWeight(ids[starts[s]..<starts[s + 1]], unit: unit)
                    coverage = min(1, shared / unitWeight)
                } else {
                    coverage = parameters.neutralCoverage
                }
                out[row + s] = min(1.5, (1 - coverage) / denominator)
            }
        }
        if unitWeight > 0 { marks.unmark(unit) }
    }

    /// Every Spanish unit in `columns` against the English spans of sizes 1–3 starting at r.
    private func fillSpanish(spanStart r: Int, n: Int, columns: ClosedRange<Int>, into out: inout [Double], at base: Int, width: Int, marks: inout CoverageMarks) {
        let parameters = aligner.parameters
        for size in 1...3 where r + size <= n {
            let span = en.span(size, r)
            let row = base + (size - 1) * width - columns.lowerBound
            marks.mark(span)
            for v in columns {
                let unitWeight = es.spanWeight[0][v]
                let coverage: Double
                if unitWeight > 0 {
                    let shared = marks.sharedWeight(es.span(1, v), unit: span)
                    coverage = min(1, shared / unitWeight)
                } else {
                    coverage = parameters.neutralCoverage
                }
                out[row + v] = min(1.5, (1 - coverage) / max(0.25, 1 - es.baseline[v]))
            }
            marks.unmark(span)
        }
    }
}

/// Shared anchor weight between a marked id set and another sorted id list. Large searches
/// mark the set's weights in a table as big as the vocabulary and sum over the other list
/// (adding 0 for ids not marked leaves the sum bit for bit the same); small ones, such as the
/// sentences of one paragraph pair, walk both sorted lists instead of allocating the table.
/// Either way the shared ids are added in increasing id order, as `Aligner.sharedWeight` does.
struct CoverageMarks {
    private let weights: [Double]
    private var marked: [Double]
    private let useTable: Bool

    init(table: AnchorTable, sides: Int) {
        weights = table.weights
        useTable = sides >= 64
        marked = useTable ? [Double](repeating: 0, count: table.weights.count) : []
    }

    @inline(__always)
    mutating func mark(_ ids: ArraySlice<Int32>) {
        guard useTable else { return }
        for id in ids { marked[Int(id)] = weights[Int(id)] }
    }

    @inline(__always)
    mutating func unmark(_ ids: ArraySlice<Int32>) {
        guard useTable else { return }
        for id in ids { marked[Int(id)] = 0 }
    }

    /// Weight of the ids of `other` that are in `unit` (the marked set).
    @inline(__always)
    func sharedWeight(_ other: ArraySlice<Int32>, unit: ArraySlice<Int32>) -> Double {
        var shared = 0.0
        if useTable {
            for id in other { shared += marked[Int(id)] }
            return shared
        }
        var i = other.startIndex
        var j = unit.startIndex
        while i < other.endIndex && j < unit.endIndex {
            let x = other[i]
            let y = unit[j]
            if x == y {
                shared += weights[Int(x)]
                i += 1
                j += 1
            } else if x < y { i += 1 } else { j += 1 }
        }
        return shared
    }
}
