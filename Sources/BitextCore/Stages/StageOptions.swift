/// Describes one option a stage or writer accepts, for validation and `bitext stages`.
public struct OptionField: Hashable, Sendable {
    /// The snake_case key used in pipeline files.
    public var name: String
    /// A human-readable type: `string`, `integer`, `number`, `boolean`, `[string]`, `remove|keep`.
    public var type: String
    /// The default, as it would be written in YAML; nil when the option is required.
    public var defaultValue: String?
    public var summary: String

    public var isRequired: Bool { defaultValue == nil }

    public init(_ name: String, _ type: String, default defaultValue: String?, _ summary: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.summary = summary
    }
}

/// The options of a stage or writer, decoded from its `with:` mapping.
public protocol StageOptions: Decodable, Sendable {
    /// Every key the options accept; the loader rejects any other key.
    static var fields: [OptionField] { get }
}

public struct NoOptions: StageOptions, Hashable {
    public static let fields: [OptionField] = []
    public init() {}
}

/// An option value that decoded but is not acceptable. The loader reports it at the
/// option's position in the pipeline file.
public struct OptionError: Error, Hashable, Sendable, CustomStringConvertible {
    public var option: String
    public var message: String
    public init(option: String, _ message: String) {
        self.option = option
        self.message = message
    }
    public var description: String { "option '\(option)': \(message)" }
}

extension KeyedDecodingContainer {
    /// Decodes an optional key, falling back to a default: the one-liner every options type needs.
    public func value<T: Decodable>(_ key: Key, or fallback: @autoclosure () -> T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback()
    }
}
