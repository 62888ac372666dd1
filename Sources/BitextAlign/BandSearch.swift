import BitextCore

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
    /// What a path known beforehand costs, when there is one: cells every path through which
    /// costs more are left out as the rows are filled (`PathCostBound`).
    var bound: PathCostBound? = nil

    /// Cells of row i are stored at rowStart[i] + j − lo[i] (their back-pointers; their costs
    /// only while rows still read them: see `costRows`).
    func run() -> (rowStart: [Int], back: [UInt8]) {
        var workspace = SearchWorkspace()
        return run(workspace: &workspace)
    }

    /// `run()` with the arrays it fills and empties taken from `workspace` (and left there; the
    /// two it returns come from `workspace.rowStart` and `workspace.back`, for the caller to put back).
    func run(workspace: inout SearchWorkspace) -> (rowStart: [Int], back: [UInt8]) {
        let n = en.units.count
        let m = es.units.count
        // Taken out of the workspace (swapped with empty arrays), so that each is its buffer's
        // only reference and is refilled in place; put back at the end (the two returned, by
        // the caller when it is done with them).
        var rowStart = SearchWorkspace.take(&workspace.rowStart, filledWith: 0, count: n + 2)
        var rowWidth = 1
        // (Per-row writes through buffers here and below: an array's element written in a loop
        // checked the array's uniqueness, a runtime call, at every row.)
        rowStart.withUnsafeMutableBufferPointer { rowStart in
            for i in 0...n {
                rowStart[i + 1] = rowStart[i] + (hi[i] - lo[i] + 1)
                rowWidth = max(rowWidth, hi[i] - lo[i] + 1)
            }
        }
        let cellCount = rowStart[n + 1]
        // Costs of the last `costRows` rows only, row i's in ring row i mod `costRows` (each
        // emptied as its row starts): the cells of all rows were 4 bytes a cell for the whole
        // search, the largest array of a long pair's peak (15 MB of 200 for 5.8 MB of text).
        var cost = SearchWorkspace.take(&workspace.cost, filledWith: .infinity, count: Self.costRows * rowWidth)
        var back = SearchWorkspace.take(&workspace.back, filledWith: 255, count: cellCount)

        let constants = aligner.searchConstants

        // Coverage rows. Slot k (= unit index mod 3) holds, for English unit u, its shortfall
        // against every Spanish span of size b starting at s (enShortfall), and for the English
        // spans starting at r = u, the shortfall of every Spanish unit v against them
        // (esShortfall). Both cover columns first[k] ..< first[k] + width.
        var width = 1
        var columnLow = SearchWorkspace.take(&workspace.columnLow, filledWith: 0, count: n)
        var columnHigh = SearchWorkspace.take(&workspace.columnHigh, filledWith: -1, count: n)
        if m > 0 && n > 0 {
            columnLow.withUnsafeMutableBufferPointer { columnLow in
                columnHigh.withUnsafeMutableBufferPointer { columnHigh in
                    for u in 0..<n {
                        (columnLow[u], columnHigh[u]) = columns(forUnit: u, n: n, m: m)
                        width = max(width, columnHigh[u] - columnLow[u] + 1)
                    }
                }
            }
        }
        let slotSize = 3 * width
        var enShortfall = SearchWorkspace.take(&workspace.enShortfall, filledWith: 0, count: 3 * slotSize)
        var esShortfall = SearchWorkspace.take(&workspace.esShortfall, filledWith: 0, count: 3 * slotSize)
        var first = SearchWorkspace.take(&workspace.first, filledWith: 0, count: 3)
        // Per row, its first cell of finite cost (cells left of every earlier row's are unreachable).
        var firstReached = SearchWorkspace.take(&workspace.firstReached, filledWith: 0, count: n + 1)
        // Per row, its last cell of finite cost (Int.min: none): links start at finite cells only.
        var lastReached = SearchWorkspace.take(&workspace.lastReached, filledWith: Int.min, count: n + 1)
        let pruning = Pruning(bound: bound, n: n, m: m)
        // The anchors each English unit shares with the Spanish units it meets, in slot
        // e mod 3: row e is worked out at row e − 2 (its first use) and read up to row e.
        var shared = workspace.takeSharedRows()
        var membership = SharedRow.Membership(table: table, spanish: es, sides: n + m, reusing: &workspace.membership)
        // Per column of the row: the weight of English unit u's shared list with Spanish unit v,
        // which both fills use (fillEnglish's one-unit spans, fillSpanish's one-unit English span).
        var singleSums = SearchWorkspace.take(&workspace.singleSums, filledWith: 0, count: width)
        let englishScale = ShortfallScale(side: en, neutralCoverage: aligner.parameters.neutralCoverage, reusing: &workspace.englishScale)
        let spanishScale = ShortfallScale(side: es, neutralCoverage: aligner.parameters.neutralCoverage, reusing: &workspace.spanishScale)
        defer {
            (workspace.cost, workspace.columnLow, workspace.columnHigh) = (cost, columnLow, columnHigh)
            (workspace.enShortfall, workspace.esShortfall, workspace.first, workspace.singleSums) = (enShortfall, esShortfall, first, singleSums)
            (workspace.firstReached, workspace.lastReached) = (firstReached, lastReached)
            (workspace.shared, workspace.membership) = (shared, membership)
            (workspace.englishScale, workspace.spanishScale) = (englishScale, spanishScale)
        }

        // Every array the cells read is read through a pointer (no bounds checks, no reference
        // counting in the inner loop); only the shared rows are rebuilt as the rows advance.
        enShortfall.withUnsafeMutableBufferPointer { enShortfall in
            esShortfall.withUnsafeMutableBufferPointer { esShortfall in
                cost.withUnsafeMutableBufferPointer { cost in
                    back.withUnsafeMutableBufferPointer { back in
                        first.withUnsafeMutableBufferPointer { first in
                            lo.withUnsafeBufferPointer { lo in
                                hi.withUnsafeBufferPointer { hi in
                                    rowStart.withUnsafeBufferPointer { rowStart in
                                        singleSums.withUnsafeMutableBufferPointer { singleSums in
                                        firstReached.withUnsafeMutableBufferPointer { firstReached in
                                        lastReached.withUnsafeMutableBufferPointer { lastReached in
                                        SideCells.with(en) { enCells in
                                            SideCells.with(es) { esCells in
                                                let grid = Grid(
                                                    lo: lo, hi: hi, rowStart: rowStart, cost: UnsafeBufferPointer(cost), costRowWidth: rowWidth,
                                                    first: UnsafeBufferPointer(first),
                                                    width: width, slotSize: slotSize, enShortfall: UnsafeBufferPointer(enShortfall),
                                                    esShortfall: UnsafeBufferPointer(esShortfall), en: enCells, es: esCells)
                                                for i in 0...n {
                                                    // Cells of this row and the next ones are searched from column `reached`
                                                    // on (it never moves left), so they read coverages of spans starting at
                                                    // `reached` − 3 or right of it: the fills from here on start there.
                                                    let reached = i == 0 ? 0 : firstReached[max(0, i - 3)...(i - 1)].min()!
                                                    let floor = reached == Int.max ? Int.max : reached - 3
                                                    // The rows above reach no cell right of `rightmost`.
                                                    let rightmost = i == 0 ? 0 : lastReached[max(0, i - 3)...(i - 1)].max()!
                                                    if i > 0 && m > 0 {
                                                        let u = i - 1
                                                        let slot = u % 3
                                                        // Unit u's coverages are read by links from a finite cell of rows
                                                        // u − 2 ... u (English side: the link's first Spanish column, at most
                                                        // `rightmost`; Spanish side: its units, from row u, at most 2 right
                                                        // of it): the fills stop there.
                                                        let ceiling = rightmost == Int.min ? Int.min : rightmost + Self.widestSpanExtra
                                                        let (firstColumn, lastColumn) = (max(columnLow[u], floor), min(columnHigh[u], ceiling))
                                                        first[slot] = firstColumn
                                                        for e in (u == 0 ? 0 : u + 2)...(u + 2) where e < n {
                                                            let (low, high) = sharedColumns(forUnit: e, low: columnLow, high: columnHigh, m: m)
                                                            shared[e % 3].fill(english: en.span(1, e), spanish: es, columns: max(low, floor), high, membership: &membership)
                                                        }
                                                        if firstColumn <= lastColumn {
                                                            let summed = fillEnglish(
                                                                unit: u, columns: firstColumn...lastColumn, into: enShortfall, at: slot * slotSize, width: width,
                                                                shared: shared[slot], singleSums: singleSums, scale: englishScale)
                                                            fillSpanish(
                                                                spanStart: u, n: n, columns: firstColumn...lastColumn, into: esShortfall, at: slot * slotSize,
                                                                width: width, shared: shared, singleSums: summed ? UnsafeBufferPointer(singleSums) : nil,
                                                                scale: spanishScale)
                                                        }
                                                    }
                                                    (firstReached[i], lastReached[i]) = searchRow(
                                                        i, from: reached, rightmost: rightmost, grid: grid, constants: constants, pruning: pruning,
                                                        cost: cost, back: back)
                                                }
                                            }
                                        }
                                        }
                                        }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (rowStart, back)
    }

    /// The cost of the band's best path (infinite: none), its arrays left in `workspace`.
    func bestCost(workspace: inout SearchWorkspace) -> Float {
        let (rowStart, back) = run(workspace: &workspace)
        let (n, m) = (en.units.count, es.units.count)
        let best = workspace.cost[Grid.costBase(row: n, lo: lo[n], rowWidth: workspace.cost.count / Self.costRows) + m]
        (workspace.rowStart, workspace.back) = (rowStart, back)
        return best
    }

    /// The cells of row i, left to right, from column `reached` (the first finite cell of the
    /// three rows above: every link into a cell left of it comes from a cell of infinite cost,
    /// so such cells keep the infinite cost and empty shape they start with). Cells the bound
    /// rules out (`Pruning`) are given an infinite cost too. Right of `rightmost` (the last
    /// finite cell of the three rows above) plus the widest span, only a 0-1 omission from the
    /// cell to the left comes from a finite cell: once that cell is infinite, so is the rest of
    /// the row, which keeps the cost and shape it starts with. Returns the row's first and last
    /// finite cells (Int.max, Int.min: none). A function of its own, so that `bestLink` is inlined
    /// into this loop (`run`, too large, calls it per cell) and what every cell of the row reads stays in registers.
    @inline(never)
    private func searchRow(
        _ i: Int, from reached: Int, rightmost: Int, grid: Grid, constants: Constants, pruning: Pruning,
        cost: UnsafeMutableBufferPointer<Float>, back: UnsafeMutableBufferPointer<UInt8>
    ) -> (first: Int, last: Int) {
        let rowLo = grid.lo[i]
        let row = RowContext(i: i, grid: grid)
        let cells = grid.costBase(row: i)
        let backCells = grid.rowStart[i] - rowLo
        // The ring row still holds the costs of row i − costRows: every cell starts infinite.
        if grid.hi[i] >= rowLo { UnsafeMutableBufferPointer(rebasing: cost[(cells + rowLo)...(cells + grid.hi[i])]).update(repeating: .infinity) }
        if i == 0 { cost[cells] = 0 }  // (0, 0), searched from
        var firstFinite = i == 0 ? 0 : Int.max
        var lastFinite = i == 0 ? 0 : Int.min
        let rowHi = grid.hi[i]
        guard max(rowLo, reached) <= rowHi else { return (firstFinite, lastFinite) }
        // Cells right of this are reached only along the row (row 0: every cell but its first).
        let linkedFrom = i == 0 ? 0 : rightmost == Int.min ? Int.min : rightmost + Self.widestSpan
        // Rows still to go minus columns still to go, at column j: rowsLeft − m + j.
        let rowsLeft = pruning.n - i
        let rowLimit = pruning.bounded ? pruning.limit - pruning.englishRest[i] : .infinity
        for j in max(rowLo, reached)...rowHi where i > 0 || j > 0 {
            if j > linkedFrom && lastFinite < j - 1 { break }  // the rest of the row stays infinite
            let (best, bestShape) = bestLink(i: i, j: j, row: row, grid: grid, constants: constants)
            if pruning.bounded && Double(best) + pruning.rate * Double(abs(rowsLeft - pruning.m + j)) + pruning.spanishRest[j] > rowLimit {
                continue  // stays infinite
            }
            cost[cells + j] = best
            back[backCells + j] = bestShape
            if best != .infinity {
                if firstFinite == Int.max { firstFinite = j }
                lastFinite = j
            }
        }
        return (firstFinite, lastFinite)
    }

    /// Most Spanish units a link holds: a link into (i, j) starts at column j − 3 or right of it.
    static let widestSpan = LinkShape.all.map(\.spanish).max()!
    /// Units of a Spanish span right of its first.
    static let widestSpanExtra = widestSpan - 1
    /// Rows whose costs the search keeps: a cell reads its own row's cells and those of as many
    /// rows above as the widest link has English units.
    static let costRows = LinkShape.all.map(\.english).max()! + 1

    /// The dynamic part of `PathCostBound`: a cell whose cost so far plus the least the rest of
    /// any path from it costs exceeds the limit is left out (an infinite cost). With no bound
    /// the limit is infinite and no cell is left out.
    struct Pruning {
        let n: Int
        let m: Int
        let bounded: Bool
        let rate: Double
        let limit: Double
        let englishRest: [Double]
        let spanishRest: [Double]

        init(bound: PathCostBound?, n: Int, m: Int) {
            (self.n, self.m, bounded) = (n, m, bound != nil)
            (rate, limit) = bound.map { ($0.rate, $0.limit) } ?? (0, .infinity)
            (englishRest, spanishRest) = (bound?.englishRest ?? [], bound?.spanishRest ?? [])
        }
    }

    /// Per-shape constants of the search, and the parameters its cells read (copied out of
    /// `AlignmentParameters`, whose shape-cost dictionary would be retained at every cell).
    struct Constants {
        var shapeEnglish: [Int]
        var shapeSpanish: [Int]
        var baseCost: [Double]
        var omissionCost: [Float]
        /// Skipping the length term is exact only when no term can be negative.
        var canPrune: Bool
        var mergeShortfallCost: Double
        var mergeShortfallFloor: Double
        var contentWeight: Double
        var kindMismatchCost: Double
        var lengthRatio: Double
        var lengthVariance: Double
        var lengthWeight: Double
        var structure: StructureWeights
        /// `GaleChurch.saturation`, read once (a global's first-use check at every cell otherwise).
        var lengthSaturation: Double

        init(parameters: AlignmentParameters, shapeCosts: [Double]) {
            let shapes = LinkShape.all
            shapeEnglish = shapes.map(\.english)
            shapeSpanish = shapes.map(\.spanish)
            baseCost = shapes.map { shapeCosts[$0.english * 4 + $0.spanish] }
            omissionCost = shapes.map { Float(shapeCosts[$0.english * 4 + $0.spanish] + parameters.skipCost) }
            canPrune = parameters.mergeShortfallCost >= 0 && parameters.contentWeight >= 0 && parameters.lengthWeight >= 0
                && parameters.kindMismatchCost >= 0 && baseCost.allSatisfy { $0 >= 0 }
                && parameters.structure.columnMismatchCost >= 0 && parameters.structure.levelMismatchCost >= 0
                && parameters.structure.mergeKindCost >= 0
            mergeShortfallCost = parameters.mergeShortfallCost
            mergeShortfallFloor = parameters.mergeShortfallFloor
            contentWeight = parameters.contentWeight
            kindMismatchCost = parameters.kindMismatchCost
            lengthRatio = parameters.lengthRatio
            lengthVariance = parameters.lengthVariance
            lengthWeight = parameters.lengthWeight
            structure = parameters.structure
            lengthSaturation = GaleChurch.saturation
        }
    }

    /// One side's per-span data as pointers: `spanLength[(size − 1) × count + start]`, likewise `kindMask`.
    struct SideCells {
        let count: Int
        let spanLength: UnsafeBufferPointer<Int>
        let kindMask: UnsafeBufferPointer<Int>
        let structure: UnsafeBufferPointer<UnitStructure>
        let kindClass: UnsafeBufferPointer<Int>

        static func with<R>(_ side: Aligner.SideIndex, _ body: (SideCells) -> R) -> R {
            side.spanLength.values.withUnsafeBufferPointer { spanLength in
                side.kindMask.values.withUnsafeBufferPointer { kindMask in
                    side.structures.withUnsafeBufferPointer { structure in
                        side.kindClasses.withUnsafeBufferPointer { kindClass in
                            body(SideCells(count: side.units.count, spanLength: spanLength, kindMask: kindMask, structure: structure, kindClass: kindClass))
                        }
                    }
                }
            }
        }
    }

    /// What the cells of the search read, as pointers valid for the duration of `run`.
    struct Grid {
        let lo: UnsafeBufferPointer<Int>
        let hi: UnsafeBufferPointer<Int>
        /// Where each row's back-pointers start (`back`, every row's).
        let rowStart: UnsafeBufferPointer<Int>
        /// The costs of the last `costRows` rows, `costRowWidth` cells a row.
        let cost: UnsafeBufferPointer<Float>
        let costRowWidth: Int
        let first: UnsafeBufferPointer<Int>
        let width: Int
        let slotSize: Int
        let enShortfall: UnsafeBufferPointer<Double>
        let esShortfall: UnsafeBufferPointer<Double>
        let en: SideCells
        let es: SideCells

        /// Where the costs of row i's cells are: column j's at this + j.
        @inline(__always)
        func costBase(row i: Int) -> Int { Self.costBase(row: i, lo: lo[i], rowWidth: costRowWidth) }

        @inline(__always)
        static func costBase(row i: Int, lo: Int, rowWidth: Int) -> Int { (i % BandSearch.costRows) * rowWidth - lo }
    }

    /// What the cells of row i read about rows i − d (d = 0 … 3): their column bounds, where
    /// their cells start, and where the shortfall rows of English unit i − d start
    /// (`(u mod 3) × slotSize − first[u mod 3]`), worked out once per row instead of per cell and shape.
    struct RowContext {
        var valid: (Bool, Bool, Bool, Bool) = (false, false, false, false)
        var lo: (Int, Int, Int, Int) = (0, 0, 0, 0)
        var hi: (Int, Int, Int, Int) = (0, 0, 0, 0)
        var cellBase: (Int, Int, Int, Int) = (0, 0, 0, 0)
        var slot: (Int, Int, Int, Int) = (0, 0, 0, 0)

        init(i: Int, grid: Grid) {
            func values(_ d: Int) -> (Bool, Int, Int, Int, Int) {
                let r = i - d
                guard r >= 0 else { return (false, 0, 0, 0, 0) }
                let slot = (r % 3) * grid.slotSize - grid.first[r % 3]
                return (true, grid.lo[r], grid.hi[r], grid.costBase(row: r), slot)
            }
            let v = (values(0), values(1), values(2), values(3))
            valid = (v.0.0, v.1.0, v.2.0, v.3.0)
            lo = (v.0.1, v.1.1, v.2.1, v.3.1)
            hi = (v.0.2, v.1.2, v.2.2, v.3.2)
            cellBase = (v.0.3, v.1.3, v.2.3, v.3.3)
            slot = (v.0.4, v.1.4, v.2.4, v.3.4)
        }

        @inline(__always) static func pick(_ t: (Int, Int, Int, Int), _ d: Int) -> Int { d == 0 ? t.0 : d == 1 ? t.1 : d == 2 ? t.2 : t.3 }
        @inline(__always) func isValid(_ d: Int) -> Bool { d == 0 ? valid.0 : d == 1 ? valid.1 : d == 2 ? valid.2 : valid.3 }
    }

    /// The cheapest way into cell (i, j) and the shape it uses (255: none): the shapes of
    /// `LinkShape.all` in their order (ties keep the first), each with its sizes as constants.
    /// The two omissions, which cost an addition each, go first: where one of them already
    /// beats what the 1-1 link costs before its length term (most cells off the path), the
    /// 1-1 link skips erfc and log. It comes first in `LinkShape.all`, so it wins ties with them.
    @inline(__always)
    private func bestLink(i: Int, j: Int, row: RowContext, grid: Grid, constants: Constants) -> (Float, UInt8) {
        var best = Float.infinity
        var bestShape: UInt8 = 255
        omission(1, 0, shape: 1, j: j, row: row, grid: grid, constants: constants, best: &best, bestShape: &bestShape)
        omission(0, 1, shape: 2, j: j, row: row, grid: grid, constants: constants, best: &best, bestShape: &bestShape)
        link(OneOne.self, i: i, j: j, row: row, grid: grid, constants: constants, best: &best, bestShape: &bestShape)
        link(TwoOne.self, i: i, j: j, row: row, grid: grid, constants: constants, best: &best, bestShape: &bestShape)
        link(OneTwo.self, i: i, j: j, row: row, grid: grid, constants: constants, best: &best, bestShape: &bestShape)
        link(TwoTwo.self, i: i, j: j, row: row, grid: grid, constants: constants, best: &best, bestShape: &bestShape)
        link(ThreeOne.self, i: i, j: j, row: row, grid: grid, constants: constants, best: &best, bestShape: &bestShape)
        link(OneThree.self, i: i, j: j, row: row, grid: grid, constants: constants, best: &best, bestShape: &bestShape)
        return (best, bestShape)
    }

    /// A 1-0 or 0-1 link into (i, j) from (i − a, j − b).
    @inline(__always)
    private func omission(
        _ a: Int, _ b: Int, shape s: Int, j: Int, row: RowContext, grid: Grid, constants: Constants, best: inout Float, bestShape: inout UInt8
    ) {
        let pj = j - b
        guard row.isValid(a), pj >= 0, pj >= RowContext.pick(row.lo, a), pj <= RowContext.pick(row.hi, a) else { return }
        let previous = grid.cost[RowContext.pick(row.cellBase, a) + pj]
        if previous == .infinity { return }
        let c = previous + constants.omissionCost[s]
        if c < best {
            best = c
            bestShape = UInt8(s)
        }
    }

    /// An a-b link (a, b ≥ 1) into (i, j): the arithmetic of `Aligner.linkTerms`, term for term.
    /// The shape is a type so that each shape's copy is compiled with its sizes as constants
    /// (the compiler stops inlining into a large caller: a copy it calls still folds them).
    @inline(__always)
    private func link<Shape: CellShape>(
        _: Shape.Type, i: Int, j: Int, row: RowContext, grid: Grid, constants: Constants, best: inout Float, bestShape: inout UInt8
    ) {
        let (a, b, winsTies) = (Shape.english, Shape.spanish, Shape.winsTies)
        let pj = j - b
        guard row.isValid(a), pj >= 0, pj >= RowContext.pick(row.lo, a), pj <= RowContext.pick(row.hi, a) else { return }
        let previous = grid.cost[RowContext.pick(row.cellBase, a) + pj]
        if previous == .infinity { return }
        let baseCost = constants.baseCost[Shape.index]
        if constants.canPrune && (winsTies ? previous + Float(baseCost) > best : previous + Float(baseCost) >= best) { return }
        linkCost(Shape.self, i: i, j: j, previous: previous, row: row, grid: grid, constants: constants, best: &best, bestShape: &bestShape)
    }

    /// The rest of `link`, for a link its shape cost alone does not rule out: kept out of
    /// `bestLink`, whose cells mostly end at the checks above, so that they stay inline there.
    private func linkCost<Shape: CellShape>(
        _: Shape.Type, i: Int, j: Int, previous: Float, row: RowContext, grid: Grid, constants: Constants, best: inout Float,
        bestShape: inout UInt8
    ) {
        let (a, b, s, winsTies) = (Shape.english, Shape.spanish, Shape.index, Shape.winsTies)
        let pi = i - a
        let pj = j - b
        // Whether a cost (or a lower bound of it) loses to the best so far.
        @inline(__always) func loses(_ c: Float) -> Bool { winsTies ? c > best : c >= best }
        let baseCost = constants.baseCost[s]
        let (width, enShortfall, esShortfall) = (grid.width, grid.enShortfall, grid.esShortfall)
        var shortfall = 0.0
        var worstMerged = 0.0
        var d = a
        while d >= 1 {  // English units pi ..< i in order
            let f = enShortfall[RowContext.pick(row.slot, d) + (b - 1) * width + pj]
            shortfall += f
            if a > 1 { worstMerged = max(worstMerged, f) }
            d -= 1
        }
        let spanSlot = RowContext.pick(row.slot, a) + (a - 1) * width
        for v in pj..<j {
            let f = esShortfall[spanSlot + v]
            shortfall += f
            if b > 1 { worstMerged = max(worstMerged, f) }
        }
        let shapeCost = baseCost + constants.mergeShortfallCost * max(0, worstMerged - constants.mergeShortfallFloor)
        let contentCost = constants.contentWeight * shortfall / 2
        var kindCost = grid.en.kindMask[(a - 1) * grid.en.count + pi] & grid.es.kindMask[(b - 1) * grid.es.count + pj] == 0
            ? constants.kindMismatchCost * StructuralCost.kindWeight(grid.en.structure[pi], grid.es.structure[pj], weights: constants.structure)
            : 0
        // Hook (StructuralCost.swift): table column, heading level, list depth of the first units.
        kindCost += StructuralCost.cost(
            grid.en.structure[pi], grid.es.structure[pj], kinds: (grid.en.kindClass[pi], grid.es.kindClass[pj]),
            merge: a + b > 2, weights: constants.structure)
        if constants.canPrune && loses(previous + Float(shapeCost + contentCost + kindCost)) { return }
        let z = GaleChurch.z(
            english: grid.en.spanLength[(a - 1) * grid.en.count + pi], spanish: grid.es.spanLength[(b - 1) * grid.es.count + pj],
            ratio: constants.lengthRatio, variance: constants.lengthVariance)
        let lengthCost = constants.lengthWeight * GaleChurch.cost(z: z, saturation: constants.lengthSaturation)
        let c = previous + Float(shapeCost + lengthCost + contentCost + kindCost)
        if winsTies ? c <= best : c < best {
            best = c
            bestShape = UInt8(s)
        }
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

    /// The Spanish units whose shared anchors with English unit e the fills read: the spans
    /// of sizes 1–3 that unit e's own row compares it with, and the columns of the rows whose
    /// English spans (of up to three units from e − 2) contain it.
    private func sharedColumns(forUnit e: Int, low: [Int], high: [Int], m: Int) -> (Int, Int) {
        var from = Int.max
        var to = Int.min
        if low[e] <= high[e] {
            from = low[e]
            to = min(m - 1, high[e] + 2)
        }
        for r in max(0, e - 2)..<e where low[r] <= high[r] {
            from = min(from, low[r])
            to = max(to, high[r])
        }
        return (from, to)
    }

    /// Per unit of one side, what its coverages are turned into shortfalls with: the
    /// denominator `max(0.25, 1 − baseline)`, and the shortfalls of a span sharing nothing
    /// with it and of a unit without anchor weight, worked out once instead of per row and column.
    struct ShortfallScale {
        var denominator: [Double] = []
        var unshared: [Double] = []
        var neutral: [Double] = []

        init() {}

        /// `reusing`: a scale whose arrays are taken (and left empty) for this one's.
        init(side: Aligner.SideIndex, neutralCoverage: Double, reusing old: inout ShortfallScale) {
            let count = side.units.count
            denominator = SearchWorkspace.take(&old.denominator, filledWith: 0, count: count)
            unshared = SearchWorkspace.take(&old.unshared, filledWith: 0, count: count)
            neutral = SearchWorkspace.take(&old.neutral, filledWith: 0, count: count)
            for u in 0..<count {
                let d = max(0.25, 1 - side.baseline[u])
                denominator[u] = d
                let unitWeight = side.spanWeight[0][u]
                // The arithmetic of a sum of 0 (`shortfall`), so the value is the same bit for bit.
                unshared[u] = unitWeight > 0 ? min(1.5, (1 - min(1, 0.0 / unitWeight)) / d) : 0
                neutral[u] = min(1.5, (1 - neutralCoverage) / d)
            }
        }
    }

    /// The normalized shortfall of a unit whose shared weight is `sum` (`Aligner.normalizedShortfall`
    /// of its coverage): a sum of 0, the common case off the path, costs no division.
    @inline(__always)
    private static func shortfall(_ sum: Double, unitWeight: Double, denominator: Double, unshared: Double) -> Double {
        if sum == 0 { return unshared }
        let coverage = min(1, sum / unitWeight)
        return min(1.5, (1 - coverage) / denominator)
    }

    /// English unit u against the Spanish spans of sizes 1–3 starting in `columns`. A span's
    /// ids shared with the unit are the union of those its units share with it, added in
    /// increasing id order as `Aligner.sharedWeight` adds them.
    /// Returns whether `singleSums` now holds the unit's shared weight per column (not when the
    /// unit has no anchor weight: its coverages are neutral).
    ///
    /// A union with an empty list sums exactly what the union of the other lists sums (the
    /// `unionWeight`s return it), and a shortfall depends on the sum alone: such spans take a
    /// value already worked out. Columns go right to left, so that a span whose first unit
    /// shares nothing takes the next start's value.
    private func fillEnglish(
        unit u: Int, columns: ClosedRange<Int>, into out: UnsafeMutableBufferPointer<Double>, at base: Int, width: Int, shared row: SharedRow,
        singleSums: UnsafeMutableBufferPointer<Double>, scale: ShortfallScale
    ) -> Bool {
        let unitWeight = en.spanWeight[0][u]
        let denominator = scale.denominator[u]
        let unshared = scale.unshared[u]
        let m = es.units.count
        // Per start s, its unit's list is read once for the three sizes.
        let (size1, size2, size3) = (base - columns.lowerBound, base + width - columns.lowerBound, base + 2 * width - columns.lowerBound)
        guard unitWeight > 0 else {
            let neutral = scale.neutral[u]
            for s in columns {
                out[size1 + s] = neutral
                if s + 2 <= m { out[size2 + s] = neutral }
                if s + 3 <= m { out[size3 + s] = neutral }
            }
            return false
        }
        let last = columns.upperBound
        let unitStart = en.flatStart[u]
        table.weights.withUnsafeBufferPointer { weights in
            en.flatWeights.withUnsafeBufferPointer { englishWeights in
                row.withLists { lists in
                    let unitWeights = englishWeights.baseAddress! + unitStart
                    let maskable = lists.englishMaskable
                    // The weight of the union of the lists of columns s ..< s + size.
                    @inline(__always) func union(_ s: Int, _ size: Int) -> Double {
                        if maskable {
                            var mask = lists.englishMask(s)
                            if size > 1 { mask |= lists.englishMask(s + 1) }
                            if size > 2 { mask |= lists.englishMask(s + 2) }
                            return SharedRow.maskWeight(mask, weights: unitWeights)
                        }
                        switch size {
                        case 1: return Self.unionWeight(lists[s], weights: weights)
                        case 2: return Self.unionWeight(lists[s], lists[s + 1], weights: weights)
                        default: return Self.unionWeight(lists[s], lists[s + 1], lists[s + 2], weights: weights)
                        }
                    }
                    // Whether every id of x is in y (for masks that stand for their lists;
                    // else only "x is empty" is known).
                    @inline(__always) func covered(_ x: SharedRow.Mask, by y: SharedRow.Mask) -> Bool {
                        maskable ? x & ~y == 0 : x == 0
                    }
                    for s in stride(from: last, through: columns.lowerBound, by: -1) {
                        let first = lists.englishMask(s)
                        let single = first == 0 ? 0 : union(s, 1)
                        singleSums[s - columns.lowerBound] = single
                        let one = Self.shortfall(single, unitWeight: unitWeight, denominator: denominator, unshared: unshared)
                        out[size1 + s] = one
                        guard s + 2 <= m else { continue }
                        let second = lists.englishMask(s + 1)
                        let two: Double
                        if covered(second, by: first) {  // the union is the first list
                            two = one
                        } else if covered(first, by: second) && s < last {  // the union is the next start's list
                            two = out[size1 + s + 1]
                        } else {
                            two = Self.shortfall(union(s, 2), unitWeight: unitWeight, denominator: denominator, unshared: unshared)
                        }
                        out[size2 + s] = two
                        guard s + 3 <= m else { continue }
                        let third = lists.englishMask(s + 2)
                        if covered(third, by: first | second) {
                            out[size3 + s] = two
                        } else if covered(first, by: second | third) && s < last {
                            out[size3 + s] = out[size2 + s + 1]
                        } else {
                            out[size3 + s] = Self.shortfall(union(s, 3), unitWeight: unitWeight, denominator: denominator, unshared: unshared)
                        }
                    }
                }
            }
        }
        return true
    }

    /// Every Spanish unit in `columns` against the English spans of sizes 1–3 starting at r.
    /// `singleSums`: unit r's shared weight per column, when `fillEnglish` worked it out.
    /// Spans with an empty list take a value already worked out, as in `fillEnglish`.
    private func fillSpanish(
        spanStart r: Int, n: Int, columns: ClosedRange<Int>, into out: UnsafeMutableBufferPointer<Double>, at base: Int, width: Int,
        shared: [SharedRow], singleSums: UnsafeBufferPointer<Double>?, scale: ShortfallScale
    ) {
        let spanishWeight = es.spanWeight[0]
        // Per Spanish unit v, its lists are read once for the three sizes.
        let (size1, size2, size3) = (base - columns.lowerBound, base + width - columns.lowerBound, base + 2 * width - columns.lowerBound)
        let spanishStart = es.flatStart
        table.weights.withUnsafeBufferPointer { weights in
            es.flatWeights.withUnsafeBufferPointer { spanishWeights in
                shared[r % 3].withLists { a in
                    shared[(r + 1) % 3].withLists { b in
                        shared[(r + 2) % 3].withLists { c in
                            for v in columns {
                                let unitWeight = spanishWeight[v]
                                guard unitWeight > 0 else {
                                    let value = scale.neutral[v]
                                    out[size1 + v] = value
                                    if r + 2 <= n { out[size2 + v] = value }
                                    if r + 3 <= n { out[size3 + v] = value }
                                    continue
                                }
                                let denominator = scale.denominator[v]
                                let unshared = scale.unshared[v]
                                let start = spanishStart[v]
                                let maskable = spanishStart[v + 1] - start <= SharedRow.maskWidth
                                let unitWeights = spanishWeights.baseAddress! + start
                                // The weight of the union of the lists of English units r ..< r + size with v.
                                @inline(__always) func union(_ size: Int) -> Double {
                                    if maskable {
                                        var mask = a.spanishMask(v)
                                        if size > 1 { mask |= b.spanishMask(v) }
                                        if size > 2 { mask |= c.spanishMask(v) }
                                        return SharedRow.maskWeight(mask, weights: unitWeights)
                                    }
                                    switch size {
                                    case 1: return Self.unionWeight(a[v], weights: weights)
                                    case 2: return Self.unionWeight(a[v], b[v], weights: weights)
                                    default: return Self.unionWeight(a[v], b[v], c[v], weights: weights)
                                    }
                                }
                                // The same list summed the same way as in fillEnglish: the same sum.
                                // As in fillEnglish: a list whose ids the shorter span already holds adds nothing.
                                @inline(__always) func covered(_ x: SharedRow.Mask, by y: SharedRow.Mask) -> Bool {
                                    maskable ? x & ~y == 0 : x == 0
                                }
                                let first = a.spanishMask(v)
                                let single = singleSums?[v - columns.lowerBound] ?? (first == 0 ? 0 : union(1))
                                let one = Self.shortfall(single, unitWeight: unitWeight, denominator: denominator, unshared: unshared)
                                out[size1 + v] = one
                                guard r + 2 <= n else { continue }
                                let second = b.spanishMask(v)
                                let two = covered(second, by: first)
                                    ? one : Self.shortfall(union(2), unitWeight: unitWeight, denominator: denominator, unshared: unshared)
                                out[size2 + v] = two
                                guard r + 3 <= n else { continue }
                                out[size3 + v] = covered(c.spanishMask(v), by: first | second)
                                    ? two : Self.shortfall(union(3), unitWeight: unitWeight, denominator: denominator, unshared: unshared)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Sum of the weights of the ids in any of the sorted lists, each id once, in increasing id order.
    @inline(__always)
    private static func unionWeight(_ a: UnsafeBufferPointer<Int32>, weights: UnsafeBufferPointer<Double>) -> Double {
        var sum = 0.0
        for id in a { sum += weights[Int(id)] }
        return sum
    }

    // The merges below read past a list's end as `Int32.max`, above every table id: the
    // smallest head is the next id, added once however many lists hold it.

    @inline(__always)
    private static func unionWeight(_ a: UnsafeBufferPointer<Int32>, _ b: UnsafeBufferPointer<Int32>, weights: UnsafeBufferPointer<Double>) -> Double {
        if b.isEmpty { return unionWeight(a, weights: weights) }
        if a.isEmpty { return unionWeight(b, weights: weights) }
        var sum = 0.0
        var i = 0
        var j = 0
        var x = a[0]
        var y = b[0]
        while true {
            let next = min(x, y)
            if next == .max { break }
            sum += weights[Int(next)]
            if x == next {
                i += 1
                x = i < a.count ? a[i] : .max
            }
            if y == next {
                j += 1
                y = j < b.count ? b[j] : .max
            }
        }
        return sum
    }

    /// (Also what `SentenceSearch` sums its coverages with, so both searches add alike.)
    @inline(__always)
    static func unionWeight(
        _ a: UnsafeBufferPointer<Int32>, _ b: UnsafeBufferPointer<Int32>, _ c: UnsafeBufferPointer<Int32>, weights: UnsafeBufferPointer<Double>
    ) -> Double {
        if c.isEmpty { return unionWeight(a, b, weights: weights) }
        if a.isEmpty { return unionWeight(b, c, weights: weights) }
        if b.isEmpty { return unionWeight(a, c, weights: weights) }
        var sum = 0.0
        var i = 0
        var j = 0
        var k = 0
        var x = a[0]
        var y = b[0]
        var z = c[0]
        while true {
            let next = min(x, y, z)
            if next == .max { break }
            sum += weights[Int(next)]
            if x == next {
                i += 1
                x = i < a.count ? a[i] : .max
            }
            if y == next {
                j += 1
                y = j < b.count ? b[j] : .max
            }
            if z == next {
                k += 1
                z = k < c.count ? c[k] : .max
            }
        }
        return sum
    }
}

/// An upper bound on the cost of the search's best path, the cost of a complete path known
/// beforehand, and the cells it rules out: those no path of cost within the bound passes
/// through. The known path: in the lexicon bootstrap's second pass, the first pass's path
/// re-costed under the second pass's table; in a first pass, the best path of the band around
/// the anchors' guide, whose Float cost is at least the whole grid's best (each cell of the band
/// is reached at least as cheaply in the whole grid: the same ways in, and more).
///
/// Why the links stay the same. When no cost term can be negative (`Constants.canPrune`, and
/// omissions cost at least 0), a link that moves the path off the diagonal by k (rows − columns
/// changes by |a − b| = k) costs at least `rate` × k, `rate` being the least cost per unit of
/// displacement of the shapes that move it (an omission's cost, a 2-1's shape cost, half a
/// 3-1's); 1-1 and 2-2 links cost at least 0. So every path through cell (i, j) costs at least
/// `rate` × (|i − j| + |(n − i) − (m − j)|), and at least its cost up to (i, j) plus `rate` ×
/// |(n − i) − (m − j)|. A unit without anchor weight has a neutral coverage, so every link but an
/// omission holding it pays at least its content share (`contentWeight` × its shortfall / 2), and
/// an omission pays `rate` and its omission cost's excess over `rate`: the least of the two (its
/// floor) adds to the bound of every path for each such unit, before (i, j) or from it on
/// (`englishRest`, `spanishRest`). An anchored unit's floor is its content share at the best
/// coverage any other-side units within the strip could give it (`anchoredFloors`): a path
/// leaving the strip costs more than the limit anyway. A cell whose bound exceeds the best path's cost is on no best path.
///
/// The search adds Float costs: each addition, and each link cost's conversion to Float, is off
/// by at most 2⁻²⁴ of its result, all of them nonnegative, so a path of K links adds up to within a
/// factor (1 ± 2⁻²⁴)^(K+1) of its exact sum, and the search's optimum is at most the known path's
/// Float sum. `limit` is the known path's cost widened by a relative slack of (n + m + 2) × 2⁻²²
/// (four times those factors at the most links a path has) on both sides, plus an absolute
/// margin: every cell of the path the whole grid's search picks has a bound below `limit`, so
/// the search keeps all of them. Leaving other cells out (an infinite cost) only raises the
/// costs of cells that reached the grid through them, never those of the picked path's cells:
/// on that path every cell is reached as before, with the same cost, and every other way into
/// it costs as much as before or more, so it loses as it lost before, ties included (a cell
/// keeps the first best shape, or 1-1, by a rule that depends on the costs alone). The
/// traceback, which reads only the picked path's cells, finds the same links.
struct PathCostBound {
    /// Least cost of a link per unit of displacement (rows − columns) it adds.
    let rate: Double
    /// The known path's cost, widened for Float rounding (see above).
    let limit: Double
    /// Per position u (0 ... count): the floors of the units from u to the end, added.
    let englishRest: [Double]
    let spanishRest: [Double]

    /// Relative rounding slack per link of a path.
    static let slackPerLink = 0x1p-22
    /// Absolute slack per link, for terms that round to a hair below zero (−log of a tail of 1).
    static let absoluteSlackPerLink = 1e-12

    /// nil where some cost term can be negative (no bound holds) or no link moves the path off
    /// the diagonal at a positive cost (the bound rules nothing out).
    init?(pathCost: Double, en: Aligner.SideIndex, es: Aligner.SideIndex, parameters: AlignmentParameters, constants: BandSearch.Constants) {
        guard constants.canPrune, parameters.neutralCoverage <= 1, pathCost.isFinite else { return nil }
        var rate = Double.infinity
        var omission = (english: 0.0, spanish: 0.0)
        for (s, shape) in LinkShape.all.enumerated() where shape.english != shape.spanish {
            let cost = shape.isOmission ? constants.baseCost[s] + parameters.skipCost : constants.baseCost[s]
            rate = min(rate, cost / Double(abs(shape.english - shape.spanish)))
            if shape.isOmission { if shape.english == 1 { omission.english = cost } else { omission.spanish = cost } }
        }
        guard rate > 0, rate.isFinite else { return nil }
        let links = Double(en.units.count + es.units.count + 2)
        let slack = links * Self.slackPerLink
        self.rate = rate
        let limit = pathCost * (1 + slack) / (1 - slack) + links * Self.absoluteSlackPerLink
        self.limit = limit
        let caps = (english: omission.english - rate, spanish: omission.spanish - rate)
        var floors = (
            english: Self.neutralFloors(of: en, cap: caps.english, parameters: parameters),
            spanish: Self.neutralFloors(of: es, cap: caps.spanish, parameters: parameters))
        var rests = (english: Self.rest(floors.english), spanish: Self.rest(floors.spanish))
        // The strip these floors give bounds what anchored units can meet on a path within the
        // limit, hence their own floors (`anchoredFloors`), which narrow it further. (A second
        // round, from the narrower strip, left 0.6% fewer cells on the LibreOffice pages: about
        // what it costs.)
        let (n, m) = (en.units.count, es.units.count)
        if let steps = Self.strip(limit: limit, rate: rate, rests: (rests.english[0], rests.spanish[0]), n: n, m: m), steps < n + m {
            let delta = n - m
            let reach = (
                english: (below: Self.widestSpan + max(0, delta) + steps, above: Self.widestSpan - min(0, delta) + steps),
                spanish: (below: Self.widestSpan - min(0, delta) + steps, above: Self.widestSpan + max(0, delta) + steps))
            floors.english = Self.anchoredFloors(
                of: en, against: es, reach: reach.english, floors: floors.english, cap: caps.english, parameters: parameters)
            floors.spanish = Self.anchoredFloors(
                of: es, against: en, reach: reach.spanish, floors: floors.spanish, cap: caps.spanish, parameters: parameters)
            rests = (Self.rest(floors.english), Self.rest(floors.spanish))
        }
        (englishRest, spanishRest) = rests
    }

    /// Most units a link holds on either side (a link's cells lie within this of its units).
    static let widestSpan = LinkShape.all.map { max($0.english, $0.spanish) }.max()!
    /// Anchored floors are scaled by 1 − this, so that a floor summed in another order than the
    /// search's content terms (a rounding apart) stays below them.
    static let anchoredFloorMargin = 1e-9

    /// Per unit of a side: a unit without anchor weight, its neutral shortfall's content cost
    /// (as the search works it out) up to `cap`; 0 for the others.
    private static func neutralFloors(of side: Aligner.SideIndex, cap: Double, parameters: AlignmentParameters) -> [Double] {
        var floors = [Double](repeated: 0, count: side.units.count)
        for u in floors.indices where !(side.spanWeight[0][u] > 0) {
            let shortfall = min(1.5, (1 - parameters.neutralCoverage) / max(0.25, 1 - side.baseline[u]))
            floors[u] = max(0, min(parameters.contentWeight * shortfall / 2, cap))
        }
        return floors
    }

    /// `floors` with each anchored unit's floor: on a path within the limit (inside the strip),
    /// unit u is linked only with other-side units within `u − reach.below ... u + reach.above`,
    /// so no span it meets shares more with it than the ids of its own that some unit there
    /// holds. Their weights, added in increasing id order as the search adds a span's shared
    /// ids (with nonnegative terms a sum over more ids never rounds lower), give its highest
    /// coverage, its least shortfall as the search works it out, and its least content cost
    /// (up to `cap`, what an omission adds beyond the displacement). The window slides right
    /// with u: each other-side unit's ids are counted in once and out once.
    private static func anchoredFloors(
        of side: Aligner.SideIndex, against other: Aligner.SideIndex, reach: (below: Int, above: Int), floors: [Double], cap: Double,
        parameters: AlignmentParameters
    ) -> [Double] {
        let (count, otherCount) = (side.units.count, other.units.count)
        guard count > 0, otherCount > 0 else { return floors }
        var floors = floors
        let idCount = Int(max(side.flatIDs.max() ?? -1, other.flatIDs.max() ?? -1)) + 1
        var held = [Int32](repeated: 0, count: idCount)
        var (windowLow, windowHigh) = (0, 0)  // other-side units windowLow ..< windowHigh are counted in
        side.flatIDs.withUnsafeBufferPointer { ids in
            other.flatIDs.withUnsafeBufferPointer { otherIDs in
                side.flatWeights.withUnsafeBufferPointer { weights in
                    held.withUnsafeMutableBufferPointer { held in
                        for u in 0..<count {
                            let low = min(otherCount, max(0, u - reach.below))
                            let high = min(otherCount, max(0, u + reach.above + 1))
                            while windowHigh < high {
                                for k in other.flatStart[windowHigh]..<other.flatStart[windowHigh + 1] { held[Int(otherIDs[k])] += 1 }
                                windowHigh += 1
                            }
                            while windowLow < low {
                                for k in other.flatStart[windowLow]..<other.flatStart[windowLow + 1] { held[Int(otherIDs[k])] -= 1 }
                                windowLow += 1
                            }
                            let unitWeight = side.spanWeight[0][u]
                            guard unitWeight > 0 else { continue }
                            var reachable = 0.0
                            for k in side.flatStart[u]..<side.flatStart[u + 1] where held[Int(ids[k])] > 0 { reachable += weights[k] }
                            // `BandSearch.shortfall` of the sum, term for term.
                            let denominator = max(0.25, 1 - side.baseline[u])
                            let coverage = min(1, reachable / unitWeight)
                            let shortfall = min(1.5, (1 - coverage) / denominator)
                            let floor = max(0, min(parameters.contentWeight * shortfall / 2, cap))
                            floors[u] = floor * (1 - anchoredFloorMargin)
                        }
                    }
                }
            }
        }
        return floors
    }

    /// Per position u (0 ... count), the floors from u to the end, added.
    private static func rest(_ floors: [Double]) -> [Double] {
        var rest = [Double](repeated: 0, count: floors.count + 1)
        for u in stride(from: floors.count - 1, through: 0, by: -1) { rest[u] = rest[u + 1] + floors[u] }
        return rest
    }

    /// The steps off the diagonal strip (between i − j = 0 and n − m) within which cells are
    /// kept: those whose bound from both ends, `rate` × (|i − j| + |(n − i) − (m − j)|) plus every
    /// unit's floor (`rests`: each side's, added), is within `limit`; nil when no cell is.
    private static func strip(limit: Double, rate: Double, rests: (Double, Double), n: Int, m: Int) -> Int? {
        let spare = ((limit - rests.0 - rests.1) / rate - Double(abs(n - m))) / 2
        guard spare >= 0 else { return nil }
        return spare >= Double(n + m) ? n + m : Int(spare.rounded(.down))
    }

    /// The rows' column bounds of the cells whose bound from both ends, `rate` × (|i − j| +
    /// |(n − i) − (m − j)|) plus every unit's floor, is within `limit`: with δ = n − m the sum is
    /// |δ| for i − j between 0 and δ and grows by 2 per step beyond, so the cells kept lie within
    /// `spare` steps of that strip. nil: the whole grid (a bound below |δ| × `rate`, which a path cannot cost).
    func band(n: Int, m: Int) -> (lo: [Int], hi: [Int])? {
        let delta = n - m
        guard let steps = Self.strip(limit: limit, rate: rate, rests: (englishRest[0], spanishRest[0]), n: n, m: m) else { return nil }
        var lo = [Int](repeated: 0, count: n + 1)
        var hi = [Int](repeated: m, count: n + 1)
        for i in 0...n {
            lo[i] = max(0, i - max(0, delta) - steps)
            hi[i] = min(m, i - min(0, delta) + steps)
        }
        return (lo, hi)
    }
}

/// The anchor ids one English unit shares with each Spanish unit of a column range
/// (`low ... high`), sorted: what every coverage of the unit, or of a span holding it,
/// against a Spanish unit or span is summed from.
struct SharedRow {
    var low = 0
    var high = -1
    /// Unit v's ids are `ids[starts[v − low] ..< ends[v − low]]` (large searches write them only
    /// when one of the row's units has more ids than a mask holds: else the masks are read instead).
    var starts: [Int32] = []
    var ends: [Int32] = []
    var ids: [Int32] = []
    /// The same lists as bit sets: bit p of `englishMasks[v − low]` stands for the English
    /// unit's p-th id, bit p of `spanishMasks[v − low]` for Spanish unit v's p-th id. Both
    /// lists of ids being sorted, a union's ids in increasing order are its bits from the
    /// lowest: its weight is summed without merging. A mask is 0 exactly when its list is
    /// empty; it stands for the list only when the unit has at most 128 ids (`maskable`).
    var englishMasks: [SharedRow.Mask] = []
    var spanishMasks: [SharedRow.Mask] = []
    /// Whether the English unit's masks stand for its lists.
    var englishMaskable = false
    /// Whether the last fill wrote the lists (else only the masks hold the shared ids).
    var listsWritten = true

    /// A bit set over one unit's ids.
    typealias Mask = UInt128

    /// Bit sets stand for lists of ids of units with at most this many ids.
    static let maskWidth = Mask.bitWidth

    /// How the ids the English unit shares with each Spanish unit are found. Large searches
    /// look each English id up in the Spanish units' postings; small ones (the sentences of
    /// one paragraph pair) walk both sorted lists instead of indexing the Spanish side.
    struct Membership {
        let useTable: Bool
        /// Per table id, the Spanish units holding it (increasing) at `postings[bucketStart[id] ..< bucketStart[id + 1]]`,
        /// each with the id's position in the unit's list (modulo 256: past 128 only read as "some bit").
        var bucketStart: [Int32] = []
        var postings: [Posting] = []
        /// Per table id: its first posting at or after the lowest column asked for so far (the
        /// rows' columns only move right, so each posting is passed over once in a search), and
        /// the end of its postings, side by side: one cache line per id, not two.
        var buckets: [Bucket] = []
        var cursorLow = 0
        /// Per id of the English unit being filled: its bucket, then its first posting's unit.
        var pending: [Bucket] = []
        var heads: [Int32] = []

        struct Posting {
            var unit: Int32
            var position: UInt8
        }

        struct Bucket {
            var next: Int32
            var end: Int32
        }

        /// No table (a workspace's, before its first search).
        init() { useTable = false }

        init(table: AnchorTable, spanish: Aligner.SideIndex, sides: Int) {
            var none = Membership()
            self.init(table: table, spanish: spanish, sides: sides, reusing: &none)
        }

        /// `reusing`: a membership whose arrays are taken (and left empty) for this one's. Each
        /// is laid out anew; `pending` and `heads` are written before they are read.
        init(table: AnchorTable, spanish: Aligner.SideIndex, sides: Int, reusing old: inout Membership) {
            useTable = SharedRow.marksInTable(table: table, sides: sides)
            (pending, heads) = (SearchWorkspace.take(&old.pending), SearchWorkspace.take(&old.heads))
            guard useTable else {  // kept for a later search
                (bucketStart, postings, buckets) = (SearchWorkspace.take(&old.bucketStart), SearchWorkspace.take(&old.postings), SearchWorkspace.take(&old.buckets))
                return
            }
            let vocabulary = table.weights.count
            var start = SearchWorkspace.take(&old.bucketStart, filledWith: 0, count: vocabulary + 1)
            var postings = SearchWorkspace.take(&old.postings, filledWith: Posting(unit: 0, position: 0), count: spanish.flatIDs.count)
            var buckets = SearchWorkspace.take(&old.buckets, filledWith: Bucket(next: 0, end: 0), count: vocabulary)
            // Through pointers: every id is a table id, every slot within its bucket.
            spanish.flatIDs.withUnsafeBufferPointer { ids in
                spanish.flatStart.withUnsafeBufferPointer { flatStart in
                    start.withUnsafeMutableBufferPointer { start in
                        buckets.withUnsafeMutableBufferPointer { buckets in
                            postings.withUnsafeMutableBufferPointer { postings in
                                for id in ids { start[Int(id) + 1] += 1 }
                                for id in 0..<vocabulary {
                                    start[id + 1] += start[id]
                                    buckets[id] = Bucket(next: start[id], end: start[id + 1])
                                }
                                // `next` of each bucket is its next free slot while the postings are laid out.
                                for v in 0..<spanish.units.count {
                                    for k in flatStart[v]..<flatStart[v + 1] {
                                        let id = Int(ids[k])
                                        let slot = Int(buckets[id].next)
                                        postings[slot] = Posting(unit: Int32(v), position: UInt8(truncatingIfNeeded: k - flatStart[v]))
                                        buckets[id].next += 1
                                    }
                                }
                                for id in 0..<vocabulary { buckets[id].next = start[id] }
                            }
                        }
                    }
                }
            }
            bucketStart = start
            self.buckets = buckets
            self.postings = postings
        }
    }

    /// Whether a search over `sides` units indexes the Spanish side: when the search is large,
    /// or the vocabulary small (a short document's own table: cheaper to index than the sorted
    /// walks it saves). Not for the sentences of one paragraph pair, whose table is their whole
    /// document's.
    static func marksInTable(table: AnchorTable, sides: Int) -> Bool {
        sides >= 64 || table.weights.count <= 64 * sides
    }

    /// The lists by Spanish unit, for the duration of `body`.
    struct Lists {
        let low: Int
        let ids: UnsafeBufferPointer<Int32>
        let starts: UnsafeBufferPointer<Int32>
        let ends: UnsafeBufferPointer<Int32>
        let englishMasks: UnsafeBufferPointer<SharedRow.Mask>
        let spanishMasks: UnsafeBufferPointer<SharedRow.Mask>
        let englishMaskable: Bool

        @inline(__always)
        subscript(_ v: Int) -> UnsafeBufferPointer<Int32> {
            let k = v - low
            return UnsafeBufferPointer(rebasing: ids[Int(starts[k])..<Int(ends[k])])
        }

        @inline(__always) func englishMask(_ v: Int) -> SharedRow.Mask { englishMasks[v - low] }
        @inline(__always) func spanishMask(_ v: Int) -> SharedRow.Mask { spanishMasks[v - low] }
    }

    @inline(__always)
    func withLists<R>(_ body: (Lists) -> R) -> R {
        ids.withUnsafeBufferPointer { ids in
            starts.withUnsafeBufferPointer { starts in
                ends.withUnsafeBufferPointer { ends in
                    englishMasks.withUnsafeBufferPointer { englishMasks in
                        spanishMasks.withUnsafeBufferPointer { spanishMasks in
                            body(
                                Lists(
                                    low: low, ids: ids, starts: starts, ends: ends, englishMasks: englishMasks, spanishMasks: spanishMasks,
                                    englishMaskable: englishMaskable))
                        }
                    }
                }
            }
        }
    }

    /// Weight of the ids a mask stands for (`weights`: those of the unit's sorted ids, in
    /// their order), lowest bit first: increasing id order, as every sum over ids. The same
    /// sum as `maskWeight(_:ids:weights:)`, without reading the table.
    /// The mask is walked as two 64-bit halves, low first (the same bits in the same order):
    /// on a 128-bit value each step's bit scan and clearing took two words and a carry.
    @inline(__always)
    static func maskWeight(_ mask: SharedRow.Mask, weights: UnsafePointer<Double>) -> Double {
        var sum = 0.0
        var low = UInt64(truncatingIfNeeded: mask)
        var high = UInt64(truncatingIfNeeded: mask >> 64)
        while low != 0 {
            sum += weights[low.trailingZeroBitCount]
            low &= low &- 1
        }
        while high != 0 {
            sum += weights[64 + high.trailingZeroBitCount]
            high &= high &- 1
        }
        return sum
    }

    /// Weight of the ids a mask stands for (`ids`: the unit's sorted ids), lowest bit first:
    /// increasing id order, as every sum over ids.
    @inline(__always)
    static func maskWeight(_ mask: SharedRow.Mask, ids: UnsafePointer<Int32>, weights: UnsafeBufferPointer<Double>) -> Double {
        var sum = 0.0
        var low = UInt64(truncatingIfNeeded: mask)
        var high = UInt64(truncatingIfNeeded: mask >> 64)
        while low != 0 {
            sum += weights[Int(ids[low.trailingZeroBitCount])]
            low &= low &- 1
        }
        while high != 0 {
            sum += weights[Int(ids[64 + high.trailingZeroBitCount])]
            high &= high &- 1
        }
        return sum
    }

    /// English unit `english` (its sorted ids) against Spanish units `low ... high`. The lists
    /// are written through pointers into arrays kept from row to row, sized first for the most
    /// ids the row can share (no per-id capacity check): column v gets room for
    /// min(|english|, |v|) ids.
    mutating func fill(english: ArraySlice<Int32>, spanish: Aligner.SideIndex, columns low: Int, _ high: Int, membership: inout Membership) {
        self.low = low
        self.high = high
        englishMaskable = english.count <= Self.maskWidth
        let columnCount = max(0, high - low + 1)
        if starts.count < columnCount {
            let size = max(columnCount, 2 * starts.count)
            starts = [Int32](repeated: 0, count: size)
            ends = starts
            englishMasks = [SharedRow.Mask](repeated: 0, count: size)
            spanishMasks = englishMasks
        }
        guard low <= high else { return }
        if membership.useTable {  // sizes the lists itself
            fillFromPostings(english: english, spanish: spanish, membership: &membership)
            return
        }
        let spanishStarts = spanish.flatStart  // single units: starts 0 ... units
        var bound = 0
        for v in low...high { bound += min(english.count, spanishStarts[v + 1] - spanishStarts[v]) }
        growLists(to: bound)
        listsWritten = true
        spanish.flatIDs.withUnsafeBufferPointer { spanishIDs in
            spanishStarts.withUnsafeBufferPointer { spanishStarts in
                english.withUnsafeBufferPointer { english in
                    ids.withUnsafeMutableBufferPointer { out in
                        starts.withUnsafeMutableBufferPointer { starts in
                            ends.withUnsafeMutableBufferPointer { ends in
                                englishMasks.withUnsafeMutableBufferPointer { englishMasks in
                                    spanishMasks.withUnsafeMutableBufferPointer { spanishMasks in
                                        var count = 0
                                        for v in low...high {
                                            // Bits past 127 wrap (`&<<`): such masks are never read
                                            // as sets, only as "empty or not", which they still tell.
                                            var englishMask: SharedRow.Mask = 0
                                            var spanishMask: SharedRow.Mask = 0
                                            let start = spanishStarts[v]
                                            starts[v - low] = Int32(count)
                                            var i = 0
                                            var k = start
                                            let end = spanishStarts[v + 1]
                                            while i < english.count && k < end {
                                                let x = english[i]
                                                let y = spanishIDs[k]
                                                if x == y {
                                                    out[count] = x
                                                    count += 1
                                                    englishMask |= 1 &<< SharedRow.Mask(i)
                                                    spanishMask |= 1 &<< SharedRow.Mask(k &- start)
                                                    i += 1
                                                    k += 1
                                                } else if x < y { i += 1 } else { k += 1 }
                                            }
                                            ends[v - low] = Int32(count)
                                            englishMasks[v - low] = englishMask
                                            spanishMasks[v - low] = spanishMask
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// `fill` through the Spanish postings of each English id, in increasing id order, so that
    /// each column's list comes out sorted.
    private mutating func fillFromPostings(english: ArraySlice<Int32>, spanish: Aligner.SideIndex, membership: inout Membership) {
        let (low, high) = (self.low, self.high)
        if low < membership.cursorLow {  // columns moved left: postings are searched from their start again
            for id in membership.buckets.indices { membership.buckets[id].next = membership.bucketStart[id] }
        }
        membership.cursorLow = low
        let unitCount = english.count
        // Each column's list gets room for min(|english|, |v|) ids; the masks start empty.
        // The lists are read only where a mask does not stand for one (a unit of more than
        // `maskWidth` ids): else they are not written.
        var room = 0
        var listsRead = unitCount > Self.maskWidth
        spanish.flatStart.withUnsafeBufferPointer { spanishStarts in
            starts.withUnsafeMutableBufferPointer { starts in
                ends.withUnsafeMutableBufferPointer { ends in
                    englishMasks.withUnsafeMutableBufferPointer { englishMasks in
                        spanishMasks.withUnsafeMutableBufferPointer { spanishMasks in
                            for v in low...high {
                                let c = v - low
                                starts[c] = Int32(room)
                                ends[c] = Int32(room)
                                englishMasks[c] = 0
                                spanishMasks[c] = 0
                                let spanishCount = spanishStarts[v + 1] - spanishStarts[v]
                                if spanishCount > Self.maskWidth { listsRead = true }
                                room += min(unitCount, spanishCount)
                            }
                        }
                    }
                }
            }
        }
        listsWritten = listsRead
        growLists(to: room)  // lists not written are still read as (unspecified) ids in range
        if membership.pending.count < unitCount {
            let size = max(unitCount, 2 * membership.pending.count)
            membership.pending = [Membership.Bucket](repeated: Membership.Bucket(next: 0, end: 0), count: size)
            membership.heads = [Int32](repeated: 0, count: size)
        }
        membership.buckets.withUnsafeMutableBufferPointer { buckets in
            membership.postings.withUnsafeBufferPointer { postings in
                membership.pending.withUnsafeMutableBufferPointer { pending in
                    membership.heads.withUnsafeMutableBufferPointer { heads in
                        english.withUnsafeBufferPointer { english in
                            ids.withUnsafeMutableBufferPointer { out in
                                ends.withUnsafeMutableBufferPointer { ends in
                                    englishMasks.withUnsafeMutableBufferPointer { englishMasks in
                                        spanishMasks.withUnsafeMutableBufferPointer { spanishMasks in
                                            // The ids' buckets, then their first postings, are read in
                                            // loops of loads that do not wait on each other: the cache
                                            // misses of all the unit's ids overlap.
                                            for p in 0..<unitCount { pending[p] = buckets[Int(english[p])] }
                                            for p in 0..<unitCount {
                                                let bucket = pending[p]
                                                heads[p] = bucket.next < bucket.end ? postings[Int(bucket.next)].unit : .max
                                            }
                                            let (low32, high32) = (Int32(low), Int32(high))
                                            for p in 0..<unitCount {
                                                let id = english[p]
                                                var k = Int(pending[p].next)
                                                let end = Int(pending[p].end)
                                                if heads[p] < low32 {
                                                    while k < end && postings[k].unit < low32 { k += 1 }
                                                    buckets[Int(id)].next = Int32(k)
                                                }
                                                // Bits past 127 wrap (`&<<`): such masks are never read
                                                // as sets, only as "empty or not", which they still tell.
                                                let englishBit: SharedRow.Mask = 1 &<< SharedRow.Mask(p)
                                                while k < end {
                                                    let posting = postings[k]
                                                    let v = posting.unit
                                                    if v > high32 { break }
                                                    let c = Int(v - low32)
                                                    if listsRead {
                                                        out[Int(ends[c])] = id
                                                        ends[c] += 1
                                                    }
                                                    englishMasks[c] |= englishBit
                                                    spanishMasks[c] |= 1 &<< SharedRow.Mask(posting.position)
                                                    k += 1
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The row as a new one reads, its arrays' room kept for the next search: the lists and
    /// masks are written before they are read, and the ids of lists not written are zeroed.
    mutating func empty() {
        (low, high, englishMaskable, listsWritten) = (0, -1, false, true)
        ids.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }

    /// Room for `count` ids in the lists (at least one slot), kept from fill to fill.
    private mutating func growLists(to count: Int) {
        if ids.count < max(1, count) { ids = [Int32](repeated: 0, count: max(count, 2 * ids.count)) }
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

    /// Whether the marked set is a table (else `sharedWeight` walks its `unit` list, and marking does nothing).
    var usesTable: Bool { useTable }

    init(table: AnchorTable, sides: Int) {
        weights = table.weights
        useTable = SharedRow.marksInTable(table: table, sides: sides)
        marked = useTable ? [Double](repeated: 0, count: table.weights.count) : []
    }

    /// `reusing`: an array taken (and left empty) for the table; `giveBack` returns it.
    init(table: AnchorTable, sides: Int, reusing storage: inout [Double]) {
        weights = table.weights
        useTable = SharedRow.marksInTable(table: table, sides: sides)
        marked = useTable ? SearchWorkspace.take(&storage, filledWith: 0, count: table.weights.count) : SearchWorkspace.take(&storage)
    }

    /// Leaves the table's array in `storage`, for the next marks.
    mutating func giveBack(to storage: inout [Double]) {
        swap(&marked, &storage)
    }

    @inline(__always)
    mutating func mark(_ ids: ArraySlice<Int32>) {
        guard useTable else { return }
        weights.withUnsafeBufferPointer { weights in
            marked.withUnsafeMutableBufferPointer { marked in
                ids.withUnsafeBufferPointer { ids in
                    for id in ids { marked[Int(id)] = weights[Int(id)] }
                }
            }
        }
    }

    @inline(__always)
    mutating func unmark(_ ids: ArraySlice<Int32>) {
        guard useTable else { return }
        marked.withUnsafeMutableBufferPointer { marked in
            ids.withUnsafeBufferPointer { ids in
                for id in ids { marked[Int(id)] = 0 }
            }
        }
    }

    /// Weight of the ids of `other` that are in `unit` (the marked set).
    @inline(__always)
    func sharedWeight(_ other: ArraySlice<Int32>, unit: ArraySlice<Int32>) -> Double {
        if useTable {
            // Through pointers: every id is a table id (no bounds check needed per id).
            return marked.withUnsafeBufferPointer { marked in
                other.withUnsafeBufferPointer { other in
                    var shared = 0.0
                    for id in other { shared += marked[Int(id)] }
                    return shared
                }
            }
        }
        return SortedIDs.sharedWeight(other, unit, weights: weights)
    }
}

/// The sizes of a link shape of the band search, its index in `LinkShape.all`, and whether it
/// wins ties with the shapes tried before it (`BandSearch.bestLink` tries the omissions first,
/// though 1-1 comes before them in `LinkShape.all`).
private protocol CellShape {
    static var english: Int { get }
    static var spanish: Int { get }
    static var index: Int { get }
    static var winsTies: Bool { get }
}

extension CellShape {
    static var winsTies: Bool { false }
}

private enum OneOne: CellShape {
    static var english: Int { 1 }
    static var spanish: Int { 1 }
    static var index: Int { 0 }
    static var winsTies: Bool { true }
}

private enum TwoOne: CellShape {
    static var english: Int { 2 }
    static var spanish: Int { 1 }
    static var index: Int { 3 }
}

private enum OneTwo: CellShape {
    static var english: Int { 1 }
    static var spanish: Int { 2 }
    static var index: Int { 4 }
}

private enum TwoTwo: CellShape {
    static var english: Int { 2 }
    static var spanish: Int { 2 }
    static var index: Int { 5 }
}

private enum ThreeOne: CellShape {
    static var english: Int { 3 }
    static var spanish: Int { 1 }
    static var index: Int { 6 }
}

private enum OneThree: CellShape {
    static var english: Int { 1 }
    static var spanish: Int { 3 }
    static var index: Int { 7 }
}

extension Array {
    /// `Array(repeating: value, count: count)` through code specialized in this module. The
    /// standard library's initializer allocates through an unspecialized function that looks
    /// the array type's metadata up in the runtime's table at every call: the search makes a
    /// few dozen small arrays, and a run of small pairs thousands of searches.
    @inline(__always)
    init(repeated value: Element, count: Int) {
        self.init(repeatElement(value, count: count))
    }
}

/// The arrays a search fills and empties (costs, column bounds, coverage rows, shared rows, the
/// Spanish side's postings, shortfall scales, coverage marks), handed from one search to the
/// next rather than allocated for each: most pairs are small, and each search made some forty
/// arrays. A search resizes and refills each before reading it, so which workspace it gets
/// changes nothing but allocation.
struct SearchWorkspace: Sendable {
    var rowStart: [Int] = []
    var back: [UInt8] = []
    var cost: [Float] = []
    var columnLow: [Int] = []
    var columnHigh: [Int] = []
    var enShortfall: [Double] = []
    var esShortfall: [Double] = []
    var first: [Int] = []
    var firstReached: [Int] = []
    var lastReached: [Int] = []
    var singleSums: [Double] = []
    var shared: [SharedRow] = []
    var membership = SharedRow.Membership()
    var englishScale = BandSearch.ShortfallScale()
    var spanishScale = BandSearch.ShortfallScale()
    var marks: [Double] = []

    /// `array`, left empty in its place (so that the taken one is its buffer's only reference).
    @inline(__always)
    static func take<T>(_ array: inout [T]) -> [T] {
        var taken: [T] = []
        swap(&taken, &array)
        return taken
    }

    /// `array`'s buffer (left empty in its place) holding `count` copies of `value`, as
    /// `Array(repeated: value, count: count)` would.
    @inline(__always)
    static func take<T>(_ array: inout [T], filledWith value: T, count: Int) -> [T] {
        var taken = take(&array)
        // Too small (a long document's, never kept): a new one, filled as a fresh array is
        // (a memset for bytes), not element by element as appending does.
        if taken.capacity < count { return Array(repeated: value, count: count) }
        taken.removeAll(keepingCapacity: true)
        taken.append(contentsOf: repeatElement(value, count: count))
        return taken
    }

    /// The three shared rows, each as a new one reads.
    mutating func takeSharedRows() -> [SharedRow] {
        var rows = Self.take(&shared)
        guard rows.count == 3 else { return Array(repeated: SharedRow(), count: 3) }
        for k in rows.indices { rows[k].empty() }
        return rows
    }

    /// Idle workspaces, one per search running at once (`--jobs`).
    static let idle = IdleValues<SearchWorkspace>()

    /// A kept workspace, or a new one.
    static func take() -> SearchWorkspace { idle.take() ?? SearchWorkspace() }

    /// Keeps `workspace` for a later search, unless it grew too large; leaves an empty one in
    /// its place (moved, not copied: a copy would retain its two dozen arrays).
    static func giveBack(_ workspace: inout SearchWorkspace) {
        var kept = SearchWorkspace()
        swap(&kept, &workspace)
        guard kept.isSmallEnoughToKeep else { return }
        idle.giveBack(consume kept)
    }

    /// Arrays past this many elements (a long document's cells) are not kept for the next search.
    static let keptElements = 1 << 16

    var isSmallEnoughToKeep: Bool {
        let limit = Self.keptElements
        let rowsSmall = shared.allSatisfy {
            $0.ids.capacity <= limit && $0.starts.capacity <= limit && $0.ends.capacity <= limit
                && $0.englishMasks.capacity <= limit && $0.spanishMasks.capacity <= limit
        }
        return rowsSmall && rowStart.capacity <= limit && back.capacity <= limit && cost.capacity <= limit && columnLow.capacity <= limit && columnHigh.capacity <= limit
            && firstReached.capacity <= limit && lastReached.capacity <= limit
            && enShortfall.capacity <= limit && esShortfall.capacity <= limit && singleSums.capacity <= limit
            && membership.bucketStart.capacity <= limit && membership.postings.capacity <= limit
            && membership.buckets.capacity <= limit && membership.pending.capacity <= limit && membership.heads.capacity <= limit
            && englishScale.denominator.capacity <= limit && spanishScale.denominator.capacity <= limit && marks.capacity <= limit
    }
}
