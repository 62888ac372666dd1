import BitextCore
import Foundation

/// Decoded text ready for a `Document`: UTF-8, NFC, LF line ends, no stray control characters.
public struct DecodedText: Sendable {
    public var text: String
    /// The encoding the bytes were read as: `utf-8`, `utf-16le`, `utf-16be`, `windows-1252`,
    /// or `utf-8+windows-1252` for a UTF-8 file with some legacy bytes in it.
    public var encoding: String
    public var offsets: OffsetMap
    public var warnings: [Diagnostic]
}

/// Turns a file's bytes into clean text, or explains precisely why it cannot.
///
/// Order of evidence: a byte-order mark; binary signatures; then UTF-8 validity, with any
/// invalid bytes read as Windows-1252 (so a mostly-UTF-8 file with a few legacy bytes loses
/// nothing, and the warning says where they are). A declared encoding (from HTML) is a
/// hint used only when the bytes are not valid UTF-8.
public enum TextDecoder {
    public static func decode(_ bytes: [UInt8], file: String, declaredEncoding: String? = nil) throws -> DecodedText {
        try decode(bytes, file: file, declaredEncoding: declaredEncoding, shortcuts: true)
    }

    /// `shortcuts: false` decodes as before the shortcuts were added (after the clean prefix,
    /// byte by byte; every flagged line through Foundation's NFC), for tests that compare
    /// the two.
    static func decode(_ bytes: [UInt8], file: String, declaredEncoding: String?, shortcuts: Bool) throws -> DecodedText {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return try decodeUTF8(bytes, from: 3, file: file, declaredEncoding: nil, shortcuts: shortcuts)
        }
        if bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) || bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) {
            throw InputError(file: file, byteOffset: 0, "UTF-32 text is not supported; convert it to UTF-8")
        }
        if bytes.starts(with: [0xFF, 0xFE]) { return try decodeUTF16(bytes, bigEndian: false, file: file, shortcuts: shortcuts) }
        if bytes.starts(with: [0xFE, 0xFF]) { return try decodeUTF16(bytes, bigEndian: true, file: file, shortcuts: shortcuts) }
        if let reason = bytes.withUnsafeBufferPointer({ binarySignature($0) }) {
            throw InputError(file: file, byteOffset: reason.offset, "binary file (\(reason.what)), not text")
        }
        return try decodeUTF8(bytes, from: 0, file: file, declaredEncoding: declaredEncoding, shortcuts: shortcuts)
    }

    /// What `decode` makes of bytes that it copies unchanged (see `cleanPrefixEnd`): for a
    /// reader that put a file's bytes straight into a `String`, so that a clean file (most
    /// are) is neither copied nor validated a second time.
    public static func decodeClean(_ text: String) -> DecodedText {
        var offsets = OffsetMap(checkpoints: [])
        offsets.add(text: 0, source: 0)
        return DecodedText(text: text, encoding: "utf-8", offsets: offsets, warnings: [])
    }

    /// Whether `decode` would return `bytes` unchanged as UTF-8 text: no byte-order mark, no
    /// binary signature, and `cleanPrefixEnd` reaches the end. A reader can check the bytes
    /// piecewise with `cleanPrefixEnd` as they arrive and this once for the head.
    public static func startsLikeCleanText(_ head: UnsafeBufferPointer<UInt8>) -> Bool {
        // A BOM is never clean (U+FEFF is in the NFC-check range), and neither is UTF-16's.
        binarySignature(head) == nil
    }

    /// The text of bytes that `decode` would return unchanged (`startsLikeCleanText`, and
    /// `cleanPrefixEnd` reaches the end), made without the standard library's UTF-8 check:
    /// those two have read every byte already (the check was 3.8% of a run on 100 MB of
    /// plain text). Nil for any other bytes, which are decoded as usual.
    public static func cleanString(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard startsLikeCleanText(bytes) else { return nil }
        guard bytes.count >= Prefault.minimumRegion else {
            guard cleanPrefixEnd(bytes, from: 0) == bytes.count else { return nil }
            return cleanPiece(bytes)
        }
        // Large text is checked and copied a piece at a time, each copied while the check has
        // it in the cache, into a string made resident at once (`Prefault`): copied whole,
        // its fresh pages each trapped on first write (25,000 for 100 MB).
        var text = String()
        text.reserveCapacity(bytes.count)
        var start = 0
        while start < bytes.count {
            let end = min(start + cleanStringPiece, bytes.count)
            let cleanEnd = cleanPrefixEnd(UnsafeBufferPointer(rebasing: bytes[..<end]), from: start)
            // A sequence cut by the end of the piece (it stops before it) goes with the next one.
            guard cleanEnd == end || (end < bytes.count && cleanEnd + 4 > end) else { return nil }
            text.append(cleanPiece(UnsafeBufferPointer(rebasing: bytes[start..<cleanEnd])))
            if start == 0 { Prefault.populateReserve(of: &text, upTo: bytes.count) }
            start = cleanEnd
        }
        return text
    }

    /// Appends to `text` the longest prefix of `bytes` that `cleanPrefixEnd` passes, without
    /// the standard library's UTF-8 check, and returns its length: for a reader that checks a
    /// file piece by piece as it arrives (the head is the caller's to check, `startsLikeCleanText`).
    public static func appendCleanPrefix(of bytes: UnsafeBufferPointer<UInt8>, to text: inout String) -> Int {
        let end = cleanPrefixEnd(bytes, from: 0)
        if end > 0 { text.append(cleanPiece(UnsafeBufferPointer(rebasing: bytes[..<end]))) }
        return end
    }

    /// Bytes checked and copied at a time by `cleanString` (within the second-level cache).
    static let cleanStringPiece = 1 << 18

    /// A string of bytes `cleanPrefixEnd` has passed whole. It keeps the standard library's
    /// ASCII fast paths when it is all ASCII (the search stops at the first other byte, near
    /// the start of most texts).
    private static func cleanPiece(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        TextBuilder.string(ofValidUTF8: bytes.span, isKnownASCII: isASCII(bytes))
    }

    /// Whether every byte is below 0x80, eight at a time; stops at the first word with one that is not.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var i = 0
        while i + 8 <= bytes.count {
            if WordBytes(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)).nonASCII != 0 { return false }
            i += 8
        }
        return bytes[i...].allSatisfy { $0 < 0x80 }
    }

    /// Magic numbers of files that are clearly not text, and what they are. (Made once: made
    /// per call, nine arrays were allocated for every input read.)
    private static let binaryMagics: [(magic: [UInt8], what: String)] = [
        ([0x25, 0x50, 0x44, 0x46, 0x2D], "PDF"), ([0x89, 0x50, 0x4E, 0x47], "PNG image"),
        ([0x50, 0x4B, 0x03, 0x04], "ZIP archive"), ([0x1F, 0x8B], "gzip data"),
        ([0x7F, 0x45, 0x4C, 0x46], "ELF executable"), ([0xFF, 0xD8, 0xFF], "JPEG image"),
        ([0x47, 0x49, 0x46, 0x38], "GIF image"), ([0xD0, 0xCF, 0x11, 0xE0], "OLE2 document"),
    ]

    /// Bytes at the start of a file searched for NUL and control bytes.
    static let binaryScanLength = 8192

    /// Recognizes files that are clearly not text: well-known magic numbers, or many NUL and
    /// control bytes near the start. Returns what it found and where. Reads the bytes in
    /// place (the clean-text reader copied its head into a new array for this).
    static func binarySignature(_ bytes: UnsafeBufferPointer<UInt8>) -> (what: String, offset: Int)? {
        for (magic, what) in binaryMagics where bytes.starts(with: magic) { return (what, 0) }
        let head = UnsafeBufferPointer(rebasing: bytes.prefix(binaryScanLength))
        var controls = 0
        var firstNUL: Int?
        func count(at i: Int) {
            let b = head[i]
            guard b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C else { return }
            controls += 1
            if b == 0, firstNUL == nil { firstNUL = i }
        }
        // Eight bytes at a time: a word with no byte to count (text: all of them) is skipped.
        var i = 0
        while i + 8 <= head.count {
            let word = WordBytes(UnsafeRawPointer(head.baseAddress! + i).loadUnaligned(as: UInt64.self))
            if word.controls & ~(word.equal(0x09) | word.equal(0x0A) | word.equal(0x0C) | word.equal(0x0D)) != 0 {
                for j in i..<(i + 8) { count(at: j) }
            }
            i += 8
        }
        while i < head.count {
            count(at: i)
            i += 1
        }
        // UTF-16 without a BOM is NUL-heavy too; it is rare enough to report as binary with a hint.
        if let firstNUL, controls >= 8, controls * 10 > head.count {
            return ("\(controls) NUL or control bytes in the first \(head.count); UTF-16 needs a byte-order mark", firstNUL)
        }
        return nil
    }

    // MARK: UTF-8 (with Windows-1252 fallback per invalid byte)

    private static func decodeUTF8(_ bytes: [UInt8], from start: Int, file: String, declaredEncoding: String?, shortcuts: Bool) throws -> DecodedText {
        // Most files are clean UTF-8 (LF line ends, no control characters, nothing NFC would
        // change): their text is their bytes, copied once, with no per-byte building.
        let cleanEnd = bytes.withUnsafeBufferPointer { cleanPrefixEnd($0, from: start) }
        if cleanEnd == bytes.count {
            var offsets = OffsetMap(checkpoints: [])
            offsets.add(text: 0, source: start)
            let text = TextBuilder.string(ofValidUTF8: bytes.span.extracting(start...))
            return DecodedText(text: text, encoding: "utf-8", offsets: offsets, warnings: [])
        }
        var builder = TextBuilder(file: file, capacity: bytes.count)
        builder.trustsNFCQuickCheck = shortcuts
        builder.offsets.add(text: 0, source: start)
        let legacyFirst = declaredEncoding.map(isSingleByteLegacy) ?? false && !isValidUTF8(bytes[start...])
        var invalidCount = 0
        var firstInvalid: Int?
        // Only whether there is one matters: it tells mixed UTF-8 from plain Windows-1252.
        var sawValidMultibyte = false
        var i = start
        let n = bytes.count
        if !legacyFirst && cleanEnd > start {
            // The clean prefix is copied as it is (see `cleanPrefixEnd`).
            builder.appendCleanRun(bytes[start..<cleanEnd])
            sawValidMultibyte = bytes[start..<cleanEnd].contains { $0 >= 0xC0 }
            i = cleanEnd
        }
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                // After a character that needed a look (an emoji in a page's search box, a
                // CR), what follows is copied in clean runs again, not byte by byte. Tried at
                // ASCII bytes only: in text that is all non-Latin letters no run would start.
                if shortcuts && !legacyFirst && b != 0x0D && !builder.awaitsLineFeed {
                    let runEnd = bytes.withUnsafeBufferPointer { cleanPrefixEnd($0, from: i) }
                    if runEnd > i {
                        builder.appendCleanRun(bytes[i..<runEnd])
                        if !sawValidMultibyte { sawValidMultibyte = bytes[i..<runEnd].contains { $0 >= 0xC0 } }
                        i = runEnd
                        continue
                    }
                }
                builder.appendASCII(b, at: i)
                i += 1
                continue
            }
            let length = legacyFirst ? 0 : utf8SequenceLength(bytes, at: i)
            if length > 0 {
                builder.appendUTF8(bytes[i..<(i + length)], at: i)
                sawValidMultibyte = true
                i += length
            } else {
                invalidCount += 1
                if firstInvalid == nil { firstInvalid = i }
                builder.appendScalar(Windows1252.scalar(b), at: i, sourceLength: 1)
                i += 1
            }
        }
        var encoding = "utf-8"
        if invalidCount > 0 {
            if !sawValidMultibyte || legacyFirst {
                encoding = "windows-1252"
            } else {
                encoding = "utf-8+windows-1252"
                builder.warn(
                    byteOffset: firstInvalid,
                    "mixed encodings: \(invalidCount) byte(s) are not valid UTF-8 and were read as Windows-1252 (first at byte \(firstInvalid ?? 0))"
                )
            }
        }
        return builder.finish(encoding: encoding)
    }

    /// The end of the longest prefix from `start` that decoding would copy unchanged: printable
    /// ASCII, tabs and line feeds, and well-formed UTF-8 sequences that are neither C1
    /// controls nor characters NFC could change (see `TextBuilder.needsNFCCheck`). Eight
    /// ASCII bytes are checked at a time.
    public static func cleanPrefixEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let n = bytes.count
        guard let base = bytes.baseAddress else { return start }
        var i = start
        while i < n {
            if i + 8 <= n {
                let word = WordBytes(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                // Bytes that are neither printable ASCII nor a line feed or tab: non-ASCII,
                // other controls, DEL. Each test is exact per byte (`WordBytes`), so a word whose
                // only odd bytes are line feeds and tabs is skipped whole, and the lowest flag
                // is the first byte to look at.
                let special = word.nonASCII | (word.controls & ~word.equal(0x0A) & ~word.equal(0x09)) | word.equal(0x7F)
                if special == 0 {
                    i += 8
                    continue
                }
                i += special.trailingZeroBitCount / 8
            }
            let b = bytes[i]
            if b < 0x80 {
                guard (b >= 0x20 && b < 0x7F) || b == 0x0A || b == 0x09 else { return i }
                i += 1
                continue
            }
            let length = utf8SequenceLength(bytes, at: i)
            guard length > 0, !(b == 0xC2 && bytes[i + 1] < 0xA0), !TextBuilder.needsNFCCheck(bytes[i..<(i + length)]) else { return i }
            i += length
        }
        return n
    }

    private static let singleByteLegacyNames: Set<String> = [
        "iso-8859-1", "iso8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "iso-8859-15", "us-ascii",
    ]

    static func isSingleByteLegacy(_ name: String) -> Bool {
        // Labels are ASCII (HTMLCharset reads no other bytes): folded byte by byte, without
        // Foundation, which cost 0.6% of a run on real pages. Anything else as before.
        guard name.utf8.allSatisfy({ $0 < 0x80 }) else {
            return singleByteLegacyNames.contains(name.lowercased().replacingOccurrences(of: "_", with: "-"))
        }
        let folded = String(decoding: name.utf8.map { $0 == 0x5F ? 0x2D : ($0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0) }, as: UTF8.self)
        return singleByteLegacyNames.contains(folded)
    }

    static func isValidUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] < 0x80 {
                i += 1
                continue
            }
            let length = utf8SequenceLength(bytes, at: i)
            if length == 0 { return false }
            i += length
        }
        return true
    }

    /// Length of the well-formed UTF-8 sequence at `i` (2–4), or 0 if it is not one
    /// (overlongs, surrogates and values above U+10FFFF are not well-formed).
    @inline(__always)
    static func utf8SequenceLength<C: RandomAccessCollection>(_ bytes: C, at i: C.Index) -> Int where C.Element == UInt8, C.Index == Int {
        let b0 = bytes[i]
        let end = bytes.endIndex
        @inline(__always) func cont(_ k: Int) -> Bool { i + k < end && bytes[i + k] & 0xC0 == 0x80 }
        switch b0 {
        case 0xC2...0xDF:
            return cont(1) ? 2 : 0
        case 0xE0:
            return cont(1) && bytes[i + 1] >= 0xA0 && cont(2) ? 3 : 0
        case 0xED:
            return cont(1) && bytes[i + 1] < 0xA0 && cont(2) ? 3 : 0
        case 0xE1...0xEF:
            return cont(1) && cont(2) ? 3 : 0
        case 0xF0:
            return cont(1) && bytes[i + 1] >= 0x90 && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3:
            return cont(1) && cont(2) && cont(3) ? 4 : 0
        case 0xF4:
            return cont(1) && bytes[i + 1] < 0x90 && cont(2) && cont(3) ? 4 : 0
        default:
            return 0
        }
    }

    // MARK: UTF-16

    private static func decodeUTF16(_ bytes: [UInt8], bigEndian: Bool, file: String, shortcuts: Bool) throws -> DecodedText {
        var builder = TextBuilder(file: file, capacity: bytes.count)
        builder.trustsNFCQuickCheck = shortcuts
        if (bytes.count - 2) % 2 != 0 {
            throw InputError(file: file, byteOffset: bytes.count - 1, "truncated UTF-16: odd number of bytes")
        }
        @inline(__always) func unit(_ i: Int) -> UInt32 {
            bigEndian ? UInt32(bytes[i]) << 8 | UInt32(bytes[i + 1]) : UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i])
        }
        var i = 2
        while i < bytes.count {
            let u = unit(i)
            if u >= 0xD800 && u <= 0xDBFF {
                guard i + 3 < bytes.count else {
                    throw InputError(file: file, byteOffset: i, "invalid UTF-16: unpaired high surrogate")
                }
                let low = unit(i + 2)
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw InputError(file: file, byteOffset: i, "invalid UTF-16: unpaired high surrogate")
                }
                builder.appendScalar(0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00), at: i, sourceLength: 4)
                i += 4
            } else if u >= 0xDC00 && u <= 0xDFFF {
                throw InputError(file: file, byteOffset: i, "invalid UTF-16: unpaired low surrogate")
            } else {
                builder.appendScalar(u, at: i, sourceLength: 2)
                i += 2
            }
        }
        return builder.finish(encoding: bigEndian ? "utf-16be" : "utf-16le")
    }
}

/// Accumulates clean UTF-8 text line by line: normalizes line ends, drops control
/// characters (with one warning saying how many and where the first was), NFC-normalizes
/// lines that need it, and records offset checkpoints back to the source.
struct TextBuilder {
    let file: String
    var bytes: [UInt8] = []
    var offsets = OffsetMap(checkpoints: [])
    private var warnings: [Diagnostic] = []
    private var lineStart = 0
    private var line = 1
    private var droppedControls = 0
    private var firstDropped: (line: Int, column: Int, byte: Int)?
    private var pendingCR = false
    private var lineMayNeedNFC = false
    /// Whether a line the quick check finds NFC skips Foundation's normalization (see `endLine`).
    var trustsNFCQuickCheck = true

    init(file: String, capacity: Int) {
        self.file = file
        bytes.reserveCapacity(capacity)
    }

    mutating func warn(byteOffset: Int?, _ message: String) {
        warnings.append(Diagnostic(.warning, file: file, byteOffset: byteOffset, stage: "ingest", message: message))
    }

    @inline(__always)
    mutating func appendASCII(_ b: UInt8, at source: Int) {
        if pendingCR {
            pendingCR = false
            if b == 0x0A {  // CRLF: the LF was already emitted for the CR
                offsets.add(text: bytes.count, source: source + 1)
                return
            }
        }
        switch b {
        case 0x0A:
            endLine()
            bytes.append(0x0A)
            lineStart = bytes.count
            line += 1
        case 0x0D:
            endLine()
            offsets.add(text: bytes.count, source: source)
            bytes.append(0x0A)
            lineStart = bytes.count
            line += 1
            pendingCR = true
            offsets.add(text: bytes.count, source: source + 1)
        case 0x09, 0x20...0x7E:
            bytes.append(b)
        default:  // C0 controls, form feeds, DEL
            drop(at: source, length: 1)
        }
    }

    /// Whether the last byte was a CR, so that a line feed next is part of its line end.
    var awaitsLineFeed: Bool { pendingCR }

    /// Appends bytes that need no change (`TextDecoder.cleanPrefixEnd`) in one go, as
    /// `appendASCII` and `appendUTF8` would one by one (not after a CR: see
    /// `awaitsLineFeed`).
    mutating func appendCleanRun(_ clean: ArraySlice<UInt8>) {
        precondition(!pendingCR, "a line feed after a CR is not clean")
        var rest = clean
        // Only the line already open may need NFC: it ends at the first line feed.
        if lineMayNeedNFC, let lineFeed = clean.firstIndex(of: 0x0A) {
            bytes.append(contentsOf: clean[..<lineFeed])
            endLine()
            rest = clean[lineFeed...]
        }
        let base = bytes.count
        bytes.append(contentsOf: rest)
        rest.withUnsafeBufferPointer { run in
            guard let start = run.baseAddress else { return }
            var position = 0
            while position < run.count, let found = memchr(start + position, 0x0A, run.count - position) {
                position = start.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
                line += 1
                lineStart = base + position
            }
        }
    }

    @inline(__always)
    mutating func appendUTF8(_ seq: ArraySlice<UInt8>, at source: Int) {
        pendingCR = false
        let b0 = seq[seq.startIndex]
        if b0 == 0xC2 && seq[seq.startIndex + 1] < 0xA0 {  // C1 controls U+0080–U+009F
            drop(at: source, length: 2)
            return
        }
        if Self.needsNFCCheck(seq) { lineMayNeedNFC = true }
        bytes.append(contentsOf: seq)
    }

    /// Appends a scalar decoded from `sourceLength` source bytes (transcoded input).
    mutating func appendScalar(_ value: UInt32, at source: Int, sourceLength: Int) {
        if value < 0x80 {
            offsets.add(text: bytes.count, source: source + sourceLength - 1)
            appendASCII(UInt8(value), at: source + sourceLength - 1)
            offsets.add(text: bytes.count, source: source + sourceLength)
            return
        }
        guard let scalar = Unicode.Scalar(value) else {
            drop(at: source, length: sourceLength)
            return
        }
        pendingCR = false
        if (0x80...0x9F).contains(value) {
            drop(at: source, length: sourceLength)
            return
        }
        offsets.add(text: bytes.count, source: source)
        let encoded = Array(String(Character(scalar)).utf8)
        if Self.needsNFCCheck(encoded[...]) { lineMayNeedNFC = true }
        bytes.append(contentsOf: encoded)
        offsets.add(text: bytes.count, source: source + sourceLength)
    }

    private mutating func drop(at source: Int, length: Int) {
        pendingCR = false
        droppedControls += 1
        if firstDropped == nil {
            let column = String(decoding: bytes[lineStart...], as: UTF8.self).unicodeScalars.count + 1
            firstDropped = (line, column, source)
        }
        offsets.add(text: bytes.count, source: source + length)
    }

    /// Lead bytes whose characters can change under NFC: combining marks and scripts other
    /// than Latin. Latin-1 letters (é, ñ, ü), ¿¡ and typographic punctuation (U+2002–U+203F)
    /// are already NFC, so English and Spanish text almost never pays for normalization.
    @inline(__always)
    static func needsNFCCheck<C: RandomAccessCollection>(_ seq: C) -> Bool where C.Element == UInt8, C.Index == Int {
        let b0 = seq[seq.startIndex]
        if b0 < 0xCC { return false }
        if b0 == 0xE2 && seq.count == 3 {
            let b1 = seq[seq.startIndex + 1]
            if b1 == 0x80 { return seq[seq.startIndex + 2] < 0x82 }  // U+2000, U+2001 are singletons
            return b1 == 0x84 || b1 == 0x83 || b1 == 0x8C || b1 == 0xAB  // Ω Å, combining, 〈〉, ⫝̸
        }
        return true
    }

    /// NFC-normalizes the line just finished if it may need it.
    private mutating func endLine() {
        guard lineMayNeedNFC else { return }
        lineMayNeedNFC = false
        // Most lines flagged hold characters that are NFC and compose with nothing (emoji,
        // CJK, variation selectors, ⌘): the standard library's quick check says so without
        // building two strings through Foundation.
        if trustsNFCQuickCheck && Self.isKnownNFC(bytes.span.extracting(lineStart...)) { return }
        let original = String(decoding: bytes[lineStart...], as: UTF8.self)
        let composed = original.precomposedStringWithCanonicalMapping
        // Compare bytes: String's == is canonical equivalence, true for both forms.
        let newBytes = Array(composed.utf8)
        guard newBytes.count != bytes.count - lineStart || !newBytes.elementsEqual(bytes[lineStart...]) else { return }
        // Offsets inside a recomposed line map to its start; the line's end stays exact.
        let sourceEnd = offsets.sourceOffset(of: bytes.count)
        let sourceStart = offsets.sourceOffset(of: lineStart)
        bytes.removeSubrange(lineStart...)
        bytes.append(contentsOf: newBytes)
        offsets.truncate(after: lineStart)
        offsets.add(text: lineStart, source: sourceStart)
        offsets.add(text: bytes.count, source: sourceEnd)
    }

    /// Whether UTF-8 text is NFC by the quick check of UAX #15 (every scalar NFC_QC=Yes,
    /// combining classes in order): then normalization would return it unchanged. False
    /// when it cannot tell (or the bytes are not valid UTF-8).
    static func isKnownNFC(_ text: Span<UInt8>) -> Bool {
        guard var span = try? UTF8Span(validating: text) else { return false }
        return span.checkForNFC(quickCheck: true)
    }

    /// A string of bytes that decoding has made valid UTF-8 (whole checked sequences, encoded
    /// scalars, Foundation's NFC), copied without the check `String(decoding:)` makes again
    /// byte by byte (0.6% of a run on real pages). Debug builds check all the same.
    static func string(ofValidUTF8 bytes: Span<UInt8>, isKnownASCII: Bool = false) -> String {
        assert(bytes.withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) } != nil, "decoded text is not valid UTF-8")
        assert(!isKnownASCII || bytes.withUnsafeBufferPointer { $0.allSatisfy { $0 < 0x80 } }, "text said to be ASCII is not")
        return String(copying: UTF8Span(unchecked: bytes, isKnownASCII: isKnownASCII))
    }

    mutating func finish(encoding: String) -> DecodedText {
        endLine()
        if droppedControls > 0, let first = firstDropped {
            warnings.append(
                Diagnostic(
                    .warning, file: file, position: SourcePosition(line: first.line, column: first.column),
                    byteOffset: first.byte, stage: "ingest",
                    message: "dropped \(droppedControls) control character(s) (first at byte \(first.byte))"))
        }
        return DecodedText(text: Self.string(ofValidUTF8: bytes.span), encoding: encoding, offsets: offsets, warnings: warnings)
    }
}

/// Tests on the eight bytes of a word at once, each exact per byte: a byte's flag is its high
/// bit in the result. The low seven bits of a byte plus a constant below 0x80 never carry into
/// the next byte, so no byte's flag depends on its neighbours.
struct WordBytes {
    let word: UInt64
    /// The low seven bits of each byte.
    private let low: UInt64
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let high: UInt64 = 0x8080_8080_8080_8080

    @inline(__always)
    init(_ word: UInt64) {
        self.word = word
        low = word & (0x7F &* Self.ones)
    }

    /// Bytes of 0x80 and above.
    @inline(__always)
    var nonASCII: UInt64 { word & Self.high }

    /// Bytes below 0x20.
    @inline(__always)
    var controls: UInt64 { ~((low &+ (0x60 &* Self.ones)) | word) & Self.high }

    /// Bytes from `A` to `Z`.
    @inline(__always)
    var asciiCapitals: UInt64 {
        // At least 0x41, and not at least 0x5B, and ASCII.
        ((low &+ ((0x80 - 0x41) &* Self.ones)) & ~(low &+ ((0x80 - 0x5B) &* Self.ones)) & ~word) & Self.high
    }

    /// Bytes equal to `byte` (an ASCII byte).
    @inline(__always)
    func equal(_ byte: UInt8) -> UInt64 { ~(((low ^ (UInt64(byte) &* Self.ones)) &+ (0x7F &* Self.ones)) | word) & Self.high }
}
