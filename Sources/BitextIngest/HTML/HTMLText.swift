/// Small text helpers for the HTML reader that avoid Foundation's `NSString` paths.
enum HTMLText {
    /// The same result as `trimmingCharacters(in: .whitespacesAndNewlines)`: Unicode
    /// space separators (Zs), tab, U+200B (as Foundation counts it), and the newlines
    /// U+000A–U+000D, U+0085, U+2028, U+2029
    /// removed from both ends, scalar by scalar.
    static func trimmingWhitespace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isWhitespaceOrNewline($0) }),
            let last = scalars.lastIndex(where: { !isWhitespaceOrNewline($0) })
        else { return "" }
        if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return text }
        return String(scalars[first...last])
    }

    static func isWhitespaceOrNewline(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// `Int(value.trimmingCharacters(in: .whitespaces))` (`colspan`, `start`, `value`), with
    /// ASCII values trimmed of spaces and tabs without Foundation: the LibreOffice help
    /// pages say `colspan=""` and `rowspan=""` on 13,654 cells, and Foundation's trimming was
    /// 0.4% of a run.
    static func integer(_ value: String) -> Int? {
        let utf8 = value.utf8
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return Int(value.trimmingCharacters(in: .whitespaces)) }
        guard let first = utf8.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }),
            let last = utf8.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })
        else { return nil }
        return Int(value[first...last])
    }

    /// `String(decoding: bytes, as: UTF8.self).count` for the block texts the reader builds
    /// (no CR): ASCII text has one character per byte, so the grapheme walk is skipped.
    static func characterCount(_ bytes: [UInt8]) -> Int {
        if !bytes.contains(where: { $0 >= 0x80 || $0 == 0x0D }) { return bytes.count }
        return String(decoding: bytes, as: UTF8.self).count
    }
}
