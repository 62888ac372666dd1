import BitextCore

/// Finds entities in a document's blocks with rules over UTF-8 tokens and gazetteers.
///
/// Closed kinds (URLs, e-mails, document symbols, resolutions, dates, numbers, money,
/// percentages) come first and claim their tokens; acronym definitions are collected
/// from the whole document; names (persons, organizations, locations, countries) are
/// then read from capitalized sequences that nothing else claimed.
public struct EntityExtractor: Sendable {
    /// Kinds to report (all by default).
    public var kinds: Set<String> {
        didSet { reportsEveryKind = Self.namesEveryKind(kinds) }
    }
    /// Give a partial date (`30 September`) the document's year when that is safe.
    public var inferYears: Bool
    /// Whether `kinds` names every kind, worked out when `kinds` is set rather than for each
    /// document (comparing sets of strings hashed thirteen strings per document: 4% of the
    /// stage in the pipeline).
    private var reportsEveryKind: Bool
    /// Its scanners' `DocumentScanner.keptTokensLimit` (tests lower it to compare the two ways).
    var keptTokensLimit = DocumentScanner.keptTokensLimit

    public init(kinds: Set<String> = Set(EntityKind.allCases.map(\.rawValue)), inferYears: Bool = true) {
        self.kinds = kinds
        self.inferYears = inferYears
        reportsEveryKind = Self.namesEveryKind(kinds)
    }

    /// Entities of the given blocks of `document` (all blocks by default), sorted by offset.
    /// `bilingualNames` holds, per block index, folded hashes of capitalized sequences that
    /// occur in both versions of the block's aligned paragraph link (see `BilingualSignal`):
    /// they are kept as names even where capitals alone would be no evidence (sentence
    /// starts, headings).
    public func extract(from document: Document, blocks: [Int]? = nil, bilingualNames: [Int: Set<UInt64>] = [:]) -> [Entity] {
        var text = document.text
        return text.withUTF8 { p in
            var scanner = DocumentScanner(p: p, lexicon: Lexicon.shared, keptTokensLimit: keptTokensLimit)
            let blockInputs = inputs(document, blocks: blocks)
            scanner.closedPass(blockInputs, collectSequences: false)
            return finish(scanner.namesPass(blockInputs, bilingualNames: BilingualKeys(bilingualNames), inferYears: inferYears))
        }
    }

    /// What the scanner reads of each block.
    func inputs(_ document: Document, blocks: [Int]? = nil) -> [BlockInput] {
        inputs(of: document.blocks, documentSpanish: document.languages.first == .spanish, only: blocks)
    }

    /// What the scanner reads of each of `documentBlocks` (of those of `only`, when given).
    /// (From a document's fields: a `Document` argument taken from a unit's array was a copy
    /// of the whole document, every field retained and released, for each document.)
    func inputs(of documentBlocks: [Block], documentSpanish: Bool, only blocks: [Int]? = nil) -> [BlockInput] {
        documentBlocks.withUnsafeBufferPointer { all in
            let every = BlockInputs(blocks: all, documentSpanish: documentSpanish)
            // Every block (the pipeline's case) without an array of their indices first.
            guard let blocks else { return Array(every) }
            return blocks.map { every[$0] }
        }
    }

    /// Runs `body` with what the scanner reads of each block of `documents[d]`, made as it is
    /// read (see `BlockInputs`).
    static func withInputs<R>(_ documents: [Document], _ d: Int, _ body: (BlockInputs) -> R) -> R {
        let documentSpanish = documents[d].languages.first == .spanish
        return documents[d].blocks.withUnsafeBufferPointer { body(BlockInputs(blocks: $0, documentSpanish: documentSpanish)) }
    }

    /// Entities of every document of an aligned pair, with the bilingual signal: pass 1 of
    /// both versions first (it also collects each block's capitalized runs), then the signal
    /// from the runs both versions of a link share, then pass 2. Each block is tokenized once
    /// for everything (see `DocumentScanner.keptTokensLimit`). What pass 1 keeps of both
    /// versions is alive at once: whatever is read once is let go as soon as it is read.
    func extractAligned(_ documents: [Document], alignment: [AlignmentLink], english: Side, spanish: Side) -> [[Entity]] {
        Self.withUTF8(documents) { pointers in
            var scanners = pointers.map { DocumentScanner(p: $0, lexicon: Lexicon.shared, keptTokensLimit: keptTokensLimit) }
            for d in documents.indices {
                Self.withInputs(documents, d) { scanners[d].closedPass($0, collectSequences: d == english.document || d == spanish.document) }
            }
            var signal = BilingualSignal.keys(alignment, english: english, spanish: spanish, runs: scanners.map(\.buffers.runs))
            for d in scanners.indices { scanners[d].buffers.emptyRuns() }
            var entities: [[Entity]] = []
            entities.reserveCapacity(documents.count)
            for d in documents.indices {
                var keys = BilingualKeys()
                swap(&keys, &signal[d])
                let found = Self.withInputs(documents, d) { scanners[d].namesPass($0, bilingualNames: keys, inferYears: inferYears) }
                entities.append(finish(found))
            }
            return entities
        }
    }

    /// Runs `body` with the UTF-8 bytes of every document's text. A unit has one or two
    /// documents: those are read without building arrays of texts and pointers step by step.
    static func withUTF8<R>(_ documents: [Document], _ body: ([UnsafeBufferPointer<UInt8>]) -> R) -> R {
        switch documents.count {
        case 0:
            return body([])
        case 1:
            var text = documents[0].text
            return text.withUTF8 { body([$0]) }
        case 2:
            var first = documents[0].text
            var second = documents[1].text
            return first.withUTF8 { p in second.withUTF8 { q in body([p, q]) } }
        default:
            return withUTF8(documents.map(\.text), [], body)
        }
    }

    /// Runs `body` with the UTF-8 bytes of every text.
    static func withUTF8<R>(_ texts: [String], _ pointers: [UnsafeBufferPointer<UInt8>] = [],
                            _ body: ([UnsafeBufferPointer<UInt8>]) -> R) -> R {
        if pointers.count == texts.count { return body(pointers) }
        var text = texts[pointers.count]
        return text.withUTF8 { p in withUTF8(texts, pointers + [p], body) }
    }

    /// Entities of a plain text taken as one block (block index 0).
    public func extract(text: String, language: LanguageCode? = nil) -> [Entity] {
        var copy = text
        return copy.withUTF8 { p in
            var scanner = DocumentScanner(p: p, lexicon: Lexicon.shared)
            let input = BlockInput(block: 0, start: 0, end: p.count, spanish: language.map { $0 == .spanish }, isHeading: false,
                                   documentSpanish: false)
            return finish(scanner.run([input], inferYears: inferYears))
        }
    }

    /// Every kind's name, built once (`allCases` builds an array each time).
    private static let kindNames = Set(EntityKind.allCases.map(\.rawValue))

    /// Every kind named, not merely as many names (`kinds` is not checked against the kinds).
    private static func namesEveryKind(_ kinds: Set<String>) -> Bool {
        kinds.count >= kindNames.count && kinds.isSuperset(of: kindNames)
    }

    private func finish(_ found: consuming [Entity]) -> [Entity] {
        var entities = found
        let everything = reportsEveryKind
        // Most documents' entities come out in order: then nothing to filter, sort or move (the
        // sort is stable, so it would leave them as they are).
        if everything && entities.indices.dropFirst().allSatisfy({ !(entities[$0].range < entities[$0 - 1].range) }) {
            return entities
        }
        // Sort positions, then move each entity once (sorting the entities themselves copies them).
        // (Every index at once when every kind is reported: filtering grew the array step by step.)
        // 32-bit positions: a long pair's second version is put in order while the first's
        // entities and its own are all held.
        precondition(entities.count <= Int(Int32.max), "entity positions are held in 32 bits")
        var order: [Int32] = everything
            ? Array(0..<Int32(entities.count)) : entities.indices.filter { kinds.contains(entities[$0].kind) }.map { Int32($0) }
        order.sort { entities[Int($0)].range < entities[Int($1)].range }
        if order.count == entities.count && order.indices.allSatisfy({ Int(order[$0]) == $0 }) { return entities }
        if !everything { return order.map { entities[Int($0)] } }
        // Every entity kept: moved into order in place (copying each out, as `map` did,
        // retained and later released its strings and attributes).
        Self.move(&entities, into: &order)
        return entities
    }

    /// Puts `elements` in the order `order` gives (a permutation of their indices: element
    /// `order[k]` goes to `k`), as `order.map { elements[$0] }` would, by moving them in place,
    /// one cycle of the permutation after another. `order` is used up (every position marked
    /// as placed): a copy of it to mark was 8 bytes an entity more.
    static func move<Element>(_ elements: inout [Element], into order: inout [Int32]) {
        precondition(order.count == elements.count, "an order for every element")
        elements.withUnsafeMutableBufferPointer { moving in
            for start in order.indices where order[start] >= 0 {
                var k = start
                while true {
                    let from = Int(order[k])
                    // Placed: marked so that the cycle is not followed again.
                    order[k] = -1
                    if from == start { break }
                    moving.swapAt(k, from)
                    k = from
                }
            }
        }
    }
}

/// What the scanner reads of each of a document's blocks, made from the block as it is read:
/// an array of them (32 bytes a block) was held through a long document's pass. Valid only
/// inside the `withUnsafeBufferPointer` call that gave `blocks`.
struct BlockInputs: RandomAccessCollection {
    let blocks: UnsafeBufferPointer<Block>
    let documentSpanish: Bool

    var startIndex: Int { 0 }
    var endIndex: Int { blocks.count }

    subscript(i: Int) -> BlockInput {
        precondition(blocks.indices.contains(i), "block index out of range")
        // Read in place: a copy of the block would retain and release its reference fields.
        let b = blocks.baseAddress! + i
        return BlockInput(block: i, start: b.pointee.range.start, end: b.pointee.range.end,
                          spanish: b.pointee.languageIsSpanish, isHeading: b.pointee.kind == .heading,
                          documentSpanish: documentSpanish)
    }
}

/// The blocks pass 1 reads, and their text's length in bytes (which sizes its buffers).
protocol BlockInputCollection: Collection<BlockInput> {
    var textBytes: Int { get }
    /// `self[position].block`, without the rest of the element.
    func blockIndex(at position: Index) -> Int
}

extension Array: BlockInputCollection where Element == BlockInput {
    var textBytes: Int { reduce(0) { $0 + ($1.end - $1.start) } }
    func blockIndex(at position: Int) -> Int { self[position].block }
}

extension BlockInputs: BlockInputCollection {
    func blockIndex(at position: Int) -> Int {
        precondition(blocks.indices.contains(position), "block index out of range")
        return position
    }

    /// From the blocks' ranges alone: summed over `BlockInput`s, each block's language was
    /// read and compared with Spanish's code only to be dropped (27,544 blocks of the 1,000
    /// bench pairs, some 120 instructions each).
    var textBytes: Int {
        var bytes = 0
        for i in blocks.indices {
            let range = (blocks.baseAddress! + i).pointee.range
            bytes += range.end - range.start
        }
        return bytes
    }
}

struct BlockInput {
    var block: Int
    var start: Int
    var end: Int
    /// Whether the block's language (when known) is Spanish: a Bool rather than the code, which
    /// is a string to retain and compare for every block.
    var spanish: Bool?
    var isHeading: Bool
    var documentSpanish: Bool
}

/// Every run of one to four capitalized words of each block, as `BilingualSignal` keys: the
/// keys of block `b` (pass 1 reads all blocks, in order) are `keys[starts[b]..<starts[b + 1]]`
/// (32-bit positions: in a long pair both versions' runs are held at once, for the signal).
/// (A one-word run of a common word is left in: whether it counts is asked in pass 2, of the
/// few runs both versions share; see `BilingualKeys.oneWordRunsScreened`.)
struct CapitalizedRuns {
    var keys: [UInt64] = []
    var starts: [Int32] = []

    /// Calls `body` with the run keys of block `b`.
    func forEach(ofBlock b: Int, _ body: (_ key: UInt64) -> Void) {
        guard b >= 0, b + 1 < starts.count else { return }
        for k in Int(starts[b])..<Int(starts[b + 1]) { body(keys[k]) }
    }

    mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
    }
}

/// The tokens of the block being read: a window onto one array that holds either that block's
/// tokens only or every block's so far (a document whose tokens pass 2 reuses). Pass 1
/// tokenizes each block straight onto the end of that array and pass 2 moves the window from
/// block to block, rather than copying each block's tokens out and back (32 bytes a token).
struct TokenWindow: RandomAccessCollection {
    /// Every token the window can show; the window is `storage[base..<(base + count)]`.
    var storage: [Token] = []
    private(set) var base = 0
    private(set) var endIndex = 0

    var startIndex: Int { 0 }
    var count: Int { endIndex }

    /// Memory-safe through the storage's own bounds check; that the index stays inside the
    /// window (every rule tests `i < tokens.count` first) is checked in debug builds only: a
    /// second comparison on every token read cost 4% of the scanner on prose.
    @inline(__always) subscript(i: Int) -> Token {
        assert(UInt(bitPattern: i) < UInt(bitPattern: endIndex), "token index out of range")
        return storage[base &+ i]
    }

    /// Drops every token (the storage keeps its room) and shows none.
    mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        show(base: 0, count: 0)
    }

    /// Shows `storage[base..<(base + count)]`.
    mutating func show(base: Int, count: Int) {
        precondition(base >= 0 && count >= 0 && base + count <= storage.count, "token window out of range")
        self.base = base
        endIndex = count
    }

    /// Tokenizes `p[start..<end]` onto the end of the storage (the tokens kept so far stay)
    /// and shows those tokens.
    mutating func appendBlock(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, vocabulary: Vocabulary) {
        let first = storage.count
        Tokenizer.appendTokens(p, start, end, vocabulary: vocabulary, to: &storage)
        show(base: first, count: storage.count - first)
    }

    /// Tokenizes `p[start..<end]` in place of every token so far and shows those tokens.
    mutating func replaceBlock(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, vocabulary: Vocabulary) {
        Tokenizer.tokenize(p, start, end, vocabulary: vocabulary, into: &storage)
        show(base: 0, count: storage.count)
    }
}

struct AcronymDefinition {
    var acronym: String
    var expansion: String
    var kind: String
    var normalized: String
}

/// One document's pass: per-block token arrays plus document-wide facts (acronym
/// definitions, person name parts, words seen in lower case, years of full dates).
struct DocumentScanner {
    let p: UnsafeBufferPointer<UInt8>
    let lexicon: Lexicon
    /// The arrays and sets the scanner fills and empties, from a pool (see `ScannerBuffers`):
    /// the current block's tokens, claims and share of the bilingual signal, every block's
    /// claims and facts for pass 2, capitalized runs, words seen.
    var buffers: ScannerBuffers
    /// A table of `buffers.bilingual` when it is too long to scan.
    var bilingualTable: HashSet64?
    /// Whether the bilingual signal's one-word runs already name no common word (see
    /// `BilingualKeys.oneWordRunsScreened`).
    var bilingualOneWordRunsScreened = true

    var out: [Entity] = []
    /// Whether this document's entities share equal values (`stored(_:)`, `attributeHolders`):
    /// only a document longer than `keptTokensLimit`, whose entities are many and live to the
    /// end of the run. On small documents the hashing is all cost: it made the entity stage
    /// 30% slower on 72,765 paragraph documents (`scripts/entities/bench.sh`).
    var sharesValues = false
    /// The normalized values longer than a string holds inline that this document's entities
    /// carry, each stored once (see `stored(_:)`).
    var longNormalized = Set<String>()
    /// For each set of attributes this document's entities carry, the first entity given it,
    /// whose box the later ones share (see `Entity.shareAttributes(of:)`).
    var attributeHolders: [[String: String]: Entity] = [:]
    var acronyms: [UInt64: AcronymDefinition] = [:]
    var personParts = HashSet64()
    var fullDateYears: [Int: Int] = [:]
    /// Partial dates waiting for a year: (index in `out`, month, day, weekday).
    var partialDates: [(entity: Int, month: Int, day: Int, weekday: Int?)] = []
    /// Tries every token for a closed kind and for a name, not only those pass 1 listed
    /// (`ScannerBuffers.closedKindStarts`, `nameStarts`): the reference the tests hold the
    /// lists to.
    var triesEveryToken = false

    // Current block
    var block = 0
    var spanish = false
    var allCaps = false
    var titleCase = false

    init(p: UnsafeBufferPointer<UInt8>, lexicon: Lexicon, keptTokensLimit: Int = Self.keptTokensLimit) {
        self.p = p
        self.lexicon = lexicon
        self.keptTokensLimit = keptTokensLimit
        buffers = ScannerBuffers.pool.take()
    }

    /// Hands the scanner's arrays back to the pool, leaving none here (so that the pool's
    /// copies are the only ones).
    mutating func releaseBuffers() {
        var kept = ScannerBuffers()
        swap(&kept, &buffers)
        ScannerBuffers.pool.giveBack(consume kept)
    }

    /// Documents with at most this many bytes of blocks keep pass 1's tokens for pass 2
    /// (about eight bytes of tokens per byte of text), with each block's facts and name
    /// starts; larger ones are tokenized again and those measured again, which costs less
    /// than the memory (pass 1 keeps their claims only, a bit a token).
    static let keptTokensLimit = 1 << 20
    /// A document longer than `keptTokensLimit` gets room for an entity per this many bytes of
    /// text: the long pair writes one per 56 (English) and 65 (Spanish) bytes, and room for one
    /// per 100 was outgrown in pass 1 (every entity so far copied, old and new arrays held at
    /// once). Room never filled is never touched: it costs address space, not memory.
    static let longDocumentBytesPerEntity = 48
    /// `keptTokensLimit` for this scanner (tests lower it to compare the two ways).
    let keptTokensLimit: Int

    /// Whether `buffers.tokens.storage` keeps every block's tokens for pass 2.
    var keepTokens = false
    var singleBlock = false
    /// Blocks read by pass 1: pass 2 must be given the same blocks.
    var blockCount = 0

    func keepTokensFor(bytes: Int, blocks: Int) -> Bool { blocks > 1 && bytes <= keptTokensLimit }

    mutating func run(_ inputs: [BlockInput], inferYears: Bool) -> [Entity] {
        closedPass(inputs, collectSequences: false)
        return namesPass(inputs, inferYears: inferYears)
    }

    /// Pass 1: closed kinds and acronym definitions, block by block.
    mutating func closedPass(_ inputs: some BlockInputCollection, collectSequences: Bool) {
        blockCount = inputs.count
        let bytes = inputs.textBytes
        // About one token per four bytes of text, and one entity per 60 to 200 bytes (the
        // 1,000 pairs: one per 86): room for one per 100 saves most of the array's regrowth
        // (copies of every entity so far), which room for one per 200 left to most small documents.
        buffers.tokens.storage.reserveCapacity(keepTokensFor(bytes: bytes, blocks: inputs.count) ? bytes / 4 + 16 : min(256, bytes / 4 + 16))
        out.reserveCapacity(bytes / (bytes > keptTokensLimit ? Self.longDocumentBytesPerEntity : 100) + 8)
        sharesValues = bytes > keptTokensLimit
        // Distinct lower-case words grow with the text, but slowly; sized so a paragraph never regrows.
        buffers.lowercaseSeen.reset(minimumCapacity: min(1 << 14, bytes / 12 + 8))
        buffers.midCapitalized.reset(minimumCapacity: min(1 << 12, bytes / 48 + 8))
        // A one-block document needs nothing kept: pass 1 leaves its tokens and claims in place.
        singleBlock = inputs.count == 1
        keepTokens = keepTokensFor(bytes: bytes, blocks: inputs.count)
        if !singleBlock { buffers.claimed.reserveCapacity(bytes / 4 + 16) }
        if keepTokens || singleBlock { buffers.blockFacts.reserveCapacity(inputs.count) }
        if collectSequences { buffers.runs.starts.reserveCapacity(inputs.count + 1) }
        // Pass 2 asks `lowercaseSeen` only about capitalized words of the document (the first
        // word of a segment of a capitalized run), so it need hold only the lower-case words
        // also written with a capital somewhere: when every block's tokens are still at hand
        // after pass 1, they are gathered then (`gatherLowercaseSeen`), checking each word
        // against the smaller set of capitalized ones rather than inserting every word.
        let gatherLowercaseLater = keepTokens || singleBlock
        if gatherLowercaseLater {
            buffers.capitalizedSeen.reset(minimumCapacity: min(1 << 12, bytes / 48 + 8))
            // About one lower-case word of three letters or more per eight bytes of text.
            buffers.lowercaseWords.reserveCapacity(bytes / 8 + 8)
        }
        if keepTokens {
            buffers.nameStartEnds.reserveCapacity(inputs.count)
            buffers.nameStarts.reserveCapacity(bytes / 16 + 8)
        }
        // Taken out of the lexicon once: reading it for every block retained and released its arrays.
        let vocabulary = lexicon.vocabulary
        for input in inputs {
            if keepTokens {
                buffers.tokens.appendBlock(p, input.start, input.end, vocabulary: vocabulary)
            } else {
                buffers.tokens.replaceBlock(p, input.start, input.end, vocabulary: vocabulary)
            }
            if collectSequences { buffers.runs.starts.append(Int32(buffers.runs.keys.count)) }
            // Name starts not kept are listed again in pass 2 (`measureAgain`).
            if !keepTokens && !singleBlock { buffers.nameStarts.removeAll(keepingCapacity: true) }
            let (tally, firstOpenParen) = walkBlockTokens(gatherLowercaseLater: gatherLowercaseLater, collectSequences: collectSequences)
            buffers.used.setAllFalse(count: buffers.tokens.count)
            setBlockFacts(input, tally)
            scanBytePatterns(input.start, input.end)
            if keepTokens { buffers.nameStartEnds.append(buffers.nameStarts.count) }
            if triesEveryToken {
                scanClosedKinds()
            } else if !buffers.closedKindStarts.isEmpty {
                scanClosedKinds(at: buffers.closedKindStarts)
            }
            if let firstOpenParen { scanAcronymDefinitions(from: triesEveryToken ? 0 : firstOpenParen) }
            // Kept tokens and claims run in step: a block's first token is at the same index in both.
            assert(!keepTokens || buffers.tokens.base == buffers.claimed.count)
            if keepTokens || singleBlock { buffers.blockFacts.append((buffers.claimed.count, buffers.used.count, spanish, allCaps, titleCase)) }
            if !singleBlock { buffers.claimed.append(contentsOf: buffers.used) }
        }
        if collectSequences { buffers.runs.starts.append(Int32(buffers.runs.keys.count)) }
        if gatherLowercaseLater { gatherLowercaseSeen() }
    }

    /// Pass 1's walks over the current block's tokens: the tokens a closed kind or a name can
    /// begin at (`closedKindStarts`, noted here so that `scanClosedKinds` visits only those
    /// rather than walking the tokens again, and `nameStarts`), the first "(" (an acronym
    /// definition begins at one; none: no walk to look for one), the block's tally for its
    /// language and case (`setBlockFacts`), the lower-case and mid-sentence capitalized uses of
    /// words, and the block's capitalized runs when asked for.
    ///
    /// Three walks, each with little to keep: the lists and the "(" over every token, the
    /// tally and the lower-case words over every word, and the capitalized words from the name
    /// starts just listed (every capitalized word is one). In one walk that did everything,
    /// the loop's state did not fit in registers and a token cost some 100 instructions,
    /// mostly to spill and reload it. The tokens are read through a pointer, and the lists are
    /// written into room on the stack, then appended to their arrays once per block (appended
    /// token by token, each checked its array's uniqueness and capacity).
    mutating func walkBlockTokens(gatherLowercaseLater: Bool, collectSequences: Bool) -> (tally: BlockTally, firstOpenParen: Int?) {
        var tally = BlockTally()
        var firstOpenParen: Int?
        let count = buffers.tokens.count
        let base = buffers.tokens.base
        let firstNameStart = buffers.nameStarts.count
        // A second reference to the storage while it is read: nothing appends to it here.
        let storage = buffers.tokens.storage
        storage.withUnsafeBufferPointer { all in
            let tokens = UnsafeBufferPointer(rebasing: all[base..<(base + count)])
            // At most one entry per token in each list: closed-kind starts from the front of
            // `starts`, name starts from its middle. Each index is written whether or not it
            // is listed, and counted only if it is (no branch).
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * count + 1) { starts in
                var closedKindStartCount = 0
                var nameStartCount = 0
                var openParen = -1
                for i in 0..<count {
                    let t = tokens[i]
                    starts[closedKindStartCount] = Int32(truncatingIfNeeded: i)
                    closedKindStartCount &+= Self.canStartClosedKind(t) ? 1 : 0
                    starts[count &+ nameStartCount] = Int32(truncatingIfNeeded: i)
                    nameStartCount &+= Self.canStartName(t) ? 1 : 0
                    if openParen < 0 && t.kind == .punct && t.scalar == .openParen { openParen = i }
                }
                if openParen >= 0 { firstOpenParen = openParen }
                buffers.closedKindStarts.removeAll(keepingCapacity: true)
                buffers.closedKindStarts.append(contentsOf: UnsafeBufferPointer(rebasing: starts[..<closedKindStartCount]))
                buffers.nameStarts.append(contentsOf: UnsafeBufferPointer(rebasing: starts[count..<(count + nameStartCount)]))
            }
            // Lower-case words of three letters or more: checked against the capitalized words
            // once pass 1 has seen them all (`gatherLowercaseSeen`), from this list rather than
            // from every token; or, when the tokens are not kept, put in `lowercaseSeen` now.
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: count + 1) { lowercase in
                var lowercaseCount = 0
                for i in 0..<count where tokens[i].kind == .word {
                    let t = tokens[i]
                    lowercase[lowercaseCount] = t.hash
                    lowercaseCount &+= !t.isCapitalized && t.length >= 3 ? 1 : 0
                    tally.count(word: t)
                }
                let words = UnsafeBufferPointer(rebasing: lowercase[..<lowercaseCount])
                if gatherLowercaseLater {
                    if !words.isEmpty { buffers.lowercaseWords.append(contentsOf: words) }
                } else {
                    for word in words { buffers.lowercaseSeen.insert(word) }
                }
            }
            for k in firstNameStart..<buffers.nameStarts.count {
                let i = Int(buffers.nameStarts[k])
                let t = tokens[i]
                guard t.isCapitalized else { continue }
                if gatherLowercaseLater { buffers.capitalizedSeen.insert(t.hash) }
                if !isSentenceStart(i) { buffers.midCapitalized.insert(t.hash) }
                if collectSequences { appendCapitalizedRuns(from: i) }
            }
        }
        return (tally, firstOpenParen)
    }

    /// `lowercaseSeen` from every token pass 1 kept: the lower-case words of three letters or
    /// more that the document also writes with a capital (the only ones pass 2 asks about).
    /// (Pass 1's walk listed those words in `lowercaseWords`: a second walk over every kept
    /// token, 48 bytes each then and a branch on each one's kind and case, cost 6% of the stage.)
    mutating func gatherLowercaseSeen() {
        if buffers.capitalizedSeen.count == 0 { return }
        for word in buffers.lowercaseWords where buffers.capitalizedSeen.contains(word) { buffers.lowercaseSeen.insert(word) }
    }

    /// Pass 2: names, now that every acronym definition and lower-case use is known.
    /// `bilingualNames`: per block index, keys of capitalized runs both versions write.
    /// `inputs`: the blocks pass 1 read.
    mutating func namesPass(_ inputs: some BlockInputCollection, bilingualNames: BilingualKeys = BilingualKeys(),
                            inferYears: Bool) -> [Entity] {
        precondition(inputs.count == blockCount, "pass 2 reads the blocks pass 1 read")
        let vocabulary = lexicon.vocabulary
        bilingualOneWordRunsScreened = bilingualNames.oneWordRunsScreened
        // Where the current block's claims begin, in a document whose tokens are not kept.
        var claimsStart = 0
        // Only a block whose tokens are not kept is read again in full (`inputs[position]`):
        // the others need its index alone (reading a `BlockInputs` element reads the block's
        // language too, some 120 instructions a block).
        for (b, position) in inputs.indices.enumerated() {
            let block = inputs.blockIndex(at: position)
            // The block's name starts, `buffers.nameStarts[names]`.
            let names: Range<Int>
            if singleBlock {
                // `tokens`, `used` and the name starts are still the block's, as pass 1 left them.
                setBlockFacts(block: block, buffers.blockFacts[0])
                names = 0..<buffers.nameStarts.count
            } else if keepTokens {
                let facts = buffers.blockFacts[b]
                buffers.tokens.show(base: facts.start, count: facts.count)
                buffers.claimed.copy(facts.start..<(facts.start + facts.count), into: &buffers.used)
                setBlockFacts(block: block, facts)
                names = (b == 0 ? 0 : buffers.nameStartEnds[b - 1])..<buffers.nameStartEnds[b]
            } else {
                let input = inputs[position]
                buffers.tokens.replaceBlock(p, input.start, input.end, vocabulary: vocabulary)
                buffers.claimed.copy(claimsStart..<(claimsStart + buffers.tokens.count), into: &buffers.used)
                claimsStart += buffers.tokens.count
                measureAgain(input)
                names = 0..<buffers.nameStarts.count
            }
            bilingualNames.keys(ofBlock: block, into: &buffers.bilingual)
            bilingualTable = buffers.bilingual.count > 32 ? HashSet64(buffers.bilingual) : nil
            if triesEveryToken {
                scanNames()
            } else if !names.isEmpty {
                scanNames(at: names)
            }
        }
        releaseBuffers()
        if inferYears { inferPartialYears() }
        // Handed over, not shared: `finish` can then reorder the entities in place.
        let entities = out
        out = []
        return entities
    }

    /// The current block's language and case (`spanish`, `allCaps`, `titleCase`) from its
    /// tally, and its index.
    mutating func setBlockFacts(_ input: BlockInput, _ tally: BlockTally) {
        block = input.block
        // Spanish if Spanish function words outnumber English ones.
        spanish = input.spanish
            ?? (tally.spanishFunctionWords == tally.englishFunctionWords
                ? input.documentSpanish : tally.spanishFunctionWords > tally.englishFunctionWords)
        measureCase(words: tally.words, caps: tally.caps, capitalized: tally.capitalized, isHeading: input.isHeading)
    }

    /// The current block's facts as pass 1 kept them, and its index.
    mutating func setBlockFacts(block: Int, _ facts: BlockFacts) {
        self.block = block
        spanish = facts.spanish
        allCaps = facts.allCaps
        titleCase = facts.titleCase
    }

    /// What pass 1 measured of the current block and did not keep, measured again from its
    /// tokens (tokenized again): its language and case, and its name starts.
    mutating func measureAgain(_ input: BlockInput) {
        var tally = BlockTally()
        buffers.nameStarts.removeAll(keepingCapacity: true)
        for i in buffers.tokens.indices {
            let t = buffers.tokens[i]
            if Self.canStartName(t) { buffers.nameStarts.append(Int32(truncatingIfNeeded: i)) }
            if t.kind == .word { tally.count(word: t) }
        }
        setBlockFacts(input, tally)
    }

    /// The runs of one to four consecutive capitalized words that begin at token `first` (a
    /// capitalized word) of the current block, hashed like gazetteer keys, as
    /// `Tokenizer.forEachCapitalizedRun` finds them (a lone common word, "When", "No", is left
    /// out). Called from pass 1's walk over the block's tokens, which it saves walking again.
    @inline(__always) mutating func appendCapitalizedRuns(from first: Int) {
        let word = buffers.tokens[first]
        var key = Lexicon.combine(0, word.hash)
        if word.length > 2 && !word.isA([.englishFunction, .spanishFunction]) {
            buffers.runs.keys.append(key)
        }
        for j in first + 1..<Tokenizer.capitalizedRunEnd(buffers.tokens, from: first) {
            key = Lexicon.combine(key, buffers.tokens[j].hash)
            buffers.runs.keys.append(key)
        }
    }

    // MARK: - Helpers

    /// Whether the current block's bilingual signal holds `key`.
    func isBilingual(_ key: UInt64) -> Bool {
        if buffers.bilingual.isEmpty { return false }
        return bilingualTable?.contains(key) ?? buffers.bilingual.contains(key)
    }

    /// Whether the current block's bilingual signal holds the run of words `a...b`: a lone
    /// word only if it is no common word, tested here when the signal left that test to its reader.
    func isBilingualRun(_ a: Int, _ b: Int) -> Bool {
        guard isBilingual(runKey(a, b)) else { return false }
        return a != b || bilingualOneWordRunsScreened || !lexicon.isCommonWord(buffers.tokens[a].hash)
    }

    func text(_ a: Int, _ b: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: p[buffers.tokens[a].start..<buffers.tokens[b].end]), as: UTF8.self)
    }

    func bytes(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: p[start..<end]), as: UTF8.self)
    }

    @inline(__always) func isPunct(_ i: Int, _ s: UInt32) -> Bool {
        i < buffers.tokens.count && buffers.tokens[i].kind == .punct && buffers.tokens[i].scalar == s
    }

    @inline(__always) func attached(_ i: Int) -> Bool { i < buffers.tokens.count && !buffers.tokens[i].spaceBefore }

    @inline(__always) func isWord(_ i: Int) -> Bool { i < buffers.tokens.count && buffers.tokens[i].kind == .word }

    @inline(__always) func isNumber(_ i: Int) -> Bool { i < buffers.tokens.count && buffers.tokens[i].kind == .number }

    // `value`, `isYear`, `day(at:)`, `month(at:)` (and `isFirstName`, `isSurname`) are always
    // inlined: called from a mutating matcher, a method of the scanner was handed a copy of the
    // whole scanner (a 300-byte `memcpy` per call, a third of `matchDate`).
    @inline(__always) func value(_ i: Int) -> Int {
        var v = 0
        for k in buffers.tokens[i].start..<min(buffers.tokens[i].end, buffers.tokens[i].start + 9) { v = v * 10 + Int(p[k] - 0x30) }
        return v
    }

    @inline(__always) func isYear(_ i: Int) -> Bool {
        guard isNumber(i), buffers.tokens[i].length == 4 else { return false }
        let v = value(i)
        // Not the first group of a larger number (2024,5 / 2024.000).
        if (isPunct(i + 1, .comma) || isPunct(i + 1, .dot)) && attached(i + 1) && isNumber(i + 2) && attached(i + 2) {
            return false
        }
        return v >= 1000 && v <= 2999
    }

    mutating func emit(_ kind: EntityKind, _ a: Int, _ b: Int, normalized: String?, attributes: [String: String] = [:]) {
        emitBytes(kind, buffers.tokens[a].start, buffers.tokens[b].end, normalized: normalized, attributes: attributes)
        for k in a...b { buffers.used[k] = true }
    }

    mutating func emitBytes(_ kind: EntityKind, _ start: Int, _ end: Int, normalized: String?, attributes: [String: String] = [:]) {
        guard sharesValues else {
            out.append(Entity(kind: kind.rawValue, range: TextRange(start, end), block: block, normalized: normalized,
                              attributes: attributes))
            return
        }
        let normalized = normalized.map { stored($0) }
        if attributes.isEmpty {
            out.append(Entity(kind: kind.rawValue, range: TextRange(start, end), block: block, normalized: normalized))
            return
        }
        // Entities with the same attributes share one box: on the long pair ×16, 31,000 entities
        // with 445 sets of attributes held 5 to 6 MB of boxes and dictionaries to the end of the run.
        if let holder = attributeHolders[attributes], Self.sameBytes(holder.attributes, attributes) {
            var entity = Entity(kind: kind.rawValue, range: TextRange(start, end), block: block, normalized: normalized)
            if entity.shareAttributes(of: holder) {
                out.append(entity)
                return
            }
        }
        let entity = Entity(kind: kind.rawValue, range: TextRange(start, end), block: block, normalized: normalized,
                            attributes: attributes)
        if attributeHolders[attributes] == nil { attributeHolders[attributes] = entity }
        out.append(entity)
    }

    /// Whether two sets of attributes have the same keys and values byte for byte (`String`
    /// equality, which finding a holder goes by, is canonical equivalence). A set has a few entries.
    static func sameBytes(_ a: [String: String], _ b: [String: String]) -> Bool {
        a.count == b.count && a.allSatisfy { entry in
            b.contains { $0.key.utf8.elementsEqual(entry.key.utf8) && $0.value.utf8.elementsEqual(entry.value.utf8) }
        }
    }

    /// The most UTF-8 bytes a string holds inline, with no allocation of its own.
    static let inlineStringBytes = 15

    /// `value`, sharing the storage of an equal value this document's entities already carry.
    /// A normalized value longer than `inlineStringBytes` is an allocation of its own (some 64
    /// bytes for "Debian Policy Manual"), and a document names the same things again and
    /// again: on the long pair ×16, 3 to 5 MB of such copies were alive to the end of the run.
    /// Shared only when the bytes are the same (`String` equality is canonical equivalence).
    mutating func stored(_ value: String) -> String {
        guard value.utf8.count > Self.inlineStringBytes else { return value }
        let (inserted, member) = longNormalized.insert(value)
        return inserted || member.utf8.elementsEqual(value.utf8) ? member : value
    }

    /// Whether the block is written in capitals, or in title case, from its counts of words of
    /// two letters or more: all, all in capitals, capitalized.
    mutating func measureCase(words: Int, caps: Int, capitalized: Int, isHeading: Bool) {
        allCaps = words >= 2 && caps * 10 >= words * 8
        let endsWithStop = buffers.tokens.last.map { $0.kind == .punct && $0.scalar == .dot } ?? false
        titleCase = !allCaps && words >= 2 && (isHeading || (words <= 14 && !endsWithStop))
            && capitalized * 10 >= words * 6
    }

    /// A token begins a sentence: first in the block, or after . ! ? : ; a bullet or a line break.
    func isSentenceStart(_ i: Int) -> Bool {
        if buffers.tokens[i].newlineBefore { return true }
        var k = i - 1
        while k >= 0 {
            let t = buffers.tokens[k]
            guard t.kind == .punct else { return false }
            switch t.scalar {
            case 0x2E, 0x21, 0x3F, 0x3A, 0x3B, 0x2022, 0x2014, 0x2013, 0x2D, 0xB7, 0x2026: return true
            case 0x22, 0x27, 0x28, 0x5B, 0x201C, 0x2018, 0xAB, 0xA1, 0xBF, 0x2A, 0x2039:
                if t.newlineBefore { return true }
                k -= 1
            default: return false
            }
        }
        return true
    }

    // MARK: - URLs and e-mail (byte patterns)

    mutating func scanBytePatterns(_ start: Int, _ end: Int) {
        var hasAt = false
        var hasURL = false
        var i = start
        // Sixteen bytes at a time: only where an "@", a ":/" or a "ww" stands are the bytes read one by one.
        if let base = p.baseAddress {
            let at = SIMD16<UInt8>(repeating: 0x40), colon = SIMD16<UInt8>(repeating: 0x3A)
            let slash = SIMD16<UInt8>(repeating: 0x2F), w = SIMD16<UInt8>(repeating: 0x77)
            while i + 17 <= end, !(hasAt && hasURL) {
                let v0 = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<UInt8>.self)
                let v1 = UnsafeRawPointer(base + i + 1).loadUnaligned(as: SIMD16<UInt8>.self)
                let candidates = (v0 .== at) .| ((v0 .== colon) .& (v1 .== slash)) .| ((v0 .== w) .& (v1 .== w))
                if any(candidates) {
                    for k in i..<(i + 16) { checkPatterns(k, end, &hasAt, &hasURL) }
                }
                i += 16
            }
            // The last bytes of the block (at most sixteen) in one test as well, when the text
            // goes on far enough to load them: the bytes loaded past the block only widen the
            // test, each position before `end` is then checked by itself. (One by one, the
            // block ends were a quarter of this scan on the 1,000 bench pairs.)
            if i < end, i + 17 <= p.count, !(hasAt && hasURL) {
                let v0 = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<UInt8>.self)
                let v1 = UnsafeRawPointer(base + i + 1).loadUnaligned(as: SIMD16<UInt8>.self)
                let candidates = (v0 .== at) .| ((v0 .== colon) .& (v1 .== slash)) .| ((v0 .== w) .& (v1 .== w))
                if !any(candidates) { i = end }
            }
        }
        while i < end, !(hasAt && hasURL) {
            checkPatterns(i, end, &hasAt, &hasURL)
            i += 1
        }
        if hasURL { scanURLs(end) }
        if hasAt { scanEmails(start, end) }
    }

    @inline(__always) private func checkPatterns(_ i: Int, _ end: Int, _ hasAt: inout Bool, _ hasURL: inout Bool) {
        let b = p[i]
        if b == 0x40 { hasAt = true }
        if (b == 0x3A && i + 2 < end && p[i + 1] == 0x2F && p[i + 2] == 0x2F)
            || (b == 0x77 && i + 3 < end && p[i + 1] == 0x77 && p[i + 2] == 0x77 && p[i + 3] == 0x2E)
        {
            hasURL = true
        }
    }

    private func isURLByte(_ b: UInt8) -> Bool {
        b > 0x20 && b < 0x80 && b != 0x22 && b != 0x3C && b != 0x3E && b != 0x60 && b != 0x7B && b != 0x7D
    }

    mutating func scanURLs(_ blockEnd: Int) {
        for i in buffers.tokens.indices where !buffers.used[i] && buffers.tokens[i].kind == .word {
            let h = buffers.tokens[i].hash
            let isScheme = (h == H.http || h == H.https || h == H.ftp) && isPunct(i + 1, .colon) && attached(i + 1)
                && isPunct(i + 2, .slash) && attached(i + 2)
            let isWWW = h == H.www && isPunct(i + 1, .dot) && attached(i + 1)
            guard isScheme || isWWW else { continue }
            var e = buffers.tokens[i].start
            while e < blockEnd, isURLByte(p[e]) { e += 1 }
            // Trailing punctuation belongs to the sentence; a closing parenthesis only if unbalanced.
            while e > buffers.tokens[i].start {
                let b = p[e - 1]
                if b == 0x2E || b == 0x2C || b == 0x3B || b == 0x3A || b == 0x21 || b == 0x3F || b == 0x27 || b == 0x5D {
                    e -= 1
                } else if b == 0x29 {
                    var open = 0
                    for k in buffers.tokens[i].start..<e { if p[k] == 0x28 { open += 1 } else if p[k] == 0x29 { open -= 1 } }
                    if open < 0 { e -= 1 } else { break }
                } else { break }
            }
            guard e > buffers.tokens[i].end + 2 else { continue }
            claim(buffers.tokens[i].start, e)
            emitBytes(.url, buffers.tokens[i].start, e, normalized: bytes(buffers.tokens[i].start, e))
        }
    }

    mutating func scanEmails(_ start: Int, _ end: Int) {
        func local(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E || b == 0x5F
                || b == 0x25 || b == 0x2B || b == 0x2D
        }
        var i = start
        while i < end {
            defer { i += 1 }
            guard p[i] == 0x40 else { continue }
            var a = i
            while a > start, local(p[a - 1]) { a -= 1 }
            while a < i, p[a] == 0x2E { a += 1 }
            var e = i + 1
            var dots = 0
            while e < end, local(p[e]), p[e] != 0x2B, p[e] != 0x25, p[e] != 0x5F {
                if p[e] == 0x2E { dots += 1 }
                e += 1
            }
            while e > i + 1, p[e - 1] == 0x2E || p[e - 1] == 0x2D {
                if p[e - 1] == 0x2E { dots -= 1 }
                e -= 1
            }
            guard a < i, dots >= 1, e > i + 3 else { continue }
            // Already inside a URL?
            if let t = buffers.tokens.firstIndex(where: { $0.start <= i && i < $0.end }), buffers.used[t] { continue }
            claim(a, e)
            emitBytes(.email, a, e, normalized: bytes(a, e).lowercased())
            i = e - 1
        }
    }

    mutating func claim(_ start: Int, _ end: Int) {
        for k in buffers.tokens.indices where buffers.tokens[k].start < end && buffers.tokens[k].end > start { buffers.used[k] = true }
    }

    // MARK: - Closed kinds

    /// Whether any closed-kind matcher can begin at `t` (the union of their first tests in
    /// `scanClosedKinds`): a number, a currency sign, a word in capitals of up to six letters,
    /// a resolution word, a weekday or a month.
    @inline(__always) static func canStartClosedKind(_ t: Token) -> Bool {
        switch t.kind {
        case .number: true
        case .word: (t.isAllCaps && t.length <= 6) || t.isA([.resolutionWord, .weekday, .month])
        case .punct: t.scalar >= 0x24 && (t.scalar == .dollar || t.scalar == .euro || t.scalar == .pound || t.scalar == .yen)
        }
    }

    /// Closed kinds in the current block, trying every token in turn (the reference for
    /// `scanClosedKinds(at:)`, which tries only the tokens that can begin one).
    mutating func scanClosedKinds() {
        scanClosedKinds(at: buffers.tokens.indices.lazy.map { Int32(truncatingIfNeeded: $0) })
    }

    /// Closed kinds in the current block, trying the tokens of `starts` (ascending; at least
    /// every token for which `canStartClosedKind` holds) that no match before has passed.
    /// Trying any other token finds nothing, so the entities are those of trying every token.
    mutating func scanClosedKinds<Starts: Sequence<Int32>>(at starts: Starts) {
        var i = 0
        for start in starts {
            let candidate = Int(start)
            if candidate < i || buffers.used[candidate] { continue }
            i = candidate
            let kind = buffers.tokens[i].kind
            let t = buffers.tokens[i]
            let quantityStart = kind == .number || (kind == .punct && t.scalar >= 0x24 && (t.scalar == .dollar || t.scalar == .euro || t.scalar == .pound || t.scalar == .yen))
                || (kind == .word && t.isAllCaps && t.length <= 3)
            // Each matcher's own first test, made here: most tokens start nothing, and a call
            // to a matcher (a large stack frame to set up) cost more than its test.
            let symbolStart = kind == .word && t.isAllCaps && t.length <= 6
            let resolutionStart = kind == .word && t.isA(.resolutionWord)
            let dateStart = kind == .word ? t.isA([.weekday, .month]) : kind == .number && (t.length <= 2 || t.length == 4)
            if let next = (symbolStart ? matchSymbol(i) : nil) ?? (resolutionStart ? matchResolution(i) : nil)
                ?? (dateStart ? matchDate(i) : nil) ?? (quantityStart ? matchQuantity(i) : nil)
            {
                i = max(next, i + 1)
            } else {
                i += 1
            }
        }
    }

    /// UN and OAS document symbols: S/2024/765, A/RES/78/1, CP/RES. 1268 (2523/24), OAS/Ser.G.
    mutating func matchSymbol(_ i: Int) -> Int? {
        let t = buffers.tokens[i]
        guard t.kind == .word, t.isAllCaps, t.length <= 6, isPunct(i + 1, .slash), attached(i + 1),
            i + 2 < buffers.tokens.count, attached(i + 2), buffers.tokens[i + 2].kind != .punct
        else { return nil }
        for k in t.start..<t.end where p[k] == 0x2E { return nil }
        if i > 0, !t.spaceBefore, buffers.tokens[i - 1].kind != .punct || isPunct(i - 1, .slash) { return nil }
        var end = i
        var segments = 1
        var hasDigit = false
        var hasDot = false
        var j = i + 1
        while isPunct(j, .slash), attached(j), j + 1 < buffers.tokens.count, attached(j + 1), buffers.tokens[j + 1].kind != .punct {
            segments += 1
            var k = j + 1
            while k < buffers.tokens.count {
                let u = buffers.tokens[k]
                if k > j + 1 && u.spaceBefore { break }
                if u.kind == .number { hasDigit = true; end = k; k += 1; continue }
                if u.kind == .word { end = k; k += 1; continue }
                if u.kind == .punct && (u.scalar == .dot || u.scalar == .hyphen) && attached(k + 1)
                    && k + 1 < buffers.tokens.count && buffers.tokens[k + 1].kind != .punct
                {
                    if u.scalar == .dot { hasDot = true }
                    k += 1
                    continue
                }
                if u.kind == .punct && u.scalar == .dot && isNumber(k + 1) && !attached(k + 1) {
                    // OAS: "CP/RES. 1268"
                    hasDigit = true
                    end = k + 1
                    k += 2
                }
                break
            }
            j = k
        }
        guard hasDigit || hasDot || segments >= 3 else { return nil }
        // OAS session number: " (2523/24)", " (LI-O/21)".
        if isPunct(end + 1, .openParen) {
            var k = end + 2
            var sawSlash = false
            while k < buffers.tokens.count, k < end + 12, attached(k), !isPunct(k, .closeParen) {
                if isPunct(k, .slash) { sawSlash = true }
                k += 1
            }
            if sawSlash, isPunct(k, .closeParen), attached(k) { end = k }
            // Security Council resolutions: "S/RES/2751 (2024)".
            else if isYear(end + 2), attached(end + 2), isPunct(end + 3, .closeParen), attached(end + 3),
                text(i, end).contains("/RES/")
            {
                end += 3
            }
        }
        var normalized = ""
        var lastSpace = false
        for k in buffers.tokens[i].start..<buffers.tokens[end].end {
            let b = p[k]
            if b == 0x20 || b == 0x0A || b == 0x09 || b == 0xC2 || b == 0xA0 {
                if !lastSpace { normalized.append(" ") }
                lastSpace = true
            } else {
                normalized.unicodeScalars.append(Unicode.Scalar(b))
                lastSpace = false
            }
        }
        // "S/2024-765" is how the OAS wrote the UN symbol S/2024/765.
        let parts = normalized.split(separator: "/")
        var attributes = ["series": String(parts[0])]
        if parts.count == 2, parts[0].count <= 2, let dash = parts[1].firstIndex(of: "-"),
            parts[1][..<dash].count == 4, parts[1][..<dash].allSatisfy(\.isNumber), parts[1][parts[1].index(after: dash)...].allSatisfy(\.isNumber)
        {
            attributes["written"] = normalized
            normalized = "\(parts[0])/\(parts[1][..<dash])/\(parts[1][parts[1].index(after: dash)...])"
        }
        emit(.documentSymbol, i, end, normalized: normalized, attributes: attributes)
        return end + 1
    }

    /// "Resolution 2751 (2024)", "resoluciones 2699 (2023) y 2751 (2024)", "resolution 78/1".
    mutating func matchResolution(_ i: Int) -> Int? {
        guard buffers.tokens[i].kind == .word, buffers.tokens[i].isA(.resolutionWord) else { return nil }
        var k = i + 1
        // "No." / "n.º" / "número"
        if isWord(k), buffers.tokens[k].hash == H.no || buffers.tokens[k].hash == H.n || buffers.tokens[k].hash == H.numero || buffers.tokens[k].hash == H.number {
            var m = k + 1
            while m < buffers.tokens.count, m < k + 3, buffers.tokens[m].kind == .punct, attached(m) { m += 1 }
            if isNumber(m) { k = m }
        }
        guard isNumber(k) else { return nil }
        let councilContext: Bool = {
            for b in stride(from: i - 1, through: max(0, i - 8), by: -1) where buffers.tokens[b].kind == .word {
                let h = buffers.tokens[b].hash
                if h == H.council || h == H.consejo || h == H.unsc || h == H.csnu || h == H.security || h == H.seguridad {
                    return true
                }
            }
            return false
        }()
        var first = i
        var next = k
        var found = false
        while isNumber(next) {
            var end = next
            var number = text(next, next)
            if isPunct(next + 1, .slash), attached(next + 1), isNumber(next + 2), attached(next + 2) {
                number += "/" + text(next + 2, next + 2)
                end = next + 2
            }
            var year: String?
            if isPunct(end + 1, .openParen), isYear(end + 2), attached(end + 2), isPunct(end + 3, .closeParen) {
                year = text(end + 2, end + 2)
                end += 3
            }
            if !found && year == nil && !number.contains("/") && isNumber(next) && buffers.tokens[next].length > 5 { return nil }
            let normalized = year.map { "\(number) (\($0))" } ?? number
            var attributes: [String: String] = [:]
            if councilContext, !number.contains("/") { attributes["symbol"] = "S/RES/\(normalized)" }
            emit(.resolution, first, end, normalized: normalized, attributes: attributes)
            found = true
            // A list: ", 2699 (2023) and 2751 (2024)"
            var m = end + 1
            if isPunct(m, .comma) { m += 1 }
            if isWord(m), buffers.tokens[m].isA(.andWord) { m += 1 }
            guard m > end + 1, isNumber(m), isPunct(m + 1, .openParen) || isPunct(m + 1, .slash) else { return end + 1 }
            first = m
            next = m
        }
        return found ? next : nil
    }

    // MARK: Dates

    @inline(__always) func month(at i: Int) -> (month: Int, end: Int)? {
        guard isWord(i), buffers.tokens[i].isA(.month), let m = Words.months[buffers.tokens[i].hash] else { return nil }
        let t = buffers.tokens[i]
        // English month names are capitalized; Spanish ones are usually not.
        if !t.isCapitalized && !t.isA(.fullSpanishMonth) { return nil }
        if t.isA(.monthAbbreviation), isPunct(i + 1, .dot), attached(i + 1) { return (m, i + 1) }
        return (m, i)
    }

    @inline(__always) func day(at i: Int) -> (day: Int, end: Int)? {
        guard isNumber(i), buffers.tokens[i].length <= 2 else { return nil }
        let d = value(i)
        guard d >= 1, d <= 31 else { return nil }
        // Not the integer part of a decimal ("13,5") nor part of a larger numeral.
        if (isPunct(i + 1, .comma) || isPunct(i + 1, .dot) || isPunct(i + 1, .slash) || isPunct(i + 1, .colon))
            && attached(i + 1) && isNumber(i + 2) && attached(i + 2)
        {
            return nil
        }
        var end = i
        if isWord(i + 1), attached(i + 1), buffers.tokens[i + 1].isA(.ordinalSuffix) {
            end = i + 1
        } else if isPunct(i + 1, .dot), attached(i + 1), isPunct(i + 2, .masculineOrdinal) || isPunct(i + 2, .degree), attached(i + 2) {
            end = i + 2
        } else if isPunct(i + 1, .masculineOrdinal) || isPunct(i + 1, .degree), attached(i + 1) {
            end = i + 1
        }
        return (d, end)
    }

    mutating func matchDate(_ i: Int) -> Int? {
        // Dates start with a weekday, a month, a day (1–2 digits) or a year (4 digits).
        let first = buffers.tokens[i]
        if first.kind == .word {
            guard first.isA([.weekday, .month]) else { return nil }
        } else if first.kind == .number {
            guard first.length <= 2 || first.length == 4 else { return nil }
        }
        var k = i
        var weekday: Int?
        if isWord(k), buffers.tokens[k].isA(.weekday), let w = Words.weekdays[buffers.tokens[k].hash], buffers.tokens[k].isCapitalized || spanish {
            weekday = w
            k += 1
            if isPunct(k, .comma) { k += 1 }
            if isWord(k), buffers.tokens[k].hash == H.the || buffers.tokens[k].hash == H.el { k += 1 }
        }
        var y: Int?
        var m: Int?
        var d: Int?
        var rangeEnd: Int?
        var end = k
        if weekday == nil, buffers.tokens[k].kind == .number, let numeric = numericDate(k) {
            (y, m, d, end) = (numeric.year, numeric.month, numeric.day, numeric.end)
        } else if let (dd, dEnd) = day(at: k) {
            var c = dEnd + 1
            // A range of days: "13-15 November", "del 13 al 15 de noviembre", "from 13 to 15 November".
            var lastDay: Int?
            if weekday == nil, isPunct(c, .hyphen) || isPunct(c, 0x2013) || (isWord(c) && (buffers.tokens[c].hash == H.al || buffers.tokens[c].hash == H.to)),
                let (d2, d2End) = day(at: c + 1), d2 > dd
            {
                var after = d2End + 1
                if isWord(after), buffers.tokens[after].hash == H.of || buffers.tokens[after].hash == H.de { after += 1 }
                if month(at: after) != nil {
                    lastDay = d2
                    c = after
                }
            }
            if isWord(c), buffers.tokens[c].hash == H.of || buffers.tokens[c].hash == H.de { c += 1 }
            if let (mm, mEnd) = month(at: c) {
                d = dd
                m = mm
                end = mEnd
                rangeEnd = lastDay
                var yk = mEnd + 1
                if isPunct(yk, .comma) { yk += 1 }
                if isWord(yk), buffers.tokens[yk].hash == H.de || buffers.tokens[yk].hash == H.del || buffers.tokens[yk].hash == H.of { yk += 1 }
                if isYear(yk) {
                    y = value(yk)
                    end = yk
                }
            }
        } else if let (mm, mEnd) = month(at: k) {
            if let (dd, dEnd) = day(at: mEnd + 1) {
                m = mm
                d = dd
                end = dEnd
                var yk = dEnd + 1
                if isPunct(yk, .comma) { yk += 1 }
                if isYear(yk) {
                    y = value(yk)
                    end = yk
                }
            } else if weekday == nil {
                var yk = mEnd + 1
                if isPunct(yk, .comma) { yk += 1 }
                if isWord(yk), buffers.tokens[yk].hash == H.de || buffers.tokens[yk].hash == H.del || buffers.tokens[yk].hash == H.of { yk += 1 }
                if isYear(yk) {
                    m = mm
                    y = value(yk)
                    end = yk
                }
            }
        } else if weekday == nil, isYear(k), let iso = isoDate(k) {
            (y, m, d, end) = (iso.year, iso.month, iso.day, iso.end)
        } else if weekday == nil, isYear(k), k > 0, isWord(k - 1), buffers.tokens[k - 1].isA(.yearPreposition),
            !(attached(k + 1) && (isPunct(k + 1, .slash) || isPunct(k + 1, .hyphen)) && isNumber(k + 2)),
            value(k) >= 1900, value(k) <= 2100
        {
            emit(.date, k, k, normalized: DateNormalizer.iso(year: value(k), month: nil, day: nil),
                 attributes: ["granularity": "year"])
            return k + 1
        }
        guard let month = m else { return nil }
        if let dd = d, dd > DateNormalizer.daysIn(month: month, year: y) { return nil }
        var attributes: [String: String] = [:]
        if let w = weekday, let yy = y, let dd = d, DateNormalizer.weekday(year: yy, month: month, day: dd) != w {
            attributes["weekday_mismatch"] = "true"
        }
        if d == nil { attributes["granularity"] = "month" }
        if let last = rangeEnd {
            // ISO 8601 interval; partial ranges keep no year (inference handles single days only).
            guard last <= DateNormalizer.daysIn(month: month, year: y) else { return nil }
            attributes["range"] = "true"
            emit(.date, i, end, normalized: DateNormalizer.iso(year: y, month: month, day: d) + "/" + DateNormalizer.iso(year: y, month: month, day: last),
                 attributes: attributes)
            if let yy = y { fullDateYears[yy, default: 0] += 1 }
            return end + 1
        }
        emit(.date, i, end, normalized: DateNormalizer.iso(year: y, month: month, day: d), attributes: attributes)
        if let yy = y, d != nil {
            fullDateYears[yy, default: 0] += 1
        } else if y == nil, let dd = d {
            partialDates.append((out.count - 1, month, dd, weekday))
        }
        return end + 1
    }

    /// 2024-11-22
    func isoDate(_ k: Int) -> (year: Int, month: Int, day: Int, end: Int)? {
        guard isPunct(k + 1, .hyphen), attached(k + 1), isNumber(k + 2), attached(k + 2), buffers.tokens[k + 2].length == 2,
            isPunct(k + 3, .hyphen), attached(k + 3), isNumber(k + 4), attached(k + 4), buffers.tokens[k + 4].length == 2
        else { return nil }
        let m = value(k + 2)
        let d = value(k + 4)
        guard m >= 1, m <= 12, d >= 1, d <= 31 else { return nil }
        return (value(k), m, d, k + 4)
    }

    /// 22/11/2024 or 22.11.2024: day first unless that is impossible (11/22/2024).
    func numericDate(_ k: Int) -> (year: Int, month: Int, day: Int, end: Int)? {
        guard isNumber(k), buffers.tokens[k].length <= 2, k + 4 < buffers.tokens.count else { return nil }
        let sep = buffers.tokens[k + 1]
        guard sep.kind == .punct, sep.scalar == .slash || sep.scalar == .dot, attached(k + 1), isNumber(k + 2),
            attached(k + 2), buffers.tokens[k + 2].length <= 2, isPunct(k + 3, sep.scalar), attached(k + 3), isYear(k + 4),
            attached(k + 4)
        else { return nil }
        if attached(k + 5), isPunct(k + 5, .slash) { return nil }
        var a = value(k)
        var b = value(k + 2)
        if b > 12 && a <= 12 { swap(&a, &b) }
        guard a >= 1, a <= 31, b >= 1, b <= 12 else { return nil }
        return (value(k + 4), b, a, k + 4)
    }

    mutating func inferPartialYears() {
        // Safe only when the document's full dates agree on one year.
        guard fullDateYears.count == 1, let year = fullDateYears.keys.first else { return }
        for pd in partialDates {
            guard pd.day <= DateNormalizer.daysIn(month: pd.month, year: year) else { continue }
            if let w = pd.weekday, DateNormalizer.weekday(year: year, month: pd.month, day: pd.day) != w { continue }
            out[pd.entity].normalized = DateNormalizer.iso(year: year, month: pd.month, day: pd.day)
            out[pd.entity].attributes["year_inferred"] = "true"
        }
    }

    // MARK: Numbers, money, percentages

    func currencyPrefix(_ i: Int) -> (code: String, symbol: String, numberAt: Int)? {
        let t = buffers.tokens[i]
        if t.kind == .punct {
            let code: String? =
                switch t.scalar {
                case .dollar: "USD"
                case .euro: "EUR"
                case .pound: "GBP"
                case .yen: "JPY"
                default: nil
                }
            guard let code, isNumber(i + 1) else { return nil }
            return (code, text(i, i), i + 1)
        }
        if t.kind == .word {
            // US$ 1,000
            if t.hash == H.us, isPunct(i + 1, .dollar), attached(i + 1), isNumber(i + 2) { return ("USD", "US$", i + 2) }
            if t.isAllCaps, t.length == 3, let code = lexicon.currencyCodes[t.hash], isNumber(i + 1) {
                return (code, code, i + 1)
            }
        }
        return nil
    }

    mutating func matchQuantity(_ i: Int) -> Int? {
        var start = i
        var currency: (code: String, symbol: String)?
        var k = i
        if buffers.tokens[i].kind != .number {
            guard let prefix = currencyPrefix(i) else { return nil }
            currency = (prefix.code, prefix.symbol)
            k = prefix.numberAt
        }
        // List markers ("1. To encourage") and footnote marks ("^{1/}") are structure, not quantities.
        if currency == nil {
            if k == 0 || buffers.tokens[k].newlineBefore, isPunct(k + 1, .dot) || isPunct(k + 1, .closeParen), attached(k + 1),
                k + 2 >= buffers.tokens.count || buffers.tokens[k + 2].spaceBefore
            {
                buffers.used[k] = true
                buffers.used[k + 1] = true
                return k + 2
            }
            if k > 0, isPunct(k - 1, .caret) || isPunct(k - 1, .openBrace), attached(k) {
                buffers.used[k] = true
                return k + 1
            }
        }
        // The numeral: digit groups joined by , . or no-break/thin spaces.
        var end = k
        while true {
            if (isPunct(end + 1, .comma) || isPunct(end + 1, .dot)) && attached(end + 1) && isNumber(end + 2) && attached(end + 2) {
                end += 2
            } else if isNumber(end + 1), buffers.tokens[end + 1].spaceBefore, buffers.tokens[end + 1].length == 3,
                buffers.tokens[k].length <= 3, isThinGap(buffers.tokens[end].end, buffers.tokens[end + 1].start)
            {
                end += 1
            } else {
                break
            }
        }
        var reading: NumberReading
        if end == k {
            // One group of digits: its value is the digits without leading zeros (what `read` gives).
            var s = buffers.tokens[k].start
            while s < buffers.tokens[k].end - 1, p[s] == 0x30 { s += 1 }
            reading = NumberReading(value: bytes(s, buffers.tokens[k].end))
        } else {
            guard let read = NumberNormalizer.read(bytes: UnsafeBufferPointer(rebasing: p[buffers.tokens[k].start..<buffers.tokens[end].end]), spanish: spanish)
            else { return nil }
            reading = read
        }
        var attributes: [String: String] = [:]
        var last = end
        // Ordinals: 30th, 1.º, 2.ª
        if isWord(last + 1), attached(last + 1), buffers.tokens[last + 1].isA(.ordinalSuffix), currency == nil {
            last += 1
            attributes["ordinal"] = "true"
        } else if currency == nil, isPunct(last + 1, .masculineOrdinal) || isPunct(last + 1, .feminineOrdinal), attached(last + 1) {
            last += 1
            attributes["ordinal"] = "true"
        } else if currency == nil, isPunct(last + 1, .dot), attached(last + 1),
            isPunct(last + 2, .masculineOrdinal) || isPunct(last + 2, .feminineOrdinal), attached(last + 2)
        {
            last += 2
            attributes["ordinal"] = "true"
        }
        // Scale words: 5 million, 10 millones, 3 mil millones.
        if attributes["ordinal"] == nil, isWord(last + 1), buffers.tokens[last + 1].isA(.scale), let power = Words.scales[buffers.tokens[last + 1].hash],
            buffers.tokens[last + 1].length > 2 || currency != nil
        {
            var total = power
            last += 1
            if buffers.tokens[last].hash == H.mil, isWord(last + 1), buffers.tokens[last + 1].hash == H.millones {
                total = 9
                last += 1
            }
            reading.value = NumberNormalizer.scale(reading.value, by: total)
            reading.alternative = reading.alternative.map { NumberNormalizer.scale($0, by: total) }
        }
        if let alternative = reading.alternative { attributes["alternative"] = alternative }
        // Percent
        if currency == nil {
            var pEnd: Int?
            if isPunct(last + 1, .percentSign) {
                pEnd = last + 1
            } else if isWord(last + 1), buffers.tokens[last + 1].hash == H.percent {
                pEnd = last + 1
            } else if isWord(last + 1), isWord(last + 2),
                (buffers.tokens[last + 1].hash == H.per && buffers.tokens[last + 2].hash == H.cent)
                    || (buffers.tokens[last + 1].hash == H.por && buffers.tokens[last + 2].hash == H.ciento)
            {
                pEnd = last + 2
            }
            if let pEnd {
                emit(.percent, start, pEnd, normalized: reading.value + "%", attributes: attributes)
                return pEnd + 1
            }
        }
        // Currency after the number: 20 euros, 10 millones de dólares, 5 USD, 3 dólares estadounidenses.
        if currency == nil {
            var c = last + 1
            if isWord(c), buffers.tokens[c].hash == H.de, isWord(c + 1), buffers.tokens[c + 1].isA(.currencyWord) { c += 1 }
            if isWord(c), buffers.tokens[c].isA(.currencyWord), let code = Words.currencyWords[buffers.tokens[c].hash] {
                currency = (code, text(c, c))
                last = c
                if isWord(c + 1), buffers.tokens[c + 1].hash == H.estadounidenses { last = c + 1 }
            } else if isWord(c), buffers.tokens[c].isAllCaps, buffers.tokens[c].length == 3, let code = lexicon.currencyCodes[buffers.tokens[c].hash] {
                currency = (code, code)
                last = c
            } else if isWord(c), buffers.tokens[c].hash == H.us, isWord(c + 1), buffers.tokens[c + 1].isA(.currencyWord), Words.currencyWords[buffers.tokens[c + 1].hash] == "USD" {
                currency = ("USD", text(c, c + 1))
                last = c + 1
            }
        }
        if let currency {
            attributes["currency"] = currency.code
            attributes["amount"] = reading.value
            if currency.symbol == "$" { attributes["currency_assumed"] = "true" }
            emit(.money, start, last, normalized: "\(reading.value) \(currency.code)", attributes: attributes)
            return last + 1
        }
        start = k
        emit(.number, start, last, normalized: reading.value, attributes: attributes)
        return last + 1
    }

    func isThinGap(_ a: Int, _ b: Int) -> Bool {
        let n = b - a
        if n == 2 { return p[a] == 0xC2 && p[a + 1] == 0xA0 }
        if n == 3 { return p[a] == 0xE2 && p[a + 1] == 0x80 && (p[a + 2] == 0xAF || p[a + 2] == 0x89) }
        return false
    }
}
