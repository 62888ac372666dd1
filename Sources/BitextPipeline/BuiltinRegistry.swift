import BitextCore

extension Registry {
    /// Every built-in stage and writer. One line each; keep the order of a pipeline.
    public static let builtIn: Registry = {
        var registry = Registry()
        // Stages
        // Writers
        return registry
    }()
}
