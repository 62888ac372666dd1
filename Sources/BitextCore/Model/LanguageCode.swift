/// An ISO 639-1 language code (`en`, `es`, …) or `und` when the evidence is too thin.
///
/// A struct rather than an enum so that identification can name any language it
/// recognises (Portuguese, Catalan, …) without the model having to change.
public struct LanguageCode: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    CodingKeyRepresentable, ExpressibleByStringLiteral, CustomStringConvertible
{
    public let rawValue: String
    @inlinable public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public init(_ value: String) { self.rawValue = value }

    public static let english: LanguageCode = "en"
    public static let spanish: LanguageCode = "es"
    public static let undetermined: LanguageCode = "und"

    /// The two languages bitext pairs and aligns.
    public static let pairLanguages: [LanguageCode] = [.english, .spanish]

    public var description: String { rawValue }
    public static func < (a: LanguageCode, b: LanguageCode) -> Bool { a.rawValue < b.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
    public var codingKey: any CodingKey { AnyKey(rawValue) }
    public init?<T: CodingKey>(codingKey: T) { rawValue = codingKey.stringValue }
}

/// A plain string coding key, for dictionaries keyed by values.
public struct AnyKey: CodingKey, Sendable {
    public let stringValue: String
    public var intValue: Int? { nil }
    public init(_ s: String) { stringValue = s }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { return nil }
}
