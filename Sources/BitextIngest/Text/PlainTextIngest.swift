import BitextCore

/// Plain-text files to documents: decoded text, no blocks yet (`segment.paragraphs` adds them).
public enum PlainTextIngest {
    public static func document(from bytes: [UInt8], file: InputFile) throws -> Document {
        document(try TextDecoder.decode(bytes, file: file.path), byteCount: bytes.count, file: file)
    }

    /// The document of a file whose bytes were read straight into `text` and found to need no
    /// decoding (`TextDecoder.startsLikeCleanText`, `TextDecoder.cleanPrefixEnd`): the same
    /// document as `document(from:file:)` makes of those bytes, without copying them.
    public static func document(fromCleanText text: String, file: InputFile) -> Document {
        document(TextDecoder.decodeClean(text), byteCount: text.utf8.count, file: file)
    }

    private static func document(_ decoded: DecodedText, byteCount: Int, file: InputFile) -> Document {
        let source = SourceFile(path: file.path, format: .text, encoding: decoded.encoding, byteCount: byteCount)
        var document = Document(source: source, text: decoded.text, sourceOffsets: decoded.offsets)
        document.diagnostics = decoded.warnings
        if !decoded.text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) {
            // Not an error (the batch may legitimately hold empty files), but never silent.
            document.diagnostics.append(
                Diagnostic(.warning, file: file.path, stage: "ingest", message: "empty file: no text to segment (\(byteCount) bytes)"))
        }
        return document
    }
}
