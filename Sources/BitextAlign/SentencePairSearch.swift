/// Sentence alignment of a paragraph link with one sentence a side (nine links in ten in real
/// documents) without the search's machinery: `Aligner.align` would index both sides, fill a
/// 2 × 2 table and trace it back, allocating some twenty arrays for one comparison.
///
/// The result is the one `align(english: [x], spanish: [y], table:, listMatchedAnchors: false)`
/// gives for two sentence units (paragraph kind, no structure), bit for bit: the 1-1 cost is
/// summed term by term as `BandSearch` sums it and compared in `Float` with the two ways round
/// through a 1-0 and a 0-1, in the search's order (1-1, then 1-0, then 0-1; ties keep the
/// first); the links then carry the terms `Aligner.linkTerms` and `rivalSimilarity` give.
/// Tests compare the two on real sentence pairs (SentencePairSearchTests).
struct SentencePairSearch {
    let aligner: Aligner
    /// Both units' table ids, end to end: kept from one paragraph link to the next.
    private var ids: [Int32] = []

    init(aligner: Aligner) { self.aligner = aligner }

    /// Whether `links(english:spanish:table:)` stands for the search with these parameters.
    var applies: Bool { aligner.parameters.fullSearchCells >= 4 }

    /// The links between one English and one Spanish sentence.
    mutating func links(english: TextFeatures, spanish: TextFeatures, table: AnchorTable) -> [RawLink] {
        let capacity = max(1, english.anchors.count + spanish.anchors.count)
        if ids.count < capacity { ids = [Int32](repeating: 0, count: capacity) }
        let parameters = aligner.parameters
        // What the search's cells and `linkTerms` read: each unit's weight, the weight the two
        // share (every sum in increasing id order, as every caller adds), and the lengths.
        let (englishWeight, spanishWeight, shared) = ids.withUnsafeMutableBufferPointer { ids in
            let englishEnd = table.encode(english, into: ids, at: 0)
            let spanishEnd = table.encode(spanish, into: ids, at: englishEnd)
            let englishIDs = UnsafeBufferPointer(rebasing: ids[0..<englishEnd])
            let spanishIDs = UnsafeBufferPointer(rebasing: ids[englishEnd..<spanishEnd])
            return table.weights.withUnsafeBufferPointer { weights in
                var englishWeight = 0.0
                for id in englishIDs { englishWeight += weights[Int(id)] }
                var spanishWeight = 0.0
                for id in spanishIDs { spanishWeight += weights[Int(id)] }
                return (englishWeight, spanishWeight, SortedIDs.sharedWeight(englishIDs, spanishIDs, weights: weights))
            }
        }
        // Sentence units sample no chance coverage: one unit a side has no far neighbour.
        let baseline = parameters.chanceCoverage
        func coverage(weight: Double) -> Double {
            weight > 0 ? min(1, shared / weight) : parameters.neutralCoverage
        }
        let englishCoverage = coverage(weight: englishWeight)
        let spanishCoverage = coverage(weight: spanishWeight)
        let englishShortfall = aligner.normalizedShortfall(englishCoverage, baseline: baseline)
        let spanishShortfall = aligner.normalizedShortfall(spanishCoverage, baseline: baseline)
        var shortfall = 0.0
        shortfall += englishShortfall
        shortfall += spanishShortfall
        let shapeCost = aligner.shapeCosts[1 * 4 + 1] + parameters.mergeShortfallCost * max(0, 0.0 - parameters.mergeShortfallFloor)
        let contentCost = parameters.contentWeight * shortfall / 2
        let z = GaleChurch.z(english: english.length, spanish: spanish.length, ratio: parameters.lengthRatio, variance: parameters.lengthVariance)
        let lengthCost = parameters.lengthWeight * GaleChurch.cost(z: z)
        // Two sentences: same kind class, no structure; the search's kind term is then the
        // structural cost alone, `linkTerms`'s the mismatch term times its weight (0) plus it.
        let structure = UnitStructure()
        let structureCost = StructuralCost.cost(structure, structure, kinds: (0, 0), merge: false, weights: parameters.structure)
        var searchKindCost = 0.0
        searchKindCost += structureCost

        // The search: (0, 0) costs 0; (0, 1) and (1, 0) one omission each; (1, 1) the best of
        // the 1-1, (0, 1) + 1-0 and (1, 0) + 0-1, strictly cheaper to replace an earlier one.
        let constants = aligner.searchConstants
        let zero: Float = 0
        let spanishOmitted = zero + constants.omissionCost[2]  // cell (0, 1)
        let englishOmitted = zero + constants.omissionCost[1]  // cell (1, 0)
        var best = Float.infinity
        var bestShape = 0  // 0: 1-1, 1: 1-0 last, 2: 0-1 last; no other shape fits a 1 × 1 table
        let oneToOne = zero + Float(shapeCost + lengthCost + contentCost + searchKindCost)
        if oneToOne < best { best = oneToOne }
        if spanishOmitted + constants.omissionCost[1] < best {
            best = spanishOmitted + constants.omissionCost[1]
            bestShape = 1
        }
        if englishOmitted + constants.omissionCost[2] < best {
            best = englishOmitted + constants.omissionCost[2]
            bestShape = 2
        }
        precondition(best != .infinity, "no path through a 1 × 1 sentence table")

        if bestShape == 0 {
            var terms = LinkTerms(shape: LinkShape(english: 1, spanish: 1))
            terms.shapeCost = aligner.shapeCosts[1 * 4 + 1]
            terms.lengthZ = z
            terms.lengthCost = lengthCost
            var coverageSum = 0.0
            coverageSum += englishCoverage
            coverageSum += spanishCoverage
            terms.shapeCost += parameters.mergeShortfallCost * max(0, 0.0 - parameters.mergeShortfallFloor)
            terms.similarity = coverageSum / 2
            terms.contentCost = contentCost
            terms.kindCost = 0 * StructuralCost.kindWeight(structure, structure, weights: parameters.structure)
            terms.structureCost = structureCost
            terms.total = terms.shapeCost + terms.lengthCost + terms.contentCost + terms.kindCost + terms.structureCost
            // rivalSimilarity: no neighbour to be a rival.
            return [RawLink(english: 0..<1, spanish: 0..<1, terms: terms)]
        }
        // Both sentences left out: each one's rival is the other.
        let total = englishWeight + spanishWeight
        let rival = total > 0 ? 2 * shared / total : 0
        func omission(english: Range<Int>, spanish: Range<Int>) -> RawLink {
            let shape = LinkShape(english: english.count, spanish: spanish.count)
            var terms = LinkTerms(shape: shape)
            terms.shapeCost = aligner.shapeCosts[shape.english * 4 + shape.spanish]
            terms.total = terms.shapeCost + parameters.skipCost
            terms.rivalSimilarity = rival
            return RawLink(english: english, spanish: spanish, terms: terms)
        }
        return bestShape == 1
            ? [omission(english: 0..<0, spanish: 0..<1), omission(english: 0..<1, spanish: 1..<1)]
            : [omission(english: 0..<1, spanish: 0..<0), omission(english: 1..<1, spanish: 0..<1)]
    }
}

/// The search of `Aligner.align(english:spanish:table:listMatchedAnchors: false)` over the
/// sentences of one paragraph link (paragraph-kind units without structure, coverage not
/// normalized by chance, every cell searched), on buffers kept from one link to the next
/// instead of some forty arrays per link (two side indexes, the band, the search's rows).
///
/// Costs are summed as `BandSearch` sums them (English units' shortfalls in order, then the
/// Spanish units', each against the union of the other side's span, ids added in increasing
/// order) and compared in `Float`, shapes in `LinkShape.all` order, ties keeping the first;
/// the links carry the terms `Aligner.linkTerms` and its rival similarity give. Tests compare
/// the two, link for link and bit for bit, on every pair of sentence sequences of up to four
/// sentences a side drawn from real sentences (SentencePairSearchTests).
struct SentenceSearch {
    let aligner: Aligner
    /// Unit ids, English units then Spanish: unit k's are `ids[unitStart[k] ..< unitStart[k + 1]]`.
    private var ids: [Int32] = []
    private var unitStart: [Int] = []
    private var unitWeight: [Double] = []
    private var unitLength: [Int] = []
    /// Sorted unions of the spans of 1–3 units: span (side, size, start) is
    /// `spanIDs[spanStart[k] ..< spanEnd[k]]`, k = spanIndex(side, size, start).
    private var spanIDs: [Int32] = []
    private var spanStart: [Int] = []
    private var spanEnd: [Int] = []
    /// Normalized shortfall of English unit u against the Spanish span (size, s) at
    /// `(u × 3 + size − 1) × m + s`; of Spanish unit v against the English span (size, r) at
    /// `(v × 3 + size − 1) × n + r`.
    private var englishShortfall: [Double] = []
    private var spanishShortfall: [Double] = []
    private var cost: [Float] = []
    private var back: [UInt8] = []

    init(aligner: Aligner) { self.aligner = aligner }

    /// Links of sentence sequences this size are found here (else by `Aligner.align`): the
    /// search would be exhaustive and chance coverage is not sampled.
    func applies(english n: Int, spanish m: Int) -> Bool {
        !aligner.parameters.normalizeCoverage && n + m > 0 && (n + 1) * (m + 1) <= min(aligner.parameters.fullSearchCells, 4096)
    }

    /// The links between English sentences `english` (indices into `englishFeatures`) and Spanish `spanish`.
    mutating func links(
        english a: [Int], _ englishFeatures: [TextFeatures], spanish b: [Int], _ spanishFeatures: [TextFeatures], table: AnchorTable
    ) -> [RawLink] {
        let n = a.count
        let m = b.count
        let parameters = aligner.parameters
        // Unit ids, weights and lengths.
        var idCount = 0
        for k in a { idCount += englishFeatures[k].anchors.count }
        for k in b { idCount += spanishFeatures[k].anchors.count }
        if ids.count < max(1, idCount) { ids = [Int32](repeating: 0, count: max(1, idCount)) }
        unitStart.removeAll(keepingCapacity: true)
        unitStart.append(0)
        var end = 0
        ids.withUnsafeMutableBufferPointer { out in
            for k in a {
                end = table.encode(englishFeatures[k], into: out, at: end)
                unitStart.append(end)
            }
            for k in b {
                end = table.encode(spanishFeatures[k], into: out, at: end)
                unitStart.append(end)
            }
        }
        unitWeight.removeAll(keepingCapacity: true)
        unitLength.removeAll(keepingCapacity: true)
        for u in 0..<(n + m) {
            var weight = 0.0  // in id order, as every sum over ids
            for k in unitStart[u]..<unitStart[u + 1] { weight += table.weights[Int(ids[k])] }
            unitWeight.append(weight)
        }
        for k in a { unitLength.append(englishFeatures[k].length) }
        for k in b { unitLength.append(spanishFeatures[k].length) }

        // Span unions, as `Aligner.SideIndex` builds them.
        spanIDs.removeAll(keepingCapacity: true)
        spanStart.removeAll(keepingCapacity: true)
        spanEnd.removeAll(keepingCapacity: true)
        for (side, first, count) in [(0, 0, n), (1, n, m)] {
            for size in 1...3 {
                for start in 0..<count {
                    let from = spanIDs.count
                    if start + size <= count {
                        let last = first + start + size - 1
                        if size == 1 {
                            spanIDs.append(contentsOf: ids[unitStart[last]..<unitStart[last + 1]])
                        } else {
                            let shorter = spanIndex(side, size - 1, start, n: n, m: m)
                            appendUnion(spanStart[shorter]..<spanEnd[shorter], unitStart[last]..<unitStart[last + 1])
                        }
                    }
                    spanStart.append(from)
                    spanEnd.append(spanIDs.count)
                }
            }
        }

        // Every unit's normalized shortfall against every span of the other side.
        englishShortfall.removeAll(keepingCapacity: true)
        englishShortfall.append(contentsOf: repeatElement(0, count: n * 3 * m))
        spanishShortfall.removeAll(keepingCapacity: true)
        spanishShortfall.append(contentsOf: repeatElement(0, count: m * 3 * n))
        let baseline = parameters.chanceCoverage
        for u in 0..<n {
            for size in 1...3 where size <= m {
                for s in 0...(m - size) {
                    let c = coverage(unit: u, span: spanIndex(1, size, s, n: n, m: m), table: table)
                    englishShortfall[(u * 3 + size - 1) * m + s] = aligner.normalizedShortfall(c, baseline: baseline)
                }
            }
        }
        for v in 0..<m {
            for size in 1...3 where size <= n {
                for r in 0...(n - size) {
                    let c = coverage(unit: n + v, span: spanIndex(0, size, r, n: n, m: m), table: table)
                    spanishShortfall[(v * 3 + size - 1) * n + r] = aligner.normalizedShortfall(c, baseline: baseline)
                }
            }
        }

        // The search, cell by cell.
        let constants = aligner.searchConstants
        let structure = UnitStructure()
        let searchKindCost = [false, true].map { merge in
            var kindCost = 0.0  // sentence units share one kind class: no mismatch
            kindCost += StructuralCost.cost(structure, structure, kinds: (0, 0), merge: merge, weights: parameters.structure)
            return kindCost
        }
        let width = m + 1
        cost.removeAll(keepingCapacity: true)
        cost.append(contentsOf: repeatElement(Float.infinity, count: (n + 1) * width))
        back.removeAll(keepingCapacity: true)
        back.append(contentsOf: repeatElement(255, count: (n + 1) * width))
        cost[0] = 0
        let shapes = LinkShape.all
        for i in 0...n {
            for j in 0...m where i > 0 || j > 0 {
                var best = Float.infinity
                var bestShape: UInt8 = 255
                for s in shapes.indices {
                    let (ea, eb) = (shapes[s].english, shapes[s].spanish)
                    let pi = i - ea
                    let pj = j - eb
                    guard pi >= 0, pj >= 0 else { continue }
                    let previous = cost[pi * width + pj]
                    if previous == .infinity { continue }
                    let c: Float
                    if ea == 0 || eb == 0 {
                        c = previous + constants.omissionCost[s]
                    } else {
                        var shortfall = 0.0
                        var worstMerged = 0.0
                        for u in pi..<i {
                            let f = englishShortfall[(u * 3 + eb - 1) * m + pj]
                            shortfall += f
                            if ea > 1 { worstMerged = max(worstMerged, f) }
                        }
                        for v in pj..<j {
                            let f = spanishShortfall[(v * 3 + ea - 1) * n + pi]
                            shortfall += f
                            if eb > 1 { worstMerged = max(worstMerged, f) }
                        }
                        let shapeCost = constants.baseCost[s] + constants.mergeShortfallCost * max(0, worstMerged - constants.mergeShortfallFloor)
                        let contentCost = constants.contentWeight * shortfall / 2
                        let (enLength, esLength) = spanLengths(pi, i, n + pj, n + j)
                        let z = GaleChurch.z(english: enLength, spanish: esLength, ratio: constants.lengthRatio, variance: constants.lengthVariance)
                        let lengthCost = constants.lengthWeight * GaleChurch.cost(z: z)
                        c = previous + Float(shapeCost + lengthCost + contentCost + searchKindCost[ea + eb > 2 ? 1 : 0])
                    }
                    if c < best {
                        best = c
                        bestShape = UInt8(s)
                    }
                }
                cost[i * width + j] = best
                back[i * width + j] = bestShape
            }
        }

        // Back from (n, m), each link with the terms `Aligner.linkTerms` gives it.
        var links: [RawLink] = []
        var i = n
        var j = m
        while i > 0 || j > 0 {
            let s = back[i * width + j]
            precondition(s != 255, "sentence search lost the path at (\(i), \(j))")
            let shape = shapes[Int(s)]
            let pi = i - shape.english
            let pj = j - shape.spanish
            var terms = linkTerms(shape: shape, pi: pi, i: i, pj: pj, j: j, n: n, m: m, table: table)
            terms.rivalSimilarity = rivalSimilarity(english: pi..<i, spanish: pj..<j, n: n, m: m, table: table)
            links.append(RawLink(english: pi..<i, spanish: pj..<j, terms: terms))
            i = pi
            j = pj
        }
        return links.reversed()
    }

    /// Index of the span of `size` units from `start` on side 0 (English) or 1 (Spanish).
    @inline(__always)
    private func spanIndex(_ side: Int, _ size: Int, _ start: Int, n: Int, m: Int) -> Int {
        side == 0 ? (size - 1) * n + start : 3 * n + (size - 1) * m + start
    }

    /// Appends the sorted union of `spanIDs[x]` and `ids[y]` to `spanIDs` (`Aligner.SideIndex.union`).
    private mutating func appendUnion(_ x: Range<Int>, _ y: Range<Int>) {
        var i = x.lowerBound
        var j = y.lowerBound
        while i < x.upperBound && j < y.upperBound {
            let p = spanIDs[i]
            let q = ids[j]
            if p == q {
                spanIDs.append(p)
                i += 1
                j += 1
            } else if p < q {
                spanIDs.append(p)
                i += 1
            } else {
                spanIDs.append(q)
                j += 1
            }
        }
        while i < x.upperBound {
            spanIDs.append(spanIDs[i])
            i += 1
        }
        while j < y.upperBound {
            spanIDs.append(ids[j])
            j += 1
        }
    }

    /// Share of unit k's anchor weight found in span `span` of the other side (neutral without anchors).
    private func coverage(unit k: Int, span: Int, table: AnchorTable) -> Double {
        let weight = unitWeight[k]
        guard weight > 0 else { return aligner.parameters.neutralCoverage }
        let shared = SortedIDs.sharedWeight(ids[unitStart[k]..<unitStart[k + 1]], spanIDs[spanStart[span]..<spanEnd[span]], weights: table.weights)
        return min(1, shared / weight)
    }

    /// Total lengths of English units `enFrom ..< enTo` and of units `esFrom ..< esTo` (Spanish, offset by n).
    @inline(__always)
    private func spanLengths(_ enFrom: Int, _ enTo: Int, _ esFrom: Int, _ esTo: Int) -> (Int, Int) {
        var english = 0
        for u in enFrom..<enTo { english += unitLength[u] }
        var spanish = 0
        for v in esFrom..<esTo { spanish += unitLength[v] }
        return (english, spanish)
    }

    /// `Aligner.linkTerms` for sentence units (no kind mismatch, no structure).
    private func linkTerms(shape: LinkShape, pi: Int, i: Int, pj: Int, j: Int, n: Int, m: Int, table: AnchorTable) -> LinkTerms {
        let parameters = aligner.parameters
        var terms = LinkTerms(shape: shape)
        terms.shapeCost = aligner.shapeCosts[shape.english * 4 + shape.spanish]
        if shape.isOmission {
            terms.total = terms.shapeCost + parameters.skipCost
            return terms
        }
        let (enLength, esLength) = spanLengths(pi, i, n + pj, n + j)
        terms.lengthZ = GaleChurch.z(english: enLength, spanish: esLength, ratio: parameters.lengthRatio, variance: parameters.lengthVariance)
        terms.lengthCost = parameters.lengthWeight * GaleChurch.cost(z: terms.lengthZ)
        var coverageSum = 0.0
        var shortfall = 0.0
        var worstMerged = 0.0
        let baseline = parameters.chanceCoverage
        for u in pi..<i {
            let c = coverage(unit: u, span: spanIndex(1, shape.spanish, pj, n: n, m: m), table: table)
            coverageSum += c
            let f = aligner.normalizedShortfall(c, baseline: baseline)
            shortfall += f
            if shape.english > 1 { worstMerged = max(worstMerged, f) }
        }
        for v in pj..<j {
            let c = coverage(unit: n + v, span: spanIndex(0, shape.english, pi, n: n, m: m), table: table)
            coverageSum += c
            let f = aligner.normalizedShortfall(c, baseline: baseline)
            shortfall += f
            if shape.spanish > 1 { worstMerged = max(worstMerged, f) }
        }
        terms.shapeCost += parameters.mergeShortfallCost * max(0, worstMerged - parameters.mergeShortfallFloor)
        terms.similarity = coverageSum / Double(shape.english + shape.spanish)
        terms.contentCost = parameters.contentWeight * shortfall / 2
        let structure = UnitStructure()
        terms.kindCost = 0 * StructuralCost.kindWeight(structure, structure, weights: parameters.structure)
        terms.structureCost = StructuralCost.cost(structure, structure, kinds: (0, 0), merge: shape.english + shape.spanish > 2, weights: parameters.structure)
        terms.total = terms.shapeCost + terms.lengthCost + terms.contentCost + terms.kindCost + terms.structureCost
        return terms
    }

    /// `Aligner.rivalSimilarity`: the best similarity of the link's units with neighbours (±2) they were not linked to.
    private func rivalSimilarity(english: Range<Int>, spanish: Range<Int>, n: Int, m: Int, table: AnchorTable) -> Double {
        func similarity(_ i: Int, _ j: Int) -> Double {
            let total = unitWeight[i] + unitWeight[n + j]
            guard total > 0 else { return 0 }
            let shared = SortedIDs.sharedWeight(
                ids[unitStart[i]..<unitStart[i + 1]], ids[unitStart[n + j]..<unitStart[n + j + 1]], weights: table.weights)
            return 2 * shared / total
        }
        var best = 0.0
        for i in english {
            for j in max(0, spanish.lowerBound - 2)..<min(m, spanish.upperBound + 2) where !spanish.contains(j) {
                best = max(best, similarity(i, j))
            }
        }
        for j in spanish {
            for i in max(0, english.lowerBound - 2)..<min(n, english.upperBound + 2) where !english.contains(i) {
                best = max(best, similarity(i, j))
            }
        }
        return best
    }
}
