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

    /// The most elements any of its buffers holds room for.
    var largestBuffer: Int { ids.capacity }

    /// Whether `links(english:spanish:table:)` stands for the search with these parameters.
    var applies: Bool { aligner.parameters.fullSearchCells >= 4 }

    /// The links between one English and one Spanish sentence.
    mutating func links(english: TextFeatures, spanish: TextFeatures, table: AnchorTable) -> [RawLink] {
        links(english: 0, of: SentenceUnits(features: [english]), spanish: 0, of: SentenceUnits(features: [spanish]), table: table)
    }

    /// The links between English sentence `e` of `englishUnits` and Spanish sentence `s` of `spanishUnits`.
    mutating func links(english e: Int, of englishUnits: SentenceUnits, spanish s: Int, of spanishUnits: SentenceUnits, table: AnchorTable) -> [RawLink] {
        let english = englishUnits.features[e]
        let spanish = spanishUnits.features[s]
        let capacity = max(1, englishUnits.room(e) + spanishUnits.room(s))
        if ids.count < capacity { ids = [Int32](repeating: 0, count: capacity) }
        let parameters = aligner.parameters
        // What the search's cells and `linkTerms` read: each unit's weight, the weight the two
        // share (every sum in increasing id order, as every caller adds), and the lengths.
        let (englishWeight, spanishWeight, shared) = ids.withUnsafeMutableBufferPointer { ids in
            let englishEnd = englishUnits.encode(e, table: table, into: ids, at: 0)
            let spanishEnd = spanishUnits.encode(s, table: table, into: ids, at: englishEnd)
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
        let z = Self.lengthZ(english, spanish, parameters)
        let lengthCost = parameters.lengthWeight * GaleChurch.cost(z: z)
        let (contentCost, structureCost, oneToOne) = oneToOneCost(shortfall: shortfall, lengthCost: lengthCost)
        let structure = UnitStructure()

        // The search: (0, 0) costs 0; (0, 1) and (1, 0) one omission each; (1, 1) the best of
        // the 1-1, (0, 1) + 1-0 and (1, 0) + 0-1, strictly cheaper to replace an earlier one.
        let (spanishFirst, englishFirst) = omissionPaths
        var best = Float.infinity
        var bestShape = 0  // 0: 1-1, 1: 1-0 last, 2: 0-1 last; no other shape fits a 1 × 1 table
        if oneToOne < best { best = oneToOne }
        if spanishFirst < best {
            best = spanishFirst
            bestShape = 1
        }
        if englishFirst < best {
            best = englishFirst
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

    /// The Gale–Church z of the 1-1 link between the two sentences when the search links them
    /// whatever anchors they share, else nil. Most paragraph links have one sentence a side,
    /// and for most of those the length term alone settles it: even at the worst coverage
    /// either side can have, the 1-1 costs no more than leaving both sentences out (the search
    /// keeps the 1-1 unless an omission path is strictly cheaper). Every term grows with the
    /// shortfalls and rounding keeps that order, so the bound is exact, not approximate; the
    /// caller then needs neither side's ids nor the coverage (nor, as it scores the link as the
    /// paragraph link, the other terms).
    func certainOneToOneLengthZ(english: TextFeatures, spanish: TextFeatures) -> Double? {
        let parameters = aligner.parameters
        guard parameters.contentWeight >= 0 else { return nil }
        let z = Self.lengthZ(english, spanish, parameters)
        let lengthCost = parameters.lengthWeight * GaleChurch.cost(z: z)
        var shortfall = 0.0
        shortfall += worstShortfall
        shortfall += worstShortfall
        let worst = oneToOneCost(shortfall: shortfall, lengthCost: lengthCost).searchCost
        let (spanishFirst, englishFirst) = omissionPaths
        return worst <= spanishFirst && worst <= englishFirst ? z : nil
    }

    /// The most a sentence's normalized shortfall can be: coverage is a share in [0, 1], or the
    /// neutral coverage for a sentence without anchors.
    private var worstShortfall: Double {
        let baseline = aligner.parameters.chanceCoverage
        return max(aligner.normalizedShortfall(0, baseline: baseline), aligner.normalizedShortfall(aligner.parameters.neutralCoverage, baseline: baseline))
    }

    private static func lengthZ(_ english: TextFeatures, _ spanish: TextFeatures, _ parameters: AlignmentParameters) -> Double {
        GaleChurch.z(english: english.length, spanish: spanish.length, ratio: parameters.lengthRatio, variance: parameters.lengthVariance)
    }

    /// The 1-1 link's content and structure terms and its cost in the search, summed as
    /// `BandSearch` sums them. `shortfall`: both sentences' normalized shortfalls, English first.
    private func oneToOneCost(shortfall: Double, lengthCost: Double)
        -> (contentCost: Double, structureCost: Double, searchCost: Float)
    {
        let parameters = aligner.parameters
        let shapeCost = aligner.shapeCosts[1 * 4 + 1] + parameters.mergeShortfallCost * max(0, 0.0 - parameters.mergeShortfallFloor)
        let contentCost = parameters.contentWeight * shortfall / 2
        // Two sentences: same kind class, no structure; the search's kind term is then the
        // structural cost alone, `linkTerms`'s the mismatch term times its weight (0) plus it.
        let structure = UnitStructure()
        let structureCost = StructuralCost.cost(structure, structure, kinds: (0, 0), merge: false, weights: parameters.structure)
        var searchKindCost = 0.0
        searchKindCost += structureCost
        let zero: Float = 0
        return (contentCost, structureCost, zero + Float(shapeCost + lengthCost + contentCost + searchKindCost))
    }

    /// The costs of the two ways through a 1 × 1 table by omissions: (0, 1) then a 1-0, and
    /// (1, 0) then a 0-1.
    private var omissionPaths: (spanishFirst: Float, englishFirst: Float) {
        let constants = aligner.searchConstants
        let zero: Float = 0
        let spanishOmitted = zero + constants.omissionCost[2]  // cell (0, 1)
        let englishOmitted = zero + constants.omissionCost[1]  // cell (1, 0)
        return (spanishOmitted + constants.omissionCost[1], englishOmitted + constants.omissionCost[2])
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
    /// The ids English unit u shares with Spanish unit v: `sharedIDs[sharedStart[u × m + v] ..< sharedStart[u × m + v + 1]]`.
    private var sharedIDs: [Int32] = []
    private var sharedStart: [Int] = []
    /// The same as bit sets (units of at most 128 ids), at u × m + v: over English unit u's
    /// ids, and over Spanish unit v's.
    private var englishMasks: [SharedRow.Mask] = []
    private var spanishMasks: [SharedRow.Mask] = []
    /// The weight English unit u shares with Spanish unit v, at u × m + v (for rival similarities).
    private var pairWeight: [Double] = []
    /// Coverage of English unit u by the Spanish span (size, s) at `(u × 3 + size − 1) × m + s`;
    /// of Spanish unit v by the English span (size, r) at `(v × 3 + size − 1) × n + r`; and the
    /// normalized shortfalls, likewise.
    private var englishCoverage: [Double] = []
    private var spanishCoverage: [Double] = []
    private var englishShortfall: [Double] = []
    private var spanishShortfall: [Double] = []
    private var cost: [Float] = []
    private var back: [UInt8] = []
    /// Total length of the units before unit k (English then Spanish).
    private var lengthBefore: [Int] = []

    init(aligner: Aligner) { self.aligner = aligner }

    /// The most elements any of its buffers holds room for.
    var largestBuffer: Int {
        max(
            ids.capacity, unitStart.capacity, unitWeight.capacity, unitLength.capacity, sharedIDs.capacity, sharedStart.capacity,
            englishMasks.capacity, spanishMasks.capacity, pairWeight.capacity, englishCoverage.capacity, spanishCoverage.capacity,
            englishShortfall.capacity, spanishShortfall.capacity, cost.capacity, back.capacity, lengthBefore.capacity)
    }

    /// The order the cells try the shapes of `LinkShape.all` in: the omissions (an addition
    /// each) first, so that where one beats the 1-1 link before its length term, erfc and log
    /// are skipped (as in `BandSearch.bestLink`).
    private static let searchOrder = [1, 2, 0, 3, 4, 5, 6, 7]

    /// Links of sentence sequences this size are found here (else by `Aligner.align`): the
    /// search would be exhaustive and chance coverage is not sampled.
    func applies(english n: Int, spanish m: Int) -> Bool {
        !aligner.parameters.normalizeCoverage && n + m > 0 && (n + 1) * (m + 1) <= min(aligner.parameters.fullSearchCells, 4096)
    }

    /// The links between English sentences `english` (indices into `englishFeatures`) and Spanish `spanish`.
    mutating func links(
        english a: [Int], _ englishFeatures: [TextFeatures], spanish b: [Int], _ spanishFeatures: [TextFeatures], table: AnchorTable
    ) -> [RawLink] {
        links(english: a, of: SentenceUnits(features: englishFeatures), spanish: b, of: SentenceUnits(features: spanishFeatures), table: table)
    }

    /// The links between English sentences `english` (indices into `englishUnits`) and Spanish `spanish`.
    mutating func links(
        english a: [Int], of englishUnits: SentenceUnits, spanish b: [Int], of spanishUnits: SentenceUnits, table: AnchorTable
    ) -> [RawLink] {
        let englishFeatures = englishUnits.features
        let spanishFeatures = spanishUnits.features
        let n = a.count
        let m = b.count
        let parameters = aligner.parameters
        // Unit ids, weights and lengths.
        var idCount = 0
        for k in a { idCount += englishUnits.room(k) }
        for k in b { idCount += spanishUnits.room(k) }
        if ids.count < max(1, idCount) { ids = [Int32](repeating: 0, count: max(1, idCount)) }
        unitStart.removeAll(keepingCapacity: true)
        unitStart.append(0)
        var end = 0
        ids.withUnsafeMutableBufferPointer { out in
            for k in a {
                end = englishUnits.encode(k, table: table, into: out, at: end)
                unitStart.append(end)
            }
            for k in b {
                end = spanishUnits.encode(k, table: table, into: out, at: end)
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

        englishCoverage.removeAll(keepingCapacity: true)
        englishCoverage.append(contentsOf: repeatElement(0, count: n * 3 * m))
        spanishCoverage.removeAll(keepingCapacity: true)
        spanishCoverage.append(contentsOf: repeatElement(0, count: m * 3 * n))
        pairWeight.removeAll(keepingCapacity: true)
        pairWeight.append(contentsOf: repeatElement(0, count: n * m))
        if (0..<(n + m)).allSatisfy({ unitStart[$0 + 1] - unitStart[$0] <= SharedRow.maskWidth }) {
            fillCoveragesFromMasks(n: n, m: m, table: table)
        } else {
            fillCoveragesFromLists(n: n, m: m, table: table)
        }
        let baseline = parameters.chanceCoverage
        // The coverages copied and turned into shortfalls in place: appended one at a time,
        // each cell was a uniqueness check of the list (a runtime call).
        englishShortfall.removeAll(keepingCapacity: true)
        englishShortfall.append(contentsOf: englishCoverage)
        spanishShortfall.removeAll(keepingCapacity: true)
        spanishShortfall.append(contentsOf: spanishCoverage)
        let aligner = self.aligner
        englishShortfall.withUnsafeMutableBufferPointer { cells in
            for c in cells.indices { cells[c] = aligner.normalizedShortfall(cells[c], baseline: baseline) }
        }
        spanishShortfall.withUnsafeMutableBufferPointer { cells in
            for c in cells.indices { cells[c] = aligner.normalizedShortfall(cells[c], baseline: baseline) }
        }

        // The search, cell by cell.
        let constants = aligner.searchConstants
        let structure = UnitStructure()
        func searchKindCost(merge: Bool) -> Double {
            var kindCost = 0.0  // sentence units share one kind class: no mismatch
            kindCost += StructuralCost.cost(structure, structure, kinds: (0, 0), merge: merge, weights: parameters.structure)
            return kindCost
        }
        let (singleKindCost, mergedKindCost) = (searchKindCost(merge: false), searchKindCost(merge: true))
        let width = m + 1
        cost.removeAll(keepingCapacity: true)
        cost.append(contentsOf: repeatElement(Float.infinity, count: (n + 1) * width))
        back.removeAll(keepingCapacity: true)
        back.append(contentsOf: repeatElement(255, count: (n + 1) * width))
        cost[0] = 0
        let shapes = LinkShape.all
        let searchOrder = Self.searchOrder
        // Lengths as running totals: a span's length is a difference (integers: exact).
        lengthBefore.removeAll(keepingCapacity: true)
        lengthBefore.append(0)
        for u in 0..<(n + m) { lengthBefore.append(lengthBefore[u] + unitLength[u]) }
        englishShortfall.withUnsafeBufferPointer { englishShortfall in
            spanishShortfall.withUnsafeBufferPointer { spanishShortfall in
                cost.withUnsafeMutableBufferPointer { cost in
                    back.withUnsafeMutableBufferPointer { back in
                        for i in 0...n {
                            for j in 0...m where i > 0 || j > 0 {
                                var best = Float.infinity
                                var bestShape: UInt8 = 255
                                for s in searchOrder {
                                    let (ea, eb) = (constants.shapeEnglish[s], constants.shapeSpanish[s])
                                    let pi = i - ea
                                    let pj = j - eb
                                    guard pi >= 0, pj >= 0 else { continue }
                                    let previous = cost[pi * width + pj]
                                    if previous == .infinity { continue }
                                    // Ties go to the shape first in `LinkShape.all`, whatever the order tried.
                                    func loses(_ c: Float) -> Bool { c > best || (c == best && UInt8(s) > bestShape) }
                                    if ea == 0 || eb == 0 {
                                        let c = previous + constants.omissionCost[s]
                                        if c < best || (c == best && UInt8(s) < bestShape) {
                                            best = c
                                            bestShape = UInt8(s)
                                        }
                                        continue
                                    }
                                    // As `BandSearch`: terms that cannot be negative let a link that already
                                    // loses skip the rest (the length term, erfc and log, last).
                                    let baseCost = constants.baseCost[s]
                                    if constants.canPrune && loses(previous + Float(baseCost)) { continue }
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
                                    let shapeCost = baseCost + constants.mergeShortfallCost * max(0, worstMerged - constants.mergeShortfallFloor)
                                    let contentCost = constants.contentWeight * shortfall / 2
                                    let kindCost = ea + eb > 2 ? mergedKindCost : singleKindCost
                                    if constants.canPrune && loses(previous + Float(shapeCost + contentCost + kindCost)) { continue }
                                    let z = GaleChurch.z(
                                        english: lengthBefore[i] - lengthBefore[pi], spanish: lengthBefore[n + j] - lengthBefore[n + pj],
                                        ratio: constants.lengthRatio, variance: constants.lengthVariance)
                                    let lengthCost = constants.lengthWeight * GaleChurch.cost(z: z)
                                    let c = previous + Float(shapeCost + lengthCost + contentCost + kindCost)
                                    if c < best || (c == best && UInt8(s) < bestShape) {
                                        best = c
                                        bestShape = UInt8(s)
                                    }
                                }
                                cost[i * width + j] = best
                                back[i * width + j] = bestShape
                            }
                        }
                    }
                }
            }
        }

        // Back from (n, m), each link with the terms `Aligner.linkTerms` gives it.
        var links: [RawLink] = []
        links.reserveCapacity(n + m)  // each link takes at least one sentence: never grown
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
        links.reverse()
        return links
    }

    /// Each unit's coverage by the other side's spans of one to three units, and each pair's
    /// shared weight, for units of at most 128 ids: the ids English unit u shares with Spanish
    /// unit v as two bit sets, over u's ids and over v's (`SharedRow`'s masks), so that a
    /// span's union is an OR and its weight is summed lowest bit first, in increasing id order.
    private mutating func fillCoveragesFromMasks(n: Int, m: Int, table: AnchorTable) {
        englishMasks.removeAll(keepingCapacity: true)
        englishMasks.append(contentsOf: repeatElement(0, count: n * m))
        spanishMasks.removeAll(keepingCapacity: true)
        spanishMasks.append(contentsOf: repeatElement(0, count: n * m))
        let neutral = aligner.parameters.neutralCoverage
        ids.withUnsafeBufferPointer { ids in
            unitStart.withUnsafeBufferPointer { unitStart in
                englishMasks.withUnsafeMutableBufferPointer { englishMasks in
                    spanishMasks.withUnsafeMutableBufferPointer { spanishMasks in
                        for u in 0..<n {
                            for v in 0..<m {
                                let (uStart, vStart) = (unitStart[u], unitStart[n + v])
                                var i = uStart
                                var k = vStart
                                let (iEnd, kEnd) = (unitStart[u + 1], unitStart[n + v + 1])
                                var englishMask: SharedRow.Mask = 0
                                var spanishMask: SharedRow.Mask = 0
                                while i < iEnd && k < kEnd {
                                    let x = ids[i]
                                    let y = ids[k]
                                    if x == y {
                                        englishMask |= 1 &<< SharedRow.Mask(i - uStart)
                                        spanishMask |= 1 &<< SharedRow.Mask(k - vStart)
                                        i += 1
                                        k += 1
                                    } else if x < y { i += 1 } else { k += 1 }
                                }
                                englishMasks[u * m + v] = englishMask
                                spanishMasks[u * m + v] = spanishMask
                            }
                        }
                    }
                }
            }
        }
        table.weights.withUnsafeBufferPointer { weights in
            ids.withUnsafeBufferPointer { ids in
                guard let base = ids.baseAddress else { return }
                for u in 0..<n {
                    let weight = unitWeight[u]
                    let unitIDs = base + unitStart[u]
                    for s in 0..<m {
                        var mask: SharedRow.Mask = 0
                        for size in 1...3 where s + size <= m {
                            mask |= englishMasks[u * m + s + size - 1]
                            let sum = SharedRow.maskWeight(mask, ids: unitIDs, weights: weights)
                            englishCoverage[(u * 3 + size - 1) * m + s] = weight > 0 ? min(1, sum / weight) : neutral
                            if size == 1 { pairWeight[u * m + s] = sum }
                        }
                    }
                }
                for v in 0..<m {
                    let weight = unitWeight[n + v]
                    let unitIDs = base + unitStart[n + v]
                    for r in 0..<n {
                        var mask: SharedRow.Mask = 0
                        for size in 1...3 where r + size <= n {
                            mask |= spanishMasks[(r + size - 1) * m + v]
                            let sum = SharedRow.maskWeight(mask, ids: unitIDs, weights: weights)
                            spanishCoverage[(v * 3 + size - 1) * n + r] = weight > 0 ? min(1, sum / weight) : neutral
                        }
                    }
                }
            }
        }
    }

    /// `fillCoveragesFromMasks` for units of more ids than a mask holds: the shared ids as
    /// sorted lists, merged per span.
    private mutating func fillCoveragesFromLists(n: Int, m: Int, table: AnchorTable) {
        // The ids each English unit shares with each Spanish unit (as `SharedRow` finds them);
        // a unit's coverage by a span of the other side is the weight of the union of the lists
        // it shares with the span's units, ids added in increasing order.
        sharedIDs.removeAll(keepingCapacity: true)
        sharedStart.removeAll(keepingCapacity: true)
        sharedStart.append(0)
        ids.withUnsafeBufferPointer { ids in
            for u in 0..<n {
                for v in 0..<m {
                    var i = unitStart[u]
                    var k = unitStart[n + v]
                    let (iEnd, kEnd) = (unitStart[u + 1], unitStart[n + v + 1])
                    while i < iEnd && k < kEnd {
                        let x = ids[i]
                        let y = ids[k]
                        if x == y {
                            sharedIDs.append(x)
                            i += 1
                            k += 1
                        } else if x < y { i += 1 } else { k += 1 }
                    }
                    sharedStart.append(sharedIDs.count)
                }
            }
        }
        let neutral = aligner.parameters.neutralCoverage
        table.weights.withUnsafeBufferPointer { weights in
            sharedIDs.withUnsafeBufferPointer { shared in
                sharedStart.withUnsafeBufferPointer { sharedStart in
                    func list(_ u: Int, _ v: Int) -> UnsafeBufferPointer<Int32> {
                        UnsafeBufferPointer(rebasing: shared[sharedStart[u * m + v]..<sharedStart[u * m + v + 1]])
                    }
                    for u in 0..<n {
                        let weight = unitWeight[u]
                        for s in 0..<m {
                            for size in 1...3 where s + size <= m {
                                let sum = BandSearch.unionWeight(
                                    list(u, s), size > 1 ? list(u, s + 1) : UnsafeBufferPointer(start: nil, count: 0),
                                    size > 2 ? list(u, s + 2) : UnsafeBufferPointer(start: nil, count: 0), weights: weights)
                                englishCoverage[(u * 3 + size - 1) * m + s] = weight > 0 ? min(1, sum / weight) : neutral
                                if size == 1 { pairWeight[u * m + s] = sum }
                            }
                        }
                    }
                    for v in 0..<m {
                        let weight = unitWeight[n + v]
                        for r in 0..<n {
                            for size in 1...3 where r + size <= n {
                                let sum = BandSearch.unionWeight(
                                    list(r, v), size > 1 ? list(r + 1, v) : UnsafeBufferPointer(start: nil, count: 0),
                                    size > 2 ? list(r + 2, v) : UnsafeBufferPointer(start: nil, count: 0), weights: weights)
                                spanishCoverage[(v * 3 + size - 1) * n + r] = weight > 0 ? min(1, sum / weight) : neutral
                            }
                        }
                    }
                }
            }
        }
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
            let c = englishCoverage[(u * 3 + shape.spanish - 1) * m + pj]
            coverageSum += c
            let f = aligner.normalizedShortfall(c, baseline: baseline)
            shortfall += f
            if shape.english > 1 { worstMerged = max(worstMerged, f) }
        }
        for v in pj..<j {
            let c = spanishCoverage[(v * 3 + shape.english - 1) * n + pi]
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
        // The shared weight of two units is the weight of their shared list, summed already.
        func similarity(_ i: Int, _ j: Int) -> Double {
            let total = unitWeight[i] + unitWeight[n + j]
            guard total > 0 else { return 0 }
            return 2 * pairWeight[i * m + j] / total
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

/// One side's sentences as the sentence searches read their ids: a sentence that is a whole
/// paragraph read the same way (it has the paragraph's features) takes the paragraph's ids,
/// encoded by the first paragraph pass over the same table, instead of encoding them again
/// (a look-up per anchor, cold for most); the others are encoded (`SentenceIDs.encode`).
struct SentenceUnits {
    let features: [TextFeatures]
    /// Per sentence: the position of the paragraph whose ids it has in `paragraphIDs`, or -1
    /// (empty: none has).
    private let paragraph: [Int32]
    private let paragraphIDs: EncodedUnits

    /// `paragraphIDs`: the paragraphs' ids in the table the searches are given (nil: not known).
    init(features: [TextFeatures], paragraph: [Int32] = [], paragraphIDs: EncodedUnits? = nil) {
        self.features = features
        self.paragraph = paragraphIDs == nil ? [] : paragraph
        self.paragraphIDs = paragraphIDs ?? EncodedUnits(ids: [], starts: [])
    }

    /// The paragraph whose ids sentence k has, or -1.
    @inline(__always)
    private func paragraph(of k: Int) -> Int {
        k < paragraph.count ? Int(paragraph[k]) : -1
    }

    /// Room for sentence k's ids.
    @inline(__always)
    func room(_ k: Int) -> Int {
        let p = paragraph(of: k)
        return p >= 0 ? paragraphIDs.starts[p + 1] - paragraphIDs.starts[p] : SentenceIDs.room(features[k])
    }

    /// Sentence k's ids (sorted) written at `out[start...]`; returns the end.
    @inline(__always)
    func encode(_ k: Int, table: AnchorTable, into out: UnsafeMutableBufferPointer<Int32>, at start: Int) -> Int {
        let p = paragraph(of: k)
        guard p >= 0 else { return SentenceIDs.encode(features[k], table: table, into: out, at: start) }
        let (low, high) = (paragraphIDs.starts[p], paragraphIDs.starts[p + 1])
        paragraphIDs.ids.withUnsafeBufferPointer { ids in
            for i in low..<high { out[start + i - low] = ids[i] }
        }
        return start + high - low
    }
}

/// `AnchorTable.encode(_:into:at:)` for sentences: the same ids in the same (sorted) order, the
/// few ids of a sentence put in order by insertion instead of the library's merge sort, whose
/// set-up costs more than the sorting at this size.
enum SentenceIDs {
    /// Room for the text's ids (its anchor count, one id per key): a row's from the table's
    /// row ends, without building its set.
    @inline(__always)
    static func room(_ features: TextFeatures) -> Int { features.anchorCount }

    static func encode(_ features: TextFeatures, table: AnchorTable, into out: UnsafeMutableBufferPointer<Int32>, at start: Int) -> Int {
        // The set read once (see `TextFeatures.anchors`).
        let anchors = features.anchors
        let memoIDs = anchors.ids
        guard let memo = table.memo, anchors.memo === memo, memoIDs.count <= 64 else {
            return table.encode(anchors, into: out, at: start)
        }
        var k = start
        table.tableIDByMemoID.withUnsafeBufferPointer { tableIDs in
            for id in memoIDs where Int(id) < tableIDs.count {
                let tableID = tableIDs[Int(id)]
                guard tableID >= 0 else { continue }
                // Insertion keeps out[start..<k] sorted (a sorted list of given values is unique).
                var slot = k
                while slot > start && out[slot - 1] > tableID {
                    out[slot] = out[slot - 1]
                    slot -= 1
                }
                out[slot] = tableID
                k += 1
            }
        }
        return k
    }
}
