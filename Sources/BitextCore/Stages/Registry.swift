/// What the registry knows of a stage or writer without making one.
public struct ComponentInfo: Sendable {
    public var id: StageID
    public var summary: String
    public var requires: Set<Layer>
    public var produces: Set<Layer>
    public var options: [OptionField]
}

/// Every stage and writer, by name: one explicit list (no reflection), as spaCy's
/// `register_factories()` and swift-format's rule registry do.
public struct Registry: Sendable {
    public struct Entry<Made>: Sendable {
        public var info: ComponentInfo
        /// Decodes the options from a decoder positioned on the `with:` mapping and makes the component.
        public var make: @Sendable (any Decoder) throws -> Made
    }

    public private(set) var stages: [StageID: Entry<any Stage>] = [:]
    public private(set) var writers: [StageID: Entry<any OutputWriter>] = [:]

    public init() {}

    public mutating func register<S: Stage>(_ type: S.Type) {
        precondition(stages[S.id] == nil, "stage \(S.id) registered twice")
        let info = ComponentInfo(id: S.id, summary: S.summary, requires: S.requires, produces: S.produces, options: S.Options.fields)
        stages[S.id] = Entry(info: info) { decoder in try S(options: S.Options(from: decoder)) }
    }

    public mutating func register<W: OutputWriter>(_ type: W.Type) {
        precondition(writers[W.name] == nil, "writer \(W.name) registered twice")
        let info = ComponentInfo(id: W.name, summary: W.summary, requires: W.requires, produces: [], options: W.Options.fields)
        writers[W.name] = Entry(info: info) { decoder in try W(options: W.Options(from: decoder)) }
    }

    /// Stage ids in a stable order, for listings and suggestions.
    public var stageIDs: [StageID] { stages.keys.sorted() }
    public var writerNames: [StageID] { writers.keys.sorted() }
}
