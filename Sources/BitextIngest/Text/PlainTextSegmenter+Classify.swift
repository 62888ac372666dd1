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
        // hold a second reference to the array being mutated (that would copy it per block).
        var drafts = self.drafts
        self.drafts = []
        for index in drafts.indices {
            // In place: a local copy would make every appended markup range copy the arrays.
            findInlineMarkup(&drafts[index])
            let draft = drafts[index]
            if draft.preformatted { continue }
            let singleLine = draft.lineCount == 1
            switch draft.start {
            case .markdownHeading(let level, _):
                drafts[index].kind = .heading
                drafts[index].level = level
                headingCount += 1
                inSignature = false
                inNotes = Self.notesHeadings.contains(visibleText(draft).uppercased())
                continue
            case .footnote(let mark, _):
                drafts[index].kind = .footnote
                drafts[index].marker = mark
                continue
            case .listItem(let marker, _):
                let number = inNotes ? marker.trimmingCharacters(in: CharacterSet(charactersIn: ".)(")) : ""
                if inNotes, number.allSatisfy(\.isNumber) {
                    drafts[index].kind = .footnote
                    drafts[index].marker = number
                } else {
                    drafts[index].kind = .listItem
                    drafts[index].marker = marker
                }
                continue
            case .plain:
                break
            }
            if draft.kind == .heading { continue }  // setext
            // Most blocks are long paragraphs: decide from the bytes when that is exact, and
            // build the block's text only for the tests that need it.
            let shape = visibleShape(draft)
            var text: String?
            // Every signature opener starts with "(".
            if shape.firstByte == 0x28 {
                let visible = visibleText(draft)
                text = visible
                if Self.signatureOpeners.contains(where: { visible.hasPrefix($0) }) {
                    drafts[index].kind = .address
                    inSignature = true
                    continue
                }
            }
            if inSignature {
                let visible = text ?? visibleText(draft)
                text = visible
                if draft.gapBefore < 2 && singleLine && visible.count <= 120 && !visible.hasSuffix(".") {
                    drafts[index].kind = .address
                    continue
                }
                inSignature = false
            }
            var lazyText = LazyText(text: text)
            if let style = headingStyle(draft, shape: shape, text: &lazyText, next: index + 1 < drafts.count ? drafts[index + 1] : nil) {
                let visible = lazyText.get { visibleText(draft) }
                drafts[index].kind = .heading
                // Bold and title lines are main headings; ALL-CAPS lines are the sections below them.
                drafts[index].level = headingCount == 0 || style != .capitals ? 1 : 2
                headingCount += 1
                inNotes = Self.notesHeadings.contains(visible.uppercased().trimmingCharacters(in: CharacterSet(charactersIn: ":")))
            }
        }
        self.drafts = drafts
        drafts = []
        assignListLevels()
    }

    /// What `visibleText` would hold, measured on the bytes: its length, its first byte, its
    /// number of scalars, and whether it has any scalar from U+0300 up (which may combine
    /// with its neighbours into one character).
    func visibleShape(_ draft: Draft) -> (bytes: Int, firstByte: UInt8?, scalars: Int, mayCombine: Bool) {
        var length = 0
        var first: UInt8?
        var scalars = 0
        var mayCombine = false
        forEachVisibleRange(draft) { start, end in
            guard start < end else { return }
            if first == nil { first = bytes[start] }
            length += end - start
            for i in start..<end {
                let b = bytes[i]
                if b & 0xC0 != 0x80 { scalars += 1 }
                if b >= 0xCC { mayCombine = true }
            }
        }
        return (length, first, scalars, mayCombine)
    }

    /// The ranges of the draft that are not excluded, in order (`visibleText` joins them).
    @inline(__always)
    func forEachVisibleRange(_ draft: Draft, _ body: (Int, Int) -> Void) {
        var cursor = draft.contentStart
        for cut in draft.excluded where cut.start >= cursor {
            body(cursor, min(cut.start, draft.contentEnd))
            cursor = max(cursor, cut.end)
        }
        if draft.contentEnd >= cursor { body(cursor, draft.contentEnd) }
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
    private func headingStyle(_ draft: Draft, shape: (bytes: Int, firstByte: UInt8?, scalars: Int, mayCombine: Bool), text: inout LazyText, next: Draft?) -> HeadingStyle? {
        let count = shape.mayCombine ? text.get { visibleText(draft) }.count : shape.scalars
        guard count <= 250, count > 0 else { return nil }
        if isBoldBlock(draft) && !text.get({ visibleText(draft) }).hasSuffix(".") { return .bold }
        if isAllCaps(draft.contentStart, draft.contentEnd) && count <= 200 { return .capitals }
        guard draft.lineCount <= 2, count <= 200 else { return nil }
        // A title line is followed by longer text.
        guard let next, !next.preformatted else { return nil }
        let nextLength = next.contentEnd - next.contentStart
        guard nextLength > (draft.contentEnd - draft.contentStart) * 3 / 2 else { return nil }
        let text = text.get { visibleText(draft) }
        let words = text.split(separator: " ")
        guard (3...30).contains(words.count), let first = text.unicodeScalars.first, first.properties.isUppercase else { return nil }
        if let last = text.last, ".!?;:,…)]\"”»".contains(last) { return nil }
        if text.contains(": ") || text.contains(". ") { return nil }
        return .title
    }

    private func isBoldBlock(_ draft: Draft) -> Bool {
        guard let first = draft.marks.first(where: { $0.kind == .bold }) else { return false }
        // The bold span starts right after the opening ** and ends right before the closing one.
        return first.range.start == draft.contentStart + 2 && draft.marks.filter { $0.kind == .bold }.last!.range.end == draft.contentEnd - 2
    }

    /// The draft's text without excluded markup, line breaks as spaces (for classification).
    func visibleText(_ draft: Draft) -> String {
        var pieces: [UInt8] = []
        forEachVisibleRange(draft) { start, end in pieces.append(contentsOf: bytes[start..<end]) }
        for i in pieces.indices where pieces[i] == 0x0A { pieces[i] = 0x20 }
        return String(decoding: pieces, as: UTF8.self)
    }

    /// `**bold**` pairs and `^{1/}` / superscript footnote references inside the draft.
    func findInlineMarkup(_ draft: inout Draft) {
        guard !draft.preformatted else { return }
        var i = draft.contentStart
        let e = draft.contentEnd
        var boldOpen: Int?
        while i < e {
            let b = bytes[i]
            if b == 0x2A, i + 1 < e, bytes[i + 1] == 0x2A {
                if let open = boldOpen {
                    draft.excluded.append(TextRange(open - 2, open))
                    draft.excluded.append(TextRange(i, i + 2))
                    draft.marks.append(InlineMark(kind: .bold, range: TextRange(open, i)))
                    boldOpen = nil
                } else {
                    boldOpen = i + 2
                }
                i += 2
                continue
            }
            if b == 0x5E, let (digits, after) = caretMark(at: i, end: e) {
                draft.excluded.append(TextRange(i, after))
                draft.marks.append(InlineMark(kind: .footnoteReference, range: TextRange(i, after), value: digits))
                i = after
                continue
            }
            if (b == 0xC2 || b == 0xE2), i > draft.contentStart, bytes[i - 1] != 0x20,
                let (digits, after) = superscriptDigits(at: i, end: e)
            {
                draft.excluded.append(TextRange(i, after))
                draft.marks.append(InlineMark(kind: .footnoteReference, range: TextRange(i, after), value: digits))
                i = after
                continue
            }
            i += 1
        }
        draft.excluded.sort()
    }

    /// List nesting from indentation: deeper indentation than the item before opens a level.
    private mutating func assignListLevels() {
        var stack: [Int] = []
        for index in drafts.indices {
            guard drafts[index].kind == .listItem else {
                if drafts[index].gapBefore > 0 || drafts[index].kind != .paragraph { stack.removeAll() }
                continue
            }
            let indent = lines[drafts[index].firstLine].indentation
            while let top = stack.last, indent < top { stack.removeLast() }
            if stack.last != indent { stack.append(indent) }
            drafts[index].level = stack.count
        }
    }

    // MARK: Blocks

    func makeBlocks() -> ([Block], [InlineMark]) {
        var blocks: [Block] = []
        var marks: [InlineMark] = []
        var footnoteByMark: [String: Int] = [:]
        blocks.reserveCapacity(drafts.count)
        for draft in drafts {
            let column = TextLayout.width(bytes, draft.firstLineStart, draft.contentStart) + 1
            var block = Block(
                kind: draft.kind, range: TextRange(draft.contentStart, draft.contentEnd),
                position: SourcePosition(line: draft.firstLine + 1, column: column), level: draft.level, marker: draft.marker,
                attributes: draft.attributes)
            block.excluded = draft.excluded
            block.foldsLineBreaks = draft.lineCount > 1 && !draft.preformatted
            if draft.kind == .footnote, let mark = draft.marker {
                if let first = footnoteByMark[mark] {
                    // A note continued elsewhere (a FOOTNOTES section) is joined to its start.
                    block.attributes["continues"] = String(first)
                    blocks[first].attributes["continued_by", default: ""] += (blocks[first].attributes["continued_by"] == nil ? "" : " ") + String(blocks.count)
                } else {
                    footnoteByMark[mark] = blocks.count
                }
            }
            marks.append(contentsOf: draft.marks)
            blocks.append(block)
        }
        for i in marks.indices where marks[i].kind == .footnoteReference {
            marks[i].target = marks[i].value.flatMap { footnoteByMark[$0] }
        }
        return (blocks, marks.sorted { $0.range < $1.range })
    }
}
