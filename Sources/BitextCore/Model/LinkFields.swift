/// What `AlignmentLink` and `SentenceLink` hold, in 32 bytes (issue 9): a document has about
/// as many links of each kind as paragraphs or sentences, and at 56 bytes each (two 16-byte
/// `LinkPositions`, a flags array, an optional explanation or an `Int` paragraph link) they were
/// some 21 MB of the 23 MB pair's peak up to `align.sentences`.
///
/// Positions are nearly always a short run (start inline, count in a byte); flags are a few of
/// the known QA names, kept as up to four 4-bit codes in order; anything else (a list that is
/// not a run, a long run, an unknown or fifth flag, an explanation, a paragraph link outside
/// `Int32`) goes in a copy-on-write box, so every value stays representable exactly.
@usableFromInline
struct LinkFields: Sendable {
    @usableFromInline var score: Double
    @usableFromInline var englishStart: Int32 = 0
    @usableFromInline var spanishStart: Int32 = 0
    /// `SentenceLink.paragraphLink` (`extraInBox`: in the box); unused by `AlignmentLink`.
    @usableFromInline var extra: Int32 = 0
    /// `positionsInBox`: the side's positions are in the box.
    @usableFromInline var englishCount: UInt8 = 0
    @usableFromInline var spanishCount: UInt8 = 0
    /// Flag codes (`flagName(_:)`), the first in the lowest four bits, 0 ending them;
    /// `flagsInBox`: the flags are in the box.
    @usableFromInline var flagCodes: UInt16 = 0
    @usableFromInline var rare: LinkRareFields?

    @usableFromInline static let positionsInBox: UInt8 = .max
    @usableFromInline static let flagsInBox: UInt16 = .max
    @usableFromInline static let extraInBox: Int32 = .min
    /// Codes that fit in `flagCodes`.
    static let flagSlots = 4

    @usableFromInline
    init(english: LinkPositions, spanish: LinkPositions, score: Double, flags: [String]) {
        self.score = score
        self.english = english
        self.spanish = spanish
        self.flags = flags
    }

    /// The box, unshared, made if there is none.
    @usableFromInline
    mutating func ownRare() -> LinkRareFields {
        if rare == nil {
            rare = LinkRareFields()
        } else if !isKnownUniquelyReferenced(&rare) {
            rare = rare.unsafelyUnwrapped.copy()
        }
        return rare.unsafelyUnwrapped
    }

    @inlinable
    var english: LinkPositions {
        get { englishCount == Self.positionsInBox ? rare.unsafelyUnwrapped.english : LinkPositions(run: englishStart, count: Int32(englishCount)) }
        set {
            if let (start, count) = Self.compact(newValue) {
                (englishStart, englishCount) = (start, count)
            } else {
                ownRare().english = newValue
                (englishStart, englishCount) = (0, Self.positionsInBox)
            }
        }
    }

    @inlinable
    var spanish: LinkPositions {
        get { spanishCount == Self.positionsInBox ? rare.unsafelyUnwrapped.spanish : LinkPositions(run: spanishStart, count: Int32(spanishCount)) }
        set {
            if let (start, count) = Self.compact(newValue) {
                (spanishStart, spanishCount) = (start, count)
            } else {
                ownRare().spanish = newValue
                (spanishStart, spanishCount) = (0, Self.positionsInBox)
            }
        }
    }

    /// A run's start and count when the count fits below `positionsInBox`.
    @inlinable
    static func compact(_ positions: LinkPositions) -> (Int32, UInt8)? {
        guard let run = positions.run, run.count < Int32(positionsInBox) else { return nil }
        return (run.start, UInt8(run.count))
    }

    var flags: [String] {
        get {
            if flagCodes == 0 { return [] }
            if flagCodes == Self.flagsInBox { return rare.unsafelyUnwrapped.flags }
            var names: [String] = []
            var codes = flagCodes
            while codes != 0 {
                names.append(Self.flagName(codes & 0xF))
                codes >>= 4
            }
            return names
        }
        set {
            if let codes = Self.flagCodes(of: newValue) {
                flagCodes = codes
            } else {
                ownRare().flags = newValue
                flagCodes = Self.flagsInBox
            }
        }
    }

    /// The flags as codes, if each is a known name and there are at most `flagSlots`.
    static func flagCodes(of flags: [String]) -> UInt16? {
        guard flags.count <= flagSlots else { return nil }
        var codes: UInt16 = 0
        for flag in flags.reversed() {
            guard let code = flagCode(flag) else { return nil }
            codes = codes << 4 | code
        }
        return codes
    }

    /// The QA flags links carry (`QAFlags`, entity linking); others are kept in the box.
    static func flagCode(_ name: String) -> UInt16? {
        switch name {
        case "omitted": 1
        case "number_mismatch": 2
        case "date_mismatch": 3
        case "length_ratio": 4
        case "untranslated": 5
        case "punctuation": 6
        case "low_confidence": 7
        case "entity_mismatch": 8
        default: nil
        }
    }

    static func flagName(_ code: UInt16) -> String {
        switch code {
        case 1: "omitted"
        case 2: "number_mismatch"
        case 3: "date_mismatch"
        case 4: "length_ratio"
        case 5: "untranslated"
        case 6: "punctuation"
        case 7: "low_confidence"
        case 8: "entity_mismatch"
        default: preconditionFailure("unknown link flag code \(code)")
        }
    }

    var explanation: [String: String]? {
        get { rare?.explanation }
        set {
            guard rare != nil || newValue != nil else { return }
            ownRare().explanation = newValue
        }
    }

    /// `SentenceLink.paragraphLink`.
    @inlinable
    var paragraphLink: Int {
        get { extra == Self.extraInBox ? rare.unsafelyUnwrapped.paragraphLink : Int(extra) }
        set {
            if let compact = Int32(exactly: newValue), compact != Self.extraInBox {
                extra = compact
            } else {
                ownRare().paragraphLink = newValue
                extra = Self.extraInBox
            }
        }
    }
}

/// A link's values that do not fit its compact fields (`LinkFields.rare`); each is read only
/// while the compact field says it is here. Shared between copies of a link and copied before a
/// write when shared (`LinkFields.ownRare`), so links keep value semantics: that discipline is
/// why it may be `@unchecked Sendable`.
@usableFromInline
final class LinkRareFields: @unchecked Sendable {
    @usableFromInline var english = LinkPositions()
    @usableFromInline var spanish = LinkPositions()
    var flags: [String] = []
    var explanation: [String: String]?
    @usableFromInline var paragraphLink = 0

    init() {}

    func copy() -> LinkRareFields {
        let copy = LinkRareFields()
        copy.english = english
        copy.spanish = spanish
        copy.flags = flags
        copy.explanation = explanation
        copy.paragraphLink = paragraphLink
        return copy
    }
}
