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
    public let paragraphs: [LanguageCode: Paragraphs]
    public let sentences: [LanguageCode: Sentences]
    public let entities: [LanguageCode: EntityMentions]
    public let marks: [LanguageCode: [Mark]]

    public init(_ unit: WorkUnit) {
        self.unit = unit
        let views = unit.views
        languages = views.keys.sorted(by: Self.languageOrder)
        var paragraphs: [LanguageCode: Paragraphs] = [:]
        var sentences: [LanguageCode: Sentences] = [:]
        var entities: [LanguageCode: EntityMentions] = [:]
        var marks: [LanguageCode: [Mark]] = [:]
        for language in languages {
            let side = views[language]!
            let document = unit.documents[side.document]
            let shared = SharedDocument(document)
            let paragraphOfBlock = Self.paragraphIndex(of: side, blockCount: document.blocks.count)
            paragraphs[language] = Paragraphs(side: side, language: language, source: shared)
            // The side's sentences and mentions in document order, as `WorkUnit.sentences(of:)`
            // gives them, found through `paragraphOfBlock` (it would build a set of the side's blocks).
            sentences[language] = Sentences(SideItems(
                positions: DocumentPositions(document.sentences.lazy.map { paragraphOfBlock[$0.block] != nil }, count: document.sentences.count),
                paragraphOfBlock: paragraphOfBlock, source: shared))
            entities[language] = EntityMentions(SideItems(
                positions: DocumentPositions(document.entities.lazy.map { paragraphOfBlock[$0.block] != nil }, count: document.entities.count),
                paragraphOfBlock: paragraphOfBlock, source: shared))
            marks[language] = Self.marks(of: document, paragraphOfBlock: paragraphOfBlock)
        }
        self.paragraphs = paragraphs
        self.sentences = sentences
        self.entities = entities
        self.marks = marks
    }

    // MARK: Lists made when read

    // A side's paragraphs, sentences and entity mentions are made when read, from the
    // document's own lists: held as arrays of records they took some 60 bytes each, half the
    // heap of a writer on a long pair (~22 MB of 50 on the pair ×4).

    /// Positions in one of a document's lists (sentences, entities) that a side holds: all of
    /// them, in order (nearly always), held as a count; else a list of 4-byte positions.
    struct DocumentPositions: Sendable {
        private let positions: [Int32]?
        let count: Int

        /// The positions where `onSide` is true, of `count` in all.
        init(_ onSide: some Sequence<Bool>, count all: Int) {
            var positions: [Int32] = []
            var everyOne = true
            for (position, isOnSide) in onSide.enumerated() {
                if isOnSide {
                    if !everyOne { positions.append(Int32(position)) }
                } else if everyOne {
                    everyOne = false
                    positions = (0..<position).map { Int32($0) }
                }
            }
            self.positions = everyOne ? nil : positions
            count = everyOne ? all : positions.count
        }

        static let none = DocumentPositions(EmptyCollection<Bool>(), count: 0)

        subscript(index: Int) -> Int { positions.map { Int($0[index]) } ?? index }
    }

    /// A side's paragraphs, in their output order (their `index`).
    public struct Paragraphs: RandomAccessCollection, ExpressibleByArrayLiteral, Sendable {
        private let blocks: LinkPositions
        private let document: Int
        private let language: LanguageCode
        private let source: SharedDocument?

        fileprivate init(side: Side, language: LanguageCode, source: SharedDocument) {
            blocks = side.blocks
            document = side.document
            self.language = language
            self.source = source
        }

        public init(arrayLiteral: Never...) {
            blocks = []
            document = 0
            language = .undetermined
            source = nil
        }

        public var startIndex: Int { 0 }
        public var endIndex: Int { blocks.count }

        public subscript(index: Int) -> Paragraph {
            let source = source!
            let block = source.document.blocks[blocks[index]]
            return Paragraph(
                index: index, language: language, document: document, block: blocks[index], source: source,
                sourceStart: source.document.sourceOffsets.sourceOffset(of: block.range.start),
                sourceEnd: source.document.sourceOffsets.sourceOffset(of: block.range.end))
        }
    }

    /// Which of a document's sentences or entities a side holds, and the paragraph of each
    /// block: what `Sentences` and `EntityMentions` make their items from.
    fileprivate struct SideItems: Sendable {
        let positions: DocumentPositions
        let paragraphOfBlock: ParagraphIndex
        /// The document; nil for an empty list.
        let source: SharedDocument?

        static let none = SideItems(positions: .none, paragraphOfBlock: ParagraphIndex(blockCount: 0), source: nil)
    }

    /// A side's sentences, in document order (their `index`).
    public struct Sentences: RandomAccessCollection, ExpressibleByArrayLiteral, Sendable {
        private let items: SideItems
        fileprivate init(_ items: SideItems) { self.items = items }
        public init(arrayLiteral: Never...) { items = .none }
        public var startIndex: Int { 0 }
        public var endIndex: Int { items.positions.count }

        public subscript(index: Int) -> Sentence {
            let source = items.source!
            let s = source.document.sentences[items.positions[index]]
            return Sentence(
                index: index, paragraph: items.paragraphOfBlock[s.block]!, range: s.range, block: s.block, source: source,
                sourceStart: source.document.sourceOffsets.sourceOffset(of: s.range.start),
                sourceEnd: source.document.sourceOffsets.sourceOffset(of: s.range.end))
        }

        /// Each sentence's paragraph, without making the sentences.
        public var paragraphOfEach: some Collection<Int> {
            indices.lazy.map { [items] in items.paragraphOfBlock[items.source!.document.sentences[items.positions[$0]].block]! }
        }
    }

    /// A side's entity mentions, in document order.
    public struct EntityMentions: RandomAccessCollection, ExpressibleByArrayLiteral, Sendable {
        private let items: SideItems
        fileprivate init(_ items: SideItems) { self.items = items }
        public init(arrayLiteral: Never...) { items = .none }
        public var startIndex: Int { 0 }
        public var endIndex: Int { items.positions.count }

        public subscript(index: Int) -> EntityMention {
            let source = items.source!
            let entity = source.document.entities[items.positions[index]]
            return EntityMention(paragraph: items.paragraphOfBlock[entity.block]!, entity: entity, source: source)
        }

        /// Each mention's paragraph, without making the mentions.
        public var paragraphOfEach: some Collection<Int> {
            indices.lazy.map { [items] in items.paragraphOfBlock[items.source!.document.entities[items.positions[$0]].block]! }
        }
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
        // A block with no markup left out and no line breaks folded reads as its bytes: the range
        // cut to the block, as `clipped` cuts it, without the copy of the block it makes (one
        // for every sentence and mention the records and writers read).
        if block.excluded.isEmpty && !block.foldsLineBreaks {
            let start = max(range.start, block.range.start)
            return String(document.text(of: TextRange(start, max(min(range.end, block.range.end), start))))
        }
        return BlockContent(block: clipped(block, to: range), in: document).text
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

    /// Positions in a side's list (sentences, entity mentions) grouped by paragraph, each
    /// group in list order: a counting sort, 4 bytes an element where a dictionary of arrays
    /// took some 100.
    public struct ParagraphGroups: Sendable {
        /// List positions grouped by paragraph; empty when the list is already in paragraph
        /// order with none left out (sentences and mentions nearly always are), and a
        /// group is then a range of positions (the list was 4 bytes an element, ~3 MB of a
        /// writer's working set on a long pair).
        private var order: [Int32] = []
        /// Paragraph p's positions are `order[starts[p]..<starts[p + 1]]`, or that range itself.
        private var starts: [Int32] = [0]

        /// `paragraphs`: the paragraph of each element of the list, in list order.
        public init(paragraphs: some Collection<Int>) { self.init(grouping: paragraphs) }

        /// The same, from an array: compiled here for arrays, where a caller in another module
        /// (the search index) reached the generic form unspecialized, through protocol
        /// witnesses at every element of its three passes.
        public init(paragraphs: [Int]) { self.init(grouping: paragraphs) }

        private init(grouping paragraphs: some Collection<Int>) {
            guard let last = paragraphs.max(), last >= 0 else { return }
            var counts = [Int32](repeating: 0, count: last + 2)
            var inOrder = true
            var previous = 0
            for paragraph in paragraphs {
                if paragraph >= 0 { counts[paragraph + 1] += 1 }
                inOrder = inOrder && paragraph >= previous
                previous = paragraph
            }
            for p in 1..<counts.count { counts[p] += counts[p - 1] }
            starts = counts
            guard !inOrder else { return }
            var next = counts
            order = [Int32](repeating: 0, count: Int(counts[counts.count - 1]))
            for (position, paragraph) in paragraphs.enumerated() where paragraph >= 0 {
                order[Int(next[paragraph])] = Int32(position)
                next[paragraph] += 1
            }
        }

        /// The positions of paragraph `paragraph`'s elements, in list order.
        public func positions(of paragraph: Int) -> some Collection<Int> {
            let range = paragraph >= 0 && paragraph + 1 < starts.count ? Int(starts[paragraph])..<Int(starts[paragraph + 1]) : 0..<0
            return range.lazy.map { [order] in order.isEmpty ? $0 : Int(order[$0]) }
        }
    }

    /// Paragraph index of each block of one document (nil for blocks not on this side).
    struct ParagraphIndex {
        /// -1 for blocks not on the side (4 bytes a block: 8 took ~3 MB on a long pair).
        private var indices: [Int32]
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
                return indices.indices.contains(block) && indices[block] >= 0 ? Int(indices[block]) : nil
            }
            set {
                precondition(identityCount == nil, "an identity index is not changed")
                indices[block] = Int32(newValue ?? -1)
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
