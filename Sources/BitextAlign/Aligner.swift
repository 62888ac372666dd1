/// Dynamic-programming aligner over two unit sequences (blocks or sentences).
///
/// The cost of a link adds a shape prior, the Gale–Church length term, a content term
/// (1 − IDF-weighted anchor similarity) and a block-kind term; 1-0 and 0-1 links cost a
/// fixed skip penalty. Large inputs are searched in a band around a guide path made of
/// anchors unique on both sides (longest increasing chain, isolated jumps dropped), so
/// time and memory grow with n × band, not n × m.
struct Aligner: Sendable {
    let parameters: AlignmentParameters

    /// `parameters.shapeCost` as a flat table indexed by english × 4 + spanish (no hashing in the inner loop).
    let shapeCosts: [Double]
    /// What the band search's cells read, worked out once per aligner (sentence alignment runs
    /// one search per paragraph link).
    let searchConstants: BandSearch.Constants

    init(parameters: AlignmentParameters = .standard) {
        self.parameters = parameters
        var table = [Double](repeated: 10, count: 16)
        for shape in LinkShape.all { table[shape.english * 4 + shape.spanish] = parameters.shapeCost[shape] ?? 10 }
        shapeCosts = table
        searchConstants = BandSearch.Constants(parameters: parameters, shapeCosts: table)
    }

    /// Values per span of 1–3 units, stored flat (one array for the three sizes):
    /// `table[size - 1][start]` reads `values[(size - 1) × units + start]`.
    struct SpanTable<Value> {
        var values: [Value]
        let units: Int

        struct Level {
            let values: [Value]
            let offset: Int
            @inline(__always)
            subscript(start: Int) -> Value { values[offset + start] }
        }

        @inline(__always)
        subscript(level: Int) -> Level { Level(values: values, offset: level * units) }
    }

    /// Pre-computed span data for one side: each unit's anchor ids and weight, lengths and kinds
    /// of spans of 1–3 units. Few arrays, each flat: sentence alignment builds two per paragraph link.
    struct SideIndex {
        var units: [AlignmentUnit]
        /// Sorted unique anchor ids of each unit, end to end: unit u's are
        /// `flatIDs[flatStart[u] ..< flatStart[u + 1]]`. The search reads units' lists only (the
        /// shared rows merge them); longer spans are merged when a link asks (`span`).
        var flatIDs: [Int32] = []
        var flatStart: [Int] = []
        /// The table weight of each id of `flatIDs`, at the same place: a unit's weights lie
        /// together, so sums over its ids (the band search's masks) read no table.
        var flatWeights: [Double] = []
        /// Anchor weight of each unit (level 0 only: no reader needs a longer span's total).
        var spanWeight: SpanTable<Double>
        var spanLength: SpanTable<Int>
        /// Per unit: its mean coverage by units of the other side far from its likely place,
        /// i.e. what chance alone gives it (common words, shared technical terms).
        var baseline: [Double] = []
        /// kindMask[size - 1][start]: bit set of the kind classes in the span.
        var kindMask: SpanTable<Int>
        /// Per unit: table column, heading level, list depth; kind class.
        var structures: [UnitStructure]
        var kindClasses: [Int]

        /// `encoded`: the units' sorted table ids when the caller has them (`AnchorCatalog`).
        init(units: [AlignmentUnit], table: AnchorTable, encoded: EncodedUnits? = nil) {
            self.units = units
            let count = units.count
            var starts: [Int]
            let ids: [Int32]
            if let encoded {  // already in this layout
                precondition(encoded.starts.count == count + 1, "encoded units do not match the units")
                (ids, starts) = (encoded.ids, encoded.starts)
            } else {
                starts = [Int](repeated: 0, count: count + 1)
                let unitIDCount = units.reduce(0) { $0 + $1.features.anchorCount }
                // At least one slot: with capacity 0 the initializer writes the count into the
                // process-wide empty-array storage, a data race between concurrent alignments.
                ids = [Int32](unsafeUninitializedCapacity: max(1, unitIDCount)) { out, initialized in
                    var k = 0
                    for (u, unit) in units.enumerated() {
                        k = table.encode(unit.features, into: out, at: k)
                        starts[u + 1] = k
                    }
                    initialized = k
                }
            }
            flatIDs = ids
            flatStart = starts
            var structures = [UnitStructure](repeated: UnitStructure(), count: count)
            var kindClasses = [Int](repeated: 0, count: count)
            // Read once, in one pass, in place: copying a unit out of the array (as a for-in loop
            // or `map` does) retains and releases its features' box. The units' lengths are
            // the one-unit spans' (`lengths[0 ..< count]`), which the longer spans add up.
            var lengths = [Int](repeated: 0, count: 3 * count)
            // (Written through buffers here and below: an array's element written in a loop
            // checked the array's uniqueness, a runtime call, at every unit.)
            units.withUnsafeBufferPointer { units in
                kindClasses.withUnsafeMutableBufferPointer { kindClasses in
                    structures.withUnsafeMutableBufferPointer { structures in
                        lengths.withUnsafeMutableBufferPointer { lengths in
                            for k in 0..<count {
                                kindClasses[k] = units[k].kindClass
                                structures[k] = units[k].structure
                                lengths[k] = units[k].features.length
                            }
                        }
                    }
                }
            }
            self.structures = structures
            self.kindClasses = kindClasses
            var weights = [Double](repeated: 0, count: count)
            var masks = [Int](repeated: 0, count: 3 * count)
            var idWeights = [Double](repeated: 0, count: ids.count)
            idWeights.withUnsafeMutableBufferPointer { idWeights in
                table.weights.withUnsafeBufferPointer { tableWeights in
                    ids.withUnsafeBufferPointer { ids in
                        weights.withUnsafeMutableBufferPointer { weights in
                            for u in 0..<count {
                                var weight = 0.0  // in id order, as every sum over ids
                                for k in starts[u]..<starts[u + 1] {
                                    let w = tableWeights[Int(ids[k])]
                                    idWeights[k] = w
                                    weight += w
                                }
                                weights[u] = weight
                            }
                        }
                    }
                }
            }
            flatWeights = idWeights
            lengths.withUnsafeMutableBufferPointer { lengths in
                masks.withUnsafeMutableBufferPointer { masks in
                    for size in 1...3 where count >= size {
                        for start in 0...(count - size) {
                            var length = 0
                            var mask = 0
                            for u in start..<start + size {
                                length += lengths[u]
                                mask |= 1 << kindClasses[u]
                            }
                            lengths[(size - 1) * count + start] = length
                            masks[(size - 1) * count + start] = mask
                        }
                    }
                }
            }
            spanWeight = SpanTable(values: weights, units: count)
            spanLength = SpanTable(values: lengths, units: count)
            kindMask = SpanTable(values: masks, units: count)
        }

        /// The sorted anchor ids of units start..<start+size (empty past the last unit).
        @inline(__always)
        func span(_ size: Int, _ start: Int) -> ArraySlice<Int32> {
            if size == 1 { return flatIDs[flatStart[start]..<flatStart[start + 1]] }
            guard start + size <= units.count else { return [] }
            return spanUnion(size, start)
        }

        /// The union of units start..<start+size's lists, merged one unit at a time.
        private func spanUnion(_ size: Int, _ start: Int) -> ArraySlice<Int32> {
            let total = flatStart[start + size] - flatStart[start]
            let merged = [Int32](unsafeUninitializedCapacity: max(1, size * total)) { out, initialized in
                flatIDs.withUnsafeBufferPointer { ids in
                    // Each union is written after the one before it; the last one is moved to the front.
                    var from = 0
                    var end = 0
                    for (k, u) in (start..<start + size).enumerated() {
                        let unit = UnsafeBufferPointer(rebasing: ids[flatStart[u]..<flatStart[u + 1]])
                        if k == 0 {
                            for id in unit { out[end] = id; end += 1 }
                            continue
                        }
                        let next = Self.union(UnsafeBufferPointer(rebasing: out[from..<end]), unit, into: out, at: end)
                        (from, end) = (end, next)
                    }
                    for k in from..<end { out[k - from] = out[k] }
                    initialized = end - from
                }
            }
            return merged[...]
        }

        /// Writes the sorted union of two sorted id lists at `out[k...]`; returns the end.
        @inline(__always)
        static func union(_ a: UnsafeBufferPointer<Int32>, _ b: UnsafeBufferPointer<Int32>, into out: UnsafeMutableBufferPointer<Int32>, at start: Int) -> Int {
            var k = start
            var i = 0
            var j = 0
            while i < a.count && j < b.count {
                let x = a[i]
                let y = b[j]
                if x == y {
                    out[k] = x
                    i += 1
                    j += 1
                } else if x < y {
                    out[k] = x
                    i += 1
                } else {
                    out[k] = y
                    j += 1
                }
                k += 1
            }
            while i < a.count { out[k] = a[i]; i += 1; k += 1 }
            while j < b.count { out[k] = b[j]; j += 1; k += 1 }
            return k
        }
    }

    /// Aligns two unit sequences. `table` gives anchor weights; pass one built over the whole
    /// document when aligning the sentences of one paragraph pair.
    ///
    /// `previous`: links of an earlier pass over the same units (the lexicon bootstrap's first
    /// pass). Above `refineFullSearchCells` cells the search then follows that path
    /// (±`refineHalfWidth`, ±`certainRefineHalfWidth` in its certain stretches) instead of the
    /// anchor guide ±`bandHalfWidth` or the whole grid: the second pass only moves links locally.
    /// `encoded`: each unit's sorted table ids, when the caller has them from an `AnchorCatalog`.
    /// `listMatchedAnchors`: keep the shared anchors of every link (for explanations).
    func align(
        english: [AlignmentUnit], spanish: [AlignmentUnit], table: AnchorTable? = nil, encoded: (english: EncodedUnits, spanish: EncodedUnits)? = nil,
        previous: [RawLink]? = nil, listMatchedAnchors: Bool = true
    ) -> [RawLink] {
        finished(search(english: english, spanish: spanish, table: table, encoded: encoded, previous: previous), listMatchedAnchors: listMatchedAnchors)
    }

    /// A search's links with their cost terms, before each gets its rival similarity and shared
    /// anchors (`finished`): a first pass that a second replaces never needs them.
    struct Pass {
        var links: [RawLink]
        let search: BandSearch?
    }

    /// `align` up to the links and their cost terms.
    func search(
        english: [AlignmentUnit], spanish: [AlignmentUnit], table: AnchorTable? = nil, encoded: (english: EncodedUnits, spanish: EncodedUnits)? = nil,
        previous: [RawLink]? = nil
    ) -> Pass {
        let n = english.count
        let m = spanish.count
        if n == 0 && m == 0 { return Pass(links: [], search: nil) }
        let table = table ?? AnchorTable(english: english.map(\.features), spanish: spanish.map(\.features), parameters: parameters)
        // One workspace for the search's scratch arrays, kept for the next search.
        var workspace = SearchWorkspace.take()
        var search = prepare(english: english, spanish: spanish, table: table, encoded: encoded, previous: previous, workspace: &workspace)
        var (rowStart, back) = search.run(workspace: &workspace)
        // A bound proved too tight (its margins are meant to rule this out; the tests check
        // they do) leaves (n, m) unreached: searched again without it, not a crash.
        if search.bound != nil && back[rowStart[n] + m - search.lo[n]] == 255 {
            (workspace.rowStart, workspace.back) = (rowStart, back)
            search = prepare(english: english, spanish: spanish, table: table, encoded: encoded, previous: previous, bounded: false, workspace: &workspace)
            (rowStart, back) = search.run(workspace: &workspace)
        }
        let shapes = LinkShape.all
        var marks = CoverageMarks(table: table, sides: n + m, reusing: &workspace.marks)

        var links: [RawLink] = []
        links.reserveCapacity(max(n, m))  // at least one link per unit of the longer side (grown from empty, five or six copies)
        var i = n
        var j = m
        while i > 0 || j > 0 {
            let s = back[rowStart[i] + j - search.lo[i]]
            precondition(s != 255, "band lost the path at (\(i), \(j))")
            let shape = shapes[Int(s)]
            let pi = i - shape.english
            let pj = j - shape.spanish
            // (The search's sides read in place: a local copy retained their arrays.)
            let terms = linkTerms(shape: shape, enStart: pi, esStart: pj, en: search.en, es: search.es, marks: &marks)
            links.append(RawLink(english: pi..<i, spanish: pj..<j, terms: terms))
            i = pi
            j = pj
        }
        marks.giveBack(to: &workspace.marks)
        (workspace.rowStart, workspace.back) = (rowStart, back)
        SearchWorkspace.giveBack(&workspace)
        links.reverse()
        return Pass(links: links, search: search)
    }

    /// The pass's links, each with its rival similarity and (`listMatchedAnchors`) the anchors its sides share.
    func finished(_ pass: Pass, listMatchedAnchors: Bool = true) -> [RawLink] {
        guard pass.search != nil else { return pass.links }
        // The search's sides and table are read in place (`pass.search!.en`): binding the
        // optional search, or its sides, copied them and retained their thirty-odd arrays.
        var links = pass.links
        var workspace = SearchWorkspace.take()
        var marks = CoverageMarks(
            table: pass.search!.table, sides: pass.search!.en.units.count + pass.search!.es.units.count, reusing: &workspace.marks)
        for k in links.indices {
            let (english, spanish, shape) = (links[k].english, links[k].spanish, links[k].terms.shape)
            links[k].terms.rivalSimilarity = rivalSimilarity(enRange: english, esRange: spanish, en: pass.search!.en, es: pass.search!.es, marks: &marks)
            if !shape.isOmission && listMatchedAnchors {
                links[k].matched = intersection(
                    pass.search!.en.span(shape.english, english.lowerBound), pass.search!.es.span(shape.spanish, spanish.lowerBound)
                ).map { pass.search!.table.keys[Int($0)] }
            }
        }
        marks.giveBack(to: &workspace.marks)
        SearchWorkspace.giveBack(&workspace)
        return links
    }

    /// Both sides indexed, their chance coverage measured and the band chosen: the search, ready to run.
    func prepare(
        english: [AlignmentUnit], spanish: [AlignmentUnit], table: AnchorTable, encoded: (english: EncodedUnits, spanish: EncodedUnits)? = nil,
        previous: [RawLink]? = nil
    ) -> BandSearch {
        var workspace = SearchWorkspace()
        return prepare(english: english, spanish: spanish, table: table, encoded: encoded, previous: previous, workspace: &workspace)
    }

    /// `prepare` with its coverage marks' table taken from `workspace` (and left there).
    func prepare(
        english: [AlignmentUnit], spanish: [AlignmentUnit], table: AnchorTable, encoded: (english: EncodedUnits, spanish: EncodedUnits)?,
        previous: [RawLink]?, bounded: Bool = true, workspace: inout SearchWorkspace
    ) -> BandSearch {
        var en = SideIndex(units: english, table: table, encoded: encoded?.english)
        var es = SideIndex(units: spanish, table: table, encoded: encoded?.spanish)
        var chanceSums: [Double] = []
        en.baseline = chanceCoverage(of: en, against: es, table: table, marksStorage: &workspace.marks, sums: &chanceSums, summedByOther: false)
        es.baseline = chanceCoverage(of: es, against: en, table: table, marksStorage: &workspace.marks, sums: &chanceSums, summedByOther: true)
        let (n, m) = (english.count, spanish.count)
        var (lo, hi): ([Int], [Int])
        var bound: PathCostBound?
        if let previous, (n + 1) * (m + 1) > parameters.refineFullSearchCells {
            (lo, hi) = band(around: previous, n: n, m: m)
        } else {
            (lo, hi) = band(en: en, es: es, table: table)
            // The whole grid, with the cost of a path through it known: the cells no path as
            // cheap passes through are left out (`PathCostBound`), the best path and its links
            // unchanged. The known path: the first pass's, re-costed; in a first pass, the best
            // path of the band around the anchors' guide, where that band is a small part of the grid.
            let grid = (n + 1) * (m + 1)
            var known: Double?
            if bounded && grid <= parameters.fullSearchCells {
                if let previous {
                    known = pathCost(previous, en: en, es: es, table: table, marksStorage: &workspace.marks)
                } else if grid >= Self.guidedBoundCells {
                    let guide = guideBand(en: en, es: es, table: table)
                    if zip(guide.lo, guide.hi).reduce(0, { $0 + $1.1 - $1.0 + 1 }) * Self.guidedBoundShare <= grid {
                        known = Double(BandSearch(aligner: self, en: en, es: es, table: table, lo: guide.lo, hi: guide.hi).bestCost(workspace: &workspace))
                    }
                }
            }
            if let known {
                bound = PathCostBound(pathCost: known, en: en, es: es, parameters: parameters, constants: searchConstants)
                if var narrowed = bound?.band(n: n, m: m) { (lo, hi) = Self.connected(lo: &narrowed.lo, hi: &narrowed.hi, n: n, m: m) }
            }
        }
        var search = BandSearch(aligner: self, en: en, es: es, table: table, lo: lo, hi: hi)
        search.bound = bound
        return search
    }

    /// Whole grids of at least this many cells are first searched in the band around the guide
    /// (for the bound its best path gives) when that band holds at most 1/`guidedBoundShare` of
    /// the grid's cells: below, the band's search costs about what the bound saves.
    static let guidedBoundCells = 2_000
    static let guidedBoundShare = 2

    /// What `links` cost in this search (`linkTerms`' totals, added in order); nil unless they
    /// make a path of the search's shapes from (0, 0) to (n, m).
    func pathCost(_ links: [RawLink], en: SideIndex, es: SideIndex, table: AnchorTable, marksStorage: inout [Double]) -> Double? {
        let (n, m) = (en.units.count, es.units.count)
        var marks = CoverageMarks(table: table, sides: n + m, reusing: &marksStorage)
        defer { marks.giveBack(to: &marksStorage) }
        var (i, j) = (0, 0)
        var total = 0.0
        for link in links {
            let shape = LinkShape(english: link.english.count, spanish: link.spanish.count)
            guard link.english.lowerBound == i, link.spanish.lowerBound == j, LinkShape.all.contains(shape) else { return nil }
            (i, j) = (link.english.upperBound, link.spanish.upperBound)
            guard i <= n, j <= m else { return nil }
            total += linkTerms(shape: shape, enStart: link.english.lowerBound, esStart: link.spanish.lowerBound, en: en, es: es, marks: &marks).total
        }
        return i == n && j == m ? total : nil
    }

    // MARK: - Costs

    func linkTerms(shape: LinkShape, enStart: Int, esStart: Int, en: SideIndex, es: SideIndex, table: AnchorTable) -> LinkTerms {
        var marks = CoverageMarks(table: table, sides: 0)  // one link: the sorted lists are walked, no table is built
        return linkTerms(shape: shape, enStart: enStart, esStart: esStart, en: en, es: es, marks: &marks)
    }

    /// `marks`: how shared weights are summed (a search's traceback keeps one table for all its links).
    func linkTerms(shape: LinkShape, enStart: Int, esStart: Int, en: SideIndex, es: SideIndex, marks: inout CoverageMarks) -> LinkTerms {
        var terms = LinkTerms(shape: shape)
        terms.shapeCost = shapeCosts[shape.english * 4 + shape.spanish]
        if shape.isOmission {
            terms.total = terms.shapeCost + parameters.skipCost
            return terms
        }
        let enLength = en.spanLength[shape.english - 1][enStart]
        let esLength = es.spanLength[shape.spanish - 1][esStart]
        terms.lengthZ = GaleChurch.z(english: enLength, spanish: esLength, ratio: parameters.lengthRatio, variance: parameters.lengthVariance)
        terms.lengthCost = parameters.lengthWeight * GaleChurch.cost(z: terms.lengthZ)
        // Coverage per unit: the share of each unit's anchor weight found on the other side of
        // the link. Averaging per unit (not Dice over merged spans) keeps an identical pair from
        // carrying a poorly matched neighbour into a 2-2 link.
        var coverageSum = 0.0
        // Each unit's shortfall is measured against what chance gives it (Vecalign normalizes
        // its cosine cost the same way), so units full of common words are not favoured and
        // units with few anchors fall back on length.
        var shortfall = 0.0
        // The worst-covered unit on a side that merges several: a true split leaves every
        // part translated; an omitted paragraph absorbed into a neighbour does not.
        var worstMerged = 0.0
        if shape.english == 1 && shape.spanish == 1 {
            // One sum for both units: their shared weight is the same whichever is marked (the
            // ids both hold, in increasing id order), so the Spanish unit's is not summed again.
            let (englishIDs, spanishIDs) = (en.span(1, enStart), es.span(1, esStart))
            let (englishWeight, spanishWeight) = (en.spanWeight[0][enStart], es.spanWeight[0][esStart])
            var shared = 0.0
            if englishWeight > 0 || spanishWeight > 0 {
                marks.mark(spanishIDs)
                shared = marks.sharedWeight(englishIDs, unit: marks.usesTable ? [] : spanishIDs)
                marks.unmark(spanishIDs)
            }
            let englishCoverage = englishWeight > 0 ? min(1, shared / englishWeight) : parameters.neutralCoverage
            coverageSum += englishCoverage
            shortfall += normalizedShortfall(englishCoverage, baseline: en.baseline[enStart])
            let spanishCoverage = spanishWeight > 0 ? min(1, shared / spanishWeight) : parameters.neutralCoverage
            coverageSum += spanishCoverage
            shortfall += normalizedShortfall(spanishCoverage, baseline: es.baseline[esStart])
        } else {
            // English units against the Spanish span, then Spanish against English (the sums' order).
            addCoverage(
                of: en, enStart..<enStart + shape.english, against: es, esStart..<esStart + shape.spanish, marks: &marks,
                coverageSum: &coverageSum, shortfall: &shortfall, worstMerged: &worstMerged)
            addCoverage(
                of: es, esStart..<esStart + shape.spanish, against: en, enStart..<enStart + shape.english, marks: &marks,
                coverageSum: &coverageSum, shortfall: &shortfall, worstMerged: &worstMerged)
        }
        terms.shapeCost += parameters.mergeShortfallCost * max(0, worstMerged - parameters.mergeShortfallFloor)
        let unitCount = Double(shape.english + shape.spanish)
        terms.similarity = coverageSum / unitCount
        // Per unit, not per link: merging two good 1-1 links into a 2-2 must not halve the cost.
        terms.contentCost = parameters.contentWeight * shortfall / 2
        terms.kindCost = kindCost(en.units[enStart..<enStart + shape.english], es.units[esStart..<esStart + shape.spanish])
            * StructuralCost.kindWeight(en.units[enStart].structure, es.units[esStart].structure, weights: parameters.structure)
        // Hook (StructuralCost.swift): table column, heading level, list depth.
        terms.structureCost = StructuralCost.cost(
            en.units[enStart..<enStart + shape.english], es.units[esStart..<esStart + shape.spanish], weights: parameters.structure,
            merge: shape.english + shape.spanish > 2)
        terms.total = terms.shapeCost + terms.lengthCost + terms.contentCost + terms.kindCost + terms.structureCost
        return terms
    }

    /// One side's part of `linkTerms`: each unit of `units` covered by the other side's `others`
    /// (marked unit by unit, their ids' union, or without a table merged), added to the sums;
    /// a side that merges several units also keeps its worst one's shortfall.
    @inline(__always)
    private func addCoverage(
        of side: SideIndex, _ units: Range<Int>, against other: SideIndex, _ others: Range<Int>, marks: inout CoverageMarks,
        coverageSum: inout Double, shortfall: inout Double, worstMerged: inout Double
    ) {
        let otherSpan = marks.usesTable ? [] : other.span(others.count, others.lowerBound)
        for v in others { marks.mark(other.span(1, v)) }
        for u in units {
            let c = coverage(unitIDs: side.span(1, u), unitWeight: side.spanWeight[0][u], other: otherSpan, marks: marks)
            coverageSum += c
            let f = normalizedShortfall(c, baseline: side.baseline[u])
            shortfall += f
            if units.count > 1 { worstMerged = max(worstMerged, f) }
        }
        for v in others { marks.unmark(other.span(1, v)) }
    }

    /// Kind classes as bit sets, so the inner loop allocates nothing.
    @inline(__always)
    private func kindCost(_ a: ArraySlice<AlignmentUnit>, _ b: ArraySlice<AlignmentUnit>) -> Double {
        var maskA = 0
        var maskB = 0
        for unit in a { maskA |= 1 << unit.kindClass }
        for unit in b { maskB |= 1 << unit.kindClass }
        return maskA & maskB == 0 ? parameters.kindMismatchCost : 0
    }

    /// (1 − coverage) relative to (1 − chance coverage): 1 for a chance-level match, 0 for full coverage.
    @inline(__always)
    func normalizedShortfall(_ coverage: Double, baseline: Double) -> Double {
        min(1.5, (1 - coverage) / max(0.25, 1 - baseline))
    }

    private static let chanceOffsets = [-37, -23, -13, -7, 7, 13, 23, 37]

    /// Mean coverage of each unit by other-side units well away from its expected place
    /// (proportional position ± 7, 13, 23, 37): pairs that are almost surely wrong.
    ///
    /// A pair's shared weight is one sum whichever side is marked (the weights of the ids both
    /// hold, in increasing id order; unmarked ids add 0), so the second side reads the pairs the
    /// first one summed (`sums`: unit u against other-side unit centre(u) + `chanceOffsets[k]`
    /// at u × 8 + k, NaN where not summed) instead of summing them again: all of them when both
    /// sides have as many units.
    private func chanceCoverage(
        of side: SideIndex, against other: SideIndex, table: AnchorTable, marksStorage: inout [Double], sums: inout [Double],
        summedByOther: Bool
    ) -> [Double] {
        let n = side.units.count
        let m = other.units.count
        guard parameters.normalizeCoverage, m > 1 else { return [Double](repeated: parameters.chanceCoverage, count: n) }
        // The unit's ids marked in a table (as in the band search): the sum over the other
        // unit's ids adds the same weights in the same order as `coverage` would.
        var marks = CoverageMarks(table: table, sides: n + m, reusing: &marksStorage)
        defer { marks.giveBack(to: &marksStorage) }
        let offsets = Self.chanceOffsets
        let (otherIDs, otherStarts) = (other.flatIDs, other.flatStart)
        if !summedByOther { sums = [Double](repeated: .nan, count: n * offsets.count) }
        // The other side's sums are read only if it summed (its own units' count above 1).
        let readable = summedByOther && sums.count == m * offsets.count && n > 1
        return (0..<n).map { i in
            let centre = n > 1 ? i * (m - 1) / (n - 1) : 0
            var total = 0.0
            var count = 0
            let unitWeight = side.spanWeight[0][i]
            let unit = side.span(1, i)
            var marked = false
            for (k, offset) in offsets.enumerated() {
                let j = centre + offset
                guard j >= 0, j < m else { continue }
                if unitWeight > 0 {
                    var shared = Double.nan
                    if readable, let back = offsets.firstIndex(of: i - (m > 1 ? j * (n - 1) / (m - 1) : 0)) {
                        shared = sums[j * offsets.count + back]
                    }
                    if shared.isNaN {
                        if !marked {
                            marks.mark(unit)
                            marked = true
                        }
                        shared = marks.sharedWeight(otherIDs[otherStarts[j]..<otherStarts[j + 1]], unit: unit)
                        if !summedByOther { sums[i * offsets.count + k] = shared }
                    }
                    total += min(1, shared / unitWeight)
                } else {
                    total += parameters.neutralCoverage
                }
                count += 1
            }
            if marked { marks.unmark(unit) }
            return count >= 2 ? total / Double(count) : parameters.chanceCoverage
        }
    }

    /// Share of a unit's anchor weight present in `other` (marked in `marks` when they use a
    /// table); units without matchable anchors are neutral.
    @inline(__always)
    private func coverage(unitIDs: ArraySlice<Int32>, unitWeight: Double, other: ArraySlice<Int32>, marks: CoverageMarks) -> Double {
        guard unitWeight > 0 else { return parameters.neutralCoverage }
        return min(1, marks.sharedWeight(unitIDs, unit: other) / unitWeight)
    }

    private func intersection(_ a: ArraySlice<Int32>, _ b: ArraySlice<Int32>) -> [Int32] {
        var i = a.startIndex
        var j = b.startIndex
        var out: [Int32] = []
        while i < a.endIndex && j < b.endIndex {
            if a[i] == b[j] {
                out.append(a[i])
                i += 1
                j += 1
            } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return out
    }

    /// How well the link's units match neighbours (±2) they were not linked to: a 1-1 link whose
    /// English paragraph matches the next Spanish one better is suspect; so is an omission whose
    /// unit matches something nearby. Each of the link's units is marked once (`marks`) and its
    /// neighbours' ids looked up: the shared ids add up in increasing order, as a merge adds them.
    private func rivalSimilarity(enRange: Range<Int>, esRange: Range<Int>, en: SideIndex, es: SideIndex, marks: inout CoverageMarks) -> Double {
        var best = 0.0
        let m = es.units.count
        let n = en.units.count
        let enWeight = en.spanWeight[0]
        let esWeight = es.spanWeight[0]
        func similarity(_ i: Int, _ j: Int, shared: Double) -> Double {
            let total = enWeight[i] + esWeight[j]
            guard total > 0 else { return 0 }
            return 2 * shared / total
        }
        for i in enRange {
            let unit = en.span(1, i)
            marks.mark(unit)
            for j in max(0, esRange.lowerBound - 2)..<min(m, esRange.upperBound + 2) where !esRange.contains(j) {
                best = max(best, similarity(i, j, shared: marks.sharedWeight(es.span(1, j), unit: unit)))
            }
            marks.unmark(unit)
        }
        for j in esRange {
            let unit = es.span(1, j)
            marks.mark(unit)
            for i in max(0, enRange.lowerBound - 2)..<min(n, enRange.upperBound + 2) where !enRange.contains(i) {
                best = max(best, similarity(i, j, shared: marks.sharedWeight(en.span(1, i), unit: unit)))
            }
            marks.unmark(unit)
        }
        return best
    }

    // MARK: - Band

    /// Column bounds per row. Exhaustive for small inputs; otherwise a band of
    /// `bandHalfWidth` around a guide path through anchors unique on both sides.
    private func band(en: SideIndex, es: SideIndex, table: AnchorTable) -> (lo: [Int], hi: [Int]) {
        let n = en.units.count
        let m = es.units.count
        if (n + 1) * (m + 1) <= parameters.fullSearchCells {
            return ([Int](repeated: 0, count: n + 1), [Int](repeated: m, count: n + 1))
        }
        return guideBand(en: en, es: es, table: table)
    }

    /// Column bounds per row: `bandHalfWidth` around the guide path (`guidePoints`), narrowed between guide points.
    private func guideBand(en: SideIndex, es: SideIndex, table: AnchorTable) -> (lo: [Int], hi: [Int]) {
        let n = en.units.count
        let m = es.units.count
        let points = guidePoints(en: en, es: es, table: table)
        // Centre column for every row by linear interpolation between guide points.
        var centre = [Double](repeated: 0, count: n + 1)
        for k in 0..<(points.count - 1) {
            let (i0, j0) = points[k]
            let (i1, j1) = points[k + 1]
            if i1 == i0 { continue }
            for i in i0...i1 {
                centre[i] = Double(j0) + Double(j1 - j0) * Double(i - i0) / Double(i1 - i0)
            }
        }
        let w = parameters.bandHalfWidth
        var lo = [Int](repeated: 0, count: n + 1)
        var hi = [Int](repeated: m, count: n + 1)
        for i in 0...n {
            let neighbours = (centre[max(0, i - 1)], centre[i], centre[min(n, i + 1)])
            lo[i] = max(0, Int(min(neighbours.0, neighbours.1, neighbours.2).rounded(.down)) - w)
            hi[i] = min(m, Int(max(neighbours.0, neighbours.1, neighbours.2).rounded(.up)) + w)
        }
        // The path is monotone: between two guide points it stays between their columns. Where
        // guide points are dense this is far narrower than ±w around the line joining them;
        // `guideSlack` allows for a guide point the path passes beside.
        let slack = parameters.guideSlack
        for k in 0..<(points.count - 1) where points[k].0 < points[k + 1].0 {
            let (i0, j0) = points[k]
            let (i1, j1) = points[k + 1]
            for i in i0...i1 {
                lo[i] = max(lo[i], j0 - slack)
                hi[i] = min(hi[i], j1 + slack)
            }
        }
        // Guide points sharing a row (vertical jumps) widen that row to cover the jump.
        for k in 0..<(points.count - 1) where points[k].0 == points[k + 1].0 {
            let i = points[k].0
            lo[i] = max(0, min(lo[i], points[k].1 - w))
            hi[i] = min(m, max(hi[i], points[k + 1].1 + w))
        }
        // A corridor, as every band is made one. (This spelled `connected` out without its guard
        // for an empty English side, and trapped on one facing 1,999 Spanish units or more.)
        return Self.connected(lo: &lo, hi: &hi, n: n, m: m)
    }

    /// Column bounds per row: ±`refineHalfWidth` around a path of links from (0, 0) to (n, m),
    /// ±`certainRefineHalfWidth` inside its certain stretches (`certainLinks`).
    private func band(around links: [RawLink], n: Int, m: Int) -> (lo: [Int], hi: [Int]) {
        var lo = [Int](repeated: Int.max, count: n + 1)
        var hi = [Int](repeated: Int.min, count: n + 1)
        let certain = certainLinks(links)
        for (k, link) in links.enumerated() {
            let w = certain[k] ? parameters.certainRefineHalfWidth : parameters.refineHalfWidth
            // Every row the link crosses, at the columns it spans.
            for i in link.english.lowerBound...link.english.upperBound {
                lo[i] = min(lo[i], max(0, link.spanish.lowerBound - w))
                hi[i] = max(hi[i], min(m, link.spanish.upperBound + w))
            }
        }
        return Self.connected(lo: &lo, hi: &hi, n: n, m: m)
    }

    /// Per link of a first pass: whether it lies inside a certain stretch, where a second pass
    /// hardly moves anything: at least `certainMargin` links from either end of a run of 1-1
    /// links each of similarity `certainSimilarity` or more. (None when the certain half-width
    /// is the plain one: the corridor is then ±`refineHalfWidth` throughout.)
    func certainLinks(_ links: [RawLink]) -> [Bool] {
        var certain = [Bool](repeated: false, count: links.count)
        guard parameters.certainRefineHalfWidth < parameters.refineHalfWidth else { return certain }
        let margin = parameters.certainMargin
        var runStart = 0
        for k in 0...links.count {
            let sure = k < links.count && links[k].english.count == 1 && links[k].spanish.count == 1
                && links[k].terms.similarity >= parameters.certainSimilarity
            if sure { continue }
            // links[runStart ..< k] is a run of sure links: its inside is certain.
            if k - runStart > 2 * margin {
                for c in (runStart + margin)..<(k - margin) { certain[c] = true }
            }
            runStart = k + 1
        }
        return certain
    }

    /// Makes the band a corridor from (0, 0) to (n, m): bounds never decrease, consecutive rows overlap.
    private static func connected(lo: inout [Int], hi: inout [Int], n: Int, m: Int) -> (lo: [Int], hi: [Int]) {
        lo[0] = 0
        hi[n] = m
        if n > 0 {
            for i in 1...n { lo[i] = max(lo[i], lo[i - 1]) }
            for i in stride(from: n - 1, through: 0, by: -1) { hi[i] = min(hi[i], hi[i + 1]) }
            for i in 1...n where lo[i] > hi[i - 1] { lo[i] = hi[i - 1] }
        }
        for i in 0...n where hi[i] < lo[i] { hi[i] = lo[i] }
        return (lo, hi)
    }

    /// (row, column) guide points from (0, 0) to (n, m): pairs of units sharing an anchor that
    /// occurs once on each side, chained by the longest increasing subsequence, with isolated
    /// excursions (a false anchor that jumps away and back) removed.
    private func guidePoints(en: SideIndex, es: SideIndex, table: AnchorTable) -> [(Int, Int)] {
        // Per table id: how many units of each side hold it (capped at 2) and the last one that does.
        let vocabulary = table.keys.count
        let guide = table.keys.map(\.kind.isGuide)
        var enCount = [UInt8](repeated: 0, count: vocabulary)
        var enPosition = [Int](repeated: 0, count: vocabulary)
        en.flatIDs.withUnsafeBufferPointer { ids in
            for i in 0..<en.units.count {
                for k in en.flatStart[i]..<en.flatStart[i + 1] where guide[Int(ids[k])] {
                    let id = Int(ids[k])
                    enCount[id] = min(2, enCount[id] + 1)
                    enPosition[id] = i
                }
            }
        }
        var esCount = [UInt8](repeated: 0, count: vocabulary)
        var esPosition = [Int](repeated: 0, count: vocabulary)
        es.flatIDs.withUnsafeBufferPointer { ids in
            for j in 0..<es.units.count {
                for k in es.flatStart[j]..<es.flatStart[j + 1] where enCount[Int(ids[k])] == 1 {
                    let id = Int(ids[k])
                    esCount[id] = min(2, esCount[id] + 1)
                    esPosition[id] = j
                }
            }
        }
        var candidates: [(Int, Int)] = []
        for id in 0..<vocabulary where esCount[id] == 1 {
            candidates.append((enPosition[id], esPosition[id]))
        }
        // Rows up, columns down within a row; each pair once (a total order: the same list
        // whatever order the ids came in).
        candidates.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 > $1.1 }
        var distinct = 0
        for k in candidates.indices where k == 0 || candidates[k] != candidates[k - 1] {
            candidates[distinct] = candidates[k]
            distinct += 1
        }
        candidates.removeLast(candidates.count - distinct)
        // Longest strictly increasing chain in both coordinates (patience sorting).
        var tails: [Int] = []
        var tailIndex: [Int] = []
        var parent = [Int](repeated: -1, count: candidates.count)
        for (k, c) in candidates.enumerated() {
            var low = 0
            var high = tails.count
            while low < high {
                let mid = (low + high) / 2
                if tails[mid] < c.1 { low = mid + 1 } else { high = mid }
            }
            if low > 0 { parent[k] = tailIndex[low - 1] }
            if low == tails.count {
                tails.append(c.1)
                tailIndex.append(k)
            } else {
                tails[low] = c.1
                tailIndex[low] = k
            }
        }
        var chain: [(Int, Int)] = []
        var k = tailIndex.last ?? -1
        while k >= 0 {
            chain.append(candidates[k])
            k = parent[k]
        }
        chain.reverse()
        let n = en.units.count
        let m = es.units.count
        var points = [(0, 0)] + chain.map { ($0.0, $0.1) } + [(n, m)]
        // Drop excursions: a point whose offset from the diagonal differs from both neighbours'
        // while the neighbours agree with each other.
        let tolerance = max(3, parameters.bandHalfWidth / 2)
        var changed = true
        while changed && points.count > 2 {
            changed = false
            var kept = [points[0]]
            var idx = 1
            while idx < points.count - 1 {
                let p = points[idx]
                let prev = kept.last!
                let next = points[idx + 1]
                let offset = { (q: (Int, Int)) in q.1 - q.0 }
                if abs(offset(p) - offset(prev)) > tolerance && abs(offset(p) - offset(next)) > tolerance
                    && abs(offset(prev) - offset(next)) <= tolerance
                {
                    changed = true
                } else {
                    kept.append(p)
                }
                idx += 1
            }
            kept.append(points.last!)
            points = kept
        }
        // Rows must not decrease; the chain is strictly increasing, the ends may coincide.
        return points
    }
}
