import Foundation

/// The character encoding a page declares about itself.
///
/// Looks where browsers look before parsing: the XML declaration of XHTML pages, then
/// `<meta charset>` and `<meta http-equiv="Content-Type" content="…; charset=…">` in the
/// first 8 KiB (browsers stop at 1 KiB; real pages often put scripts first). A
/// declaration is only a hint: `TextDecoder` trusts valid UTF-8 over it, because pages
/// that declare ISO-8859-1 but are saved as UTF-8 (and the reverse) are common.
enum HTMLCharset {
    static let prescanLength = 8192

    static func declared(in bytes: [UInt8]) -> String? {
        let head = asciiLowercased(bytes.prefix(prescanLength))
        if head.starts(with: Array("<?xml".utf8)), let end = find(Array("?>".utf8), in: head, from: 0),
            let value = value(after: Array("encoding".utf8), in: head[0..<end])
        {
            return value
        }
        var position = 0
        while let meta = find(Array("<meta".utf8), in: head, from: position) {
            let end = find([UInt8(ascii: ">")], in: head, from: meta) ?? head.count
            if let value = value(after: Array("charset".utf8), in: head[meta..<end]) { return value }
            position = end
        }
        return nil
    }

    /// `bytes` with ASCII capitals made small, eight bytes at a time (a byte loop here was
    /// 0.5% of a run on real pages).
    static func asciiLowercased(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        bytes.withUnsafeBufferPointer { source in
            [UInt8](unsafeUninitializedCapacity: source.count) { folded, initialized in
                guard let from = source.baseAddress, let to = folded.baseAddress else { return }
                let raw = UnsafeMutableRawPointer(to)
                var i = 0
                while i + 8 <= source.count {
                    let word = UnsafeRawPointer(from + i).loadUnaligned(as: UInt64.self)
                    raw.storeBytes(of: word | WordBytes(word).asciiCapitals >> 2, toByteOffset: i, as: UInt64.self)
                    i += 8
                }
                while i < source.count {
                    let b = from[i]
                    to[i] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
                    i += 1
                }
                initialized = source.count
            }
        }
    }

    /// The value after `name`, optional spaces, `=`, optional spaces and an optional quote.
    private static func value(after name: [UInt8], in slice: ArraySlice<UInt8>) -> String? {
        var from = slice.startIndex
        while let found = find(name, in: slice, from: from) {
            var i = found + name.count
            from = i
            while i < slice.endIndex, slice[i] == 0x20 || slice[i] == 0x09 || slice[i] == 0x0A || slice[i] == 0x0D { i += 1 }
            guard i < slice.endIndex, slice[i] == UInt8(ascii: "=") else { continue }
            i += 1
            while i < slice.endIndex, slice[i] == 0x20 || slice[i] == 0x09 || slice[i] == 0x0A || slice[i] == 0x0D || slice[i] == 0x22 || slice[i] == 0x27 {
                i += 1
            }
            var j = i
            while j < slice.endIndex,
                let c = Optional(slice[j]),
                (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == 0x2D || c == 0x5F || c == 0x2E || c == 0x3A
            {
                j += 1
            }
            if j > i { return String(decoding: slice[i..<j], as: UTF8.self) }
        }
        return nil
    }

    private static func find<C: RandomAccessCollection>(_ needle: [UInt8], in haystack: C, from: Int) -> Int?
    where C.Element == UInt8, C.Index == Int {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        let first = max(from, haystack.startIndex)
        let last = haystack.endIndex - needle.count
        guard first <= last else { return nil }
        // memchr for the first byte, memcmp for the rest: this runs on the head of every page.
        let found: Int?? = haystack.withContiguousStorageIfAvailable { buffer in
            guard let base = buffer.baseAddress else { return nil }
            var i = first - haystack.startIndex
            let lastOffset = last - haystack.startIndex
            while i <= lastOffset {
                guard let hit = memchr(base + i, Int32(needle[0]), lastOffset - i + 1) else { return nil }
                let j = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if needle.count == 1 || memcmp(base + j, needle, needle.count) == 0 { return j + haystack.startIndex }
                i = j + 1
            }
            return nil
        }
        if let found { return found }
        var i = first
        while i <= last {
            if haystack[i] == needle[0] {
                var k = 1
                while k < needle.count && haystack[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// Canonical label for comparing a declaration with what the bytes turned out to be.
    static func family(_ label: String) -> String {
        // ASCII case folding and `_` → `-`, byte by byte (labels are ASCII; others pass through).
        var folded = label
        if label.utf8.contains(where: { ($0 >= 0x41 && $0 <= 0x5A) || $0 == 0x5F || $0 >= 0x80 }) {
            folded = label.utf8.contains(where: { $0 >= 0x80 })
                ? label.lowercased().replacingOccurrences(of: "_", with: "-")
                : String(decoding: label.utf8.map { $0 == 0x5F ? 0x2D : ($0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0) }, as: UTF8.self)
        }
        return switch folded {
        case "utf-8", "utf8", "unicode-1-1-utf-8": "utf-8"
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "windows-1252", "cp1252", "us-ascii", "ascii",
            "iso-8859-15", "iso8859-15", "latin-9":
            "windows-1252"
        case "utf-16", "utf-16le", "utf-16be": "utf-16"
        case let other: other
        }
    }
}
