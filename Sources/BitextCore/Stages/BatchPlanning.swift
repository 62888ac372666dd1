/// How a batch's inputs are grouped into work units, and what was noticed on the way
/// (unpaired documents, ambiguous matches).
public struct BatchPlan: Sendable {
    /// Each unit's inputs: one file, or the English and Spanish versions of a document.
    public var units: [[InputFile]]
    /// Warnings for the summary: unpaired files, ambiguous candidates.
    public var notes: [Diagnostic]
    public init(units: [[InputFile]], notes: [Diagnostic] = []) {
        self.units = units
        self.notes = notes
    }
}

/// A stage that also decides, before anything is read, which inputs belong together
/// (`pair.documents`). The runner asks the first such stage of a pipeline for the plan;
/// without one, every input is a unit of its own.
public protocol BatchPlanning: Sendable {
    func plan(_ inputs: [InputFile]) -> BatchPlan
}
