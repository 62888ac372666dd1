import BitextCore

/// Long sides aligned window by window (issue 9): the aligner's structures (views, word memo,
/// anchor catalog and tables, side indexes, bands, bootstrap) cost some 19 bytes per input
/// byte, so over a whole long book they held most of the pipeline's peak. Over a window they
/// are bounded by the window, and freed before the next one is read.
struct AlignmentWindows: Sendable {
    /// Where `align.paragraphs` leaves its windows for `align.sentences` (`WorkUnit.reusable`).
    static let key = "align.paragraphs.windows"

    /// A window's span on each side, before its margins.
    let paragraphs: Int
    /// Sides with more paragraphs than this (and than a window) are aligned in windows.
    var above = 0

    /// Paragraphs added past a window's proportional end on each side, so that the true
    /// counterpart of its last committed paragraphs lies inside it.
    var margin: Int { max(Self.minimumMargin, paragraphs / Self.marginDivisor) }

    /// A sixteenth: on the scale set (60,000 paragraphs, gold links) windows of 2,000 give strict
    /// F1 0.9938 with an eighth or a sixteenth, and a sixteenth reads fewer paragraphs twice.
    static let marginDivisor = 16
    static let minimumMargin = 16

    /// The share of a window's proportional span that may be committed: the links past it
    /// were pushed towards the window's forced end and are searched again by the next window.
    /// 0.9: on the scale set as good as 0.75 (strict F1 0.9938 / 0.9937 at 2,000 paragraphs),
    /// with 11% less CPU (17% at 4,000): fewer paragraphs read and searched twice.
    static let committedShare = 0.9

    /// Readings a memo carried from one window to the next may hold before a fresh one replaces
    /// it: about the long pair's (some 43,000 distinct chunks in 1.5 MB, one per 34 to 36 bytes),
    /// the largest pair aligned whole by default. A text that recurs (a book's repeated parts, a
    /// manual's boilerplate) is then read once, not once per window, and the memo stays bounded.
    static let carriedReadings = 1 << 16

    /// A fresh memo in place of one past `carriedReadings` (the next window reads into it).
    static func renew(_ memo: inout WordMemo) {
        if memo.readings.count > carriedReadings { memo = WordMemo() }
    }

    func applies(englishCount: Int, spanishCount: Int) -> Bool { max(englishCount, spanishCount) > max(paragraphs, above) }

    /// The UTF-8 length of a side's blocks at `positions`, read from their ranges only.
    static func textBytes(of side: Side, _ positions: Range<Int>, in unit: WorkUnit) -> Int {
        unit.documents.withUnsafeBufferPointer { documents in
            documents[side.document].blocks.withUnsafeBufferPointer { blocks in
                side.blocks[positions].reduce(0) { sum, b in sum + max(0, blocks[b].range.end - blocks[b].range.start) }
            }
        }
    }

    /// The first position whose cumulative length reaches `target` (clamped to the side).
    static func position(reaching target: Int, in cumulative: CumulativeLengths) -> Int {
        firstIndex(in: 0..<(cumulative.count - 1)) { cumulative[$0] >= target }
    }

    /// The first index of `indices` where `reached` holds, or their end (`reached` is false,
    /// then true, along them): a binary search.
    static func firstIndex(in indices: Range<Int>, where reached: (Int) -> Bool) -> Int {
        var low = indices.lowerBound
        var high = indices.upperBound
        while low < high {
            let mid = (low + high) / 2
            if reached(mid) { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// The window starting at (i0, j0): up to `paragraphs` on the side that reaches that many
    /// first, the other side's counterpart by cumulative length (the rest of each side in the
    /// ratio of their remaining lengths), each extended by the margin. `cut`: the proportional
    /// ends' committed share, past which nothing is committed unless the window is the last.
    func window(from start: (english: Int, spanish: Int), english: CumulativeLengths, spanish: CumulativeLengths)
        -> (english: Range<Int>, spanish: Range<Int>, cut: (english: Int, spanish: Int))
    {
        let (i0, j0) = start
        let n = english.count - 1
        let m = spanish.count - 1
        let englishLeft = english[n] - english[i0]
        let spanishLeft = spanish[m] - spanish[j0]
        // Proportional ends: the English span first, then the Spanish counterpart of its length.
        var i1 = min(n, i0 + paragraphs)
        var j1: Int
        if englishLeft > 0 {
            let share = Double(english[i1] - english[i0]) / Double(englishLeft)
            j1 = max(j0, Self.position(reaching: spanish[j0] + Int((share * Double(spanishLeft)).rounded(.up)), in: spanish))
        } else {
            j1 = m
        }
        j1 = max(j1, min(m, j0 + (i1 - i0 == 0 ? paragraphs : 0)))
        if j1 - j0 > paragraphs {  // the Spanish side leads: its span, and the English counterpart
            j1 = j0 + paragraphs
            let share = spanishLeft > 0 ? Double(spanish[j1] - spanish[j0]) / Double(spanishLeft) : 1
            i1 = max(i0, min(i1, Self.position(reaching: english[i0] + Int((share * Double(englishLeft)).rounded(.up)), in: english)))
        }
        let cut = (
            english: i0 + Int(Double(i1 - i0) * Self.committedShare), spanish: j0 + Int(Double(j1 - j0) * Self.committedShare)
        )
        return (i0..<min(n, i1 + margin), j0..<min(m, j1 + margin), cut)
    }
}

/// Cumulative UTF-8 lengths of a side's blocks (count + 1 entries), read from their ranges only:
/// 4 bytes an entry when the side's text is under 4 GiB, as it nearly always is (8 bytes a
/// paragraph a side were held through `align.paragraphs`: 2.9 MB on the long pair ×16).
struct CumulativeLengths: RandomAccessCollection {
    private let narrow: [UInt32]
    /// Used instead when the side's text passes `UInt32.max` bytes.
    private let wide: [Int]

    init(of side: Side, in unit: WorkUnit) {
        (narrow, wide) = unit.documents.withUnsafeBufferPointer { documents in
            documents[side.document].blocks.withUnsafeBufferPointer { blocks in
                func length(_ b: Int) -> Int { Swift.max(0, blocks[b].range.end - blocks[b].range.start) }
                func sums<Length: FixedWidthInteger>(as _: Length.Type) -> [Length] {
                    var sums: [Length] = [0]
                    sums.reserveCapacity(side.blocks.count + 1)
                    for b in side.blocks { sums.append(sums[sums.count - 1] + Length(length(b))) }
                    return sums
                }
                let total = side.blocks.reduce(0) { $0 + length($1) }
                return total <= Int(UInt32.max) ? (sums(as: UInt32.self), []) : ([], sums(as: Int.self))
            }
        }
    }

    /// Lengths given whole (count + 1 entries, the first 0), as the dev-set harness has them.
    init(_ lengths: [Int]) {
        precondition(lengths.first == 0, "cumulative lengths start at 0")
        (narrow, wide) = ([], lengths)
    }

    var startIndex: Int { 0 }
    var endIndex: Int { wide.isEmpty ? narrow.count : wide.count }
    subscript(position: Int) -> Int { wide.isEmpty ? Int(narrow[position]) : wide[position] }
}

extension BitextAligner {
    /// A sub-side: the side's blocks at `positions`.
    static func part(of side: Side, _ positions: Range<Int>) -> Side {
        Side(document: side.document, blocks: LinkPositions(side.blocks[positions]))
    }

    /// Paragraph links of two long sides, aligned window by window (`AlignmentWindows`): each
    /// window is read and aligned by the two-pass search as a whole pair would be; its links are
    /// committed up to the last certain one before its cut, and the next window starts where
    /// they end. The last window takes both sides to their ends. Positions are the whole sides'.
    func alignParagraphs(english: Side, spanish: Side, in unit: WorkUnit, windows: AlignmentWindows, explain: Bool) -> [AlignmentLink] {
        let englishLengths = CumulativeLengths(of: english, in: unit)
        let spanishLengths = CumulativeLengths(of: spanish, in: unit)
        var memo = WordMemo()
        return alignParagraphs(englishLengths: englishLengths, spanishLengths: spanishLengths, windows: windows, explain: explain) { e, s in
            views(
                of: (english, e, englishLengths[e.upperBound] - englishLengths[e.lowerBound]),
                (spanish, s, spanishLengths[s.upperBound] - spanishLengths[s.lowerBound]), in: unit, memo: &memo)
        }
    }

    /// The views of a window: each side's blocks at its positions (`bytes`: their UTF-8 length),
    /// read with `memo` (renewed first when past `carriedReadings`), their parts read alone.
    func views(
        of english: (side: Side, positions: Range<Int>, bytes: Int), _ spanish: (side: Side, positions: Range<Int>, bytes: Int),
        in unit: WorkUnit, memo: inout WordMemo
    ) -> (english: SideView, spanish: SideView) {
        AlignmentWindows.renew(&memo)
        func read(_ part: (side: Side, positions: Range<Int>, bytes: Int), as language: LanguageKind) -> SideView {
            var sideView = view(of: Self.part(of: part.side, part.positions), in: unit, as: language, memo: &memo, textBytes: part.bytes)
            sideView.partsReadAlone = true
            return sideView
        }
        return (read(english, as: .english), read(spanish, as: .spanish))
    }

    /// The windows' loop over two sides given by their blocks' cumulative lengths; `views`
    /// reads the blocks at two ranges of positions (English, Spanish).
    func alignParagraphs(
        englishLengths: CumulativeLengths, spanishLengths: CumulativeLengths, windows: AlignmentWindows, explain: Bool,
        views: (Range<Int>, Range<Int>) -> (english: SideView, spanish: SideView)
    ) -> [AlignmentLink] {
        let n = englishLengths.count - 1
        let m = spanishLengths.count - 1
        var links: [AlignmentLink] = []
        links.reserveCapacity(max(n, m))
        var start = (english: 0, spanish: 0)
        while start.english < n || start.spanish < m {
            let window = windows.window(from: start, english: englishLengths, spanish: spanishLengths)
            let last = window.english.upperBound == n && window.spanish.upperBound == m
            let (a, b) = views(window.english, window.spanish)
            let raw = alignRaw(english: a, spanish: b, listMatchedAnchors: explain).links
            let committed = last
                ? raw.count
                : committedCount(
                    raw, cut: (window.cut.english - window.english.lowerBound, window.cut.spanish - window.spanish.lowerBound))
            for r in raw[..<committed] {
                var l = link(r, english: a, spanish: b, explain: explain)
                l.english = l.english.shifted(by: window.english.lowerBound)
                l.spanish = l.spanish.shifted(by: window.spanish.lowerBound)
                links.append(l)
            }
            guard let end = raw[..<committed].last else { break }  // (a window always has a link)
            start = (window.english.lowerBound + end.english.upperBound, window.spanish.lowerBound + end.spanish.upperBound)
        }
        return links
    }

    /// How many of a window's links to commit: through the last certain link (inside a run
    /// of sure 1-1 links, `Aligner.certainLinks`) that ends by the cut on both sides; failing
    /// one, through the last sure 1-1 link, then any link, that does; at least one link.
    func committedCount(_ raw: [RawLink], cut: (english: Int, spanish: Int)) -> Int {
        let certain = paragraphAligner.certainLinks(raw)
        let similarity = parameters.certainSimilarity
        var lastCertain = -1
        var lastSure = -1
        var lastAny = -1
        for (k, link) in raw.enumerated() {
            guard link.english.upperBound <= cut.english, link.spanish.upperBound <= cut.spanish else { break }
            lastAny = k
            if link.english.count == 1, link.spanish.count == 1, link.terms.similarity >= similarity {
                lastSure = k
                if certain[k] { lastCertain = k }
            }
        }
        let chosen = lastCertain >= 0 ? lastCertain : lastSure >= 0 ? lastSure : lastAny
        return min(raw.count, max(1, chosen + 1))
    }

    /// Sentence links of two long sides, the paragraph links taken in consecutive groups that
    /// span at most `windows.paragraphs` positions a side: each group's paragraphs are read,
    /// tabled and aligned alone (as `align.sentences` reads a pair it was not handed a reading
    /// of). Indices are the whole sides': sentences of the side's sentence list, paragraph links
    /// of `paragraphLinks`. Nil when the sides' blocks are not in document order (their
    /// sentences would not come in runs by position): the caller aligns them whole.
    func alignSentences(
        paragraphLinks: [AlignmentLink], english: Side, spanish: Side, in unit: WorkUnit, windows: AlignmentWindows
    ) -> [SentenceLink]? {
        guard var englishBefore = SentencesBefore(english, in: unit), var spanishBefore = SentencesBefore(spanish, in: unit)
        else { return nil }
        var result: [SentenceLink] = []
        // (as the whole sides' alignment does)
        result.reserveCapacity(max(englishBefore.count(before: english.blocks.count), spanishBefore.count(before: spanish.blocks.count)))
        var first = 0
        var memo = WordMemo()
        while first < paragraphLinks.count {
            // The group: links while each side's span stays within the window.
            var englishSpan = (low: Int.max, high: Int.min)  // (positions, bounds included)
            var spanishSpan = (low: Int.max, high: Int.min)
            var end = first
            while end < paragraphLinks.count {
                let e = Self.span(englishSpan, paragraphLinks[end].english)
                let s = Self.span(spanishSpan, paragraphLinks[end].spanish)
                if end > first, Self.width(e) >= windows.paragraphs || Self.width(s) >= windows.paragraphs { break }
                englishSpan = e
                spanishSpan = s
                end += 1
            }
            let e = Self.clamped(englishSpan, english.blocks.count)
            let s = Self.clamped(spanishSpan, spanish.blocks.count)
            let (a, b) = views(
                of: (english, e, AlignmentWindows.textBytes(of: english, e, in: unit)),
                (spanish, s, AlignmentWindows.textBytes(of: spanish, s, in: unit)), in: unit, memo: &memo)
            let table = AnchorTable(english: a.features, spanish: b.features, parameters: parameters)
            let local = paragraphLinks[first..<end].map { link in
                var l = link
                l.english = link.english.shifted(by: -e.lowerBound)
                l.spanish = link.spanish.shifted(by: -s.lowerBound)
                return l
            }
            let englishPart = Self.part(of: english, e)
            let spanishPart = Self.part(of: spanish, s)
            let links = alignSentences(
                paragraphLinks: local,
                english: AlignSentences.sentences(of: englishPart, in: unit, blockTexts: a.texts, among: Self.sentences(of: englishPart, in: unit)),
                spanish: AlignSentences.sentences(of: spanishPart, in: unit, blockTexts: b.texts, among: Self.sentences(of: spanishPart, in: unit)),
                englishLanguages: a.languages,
                spanishLanguages: b.languages, table: table, englishParagraphs: a, spanishParagraphs: b, memo: &memo)
            let englishShift = englishBefore.count(before: e.lowerBound)
            let spanishShift = spanishBefore.count(before: s.lowerBound)
            for var l in links {
                l.paragraphLink += first
                l.english = l.english.shifted(by: englishShift)
                l.spanish = l.spanish.shifted(by: spanishShift)
                result.append(l)
            }
            first = end
        }
        return result
    }

    private static func span(_ span: (low: Int, high: Int), _ positions: LinkPositions) -> (low: Int, high: Int) {
        guard let low = positions.min(), let high = positions.max() else { return span }
        return (min(span.low, low), max(span.high, high))
    }

    /// How far `span` reaches (0 while no link had a position on its side: then it is still
    /// `(Int.max, Int.min)`, whose difference overflows — a group opening with two links that
    /// omit the same side, as runs of untranslated paragraphs do).
    private static func width(_ span: (low: Int, high: Int)) -> Int { span.high >= span.low ? span.high - span.low : 0 }

    /// The positions from `span.low` through `span.high` inside the side (none when no link had any).
    private static func clamped(_ span: (low: Int, high: Int), _ count: Int) -> Range<Int> {
        let low = max(0, min(span.low, count))
        return low..<max(low, min(count, span.high + 1))
    }

    /// The run of the document's sentences (in block order, `sentencesBefore`) from the side's
    /// first block to its last: a window's are found without reading the whole document's.
    static func sentences(of side: Side, in unit: WorkUnit) -> Range<Int> {
        guard let first = side.blocks.first, let last = side.blocks.last else { return 0..<0 }
        return unit.documents.withUnsafeBufferPointer { documents in
            documents[side.document].sentences.withUnsafeBufferPointer { sentences in
                // The first sentence of a block or of a later one.
                func firstSentence(from block: Int) -> Int {
                    AlignmentWindows.firstIndex(in: 0..<sentences.count) { sentences[$0].block >= block }
                }
                return firstSentence(from: first)..<firstSentence(from: last + 1)
            }
        }
    }
}

/// How many of a side's sentences come before its block at a position, found by walking the
/// side's blocks and the document's sentences forward from the position asked before (groups of
/// links ask in order): a list of counts for every position of a long side (8 bytes a paragraph,
/// twice) was held through all of `align.sentences`.
struct SentencesBefore {
    private let blocks: LinkPositions
    private let sentences: [Sentence]
    private var position = 0
    private var sentence = 0
    private var before = 0

    /// Nil unless the side's blocks are in document order and the document's sentences in block
    /// order, which makes each position's sentences one run of the side's list.
    init?(_ side: Side, in unit: WorkUnit) {
        let document = unit.documents[side.document]
        var previous = -1
        for b in side.blocks {
            guard b > previous, b < document.blocks.count else { return nil }
            previous = b
        }
        var lastBlock = -1
        for sentence in document.sentences {
            guard sentence.block >= lastBlock else { return nil }
            lastBlock = sentence.block
        }
        blocks = side.blocks
        sentences = document.sentences
    }

    /// The side's sentences in the blocks before `position` (0 through the side's count).
    mutating func count(before position: Int) -> Int {
        if position < self.position { (self.position, sentence, before) = (0, 0, 0) }
        while self.position < position {
            let block = blocks[self.position]
            while sentence < sentences.count, sentences[sentence].block < block { sentence += 1 }
            while sentence < sentences.count, sentences[sentence].block == block {
                sentence += 1
                before += 1
            }
            self.position += 1
        }
        return before
    }
}
