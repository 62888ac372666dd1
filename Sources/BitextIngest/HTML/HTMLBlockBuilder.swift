import BitextCore
import BitextHTML
import Foundation

/// A block found in the page, before the document text is assembled.
struct PendingBlock {
    var kind: BlockKind
    var level: Int?
    var marker: String?
    /// The block's text, UTF-8.
    var bytes: [UInt8] = []
    /// Marks with offsets local to `bytes`.
    var marks: [PendingMark] = []
    /// Local ranges of `bytes` a reader does not see (footnote reference numbers, back links).
    var excluded: [Range<Int>] = []
    var line: Int
    /// The element the block came from (for `element_path`).
    var element: Int
    var attributes: [String: String]
    /// The element language when it differs from the page's.
    var language: String?
    /// Bytes inside links, for link density.
    var linkBytes = 0
    /// The footnote target element this block is the body of.
    var footnoteTarget: Int?
    var isPreformatted = false
    /// Holds a combining mark (U+0300–U+036F), so NFC may change it.
    var mayNeedNFC = false
}

struct PendingMark {
    var kind: InlineMark.Kind
    private var start32: Int32
    private var end32: Int32
    /// Only links and footnote references have more to say: kept out of line, so the
    /// hundreds of thousands of bold and italic marks of a big page take 24 bytes each.
    private let detail: Detail?

    final class Detail: Sendable {
        let value: String?
        let href: String?
        /// For footnote references: the target element.
        let targetElement: Int?
        init(value: String?, href: String?, targetElement: Int?) {
            self.value = value
            self.href = href
            self.targetElement = targetElement
        }
    }

    init(kind: InlineMark.Kind, start: Int, end: Int, value: String? = nil, href: String? = nil, targetElement: Int? = nil) {
        self.kind = kind
        start32 = Int32(truncatingIfNeeded: start)
        end32 = Int32(truncatingIfNeeded: end)
        detail = value == nil && href == nil && targetElement == nil ? nil : Detail(value: value, href: href, targetElement: targetElement)
    }

    var start: Int {
        get { Int(start32) }
        set { start32 = Int32(truncatingIfNeeded: newValue) }
    }
    var end: Int {
        get { Int(end32) }
        set { end32 = Int32(truncatingIfNeeded: newValue) }
    }
    var value: String? { detail?.value }
    var href: String? { detail?.href }
    var targetElement: Int? { detail?.targetElement }
}

/// Content dropped while building blocks, resolved to a `RemovedContent` at the end.
struct PendingRemoval {
    var reason: String
    var element: Int
}

/// Walks an `HTMLTree` in document order and builds blocks as a reader sees them.
///
/// The walk is a loop over the flat node array with explicit stacks (no recursion), so
/// nesting depth costs memory, not call stack. Text is handled as UTF-8 bytes.
///
/// White space: runs of ASCII white space collapse to one space, and a run that holds a
/// no-break space (U+00A0) collapses to one U+00A0 — it is kept because it is meaningful in
/// Spanish and French typography ("10 %", "Sr. García"). Blocks are trimmed of both. Soft
/// hyphens (U+00AD) are dropped. `<br>` is a line break inside the block; two or more in a
/// row end the block, as they end a paragraph on screen.
struct HTMLBlockBuilder {
    let tree: HTMLTree
    let analysis: HTMLAnalysis
    let boilerplate: BoilerplatePolicy

    private(set) var blocks: [PendingBlock] = []

    /// The blocks built, handed over (the builder keeps none).
    mutating func takeBlocks() -> [PendingBlock] {
        var taken: [PendingBlock] = []
        swap(&taken, &blocks)
        return taken
    }
    private(set) var removals: [PendingRemoval] = []
    private(set) var alternates: [(language: String, href: String)] = []

    // MARK: walk state
    private struct Context {
        var kind: BlockKind
        var level: Int?
        var marker: String?
        var attributes: [String: String]
        var element: Int
        var footnoteTarget: Int?
    }
    private struct ListState {
        var ordered: Bool
        var next: Int
        var style: UInt8
        var reversed: Bool
    }
    private struct TableState {
        var ordinal: Int
        /// Tables used for page layout (admonition boxes, `role="presentation"`) are not data.
        var layout: Bool
        var row = 0
        var column = 0
        /// Column → last row a `rowspan` cell occupies.
        var spans: [Int: Int] = [:]
    }
    private enum Exit {
        case none
        case flush
        case mark(Int)  // index in openMarks
        case footnoteReference(Int)
        case excluded(Int)
    }
    private struct Frame {
        var end: Int
        var exit: Exit
        var contexts: Int
        var languages: Int
        var lists: Int
        var tables: Int
        var blockElements: Int
        var pre: Int
        var inReference: Int
    }
    private struct OpenMark {
        var kind: InlineMark.Kind
        var start: Int
        var href: String?
        var target: Int?
        /// For footnote references and back links: where the exclusion starts (may
        /// include the space before the reference).
        var excludeStart: Int
        /// Back links and footnote references stay in the text but out of the reader's view.
        var exclude = false
    }

    private var frames: [Frame] = []
    private var contexts: [Context] = []
    private var languages: [String] = []
    private var lists: [ListState] = []
    private var tables: [TableState] = []
    private var blockElements: [Int] = []
    private var openMarks: [OpenMark] = []
    private var preDepth = 0
    private var referenceDepth = 0
    private var tableCount = 0

    private var current: PendingBlock?
    private var pendingSpace = false
    private var pendingNoBreak = false
    /// Set by an inline footnote target (`<a id="fn1">`): the block it sits in is the note.
    private var pendingFootnoteTarget: Int?
    private let documentLanguage: String?

    init(tree: HTMLTree, analysis: HTMLAnalysis, boilerplate: BoilerplatePolicy) {
        self.tree = tree
        self.analysis = analysis
        self.boilerplate = boilerplate
        self.documentLanguage = analysis.documentLanguage
    }

    mutating func build() {
        let nodes = tree.nodes
        var i = 0
        while i < nodes.count {
            closeFrames(upTo: i)
            switch nodes[i].kind {
            case .text:
                appendText(node: i)
                i += 1
            case .comment:
                if !tree.content(of: i).allSatisfy(Self.isSpace) { removals.append(PendingRemoval(reason: "comment", element: i)) }
                i += 1
            case .element:
                i = enter(i)
            }
        }
        closeFrames(upTo: Int.max)
        flush()
    }

    // MARK: elements

    /// Handles the start of element `i`; returns the next node to visit.
    private mutating func enter(_ i: Int) -> Int {
        let node = tree.nodes[i]
        let name = node.name
        let end = Int(node.end)
        let role = HTMLElements.role(of: name)

        if case .metadata = role {
            if name == .head || name == .link { collectAlternates(in: i) }
            return end
        }
        if analysis.isHidden(i) {
            removals.append(PendingRemoval(reason: "hidden", element: i))
            return end
        }
        if case .dropped(let reason) = role {
            if name != .input || analysis.textBytes[i] > 0 { removals.append(PendingRemoval(reason: reason, element: i)) }
            return end
        }
        if boilerplate == .remove, let reason = analysis.boilerplateReason(i) {
            flushIfBlockLevel(role)
            removals.append(PendingRemoval(reason: reason, element: i))
            return end
        }
        if case .separator = role {
            flush()
            return end
        }
        if case .lineBreak = role {
            lineBreak()
            return end
        }

        var frame = Frame(
            end: end, exit: .none, contexts: contexts.count, languages: languages.count, lists: lists.count,
            tables: tables.count, blockElements: blockElements.count, pre: preDepth, inReference: referenceDepth)
        if let language = analysis.language(of: i) { languages.append(language) }

        switch role {
        case .container:
            flush()
            frame.exit = .flush
            blockElements.append(i)
            enterContainer(i, name: name)
        case .block:
            flush()
            frame.exit = .flush
            blockElements.append(i)
            enterBlock(i, name: name)
        default:
            frame.exit = enterInline(i, name: name)
        }
        if !analysis.footnoteTargets.isEmpty, let mark = analysis.footnoteTargets[i] {
            if case .inline = role {
                pendingFootnoteTarget = i
                if current != nil { current!.footnoteTarget = i }
            } else {
                var context = contexts.last ?? Context(kind: .paragraph, attributes: [:], element: i)
                if context.kind != .heading {
                    context.kind = .footnote
                    context.level = nil
                    context.marker = mark
                    context.footnoteTarget = i
                    context.element = i
                    contexts.append(context)
                }
            }
        }
        if end > i + 1 {
            frames.append(frame)
        } else {
            exit(frame)
        }
        return i + 1
    }

    private mutating func flushIfBlockLevel(_ role: HTMLElementRole) {
        switch role {
        case .container, .block, .separator: flush()
        default: break
        }
    }

    private mutating func enterContainer(_ i: Int, name: HTMLName) {
        switch name {
        case .ul, .ol, .menu, .dir:
            let ordered = name == .ol
            let reversed = ordered && tree.hasAttribute(.reversed, of: i)
            let start = tree.attribute(.start, of: i).flatMap(HTMLText.integer)
            let style = tree.attributeEntry(.type, of: i).flatMap { tree.bytes(of: $0).first } ?? UInt8(ascii: "1")
            lists.append(ListState(ordered: ordered, next: start ?? 1, style: style, reversed: reversed))
        case .table:
            let layout = isLayoutTable(i)
            if !layout { tableCount += 1 }
            tables.append(TableState(ordinal: tableCount, layout: layout))
        case .tr:
            if !tables.isEmpty {
                tables[tables.count - 1].row += 1
                tables[tables.count - 1].column = 0
            }
        case .blockquote:
            var context = Context(kind: .quote, attributes: [:], element: i)
            if let outer = contexts.last, outer.kind == .footnote { context = outer }
            contexts.append(context)
        default:
            break
        }
    }

    private mutating func enterBlock(_ i: Int, name: HTMLName) {
        let inherited = contexts.last
        var context = Context(kind: .paragraph, attributes: [:], element: i)
        if let level = HTMLElements.headingLevel(name) {
            context.kind = .heading
            context.level = level
        } else {
            switch name {
            case .li:
                context.kind = .listItem
                context.level = max(1, lists.count)
                if !lists.isEmpty { context.marker = nextListMarker(element: i) }
            case .dt: context.kind = .definitionTerm
            case .dd: context.kind = .definitionDescription
            case .pre, .listing, .xmp, .plaintext:
                context = inherited ?? context
                context.kind = .preformatted
                context.element = i
                preDepth += 1
            case .figcaption, .caption, .legend: context.kind = .caption
            case .address: context.kind = .address
            case .td, .th:
                if let table = tables.last, table.layout {
                    context = inherited ?? context  // layout: the cell's content flows as usual
                    context.element = i
                } else {
                    context.kind = .tableCell
                    context.attributes = tableCellAttributes(i, header: name == .th)
                }
            default:  // p, summary: the enclosing item's kind (a paragraph inside a list item is that item)
                if let inherited, [.listItem, .definitionTerm, .definitionDescription, .quote, .footnote, .address, .caption]
                    .contains(inherited.kind)
                {
                    context = inherited
                    context.element = i
                    contexts[contexts.count - 1].marker = nil  // the item's marker goes with its first paragraph
                } else if let inherited, inherited.kind == .tableCell {
                    context = inherited
                    context.element = i
                }
            }
        }
        contexts.append(context)
    }

    private mutating func enterInline(_ i: Int, name: HTMLName) -> Exit {
        if referenceDepth > 0 { return .none }
        if !analysis.footnoteReferences.isEmpty, analysis.footnoteReferences[i] != nil {
            openCurrentBlock(line: Int(tree.nodes[i].line))
            let position = contentPosition()
            let excludeStart = pendingSpace && !(current?.bytes.isEmpty ?? true) ? current!.bytes.count : position
            referenceDepth += 1
            openMarks.append(
                OpenMark(kind: .footnoteReference, start: position, target: analysis.footnoteReferences[i], excludeStart: excludeStart, exclude: true))
            return .footnoteReference(openMarks.count - 1)
        }
        if name == .a, let href = tree.attribute(.href, of: i) {
            if analysis.isBackLink(href) {
                let position = contentPosition()
                let excludeStart = pendingSpace && !(current?.bytes.isEmpty ?? true) ? current!.bytes.count : position
                referenceDepth += 1
                openMarks.append(OpenMark(kind: .link, start: position, href: href, excludeStart: excludeStart, exclude: true))
                return .excluded(openMarks.count - 1)
            }
            openMarks.append(OpenMark(kind: .link, start: contentPosition(), href: href, excludeStart: 0))
            return .mark(openMarks.count - 1)
        }
        if let kind = HTMLElements.inlineMark(name) {
            openMarks.append(OpenMark(kind: kind, start: contentPosition(), excludeStart: 0))
            return .mark(openMarks.count - 1)
        }
        return .none
    }

    private mutating func closeFrames(upTo i: Int) {
        while let last = frames.last, last.end <= i {
            frames.removeLast()
            exit(last)
        }
    }

    private mutating func exit(_ frame: Frame) {
        switch frame.exit {
        case .none: break
        case .flush: flush()
        case .mark(let index):
            closeMark(index)
        case .footnoteReference(let index), .excluded(let index):
            closeMark(index)
        }
        if contexts.count > frame.contexts { contexts.removeSubrange(frame.contexts...) }
        if languages.count > frame.languages { languages.removeSubrange(frame.languages...) }
        if lists.count > frame.lists { lists.removeSubrange(frame.lists...) }
        if tables.count > frame.tables { tables.removeSubrange(frame.tables...) }
        if blockElements.count > frame.blockElements { blockElements.removeSubrange(frame.blockElements...) }
        preDepth = frame.pre
        referenceDepth = frame.inReference
    }

    private mutating func closeMark(_ index: Int) {
        guard index < openMarks.count else { return }
        let open = openMarks[index]
        openMarks.removeSubrange(index...)
        guard current != nil else { return }
        let end = current!.bytes.count
        guard open.start < end else { return }
        switch open.kind {
        case .footnoteReference:
            var value = String(decoding: current!.bytes[open.start..<end], as: UTF8.self)
            value = value.trimmingCharacters(in: CharacterSet(charactersIn: "[]() \u{00A0}"))
            current!.marks.append(PendingMark(kind: .footnoteReference, start: open.start, end: end, value: value, targetElement: open.target))
            current!.excluded.append(min(open.excludeStart, open.start)..<end)
        case .link where open.exclude:
            current!.excluded.append(min(open.excludeStart, open.start)..<end)
        case .link:
            current!.marks.append(PendingMark(kind: .link, start: open.start, end: end, href: open.href))
            current!.linkBytes += end - open.start
        default:
            current!.marks.append(PendingMark(kind: open.kind, start: open.start, end: end))
        }
    }

    // MARK: text

    @inline(__always)
    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C }

    /// Where the next character will go in the current block (after a pending space).
    private func contentPosition() -> Int {
        guard let current, !current.bytes.isEmpty else { return 0 }
        return current.bytes.count + (pendingSpace && current.bytes.last != 0x0A ? (pendingNoBreak ? 2 : 1) : 0)
    }

    /// The most a new block reserves for its text ahead of time.
    static let maxReservedBlockBytes = 2048

    private mutating func openCurrentBlock(line: Int) {
        guard current == nil else { return }
        let context = contexts.last
        let element = blockElements.last ?? 0
        // Text nodes carry the line where they end; the count of newlines gives their start,
        // but the block cannot start before its element.
        let line = max(line, Int(tree.nodes[max(0, element)].line), Int(tree.nodes[context?.element ?? 0].line))
        var block = PendingBlock(
            kind: context?.kind ?? .paragraph, level: context?.level, marker: context?.marker, line: line,
            element: context.map { max($0.element, element) } ?? element, attributes: context?.attributes ?? [:])
        if let language = languages.last, language != documentLanguage { block.language = language }
        block.footnoteTarget = context?.footnoteTarget ?? pendingFootnoteTarget
        block.isPreformatted = preDepth > 0
        // Room for the element's text with its spaces, so that the block does not grow a few
        // bytes at a time (up to a bound: blocks keep their storage until assembled).
        block.bytes.reserveCapacity(min(Int(analysis.textBytes[max(0, element)]) * 5 / 4 + 16, Self.maxReservedBlockBytes))
        if context?.marker != nil { contexts[contexts.count - 1].marker = nil }  // the marker goes to the first block only
        current = block
        pendingSpace = false
        pendingNoBreak = false
    }

    private mutating func appendText(node i: Int) {
        let node = tree.nodes[i]
        let start = Int(node.first)
        let end = start + Int(node.count)
        if start == end { return }
        if preDepth > 0 {
            let content = tree.text[start..<end]
            openCurrentBlock(line: Int(node.line) - content.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) })
            current!.bytes.append(contentsOf: content)
            return
        }
        tree.text.withUnsafeBufferPointer { content in
            var index = start
            while index < end {
                let b = content[index]
                if Self.isSpace(b) {
                    pendingSpace = true
                    index += 1
                    continue
                }
                if b == 0xC2, index + 1 < end {
                    let b1 = content[index + 1]
                    if b1 == 0xA0 {
                        pendingSpace = true
                        pendingNoBreak = true
                        index += 2
                        continue
                    }
                    if b1 == 0xAD {  // soft hyphen: dropped
                        index += 2
                        continue
                    }
                }
                if current == nil {
                    var newlines = 0
                    for k in index..<end where content[k] == 0x0A { newlines += 1 }
                    openCurrentBlock(line: max(1, Int(node.line) - newlines))
                }
                if pendingSpace {
                    if !current!.bytes.isEmpty && current!.bytes.last != 0x0A {
                        if pendingNoBreak { current!.bytes.append(contentsOf: [0xC2, 0xA0]) } else { current!.bytes.append(0x20) }
                    }
                    pendingSpace = false
                    pendingNoBreak = false
                }
                // Copy the run up to the next C2 byte or white space in one go. A single ASCII
                // space between two words stays in the run: it would be written as one anyway.
                var runEnd = index + 1
                var combining = b == 0xCC || b == 0xCD
                while runEnd < end {
                    let c = content[runEnd]
                    if c == 0x20, runEnd + 1 < end {
                        let next = content[runEnd + 1]
                        if !Self.isSpace(next) && next != 0xC2 {
                            if next == 0xCC || next == 0xCD { combining = true }
                            runEnd += 2
                            continue
                        }
                    }
                    if Self.isSpace(c) || c == 0xC2 { break }
                    if c == 0xCC || c == 0xCD { combining = true }
                    runEnd += 1
                }
                if combining { current!.mayNeedNFC = true }
                current!.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: content[index..<runEnd]))
                index = runEnd
            }
        }
    }

    private mutating func lineBreak() {
        guard current != nil, !current!.bytes.isEmpty else { return }
        if preDepth > 0 {
            current!.bytes.append(0x0A)
            return
        }
        pendingSpace = false
        pendingNoBreak = false
        if current!.bytes.last == 0x0A {
            // <br><br>: a paragraph break.
            current!.bytes.removeLast()
            flush()
        } else {
            current!.bytes.append(0x0A)
        }
    }

    private mutating func flush() {
        pendingSpace = false
        pendingNoBreak = false
        guard var block = current.take() else { return }
        // Marks still open continue in the next block from its start.
        for k in openMarks.indices {
            let open = openMarks[k]
            if open.start < block.bytes.count {
                switch open.kind {
                case .footnoteReference: break
                case .link where open.exclude: block.excluded.append(min(open.excludeStart, open.start)..<block.bytes.count)
                case .link:
                    block.marks.append(PendingMark(kind: .link, start: open.start, end: block.bytes.count, href: open.href))
                default:
                    block.marks.append(PendingMark(kind: open.kind, start: open.start, end: block.bytes.count))
                }
            }
            openMarks[k].start = 0
            openMarks[k].excludeStart = 0
        }
        if block.isPreformatted {
            while block.bytes.first == 0x0A { block.bytes.removeFirst(); shift(&block, by: -1) }
            while let last = block.bytes.last, Self.isSpace(last) { block.bytes.removeLast() }
        } else {
            while let last = block.bytes.last, last == 0x0A || last == 0x20 { block.bytes.removeLast() }
        }
        if block.bytes.isEmpty || isOnlyExcluded(block) {
            if block.footnoteTarget != nil { pendingFootnoteTarget = block.footnoteTarget }
            return
        }
        clamp(&block)
        if let target = block.footnoteTarget {
            if pendingFootnoteTarget == target { pendingFootnoteTarget = nil }
            if block.kind != .heading {
                block.kind = .footnote
                block.level = nil
                if block.marker == nil { block.marker = analysis.footnoteTargets[target] }
                excludeLeadingMarker(&block)
            }
        }
        normalizeIfNeeded(&block)
        blocks.append(block)
    }

    private func isOnlyExcluded(_ block: PendingBlock) -> Bool {
        guard !block.excluded.isEmpty else { return false }
        var covered = 0
        for range in block.excluded.sorted(by: { $0.lowerBound < $1.lowerBound }) where range.lowerBound <= covered {
            covered = max(covered, range.upperBound)
        }
        return covered >= block.bytes.count
    }

    private func shift(_ block: inout PendingBlock, by delta: Int) {
        for k in block.marks.indices {
            block.marks[k].start = max(0, block.marks[k].start + delta)
            block.marks[k].end = max(0, block.marks[k].end + delta)
        }
        block.excluded = block.excluded.map { max(0, $0.lowerBound + delta)..<max(0, $0.upperBound + delta) }
    }

    private func clamp(_ block: inout PendingBlock) {
        let count = block.bytes.count
        block.marks = block.marks.compactMap { mark in
            var m = mark
            m.end = min(m.end, count)
            return m.start < m.end ? m : nil
        }
        var ranges = block.excluded.map { min($0.lowerBound, count)..<min($0.upperBound, count) }.filter { !$0.isEmpty }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        for r in ranges {
            if let last = merged.last, r.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                merged.append(r)
            }
        }
        block.excluded = merged
    }

    /// A note that starts with its own mark ("1. The text", "[1] The text") keeps it in the
    /// text but excludes it, as the plain-text reader does.
    private func excludeLeadingMarker(_ block: inout PendingBlock) {
        guard let marker = block.marker, !marker.isEmpty else { return }
        let bytes = block.bytes
        var i = 0
        if let first = block.excluded.first, first.lowerBound == 0 { i = first.upperBound }
        while i < bytes.count, bytes[i] == 0x20 { i += 1 }
        if i > 0 {  // a back link at the start: hide the space after it too
            // (or, with no back link, the leading spaces alone: there is no range to widen)
            if block.excluded.first?.lowerBound == 0 { block.excluded[0] = 0..<i } else { block.excluded.insert(0..<i, at: 0) }
        }
        var j = i
        if j < bytes.count, bytes[j] == UInt8(ascii: "[") || bytes[j] == UInt8(ascii: "(") { j += 1 }
        let mark = Array(marker.utf8)
        guard bytes.count >= j + mark.count, Array(bytes[j..<j + mark.count]) == mark else {
            return
        }
        j += mark.count
        if j < bytes.count, [UInt8(ascii: "]"), UInt8(ascii: ")"), UInt8(ascii: ".")].contains(bytes[j]) { j += 1 }
        guard j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x0A else { return }
        while j < bytes.count, bytes[j] == 0x20 { j += 1 }
        block.excluded.insert(0..<j, at: 0)
        var merged: [Range<Int>] = []
        for r in block.excluded.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, r.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                merged.append(r)
            }
        }
        block.excluded = merged
    }

    /// The decoder composed the page to NFC line by line; a character reference
    /// (`e&#x301;`) or markup between a letter and its accent can still leave a
    /// decomposed sequence. Rare: only then is the block recomposed.
    private func normalizeIfNeeded(_ block: inout PendingBlock) {
        guard block.mayNeedNFC || block.isPreformatted else { return }
        // Scalars below U+0300 (lead bytes below 0xCC) are all stable under NFC and never
        // compose with what follows: text made only of them is already composed.
        guard block.bytes.contains(where: { $0 >= 0xCC }) else { return }
        let text = String(decoding: block.bytes, as: UTF8.self)
        let composed = Array(text.precomposedStringWithCanonicalMapping.utf8)
        guard composed != block.bytes else { return }
        block.bytes = composed
        clamp(&block)
    }

    // MARK: lists and tables

    private mutating func nextListMarker(element i: Int) -> String? {
        let k = lists.count - 1
        guard lists[k].ordered else { return "•" }
        if let value = tree.attribute(.value, of: i).flatMap(HTMLText.integer) {
            lists[k].next = value
        }
        let n = lists[k].next
        lists[k].next += lists[k].reversed ? -1 : 1
        switch lists[k].style {
        case UInt8(ascii: "a"): return Self.letters(n, base: "a") + "."
        case UInt8(ascii: "A"): return Self.letters(n, base: "A") + "."
        case UInt8(ascii: "i"): return Self.roman(n).lowercased() + "."
        case UInt8(ascii: "I"): return Self.roman(n) + "."
        default: return "\(n)."
        }
    }

    static func letters(_ n: Int, base: Character) -> String {
        guard n > 0 else { return "\(n)" }
        var n = n
        var result = ""
        let start = base.asciiValue!
        while n > 0 {
            n -= 1
            result = String(UnicodeScalar(start + UInt8(n % 26))) + result
            n /= 26
        }
        return result
    }

    static func roman(_ n: Int) -> String {
        guard n > 0 && n < 4000 else { return "\(n)" }
        let table: [(Int, String)] = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        var n = n
        var result = ""
        for (value, letters) in table {
            while n >= value {
                result += letters
                n -= value
            }
        }
        return result
    }

    private mutating func tableCellAttributes(_ i: Int, header: Bool) -> [String: String] {
        guard !tables.isEmpty else { return header ? ["header": "true"] : [:] }
        let k = tables.count - 1
        if tables[k].row == 0 { tables[k].row = 1 }  // a cell outside any row
        let row = tables[k].row
        var column = tables[k].column + 1
        while let until = tables[k].spans[column], until >= row { column += 1 }
        let colspan = max(1, min(1000, tree.attribute(.colspan, of: i).flatMap(HTMLText.integer) ?? 1))
        let rowspan = max(1, min(10000, tree.attribute(.rowspan, of: i).flatMap(HTMLText.integer) ?? 1))
        if rowspan > 1 {
            for c in column..<column + colspan { tables[k].spans[c] = row + rowspan - 1 }
        }
        tables[k].column = column + colspan - 1
        var attributes = ["table": String(tables[k].ordinal), "row": String(row), "column": String(column)]
        if header { attributes["header"] = "true" }
        if colspan > 1 { attributes["colspan"] = String(colspan) }
        if rowspan > 1 { attributes["rowspan"] = String(rowspan) }
        return attributes
    }

    /// `role="presentation"`/`"none"`, or a small table (three rows at most) with a cell
    /// that holds only an image (DocBook's note and warning boxes, icon + text layouts).
    private func isLayoutTable(_ i: Int) -> Bool {
        if let role = tree.attribute(.role, of: i)?.lowercased(), role == "presentation" || role == "none" { return true }
        let end = Int(tree.nodes[i].end)
        var rows = 0
        var imageOnlyCell = false
        var k = i + 1
        while k < end {
            let node = tree.nodes[k]
            if node.kind == .element {
                if node.name == .table {  // nested tables decide for themselves
                    k = Int(node.end)
                    continue
                }
                if node.name == .tr { rows += 1 }
                if (node.name == .td || node.name == .th) && analysis.textBytes[k] == 0 {
                    let cellEnd = Int(node.end)
                    if (k + 1..<cellEnd).contains(where: { tree.nodes[$0].name == .img }) { imageOnlyCell = true }
                }
            }
            k += 1
        }
        return imageOnlyCell && rows <= 3
    }

    // MARK: head

    private mutating func collectAlternates(in i: Int) {
        let end = Int(tree.nodes[i].end)
        for k in i..<end where tree.nodes[k].name == .link {
            guard let rel = tree.attribute(.rel, of: k)?.lowercased(),
                rel.split(separator: " ").contains("alternate"),
                let hreflang = tree.attribute(.hreflang, of: k), let href = tree.attribute(.href, of: k)
            else { continue }
            alternates.append((hreflang, href))
        }
    }
}
