/// Escaping for XML 1.0 text and attribute values, byte by byte.
///
/// `&`, `<`, `>` always; quotes in attributes; tab/newline/CR in attributes as character
/// references (so they survive attribute normalization). Characters XML 1.0 cannot carry at
/// all (C0 controls other than tab, LF, CR; U+FFFE, U+FFFF) are replaced with U+FFFD.
/// Characters outside the BMP are written as they are, in UTF-8.
public enum XMLEscaping {
    public static func appendText(_ string: String, to out: inout [UInt8]) { append(string, attribute: false, to: &out) }
    public static func appendAttribute(_ string: String, to out: inout [UInt8]) { append(string, attribute: true, to: &out) }

    /// Text given as UTF-8 bytes (a slice of a larger text: no string is made of it).
    public static func appendText(utf8: ArraySlice<UInt8>, to out: inout [UInt8]) {
        utf8.withUnsafeBufferPointer { append($0, attribute: false, to: &out) }
    }

    public static func text(_ string: String) -> String {
        var out: [UInt8] = []
        appendText(string, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public static func attribute(_ string: String) -> String {
        var out: [UInt8] = []
        appendAttribute(string, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func append(_ string: String, attribute: Bool, to out: inout [UInt8]) {
        var string = string
        string.withUTF8 { append($0, attribute: attribute, to: &out) }
    }

    private static func append(_ utf8: UnsafeBufferPointer<UInt8>, attribute: Bool, to out: inout [UInt8]) {
        // The runs between characters that change are copied whole (byte by byte appends
        // were most of the XML writer's own time).
        var runStart = 0
        var i = 0
        while i < utf8.count {
            if utf8.count - i >= 8 {
                // Eight bytes none of which is escaped, replaced or looked at (`"` and the
                // controls are only in attributes, 0xEF only before BF BE/BF, but a word
                // holding one goes to the byte loop either way).
                if ByteWords.isPlainMarkupText(ByteWords.load(utf8, at: i), below: 0x20, extra: 0xEF) {
                    i += 8
                    continue
                }
            }
            let b = utf8[i]
            let escaped: StaticString
            var width = 1
            switch b {
            case UInt8(ascii: "&"): escaped = "&amp;"
            case UInt8(ascii: "<"): escaped = "&lt;"
            case UInt8(ascii: ">"): escaped = "&gt;"
            case UInt8(ascii: "\"") where attribute: escaped = "&quot;"
            case 0x09 where attribute: escaped = "&#9;"
            case 0x0A where attribute: escaped = "&#10;"
            case 0x0D: escaped = "&#13;"
            case 0x09, 0x0A:
                i += 1
                continue
            case 0..<0x20: escaped = "\u{FFFD}"
            case 0xEF where i + 2 < utf8.count && utf8[i + 1] == 0xBF && (utf8[i + 2] == 0xBE || utf8[i + 2] == 0xBF):
                escaped = "\u{FFFD}"
                width = 3
            default:
                i += 1
                continue
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
            escaped.withUTF8Buffer { out.append(contentsOf: $0) }
            i += width
            runStart = i
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
    }
}
