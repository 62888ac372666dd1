/// A warning or error about one input, with where it happened.
public struct Diagnostic: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Severity: String, Hashable, Sendable, Codable { case warning, error }

    public var severity: Severity
    public var file: String
    /// Line and column in the source, when known.
    public var position: SourcePosition?
    /// Byte offset in the source, when known (decoding errors).
    public var byteOffset: Int?
    /// The stage that reported it.
    public var stage: String?
    public var message: String

    public init(
        _ severity: Severity, file: String, position: SourcePosition? = nil, byteOffset: Int? = nil,
        stage: String? = nil, message: String
    ) {
        self.severity = severity
        self.file = file
        self.position = position
        self.byteOffset = byteOffset
        self.stage = stage
        self.message = message
    }

    /// `FILE:LINE:COLUMN: severity: message`, or `FILE: byte N: …` — the form compilers use,
    /// so that editors and scripts can jump to it.
    public var description: String {
        var where_ = file
        if let position { where_ += ":\(position.line):\(position.column)" }
        var text = "\(where_): \(severity.rawValue): "
        if let byteOffset, position == nil { text += "at byte \(byteOffset): " }
        if let stage { text += "[\(stage)] " }
        return text + message
    }
}

/// An error that stops the processing of one input (the rest of the batch goes on).
public struct InputError: Error, Hashable, Sendable, CustomStringConvertible {
    public var diagnostic: Diagnostic
    public init(_ diagnostic: Diagnostic) { self.diagnostic = diagnostic }
    public init(file: String, position: SourcePosition? = nil, byteOffset: Int? = nil, stage: String? = nil, _ message: String) {
        diagnostic = Diagnostic(.error, file: file, position: position, byteOffset: byteOffset, stage: stage, message: message)
    }
    public var description: String { diagnostic.description }
}
