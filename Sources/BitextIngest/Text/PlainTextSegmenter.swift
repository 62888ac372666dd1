import BitextCore

/// Splits plain text into blocks as a reader sees the page.
///
/// Blank lines separate chunks. Inside a chunk, a line joins the block above when the
/// break was soft: the first word of the line would not have fitted on the previous line
/// at the document's wrap width (the classic reflow test), the line continues an indented
/// list item, or an unfinished `**bold**` span or ALL-CAPS title goes on. Otherwise each
/// line is a block of its own (document headers, signature blocks). Blocks are then
/// classified (heading, list item, footnote, address, paragraph) and light markup
/// (`**bold**`, `^{1/}` footnote marks, markdown `#` and setext headings, code fences) is
/// excluded from the text and kept as annotations.
public struct PlainTextSegmenter: Sendable {
    public init() {}

    public func segment(_ document: inout Document) {
        // The text's own UTF-8 storage (native strings are contiguous); a copy only otherwise.
        let text = document.text
        let (blocks, marks) = text.utf8.withContiguousStorageIfAvailable(Self.blocks) ?? Array(text.utf8).withUnsafeBufferPointer(Self.blocks)
        document.blocks = blocks
        document.marks = marks
    }

    private static func blocks(_ bytes: UnsafeBufferPointer<UInt8>) -> ([Block], [InlineMark]) {
        var builder = DraftBuilder(bytes: bytes)
        builder.buildDrafts()
        builder.classify()
        return builder.finishBlocks()
    }
}

/// What the segmenter knows about a block beyond the block itself, while it builds it. The
/// blocks are made at once (`DraftBuilder.blocks`, one per draft, same index): a list marker,
/// footnote mark or markdown heading level goes straight into the block's `marker` or `level`.
///
/// Eight bytes (a draft per block: 9 million for 1 GB of text, 75 MB less than the sixteen
/// bytes of full-width fields): counts that are only compared with small numbers stop
/// counting, and the four flags share a byte.
struct Draft {
    enum Start: UInt8 {
        case plain, listItem, footnote, markdownHeading
    }
    /// The indentation of the draft's first line (`TextLine.indentation`); stops at
    /// `Int32.max` (2 GB of blanks: more than a document holds).
    private var storedIndentation: Int32
    var start: Start
    /// Only compared with 1 and 2, so it stops counting at 255.
    private var storedLineCount: UInt8 = 1
    /// Blank lines before the chunk this draft starts (0 inside a chunk); only compared
    /// with 0 and 2, so it stops counting at 255.
    private var storedGapBefore: UInt8
    private var flags: Flags = []
    private struct Flags: OptionSet {
        let rawValue: UInt8
        static let preformatted = Flags(rawValue: 1)
        static let boldOpen = Flags(rawValue: 2)
        static let mayHoldMarkup = Flags(rawValue: 4)
        static let isASCII = Flags(rawValue: 8)
    }

    init(start: Start, indentation: Int, gapBefore: Int) {
        self.start = start
        storedIndentation = Int32(clamping: indentation)
        storedGapBefore = UInt8(min(gapBefore, 255))
    }

    var indentation: Int { Int(storedIndentation) }
    var lineCount: Int {
        get { Int(storedLineCount) }
        set { storedLineCount = UInt8(min(newValue, 255)) }
    }
    var gapBefore: Int { Int(storedGapBefore) }
    var preformatted: Bool {
        get { flags.contains(.preformatted) }
        set { setFlag(.preformatted, newValue) }
    }
    /// Whether the `**` markers seen so far are odd in number: a bold span is still open.
    var boldOpen: Bool {
        get { flags.contains(.boldOpen) }
        set { setFlag(.boldOpen, newValue) }
    }
    /// Whether a line of the draft may hold inline markup (`LineReading.markup`); when none
    /// does, classification does not search the block for it.
    var mayHoldMarkup: Bool {
        get { flags.contains(.mayHoldMarkup) }
        set { setFlag(.mayHoldMarkup, newValue) }
    }
    /// Whether every line of the draft is ASCII in its content (`LineReading.markup`): then
    /// classification counts the block's scalars as bytes, without reading them.
    var isASCII: Bool {
        get { flags.contains(.isASCII) }
        set { setFlag(.isASCII, newValue) }
    }
    private mutating func setFlag(_ flag: Flags, _ on: Bool) {
        if on { flags.insert(flag) } else { flags.remove(flag) }
    }
}

struct DraftBuilder {
    /// The document's text, valid while the builder runs (`PlainTextSegmenter.segment`).
    let bytes: UnsafeBufferPointer<UInt8>
    var drafts: [Draft] = []
    /// The blocks, one per draft: range, position, excluded markup, kind, level and marker
    /// are filled in as drafting and classification go.
    var blocks: [Block] = []
    /// Inline marks of every draft, in draft order.
    var marks: [InlineMark] = []
    /// What a paragraph's block starts as (`addLine` fills in its range and position).
    private let newParagraph = Block(kind: .paragraph, range: TextRange(0, 0), position: SourcePosition(line: 1, column: 1))
    /// Makes the block and draft arrays' storage resident ahead of their appends
    /// (`Prefault`): the 906,081 blocks of 100 MB of text fill 36 MB, the drafts 7 MB.
    private var blocksAhead = PrefaultAhead()
    private var draftsAhead = PrefaultAhead()
    let wrapWidth: Int?
    /// Lines in the text (for reserving room).
    private let lineCount: Int

    /// Each line's length and width, found by the wrap-width pass: drafting reads the lines
    /// again without searching for their line feeds, and measures widths for the soft-break
    /// test only for the few lines whose records do not hold them.
    private var lineRecords: [LineRecord]

    /// The per-line byte tests (a trivial value: calls on it copy nothing).
    let reading: LineReading

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        var records: [LineRecord] = []
        // Room for lines of 24 bytes on average without regrowing (more lines only regrow).
        records.reserveCapacity(bytes.count / 24 + 16)
        (wrapWidth, lineCount) = DraftBuilder.estimateWrapWidth(bytes: bytes, records: &records)
        lineRecords = records
        reading = LineReading(bytes: bytes, wrapWidth: wrapWidth)
    }

    /// The width text was wrapped at: the longest line that is followed by another line in
    /// the same chunk, if such lines are common enough to say the text is hard-wrapped.
    /// Also returns the number of lines.
    static func estimateWrapWidth(bytes: UnsafeBufferPointer<UInt8>) -> (Int?, Int) {
        var records: [LineRecord] = []
        return estimateWrapWidth(bytes: bytes, records: &records)
    }

    /// `estimateWrapWidth`, also appending each line's `LineRecord` to `records` (two bytes a
    /// line: a full `TextLine`, 32 bytes, would be the largest thing the segmenter holds).
    static func estimateWrapWidth(bytes: UnsafeBufferPointer<UInt8>, records: inout [LineRecord]) -> (Int?, Int) {
        // The 90th percentile by counting: widths below `bins` in a histogram, the rare
        // longer ones kept to sort.
        let bins = 1024
        var long: [Int] = []
        var measured = 0
        var lineCount = 0
        // The line before (its width to its content end), or nil when it is blank or there is none.
        var previousWidth: Int?
        // Counted through pointers, and the records kept in batches: an array subscript or
        // append per line checks that the array is unshared (millions of lines).
        let batchSize = 4096
        // The histogram and the batch in one temporary allocation: a histogram array was an
        // 8 KiB allocation per document, which glibc serves by consolidating its fast bins
        // first (a walk over every small chunk freed since; most documents are small).
        let histogramBytes = bins * MemoryLayout<Int>.stride
        let scratchBytes = histogramBytes + batchSize * MemoryLayout<LineRecord>.stride
        // The 90th percentile of the widths of lines followed by another, nil when there are none.
        var width: Int?
        withUnsafeTemporaryAllocation(byteCount: scratchBytes, alignment: MemoryLayout<Int>.alignment) { scratch in
            let histogram = UnsafeMutableBufferPointer(start: scratch.baseAddress!.bindMemory(to: Int.self, capacity: bins), count: bins)
            // Bins are zeroed up to the widest line seen so far, not all 1,024 (lines are
            // rarely over 100 columns, and most documents are a few lines).
            var zeroed = 0
            let batch = UnsafeMutableBufferPointer(
                start: (scratch.baseAddress! + histogramBytes).bindMemory(to: LineRecord.self, capacity: batchSize), count: batchSize)
            var batched = 0
            // The records (two bytes a line) are made resident ahead of the batches (`Prefault`).
            var recordsAhead = PrefaultAhead()
            TextLayout.forEachLine(bytes) { line, width, mayHoldMarkup in
                if let previousWidth, !line.isBlank {
                    if previousWidth < bins {
                        if previousWidth >= zeroed {
                            UnsafeMutableBufferPointer(rebasing: histogram[zeroed...previousWidth]).initialize(repeating: 0)
                            zeroed = previousWidth + 1
                        }
                        histogram[previousWidth] += 1
                    } else {
                        long.append(previousWidth)
                    }
                    measured += 1
                }
                previousWidth = line.isBlank ? nil : width
                batch[batched] = LineRecord(length: line.end - line.start, contentBytes: line.contentEnd - line.start, width: width, mayHoldMarkup: mayHoldMarkup)
                batched += 1
                if batched == batchSize {
                    recordsAhead.prepare(&records)
                    records.append(contentsOf: batch)
                    batched = 0
                }
                lineCount += 1
            }
            records.append(contentsOf: batch[0..<batched])
            guard measured >= 1 else { return }
            // The 90th percentile resists one overlong line; a floor keeps short-line groups apart.
            let rank = min(measured - 1, measured * 9 / 10)  // position in sorted order
            var seen = 0
            for candidate in 0..<zeroed {  // (the bins past `zeroed` are all empty)
                seen += histogram[candidate]
                if seen > rank {
                    width = candidate
                    return
                }
            }
            long.sort()
            width = long[rank - seen]
        }
        guard let width else { return (nil, lineCount) }
        return (width >= 30 ? width : nil, lineCount)
    }

    // MARK: Drafting

    mutating func buildDrafts() {
        // Room for a block per two lines without regrowing (each regrowth copies every block
        // into fresh pages); pages of the reserve that are never written are never resident.
        drafts.reserveCapacity(lineCount / 2 + 1)
        blocks.reserveCapacity(lineCount / 2 + 1)
        let records = lineRecords
        lineRecords = []  // read once
        records.withUnsafeBufferPointer { records in buildDrafts(records: records) }
    }

    private mutating func buildDrafts(records: UnsafeBufferPointer<LineRecord>) {
        var reader = LineReader(bytes, records: records)
        var gap = 0
        while let line = reader.next() {
            if line.isBlank {
                gap += 1
                continue
            }
            if reading.isFence(line) {
                fencedBlock(&reader, gap: gap)
                gap = 0
                continue
            }
            // A chunk: this line and the non-blank, non-fence lines after it, drafted as they
            // are read (each line needs only the one above it).
            var open = false
            var previous: TextLine?
            var current = line
            while true {
                // The line above's width when its record knows it (nil: measured if needed).
                let previousWidth = previous.flatMap { reader.index - 1 < records.count ? records[reader.index - 1].width(of: $0) : nil }
                // What the line's record says of its markup: its bytes are read only if it may hold some.
                let markup = reader.index < records.count ? reading.markup(current, record: records[reader.index]) : reading.markup(current)
                addLine(current, index: reader.index, previous: previous, previousWidth: previousWidth, markup: markup, gap: gap, open: &open)
                guard let next = reader.next() else { break }
                if next.isBlank || reading.isFence(next) {
                    reader.putBack(next)
                    break
                }
                previous = current
                current = next
            }
            gap = 0
        }
    }

    /// A ``` fenced block (the reader is past its opening fence): one preformatted block,
    /// fences excluded, white space kept. Reads up to and including the closing fence.
    private mutating func fencedBlock(_ reader: inout LineReader, gap: Int) {
        var first: (index: Int, line: TextLine)?
        var last: TextLine?
        var count = 0
        while let line = reader.next(), !reading.isClosingFence(line) {
            if first == nil { first = (reader.index, line) }
            last = line
            count += 1
        }
        if let first, let last {
            var draft = Draft(start: .plain, indentation: first.line.indentation, gapBefore: gap)
            draft.lineCount = count
            draft.preformatted = true
            draftsAhead.prepare(&drafts)
            drafts.append(draft)
            blocksAhead.prepare(&blocks)
            blocks.append(Block(kind: .preformatted, range: TextRange(first.line.start, last.end), position: SourcePosition(line: first.index + 1, column: 1)))
        }
    }

    /// Drafts one line of a chunk: line `k` (0-based), after `previous` in the same chunk
    /// (nil for the chunk's first line; `previousWidth` its width when known), with `markup`
    /// (`LineReading.markup`), the chunk coming after `gap` blank lines. `open` says
    /// whether the last draft (and its block, the last of `blocks`) may still take lines: both
    /// are built in place in their arrays (a block held apart would be copied in whole, 40
    /// bytes and its references retained, each time it is moved).
    private mutating func addLine(
        _ line: TextLine, index k: Int, previous: TextLine?, previousWidth: Int?, markup: (boldMarkers: Int, mayHoldMarkup: Bool, isASCII: Bool),
        gap: Int, open: inout Bool
    ) {
        let last = blocks.count - 1
        if open, drafts[last].lineCount == 1, drafts[last].start == .plain, let level = reading.setextLevel(line) {
            blocks[last].kind = .heading
            blocks[last].level = level
            // The underline lies after the block's range, so it is simply not part of it
            // (an excluded range must lie inside its block).
            open = false
            return
        }
        let start = reading.lineStart(line)
        // An open draft has a line above this one in the chunk.
        if open, start.kind == .plain, let previous,
            reading.continues(drafts[last], previous: previous, previousWidth: previousWidth, line: line)
        {
            drafts[last].lineCount += 1
            blocks[last].range.end = line.contentEnd
            if markup.boldMarkers % 2 == 1 { drafts[last].boldOpen.toggle() }
            if markup.mayHoldMarkup { drafts[last].mayHoldMarkup = true }
            if !markup.isASCII { drafts[last].isASCII = false }
            // The soft break reads as one space: drop trailing blanks and indentation around it.
            if previous.contentEnd < previous.end { blocks[last].excluded.append(TextRange(previous.contentEnd, previous.end)) }
            if line.start < line.contentStart { blocks[last].excluded.append(TextRange(line.start, line.contentStart)) }
            return
        }
        let contentStart = start.kind == .plain ? line.contentStart : start.contentStart
        var draft = Draft(start: start.kind, indentation: line.indentation, gapBefore: open ? 0 : gap)
        draft.boldOpen = markup.boldMarkers % 2 == 1
        draft.mayHoldMarkup = markup.mayHoldMarkup
        draft.isASCII = markup.isASCII
        // Most blocks start at the line's start: column 1 without a width call.
        let column = contentStart == line.start ? 1 : TextLayout.width(bytes, line.start, contentStart) + 1
        draftsAhead.prepare(&drafts)
        drafts.append(draft)
        blocksAhead.prepare(&blocks)
        // A copy of a block made once, filled in in place: a block made here was built apart,
        // copied into the array and destroyed (its four reference fields retained and
        // released), and its empty attributes made by a call, for every block.
        blocks.append(newParagraph)
        blocks[last + 1].range = TextRange(contentStart, line.contentEnd)
        blocks[last + 1].position = SourcePosition(line: k + 1, column: column)
        switch start.kind {
        case .listItem, .footnote: blocks[last + 1].marker = start.marker
        case .markdownHeading: blocks[last + 1].level = start.level
        case .plain: break
        }
        open = true
    }
}

/// The byte-level tests drafting runs on every line (fences, line starts and markers, soft
/// breaks, capitals), apart from `DraftBuilder` so that calling them never copies the
/// builder (its arrays would be retained and released at every call: millions of lines).
struct LineReading {
    /// The document's text, valid while the builder runs.
    let bytes: UnsafeBufferPointer<UInt8>
    /// `DraftBuilder.estimateWrapWidth`'s width.
    let wrapWidth: Int?

    func isFence(_ line: TextLine) -> Bool {
        // Three backticks, compared byte by byte (a generic comparison with a String's UTF-8
        // was a call per line).
        let s = line.contentStart
        guard line.contentEnd - s >= 3, bytes[s] == 0x60, bytes[s + 1] == 0x60, bytes[s + 2] == 0x60 else {
            return false
        }
        // As in CommonMark, the info string after the backticks (```swift) has none of its own:
        // "```a``` b" is a line of text, not a fence.
        var i = line.contentStart
        while i < line.contentEnd && bytes[i] == 0x60 { i += 1 }
        return !bytes[i..<line.contentEnd].contains(0x60)
    }

    /// A closing fence is backticks only: a line such as ```` ```text ```` inside a fenced
    /// block is content (as in CommonMark), and must not be dropped with the fence.
    func isClosingFence(_ line: TextLine) -> Bool {
        isFence(line) && bytes[line.contentStart..<line.contentEnd].allSatisfy { $0 == 0x60 }
    }

    /// Whether `line` continues the draft above (whose last line is `previous`) rather than
    /// starting a block. `previousWidth` is `previous`'s width when the wrap-width pass knew
    /// it (nil: measure it).
    @inline(__always) func continues(_ draft: Draft, previous: TextLine, previousWidth: Int?, line: TextLine) -> Bool {
        if draft.start == .markdownHeading { return false }
        if draft.boldOpen { return true }  // an unfinished **bold** span goes on
        switch draft.start {
        case .listItem, .footnote:
            if line.indentation > draft.indentation { return true }
        default: break
        }
        if let wrapWidth {
            let next = TextLayout.firstWordWidth(bytes, line.contentStart, line.contentEnd)
            if let previousWidth {
                if previousWidth + 1 + next > wrapWidth { return true }
            } else {
                // Unknown width: a scalar is one to four bytes, and the bounds decide most
                // lines (a long line of prose) without measuring.
                let contentBytes = previous.contentEnd - previous.start
                if (contentBytes + 3) / 4 + 1 + next > wrapWidth { return true }
                if contentBytes + 1 + next > wrapWidth && TextLayout.width(bytes, previous.start, previous.contentEnd) + 1 + next > wrapWidth {
                    return true
                }
            }
        }
        // A line that starts in lower case after an unfinished line is the same sentence.
        if startsLowercase(line) && !endsSentence(previous) && !endsWith(previous, UInt8(ascii: ":")) { return true }
        // A title in capitals wrapped over several lines.
        return !endsSentence(previous) && isAllCaps(previous.contentStart, previous.contentEnd) && isAllCaps(line.contentStart, line.contentEnd)
    }

    /// What drafting's one read of a line's content finds: its number of `**` markers, whether
    /// it may hold inline markup (a `*`, a `^` or the start of a superscript digit: never
    /// false when there is one), and whether it is ASCII. Most lines have no markup, and their
    /// blocks are not searched for it again. (The blanks around a line's content that a
    /// block's range spans are spaces, tabs and no-break spaces, all in excluded ranges.)
    func markup(_ line: TextLine) -> (boldMarkers: Int, mayHoldMarkup: Bool, isASCII: Bool) {
        markupScan(line)
    }

    /// `markup` from what the line's record knows (`LineRecord.mayHoldMarkup`, `isASCII`): the
    /// line's bytes are read only when it may hold markup, to count its `**`. Both answers
    /// may only be more cautious than `markup(_:)`'s.
    @inline(__always) func markup(_ line: TextLine, record: LineRecord) -> (boldMarkers: Int, mayHoldMarkup: Bool, isASCII: Bool) {
        (record.mayHoldMarkup ? boldMarkers(line) : 0, record.mayHoldMarkup, record.isASCII)
    }

    private func markupScan(_ line: TextLine) -> (boldMarkers: Int, mayHoldMarkup: Bool, isASCII: Bool) {
        let start = line.contentStart
        let end = line.contentEnd
        let ones = TextLayout.ones
        // Each word's zero-byte tests for `*` and `^`, and its high bits, or-ed together;
        // superscript digits are looked for only in words with a byte above 0x7F (by a byte
        // of theirs that prose's quotes and dashes do not have).
        var starOrCaret: UInt64 = 0
        var high: UInt64 = 0
        var superscript = false
        @inline(__always) func read(_ word: UInt64) {
            let star = word ^ (0x2A &* ones)
            let caret = word ^ (0x5E &* ones)
            starOrCaret |= ((star &- ones) & ~star) | ((caret &- ones) & ~caret)
            if word & TextLayout.highBits != 0 {
                high |= word
                if !superscript && TextLayout.mayHoldSuperscriptDigitByte(word) { superscript = true }
            }
        }
        var i = start
        while i + 8 <= end {
            read(TextLayout.load(bytes, i))
            i += 8
        }
        if i < end {
            if end >= 8 {
                // The last bytes as the word that ends the line: the bytes before `i` it
                // holds can only set a flag needlessly (never clear one).
                read(TextLayout.load(bytes, end - 8))
            } else {
                // Fewer than eight bytes in the whole text: a byte above 0x7F may start a
                // superscript digit, as far as this test goes.
                for j in i..<end {
                    let b = bytes[j]
                    if b == 0x2A || b == 0x5E { starOrCaret = TextLayout.highBits }
                    if b >= 0x80 {
                        high = TextLayout.highBits
                        superscript = true
                    }
                }
            }
        }
        let hasStarOrCaret = starOrCaret & TextLayout.highBits != 0
        return (hasStarOrCaret ? boldMarkers(line) : 0, hasStarOrCaret || superscript, high & TextLayout.highBits == 0)
    }

    /// Number of `**` markers on a line.
    func boldMarkers(_ line: TextLine) -> Int {
        var count = 0
        var i = line.contentStart
        let end = line.contentEnd
        while i + 1 < end {
            if i + 8 <= end {
                if !TextLayout.contains(TextLayout.load(bytes, i), 0x2A) {
                    i += 8
                    continue
                }
            } else if end >= 8 && !TextLayout.contains(TextLayout.load(bytes, end - 8), 0x2A) {
                break  // no `*` in the line's last eight bytes, which hold all from `i`
            }
            if bytes[i] == 0x2A && bytes[i + 1] == 0x2A {
                count += 1
                i += 2
            } else {
                i += 1
            }
        }
        return count
    }

    func setextLevel(_ line: TextLine) -> Int? {
        let n = line.contentEnd - line.contentStart
        guard n >= 3 else { return nil }
        let c = bytes[line.contentStart]
        guard c == 0x3D || c == 0x2D else { return nil }  // = or -
        for i in line.contentStart..<line.contentEnd where bytes[i] != c { return nil }
        return c == 0x3D ? 1 : 2
    }

    // MARK: Line starts

    /// How a line starts: a plain line, or a marker (list bullet or number, footnote mark,
    /// markdown `#`s) and where the text after it starts.
    struct LineStart {
        var kind: Draft.Start
        var marker: String?
        var level: Int?
        var contentStart = 0
        static let plain = LineStart(kind: .plain)
    }

    func lineStart(_ line: TextLine) -> LineStart {
        let s = line.contentStart
        let e = line.contentEnd
        // Markers start with `#`, a digit, a lower-case letter, `(`, `[`, `^`, a bullet or a
        // superscript digit: a line starting with anything else (a capital, most often) is plain.
        guard s < e else { return .plain }
        switch bytes[s] {
        case UInt8(ascii: "#"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "("), UInt8(ascii: "["),
            UInt8(ascii: "^"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "+"), 0xC2, 0xE2:
            break
        default:
            return .plain
        }
        // Markdown ATX heading: 1–6 '#' then a space.
        var hashes = 0
        while s + hashes < e && bytes[s + hashes] == 0x23 { hashes += 1 }
        if (1...6).contains(hashes), s + hashes < e, bytes[s + hashes] == 0x20 {
            return LineStart(kind: .markdownHeading, level: hashes, contentStart: skipSpaces(s + hashes, e))
        }
        if let (mark, after) = footnoteMark(at: s, end: e) {
            return LineStart(kind: .footnote, marker: mark, contentStart: after)
        }
        if let (marker, after) = listMarker(at: s, end: e) {
            return LineStart(kind: .listItem, marker: marker, contentStart: after)
        }
        return .plain
    }

    func skipSpaces(_ i: Int, _ end: Int) -> Int {
        var i = i
        while i < end && TextLayout.isSpace(bytes, i) { i += TextLayout.spaceLength(bytes, i) }
        return i
    }

    /// `¹ `, `^{1/} `, `[1] `, `1/ ` at the start of a line: a footnote body.
    func footnoteMark(at s: Int, end e: Int) -> (String, Int)? {
        // Each form has its own first byte: the line's first byte picks the one test that may
        // pass (half the lines that get here start with a lower-case letter and pass none).
        switch bytes[s] {
        case 0xC2, 0xE2:
            if let (digits, after) = superscriptDigits(at: s, end: e), after < e, bytes[after] == 0x20 {
                return (digits, skipSpaces(after, e))
            }
            return nil
        case 0x5E:
            if let (digits, after) = caretMark(at: s, end: e), after < e, bytes[after] == 0x20 {
                return (digits, skipSpaces(after, e))
            }
            return nil
        case 0x5B, 0x30...0x39:
            break
        default:
            return nil
        }
        if bytes[s] == 0x5B {  // [n]
            var i = s + 1
            while i < e && isDigit(bytes[i]) && i - s <= 3 { i += 1 }
            if i > s + 1, i + 1 < e, bytes[i] == 0x5D, bytes[i + 1] == 0x20 {
                return (ascii(s + 1, i), skipSpaces(i + 1, e))
            }
        }
        var i = s  // n/ (United Nations style)
        while i < e && isDigit(bytes[i]) && i - s < 3 { i += 1 }
        if i > s, i + 1 < e, bytes[i] == 0x2F, bytes[i + 1] == 0x20 {
            return (ascii(s, i), skipSpaces(i + 1, e))
        }
        return nil
    }

    /// Superscript digits (¹²³⁰⁴–⁹) at `s`, as ASCII digits, and the offset after them.
    func superscriptDigits(at s: Int, end e: Int) -> (String, Int)? {
        var digits = ""
        var i = s
        while i + 1 < e {
            if bytes[i] == 0xC2, bytes[i + 1] == 0xB9 {
                digits.append("1")
                i += 2
            } else if bytes[i] == 0xC2, bytes[i + 1] == 0xB2 || bytes[i + 1] == 0xB3 {
                digits.append(bytes[i + 1] == 0xB2 ? "2" : "3")
                i += 2
            } else if i + 2 < e, bytes[i] == 0xE2, bytes[i + 1] == 0x81, bytes[i + 2] == 0xB0 || (0xB4...0xB9).contains(bytes[i + 2]) {
                digits.append(String(bytes[i + 2] == 0xB0 ? 0 : Int(bytes[i + 2]) - 0xB0))
                i += 3
            } else {
                break
            }
        }
        return digits.isEmpty ? nil : (digits, i)
    }

    /// `^{1/}`, `^{1}` or `^1` at `s`: the digits and the offset after the mark.
    func caretMark(at s: Int, end e: Int) -> (String, Int)? {
        guard s + 1 < e, bytes[s] == 0x5E else { return nil }
        if bytes[s + 1] == 0x7B {
            var i = s + 2
            while i < e && isDigit(bytes[i]) { i += 1 }
            guard i > s + 2 else { return nil }
            let digits = ascii(s + 2, i)
            if i < e, bytes[i] == 0x2F { i += 1 }
            guard i < e, bytes[i] == 0x7D else { return nil }
            return (digits, i + 1)
        }
        var i = s + 1
        while i < e && isDigit(bytes[i]) { i += 1 }
        return i > s + 1 ? (ascii(s + 1, i), i) : nil
    }

    /// List bullets and their UTF-8 bytes, in the order they are tried.
    static let bullets: [(String, [UInt8])] = ["•", "·", "◦", "▪", "‣", "●", "○", "■", "□", "–", "—", "-", "*", "+", "➢", "►"].map { ($0, Array($0.utf8)) }

    /// Whether a byte starts one of `bullets` (most lines start with none; a test checks
    /// that this agrees with the list).
    @inline(__always) static func isBulletLead(_ b: UInt8) -> Bool {
        switch b {
        case 0xE2, 0xC2, UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "+"): true
        default: false
        }
    }

    /// Bullets (• · ◦ ▪ ‣ ● ○ ■ – - * +), `1.` `1)` `a)` `(a)` `(iv)` followed by a space.
    func listMarker(at s: Int, end e: Int) -> (String, Int)? {
        let first = bytes[s]
        if Self.isBulletLead(first) {
            for (bullet, u) in Self.bullets where u[0] == first {
                if s + u.count < e, bytes[s..<(s + u.count)].elementsEqual(u), bytes[s + u.count] == 0x20 {
                    return (bullet, skipSpaces(s + u.count, e))
                }
            }
        }
        // A line starting with a lower-case letter that is no Roman digit (a word, most
        // often) has a list marker only as that letter and a parenthesis: `a) `. The general
        // scan below gives the same answer, letter by letter.
        if isLowerASCII(first) && first != 0x69 && first != 0x76 && first != 0x78 && first != 0x6C {
            guard s + 2 < e, bytes[s + 1] == 0x29, bytes[s + 2] == 0x20 else { return nil }
            return (ascii(s, s + 2), skipSpaces(s + 2, e))
        }
        var i = s
        let open = bytes[i] == 0x28  // (
        if open { i += 1 }
        let tokenStart = i
        var digits = 0
        var romans = 0
        while i < e && (isDigit(bytes[i]) || isLowerASCII(bytes[i])) && i - tokenStart < 5 {
            if isDigit(bytes[i]) { digits += 1 }
            if bytes[i] == 0x69 || bytes[i] == 0x76 || bytes[i] == 0x78 || bytes[i] == 0x6C { romans += 1 }  // i v x l
            i += 1
        }
        guard i > tokenStart, i + 1 < e else { return nil }
        let length = i - tokenStart
        // The token is ASCII digits and lower-case letters only.
        let isNumber = digits == length && length <= 3
        let isLetter = length == 1 && digits == 0
        let isRoman = romans == length && length <= 4
        guard isNumber || isLetter || isRoman else { return nil }
        let close = bytes[i]
        if open {
            guard close == 0x29, bytes[i + 1] == 0x20 else { return nil }
        } else {
            guard (close == 0x29 || (close == 0x2E && (isNumber || isRoman))) && bytes[i + 1] == 0x20 else { return nil }
        }
        return (ascii(s, i + 1), skipSpaces(i + 1, e))
    }

    // MARK: Byte predicates

    @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) func isLowerASCII(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }
    func ascii(_ s: Int, _ e: Int) -> String { String(decoding: bytes[s..<e], as: UTF8.self) }
    func string(_ s: Int, _ e: Int) -> String { String(decoding: bytes[s..<e], as: UTF8.self) }

    func endsSentence(_ line: TextLine) -> Bool {
        guard line.contentEnd > line.contentStart else { return false }
        var i = line.contentEnd - 1
        while i > line.contentStart && (bytes[i] == 0x2A || bytes[i] == 0x22 || bytes[i] == 0x29 || bytes[i] & 0xC0 == 0x80 && false) { i -= 1 }
        switch bytes[i] {
        case 0x2E, 0x21, 0x3F, 0x3B: return true  // . ! ? ;
        default: return false
        }
    }

    func endsWith(_ line: TextLine, _ b: UInt8) -> Bool {
        line.contentEnd > line.contentStart && bytes[line.contentEnd - 1] == b
    }

    func startsLowercase(_ line: TextLine) -> Bool {
        guard line.contentStart < line.contentEnd else { return false }
        let b = bytes[line.contentStart]
        if b < 0x80 { return b >= 0x61 && b <= 0x7A }
        if b == 0xC3, line.contentStart + 1 < line.contentEnd {  // Latin-1 letters: à–ÿ are lower case
            let c = bytes[line.contentStart + 1]
            return c >= 0x9F && c != 0xB7
        }
        let first = string(line.contentStart, min(line.contentEnd, line.contentStart + 4)).unicodeScalars.first!
        return first.properties.isLowercase
    }

    /// Letters are at least 60% of the non-blank characters and nearly all upper case.
    /// Byte-level: ASCII and Latin-1 letters are classified by range (the languages we read);
    /// other letters count as neither, so they cannot make a line look like capitals.
    func isAllCaps(_ s: Int, _ e: Int) -> Bool {
        var upper = 0
        var lower = 0
        var other = 0
        var i = s
        while i < e {
            let b = bytes[i]
            if b >= 0x41 && b <= 0x5A {
                upper += 1
            } else if b >= 0x61 && b <= 0x7A {
                lower += 1
                if lower * 20 > max(upper, 4) * 2 { return false }  // clearly mixed case: stop early
            } else if b == 0xC3 && i + 1 < e {  // U+00C0–U+00FF
                let c = bytes[i + 1]
                if c >= 0x80 && c <= 0x9E && c != 0x97 { upper += 1 } else if c >= 0x9F && c != 0xB7 { lower += 1 } else { other += 1 }
                i += 1
            } else if b != 0x20 && b & 0xC0 != 0x80 {
                other += 1
            }
            i += 1
        }
        return upper >= 4 && lower * 20 <= upper && (upper + lower) * 10 >= (upper + lower + other) * 6
    }
}
