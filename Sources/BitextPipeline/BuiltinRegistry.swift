import BitextCore
import BitextIngest
import BitextLanguage
import BitextOutput

extension Registry {
    /// Every built-in stage and writer. One line each; keep the order of a pipeline.
    public static let builtIn: Registry = {
        var registry = Registry()
        // Stages
        registry.register(Ingest.self)
        registry.register(SegmentParagraphs.self)
        registry.register(IdentifyLanguage.self)
        registry.register(PairDocuments.self)
        // Writers
        registry.register(JSONDocumentWriter.self)
        registry.register(XMLDocumentWriter.self)
        return registry
    }()
}
