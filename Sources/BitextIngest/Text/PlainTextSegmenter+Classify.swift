import BitextCore
import Foundation

extension DraftBuilder {
    /// Words that open a signature block.
    static let signatureOpeners = ["(Signed)", "(signed)", "(Firmado)", "(firmado)", "(Sgd.)", "(Fdo.)", "(Signé)"]
    /// Headings after which numbered items are notes, not list items.
    static let notesHeadings: Set<String> = ["FOOTNOTES", "NOTES", "ENDNOTES", "NOTAS", "NOTAS A PIE DE PÁGINA", "NOTAS FINALES", "NOTES DE BAS DE PAGE"]

    mutating func classify() {
        var inSignature = false
        var inNotes = false
        var headingCount = 0
        // Taken out of `self` while classifying: the helpers below read `self`, and must not
        // hold a second reference to the arrays being mutated (that would copy them per block).
        var blocks = self.blocks
        var marks = self.marks
        let drafts = self.drafts
        self.blocks = []
        self.marks = []
        self.drafts = []
        defer {
            self.blocks = blocks
            self.marks = marks
            self.drafts = drafts
        }
        // The helpers are called on this copy, made once: called on `self` (which this
        // method mutates), each call copied the whole builder (153 bytes) first, several
        // times per block.
        let reader = self
        // Blocks through a pointer: each write through the array checked that it was unshared
        // (a runtime call, twice or more per block).
        blocks.withUnsafeMutableBufferPointer { blocks in
            for index in drafts.indices {
                let draft = drafts[index]
                if draft.preformatted { continue }
                // In place: a local copy would make every appended markup range copy the arrays.
                let markRange = reader.findInlineMarkup(&blocks[index], into: &marks, mayHoldMarkup: draft.mayHoldMarkup)
                // What the tests read of the block (a copy of the whole block would retain five fields).
                let block = Visible(range: blocks[index].range, excluded: blocks[index].excluded)
                let singleLine = draft.lineCount == 1
                switch draft.start {
                case .markdownHeading:
                    blocks[index].kind = .heading
                    headingCount += 1
                    inSignature = false
                    inNotes = reader.isNotesHeading(block, trimmingColons: false)
                    continue
                case .footnote:
                    blocks[index].kind = .footnote
                    continue
                case .listItem:
                    let marker = blocks[index].marker ?? ""
                    let number = inNotes ? Self.trimming(marker) { $0 == "." || $0 == ")" || $0 == "(" } : ""
                    if inNotes, number.allSatisfy(\.isNumber) {
                        blocks[index].kind = .footnote
                        blocks[index].marker = number
                    } else {
                        blocks[index].kind = .listItem
                    }
                    continue
                case .plain:
                    break
                }
                if blocks[index].kind == .heading { continue }  // setext
                // Most blocks are long paragraphs: decide from the bytes when that is exact, and
                // build the block's text only for the tests that need it.
                let shape = reader.visibleShape(block, isASCII: draft.isASCII)
                var text: String?
                // Every signature opener starts with "(".
                if shape.firstByte == 0x28 {
                    let visible = reader.visibleText(block)
                    text = visible
                    if Self.signatureOpeners.contains(where: { visible.hasPrefix($0) }) {
                        blocks[index].kind = .address
                        inSignature = true
                        continue
                    }
                }
                if inSignature {
                    let visible = text ?? reader.visibleText(block)
                    text = visible
                    if draft.gapBefore < 2 && singleLine && visible.count <= 120 && !visible.hasSuffix(".") {
                        blocks[index].kind = .address
                        continue
                    }
                    inSignature = false
                }
                var lazyText = LazyText(text: text)
                let next = index + 1 < drafts.count ? (draft: drafts[index + 1], range: blocks[index + 1].range) : nil
                let bold = reader.isBoldBlock(block, marks: marks[markRange])
                if let style = reader.headingStyle(draft, block, bold: bold, shape: shape, text: &lazyText, next: next) {
                    blocks[index].kind = .heading
                    // Bold and title lines are main headings; ALL-CAPS lines are the sections below them.
                    blocks[index].level = headingCount == 0 || style != .capitals ? 1 : 2
                    headingCount += 1
                    inNotes = lazyText.text.map { Self.notesHeadings.contains(Self.trimming($0.uppercased()) { $0 == ":" }) }
                        ?? reader.isNotesHeading(block, trimmingColons: true)
                }
            }
        }
        assignListLevels(&blocks, drafts: drafts)
    }

    /// What `visibleText` would hold, measured on the bytes: its length, its first byte, its
    /// number of scalars, and whether it has any scalar from U+0300 up (which may combine
    /// with its neighbours into one character). `isASCII`: the visible text is known to be
    /// ASCII (`Draft.isASCII`), one scalar per byte: its bytes are not read.
    func visibleShape(_ block: Visible, isASCII: Bool = false) -> (bytes: Int, firstByte: UInt8?, scalars: Int, mayCombine: Bool) {
        var length = 0
        var first: UInt8?
        var scalars = 0
        var mayCombine = false
        forEachVisibleRange(block) { start, end in
            guard start < end else { return }
            if first == nil { first = bytes[start] }
            length += end - start
            if isASCII {
                scalars += end - start
                return
            }
            var i = start
            // Eight bytes at a time; words of plain ASCII (most) need no count.
            var continuations = 0
            while i + 8 <= end {
                let word = TextLayout.load(bytes, i)
                i += 8
                guard word & TextLayout.highBits != 0 else { continue }
                continuations += TextLayout.continuationBytes(word)
                if TextLayout.hasLeadFromU0300(word) { mayCombine = true }
            }
            if i < end && end >= 8 {
                // The last bytes as the top of the word that ends the range, shifted down
                // (zero bytes above them count as nothing).
                let word = TextLayout.load(bytes, end - 8) >> UInt64(8 * (8 - (end - i)))
                continuations += TextLayout.continuationBytes(word)
                if TextLayout.hasLeadFromU0300(word) { mayCombine = true }
                i = end
            }
            while i < end {
                let b = bytes[i]
                if b & 0xC0 == 0x80 { continuations += 1 }
                if b >= 0xCC { mayCombine = true }
                i += 1
            }
            scalars += end - start - continuations
        }
        return (length, first, scalars, mayCombine)
    }

    /// The ranges of the draft that are not excluded, in order (`visibleText` joins them).
    @inline(__always)
    func forEachVisibleRange(_ block: Visible, _ body: (Int, Int) -> Void) {
        let range = block.range
        var cursor = range.start
        for cut in block.excluded where cut.start >= cursor {
            body(cursor, min(cut.start, range.end))
            cursor = max(cursor, cut.end)
        }
        if range.end >= cursor { body(cursor, range.end) }
    }

    /// A block's range and the markup excluded from it: all the text tests read.
    struct Visible {
        var range: TextRange
        var excluded: [TextRange]
    }

    /// Headings: a block in bold, an ALL-CAPS line, or a short title line with no closing
    /// punctuation followed by longer text.
    enum HeadingStyle { case bold, capitals, title }

    /// The block's text, built the first time a test needs it.
    struct LazyText {
        var text: String?
        mutating func get(_ make: () -> String) -> String {
            if let text { return text }
            let made = make()
            text = made
            return made
        }
    }

    /// The tests run cheapest first; the text is built only when a test needs it. Counts are
    /// characters (grapheme clusters); below U+0300 every scalar is a character of its own (no
    /// combining marks), so there the scalar count is the character count.
    private func headingStyle(
        _ draft: Draft, _ block: Visible, bold: Bool, shape: (bytes: Int, firstByte: UInt8?, scalars: Int, mayCombine: Bool), text: inout LazyText,
        next: (draft: Draft, range: TextRange)?
    ) -> HeadingStyle? {
        let count: Int
        if !shape.mayCombine {
            count = shape.scalars
        } else if Self.leastCharacters(scalars: shape.scalars, bytes: shape.bytes) > 250 {
            return nil  // a long paragraph: too long for a heading however its scalars combine
        } else if shape.scalars <= 200 {
            count = shape.scalars  // 0 < characters ≤ scalars ≤ 200: every test below answers alike
        } else {
            count = text.get { visibleText(block) }.count
        }
        guard count <= 250, count > 0 else { return nil }
        if bold && !endsWithPeriod(block, shape: shape, text: &text) { return .bold }
        if reading.isAllCaps(block.range.start, block.range.end) && count <= 200 { return .capitals }
        guard draft.lineCount <= 2, count <= 200 else { return nil }
        // A title line is followed by longer text.
        guard let next, !next.draft.preformatted else { return nil }
        let nextLength = next.range.length
        guard nextLength > block.range.length * 3 / 2 else { return nil }
        if !shape.mayCombine && text.text == nil { return isTitleByBytes(block) ? .title : nil }
        let text = text.get { visibleText(block) }
        let words = text.split(separator: " ")
        guard (3...30).contains(words.count), let first = text.unicodeScalars.first, first.properties.isUppercase else { return nil }
        if let last = text.last, Self.titleEndings.contains(last) { return nil }
        if text.contains(": ") || text.contains(". ") { return nil }
        return .title
    }

    /// The fewest characters (grapheme clusters) a text without line feeds can have, from its
    /// scalars and UTF-8 bytes. Two scalars stay in one character only next to a scalar from
    /// U+0300 up (combining marks, ZWJ, spacing marks, prepends, Hangul jamo, regional
    /// indicators; CR LF, the one exception, needs a line feed), each such scalar joins at most
    /// its two neighbours, and each has a continuation byte: so at most `2 × (bytes − scalars)`
    /// of the `scalars − 1` boundaries are not character boundaries.
    static func leastCharacters(scalars: Int, bytes: Int) -> Int {
        scalars - 2 * (bytes - scalars)
    }

    /// Characters that end a line that is not a title.
    static let titleEndings = ".!?;:,…)]\"”»"
    /// Whether a scalar is one of `titleEndings` (each is one scalar). A switch rather than a
    /// `Set`: a set lookup hashed the scalar (and checked the set's lazy initialisation) once
    /// per short block.
    @inline(__always) static func isTitleEnding(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case ".", "!", "?", ";", ":", ",", "…", ")", "]", "\"", "”", "»": true
        default: false
        }
    }

    /// Whether the visible text ends with a period (`hasSuffix(".")`).
    private func endsWithPeriod(_ block: Visible, shape: (bytes: Int, firstByte: UInt8?, scalars: Int, mayCombine: Bool), text: inout LazyText) -> Bool {
        if shape.mayCombine || text.text != nil { return text.get { visibleText(block) }.hasSuffix(".") }
        // Nothing combines: the last character is the last scalar, and "." is one byte.
        var last: UInt8?
        forEachVisibleRange(block) { start, end in if start < end { last = bytes[end - 1] } }
        return last == UInt8(ascii: ".")
    }

    /// The title test of `headingStyle` on the visible bytes, for text in which every scalar is
    /// a character of its own (nothing from U+0300 up): words are runs between spaces, the
    /// first and last characters are the first and last scalars.
    private func isTitleByBytes(_ block: Visible) -> Bool {
        var words = 0
        var previous: UInt8 = 0x20
        var first: Unicode.Scalar?
        var lastStart = -1
        var lastEnd = -1
        var separatorAfterPunctuation = false
        var started = false
        forEachVisibleRange(block) { start, end in
            var i = start
            while i < end {
                var b = bytes[i]
                if b == 0x0A { b = 0x20 }  // soft line breaks read as spaces
                if !started {
                    started = true
                    first = b == 0x20 ? " " : scalar(at: i)
                }
                if b == 0x20 {
                    if previous == UInt8(ascii: ":") || previous == UInt8(ascii: ".") { separatorAfterPunctuation = true }
                } else {
                    if previous == 0x20 { words += 1 }
                    if b & 0xC0 != 0x80 { lastStart = i }
                    lastEnd = i + 1
                }
                previous = b
                i += 1
            }
        }
        guard (3...30).contains(words), let first, Self.isUppercase(first) else { return false }
        // The last character may be a space (never one of the endings).
        if previous != 0x20, lastStart >= 0, let last = scalar(at: lastStart), lastEnd > lastStart, Self.isTitleEnding(last) { return false }
        return !separatorAfterPunctuation
    }

    /// `properties.isUppercase`, without the property lookup for ASCII (where only A–Z are).
    @inline(__always) static func isUppercase(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? scalar.value >= 0x41 && scalar.value <= 0x5A : scalar.properties.isUppercase
    }

    /// The scalar whose UTF-8 starts at `i` (text is valid UTF-8).
    private func scalar(at i: Int) -> Unicode.Scalar? {
        let b0 = UInt32(bytes[i])
        switch b0 {
        case 0..<0x80: return Unicode.Scalar(b0)
        case 0xC0..<0xE0 where i + 1 < bytes.count:
            return Unicode.Scalar((b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F))
        case 0xE0..<0xF0 where i + 2 < bytes.count:
            return Unicode.Scalar((b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F))
        case 0xF0..<0xF8 where i + 3 < bytes.count:
            return Unicode.Scalar((b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6 | UInt32(bytes[i + 3] & 0x3F))
        default: return nil
        }
    }

    /// Whether the draft's visible text, upper-cased (and with colons trimmed from its ends),
    /// is one of `notesHeadings`. ASCII text is compared byte by byte; other text as strings.
    func isNotesHeading(_ block: Visible, trimmingColons: Bool) -> Bool {
        // Every notes heading starts with F, N or E: text whose first byte (after the colons
        // trimmed) is another ASCII byte cannot upper-case into one.
        var firstByte: UInt8?
        forEachVisibleRange(block) { start, end in
            var i = start
            while firstByte == nil && i < end {
                if !(trimmingColons && bytes[i] == UInt8(ascii: ":")) { firstByte = bytes[i] }
                i += 1
            }
        }
        guard let firstByte else { return false }
        switch firstByte {
        case UInt8(ascii: "F"), UInt8(ascii: "f"), UInt8(ascii: "N"), UInt8(ascii: "n"), UInt8(ascii: "E"), UInt8(ascii: "e"), 0x80...: break
        default: return false
        }
        var ascii: [UInt8] = []
        var isASCII = true
        forEachVisibleRange(block) { start, end in
            guard isASCII else { return }
            for i in start..<end {
                let b = bytes[i]
                if b >= 0x80 {
                    isASCII = false
                    return
                }
                ascii.append(b == 0x0A ? 0x20 : (b >= 0x61 && b <= 0x7A ? b - 0x20 : b))
            }
        }
        guard isASCII else {
            let upper = visibleText(block).uppercased()
            return Self.notesHeadings.contains(trimmingColons ? Self.trimming(upper) { $0 == ":" } : upper)
        }
        var slice = ascii[...]
        if trimmingColons {
            while slice.first == UInt8(ascii: ":") { slice.removeFirst() }
            while slice.last == UInt8(ascii: ":") { slice.removeLast() }
        }
        return Self.notesHeadingBytes.contains(Array(slice))
    }

    /// `text` without the scalars `drop` accepts at either end: what Foundation's
    /// `trimmingCharacters(in:)` gives for a set of such scalars, without bridging to UTF-16.
    static func trimming(_ text: String, where drop: (Unicode.Scalar) -> Bool) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !drop($0) }), let last = scalars.lastIndex(where: { !drop($0) }) else {
            return ""
        }
        if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return text }
        return String(Substring(scalars[first...last]))
    }

    static let notesHeadingBytes: Set<[UInt8]> = Set(notesHeadings.map { Array($0.utf8) })

    private func isBoldBlock(_ block: Visible, marks: ArraySlice<InlineMark>) -> Bool {
        guard let first = marks.first(where: { $0.kind == .bold }) else { return false }
        // The bold span starts right after the opening ** and ends right before the closing one.
        return first.range.start == block.range.start + 2 && marks.last(where: { $0.kind == .bold })!.range.end == block.range.end - 2
    }

    /// The draft's text without excluded markup, line breaks as spaces (for classification).
    func visibleText(_ block: Visible) -> String {
        var pieces: [UInt8] = []
        forEachVisibleRange(block) { start, end in pieces.append(contentsOf: bytes[start..<end]) }
        for i in pieces.indices where pieces[i] == 0x0A { pieces[i] = 0x20 }
        return String(decoding: pieces, as: UTF8.self)
    }

    /// `**bold**` pairs and `^{1/}` / superscript footnote references inside the draft.
    /// Appends the marks to `marks` and returns where they are. `mayHoldMarkup` false (see
    /// `Draft.mayHoldMarkup`): the block has none, and its bytes are not read.
    func findInlineMarkup(_ block: inout Block, into marks: inout [InlineMark], mayHoldMarkup: Bool = true) -> Range<Int> {
        let first = marks.count
        var i = block.range.start
        // (Without markup there is nothing to find: the scan below starts at its end.)
        let e = block.range.end
        if !mayHoldMarkup { i = e }
        var boldOpen: Int?
        var excluded: [TextRange] = []
        while i < e {
            // Eight bytes with none of the bytes markup starts with (* ^ and the first two
            // bytes of a superscript digit) are skipped whole: curly quotes and dashes (E2 80)
            // and no-break spaces (C2 A0) no longer send their words to the byte loop. The
            // last few bytes are read as the word that ends the block (it starts before `i`,
            // so a find there only sends the bytes from `i` to the byte loop).
            if i + 8 <= e {
                let word = TextLayout.load(bytes, i)
                if !TextLayout.contains(word, 0x2A) && !TextLayout.contains(word, 0x5E) && !TextLayout.mayHoldSuperscriptDigit(word) {
                    i += 8
                    continue
                }
            } else if e >= 8 {
                let word = TextLayout.load(bytes, e - 8)
                if !TextLayout.contains(word, 0x2A) && !TextLayout.contains(word, 0x5E) && !TextLayout.mayHoldSuperscriptDigit(word) { break }
            }
            let b = bytes[i]
            if b == 0x2A, i + 1 < e, bytes[i + 1] == 0x2A {
                if let open = boldOpen {
                    excluded.append(TextRange(open - 2, open))
                    excluded.append(TextRange(i, i + 2))
                    marks.append(InlineMark(kind: .bold, range: TextRange(open, i)))
                    boldOpen = nil
                } else {
                    boldOpen = i + 2
                }
                i += 2
                continue
            }
            if b == 0x5E, let (digits, after) = reading.caretMark(at: i, end: e) {
                excluded.append(TextRange(i, after))
                marks.append(InlineMark(kind: .footnoteReference, range: TextRange(i, after), value: digits))
                i = after
                continue
            }
            if (b == 0xC2 || b == 0xE2), i > block.range.start, bytes[i - 1] != 0x20,
                let (digits, after) = reading.superscriptDigits(at: i, end: e)
            {
                excluded.append(TextRange(i, after))
                marks.append(InlineMark(kind: .footnoteReference, range: TextRange(i, after), value: digits))
                i = after
                continue
            }
            i += 1
        }
        if !excluded.isEmpty {
            block.excluded.append(contentsOf: excluded)
            block.excluded.sort()
        } else if block.excluded.count > 1 {
            block.excluded.sort()
        }
        return first..<marks.count
    }

    /// List nesting from indentation: deeper indentation than the item before opens a level.
    private func assignListLevels(_ blocks: inout [Block], drafts: [Draft]) {
        var stack: [Int] = []
        for index in blocks.indices {
            guard blocks[index].kind == .listItem else {
                if drafts[index].gapBefore > 0 || blocks[index].kind != .paragraph { stack.removeAll() }
                continue
            }
            let indent = drafts[index].indentation
            while let top = stack.last, indent < top { stack.removeLast() }
            if stack.last != indent { stack.append(indent) }
            blocks[index].level = stack.count
        }
    }

    // MARK: Blocks

    /// The finished blocks and marks: footnotes continued elsewhere linked to their start,
    /// footnote references to their notes, soft line breaks marked.
    mutating func finishBlocks() -> ([Block], [InlineMark]) {
        var blocks = self.blocks
        var marks = self.marks
        self.blocks = []
        self.marks = []
        var footnoteByMark: [String: Int] = [:]
        for index in blocks.indices {
            let draft = drafts[index]
            blocks[index].foldsLineBreaks = draft.lineCount > 1 && !draft.preformatted
            guard blocks[index].kind == .footnote, let mark = blocks[index].marker else { continue }
            if let first = footnoteByMark[mark] {
                // A note continued elsewhere (a FOOTNOTES section) is joined to its start.
                blocks[index].attributes["continues"] = String(first)
                blocks[first].attributes["continued_by", default: ""] += (blocks[first].attributes["continued_by"] == nil ? "" : " ") + String(index)
            } else {
                footnoteByMark[mark] = index
            }
        }
        drafts = []
        for i in marks.indices where marks[i].kind == .footnoteReference {
            marks[i].target = marks[i].value.flatMap { footnoteByMark[$0] }
        }
        return (blocks, marks.sorted { $0.range < $1.range })
    }
}
