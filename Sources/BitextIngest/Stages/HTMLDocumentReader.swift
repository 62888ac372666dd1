import BitextCore

/// Reads HTML inputs for the ingest stage.
enum HTMLDocumentReader {
    static func read(_ bytes: [UInt8], file: InputFile, context: StageContext) throws -> Document {
        // The ingest stage has already enforced its own `max_bytes`.
        try HTMLIngest.document(from: bytes, file: file, options: HTMLIngestOptions(maxBytes: Int.max))
    }
}
