/// One source file's decoded text with stand-off annotations.
///
/// The text is fixed at ingest (decoded, NFC-normalized, LF line ends); every later
/// stage only adds annotations that point into it by UTF-8 offset.
public struct Document: Sendable {
    public let source: SourceFile
    public let text: String
    /// Maps offsets in `text` back to byte offsets in the source file.
    public let sourceOffsets: OffsetMap
    public var blocks: [Block]
    public var marks: [InlineMark]
    public var sentences: [Sentence]
    public var entities: [Entity]
    public var languageHints: [LanguageHint]
    public var removed: [RemovedContent]
    /// The document's language or languages, most frequent first, once identified.
    public var languages: [LanguageCode]
    /// Runs of consecutive blocks in the same language: `(language, first block, last block)`.
    public var languageRuns: [LanguageRun]
    public var diagnostics: [Diagnostic]

    public init(source: SourceFile, text: String, sourceOffsets: OffsetMap = .identity, blocks: [Block] = []) {
        self.source = source
        self.text = text
        self.sourceOffsets = sourceOffsets
        self.blocks = blocks
        self.marks = []
        self.sentences = []
        self.entities = []
        self.languageHints = []
        self.removed = []
        self.languages = []
        self.languageRuns = []
        self.diagnostics = []
    }

    /// The text a range covers.
    public func text(of range: TextRange) -> Substring {
        let utf8 = text.utf8
        let lower = utf8.index(utf8.startIndex, offsetBy: range.start)
        let upper = utf8.index(lower, offsetBy: range.length)
        return text[lower..<upper]
    }

    /// The text of block `index` as a reader sees it (see `BlockContent`).
    public func text(ofBlock index: Int) -> String { content(ofBlock: index).text }

    /// The blocks' texts, in order.
    public var blockTexts: [String] { blocks.indices.map { text(ofBlock: $0) } }

    /// The text of block `index` with a map from its offsets back to the document's.
    public func content(ofBlock index: Int) -> BlockContent { BlockContent(block: blocks[index], in: self) }
}

/// A run of consecutive blocks identified as the same language.
public struct LanguageRun: Hashable, Sendable, Codable {
    public var language: LanguageCode
    public var firstBlock: Int
    public var lastBlock: Int
    public init(language: LanguageCode, firstBlock: Int, lastBlock: Int) {
        self.language = language
        self.firstBlock = firstBlock
        self.lastBlock = lastBlock
    }
}

/// A sparse, monotone map from UTF-8 offsets in decoded text to byte offsets in the
/// source file: a list of checkpoints where the difference between the two changes
/// (a BOM, CRLF line ends, dropped control characters, transcoded characters,
/// NFC composition). Between checkpoints the two advance together.
public struct OffsetMap: Hashable, Sendable, Codable {
    /// Sorted by `text`: at text offset `text`, the source offset is `source`.
    public private(set) var checkpoints: [Checkpoint]

    public struct Checkpoint: Hashable, Sendable, Codable {
        public var text: Int
        public var source: Int
        public init(text: Int, source: Int) {
            self.text = text
            self.source = source
        }
    }

    public static let identity = OffsetMap(checkpoints: [])

    public init(checkpoints: [Checkpoint]) { self.checkpoints = checkpoints }

    /// Records that text offset `text` corresponds to source offset `source`.
    /// Checkpoints must be added in increasing text order; redundant ones are skipped.
    public mutating func add(text: Int, source: Int) {
        if let last = checkpoints.last {
            precondition(text >= last.text, "OffsetMap checkpoints must be added in order")
            if source - text == last.source - last.text { return }
            if last.text == text {
                checkpoints[checkpoints.count - 1].source = source
                return
            }
        } else if source == text {
            return
        }
        checkpoints.append(Checkpoint(text: text, source: source))
    }

    /// Removes checkpoints beyond text offset `offset` (a line being rewritten).
    public mutating func truncate(after offset: Int) {
        while let last = checkpoints.last, last.text > offset { checkpoints.removeLast() }
    }

    /// The source byte offset of text offset `offset`.
    public func sourceOffset(of offset: Int) -> Int {
        // Last checkpoint at or before `offset`.
        var low = 0
        var high = checkpoints.count
        while low < high {
            let mid = (low + high) / 2
            if checkpoints[mid].text <= offset { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return offset }
        let c = checkpoints[low - 1]
        return c.source + (offset - c.text)
    }
}
