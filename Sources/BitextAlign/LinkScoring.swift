import BitextCore
import Foundation

/// Turns a link's cost terms into a probability that the link is right.
///
/// Platt scaling (logistic regression) on link features, one model per link class (1-1,
/// other n-m, omission), fitted on the development set by `scripts/align/calibrate.py`
/// (Debian documentation EN/ES, clean and perturbed variants; reliability table in BENCHMARKS.md).
struct LinkScorer: Sendable {
    /// Coefficients for [bias, similarity, rival similarity, |z|/8 (capped), kind mismatch, log1p(length)/10].
    var oneToOne: [Double]
    var manyToMany: [Double]
    var omission: [Double]

    /// Fitted by `scripts/align/calibrate.py fit` on maint-guide and debian-reference apa,
    /// ch01–ch06, index, pr01 (clean and perturbed; 11,506 links); reliability checked on the
    /// held-out chapters ch07–ch12 (BENCHMARKS.md). Coefficients with the wrong sign for a
    /// monotone score were fixed at zero.
    static let calibrated = LinkScorer(
        oneToOne: [5.2497, 3.0025, -2.1471, -9.1692, 0.0, 0.8934],
        manyToMany: [-1.0634, 2.9072, -1.5751, 0.0, 0.0, 3.9615],
        omission: [2.25, 0.0, -2.7554, 0.0, 0.0, 0.5138]
    )

    static let featureCount = 6

    static func features(_ terms: LinkTerms, length: Int) -> [Double] {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: featureCount) { x in
            writeFeatures(terms, length: length, into: x)
            return Array(x)
        }
    }

    /// [1, similarity, rival similarity, |z|/8 (capped), kind mismatch, log1p(length)/10],
    /// written at `x[0 ..< featureCount]` (initialized there).
    @inline(__always)
    private static func writeFeatures(_ terms: LinkTerms, length: Int, into x: UnsafeMutableBufferPointer<Double>) {
        let base = x.baseAddress!
        base.initialize(to: 1)
        (base + 1).initialize(to: terms.similarity)
        (base + 2).initialize(to: terms.rivalSimilarity)
        (base + 3).initialize(to: min(abs(terms.lengthZ), 8) / 8)
        (base + 4).initialize(to: terms.kindCost > 0 ? 1 : 0)
        (base + 5).initialize(to: log1p(Double(length)) / 10)
    }

    func probability(_ terms: LinkTerms, length: Int) -> Double {
        let w: [Double]
        if terms.shape.isOmission {
            w = omission
        } else if terms.shape == LinkShape(english: 1, spanish: 1) {
            w = oneToOne
        } else {
            w = manyToMany
        }
        // The features on the stack: an array of them was a heap allocation for every
        // paragraph and sentence link. Summed in the same order as before.
        let s = withUnsafeTemporaryAllocation(of: Double.self, capacity: Self.featureCount) { x in
            Self.writeFeatures(terms, length: length, into: x)
            var s = 0.0
            for (a, b) in zip(w, x) { s += a * b }
            return s
        }
        return 1 / (1 + exp(-s))
    }
}

/// Thresholds for the QA flags.
public struct FlagThresholds: Sendable, Hashable {
    /// Gale–Church |z| beyond which a link gets `length_ratio`.
    public var lengthZ: Double
    /// Score below which a link gets `low_confidence`.
    public var lowConfidence: Double
    public init(lengthZ: Double = 3.0, lowConfidence: Double = 0.5) {
        self.lengthZ = lengthZ
        self.lowConfidence = lowConfidence
    }
}

/// The QA flags a translator acts on, computed from the two sides of a link.
enum QAFlags {
    /// `english`/`spanish`: the link's texts' features; `englishLanguages`/`spanishLanguages`:
    /// their identified languages, in the same order. Collections rather than arrays, so that a
    /// caller passes slices or lazy views of its own arrays instead of building eight small
    /// arrays per link. `texts` gives the link's texts, each side's in order: only read for a
    /// link whose sides have no identified language.
    static func flags<Features: Collection<TextFeatures>, Languages: Collection<LanguageCode?>>(
        english: Features, spanish: Features, englishLanguages: Languages, spanishLanguages: Languages,
        texts: () -> (english: [Substring], spanish: [Substring]), terms: LinkTerms, score: Double, thresholds: FlagThresholds
    ) -> [String] {
        var flags: [String] = []
        if english.isEmpty || spanish.isEmpty {
            flags.append("omitted")
        } else {
            let (numbersA, datesA) = numbersAndDates(english)
            let (numbersB, datesB) = numbersAndDates(spanish)
            if numbersA != numbersB { flags.append("number_mismatch") }
            if !datesA.isEmpty || !datesB.isEmpty, !datesMatch(datesA, datesB) { flags.append("date_mismatch") }
            if abs(terms.lengthZ) > thresholds.lengthZ { flags.append("length_ratio") }
            if isUntranslated(english: english, englishLanguages: englishLanguages, spanishLanguages: spanishLanguages, texts: texts) {
                flags.append("untranslated")
            }
        }
        if spanish.contains(where: { $0.questionMarks != $0.invertedQuestionMarks || $0.exclamationMarks != $0.invertedExclamationMarks })
            && !spanish.isEmpty && spanishLanguages.allSatisfy({ $0 == nil || $0 == .spanish })
        {
            flags.append("punctuation")
        }
        if score < thresholds.lowConfidence { flags.append("low_confidence") }
        return flags
    }

    /// The unions of the side's texts' numbers and dates; a single text's own sets as they are
    /// (most links are 1-1), its features read once: each read of a caller's lazily mapped
    /// element copies the features, retaining and releasing their box.
    @inline(__always)
    private static func numbersAndDates<Features: Collection<TextFeatures>>(_ side: Features) -> (numbers: Set<String>, dates: Set<String>) {
        if side.count == 1 {
            let features = side.first!
            return (features.numbers, features.dates)
        }
        var numbers = Set<String>()
        var dates = Set<String>()
        for features in side {
            numbers.formUnion(features.numbers)
            dates.formUnion(features.dates)
        }
        return (numbers, dates)
    }

    /// Dates agree when every full date on one side matches one on the other, comparing month–day
    /// when a side left the year out.
    static func datesMatch(_ a: Set<String>, _ b: Set<String>) -> Bool {
        func covered(_ x: Set<String>, by y: Set<String>) -> Bool {
            x.allSatisfy { d in y.contains(d) || y.contains(where: { $0.hasSuffix(d) || d.hasSuffix($0) }) }
        }
        return covered(a, by: b) && covered(b, by: a)
    }

    static func isUntranslated<Features: Collection<TextFeatures>, Languages: Collection<LanguageCode?>>(
        english: Features, englishLanguages: Languages, spanishLanguages: Languages,
        texts: () -> (english: [Substring], spanish: [Substring])
    ) -> Bool {
        // As sets of the identified languages a and b: a == b == {one language, not undetermined}
        // is untranslated; two non-empty sets otherwise are not.
        let (a, b) = (identified(englishLanguages), identified(spanishLanguages))
        if case .one(let language) = a, case .one(language) = b, language != .undetermined { return true }
        if a != .none && b != .none { return false }
        // No language identified: the same words on both sides.
        let letters = english.reduce(0) { $0 + $1.letterCount }
        guard letters >= 12 else { return false }
        let (englishTexts, spanishTexts) = texts()
        let left = TextNormalization.fold(englishTexts.joined(separator: " ")).split(whereSeparator: { !$0.isLetter })
        let right = TextNormalization.fold(spanishTexts.joined(separator: " ")).split(whereSeparator: { !$0.isLetter })
        return left == right
    }

    private enum Identified: Equatable {
        case none
        case one(LanguageCode)
        case several
    }

    /// The distinct identified languages of a side (nil entries left out), without building a set.
    private static func identified<Languages: Collection<LanguageCode?>>(_ languages: Languages) -> Identified {
        var found = Identified.none
        for case let language? in languages {
            switch found {
            case .none: found = .one(language)
            case .one(let first) where first != language: return .several
            default: break
            }
        }
        return found
    }
}
