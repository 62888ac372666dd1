import BitextCore

/// Reads HTML inputs for the ingest stage.
enum HTMLDocumentReader {
    static func read(_ bytes: [UInt8], file: InputFile, context: StageContext) throws -> Document {
        throw InputError(file: file.path, stage: "ingest", "HTML input is not supported by this build")
    }
}
