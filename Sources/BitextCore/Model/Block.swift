/// What a block is, as a reader sees it on the page.
public enum BlockKind: String, Hashable, Sendable, Codable, CaseIterable {
    case heading
    case paragraph
    case listItem = "list_item"
    case footnote
    case quote
    /// Signature blocks, postal addresses, sender lines.
    case address
    case tableCell = "table_cell"
    case caption
    /// Preformatted text whose white space is significant.
    case preformatted
    case definitionTerm = "definition_term"
    case definitionDescription = "definition_description"

    /// Kinds that carry running prose (used by aligners and language statistics).
    public var isProse: Bool {
        switch self {
        case .paragraph, .listItem, .footnote, .quote, .definitionDescription: true
        default: false
        }
    }
}

/// A block of text: a stand-off annotation over the document's text.
///
/// Documents hold a block per paragraph (a million for 100 MB of text), so the stored layout
/// is lean (40 bytes a block, 120 before): offsets and line and column as 32-bit integers,
/// the usual languages (`en`, `es`, `und`) and levels as one byte each, the confidence as its
/// four decimals, and the fields few blocks set (marker, flags, excluded markup) in one shared
/// box (`BlockRareFields`). A value that does not fit (an offset past 4 GiB, another
/// language, a confidence with more decimals) goes to a second box hung on the first
/// (`BlockWideValues`), so every value round-trips.
/// The public properties and the Codable form are those of the plain struct.
public struct Block: Hashable, Sendable, Codable {
    /// The rarely set fields, and values too wide for the compact ones; nil for most blocks.
    @usableFromInline var rare: BlockRareFields?
    /// Extra facts with stable snake_case keys: `element_path`, `row`, `column`, `lang_hint`, …
    /// (Stored inline: every HTML block has an element path.)
    public var attributes: [String: String]
    @usableFromInline var storedStart: UInt32
    @usableFromInline var storedEnd: UInt32
    @usableFromInline var storedLine: UInt32
    @usableFromInline var storedColumn: UInt32
    /// 0: nil; 1...10_001: `(value - 1) / 10_000`; `Self.confidenceInBox`: in `rare.wide`.
    @usableFromInline var storedConfidence: UInt16
    public var kind: BlockKind
    /// 0: nil; 1, 2, 3: `en`, `es`, `und`; `Self.languageInBox`: another, in `rare.wide`.
    @usableFromInline var storedLanguage: UInt8
    /// 0: nil; 1...254: the level; `Self.levelInBox`: in `rare.wide`.
    @usableFromInline var storedLevel: UInt8
    @usableFromInline var layout: LayoutBits

    // (Computed constants, not `static let`s: a global read from another module goes
    // through an accessor call at every use.)

    @usableFromInline
    struct LayoutBits: OptionSet, Sendable {
        @usableFromInline let rawValue: UInt8
        @inlinable init(rawValue: UInt8) { self.rawValue = rawValue }
        @inlinable static var foldsLineBreaks: LayoutBits { LayoutBits(rawValue: 1) }
        /// `range` is `rare.wide.range` (an offset past `UInt32.max`).
        @inlinable static var rangeInBox: LayoutBits { LayoutBits(rawValue: 2) }
        /// `position` is `rare.wide.position`.
        @inlinable static var positionInBox: LayoutBits { LayoutBits(rawValue: 4) }

        @inlinable mutating func set(_ bits: LayoutBits, _ on: Bool) {
            if on { insert(bits) } else { remove(bits) }
        }
    }

    /// Two values as the compact fields' `UInt32`s, or nil when either does not fit.
    @inlinable
    static func compact(_ first: Int, _ second: Int) -> (UInt32, UInt32)? {
        guard let first = UInt32(exactly: first), let second = UInt32(exactly: second) else { return nil }
        return (first, second)
    }

    @inlinable static var languageInBox: UInt8 { .max }
    @inlinable static var levelInBox: UInt8 { .max }
    @inlinable static var confidenceInBox: UInt16 { .max }
    /// Confidences are rounded to four decimals (`identify.language`): stored as 0...10_000.
    @inlinable static var confidenceScale: Double { 10_000 }

    /// Inlinable: segmenters make a block per paragraph (about a million for 100 MB of text),
    /// and a call into this module built each one apart, to be copied into place and destroyed.
    @inlinable
    public init(
        kind: BlockKind, range: TextRange, position: SourcePosition, level: Int? = nil,
        marker: String? = nil, attributes: [String: String] = [:]
    ) {
        self.rare = nil
        self.attributes = attributes
        self.storedStart = 0
        self.storedEnd = 0
        self.storedLine = 0
        self.storedColumn = 0
        self.storedConfidence = 0
        self.kind = kind
        self.storedLanguage = 0
        self.storedLevel = 0
        self.layout = []
        self.range = range
        self.position = position
        if level != nil { self.level = level }
        if marker != nil { self.marker = marker }
    }

    /// The box, unshared (copied first if another block holds it too), made if there is none.
    /// (Uniqueness is checked before any other reference to the box is taken: a local copy of
    /// it would make every box look shared, and every write copy it.)
    @inlinable
    mutating func ownRare() -> BlockRareFields {
        if rare == nil {
            rare = BlockRareFields()
        } else if !isKnownUniquelyReferenced(&rare) {
            rare = rare.unsafelyUnwrapped.copy()
        }
        return rare.unsafelyUnwrapped
    }

    /// The box's wide values, unshared, made (with the box) if there are none.
    @inlinable
    mutating func ownWide() -> BlockWideValues {
        let box = ownRare()
        if box.wide == nil {
            box.wide = BlockWideValues()
        } else if !isKnownUniquelyReferenced(&box.wide) {
            box.wide = box.wide.unsafelyUnwrapped.copy()
        }
        return box.wide.unsafelyUnwrapped
    }

    /// Where the block's text lies in `Document.text`.
    @inlinable
    public var range: TextRange {
        get {
            layout.contains(.rangeInBox) ? rare.unsafelyUnwrapped.wide.unsafelyUnwrapped.range : TextRange(Int(storedStart), Int(storedEnd))
        }
        set {
            let compact = Self.compact(newValue.start, newValue.end)
            (storedStart, storedEnd) = compact ?? (0, 0)
            if compact == nil { ownWide().range = newValue }
            layout.set(.rangeInBox, compact == nil)
        }
    }

    /// Where the block starts in the source file.
    @inlinable
    public var position: SourcePosition {
        get {
            layout.contains(.positionInBox)
                ? rare.unsafelyUnwrapped.wide.unsafelyUnwrapped.position : SourcePosition(line: Int(storedLine), column: Int(storedColumn))
        }
        set {
            let compact = Self.compact(newValue.line, newValue.column)
            (storedLine, storedColumn) = compact ?? (0, 0)
            if compact == nil { ownWide().position = newValue }
            layout.set(.positionInBox, compact == nil)
        }
    }

    /// The list marker (`1.`, `•`, `(a)`) or footnote mark (`1`, `¹`) that was stripped from the text.
    @inlinable
    public var marker: String? {
        @inline(__always) get { rare?.marker }
        set {
            guard rare != nil || newValue != nil else { return }
            ownRare().marker = newValue
        }
    }

    /// The block's language, once identified.
    @inlinable
    public var language: LanguageCode? {
        // Always inlined: a call made writers copy the whole block to call it (its references
        // retained and released for every paragraph written).
        @inline(__always) get {
            // Literals, not the static codes: those are lazily made globals, checked at each read.
            switch storedLanguage {
            case 0: nil
            case 1: LanguageCode(rawValue: "en")
            case 2: LanguageCode(rawValue: "es")
            case 3: LanguageCode(rawValue: "und")
            default: rare.unsafelyUnwrapped.wide.unsafelyUnwrapped.language
            }
        }
        set {
            if let newValue {
                switch newValue.rawValue {
                case "en": storedLanguage = 1
                case "es": storedLanguage = 2
                case "und": storedLanguage = 3
                default:
                    ownWide().language = newValue
                    storedLanguage = Self.languageInBox
                }
            } else {
                storedLanguage = 0
            }
        }
    }

    /// Whether `language` is Spanish (nil: no language yet), read from the stored tag: entities'
    /// pass 1 asks per block, and `language.map { $0 == .spanish }` made the code's string and
    /// compared it (~3.4 M instructions on the first 1,000 bench pairs).
    @inlinable
    public var languageIsSpanish: Bool? {
        @inline(__always) get {
            switch storedLanguage {
            case 0: nil
            case 2: true
            case 1, 3: false
            default: rare.unsafelyUnwrapped.wide.unsafelyUnwrapped.language == LanguageCode(rawValue: "es")
            }
        }
    }

    /// QA flags on the block itself (`untranslated`, …).
    @inlinable
    public var flags: [String] {
        get { rare?.flags ?? [] }
        set {
            guard rare != nil || !newValue.isEmpty else { return }
            ownRare().flags = newValue
        }
        _modify { yield &ownRare().flags }
    }

    /// Markup inside `range` that is not part of the block's text (`**` around bold words,
    /// footnote reference marks such as `^{1/}`, indentation of wrapped lines). Sorted, disjoint.
    @inlinable
    public var excluded: [TextRange] {
        get { rare?.excluded ?? [] }
        set {
            guard rare != nil || !newValue.isEmpty else { return }
            ownRare().excluded = newValue
        }
        _modify { yield &ownRare().excluded }
    }

    /// Heading level (1–6) or list nesting depth (1 = top level); nil otherwise.
    @inlinable
    public var level: Int? {
        @inline(__always) get {
            switch storedLevel {
            case 0: nil
            case Self.levelInBox: rare.unsafelyUnwrapped.wide.unsafelyUnwrapped.level
            default: Int(storedLevel)
            }
        }
        set {
            if let newValue {
                if newValue >= 1 && newValue < Int(Self.levelInBox) {
                    storedLevel = UInt8(newValue)
                } else {
                    ownWide().level = newValue
                    storedLevel = Self.levelInBox
                }
            } else {
                storedLevel = 0
            }
        }
    }

    /// Confidence in `language`, in [0, 1].
    @inlinable
    public var languageConfidence: Double? {
        // Always inlined, as `language` (and `level`, `marker`): writers read them in place.
        @inline(__always) get {
            switch storedConfidence {
            case 0: nil
            case Self.confidenceInBox: rare.unsafelyUnwrapped.wide.unsafelyUnwrapped.languageConfidence
            default: Double(storedConfidence - 1) / Self.confidenceScale
            }
        }
        set {
            if let newValue {
                // Kept compact only if the four decimals read back as exactly this value (not -0.0).
                let scaled = (newValue * Self.confidenceScale).rounded()
                if scaled >= 0 && scaled <= Self.confidenceScale,
                    (Double(UInt16(scaled)) / Self.confidenceScale).bitPattern == newValue.bitPattern
                {
                    storedConfidence = UInt16(scaled) + 1
                } else {
                    ownWide().languageConfidence = newValue
                    storedConfidence = Self.confidenceInBox
                }
            } else {
                storedConfidence = 0
            }
        }
    }

    /// Whether line breaks inside the range are soft (hard-wrapped plain text): they read
    /// as spaces. Preformatted text and HTML `<br>` keep theirs.
    @inlinable
    public var foldsLineBreaks: Bool {
        get { layout.contains(.foldsLineBreaks) }
        set { layout.set(.foldsLineBreaks, newValue) }
    }

    // Equality, hashing and coding go by the public properties, as the plain struct's did
    // (a value can be stored compact or boxed; stale boxed values are ignored).

    public static func == (a: Block, b: Block) -> Bool {
        a.range == b.range && a.position == b.position && a.kind == b.kind && a.foldsLineBreaks == b.foldsLineBreaks
            && a.level == b.level && a.language == b.language && a.languageConfidence == b.languageConfidence
            && a.marker == b.marker && a.attributes == b.attributes && a.flags == b.flags && a.excluded == b.excluded
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(range)
        hasher.combine(position)
        hasher.combine(marker)
        hasher.combine(language)
        hasher.combine(attributes)
        hasher.combine(flags)
        hasher.combine(excluded)
        hasher.combine(level)
        hasher.combine(languageConfidence)
        hasher.combine(kind)
        hasher.combine(foldsLineBreaks)
    }

    private enum CodingKeys: String, CodingKey {
        case range, position, marker, language, attributes, flags, excluded, level, languageConfidence, kind, foldsLineBreaks
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let range = try c.decode(TextRange.self, forKey: .range)
        let position = try c.decode(SourcePosition.self, forKey: .position)
        let marker = try c.decodeIfPresent(String.self, forKey: .marker)
        let language = try c.decodeIfPresent(LanguageCode.self, forKey: .language)
        let attributes = try c.decode([String: String].self, forKey: .attributes)
        let flags = try c.decode([String].self, forKey: .flags)
        let excluded = try c.decode([TextRange].self, forKey: .excluded)
        let level = try c.decodeIfPresent(Int.self, forKey: .level)
        let languageConfidence = try c.decodeIfPresent(Double.self, forKey: .languageConfidence)
        let kind = try c.decode(BlockKind.self, forKey: .kind)
        let foldsLineBreaks = try c.decode(Bool.self, forKey: .foldsLineBreaks)
        self.init(kind: kind, range: range, position: position, level: level, marker: marker, attributes: attributes)
        self.language = language
        self.flags = flags
        self.excluded = excluded
        self.languageConfidence = languageConfidence
        self.foldsLineBreaks = foldsLineBreaks
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(range, forKey: .range)
        try c.encode(position, forKey: .position)
        try c.encodeIfPresent(marker, forKey: .marker)
        try c.encodeIfPresent(language, forKey: .language)
        try c.encode(attributes, forKey: .attributes)
        try c.encode(flags, forKey: .flags)
        try c.encode(excluded, forKey: .excluded)
        try c.encodeIfPresent(level, forKey: .level)
        try c.encodeIfPresent(languageConfidence, forKey: .languageConfidence)
        try c.encode(kind, forKey: .kind)
        try c.encode(foldsLineBreaks, forKey: .foldsLineBreaks)
    }
}

/// A block's rarely set fields (`Block.rare`): 64 bytes with its header, for the blocks with a
/// marker, a flag or excluded markup (a list item, an `untranslated` paragraph).
///
/// Shared between copies of a block and copied before a write when shared (`Block.ownRare`),
/// so a block keeps value semantics: that discipline is why it may be `@unchecked Sendable`.
///
/// Its fields go without the runtime's exclusivity checks (`@exclusivity(unchecked)`): every
/// access goes through `Block`'s accessors, on a block the compiler checks statically (it is a
/// value), and a box is written only when unshared; the checks were some three calls into the
/// runtime per paragraph segmented and written (2% of plain text to JSON).
@usableFromInline
final class BlockRareFields: @unchecked Sendable {
    @exclusivity(unchecked) @usableFromInline var marker: String?
    @exclusivity(unchecked) @usableFromInline var flags: [String] = []
    @exclusivity(unchecked) @usableFromInline var excluded: [TextRange] = []
    /// Values too wide for the block's compact fields, in a box of their own: nearly no block
    /// has one, and they would double the size of every box.
    @exclusivity(unchecked) @usableFromInline var wide: BlockWideValues?

    @usableFromInline init() {}

    @usableFromInline func copy() -> BlockRareFields {
        let copy = BlockRareFields()
        copy.marker = marker
        copy.flags = flags
        copy.excluded = excluded
        copy.wide = wide  // shared: copied in turn before a write (`Block.ownWide`)
        return copy
    }
}

/// A block's values too wide for its compact fields (`BlockRareFields.wide`); each is read
/// only while the block's field says it is here. Copy-on-write as `BlockRareFields`.
@usableFromInline
final class BlockWideValues: @unchecked Sendable {
    // (Unchecked as `BlockRareFields`'s, for the same reason.)
    /// A language other than `en`, `es` and `und`.
    @exclusivity(unchecked) @usableFromInline var language: LanguageCode?
    /// A level outside 1...254.
    @exclusivity(unchecked) @usableFromInline var level: Int?
    /// A confidence other than a four-decimal one in [0, 1].
    @exclusivity(unchecked) @usableFromInline var languageConfidence: Double?
    /// A range with an offset past `UInt32.max`.
    @exclusivity(unchecked) @usableFromInline var range = TextRange(0, 0)
    /// A line or column past `UInt32.max`.
    @exclusivity(unchecked) @usableFromInline var position = SourcePosition(line: 0, column: 0)

    @usableFromInline init() {}

    @usableFromInline func copy() -> BlockWideValues {
        let copy = BlockWideValues()
        copy.language = language
        copy.level = level
        copy.languageConfidence = languageConfidence
        copy.range = range
        copy.position = position
        return copy
    }
}

/// Inline markup and references inside a block, kept as annotations because the
/// markup itself was removed from the text.
public struct InlineMark: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case bold, italic, code, link
        /// A footnote reference; `value` holds its mark and `target` the footnote block index.
        case footnoteReference = "footnote_reference"
    }
    public var kind: Kind
    public var range: TextRange
    public var value: String?
    /// For footnote references: the index of the footnote block in `Document.blocks`.
    public var target: Int?
    /// For links: the href.
    public var href: String?

    public init(kind: Kind, range: TextRange, value: String? = nil, target: Int? = nil, href: String? = nil) {
        self.kind = kind
        self.range = range
        self.value = value
        self.target = target
        self.href = href
    }
}

/// A sentence inside a block.
///
/// Stored as three 32-bit integers (16 bytes a sentence, 24 before: a document holds one or
/// two per paragraph); a block index or offset past `UInt32.max` goes to a box.
public struct Sentence: Hashable, Sendable, Codable {
    @usableFromInline var storage: Storage

    @usableFromInline
    enum Storage: Sendable {
        case compact(block: UInt32, start: UInt32, end: UInt32)
        case wide(WideSentence)
    }

    @usableFromInline
    final class WideSentence: Sendable {
        @usableFromInline let block: Int
        @usableFromInline let range: TextRange
        @usableFromInline init(block: Int, range: TextRange) {
            self.block = block
            self.range = range
        }
    }

    @inlinable
    public init(block: Int, range: TextRange) {
        if let compactBlock = UInt32(exactly: block), let start = UInt32(exactly: range.start), let end = UInt32(exactly: range.end) {
            storage = .compact(block: compactBlock, start: start, end: end)
        } else {
            storage = .wide(WideSentence(block: block, range: range))
        }
    }

    @inlinable
    public var block: Int {
        get {
            switch storage {
            case .compact(let block, _, _): Int(block)
            case .wide(let wide): wide.block
            }
        }
        set { self = Sentence(block: newValue, range: range) }
    }

    @inlinable
    public var range: TextRange {
        get {
            switch storage {
            case .compact(_, let start, let end): TextRange(Int(start), Int(end))
            case .wide(let wide): wide.range
            }
        }
        set { self = Sentence(block: block, range: newValue) }
    }

    public static func == (a: Sentence, b: Sentence) -> Bool { a.block == b.block && a.range == b.range }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(block)
        hasher.combine(range)
    }

    private enum CodingKeys: String, CodingKey { case block, range }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(block: try c.decode(Int.self, forKey: .block), range: try c.decode(TextRange.self, forKey: .range))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(block, forKey: .block)
        try c.encode(range, forKey: .range)
    }
}

/// A named or typed span of text with a normalized value.
///
/// Stored lean, as long documents hold hundreds of thousands of entities (40 bytes): the kind as
/// a code into `Entity.commonKinds`, start and block as `UInt32`, the length as `UInt16`, a link
/// id of the form the linker gives ("L<link>-<group>") as its two numbers, and the rare fields
/// (attributes, a kind outside the table, offsets past those widths, another form of link id)
/// in a shared immutable box, nil for most entities. `normalized` stays inline.
public struct Entity: Hashable, Sendable, Codable {
    /// The normalized value (ISO 8601 date, ISO 3166 code, canonical number…), when there is one.
    public var normalized: String?
    var rare: EntityRareFields?
    private var storedStart: UInt32
    private var storedBlock: UInt32
    /// The link number of a compact link id (when `linkGroup` is not 0).
    private var linkNumber: UInt32
    private var storedLength: UInt16
    /// 1...: the group number of a compact link id "L<linkNumber>-<linkGroup>"; 0: no link, or
    /// `rare.link`. (Groups per link are few: most links have one or two.)
    private var linkGroup: UInt8
    /// 1...: `commonKind(kindCode)`; 0: `rare.kind`.
    @usableFromInline var kindCode: UInt8

    /// The kinds the extractor and the block annotations use, the most frequent first (counts
    /// from the long pair's output).
    static let commonKinds: [String] = (1...UInt8.max).lazy.map(commonKind).prefix { $0 != nil }.map { $0! }

    /// The kind `code` stands for (1...): a switch of literals, as the getter is read per
    /// mention when linking and writing, and reading a global table there cost ~2% of book4's run.
    static func commonKind(_ code: UInt8) -> String? {
        switch code {
        case 1: "number"
        case 2: "paragraph"
        case 3: "organization"
        case 4: "person"
        case 5: "location"
        case 6: "heading"
        case 7: "acronym"
        case 8: "url"
        case 9: "footnote"
        case 10: "date"
        case 11: "country"
        case 12: "email"
        case 13: "money"
        case 14: "percent"
        case 15: "document_symbol"
        case 16: "list_item"
        case 17: "bold"
        case 18: "footnote_reference"
        case 19: "resolution"
        default: nil
        }
    }

    /// The code of `kind` when it is a common kind (1...), else nil: the one candidate its length
    /// and first byte leave is compared, where going down `commonKinds` compared a string per
    /// kind passed (~135 instructions an entity made, on the first 1,000 bench pairs).
    static func commonKindCode(of kind: String) -> UInt8? {
        let utf8 = kind.utf8
        let first = utf8.first
        let candidate: UInt8
        switch utf8.count {
        case 3: candidate = 8  // url
        case 4: candidate = first == UInt8(ascii: "b") ? 17 : 10  // bold, date
        case 5: candidate = first == UInt8(ascii: "m") ? 13 : 12  // money, email
        case 6: candidate = first == UInt8(ascii: "p") ? 4 : 1  // person, number
        case 7:
            switch first {
            case UInt8(ascii: "h"): candidate = 6  // heading
            case UInt8(ascii: "a"): candidate = 7  // acronym
            case UInt8(ascii: "c"): candidate = 11  // country
            default: candidate = 14  // percent
            }
        case 8: candidate = first == UInt8(ascii: "f") ? 9 : 5  // footnote, location
        case 9: candidate = first == UInt8(ascii: "l") ? 16 : 2  // list_item, paragraph
        case 10: candidate = 19  // resolution
        case 12: candidate = 3  // organization
        case 15: candidate = 15  // document_symbol
        case 18: candidate = 18  // footnote_reference
        default: return nil
        }
        return commonKind(candidate) == kind ? candidate : nil
    }

    /// `kind`'s code (1...: `commonKindName(code:)` names it), or 0 for a kind outside the table:
    /// lets a per-mention switch on the kind in another module skip making and comparing its
    /// string. Inlinable, so that reading it through a pointer does not copy the entity.
    @inlinable public var commonKindCode: UInt8 { kindCode }

    /// The kind that common kind code `code` stands for; nil for 0 and codes past the table.
    public static func commonKindName(code: UInt8) -> String? { commonKind(code) }

    public init(
        kind: String, range: TextRange, block: Int, normalized: String? = nil, link: String? = nil,
        attributes: [String: String] = [:]
    ) {
        self.normalized = normalized
        rare = nil
        storedStart = 0
        storedBlock = 0
        linkNumber = 0
        storedLength = 0
        linkGroup = 0
        kindCode = 0
        self.link = link
        self.kind = kind
        self.range = range
        self.block = block
        self.attributes = attributes
    }

    public var kind: String {
        get { Self.commonKind(kindCode) ?? rare.unsafelyUnwrapped.kind.unsafelyUnwrapped }
        set {
            if let code = Self.commonKindCode(of: newValue) {
                kindCode = code
                if rare?.kind != nil { updateRare { $0.kind = nil } }
            } else {
                kindCode = 0
                updateRare { $0.kind = newValue }
            }
        }
    }

    public var range: TextRange {
        get { rare?.wideRange ?? TextRange(Int(storedStart), Int(storedStart) + Int(storedLength)) }
        set {
            if let start = UInt32(exactly: newValue.start), newValue.end >= newValue.start,
                let length = UInt16(exactly: newValue.end - newValue.start)
            {
                storedStart = start
                storedLength = length
                if rare?.wideRange != nil { updateRare { $0.wideRange = nil } }
            } else {
                updateRare { $0.wideRange = newValue }
            }
        }
    }

    public var block: Int {
        get { rare?.wideBlock ?? Int(storedBlock) }
        set {
            if let narrow = UInt32(exactly: newValue) {
                storedBlock = narrow
                if rare?.wideBlock != nil { updateRare { $0.wideBlock = nil } }
            } else {
                updateRare { $0.wideBlock = newValue }
            }
        }
    }

    /// Shared by the English and Spanish mentions of the same thing in an aligned pair.
    public var link: String? {
        get {
            if linkGroup != 0 { return Self.linkID(link: Int(linkNumber), group: Int(linkGroup)) }
            return rare?.link
        }
        set {
            if let newValue, let (number, group) = Self.compactLink(newValue) {
                linkNumber = number
                linkGroup = group
                if rare?.link != nil { updateRare { $0.link = nil } }
            } else {
                linkNumber = 0
                linkGroup = 0
                if newValue != nil || rare?.link != nil { updateRare { $0.link = newValue } }
            }
        }
    }

    /// Sets `link` to `linkID(link:group:)`'s id, kept compact without making the string when it
    /// fits (the linker's ids nearly always do): set as a string, each mention's id was made and
    /// then parsed back (`compactLink`).
    public mutating func setLink(link: Int, group: Int) {
        if link >= 0, link <= Int(UInt32.max), group > 0, group <= Int(UInt8.max) {
            linkNumber = UInt32(link)
            linkGroup = UInt8(group)
            if rare?.link != nil { updateRare { $0.link = nil } }
        } else {
            self.link = Self.linkID(link: link, group: group)
        }
    }

    /// "L<link>-<group>", the id the linker gives a link's group of mentions, its digits written
    /// straight into the string: `"L" + String(link) + "-" + String(group)` went through the
    /// generic integer printer twice and built three strings.
    public static func linkID(link: Int, group: Int) -> String {
        precondition(link >= 0 && group >= 0, "link and group numbers are never negative")
        let linkDigits = decimalDigits(link)
        let groupDigits = decimalDigits(group)
        let length = 2 + linkDigits + groupDigits
        return String(unsafeUninitializedCapacity: length) { bytes in
            bytes[0] = UInt8(ascii: "L")
            writeDecimal(link, digits: linkDigits, into: bytes, endingAt: 1 + linkDigits)
            bytes[1 + linkDigits] = UInt8(ascii: "-")
            writeDecimal(group, digits: groupDigits, into: bytes, endingAt: length)
            return length
        }
    }

    /// How many decimal digits `value` (not negative) is written with.
    private static func decimalDigits(_ value: Int) -> Int {
        var digits = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        return digits
    }

    /// Writes `value`'s `digits` decimal digits so that the last one is at `end - 1`.
    private static func writeDecimal(_ value: Int, digits: Int, into bytes: UnsafeMutableBufferPointer<UInt8>, endingAt end: Int) {
        var rest = value
        for k in stride(from: end - 1, through: end - digits, by: -1) {
            bytes[k] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }

    /// The two numbers of a link id that `linkID` writes and the compact fields hold (link up to
    /// `UInt32.max`, group 1...255), nil for any other string: exactly those read back the same.
    static func compactLink(_ id: String) -> (link: UInt32, group: UInt8)? {
        var bytes = id.utf8.makeIterator()
        guard bytes.next() == UInt8(ascii: "L") else { return nil }
        /// A decimal number without leading zeros, up to `limit`, ended by `terminator` (nil: the end).
        func number(limit: UInt64, endedBy terminator: UInt8?) -> UInt64? {
            var value: UInt64 = 0
            var digits = 0
            while true {
                let byte = bytes.next()
                if byte == terminator { return digits > 0 ? value : nil }
                guard let byte, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                if digits == 1 && value == 0 { return nil }
                value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
                digits += 1
                if value > limit { return nil }
            }
        }
        guard let link = number(limit: UInt64(UInt32.max), endedBy: UInt8(ascii: "-")),
            let group = number(limit: UInt64(UInt8.max), endedBy: nil), group > 0
        else { return nil }
        return (UInt32(link), UInt8(group))
    }

    /// Extra facts (`year_inferred`, `currency`, `expansion`, …).
    public var attributes: [String: String] {
        get { rare?.attributes ?? [:] }
        set {
            guard rare != nil || !newValue.isEmpty else { return }
            updateRare { $0.attributes = newValue }
        }
    }

    /// Takes `other`'s attributes by sharing its box, when that box holds attributes and
    /// nothing else and this entity has no box yet; false (nothing changed) otherwise. The box
    /// is immutable, so entities with the same attributes (an acronym's, a demonym's) can hold
    /// one box and one dictionary rather than one of each apiece.
    package mutating func shareAttributes(of other: Entity) -> Bool {
        guard rare == nil, let box = other.rare, !box.values.attributes.isEmpty, box.values.kind == nil,
              box.values.wideRange == nil, box.values.wideBlock == nil, box.values.link == nil
        else { return false }
        rare = box
        return true
    }

    /// Replaces the box with an edited copy (the box is immutable, so copies of the entity
    /// never see the edit), or with nil once it holds nothing.
    private mutating func updateRare(_ edit: (inout EntityRareFields.Values) -> Void) {
        var values = rare?.values ?? EntityRareFields.Values()
        edit(&values)
        rare = values.isEmpty ? nil : EntityRareFields(values)
    }

    public static func == (lhs: Entity, rhs: Entity) -> Bool {
        lhs.kind == rhs.kind && lhs.range == rhs.range && lhs.block == rhs.block && lhs.normalized == rhs.normalized
            && lhs.link == rhs.link && lhs.attributes == rhs.attributes
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(range)
        hasher.combine(block)
        hasher.combine(normalized)
        hasher.combine(link)
        hasher.combine(attributes)
    }

    private enum CodingKeys: String, CodingKey {
        case kind, range, block, normalized, link, attributes
    }

    /// The forms the synthesized conformance had: optionals left out when nil, `attributes` always.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            kind: try container.decode(String.self, forKey: .kind), range: try container.decode(TextRange.self, forKey: .range),
            block: try container.decode(Int.self, forKey: .block),
            normalized: try container.decodeIfPresent(String.self, forKey: .normalized),
            link: try container.decodeIfPresent(String.self, forKey: .link),
            attributes: try container.decode([String: String].self, forKey: .attributes))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(range, forKey: .range)
        try container.encode(block, forKey: .block)
        try container.encodeIfPresent(normalized, forKey: .normalized)
        try container.encodeIfPresent(link, forKey: .link)
        try container.encode(attributes, forKey: .attributes)
    }
}

/// An entity's rarely set fields; immutable, so entities share it freely.
final class EntityRareFields: Sendable {
    struct Values {
        var kind: String?
        var wideRange: TextRange?
        var wideBlock: Int?
        var link: String?
        var attributes: [String: String] = [:]
        var isEmpty: Bool { kind == nil && wideRange == nil && wideBlock == nil && link == nil && attributes.isEmpty }
    }

    let values: Values
    var kind: String? { values.kind }
    var link: String? { values.link }
    var wideRange: TextRange? { values.wideRange }
    var wideBlock: Int? { values.wideBlock }
    var attributes: [String: String] { values.attributes }

    init(_ values: Values) { self.values = values }
}

/// A language hint found in the source (`<html lang>`, `hreflang` alternates, file names).
public struct LanguageHint: Hashable, Sendable, Codable {
    public enum Source: String, Hashable, Sendable, Codable {
        case documentAttribute = "document_lang"
        case elementAttribute = "element_lang"
        case alternate = "hreflang"
        case fileName = "file_name"
    }
    public var source: Source
    public var language: LanguageCode
    /// For `hreflang` alternates: the URL of the other version.
    public var href: String?
    /// For element hints: the block it applies to.
    public var block: Int?

    public init(source: Source, language: LanguageCode, href: String? = nil, block: Int? = nil) {
        self.source = source
        self.language = language
        self.href = href
        self.block = block
    }
}

/// Content a stage removed on purpose (boilerplate, scripts), reported so that
/// nothing disappears silently.
public struct RemovedContent: Hashable, Sendable, Codable {
    public var reason: String
    public var position: SourcePosition
    public var elementPath: String?
    public var excerpt: String
    public var characters: Int

    public init(reason: String, position: SourcePosition, elementPath: String? = nil, excerpt: String, characters: Int) {
        self.reason = reason
        self.position = position
        self.elementPath = elementPath
        self.excerpt = excerpt
        self.characters = characters
    }
}
