import BitextCore

/// Finds, in one document, a text followed by its translation: a substantial English part
/// then a substantial Spanish part (or the reverse), like a press statement published with
/// its translation below it.
///
/// The boundary is the change point that leaves the fewest characters on the wrong side
/// (Spanish blocks before it, English after it, for an EN→ES file). Blocks of other
/// languages and `und` blocks count for neither side and go where they stand.
///
/// Technical translations leave paragraphs in English (commands, file names, titles), so
/// up to `maximumMisplaced` of the text may sit on the wrong side; what tells a translation
/// from a document with an abstract or quotes in the other language is that the two parts'
/// own-language texts are about as long (`maximumLengthRatio`).
public struct BilingualSplit: Hashable, Sendable {
    /// The language of the part that comes first, and of the part after it.
    public var first: LanguageCode
    public var second: LanguageCode
    /// Index of the first block of the second part.
    public var boundary: Int

    /// Each part must hold at least this share of the document's English + Spanish text.
    public static let minimumShare = 0.2
    /// At most this share of English + Spanish text may sit on the wrong side. On the
    /// alignment devset's Debian files the Spanish half reads as English in 12–17% of its
    /// paragraphs (misplaced share 0.10–0.12 at the true boundary; 0.18 for the 80th percentile
    /// over Debian and LibreOffice files); above 0.2 more abstracts split and no more
    /// translations do (scripts/robustness/onefile.py, BENCHMARKS.md session 30).
    public static let maximumMisplaced = 0.2
    /// The longer part's own-language text is at most this many times the shorter one's.
    /// A Spanish translation runs 1.1–1.2× its English bytes, less its untranslated
    /// paragraphs; 1.5 keeps every Debian devset file above 8 + 8 paragraphs, while 2 lets
    /// twice as many documents with a 20–30% abstract split (scripts/robustness/onefile.py).
    public static let maximumLengthRatio = 1.5

    /// The split, or nil when the document is not a text followed by its translation.
    public static func find(in document: Document) -> BilingualSplit? {
        find(labels: document.blocks.map { $0.language ?? .undetermined }, weights: document.blocks.map(\.range.length))
    }

    /// Same, from block labels and weights (characters or bytes).
    public static func find(labels: [LanguageCode], weights: [Int]) -> BilingualSplit? {
        let n = labels.count
        guard n >= 2 else { return nil }
        var englishTotal = 0
        var spanishTotal = 0
        for i in 0..<n {
            if labels[i] == .english { englishTotal += weights[i] }
            if labels[i] == .spanish { spanishTotal += weights[i] }
        }
        let total = englishTotal + spanishTotal
        guard total > 0,
            Double(englishTotal) >= minimumShare * Double(total),
            Double(spanishTotal) >= minimumShare * Double(total)
        else { return nil }

        var best: BilingualSplit?
        var bestMisplaced = Int.max
        for (first, second) in [(LanguageCode.english, LanguageCode.spanish), (.spanish, .english)] {
            // misplaced(k) = second-language weight before k + first-language weight from k on.
            var secondBefore = 0
            var firstFrom = first == .english ? englishTotal : spanishTotal
            for k in 0...n {
                if k > 0 && k < n {
                    let misplaced = secondBefore + firstFrom
                    if misplaced < bestMisplaced {
                        bestMisplaced = misplaced
                        best = BilingualSplit(first: first, second: second, boundary: k)
                    }
                }
                guard k < n else { break }
                if labels[k] == second { secondBefore += weights[k] }
                if labels[k] == first { firstFrom -= weights[k] }
            }
        }
        // Ties go to the earliest boundary: blocks of neither language between the parts
        // (a dateline, a separator) open the second part.
        guard let best, Double(bestMisplaced) <= maximumMisplaced * Double(total) else { return nil }
        var firstOwn = 0
        var secondOwn = 0
        for i in 0..<n {
            if i < best.boundary && labels[i] == best.first { firstOwn += weights[i] }
            if i >= best.boundary && labels[i] == best.second { secondOwn += weights[i] }
        }
        let (longer, shorter) = (max(firstOwn, secondOwn), min(firstOwn, secondOwn))
        guard Double(longer) <= maximumLengthRatio * Double(shorter) else { return nil }
        return best
    }

    /// The block indices of the first and second parts.
    public func parts(blockCount: Int) -> (first: [Int], second: [Int]) {
        (Array(0..<boundary), Array(boundary..<blockCount))
    }
}
