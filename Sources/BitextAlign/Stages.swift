import BitextCore

/// `segment.sentences`: English and Spanish sentence segmentation inside every block.
public struct SegmentSentences: Stage {
    public static let id: StageID = "segment.sentences"
    public static let summary = "Split blocks into sentences (EN/ES abbreviations, decimals, initials, ellipses, ¿¡, document symbols)"
    public static let requires: Set<Layer> = [.blocks]
    public static let produces: Set<Layer> = [.sentences]

    /// Decoding buffers handed from one unit to the next (most units are small documents,
    /// whose blocks grew a fresh scratch's arrays from nothing).
    let idleScratch = IdleValues<SentenceSegmenter.Scratch>()

    public init(options: NoOptions) throws {}

    public func process(_ unit: inout WorkUnit, context: StageContext) throws {
        // Per document: the language of the side it is (English first), if any.
        var sideLanguage = [SentenceSegmenter.Language?](repeating: nil, count: unit.documents.count)
        if let side = unit.sides[.english], sideLanguage.indices.contains(side.document) { sideLanguage[side.document] = .english }
        if let side = unit.sides[.spanish], sideLanguage.indices.contains(side.document), sideLanguage[side.document] == nil {
            sideLanguage[side.document] = .spanish
        }
        // A document holding both versions: each side's blocks take their side's language.
        var blockLanguage: [[SentenceSegmenter.Language?]] = unit.documents.map { _ in [] }
        for (code, language) in [(LanguageCode.english, SentenceSegmenter.Language.english), (.spanish, .spanish)] {
            guard let side = unit.sides[code], blockLanguage.indices.contains(side.document) else { continue }
            let count = unit.documents[side.document].blocks.count
            if blockLanguage[side.document].isEmpty { blockLanguage[side.document] = [SentenceSegmenter.Language?](repeating: nil, count: count) }
            for b in side.blocks where b >= 0 && b < count { blockLanguage[side.document][b] = language }
        }
        var scratch = idleScratch.take() ?? SentenceSegmenter.Scratch()  // one decoding buffer for every block
        defer { if scratch.isSmallEnoughToKeep { idleScratch.giveBack(scratch) } }
        for d in unit.documents.indices {
            let document = unit.documents[d]
            var sentences: [Sentence] = []
            sentences.reserveCapacity(document.blocks.count)
            // The blocks read in place (a copy of each retained and released its references) and
            // their text segmented from the document's bytes (no Substring made for each).
            var documentText = document.text
            documentText.withUTF8 { bytes in
                document.blocks.withUnsafeBufferPointer { blocks in
                    for b in blocks.indices {
                        let language: SentenceSegmenter.Language
                        switch blocks[b].language {
                        case .english?: language = .english
                        case .spanish?: language = .spanish
                        default:
                            language = (blockLanguage[d].isEmpty ? nil : blockLanguage[d][b]) ?? sideLanguage[d]
                                ?? (document.languages.first == .spanish ? .spanish : document.languages.first == .english ? .english
                                    : Self.guess(Substring(BlockContent(block: blocks[b], in: document).text)))
                        }
                        // Segment the text as a reader sees it (markup left out, soft breaks as spaces),
                        // then map back to document offsets. A block that leaves nothing out and keeps
                        // its line breaks reads as its span of the document: segmented in place, its
                        // offsets shifted by its start (what `BlockContent` would copy and map).
                        if blocks[b].excluded.isEmpty && !blocks[b].foldsLineBreaks {
                            let range = blocks[b].range
                            let start = range.start
                            if blocks[b].kind == .preformatted {
                                for r in Self.lines(document.text(of: range)) {
                                    sentences.append(Sentence(block: b, range: TextRange(start + r.lowerBound, start + r.upperBound)))
                                }
                            } else {  // (appended as found: no list per block)
                                let blockBytes = UnsafeBufferPointer(rebasing: bytes[start..<range.end])
                                SentenceSegmenter(language: language).sentences(utf8: blockBytes, scratch: &scratch) { r in
                                    sentences.append(Sentence(block: b, range: TextRange(start + r.lowerBound, start + r.upperBound)))
                                }
                            }
                            continue
                        }
                        let content = BlockContent(block: blocks[b], in: document)
                        let text = Substring(content.text)
                        let ranges: [Range<Int>]
                        if blocks[b].kind == .preformatted {
                            ranges = Self.lines(text)
                        } else {
                            ranges = SentenceSegmenter(language: language).sentences(in: text, scratch: &scratch)
                        }
                        for r in ranges {
                            sentences.append(Sentence(block: b, range: content.documentRange(of: r)))
                        }
                    }
                }
            }
            unit.documents[d].sentences = Self.trimmed(sentences)
        }
    }

    /// Unused room past which a document's sentence list is copied into one of its size: the list
    /// is reserved at one sentence a block and doubles once past it (the long pair ×16: 203,000
    /// sentences in room for 393,000, 3 MB a document idle through every later stage), while a
    /// small document's few kilobytes are not worth a copy.
    static let trimmedSlackBytes = 64 * 1024

    /// `sentences` in a list of their own size when the room it leaves unused is large.
    static func trimmed(_ sentences: [Sentence]) -> [Sentence] {
        guard (sentences.capacity - sentences.count) * MemoryLayout<Sentence>.stride > trimmedSlackBytes else { return sentences }
        return [Sentence](unsafeUninitializedCapacity: sentences.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: sentences)
        }
    }

    /// Non-blank lines of preformatted text, white space trimmed.
    static func lines(_ text: Substring) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var offset = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let bytes = Array(line.utf8)
            var lo = 0
            var hi = bytes.count
            while lo < hi, bytes[lo] == 0x20 || bytes[lo] == 0x09 { lo += 1 }
            while hi > lo, bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09 || bytes[hi - 1] == 0x0D { hi -= 1 }
            if lo < hi { ranges.append((offset + lo)..<(offset + hi)) }
            offset += bytes.count + 1
        }
        return ranges
    }

    /// Spanish if the text shows Spanish-only letters or more Spanish than English function words.
    static func guess(_ text: Substring) -> SentenceSegmenter.Language {
        if text.contains(where: { "ñ¿¡áéíóú".contains($0) }) { return .spanish }
        let words = text.lowercased().split(whereSeparator: { !$0.isLetter })
        let spanish: Set<Substring> = ["el", "la", "los", "las", "de", "que", "y", "en", "del", "por", "una", "es"]
        let english: Set<Substring> = ["the", "of", "and", "to", "in", "is", "that", "for", "it", "with", "on"]
        let s = words.filter { spanish.contains($0) }.count
        let e = words.filter { english.contains($0) }.count
        return s > e ? .spanish : .english
    }
}

/// `align.paragraphs`: n-m paragraph links between the English and Spanish sides, with
/// calibrated scores and QA flags.
public struct AlignParagraphs: Stage {
    public static let id: StageID = "align.paragraphs"
    public static let summary = "Align EN/ES paragraphs (1-1, 1-2, 2-1, 2-2, 1-3, 3-1, 1-0, 0-1) with calibrated scores and QA flags"
    public static let requires: Set<Layer> = [.pairs]
    public static let produces: Set<Layer> = [.paragraphAlignment]

    public struct Options: StageOptions, Hashable {
        public var band: Int
        public var lowConfidence: Double
        public var lengthZ: Double
        /// Paragraphs a side per window, for sides longer than `windowAbove` (0: never windowed).
        public var window: Int
        /// Sides with more paragraphs than this are aligned window by window.
        public var windowAbove: Int
        public static let fields: [OptionField] = [
            OptionField("band", "integer", default: "40", "Half-width of the search band (paragraphs) around the anchor path, for long documents"),
            OptionField("low_confidence", "number", default: "0.5", "Links scored below this get the flag low_confidence"),
            OptionField("length_z", "number", default: "3.0", "Gale–Church |z| beyond which a link gets the flag length_ratio"),
            OptionField(
                "window", "integer", default: "\(AlignParagraphs.defaultWindow)",
                "Paragraphs a side per window when long sides are aligned (paragraphs, then sentences) window by window, which bounds memory by the window; 0: never"),
            OptionField("window_above", "integer", default: "\(AlignParagraphs.defaultWindowAbove)", "Sides with more paragraphs than this are aligned window by window"),
        ]
        enum CodingKeys: String, CodingKey {
            case band
            case lowConfidence = "low_confidence"
            case lengthZ = "length_z"
            case window
            case windowAbove = "window_above"
        }
        public init(band: Int = 40, lowConfidence: Double = 0.5, lengthZ: Double = 3.0, window: Int = AlignParagraphs.defaultWindow,
            windowAbove: Int = AlignParagraphs.defaultWindowAbove
        ) {
            self.band = band
            self.lowConfidence = lowConfidence
            self.lengthZ = lengthZ
            self.window = window
            self.windowAbove = windowAbove
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            band = try c.value(.band, or: 40)
            lowConfidence = try c.value(.lowConfidence, or: 0.5)
            lengthZ = try c.value(.lengthZ, or: 3.0)
            window = try c.value(.window, or: AlignParagraphs.defaultWindow)
            windowAbove = try c.value(.windowAbove, or: AlignParagraphs.defaultWindowAbove)
        }
    }

    public let options: Options
    let aligner: BitextAligner

    public init(options: Options) throws {
        guard options.band >= 2 else { throw OptionError(option: "band", "must be at least 2 (got \(options.band))") }
        guard (0...1).contains(options.lowConfidence) else {
            throw OptionError(option: "low_confidence", "must lie in [0, 1] (got \(options.lowConfidence))")
        }
        guard options.lengthZ > 0 else { throw OptionError(option: "length_z", "must be positive (got \(options.lengthZ))") }
        guard options.window == 0 || options.window >= Self.smallestWindow else {
            throw OptionError(option: "window", "must be 0 (never) or at least \(Self.smallestWindow) (got \(options.window))")
        }
        guard options.windowAbove >= 0 else { throw OptionError(option: "window_above", "must not be negative (got \(options.windowAbove))") }
        self.options = options
        aligner = BitextAligner(bandHalfWidth: options.band, thresholds: FlagThresholds(lengthZ: options.lengthZ, lowConfidence: options.lowConfidence))
    }

    /// Paragraphs a side per window: the scale set (debian-reference repeated to 60,000
    /// paragraphs, gold links) gives strict F1 0.9938 at 2,000 against 0.9931 whole and 0.9931
    /// at 12,000, and the long pair ×4's peak up to align.sentences is 95 MB at 2,000, 141 MB at
    /// 12,000, 193 MB whole (BENCHMARKS.md, session 27).
    public static let defaultWindow = 2_000
    /// Sides aligned whole (the default `window_above`): the long pair (11,138 paragraphs a side)
    /// and everything shorter keep their links; memory is bounded by this many paragraphs.
    public static let defaultWindowAbove = 12_000
    /// Below this, a window's margins and uncommitted tail would be most of it.
    static let smallestWindow = 100

    var windows: AlignmentWindows? {
        options.window > 0 ? AlignmentWindows(paragraphs: options.window, above: options.windowAbove) : nil
    }

    public func process(_ unit: inout WorkUnit, context: StageContext) throws {
        guard let english = unit.sides[.english], let spanish = unit.sides[.spanish] else { return }
        // align.sentences groups its links by the same window (or aligns whole, when windows are off).
        unit.reusable[AlignmentWindows.key] = windows ?? AlignmentWindows(paragraphs: .max)
        if let windows, windows.applies(englishCount: english.blocks.count, spanishCount: spanish.blocks.count) {
            // Nothing over the whole sides is left for align.sentences: it reads each group of links alone.
            unit.alignment = aligner.alignParagraphs(english: english, spanish: spanish, in: unit, windows: windows, explain: context.explain)
            return
        }
        // One memo for both sides (each language has its own entries), handed on with the views.
        var memo = WordMemo()
        let a = aligner.view(of: english, in: unit, as: .english, memo: &memo)
        let b = aligner.view(of: spanish, in: unit, as: .spanish, memo: &memo)
        let result = aligner.alignParagraphs(english: a, spanish: b, explain: context.explain)
        unit.alignment = result.links
        unit.reusable[ParagraphReading.key] = ParagraphReading(
            english: a, spanish: b, memo: memo, table: result.firstPassTable, paragraphIDs: result.firstPassIDs, unit: unit,
            englishSide: english, spanishSide: spanish)
    }
}

/// `align.sentences`: sentence links inside every paragraph link, with scores and flags.
public struct AlignSentences: Stage {
    public static let id: StageID = "align.sentences"
    public static let summary = "Align EN/ES sentences inside each paragraph link (same cost model), with scores and flags"
    public static let requires: Set<Layer> = [.paragraphAlignment, .sentences]
    public static let produces: Set<Layer> = [.sentenceAlignment]

    let aligner = BitextAligner()

    public init(options: NoOptions) throws {}

    public func process(_ unit: inout WorkUnit, context: StageContext) throws {
        guard let english = unit.sides[.english], let spanish = unit.sides[.spanish], let links = unit.alignment else { return }
        let windows = unit.reusable.removeValue(forKey: AlignmentWindows.key) as? AlignmentWindows
            ?? AlignmentWindows(paragraphs: AlignParagraphs.defaultWindow, above: AlignParagraphs.defaultWindowAbove)
        if unit.reusable[ParagraphReading.key] == nil, windows.applies(englishCount: english.blocks.count, spanishCount: spanish.blocks.count),
            let grouped = aligner.alignSentences(paragraphLinks: links, english: english, spanish: spanish, in: unit, windows: windows)
        {
            unit.sentenceAlignment = grouped
            return
        }
        // The paragraphs as align.paragraphs read them when it left them on the unit (same
        // documents, same blocks); else read here. One memo for the paragraphs and then their
        // sentences, which are mostly the same chunks.
        var memo: WordMemo
        let a: BitextAligner.SideView
        let b: BitextAligner.SideView
        let table: AnchorTable
        var paragraphIDs: ParagraphIDs?  // known when read by align.paragraphs
        if let reading = unit.reusable.removeValue(forKey: ParagraphReading.key) as? ParagraphReading,
            reading.matches(unit, englishSide: english, spanishSide: spanish)
        {
            a = reading.english
            b = reading.spanish
            table = reading.table
            paragraphIDs = reading.paragraphIDs
            // The reading's only reference was the unit's; `reading` is released at the end of
            // this block, before anything changes `memo` (nothing may change it inside the block),
            // which leaves this the memo's only copy: that keeps its ids comparable with the
            // table's (a shared one would be copied, and renamed, at its first change); no fresh
            // memo is built to swap in.
            memo = reading.memo
        } else {
            memo = WordMemo()
            a = aligner.view(of: english, in: unit, as: .english, memo: &memo)
            b = aligner.view(of: spanish, in: unit, as: .spanish, memo: &memo)
            table = AnchorTable(english: a.features, spanish: b.features, parameters: aligner.parameters)
        }
        unit.sentenceAlignment = aligner.alignSentences(
            paragraphLinks: links, english: Self.sentences(of: english, in: unit, blockTexts: a.texts),
            spanish: Self.sentences(of: spanish, in: unit, blockTexts: b.texts), englishLanguages: a.languages,
            spanishLanguages: b.languages, table: table, englishParagraphs: a, spanishParagraphs: b, paragraphIDs: paragraphIDs, memo: &memo)
    }

    /// The content offset of a document offset (the inverse of `BlockContent.documentOffset`).
    static func localOffset(of offset: Int, in content: BlockContent) -> Int {
        var low = 0
        var high = content.text.utf8.count
        while low < high {  // first local offset whose document offset is ≥ offset
            let mid = (low + high) / 2
            if content.documentOffset(of: mid) < offset { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The side's sentences in order (the order of `WorkUnit.sentences(of:)`), each with the
    /// position of its block in the side's block list. `blockTexts[p]`: the reader's text of the
    /// side's block p (`BlockContent.text`, as the paragraph views hold it), sliced directly when
    /// the block excludes nothing, so that its content need not be built again.
    /// `among`: the document's sentences to look at (default: all), for a window of a long side.
    static func sentences(of side: Side, in unit: WorkUnit, blockTexts: [Substring], among: Range<Int>? = nil) -> [(block: Int, text: Substring)] {
        // The document read in place (a copy retains and releases every array it holds).
        unit.documents.withUnsafeBufferPointer { documents in
            sentences(of: side, in: documents[side.document], blockTexts: blockTexts, among: among)
        }
    }

    private static func sentences(
        of side: Side, in document: borrowing Document, blockTexts: [Substring], among: Range<Int>?
    ) -> [(block: Int, text: Substring)] {
        // Positions of the blocks from the side's first to its last (not of the whole document:
        // a window's side is a few of its blocks).
        let firstBlock = side.blocks.min() ?? 0
        var position = [Int](repeating: -1, count: max(0, (side.blocks.max() ?? -1) - firstBlock + 1))
        for (p, b) in side.blocks.enumerated() { position[b - firstBlock] = p }
        var contents: [Int: BlockContent] = [:]  // one reading of each block, however many sentences it has
        var last: (block: Int, content: BlockContent)?  // a block's sentences come together
        var result: [(block: Int, text: Substring)] = []
        let range = among ?? document.sentences.indices
        result.reserveCapacity(range.count)
        for sentence in document.sentences[range] {
            let k = sentence.block - firstBlock
            guard k >= 0, k < position.count else { continue }
            let p = position[k]
            guard p >= 0 else { continue }
            // The block's range and exclusions read in place (a copy of the block retains its arrays).
            let (excludesNothing, blockStart) = document.blocks.withUnsafeBufferPointer { blocks in
                (blocks[sentence.block].excluded.isEmpty, blocks[sentence.block].range.start)
            }
            if excludesNothing, p < blockTexts.count {
                // Content offsets are document offsets less the block's start (clamped to the
                // content, as `localOffset` finds them).
                let text = blockTexts[p]
                let count = text.utf8.count
                let start = min(max(0, sentence.range.start - blockStart), count)
                let end = min(max(0, sentence.range.end - blockStart), count)
                result.append((p, Substring(text.utf8.dropFirst(start).prefix(max(0, end - start)))))
                continue
            }
            let block = document.blocks[sentence.block]
            let content: BlockContent
            if let last, last.block == sentence.block {
                content = last.content
            } else {
                content = contents[sentence.block] ?? BlockContent(block: block, in: document)
                contents[sentence.block] = content
                last = (sentence.block, content)
            }
            // The sentence as the reader sees it: the block content between its mapped ends.
            let start = Self.localOffset(of: sentence.range.start, in: content)
            let end = Self.localOffset(of: sentence.range.end, in: content)
            result.append((p, Substring(content.text.utf8.dropFirst(start).prefix(max(0, end - start)))))
        }
        return result
    }
}
