import BitextCore
import Foundation

/// What the head of an HTML file says about its language versions, found with a cheap byte
/// scan (no parser): `<html lang>` and `<link rel="alternate" hreflang=… href=…>`.
public struct HTMLLanguageLinks: Hashable, Sendable {
    public struct Alternate: Hashable, Sendable {
        public var language: LanguageCode
        public var href: String
    }
    /// The page's own language (`<html lang>`), primary subtag, lower-case.
    public var language: LanguageCode?
    public var alternates: [Alternate]
}

public enum HreflangSniffer {
    /// Only the head matters; real pages put their alternates in the first few KB.
    public static let scanLimit = 64 * 1024

    /// Reads at most `scanLimit` bytes of the file and scans them.
    public static func sniff(path: String) -> HTMLLanguageLinks? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: scanLimit) else { return nil }
        return sniff([UInt8](data))
    }

    /// Scans bytes for `<html …lang=…>` and `<link …>` tags.
    public static func sniff(_ bytes: [UInt8]) -> HTMLLanguageLinks {
        var result = HTMLLanguageLinks(language: nil, alternates: [])
        let n = min(bytes.count, scanLimit)
        var i = 0
        while i < n {
            guard bytes[i] == UInt8(ascii: "<") else { i += 1; continue }
            let nameStart = i + 1
            var nameEnd = nameStart
            while nameEnd < n, isNameByte(bytes[nameEnd]) { nameEnd += 1 }
            let name = lower(bytes[nameStart..<nameEnd])
            // The tag runs to the next '>' outside quotes.
            var end = nameEnd
            var quote: UInt8 = 0
            while end < n {
                let b = bytes[end]
                if quote != 0 {
                    if b == quote { quote = 0 }
                } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                    quote = b
                } else if b == UInt8(ascii: ">") {
                    break
                }
                end += 1
            }
            if name == "html" || name == "link" {
                let attributes = parseAttributes(bytes[nameEnd..<end])
                if name == "html", let lang = attributes["lang"] ?? attributes["xml:lang"], !lang.isEmpty {
                    result.language = primary(lang)
                }
                if name == "link", let rel = attributes["rel"], rel.lowercased().split(separator: " ").contains("alternate"),
                    let hreflang = attributes["hreflang"], let href = attributes["href"], !href.isEmpty,
                    hreflang.lowercased() != "x-default"
                {
                    result.alternates.append(.init(language: primary(hreflang), href: href))
                }
            }
            if name == "body" { break }  // alternates live in the head
            i = max(end, i + 1)
        }
        return result
    }

    static func primary(_ tag: String) -> LanguageCode {
        let lower = tag.lowercased().trimmingCharacters(in: .whitespaces)
        let end = lower.firstIndex(where: { $0 == "-" || $0 == "_" }) ?? lower.endIndex
        return LanguageCode(String(lower[..<end]))
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: ":")
            || b == UInt8(ascii: "-")
    }

    private static func lower(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// `name="value"`, `name='value'`, `name=value`, bare `name`; names lower-cased, entities
    /// `&amp;` decoded in values.
    static func parseAttributes(_ bytes: ArraySlice<UInt8>) -> [String: String] {
        var attributes: [String: String] = [:]
        var i = bytes.startIndex
        let end = bytes.endIndex
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == UInt8(ascii: "/") }
        while i < end {
            while i < end, isSpace(bytes[i]) { i += 1 }
            let nameStart = i
            while i < end, !isSpace(bytes[i]), bytes[i] != UInt8(ascii: "=") { i += 1 }
            guard i > nameStart else { i += 1; continue }
            let name = lower(bytes[nameStart..<i])
            while i < end, bytes[i] == 0x20 { i += 1 }
            var value = ""
            if i < end, bytes[i] == UInt8(ascii: "=") {
                i += 1
                while i < end, bytes[i] == 0x20 { i += 1 }
                if i < end, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") {
                    let quote = bytes[i]
                    let valueStart = i + 1
                    i = valueStart
                    while i < end, bytes[i] != quote { i += 1 }
                    value = String(decoding: bytes[valueStart..<min(i, end)], as: UTF8.self)
                    i += 1
                } else {
                    let valueStart = i
                    while i < end, !isSpace(bytes[i]) || bytes[i] == UInt8(ascii: "/") { i += 1 }
                    value = String(decoding: bytes[valueStart..<i], as: UTF8.self)
                }
            }
            if attributes[name] == nil { attributes[name] = value.replacingOccurrences(of: "&amp;", with: "&") }
        }
        return attributes
    }
}
