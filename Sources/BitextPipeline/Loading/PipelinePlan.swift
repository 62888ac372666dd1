import BitextCore

/// A pipeline file decoded and checked: every stage and writer made with valid options,
/// every stage's needs met by an earlier one. Nothing has read an input yet.
public struct PipelinePlan: Sendable {
    public struct PlannedStage: Sendable {
        public var id: StageID
        public var stage: any Stage
        public var planner: (any BatchPlanning)? { stage as? any BatchPlanning }
    }
    public struct PlannedWriter: Sendable {
        public var name: StageID
        public var writer: any OutputWriter
        public var fileExtension: String
    }

    public var name: String
    /// The file the plan came from (for messages).
    public var file: String
    /// Inputs named in the file: paths, directories or glob patterns.
    public var inputs: [String]
    /// The output directory named in the file, if any.
    public var outputDirectory: String?
    public var stages: [PlannedStage]
    public var writers: [PlannedWriter]

    /// Layers available after all stages.
    public var produced: Set<Layer> { stages.reduce(into: Set<Layer>()) { $0.formUnion(type(of: $1.stage).produces) } }
}
