import BitextTestSupport
import Testing

@testable import BitextOutput

/// Escaping reads text eight bytes at a time where no byte needs it; these check it against
/// the byte-by-byte escaping it replaced, on generated text dense in what it must get right.
@Suite struct XMLEscapingTests {
    /// Pieces of the generated texts: markup characters, quotes, controls, CR/LF/tab, the
    /// non-characters U+FFFE and U+FFFF (EF BF BE/BF) and their neighbours, multi-byte text.
    static let pieces: [[UInt8]] = [
        Array("plain text ".utf8), Array("año".utf8), [0x26], [0x3C], [0x3E], [0x22], [0x27], [0x09], [0x0A], [0x0D], [0x00], [0x01], [0x1F],
        [0xEF, 0xBF, 0xBE], [0xEF, 0xBF, 0xBF], [0xEF, 0xBF, 0xBD], Array("€".utf8), Array("𝄞".utf8), Array("abcdefgh".utf8),
    ]

    static func text(_ random: inout SplitMix64) -> [UInt8] {
        (0..<random.below(24)).flatMap { _ in pieces[random.below(pieces.count)] }
    }

    /// The escaping as it was: every byte tested.
    static func reference(_ utf8: [UInt8], attribute: Bool) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < utf8.count {
            let b = utf8[i]
            switch b {
            case UInt8(ascii: "&"): out += "&amp;".utf8
            case UInt8(ascii: "<"): out += "&lt;".utf8
            case UInt8(ascii: ">"): out += "&gt;".utf8
            case UInt8(ascii: "\"") where attribute: out += "&quot;".utf8
            case 0x09 where attribute: out += "&#9;".utf8
            case 0x0A where attribute: out += "&#10;".utf8
            case 0x0D: out += "&#13;".utf8
            case 0x09, 0x0A: out.append(b)
            case 0..<0x20: out += "\u{FFFD}".utf8
            case 0xEF where i + 2 < utf8.count && utf8[i + 1] == 0xBF && (utf8[i + 2] == 0xBE || utf8[i + 2] == 0xBF):
                out += "\u{FFFD}".utf8
                i += 2
            default: out.append(b)
            }
            i += 1
        }
        return out
    }

    @Test(arguments: [false, true])
    func escapesAsTheByteLoopDid(attribute: Bool) {
        var random = SplitMix64(seed: attribute ? 77 : 78)
        for _ in 0..<2_000 {
            let text = Self.text(&random)
            var out: [UInt8] = [0x40]
            text.withUnsafeBufferPointer { buffer in
                if attribute { XMLEscaping.appendAttribute(String(decoding: buffer, as: UTF8.self), to: &out) } else {
                    XMLEscaping.appendText(utf8: ArraySlice(buffer), to: &out)
                }
            }
            // (An attribute is given as a String: invalid UTF-8 in the pieces is repaired first.)
            let given = attribute ? Array(String(decoding: text, as: UTF8.self).utf8) : text
            #expect(out == [0x40] + Self.reference(given, attribute: attribute), "\(text)")
        }
    }

    @Test func longRunsAndAnEscapeAtEveryOffset() {
        for offset in 0..<20 {
            let text = Array(repeating: UInt8(ascii: "x"), count: offset) + [UInt8(ascii: "<")] + Array(repeating: UInt8(ascii: "y"), count: 19 - offset)
            var out: [UInt8] = []
            XMLEscaping.appendText(utf8: ArraySlice(text), to: &out)
            #expect(out == Self.reference(text, attribute: false))
        }
    }
}
