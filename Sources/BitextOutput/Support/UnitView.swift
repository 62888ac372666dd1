import BitextCore

/// The reader's view of a processed unit that every writer shares: paragraphs per language
/// with their output indices, sentences, entities and marks resolved to those indices.
/// Writers differ in syntax only, never in what they report.
public struct UnitView: Sendable {
    public struct Paragraph: Sendable {
        /// Position in its language's list: the index alignment links use.
        public var index: Int
        public var language: LanguageCode
        public var document: Int
        /// Index in the document's blocks.
        public var block: Int
        /// The block itself (read from the document: paragraphs do not each hold a copy).
        public var info: Block { source.document.blocks[block] }
        /// The block's reader text, made when asked (not held for every paragraph at once).
        public var text: String { BlockContent.text(of: info, in: source.document) }
        fileprivate let source: SharedDocument
        /// Byte offsets of the block in the source file.
        public var sourceStart: Int
        public var sourceEnd: Int
    }

    /// One document shared by its paragraphs (a reference, not a copy each).
    fileprivate final class SharedDocument: Sendable {
        let document: Document
        init(_ document: Document) { self.document = document }
    }

    public struct Sentence: Sendable {
        public var index: Int
        public var paragraph: Int
        public var range: TextRange
        /// Index of the sentence's block in its document.
        public var block: Int
        /// The sentence's reader text, made when asked (writers that compose it from the
        /// document's bytes never make it).
        public var text: String { UnitView.text(of: range, block: source.document.blocks[block], in: source.document) }
        fileprivate let source: SharedDocument
        /// Byte offsets of the sentence in the source file.
        public var sourceStart: Int
        public var sourceEnd: Int
    }

    public struct EntityMention: Sendable {
        public var paragraph: Int
        public var entity: Entity
        /// The mention's reader text, made when asked.
        public var text: String { UnitView.text(of: entity.range, block: source.document.blocks[entity.block], in: source.document) }
        fileprivate let source: SharedDocument
    }

    public struct Mark: Sendable {
        public var paragraph: Int
        public var mark: InlineMark
        /// For footnote references: the paragraph index of the note in the same language.
        public var targetParagraph: Int?
    }

    public let unit: WorkUnit
    /// Languages in output order: en, es, then the rest alphabetically.
    public let languages: [LanguageCode]
    public let paragraphs: [LanguageCode: [Paragraph]]
    public let sentences: [LanguageCode: [Sentence]]
    public let entities: [LanguageCode: [EntityMention]]
    public let marks: [LanguageCode: [Mark]]

    /// With `paragraphRecords` false, `paragraphs` is left empty (for writers that read the
    /// sides' blocks themselves); everything else is the same.
    public init(_ unit: WorkUnit, paragraphRecords: Bool = true) {
        self.unit = unit
        let views = unit.views
        languages = views.keys.sorted(by: Self.languageOrder)
        var paragraphs: [LanguageCode: [Paragraph]] = [:]
        var sentences: [LanguageCode: [Sentence]] = [:]
        var entities: [LanguageCode: [EntityMention]] = [:]
        var marks: [LanguageCode: [Mark]] = [:]
        for language in languages {
            let side = views[language]!
            let document = unit.documents[side.document]
            let shared = SharedDocument(document)
            let paragraphOfBlock = Self.paragraphIndex(of: side, blockCount: document.blocks.count)
            var list: [Paragraph] = []
            if paragraphRecords { list.reserveCapacity(side.blocks.count) }
            for (index, blockIndex) in side.blocks.enumerated() where paragraphRecords {
                let block = document.blocks[blockIndex]
                list.append(
                    Paragraph(
                        index: index, language: language, document: side.document, block: blockIndex,
                        source: shared,
                        sourceStart: document.sourceOffsets.sourceOffset(of: block.range.start),
                        sourceEnd: document.sourceOffsets.sourceOffset(of: block.range.end)))
            }
            paragraphs[language] = list
            var sentenceList: [Sentence] = []
            // The side's sentences in document order, as `WorkUnit.sentences(of:)` gives them,
            // found through `paragraphOfBlock` (it would build a set of the side's blocks).
            sentenceList.reserveCapacity(document.sentences.count)
            for s in document.sentences {
                guard let paragraph = paragraphOfBlock[s.block] else { continue }
                sentenceList.append(Sentence(
                    index: sentenceList.count, paragraph: paragraph, range: s.range, block: s.block, source: shared,
                    sourceStart: document.sourceOffsets.sourceOffset(of: s.range.start), sourceEnd: document.sourceOffsets.sourceOffset(of: s.range.end)))
            }
            sentences[language] = sentenceList
            entities[language] = document.entities.compactMap { entity in
                paragraphOfBlock[entity.block].map { EntityMention(paragraph: $0, entity: entity, source: shared) }
            }
            marks[language] = Self.marks(of: document, paragraphOfBlock: paragraphOfBlock)
        }
        self.paragraphs = paragraphs
        self.sentences = sentences
        self.entities = entities
        self.marks = marks
    }

    /// The paragraph index of each block of a side's document (nil for blocks not on the side).
    static func paragraphIndex(of side: Side, blockCount: Int) -> ParagraphIndex {
        // A side that shows its whole document in order (an unpaired document: most large
        // ones) needs no table: a block's paragraph is its own index (a table was eight bytes
        // a block, 75 MB written for 1 GB of plain text).
        if side.blocks.count == blockCount && side.blocks.elementsEqual(0..<blockCount) { return ParagraphIndex(identityOf: blockCount) }
        var paragraphOfBlock = ParagraphIndex(blockCount: blockCount)
        for (index, block) in side.blocks.enumerated() { paragraphOfBlock[block] = index }
        return paragraphOfBlock
    }

    /// A document's marks that fall in the side's paragraphs, resolved to paragraph indices.
    static func marks(of document: Document, paragraphOfBlock: ParagraphIndex) -> [Mark] {
        document.marks.compactMap { mark in
            guard let paragraph = Self.paragraph(containing: mark.range, document: document, paragraphOfBlock: paragraphOfBlock) else { return nil }
            return Mark(paragraph: paragraph, mark: mark, targetParagraph: mark.target.flatMap { paragraphOfBlock[$0] })
        }
    }

    /// The offset in a block's reader text (`BlockContent.text`) of a document offset: the
    /// distance from the block's start less the excluded markup before it.
    public static func localOffset(_ documentOffset: Int, in block: Block) -> Int {
        var local = documentOffset - block.range.start
        for cut in block.excluded where block.range.contains(cut) {
            if cut.end <= documentOffset { local -= cut.length } else if cut.start < documentOffset { local -= documentOffset - cut.start }
        }
        return max(0, local)
    }

    /// Output order of languages: en, es, then the rest alphabetically.
    public static func languageOrder(_ a: LanguageCode, _ b: LanguageCode) -> Bool {
        // Ranked without an array of the two (one was made per comparison, for every unit file).
        func rank(_ code: LanguageCode) -> Int { code == .english ? 0 : code == .spanish ? 1 : 2 }
        let (ia, ib) = (rank(a), rank(b))
        return ia != ib ? ia < ib : a < b
    }

    /// Text of a range inside a block, read the way the block reads (markup left out, soft
    /// line breaks as spaces).
    static func text(of range: TextRange, block: Block, in document: Document) -> String {
        BlockContent(block: clipped(block, to: range), in: document).text
    }

    /// The block cut down to the part of it `range` covers (its reader text is the range's).
    static func clipped(_ block: Block, to range: TextRange) -> Block {
        var clipped = block
        clipped.range = TextRange(max(range.start, block.range.start), max(min(range.end, block.range.end), max(range.start, block.range.start)))
        // Excluded markup that the range only partly covers is excluded for its covered part.
        clipped.excluded = block.excluded.compactMap { cut in
            let start = max(cut.start, clipped.range.start)
            let end = min(cut.end, clipped.range.end)
            return start < end ? TextRange(start, end) : nil
        }
        return clipped
    }

    /// Paragraph index of each block of one document (nil for blocks not on this side).
    struct ParagraphIndex {
        private var indices: [Int]
        /// Whether every block below `identityCount` is the paragraph of its own index (and
        /// `indices` is empty).
        private let identityCount: Int?
        init(blockCount: Int) {
            indices = Array(repeating: -1, count: blockCount)
            identityCount = nil
        }
        init(identityOf blockCount: Int) {
            indices = []
            identityCount = blockCount
        }
        subscript(block: Int) -> Int? {
            get {
                if let identityCount { return block >= 0 && block < identityCount ? block : nil }
                return indices.indices.contains(block) && indices[block] >= 0 ? indices[block] : nil
            }
            set {
                precondition(identityCount == nil, "an identity index is not changed")
                indices[block] = newValue ?? -1
            }
        }
    }

    private static func paragraph(containing range: TextRange, document: Document, paragraphOfBlock: ParagraphIndex) -> Int? {
        // Blocks are in text order: binary search for the last block starting at or before the mark.
        let blocks = document.blocks
        var low = 0
        var high = blocks.count
        while low < high {
            let mid = (low + high) / 2
            if blocks[mid].range.start <= range.start { low = mid + 1 } else { high = mid }
        }
        guard low > 0, blocks[low - 1].range.contains(range) else { return nil }
        return paragraphOfBlock[low - 1]
    }
}
