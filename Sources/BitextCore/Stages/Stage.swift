/// The name a stage or writer is known by in pipeline files: lower-case `verb.object`
/// (`segment.paragraphs`) for stages, a format name (`json`) for writers.
public struct StageID: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (a: StageID, b: StageID) -> Bool { a.rawValue < b.rawValue }
}

/// A kind of annotation a stage needs or makes. The loader checks, before anything
/// runs, that every stage's `requires` is made by an earlier stage.
public struct Layer: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (a: Layer, b: Layer) -> Bool { a.rawValue < b.rawValue }

    /// Documents read from their files (text decoded, nothing segmented yet).
    public static let document: Layer = "document"
    /// Blocks: headings, paragraphs, list items, footnotes…
    public static let blocks: Layer = "blocks"
    /// A language and confidence on every block; document languages and runs.
    public static let language: Layer = "language"
    /// English and Spanish sides assigned.
    public static let pairs: Layer = "pairs"
    /// Paragraph links between the sides.
    public static let paragraphAlignment: Layer = "paragraph_alignment"
    public static let sentences: Layer = "sentences"
    public static let sentenceAlignment: Layer = "sentence_alignment"
    public static let entities: Layer = "entities"
}

/// Run-wide settings every stage can read.
public struct StageContext: Sendable {
    /// Record why decisions were made (dropped boilerplate, alignment cost terms).
    public var explain: Bool
    public init(explain: Bool = false) { self.explain = explain }
}

/// One processing step. Stages are small value types, configured once from the
/// pipeline file and then applied to many units concurrently.
public protocol Stage: Sendable {
    associatedtype Options: StageOptions = NoOptions
    /// The name used in pipeline files.
    static var id: StageID { get }
    /// One line for `bitext stages`.
    static var summary: String { get }
    static var requires: Set<Layer> { get }
    static var produces: Set<Layer> { get }
    /// Validates the options; throws `OptionError` for values that decode but make no sense.
    init(options: Options) throws
    /// Adds annotations to the unit. Throwing `InputError` fails this unit only.
    func process(_ unit: inout WorkUnit, context: StageContext) throws
}

extension Stage {
    public static var requires: Set<Layer> { [] }
    public static var produces: Set<Layer> { [] }
}

extension Stage where Options == NoOptions {
    public init() throws { try self.init(options: NoOptions()) }
}
