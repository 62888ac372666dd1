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
        if !hasVisibleText(decoded.text) {
            // Not an error (the batch may legitimately hold empty files), but never silent.
            document.diagnostics.append(
                Diagnostic(.warning, file: file.path, stage: "ingest", message: "empty file: no text to segment (\(byteCount) bytes)"))
        }
        return document
    }

    /// Whether the text has a scalar that is not white space. Decided on the bytes while they
    /// are ASCII (almost always at the first one): a scalar's Unicode properties are a table
    /// search, and this runs once per file.
    static func hasVisibleText(_ text: String) -> Bool {
        for (offset, byte) in text.utf8.enumerated() {
            if byte >= 0x80 {
                let rest = text.utf8.index(text.utf8.startIndex, offsetBy: offset)
                return text.unicodeScalars[rest...].contains { !$0.properties.isWhitespace }
            }
            // U+0009–U+000D and U+0020 are the ASCII white space.
            if byte != 0x20 && !(0x09...0x0D).contains(byte) { return true }
        }
        return false
    }
}
