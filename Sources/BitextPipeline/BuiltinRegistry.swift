import BitextAlign
import BitextCore
import BitextEntities
import BitextIndex
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
        registry.register(SegmentSentences.self)
        registry.register(AlignParagraphs.self)
        registry.register(AlignSentences.self)
        registry.register(ExtractEntities.self)
        registry.register(LinkEntities.self)
        // Writers
        registry.register(JSONDocumentWriter.self)
        registry.register(XMLDocumentWriter.self)
        registry.register(TMXWriter.self)
        registry.register(MosesWriter.self)
        registry.register(JSONLinesWriter.self)
        registry.register(BulkWriter.self)
        registry.register(XLIFFWriter.self)
        registry.register(ReviewWriter.self)
        registry.register(IndexWriter.self)
        return registry
    }()
}
