import BitextCore
import BitextIndex
import BitextIngest
import BitextOutput

extension Registry {
    /// Every built-in stage and writer. One line each; keep the order of a pipeline.
    public static let builtIn: Registry = {
        var registry = Registry()
        // Stages
        registry.register(Ingest.self)
        registry.register(SegmentParagraphs.self)
        // Writers
        registry.register(JSONDocumentWriter.self)
        registry.register(XMLDocumentWriter.self)
        registry.register(JSONLinesWriter.self)
        registry.register(BulkWriter.self)
        registry.register(XLIFFWriter.self)
        registry.register(ReviewWriter.self)
        registry.register(IndexWriter.self)
        return registry
    }()
}
