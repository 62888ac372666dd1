#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Byte-level helpers for plain-text layout: lines, indentation, widths. They work on UTF-8
/// bytes (the document text's own storage, never a copy) because segmentation looks at
/// every line of every file.
/// A line of text; its 1-based line number is `LineReader.index` plus one.
struct TextLine {
    /// Offsets of the line's content in the text (without the line feed).
    var start: Int
    var end: Int
    /// Offsets of the first and past-the-last non-blank bytes (equal when blank).
    var contentStart: Int
    var contentEnd: Int

    var isBlank: Bool { contentStart == contentEnd }
    var indentation: Int { contentStart - start }
}

/// What the wrap-width pass (`DraftBuilder.estimateWrapWidth`) keeps of each line for
/// drafting, in two bytes: its length in bytes (without its line feed), so that drafting reads
/// the lines again without searching for their line feeds; how many of its bytes to the
/// content end are not scalars of their own (UTF-8 continuation bytes), which gives its width
/// for the soft-break test and says whether it is ASCII; and whether it may hold inline
/// markup (`TextLayout.forEachLine`), so that drafting reads the bytes of only the few lines
/// that may. A width array beside a length array was another two bytes a line: 76 MB for a
/// 1 GB text, every page of it touched once.
struct LineRecord: Equatable {
    /// The length in the low 11 bits, the continuation bytes in the next 4, the markup flag on top.
    private let bits: UInt16

    /// Lengths from this up are not kept: such lines (rare) are searched for their line feed.
    static let lengthLimit = 0x07FF
    /// Continuation counts from this up are not kept: such lines' widths are measured.
    static let continuationLimit = 0xF
    private static let markupFlag: UInt16 = 0x8000

    /// A line of `length` bytes whose first `contentBytes` (to the content end) are `width`
    /// scalars; `mayHoldMarkup` as `forEachLine` says.
    init(length: Int, contentBytes: Int, width: Int, mayHoldMarkup: Bool = true) {
        bits = UInt16(min(length, Self.lengthLimit)) | UInt16(min(contentBytes - width, Self.continuationLimit)) << 11
            | (mayHoldMarkup ? Self.markupFlag : 0)
    }

    /// The line's length in bytes; nil when it is `lengthLimit` or more.
    @inline(__always) var length: Int? {
        let length = Int(bits & 0x07FF)
        return length == Self.lengthLimit ? nil : length
    }

    private var continuations: Int { Int(bits >> 11) & Self.continuationLimit }

    /// The line's width (`TextLayout.width(start, contentEnd)`); nil when it must be measured.
    @inline(__always) func width(of line: TextLine) -> Int? {
        continuations == Self.continuationLimit ? nil : line.contentEnd - line.start - continuations
    }

    /// Whether the line is ASCII to its content end.
    @inline(__always) var isASCII: Bool { continuations == 0 }

    /// Whether the line may hold a `*`, a `^` or a superscript digit (never false when it does).
    @inline(__always) var mayHoldMarkup: Bool { bits & Self.markupFlag != 0 }
}

/// The text's lines, one at a time (the text is never split into an array of lines).
struct LineReader {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Each line's record from the wrap-width pass (`DraftBuilder.estimateWrapWidth`): lines
    /// whose length is not kept, and lines past the end of the list, are searched for their
    /// line feed.
    private let records: UnsafeBufferPointer<LineRecord>
    /// Where the next line starts; past the end once the last line is read.
    private var start = 0
    private var finished = false
    private var returned: TextLine?
    /// The 0-based number of the line `next` returned last (-1 before the first).
    private(set) var index = -1
    /// The number of the line `next` reads next from the text.
    private var nextLine = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, records: UnsafeBufferPointer<LineRecord> = UnsafeBufferPointer(start: nil, count: 0)) {
        self.bytes = bytes
        self.records = records
    }

    /// The next line: content without the line feed, blank edges found. A text ending in a
    /// line feed ends with an empty line.
    @inline(__always) mutating func next() -> TextLine? {
        if let line = returned {
            returned = nil
            index += 1
            return line
        }
        guard !finished else { return nil }
        let n = bytes.count
        var end = n
        if nextLine < records.count, let length = records[nextLine].length {
            end = start + length
        } else if start < n, let base = bytes.baseAddress, let found = memchr(base + start, 0x0A, n - start) {
            // memchr: the C library's vectorized search for the line feed.
            end = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - base
        }
        nextLine += 1
        let cs = TextLayout.contentStart(bytes, start, end)
        var ce = end
        while ce > cs && TextLayout.isSpaceBefore(bytes, ce) { ce -= TextLayout.spaceLengthBefore(bytes, ce) }
        let line = TextLine(start: start, end: end, contentStart: cs, contentEnd: ce)
        if end == n { finished = true } else { start = end + 1 }
        index += 1
        return line
    }

    /// Hands `line` (the one `next` just returned) back, to be returned again.
    mutating func putBack(_ line: TextLine) {
        returned = line
        index -= 1
    }
}

enum TextLayout {
    /// ASCII blanks, tab and no-break space (U+00A0: C2 A0) count as blank at line edges.
    @inline(__always) static func isSpace(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        b[i] == 0x20 || b[i] == 0x09 || (b[i] == 0xC2 && i + 1 < b.count && b[i + 1] == 0xA0)
    }
    @inline(__always) static func spaceLength(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int { b[i] == 0xC2 ? 2 : 1 }
    @inline(__always) static func isSpaceBefore(_ b: UnsafeBufferPointer<UInt8>, _ end: Int) -> Bool {
        b[end - 1] == 0x20 || b[end - 1] == 0x09 || (end >= 2 && b[end - 2] == 0xC2 && b[end - 1] == 0xA0)
    }
    @inline(__always) static func spaceLengthBefore(_ b: UnsafeBufferPointer<UInt8>, _ end: Int) -> Int { b[end - 1] == 0xA0 ? 2 : 1 }

    /// Where the content of the line `start..<end` starts: past its leading blanks.
    /// Indentation is skipped eight spaces at a time first: text taken from HTML or manuals has
    /// many deeply indented lines and lines of nothing but spaces (each line's blanks are read
    /// twice, by `forEachLine` and by `LineReader`).
    /// The spaces of a word are counted at once (the lowest byte that is not one), not a byte
    /// at a time: a loop whose length changed from line to line (a mispredicted exit on most
    /// of the text's lines). Tabs and no-break spaces after them go through the byte loop.
    @inline(__always) static func contentStart(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var cs = start
        while cs + 8 <= end {
            let spaces = leadingSpaces(load(b, cs))
            cs += spaces
            if spaces < 8 { return skipBlanks(b, cs, end) }
        }
        // The zero bytes above the line's last bytes are not spaces: the count stops at its end.
        if cs < end && end >= 8 { cs += leadingSpaces(loadTail(b, cs, end)) }
        return skipBlanks(b, cs, end)
    }

    /// How many of the lowest bytes of `word` are spaces (0x20), 0 to 8.
    @inline(__always) static func leadingSpaces(_ word: UInt64) -> Int {
        let notSpace = ~exactMatches(word, 0x20) & highBits
        return notSpace == 0 ? 8 : notSpace.trailingZeroBitCount / 8
    }

    /// Past the blanks (spaces, tabs, no-break spaces) from `i`, a byte at a time.
    @inline(__always) static func skipBlanks(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> Int {
        var cs = i
        while cs < end && isSpace(b, cs) { cs += spaceLength(b, cs) }
        return cs
    }

    /// Number of Unicode scalars in a byte range (continuation bytes do not count).
    static func width(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var count = 0
        var i = start
        while i + 8 <= end {
            count += 8 - continuationBytes(load(b, i))
            i += 8
        }
        while i < end {
            if b[i] & 0xC0 != 0x80 { count += 1 }
            i += 1
        }
        return count
    }

    // MARK: Eight bytes at a time

    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Eight bytes from `i` (the caller checks that they are there).
    @inline(__always) static func load(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt64 {
        UnsafeRawPointer(b.baseAddress.unsafelyUnwrapped + i).loadUnaligned(as: UInt64.self)
    }

    /// The fewer than eight bytes from `i` to `end` as the low bytes of a word, zeros above:
    /// the word ending at `end`, shifted down (the caller checks that `end` ≥ 8).
    @inline(__always) static func loadTail(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> UInt64 {
        load(b, end - 8) >> UInt64(8 * (8 - (end - i)))
    }

    /// Whether any of the eight bytes of `word` equals `value`.
    @inline(__always) static func contains(_ word: UInt64, _ value: UInt8) -> Bool {
        let x = word ^ (UInt64(value) &* ones)
        return (x &- ones) & ~x & highBits != 0
    }

    /// Flags (0x80) exactly the bytes of `word` equal to `value`: each byte's low seven bits
    /// plus 0x7F never carry into the next byte, so no flag spills onto a neighbour.
    @inline(__always) static func exactMatches(_ word: UInt64, _ value: UInt8) -> UInt64 {
        let x = word ^ (UInt64(value) &* ones)
        return ~(((x & ~highBits) &+ ~highBits) | x) & highBits
    }

    /// Whether the eight bytes may hold the start of a superscript digit (¹ ² ³: C2 B9, C2
    /// B2, C2 B3; ⁰ ⁴–⁹: E2 81 …): a C2 or E2 followed by such a second byte, or a C2 or E2
    /// in the last byte (its next byte lies in the next word). Never false when one is there.
    @inline(__always) static func mayHoldSuperscriptDigit(_ word: UInt64) -> Bool {
        let c2 = exactMatches(word, 0xC2)
        let e2 = exactMatches(word, 0xE2)
        guard c2 | e2 != 0 else { return false }
        let next = word >> 8  // each byte's successor in its place (none for the last byte)
        let c2Digit = c2 & (exactMatches(next, 0xB9) | exactMatches(next, 0xB2) | exactMatches(next, 0xB3))
        let e2Digit = e2 & exactMatches(next, 0x81)
        return (c2Digit | e2Digit | ((c2 | e2) & 0x8000_0000_0000_0000)) != 0
    }

    /// Whether the eight bytes may hold a byte of a superscript digit that marks it: the 81 of
    /// E2 81 … (⁰ ⁴–⁹), or a C2 followed by B9, B2 or B3 (¹ ² ³) or ending the word. Every
    /// such digit inside a range has one of these bytes in a word of the range, so a range
    /// whose words all answer false has none; the quotes and dashes of prose (E2 80 …) answer
    /// false here, unlike `mayHoldSuperscriptDigit`'s lead test.
    @inline(__always) static func mayHoldSuperscriptDigitByte(_ word: UInt64) -> Bool {
        let c2 = exactMatches(word, 0xC2)
        let next = word >> 8  // each byte's successor in its place (none for the last byte)
        let c2Digit = c2 & (exactMatches(next, 0xB9) | exactMatches(next, 0xB2) | exactMatches(next, 0xB3) | 0x8000_0000_0000_0000)
        return (exactMatches(word, 0x81) | c2Digit) != 0
    }

    /// How many of the eight bytes are UTF-8 continuation bytes (10xxxxxx).
    @inline(__always) static func continuationBytes(_ word: UInt64) -> Int {
        flaggedBytes(word & ~(word << 1) & highBits)
    }

    /// How many bytes of `flags` (only 0x80 bits set) are flagged: one per byte moved to the
    /// low bit, summed into the top byte by a multiplication. The baseline x86-64 target has no
    /// population-count instruction, and `nonzeroBitCount` there is a dozen operations.
    @inline(__always) static func flaggedBytes(_ flags: UInt64) -> Int {
        Int(((flags >> 7) &* ones) >> 56)
    }

    /// Whether any of the eight bytes is 0xCC or above (a lead byte of U+0300 or later).
    @inline(__always) static func hasLeadFromU0300(_ word: UInt64) -> Bool {
        ((word & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x3434_3434_3434_3434) & word & highBits != 0
    }

    /// Calls `body` with each line (as `LineReader` reads them), its width to the content end
    /// (`width(start, contentEnd)`) and whether it may hold inline markup (a `*`, a `^` or a
    /// superscript digit: never false when it does), finding line feeds, counting scalars and
    /// testing for markup in one pass over the bytes, eight at a time.
    static func forEachLine(_ b: UnsafeBufferPointer<UInt8>, _ body: (TextLine, Int, Bool) -> Void) {
        let n = b.count
        var start = 0
        while true {
            var i = start
            // Continuation bytes in start..<i: the scalars are the bytes less these, and
            // counting them only in words with a byte over 0x7F (about one word in twenty
            // in English or Spanish text) leaves one test per word of plain ASCII.
            var continuations = 0
            var end = n
            var found = false
            // The zero-byte tests for `*` and `^` of every word read, or-ed together (bytes of
            // the next line in the word that holds the line feed can only set them needlessly),
            // and superscript digits looked for in words with a byte above 0x7F.
            var starOrCaret: UInt64 = 0
            var superscript = false
            while i + 8 <= n {
                let word = load(b, i)
                let x = word ^ (0x0A &* ones)
                let lineFeeds = (x &- ones) & ~x & highBits
                let star = word ^ (0x2A &* ones)
                let caret = word ^ (0x5E &* ones)
                starOrCaret |= ((star &- ones) & ~star) | ((caret &- ones) & ~caret)
                if lineFeeds | (word & highBits) == 0 {
                    i += 8
                    continue
                }
                if !superscript && word & highBits != 0 && mayHoldSuperscriptDigitByte(word) { superscript = true }
                if lineFeeds == 0 {
                    continuations += continuationBytes(word)
                    i += 8
                    continue
                }
                // The lowest flag is exact (a flag may spill upwards only).
                let k = lineFeeds.trailingZeroBitCount / 8
                if k > 0 {
                    let before = word & ((1 << UInt64(8 * k)) - 1)
                    continuations += continuationBytes(before)
                }
                end = i + k
                found = true
                break
            }
            if !found {
                while i < n {
                    if b[i] == 0x0A {
                        end = i
                        break
                    }
                    if b[i] & 0xC0 == 0x80 { continuations += 1 }
                    // (Any byte above 0x7F may belong to a superscript digit, as far as this goes.)
                    if b[i] == 0x2A || b[i] == 0x5E || b[i] >= 0x80 { superscript = true }
                    i += 1
                }
            }
            let scalars = end - start - continuations
            let cs = contentStart(b, start, end)
            var ce = end
            // Each trailing blank (space, tab, no-break space) is one scalar.
            var trailing = 0
            while ce > cs && isSpaceBefore(b, ce) {
                ce -= spaceLengthBefore(b, ce)
                trailing += 1
            }
            body(TextLine(start: start, end: end, contentStart: cs, contentEnd: ce), scalars - trailing, superscript || starOrCaret & highBits != 0)
            if end == n { return }
            start = end + 1
        }
    }

    /// Width of the first word starting at `start` (up to a space).
    /// The word's end is found eight bytes at a time (drafting asks this of every line after a
    /// chunk's first).
    static func firstWordWidth(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        @inline(__always) func breaks(_ word: UInt64) -> UInt64 { exactMatches(word, 0x20) | exactMatches(word, 0x09) }
        var i = start
        while i + 8 <= end {
            let found = breaks(load(b, i))
            if found != 0 { return width(b, start, i + found.trailingZeroBitCount / 8) }
            i += 8
        }
        if i < end && end >= 8 {
            // The zero bytes above the range's last bytes are neither spaces nor tabs.
            let found = breaks(loadTail(b, i, end))
            return width(b, start, found == 0 ? end : i + found.trailingZeroBitCount / 8)
        }
        while i < end && b[i] != 0x20 && b[i] != 0x09 { i += 1 }
        return width(b, start, i)
    }
}
