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
/// The stored properties are declared widest first (documents hold a block per paragraph,
/// a million for 100 MB of text): the optionals' tag bytes and the one-byte fields share the
/// last word instead of each padding a word of its own (120 bytes a block, 136 before).
public struct Block: Hashable, Sendable, Codable {
    /// Where the block's text lies in `Document.text`.
    public var range: TextRange
    /// Where the block starts in the source file.
    public var position: SourcePosition
    /// The list marker (`1.`, `•`, `(a)`) or footnote mark (`1`, `¹`) that was stripped from the text.
    public var marker: String?
    /// The block's language, once identified.
    public var language: LanguageCode?
    /// Extra facts with stable snake_case keys: `element_path`, `row`, `column`, `lang_hint`, …
    public var attributes: [String: String]
    /// QA flags on the block itself (`untranslated`, …).
    public var flags: [String]
    /// Markup inside `range` that is not part of the block's text (`**` around bold words,
    /// footnote reference marks such as `^{1/}`, indentation of wrapped lines). Sorted, disjoint.
    public var excluded: [TextRange]
    /// Heading level (1–6) or list nesting depth (1 = top level); nil otherwise.
    public var level: Int?
    /// Confidence in `language`, in [0, 1].
    public var languageConfidence: Double?
    public var kind: BlockKind
    /// Whether line breaks inside the range are soft (hard-wrapped plain text): they read
    /// as spaces. Preformatted text and HTML `<br>` keep theirs.
    public var foldsLineBreaks: Bool

    /// Inlinable: segmenters make a block per paragraph (about a million for 100 MB of text),
    /// and a call into this module built each one apart, to be copied into place and destroyed.
    @inlinable
    public init(
        kind: BlockKind, range: TextRange, position: SourcePosition, level: Int? = nil,
        marker: String? = nil, attributes: [String: String] = [:]
    ) {
        self.kind = kind
        self.range = range
        self.position = position
        self.level = level
        self.marker = marker
        self.attributes = attributes
        self.language = nil
        self.languageConfidence = nil
        self.flags = []
        self.excluded = []
        self.foldsLineBreaks = false
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
public struct Sentence: Hashable, Sendable, Codable {
    public var block: Int
    public var range: TextRange
    public init(block: Int, range: TextRange) {
        self.block = block
        self.range = range
    }
}

/// A named or typed span of text with a normalized value.
public struct Entity: Hashable, Sendable, Codable {
    public var kind: String
    public var range: TextRange
    public var block: Int
    /// The normalized value (ISO 8601 date, ISO 3166 code, canonical number…), when there is one.
    public var normalized: String?
    /// Shared by the English and Spanish mentions of the same thing in an aligned pair.
    public var link: String?
    /// Extra facts (`year_inferred`, `currency`, `expansion`, …).
    public var attributes: [String: String]

    public init(
        kind: String, range: TextRange, block: Int, normalized: String? = nil, link: String? = nil,
        attributes: [String: String] = [:]
    ) {
        self.kind = kind
        self.range = range
        self.block = block
        self.normalized = normalized
        self.link = link
        self.attributes = attributes
    }
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
