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
