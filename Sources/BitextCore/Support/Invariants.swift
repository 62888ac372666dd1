/// Checks that documents and alignments keep the promises every stage relies on. Used by
/// the property-based tests and the fuzz harnesses; cheap enough to run on any output.
///
/// Each check returns human-readable problems (empty when all is well) rather than
/// trapping, so that a test can print all of them and a fuzzer can abort on the first.
public enum Invariants {
    // MARK: Document structure

    /// Ranges out of bounds or not on character boundaries, blocks out of order or
    /// overlapping, excluded ranges outside their block or overlapping each other, marks,
    /// sentences and entities pointing outside the text or at missing blocks.
    public static func structuralProblems(in document: Document) -> [String] {
        var problems: [String] = []
        let utf8 = Array(document.text.utf8)
        func check(_ range: TextRange, _ what: String) {
            guard range.start >= 0, range.end <= utf8.count else {
                problems.append("\(what) \(range) is outside the text (\(utf8.count) bytes)")
                return
            }
            for offset in [range.start, range.end] where offset < utf8.count && utf8[offset] & 0xC0 == 0x80 {
                problems.append("\(what) \(range) cuts a character at byte \(offset)")
            }
        }
        var previousEnd = 0
        for (index, block) in document.blocks.enumerated() {
            check(block.range, "block \(index)")
            if block.range.start < previousEnd {
                problems.append("block \(index) \(block.range) starts before the previous block ends (\(previousEnd))")
            }
            previousEnd = max(previousEnd, block.range.end)
            var excludedEnd = block.range.start
            for cut in block.excluded {
                check(cut, "excluded range of block \(index)")
                if !block.range.contains(cut) { problems.append("block \(index): excluded \(cut) is outside the block \(block.range)") }
                if cut.start < excludedEnd { problems.append("block \(index): excluded \(cut) overlaps the one before") }
                excludedEnd = max(excludedEnd, cut.end)
            }
        }
        for mark in document.marks { check(mark.range, "mark \(mark.kind.rawValue)") }
        for (index, sentence) in document.sentences.enumerated() {
            check(sentence.range, "sentence \(index)")
            guard document.blocks.indices.contains(sentence.block) else {
                problems.append("sentence \(index) points at missing block \(sentence.block)")
                continue
            }
            if !document.blocks[sentence.block].range.contains(sentence.range) {
                problems.append("sentence \(index) \(sentence.range) is outside its block \(document.blocks[sentence.block].range)")
            }
        }
        for (index, entity) in document.entities.enumerated() {
            check(entity.range, "entity \(index)")
            if !document.blocks.indices.contains(entity.block) { problems.append("entity \(index) points at missing block \(entity.block)") }
        }
        return problems
    }

    // MARK: Conservation

    /// Text that no block accounts for: the parts of lines outside every block (blanks
    /// trimmed) that are neither the marker of the block that follows them on
    /// the same line (`1.`, `•`, `[2]`, `#` — recorded as `marker` or heading `level`), nor
    /// a code-fence line (```swift), nor markup made only of `# = - * _ ~ \``
    /// (closing fences, setext underlines, rules).
    /// Content a stage removes on purpose (HTML boilerplate) never enters `Document.text`
    /// and is reported in `Document.removed` instead.
    public static func unaccountedText(in document: Document) -> [(range: TextRange, text: String)] {
        let utf8 = Array(document.text.utf8)
        var covered = [Bool](repeating: false, count: utf8.count)
        for block in document.blocks where block.range.end <= utf8.count {
            for i in block.range.start..<block.range.end { covered[i] = true }
        }
        var found: [(TextRange, String)] = []
        var nextBlock = 0
        var i = 0
        while i < utf8.count {
            guard !covered[i], utf8[i] != 0x0A else {
                i += 1
                continue
            }
            // The uncovered part of one line, blanks trimmed.
            var end = i
            while end < utf8.count && !covered[end] && utf8[end] != 0x0A { end += 1 }
            var start = i
            var stop = end
            while start < stop && isBlank(utf8, start) { start += 1 }
            while stop > start && isBlank(utf8, stop - 1) { stop -= 1 }
            i = end
            guard start < stop else { continue }
            let run = TextRange(start, stop)
            let text = String(decoding: utf8[start..<stop], as: UTF8.self)
            // Runs come in text order, and so do blocks: the next block after the run only moves forward.
            while nextBlock < document.blocks.count && document.blocks[nextBlock].range.start < run.end { nextBlock += 1 }
            let next = nextBlock < document.blocks.count ? document.blocks[nextBlock] : nil
            if !isMarkup(text) && !isMarker(run, utf8: utf8, next: next) { found.append((run, text)) }
        }
        return found
    }

    private static func isBlank(_ utf8: [UInt8], _ i: Int) -> Bool {
        switch utf8[i] {
        case 0x20, 0x09, 0x0A, 0x0D: return true
        case 0xC2: return i + 1 < utf8.count && utf8[i + 1] == 0xA0  // no-break space
        case 0xA0: return i > 0 && utf8[i - 1] == 0xC2
        default: return false
        }
    }

    private static func isMarkup(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { "#=-*_~` \t".unicodeScalars.contains($0) }
    }

    /// Whether `run` sits on the line of the next block, before it, and that block recorded
    /// a marker or heading level (the text the run held).
    private static func isMarker(_ run: TextRange, utf8: [UInt8], next: Block?) -> Bool {
        if isFenceLine(run, utf8: utf8) { return true }
        guard let next else { return false }
        let between = utf8[run.end..<next.range.start].filter { $0 == 0x0A }.count
        return (next.marker != nil || next.kind == .heading) && between == 0
    }

    /// A code fence with its info string (```swift): backticks, then no backtick.
    private static func isFenceLine(_ run: TextRange, utf8: [UInt8]) -> Bool {
        let line = utf8[run.start..<run.end]
        guard line.starts(with: "```".utf8) else { return false }
        return !line.drop(while: { $0 == 0x60 }).contains(0x60)
    }

    // MARK: Alignment

    /// Problems with paragraph links between sides of `englishCount` and `spanishCount`
    /// paragraphs: every paragraph must be in exactly one link, links must be monotone
    /// (reading the links in order reads each side in order, with no gap or repeat), and no
    /// link may be empty on both sides.
    public static func alignmentProblems(_ links: [AlignmentLink], englishCount: Int, spanishCount: Int) -> [String] {
        var problems: [String] = []
        for (index, link) in links.enumerated() where link.english.isEmpty && link.spanish.isEmpty {
            problems.append("link \(index) is empty on both sides")
        }
        for (side, indices, count) in [("english", links.flatMap(\.english), englishCount), ("spanish", links.flatMap(\.spanish), spanishCount)] {
            guard indices != Array(0..<count) else { continue }
            var seen: [Int: Int] = [:]
            for index in indices { seen[index, default: 0] += 1 }
            let missing = (0..<count).filter { seen[$0] == nil }
            let repeated = seen.filter { $0.value > 1 }.keys.sorted()
            let outside = seen.keys.filter { !(0..<count).contains($0) }.sorted()
            if !missing.isEmpty { problems.append("\(side) paragraphs in no link: \(missing.prefix(10))") }
            if !repeated.isEmpty { problems.append("\(side) paragraphs in more than one link: \(repeated.prefix(10))") }
            if !outside.isEmpty { problems.append("\(side) indices out of range 0..<\(count): \(outside.prefix(10))") }
            if missing.isEmpty && repeated.isEmpty && outside.isEmpty {
                problems.append("\(side) links are not monotone: \(indices.prefix(20))")
            }
        }
        return problems
    }
}
