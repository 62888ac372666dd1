import BitextCore

/// Plain-text files to documents: decoded text, no blocks yet (`segment.paragraphs` adds them).
public enum PlainTextIngest {
    public static func document(from bytes: [UInt8], file: InputFile) throws -> Document {
        let decoded = try TextDecoder.decode(bytes, file: file.path)
        let source = SourceFile(path: file.path, format: .text, encoding: decoded.encoding, byteCount: bytes.count)
        var document = Document(source: source, text: decoded.text, sourceOffsets: decoded.offsets)
        document.diagnostics = decoded.warnings
        return document
    }
}
