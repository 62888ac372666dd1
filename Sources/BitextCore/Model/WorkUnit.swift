/// One input to the pipeline, before it is read.
public struct InputFile: Hashable, Sendable, Codable {
    /// The path used to open the file.
    public var path: String
    /// The path relative to the input root it was found under (stable across machines;
    /// used for output names and ids).
    public var relativePath: String
    public var format: SourceFormat
    /// A language suggested by the file's name or folder (`x.en.txt`, `es/…`), if any.
    public var languageHint: LanguageCode?
    /// The file's bytes when they arrive in memory rather than on disk (`bitext stream`'s
    /// inline records); ingest reads these instead of opening `path`, which then only names it.
    public var contents: [UInt8]?
    /// The file's bytes as text, when the reader put them straight into a `String` and found
    /// them to need no decoding (clean UTF-8; the batch runner does this for plain text):
    /// ingest takes it as the document's text, with no second copy of the bytes.
    public var text: String?

    public init(
        path: String, relativePath: String? = nil, format: SourceFormat? = nil, languageHint: LanguageCode? = nil,
        contents: [UInt8]? = nil
    ) {
        self.path = path
        self.relativePath = relativePath ?? path
        self.format = format ?? SourceFormat.guess(fromPath: path)
        self.languageHint = languageHint
        self.contents = contents
    }
}

/// One side of a bilingual pair: a document and the blocks of it in one language.
public struct Side: Hashable, Sendable, Codable {
    /// Index into `WorkUnit.documents`.
    public var document: Int
    /// Indices into that document's `blocks`, in reading order: nearly always all of them, one
    /// run held inline (an `[Int]` cost 8 bytes a paragraph, a fifth of the block itself); a
    /// list only when a split left some paragraphs on the other side.
    public var blocks: LinkPositions
    public init(document: Int, blocks: LinkPositions) {
        self.document = document
        self.blocks = blocks
    }
}

/// A link between paragraphs of the English and Spanish sides: n–m, with a score and QA flags.
/// Indices are positions in `Side.blocks` (the `index` of a paragraph in the output), held as
/// `LinkPositions` (a run inline) rather than arrays: a document has as many links as paragraphs.
/// Stored in 32 bytes (`LinkFields`); equality, hashing and coding go by the public properties.
public struct AlignmentLink: Hashable, Sendable, Codable {
    @usableFromInline var fields: LinkFields

    public init(
        english: LinkPositions, spanish: LinkPositions, score: Double, flags: [String] = [], explanation: [String: String]? = nil
    ) {
        fields = LinkFields(english: english, spanish: spanish, score: score, flags: flags)
        fields.explanation = explanation
    }

    @inlinable public var english: LinkPositions { get { fields.english } set { fields.english = newValue } }
    @inlinable public var spanish: LinkPositions { get { fields.spanish } set { fields.spanish = newValue } }
    @inlinable public var score: Double { get { fields.score } set { fields.score = newValue } }
    public var flags: [String] { get { fields.flags } set { fields.flags = newValue } }
    /// Why the link was chosen: anchors found and cost terms (filled when explaining).
    public var explanation: [String: String]? { get { fields.explanation } set { fields.explanation = newValue } }

    public static func == (a: AlignmentLink, b: AlignmentLink) -> Bool {
        a.fields.hasValues(of: b.fields) && a.explanation == b.explanation
    }

    public func hash(into hasher: inout Hasher) {
        fields.hashValues(into: &hasher)
        hasher.combine(explanation)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: LinkFields.CodingKeys.self)
        fields = try LinkFields(from: c)
        explanation = try c.decodeIfPresent([String: String].self, forKey: .explanation)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: LinkFields.CodingKeys.self)
        try fields.encode(to: &c)
        try c.encodeIfPresent(explanation, forKey: .explanation)
    }
}

/// A sentence pair inside a paragraph link. Indices are positions in each side's
/// ordered list of sentences (`WorkUnit.sentences(of:)`). Stored in 32 bytes (`LinkFields`);
/// equality, hashing and coding go by the public properties.
public struct SentenceLink: Hashable, Sendable, Codable {
    @usableFromInline var fields: LinkFields

    public init(paragraphLink: Int, english: LinkPositions, spanish: LinkPositions, score: Double, flags: [String] = []) {
        fields = LinkFields(english: english, spanish: spanish, score: score, flags: flags)
        fields.paragraphLink = paragraphLink
    }

    @inlinable public var paragraphLink: Int { get { fields.paragraphLink } set { fields.paragraphLink = newValue } }
    @inlinable public var english: LinkPositions { get { fields.english } set { fields.english = newValue } }
    @inlinable public var spanish: LinkPositions { get { fields.spanish } set { fields.spanish = newValue } }
    @inlinable public var score: Double { get { fields.score } set { fields.score = newValue } }
    public var flags: [String] { get { fields.flags } set { fields.flags = newValue } }

    public static func == (a: SentenceLink, b: SentenceLink) -> Bool {
        a.paragraphLink == b.paragraphLink && a.fields.hasValues(of: b.fields)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(paragraphLink)
        fields.hashValues(into: &hasher)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: LinkFields.CodingKeys.self)
        let paragraphLink = try c.decode(Int.self, forKey: .paragraphLink)
        fields = try LinkFields(from: c)
        self.paragraphLink = paragraphLink
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: LinkFields.CodingKeys.self)
        try c.encode(paragraphLink, forKey: .paragraphLink)
        try fields.encode(to: &c)
    }
}

/// What flows through the pipeline: one document, or the two versions of one document
/// (two files, or one file holding a text and its translation).
public struct WorkUnit: Sendable {
    /// Stable identifier derived from the inputs' relative paths.
    public var id: String
    public var inputs: [InputFile]
    public var documents: [Document]
    /// The English and Spanish sides once paired.
    public var sides: [LanguageCode: Side]
    /// Paragraph links between the English and Spanish sides.
    public var alignment: [AlignmentLink]?
    public var sentenceAlignment: [SentenceLink]?
    public var diagnostics: [Diagnostic]
    /// Intermediate results a stage leaves for a later stage of the same run, keyed by a name
    /// the producing stage chooses (e.g. the paragraph features `align.sentences` reads again).
    /// Never written out. A reader must check that an entry still matches the unit and compute
    /// the result itself when it is missing or stale.
    public var reusable: [String: any Sendable] = [:]

    public init(id: String, inputs: [InputFile]) {
        self.id = id
        self.inputs = inputs
        self.documents = []
        self.sides = [:]
        self.alignment = nil
        self.sentenceAlignment = nil
        self.diagnostics = []
    }

    /// Whether the unit has an English and a Spanish side.
    public var isPaired: Bool { sides[.english] != nil && sides[.spanish] != nil }

    /// The blocks to report under each language: the paired sides when there are any;
    /// otherwise every document's blocks under its main language (or `und`). Every block
    /// of every document appears exactly once.
    public var views: [LanguageCode: Side] {
        if !sides.isEmpty { return sides }
        var result: [LanguageCode: Side] = [:]
        for (index, document) in documents.enumerated() {
            let language = document.languages.first ?? .undetermined
            var key = language
            var n = 2
            while result[key] != nil {  // two documents, same language, unpaired
                key = LanguageCode("\(language.rawValue)-\(n)")
                n += 1
            }
            result[key] = Side(document: index, blocks: LinkPositions(document.blocks.indices))
        }
        return result
    }

    /// The sentences of one side, in order, as (document sentence index) values.
    public func sentences(of language: LanguageCode) -> [Int] {
        guard let side = views[language] else { return [] }
        let blocks = Set(side.blocks)
        return documents[side.document].sentences.indices.filter { blocks.contains(documents[side.document].sentences[$0].block) }
    }
}
