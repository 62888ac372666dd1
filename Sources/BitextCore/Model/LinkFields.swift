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
        get { Self.positions(start: englishStart, count: englishCount) ?? rare.unsafelyUnwrapped.english }
        set { if !Self.keep(newValue, start: &englishStart, count: &englishCount) { ownRare().english = newValue } }
    }

    @inlinable
    var spanish: LinkPositions {
        get { Self.positions(start: spanishStart, count: spanishCount) ?? rare.unsafelyUnwrapped.spanish }
        set { if !Self.keep(newValue, start: &spanishStart, count: &spanishCount) { ownRare().spanish = newValue } }
    }

    /// A side's positions from its compact fields; nil when they are in the box.
    @inlinable
    static func positions(start: Int32, count: UInt8) -> LinkPositions? {
        count == positionsInBox ? nil : LinkPositions(run: start, count: Int32(count))
    }

    /// Puts `positions` in a side's compact fields when they are a run shorter than
    /// `positionsInBox` (true); otherwise marks the side boxed (false: the caller boxes them).
    @inlinable
    static func keep(_ positions: LinkPositions, start: inout Int32, count: inout UInt8) -> Bool {
        if let run = positions.run, run.count < Int32(positionsInBox) {
            (start, count) = (run.start, UInt8(run.count))
            return true
        }
        (start, count) = (0, positionsInBox)
        return false
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

    /// The code of a QA flag `flagName` names; nil for any other (kept in the box).
    static func flagCode(_ name: String) -> UInt16? {
        (1...lastFlagCode).first { flagName($0) == name }
    }

    /// The highest code `flagName` names.
    static let lastFlagCode: UInt16 = 8

    /// The QA flags links carry (`QAFlags`, entity linking), by code: a switch of literals, as
    /// every read of a flagged link's flags names them.
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

// Equality, hashing and coding of the values both kinds of link have, as the plain structs'
// synthesized conformances had them (a value can be stored compact or boxed; stale boxed
// values are ignored).
extension LinkFields {
    /// Every key either kind of link codes (each its own, named as its properties).
    enum CodingKeys: String, CodingKey {
        case paragraphLink, english, spanish, score, flags, explanation
    }

    func hasValues(of other: LinkFields) -> Bool {
        english == other.english && spanish == other.spanish && score == other.score && flags == other.flags
    }

    func hashValues(into hasher: inout Hasher) {
        hasher.combine(english)
        hasher.combine(spanish)
        hasher.combine(score)
        hasher.combine(flags)
    }

    init(from c: KeyedDecodingContainer<CodingKeys>) throws {
        try self.init(
            english: c.decode(LinkPositions.self, forKey: .english), spanish: c.decode(LinkPositions.self, forKey: .spanish),
            score: c.decode(Double.self, forKey: .score), flags: c.decode([String].self, forKey: .flags))
    }

    func encode(to c: inout KeyedEncodingContainer<CodingKeys>) throws {
        try c.encode(english, forKey: .english)
        try c.encode(spanish, forKey: .spanish)
        try c.encode(score, forKey: .score)
        try c.encode(flags, forKey: .flags)
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
