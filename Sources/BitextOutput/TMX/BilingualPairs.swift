import BitextCore

/// Segment granularity shared by the translation-memory writers.
public enum SegmentType: String, Sendable, Hashable, Decodable, CaseIterable {
    case sentence
    case paragraph
}

/// The English/Spanish text pairs a bilingual writer emits: sentence pairs when sentence
/// alignment exists (else paragraph pairs), links with an empty side left out. Made one at a
/// time (`forEach`): a long pair's translation memory is never held whole.
struct BilingualPairs {
    struct Pair {
        var english: String
        var spanish: String
        var score: Double
        var flags: [String]
    }

    let segmentType: SegmentType
    private let unit: WorkUnit
    private let minimumScore: Double

    init(_ unit: WorkUnit, segmentType requested: SegmentType, minimumScore: Double) {
        self.unit = unit
        self.minimumScore = minimumScore
        segmentType = unit.isPaired && (requested == .paragraph || unit.sentenceAlignment == nil) ? .paragraph : requested
    }

    /// Every pair, in link order.
    var pairs: [Pair] {
        var pairs: [Pair] = []
        forEach { pairs.append($0) }
        return pairs
    }

    /// The pairs handed to `body` in link order, as they are made.
    func forEach(_ body: (Pair) throws -> Void) rethrows {
        guard unit.isPaired else { return }
        let view = UnitView(unit)
        if segmentType == .sentence, let links = unit.sentenceAlignment {
            let englishSentences = view.sentences[.english] ?? []
            let spanishSentences = view.sentences[.spanish] ?? []
            for link in links where !link.english.isEmpty && !link.spanish.isEmpty && link.score >= minimumScore {
                try body(Pair(
                    english: Self.join(link.english.map { englishSentences[$0].text }),
                    spanish: Self.join(link.spanish.map { spanishSentences[$0].text }), score: link.score, flags: link.flags))
            }
        } else {
            let english = view.paragraphs[.english] ?? []
            let spanish = view.paragraphs[.spanish] ?? []
            for link in unit.alignment ?? [] where !link.english.isEmpty && !link.spanish.isEmpty && link.score >= minimumScore {
                try body(Pair(
                    english: Self.join(link.english.map { english[$0].text }), spanish: Self.join(link.spanish.map { spanish[$0].text }),
                    score: link.score, flags: link.flags))
            }
        }
    }

    /// Joins the parts of an n-m link with a space and reads line breaks as spaces: one
    /// segment is one line of text.
    static func join(_ parts: [String]) -> String {
        // A part without a CR or LF byte is itself: split by Characters, every part cost some
        // 450 instructions a character, three quarters of the TMX writer's time.
        if parts.count == 1 && !containsLineBreak(parts[0]) { return parts[0] }
        return parts.map { part in
            containsLineBreak(part) ? part.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ") : part
        }.joined(separator: " ")
    }

    /// Whether `text` holds a CR or LF byte (either one is a Character of its own, or the two
    /// together are "\r\n": without those bytes, the Character split finds no separator).
    static func containsLineBreak(_ text: String) -> Bool {
        text.utf8.contains { $0 == 0x0A || $0 == 0x0D }
    }
}

/// Options shared by the TMX and Moses writers.
public struct BilingualWriterOptions: StageOptions, Hashable {
    public var segmentType: SegmentType
    public var minimumScore: Double
    public static let fields: [OptionField] = [
        OptionField("segtype", "sentence|paragraph", default: "sentence", "Emit sentence pairs (when sentences were aligned) or paragraph pairs"),
        OptionField("min_score", "number", default: "0", "Leave out pairs whose alignment score is below this"),
    ]
    enum CodingKeys: String, CodingKey {
        case segmentType = "segtype"
        case minimumScore = "min_score"
    }
    public init(segmentType: SegmentType = .sentence, minimumScore: Double = 0) {
        self.segmentType = segmentType
        self.minimumScore = minimumScore
    }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        segmentType = try c.value(.segmentType, or: .sentence)
        minimumScore = try c.value(.minimumScore, or: 0)
    }

    func validated() throws -> Self {
        guard (0...1).contains(minimumScore) else { throw OptionError(option: "min_score", "must lie in [0, 1] (got \(minimumScore))") }
        return self
    }
}
