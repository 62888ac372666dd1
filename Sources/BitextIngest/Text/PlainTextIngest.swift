import BitextCore

/// Plain-text files to documents: decoded text, no blocks yet (`segment.paragraphs` adds them).
public enum PlainTextIngest {
    public static func document(from bytes: [UInt8], file: InputFile) throws -> Document {
        let decoded = try TextDecoder.decode(bytes, file: file.path)
        let source = SourceFile(path: file.path, format: .text, encoding: decoded.encoding, byteCount: bytes.count)
        var document = Document(source: source, text: decoded.text, sourceOffsets: decoded.offsets)
        document.diagnostics = decoded.warnings
        if !decoded.text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) {
            // Not an error (the batch may legitimately hold empty files), but never silent.
            document.diagnostics.append(
                Diagnostic(.warning, file: file.path, stage: "ingest", message: "empty file: no text to segment (\(bytes.count) bytes)"))
        }
        return document
    }
}
