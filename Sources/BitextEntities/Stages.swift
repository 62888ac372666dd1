import BitextCore

/// `extract.entities`: fills `Document.entities` for every document of the unit.
public struct ExtractEntities: Stage {
    public static let id: StageID = "extract.entities"
    public static let summary = "Find dates, numbers, money, percentages, UN/OAS symbols, resolutions, acronyms, URLs, e-mails, persons, organizations, places and countries, normalized"
    public static let requires: Set<Layer> = [.blocks]
    public static let produces: Set<Layer> = [.entities]

    public struct Options: StageOptions, Hashable {
        public var kinds: [String]
        public var inferYears: Bool
        public var bilingualNames: Bool
        public static let fields: [OptionField] = [
            OptionField("kinds", "[string]", default: "[all]", "Entity kinds to report: \(EntityKind.allCases.map(\.rawValue).joined(separator: ", "))"),
            OptionField("infer_years", "boolean", default: "true", "Give a date without a year the document's year when that is safe (one year among the document's full dates, weekday consistent); marked year_inferred"),
            OptionField("bilingual_names", "boolean", default: "true", "In aligned pairs, keep capitalized sequences found in both the English and the Spanish paragraph as names"),
        ]
        enum CodingKeys: String, CodingKey {
            case kinds
            case inferYears = "infer_years"
            case bilingualNames = "bilingual_names"
        }
        public init(kinds: [String] = ["all"], inferYears: Bool = true, bilingualNames: Bool = true) {
            self.kinds = kinds
            self.inferYears = inferYears
            self.bilingualNames = bilingualNames
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            kinds = try c.value(.kinds, or: ["all"])
            inferYears = try c.value(.inferYears, or: true)
            bilingualNames = try c.value(.bilingualNames, or: true)
        }
    }

    public let options: Options
    let extractor: EntityExtractor

    public init(options: Options) throws {
        let known = Set(EntityKind.allCases.map(\.rawValue))
        var kinds = Set<String>()
        for kind in options.kinds {
            if kind == "all" {
                kinds.formUnion(known)
            } else if known.contains(kind) {
                kinds.insert(kind)
            } else {
                throw OptionError(option: "kinds", "unknown entity kind '\(kind)'; known: \(known.sorted().joined(separator: ", "))")
            }
        }
        self.options = options
        extractor = EntityExtractor(kinds: kinds, inferYears: options.inferYears)
    }

    public func process(_ unit: inout WorkUnit, context: StageContext) throws {
        if options.bilingualNames, let alignment = unit.alignment, let en = unit.sides[.english], let es = unit.sides[.spanish],
            unit.documents.indices.contains(en.document), unit.documents.indices.contains(es.document)
        {
            let entities = extractor.extractAligned(unit.documents, alignment: alignment, english: en, spanish: es)
            for index in unit.documents.indices { unit.documents[index].entities = entities[index] }
            return
        }
        for index in unit.documents.indices {
            unit.documents[index].entities = extractor.extract(from: unit.documents[index])
        }
    }
}

/// The bilingual signal: capitalized sequences that occur in both the English and the
/// Spanish paragraph of an aligned link are very likely names.
public enum BilingualSignal {
    /// The signal from the runs pass 1 collected (`CapitalizedRuns`), per document index; the
    /// same as `names(in:)`, without tokenizing the blocks again, and kept in flat arrays (a
    /// table of tables of sets cost several allocations per link).
    static func keys(_ alignment: [AlignmentLink], english en: Side, spanish es: Side,
                     runs: [CapitalizedRuns]) -> [BilingualKeys] {
        var result = [BilingualKeys](repeating: BilingualKeys(), count: runs.count)
        guard runs.indices.contains(en.document), runs.indices.contains(es.document) else { return result }
        // Room for as many keys as each version has runs (a one-to-one link shares at most its
        // block's runs): growing these arrays from nothing was a fifth of this function.
        result[en.document].reserveCapacity(runs[en.document].keys.count)
        result[es.document].reserveCapacity(runs[es.document].keys.count)
        var englishList: [UInt64] = []
        var shared: [UInt64] = []
        var englishBlocks: [Int] = []
        var spanishBlocks: [Int] = []
        englishList.reserveCapacity(16)
        shared.reserveCapacity(16)
        englishBlocks.reserveCapacity(4)
        spanishBlocks.reserveCapacity(4)
        // Each side's runs taken out once: `runs[document]` in the loops would copy (retain and
        // release) their three arrays for every block of every link.
        let englishRuns = runs[en.document]
        let spanishRuns = runs[es.document]
        // Links read in place: a copy of each would retain and release its four arrays.
        result[en.document].oneWordRunsScreened = false
        result[es.document].oneWordRunsScreened = false
        for l in alignment.indices {
            englishBlocks.removeAll(keepingCapacity: true)
            spanishBlocks.removeAll(keepingCapacity: true)
            for i in alignment[l].english where en.blocks.indices.contains(i) { englishBlocks.append(en.blocks[i]) }
            for i in alignment[l].spanish where es.blocks.indices.contains(i) { spanishBlocks.append(es.blocks[i]) }
            englishList.removeAll(keepingCapacity: true)
            for b in englishBlocks { englishRuns.forEach(ofBlock: b) { key in englishList.append(key) } }
            if englishList.isEmpty { continue }
            // A paragraph has a few runs: a linear scan beats building a table, until it has many.
            let englishSet = englishList.count > 32 ? HashSet64(englishList) : nil
            shared.removeAll(keepingCapacity: true)
            for b in spanishBlocks {
                spanishRuns.forEach(ofBlock: b) { key in
                    // A lone common word in both versions ("When", "No") is no name: that test
                    // (a Bloom filter probe, a cache miss on first sight of a word) is left to
                    // pass 2, which asks about a few of the shared runs only
                    // (`BilingualKeys.oneWordRunsScreened`).
                    if englishSet?.contains(key) ?? englishList.contains(key) { shared.append(key) }
                }
            }
            if shared.isEmpty { continue }
            for b in englishBlocks { result[en.document].add(block: b, keys: shared) }
            for b in spanishBlocks { result[es.document].add(block: b, keys: shared) }
        }
        for d in result.indices { result[d].seal() }
        return result
    }

    /// Per document index and block index, the folded hashes of such sequences (a sequence
    /// shared by one link says nothing about the same words elsewhere).
    public static func names(in unit: WorkUnit) -> [Int: [Int: Set<UInt64>]] {
        guard let alignment = unit.alignment, let en = unit.sides[.english], let es = unit.sides[.spanish] else { return [:] }
        var result: [Int: [Int: Set<UInt64>]] = [:]
        for link in alignment {
            let englishBlocks = link.english.compactMap { en.blocks[safe: $0] }
            let spanishBlocks = link.spanish.compactMap { es.blocks[safe: $0] }
            let shared = sequences(unit.documents[en.document], englishBlocks)
                .intersection(sequences(unit.documents[es.document], spanishBlocks))
            if shared.isEmpty { continue }
            for b in englishBlocks { result[en.document, default: [:]][b, default: []].formUnion(shared) }
            for b in spanishBlocks { result[es.document, default: [:]][b, default: []].formUnion(shared) }
        }
        return result
    }

    /// Every run of one to four consecutive capitalized words in the blocks, hashed like gazetteer keys.
    static func sequences(_ document: Document, _ blocks: [Int]) -> Set<UInt64> {
        var text = document.text
        var out = Set<UInt64>()
        text.withUTF8 { p in
            var tokens: [Token] = []
            for b in blocks where b < document.blocks.count {
                let r = document.blocks[b].range
                Tokenizer.tokenize(p, r.start, r.end, into: &tokens)
                Tokenizer.forEachCapitalizedRun(tokens) { key, first, single in
                    // A lone common word in both versions ("When", "No") is no name.
                    let h = tokens[first].hash
                    if !single || (tokens[first].length > 2 && !Words.englishFunction.contains(h)
                        && !Words.spanishFunction.contains(h) && !Lexicon.shared.isCommonWord(h))
                    {
                        out.insert(key)
                    }
                }
            }
        }
        return out
    }
}

/// One document's share of the bilingual signal: per block index, the keys of capitalized
/// runs both versions of the block's link write (`BilingualSignal`). Flat: the keys of all
/// blocks in one array, ordered by block once every link is added (`seal`). Block indices
/// are held in 32 bits: in a long pair the keys of both versions are held through pass 2
/// (of the runs the 1,000 pairs and the long pair collect, 60 to 80% are shared).
struct BilingualKeys {
    private var blocks: [UInt32] = []
    private var keys: [UInt64] = []
    private var sealed = true
    /// Whether every one-word run's key already names no common word. False for the signal
    /// `BilingualSignal.keys` gives: there the reader tests a one-word run's word with
    /// `Lexicon.isCommonWord` when it finds the run's key (the same key is the same word on
    /// both sides, so the test decides alike wherever it is made).
    var oneWordRunsScreened = true

    init() {}

    /// From a table of block index → keys (the public `extract(from:bilingualNames:)` form).
    init(_ table: [Int: Set<UInt64>]) {
        for (block, keys) in table { add(block: block, keys: keys) }
        seal()
    }

    var isEmpty: Bool { keys.isEmpty }

    mutating func reserveCapacity(_ count: Int) {
        blocks.reserveCapacity(count)
        keys.reserveCapacity(count)
    }

    mutating func add<S: Sequence>(block: Int, keys more: S) where S.Element == UInt64 {
        let block = UInt32(block)
        for key in more {
            blocks.append(block)
            keys.append(key)
        }
        sealed = false
    }

    /// Orders the keys by block (only membership counts within a block, so any order of a
    /// block's keys will do).
    mutating func seal() {
        if sealed { return }
        sealed = true
        if zip(blocks, blocks.dropFirst()).allSatisfy({ $0 <= $1 }) { return }
        let order = blocks.indices.sorted { blocks[$0] < blocks[$1] }
        blocks = order.map { blocks[$0] }
        keys = order.map { keys[$0] }
    }

    /// Replaces `out` with the keys of block `b`.
    func keys(ofBlock b: Int, into out: inout [UInt64]) {
        out.removeAll(keepingCapacity: true)
        if keys.isEmpty { return }
        precondition(sealed, "BilingualKeys read before seal()")
        guard let b = UInt32(exactly: b) else { return }
        // The first position of block `b` (binary search), then its run.
        var lo = 0
        var hi = blocks.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if blocks[mid] < b { lo = mid + 1 } else { hi = mid }
        }
        // Its run copied at once (appended key by key, each append checked `out`'s uniqueness).
        var end = lo
        while end < blocks.count, blocks[end] == b { end += 1 }
        if end > lo { out.append(contentsOf: keys[lo..<end]) }
    }
}

extension RandomAccessCollection where Index == Int {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
