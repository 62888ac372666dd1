/// Escaping for XML 1.0 text and attribute values, byte by byte.
///
/// `&`, `<`, `>` always; quotes in attributes; tab/newline/CR in attributes as character
/// references (so they survive attribute normalization). Characters XML 1.0 cannot carry at
/// all (C0 controls other than tab, LF, CR; U+FFFE, U+FFFF) are replaced with U+FFFD.
/// Characters outside the BMP are written as they are, in UTF-8.
public enum XMLEscaping {
    public static func appendText(_ string: String, to out: inout [UInt8]) { append(string, attribute: false, to: &out) }
    public static func appendAttribute(_ string: String, to out: inout [UInt8]) { append(string, attribute: true, to: &out) }

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

    private static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    private static func append(_ string: String, attribute: Bool, to out: inout [UInt8]) {
        let utf8 = Array(string.utf8)
        var i = 0
        while i < utf8.count {
            let b = utf8[i]
            switch b {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\"") where attribute: out.append(contentsOf: "&quot;".utf8)
            case 0x09 where attribute: out.append(contentsOf: "&#9;".utf8)
            case 0x0A where attribute: out.append(contentsOf: "&#10;".utf8)
            case 0x0D: out.append(contentsOf: "&#13;".utf8)
            case 0x09, 0x0A: out.append(b)
            case 0..<0x20: out.append(contentsOf: replacement)
            case 0xEF where i + 2 < utf8.count && utf8[i + 1] == 0xBF && (utf8[i + 2] == 0xBE || utf8[i + 2] == 0xBF):
                out.append(contentsOf: replacement)
                i += 2
            default: out.append(b)
            }
            i += 1
        }
    }
}
