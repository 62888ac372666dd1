#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What an anchor is; each kind has its own base weight in the aligner.
enum AnchorKind: UInt8, Sendable, CaseIterable, Hashable {
    /// A number of two or more digits, normalized across conventions (1,234.5 = 1.234,5).
    case number
    /// A one-digit number: weak evidence (a lone "1" must not pull the path).
    case smallNumber
    /// Dotted or coloned digit groups that are not numbers (1.2.3, 10:30).
    case version
    /// Document symbols and codes (S/2024/765, CP/RES. 1268, A/RES/78/1).
    case code
    case url
    /// A day and month (`10-14`), from "October 14", "14 de octubre", 14/10/2024…
    case date
    /// A month name alone (OCTOBER / OCTUBRE).
    case month
    /// A capitalized token or acronym identical on both sides after accent folding (MSS, Haití/Haiti).
    case name
    /// A lower-case token identical on both sides (package names, commands).
    case word
    /// A cognate skeleton (resolution/resolución, Kenya/Kenia).
    case cognate
    /// A dictionary translation (government/gobierno), keyed by the English stem.
    case translation
    /// ? ! : ; (Spanish ¿ ¡ count with their closing marks).
    case punctuation
    /// A list-item marker (1., (a), iv).
    case marker
    /// A word translation learned from the document's own first-pass alignment.
    case learned

    var tag: String {
        switch self {
        case .number: "num"
        case .smallNumber: "n1"
        case .version: "ver"
        case .code: "code"
        case .url: "url"
        case .date: "date"
        case .month: "month"
        case .name: "name"
        case .word: "word"
        case .cognate: "cog"
        case .translation: "dict"
        case .punctuation: "punct"
        case .marker: "marker"
        case .learned: "learned"
        }
    }

    /// Kinds reliable enough to serve as guide points for the banded search when they
    /// occur exactly once on each side.
    var isGuide: Bool {
        switch self {
        case .number, .code, .url, .date, .version, .name: true
        default: false
        }
    }
}

struct AnchorKey: Hashable, Sendable {
    var kind: AnchorKind
    var value: String
    var description: String { "\(kind.tag):\(value)" }

    /// Kinds in the order of their tags: with no tag a prefix of another, (tag, value) order
    /// is the order of descriptions, without building them.
    private static let tagRank: [UInt8] = {
        var rank = [UInt8](repeating: 0, count: AnchorKind.allCases.count)
        for (k, kind) in AnchorKind.allCases.sorted(by: { $0.tag < $1.tag }).enumerated() { rank[Int(kind.rawValue)] = UInt8(k) }
        return rank
    }()

    /// The place of `kind`'s tag among the tags.
    @inline(__always)
    static func rank(_ kind: AnchorKind) -> UInt8 { tagRank[Int(kind.rawValue)] }

    /// `a.description < b.description`.
    static func precedes(_ a: AnchorKey, _ b: AnchorKey) -> Bool {
        let (x, y) = (tagRank[Int(a.kind.rawValue)], tagRank[Int(b.kind.rawValue)])
        return x != y ? x < y : a.value < b.value
    }
}

/// A text's anchors, each once. Anchors read with a `WordMemo` are the memo's ids for them
/// (`ids`, ascending) and a view of the memo's keys (`MemoValues`): texts read with one memo are
/// catalogued and encoded by array lookups instead of hashing every anchor's string again, and
/// no set copies (and later frees) its keys' strings; `keys` builds them for who needs them.
/// A memo reading with a shared store keeps no keys: its sets hold a view of the store ids of
/// their memo ids, and read the keys from the store when asked.
struct AnchorSet: Sendable, Sequence, ExpressibleByArrayLiteral {
    // (No default values: each init sets each field once, where a default was made, then
    // released when the init's own value replaced it, for every text's set.)
    /// The keys of a set with no memo.
    private var ownKeys: [AnchorKey]
    /// The keys by memo id, while no key without an id was added.
    private var byID: MemoIDValues<AnchorKey>
    /// The memo ids of the keys, when `memo` is set.
    var ids: IDList { byID.ids }
    /// The memo that gave the ids; nil once a key without an id was added.
    var memo: WordMemo.Identity? { byID.memo }
    /// The store that has the keys (a memo reading with a store).
    var store: ReadingStore? { byID.store }

    init() {
        ownKeys = []
        byID = MemoIDValues()
    }

    init(arrayLiteral elements: AnchorKey...) {
        self.init()
        formUnion(elements)
    }

    /// Sorted, distinct memo ids and the memo's keys.
    init(ids: IDList, keys: MemoValues<AnchorKey>.View, memo: WordMemo.Identity) {
        ownKeys = []
        byID = MemoIDValues(ids: ids, values: keys, memo: memo)
    }

    /// Sorted, distinct memo ids, their ids in `store` and the store.
    init(ids: IDList, sharedIDs: MemoValues<Int32>.View, store: ReadingStore, memo: WordMemo.Identity) {
        ownKeys = []
        byID = MemoIDValues(ids: ids, sharedIDs: sharedIDs, store: store, memo: memo)
    }

    /// Sorted, distinct memo ids whose keys `source` has.
    init(ids: IDList, source: MemoIDValues<AnchorKey>.Source) {
        ownKeys = []
        byID = MemoIDValues(ids: ids, source: source)
    }

    /// The keys, in the order of `ids` when read with a memo.
    var keys: [AnchorKey] { memo != nil ? byID.values : ownKeys }

    /// The store id of `ids[k]` when read with a store (nil otherwise).
    @inline(__always)
    func sharedID(at k: Int) -> Int32? { byID.sharedID(at: k) }

    /// `keys[k]`, without building the others.
    func key(at k: Int) -> AnchorKey { memo != nil ? byID.value(at: k) : ownKeys[k] }

    var count: Int { memo != nil ? ids.count : ownKeys.count }
    var isEmpty: Bool { count == 0 }
    func makeIterator() -> IndexingIterator<[AnchorKey]> { keys.makeIterator() }
    /// Linear, but kinds differ at the first byte: sets are small and this is for tests and learned anchors.
    func contains(_ key: AnchorKey) -> Bool {
        guard memo == nil else { return Self.contains(key, in: keys) }
        return Self.contains(key, in: ownKeys)
    }

    private static func contains(_ key: AnchorKey, in keys: [AnchorKey]) -> Bool {
        // Kinds first: learned anchors are added to sets of other kinds, and comparing a kind
        // copies no string.
        keys.withUnsafeBufferPointer { keys in
            for k in keys.indices where keys[k].kind == key.kind && keys[k].value == key.value { return true }
            return false
        }
    }

    @discardableResult
    mutating func insert(_ key: AnchorKey) -> Bool {
        guard !contains(key) else { return false }
        if memo != nil { ownKeys = keys }
        ownKeys.append(key)
        forgetMemo()
        return true
    }

    /// The keys are the set's own from now on.
    private mutating func forgetMemo() { byID = MemoIDValues() }

    mutating func formUnion<S: Sequence>(_ other: S) where S.Element == AnchorKey {
        for key in other { insert(key) }
    }

    /// `formUnion` that copies the keys once, into an array of exactly the size needed: the
    /// keys are usually shared with other copies of the set (a unit's features), where the first
    /// insert copied them into a buffer of twice the size (learned anchors on a long document:
    /// a fresh copy of every paragraph's keys, its pages faulted in).
    mutating func formUnion(_ other: [AnchorKey]) {
        let keys = self.keys  // built once, not at each `contains`
        var fresh: [AnchorKey] = []
        fresh.reserveCapacity(other.count)
        for key in other where !Self.contains(key, in: keys) && !fresh.contains(where: { $0.kind == key.kind && $0.value == key.value }) {
            fresh.append(key)
        }
        guard !fresh.isEmpty else { return }
        var union: [AnchorKey] = []
        union.reserveCapacity(keys.count + fresh.count)
        union.append(contentsOf: keys)
        union.append(contentsOf: fresh)
        ownKeys = union
        forgetMemo()
    }
}

/// Everything the aligner and the QA flags read from one text.
///
/// The fields of a text read on its own live in one immutable box shared by copies: views,
/// units, links and flags copy features often, and one reference count is cheaper than seven.
/// Setting a field boxes anew. The texts of a side are a row each of one table of columns
/// (`FeatureColumns`) instead: a box, two id lists, two views and their releases for every
/// paragraph were most of what a short paragraph cost.
struct TextFeatures: Sendable {
    struct Fields: Sendable {
        var anchors = AnchorSet()
        /// Normalized numbers, for `number_mismatch` (list markers and page-like lone digits included).
        var numbers: Set<String> = []
        /// Normalized dates (`MM-DD`, `YYYY-MM-DD`), for `date_mismatch`.
        var dates: Set<String> = []
        var counts = TextCounts()
        /// Folded words of three letters or more, for learning translations from the document.
        var words = WordSet()
    }

    private final class Box: Sendable {
        let fields: Fields
        init(_ fields: consuming Fields) { self.fields = fields }
    }

    private enum Source: Sendable {
        case own(Box)
        case row(FeatureColumns.Table, Int)
    }

    private var source: Source

    init() { source = .own(Self.emptyBox) }
    init(_ fields: consuming Fields) { source = .own(Box(fields)) }
    init(row: Int, of table: FeatureColumns.Table) { source = .row(table, row) }

    var fields: Fields {
        get {
            switch source {
            case .own(let box): return box.fields
            case .row(let table, let row):
                let held = table.numbersAndDates(row)
                return Fields(anchors: table.anchors(row), numbers: held.numbers, dates: held.dates, counts: table.counts[row], words: table.words(row))
            }
        }
        set { source = .own(Box(newValue)) }
    }
    /// A table row's set is made anew at each read (its ids' stretch and the table's shared
    /// source, a few references): a reader that looks at it more than once reads it once.
    var anchors: AnchorSet {
        get {
            switch source {
            case .own(let box): return box.fields.anchors
            case .row(let table, let row): return table.anchors(row)
            }
        }
        set { fields.anchors = newValue }
    }
    var numbers: Set<String> {
        get {
            switch source {
            case .own(let box): return box.fields.numbers
            case .row(let table, let row): return table.numbersAndDates(row).numbers
            }
        }
        set { fields.numbers = newValue }
    }
    var dates: Set<String> {
        get {
            switch source {
            case .own(let box): return box.fields.dates
            case .row(let table, let row): return table.numbersAndDates(row).dates
            }
        }
        set { fields.dates = newValue }
    }
    /// The counts, from the box or the table's row (plain values: no list retained).
    private var counts: TextCounts {
        switch source {
        case .own(let box): return box.fields.counts
        case .row(let table, let row): return table.counts[row]
        }
    }
    var questionMarks: Int { counts.questionMarks }
    var invertedQuestionMarks: Int { counts.invertedQuestionMarks }
    var exclamationMarks: Int { counts.exclamationMarks }
    var invertedExclamationMarks: Int { counts.invertedExclamationMarks }
    var length: Int { counts.length }
    var letterCount: Int { counts.letterCount }
    /// Made anew at each read for a table row, as `anchors` is.
    var words: WordSet {
        get {
            switch source {
            case .own(let box): return box.fields.words
            case .row(let table, let row): return table.words(row)
            }
        }
        set { fields.words = newValue }
    }

    /// Texts in blocks for a loop that reads each text's id lists in turn, a block's highest id
    /// (`highestAnchorID`, `highestWordID`) taken first: each text's lists sit behind its own
    /// box, cold on a long document, and one text after the other waited for its misses (box,
    /// then list) in turn; loads for different texts there wait for none of each other, and the
    /// loop then finds the block's boxes and list heads in the cache.
    static func touchBlocks(_ indices: Range<Int>) -> some Sequence<Range<Int>> {
        stride(from: indices.lowerBound, to: indices.upperBound, by: 32).lazy.map { $0..<min($0 + 32, indices.upperBound) }
    }

    /// The highest memo id of the texts' anchors (their last), −1 if none.
    static func highestAnchorID(_ features: ArraySlice<TextFeatures>) -> Int32 {
        var highest: Int32 = -1
        for f in features { highest = max(highest, f.highestAnchorID) }
        return highest
    }

    /// The highest memo word id of the texts' words (their last), −1 if none.
    static func highestWordID(_ features: ArraySlice<TextFeatures>) -> Int32 {
        var highest: Int32 = -1
        for f in features { highest = max(highest, f.highestWordID) }
        return highest
    }

    /// `anchors.count`, read from the table's row ends without building the row's set.
    var anchorCount: Int {
        switch source {
        case .own(let box): return box.fields.anchors.count
        case .row(let table, let row): return table.anchorCount(row)
        }
    }

    /// The highest memo id of the anchors (the last), −1 if none.
    var highestAnchorID: Int32 {
        switch source {
        case .own(let box): return box.fields.anchors.ids.last ?? -1
        case .row(let table, let row): return table.lastAnchorID(row)
        }
    }

    /// The highest memo word id of the words (the last), −1 if none.
    var highestWordID: Int32 {
        switch source {
        case .own(let box): return box.fields.words.ids.last ?? -1
        case .row(let table, let row): return table.lastWordID(row)
        }
    }

    /// Adds anchors (each once), copying the anchor list only if another value shares it.
    mutating func formAnchorUnion(_ keys: [AnchorKey]) {
        var fields = self.fields
        source = .own(Self.emptyBox)  // the old box's fields go, so `fields` may be the only owner
        fields.anchors.formUnion(keys)
        source = .own(Box(fields))
    }

    private static let emptyBox = Box(Fields())
}

/// A text's length and letter and mark counts.
struct TextCounts: Sendable {
    var questionMarks = 0
    var invertedQuestionMarks = 0
    var exclamationMarks = 0
    var invertedExclamationMarks = 0
    /// Unicode scalars, white space excluded: the Gale–Church length.
    var length = 0
    var letterCount = 0
}

/// The features of many texts read one after the other with one memo (a side's paragraphs),
/// gathered in columns: every text's anchor ids in one list and its words' in another, each
/// text's end in them, its counts, and numbers and dates for the few that hold any. `finish`
/// makes them one immutable `Table` and each text a row of it, where each text had a box of
/// its own with two id lists, two views of the memo's values and their references.
struct FeatureColumns {
    /// Views of all of a memo's values (store ids, when it reads with a store).
    struct Views: Sendable {
        var anchorKeys = MemoValues<AnchorKey>.View()
        var words = MemoValues<String>.View()
        var sharedAnchorIDs = MemoValues<Int32>.View()
        var sharedWordIDs = MemoValues<Int32>.View()
    }

    /// The columns themselves.
    struct Rows: Sendable {
        var anchorIDs: [Int32] = []
        /// Row r's anchor ids are `anchorIDs[anchorEnds[r - 1] ..< anchorEnds[r]]` (from 0 for row 0); words alike.
        var anchorEnds: [Int32] = []
        var wordIDs: [Int32] = []
        var wordEnds: [Int32] = []
        var counts: [TextCounts] = []
        /// Per row, 1 + its place in `held`, or 0: no numbers and no dates.
        var heldPlaces: [Int32] = []
        var held: [(numbers: Set<String>, dates: Set<String>)] = []

        @inline(__always)
        static func range(_ row: Int, in ends: [Int32]) -> Range<Int> {
            (row == 0 ? 0 : Int(ends[row - 1]))..<Int(ends[row])
        }
    }

    final class Table: Sendable {
        let rows: Rows
        /// Where every row's anchors and words are read from: one reference per set.
        let anchorSource: MemoIDValues<AnchorKey>.Source
        let wordSource: MemoIDValues<String>.Source

        init(_ rows: consuming Rows, memo: WordMemo.Identity, store: ReadingStore?, views: Views) {
            self.rows = rows
            anchorSource = MemoIDValues.Source(memo: memo, store: store, values: views.anchorKeys, sharedIDs: views.sharedAnchorIDs)
            wordSource = MemoIDValues.Source(memo: memo, store: store, values: views.words, sharedIDs: views.sharedWordIDs)
        }

        var counts: [TextCounts] { rows.counts }

        func anchors(_ row: Int) -> AnchorSet {
            AnchorSet(ids: IDList(rows.anchorIDs, range: Rows.range(row, in: rows.anchorEnds)), source: anchorSource)
        }

        /// (No words: a set without a memo, as a text read on its own has.)
        func words(_ row: Int) -> WordSet {
            let range = Rows.range(row, in: rows.wordEnds)
            guard !range.isEmpty else { return WordSet() }
            return WordSet(ids: IDList(rows.wordIDs, range: range), source: wordSource)
        }

        func numbersAndDates(_ row: Int) -> (numbers: Set<String>, dates: Set<String>) {
            let place = Int(rows.heldPlaces[row])
            return place == 0 ? ([], []) : rows.held[place - 1]
        }

        func anchorCount(_ row: Int) -> Int { Rows.range(row, in: rows.anchorEnds).count }

        func lastAnchorID(_ row: Int) -> Int32 {
            let range = Rows.range(row, in: rows.anchorEnds)
            return range.isEmpty ? -1 : rows.anchorIDs[range.upperBound - 1]
        }

        func lastWordID(_ row: Int) -> Int32 {
            let range = Rows.range(row, in: rows.wordEnds)
            return range.isEmpty ? -1 : rows.wordIDs[range.upperBound - 1]
        }
    }

    private var rows = Rows()
    /// The memo and store of the rows so far (each row is read with them).
    private var memo: WordMemo.Identity?
    private var store: ReadingStore?
    /// Rows of tables finished so far (a memo that forked or bound to a store on the way).
    private var finished: [TextFeatures] = []

    init() {}

    /// Room for `texts` texts and about `ids` ids of each kind.
    init(texts: Int, ids: Int) {
        rows.anchorEnds.reserveCapacity(texts)
        rows.wordEnds.reserveCapacity(texts)
        rows.counts.reserveCapacity(texts)
        rows.heldPlaces.reserveCapacity(texts)
        rows.anchorIDs.reserveCapacity(ids)
        rows.wordIDs.reserveCapacity(ids)
    }

    var rowCount: Int { finished.count + rows.counts.count }

    /// Adds a text's row: its sorted, distinct anchor and word ids, read with `memo`.
    mutating func append(
        anchorIDs ids: [Int32], wordIDs words: [Int32], counts: TextCounts, numbers: Set<String>, dates: Set<String>, memo: borrowing WordMemo
    ) {
        if !rows.counts.isEmpty && (self.memo !== memo.identity || self.store !== memo.store) { finishTable(memo: memo) }
        if rows.counts.isEmpty {
            self.memo = memo.identity
            self.store = memo.store
        }
        rows.anchorIDs.append(contentsOf: ids)
        rows.anchorEnds.append(Int32(rows.anchorIDs.count))
        rows.wordIDs.append(contentsOf: words)
        rows.wordEnds.append(Int32(rows.wordIDs.count))
        rows.counts.append(counts)
        if numbers.isEmpty && dates.isEmpty {
            rows.heldPlaces.append(0)
        } else {
            rows.held.append((numbers, dates))
            rows.heldPlaces.append(Int32(rows.held.count))
        }
    }

    /// The rows so far as a table (views of the memo's values as they are now: a superset of
    /// what the rows' ids name, each value the same once given).
    private mutating func finishTable(memo: borrowing WordMemo) {
        guard let identity = self.memo else { return }
        var taken = Rows()
        swap(&taken, &rows)
        let table = Table(taken, memo: identity, store: store, views: memo.viewsOfAll(shared: store != nil))
        self.memo = nil
        store = nil
        finished.reserveCapacity(finished.count + table.counts.count)
        for row in table.counts.indices { finished.append(TextFeatures(row: row, of: table)) }
    }

    /// Every row's features, in order; the columns are empty after.
    mutating func finish(memo: borrowing WordMemo) -> [TextFeatures] {
        finishTable(memo: memo)
        defer { self = FeatureColumns() }
        return finished
    }
}

/// A text's folded words, each once: when read with a `WordMemo`, the memo's ids for them
/// (`ids`, ascending) and a view of the memo's words; `strings` builds them for who needs them.
/// Read with a shared store, a view of the store ids of `ids` instead, the words read from the
/// store when asked (as `AnchorSet` does its keys).
struct WordSet: Sendable, Sequence {
    private let byID: MemoIDValues<String>  // (set once: see `AnchorSet`)
    var ids: IDList { byID.ids }
    var memo: WordMemo.Identity? { byID.memo }

    init() { byID = MemoIDValues() }

    init(ids: IDList, words: MemoValues<String>.View, memo: WordMemo.Identity) {
        byID = MemoIDValues(ids: ids, values: words, memo: memo)
    }

    init(ids: IDList, sharedIDs: MemoValues<Int32>.View, store: ReadingStore, memo: WordMemo.Identity) {
        byID = MemoIDValues(ids: ids, sharedIDs: sharedIDs, store: store, memo: memo)
    }

    init(ids: IDList, source: MemoIDValues<String>.Source) {
        byID = MemoIDValues(ids: ids, source: source)
    }

    /// The words, in the order of `ids`.
    var strings: [String] { byID.values }
    /// `strings[k]`, without building the others.
    func string(at k: Int) -> String { byID.value(at: k) }

    /// `strings[k]` of each k of `positions`, in their order (from a store under one lock).
    func strings(at positions: [Int]) -> [String] { byID.values(at: positions) }

    var count: Int { ids.count }
    var isEmpty: Bool { ids.isEmpty }
    func makeIterator() -> IndexingIterator<[String]> { strings.makeIterator() }
}

/// A value a `ReadingStore` keeps by store id (anchor keys, words), read under its lock.
protocol StoreValue: Sendable {
    static func values(ofShared ids: [Int32], in store: ReadingStore) -> [Self]
    static func value(ofShared id: Int32, in store: ReadingStore) -> Self
}

extension AnchorKey: StoreValue {
    static func values(ofShared ids: [Int32], in store: ReadingStore) -> [AnchorKey] { store.keys(ofShared: ids) }
    static func value(ofShared id: Int32, in store: ReadingStore) -> AnchorKey { store.key(ofShared: id) }
}

extension String: StoreValue {
    static func values(ofShared ids: [Int32], in store: ReadingStore) -> [String] { store.words(ofShared: ids) }
    static func value(ofShared id: Int32, in store: ReadingStore) -> String { store.word(ofShared: id) }
}

extension Set<String> {
    /// Room a text's numbers (or dates) set is given at its first: grown one insert at a time
    /// from empty it was allocated anew (and rehashed) at its first and second element, and
    /// a text holding any number mostly holds a few. (Three: the table a second insert grew to.)
    static let gatheredCapacity = 3

    /// Adds a chunk's numbers or dates to a text's set (chunk after chunk, as a text's are gathered).
    @inline(__always)
    mutating func insertGathered(_ values: [String]) {
        if values.isEmpty { return }
        if isEmpty { reserveCapacity(Swift.max(values.count, Self.gatheredCapacity)) }
        for value in values { insert(value) }
    }
}

/// Memo ids of one text: a stretch of a list (a side's texts' ids one after the other, see
/// `FeatureColumns`) or a list of its own, indexed from 0.
struct IDList: RandomAccessCollection, Sendable {
    private let storage: [Int32]
    private let base: Int
    let count: Int

    init() {
        storage = []
        base = 0
        count = 0
    }

    init(_ ids: [Int32]) {
        storage = ids
        base = 0
        count = ids.count
    }

    /// `storage[range]`, sharing its buffer.
    init(_ storage: [Int32], range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= storage.count, "id range out of bounds")
        self.storage = storage
        base = range.lowerBound
        count = range.count
    }

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    @inline(__always)
    subscript(k: Int) -> Int32 {
        precondition(UInt(bitPattern: k) < UInt(bitPattern: count), "id index out of range")
        return storage[base &+ k]
    }

    /// Straight over the stretch of the list (not through `subscript`'s check at each id).
    struct Iterator: IteratorProtocol {
        fileprivate let storage: [Int32]
        fileprivate var position: Int
        fileprivate let end: Int

        @inline(__always)
        mutating func next() -> Int32? {
            guard position < end else { return nil }
            defer { position &+= 1 }
            return storage[position]
        }
    }

    func makeIterator() -> Iterator { Iterator(storage: storage, position: base, end: base + count) }

    var last: Int32? { count > 0 ? self[count - 1] : nil }

    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Int32>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[base..<base + count])) }
    }
}

/// Sorted, distinct memo ids and where their values are: a view of the memo's values (a memo
/// that keeps them), or a view of their store ids and the store (a memo reading with a store,
/// which keeps none). What `AnchorSet` (keys) and `WordSet` (words) hold.
struct MemoIDValues<Value: StoreValue>: Sendable {
    /// The memo, the store and the views the values are read through: one reference, shared by
    /// the sets of a side's texts (`FeatureColumns`), where each set held five.
    final class Source: Sendable {
        let memo: WordMemo.Identity
        let store: ReadingStore?
        let values: MemoValues<Value>.View
        let sharedIDs: MemoValues<Int32>.View

        init(memo: WordMemo.Identity, store: ReadingStore?, values: MemoValues<Value>.View, sharedIDs: MemoValues<Int32>.View) {
            self.memo = memo
            self.store = store
            self.values = values
            self.sharedIDs = sharedIDs
        }
    }

    // (Set once: see `AnchorSet`.)
    let ids: IDList
    /// nil: no memo (and no ids).
    private let source: Source?
    var memo: WordMemo.Identity? { source?.memo }
    var store: ReadingStore? { source?.store }

    init() {
        ids = IDList()
        source = nil
    }

    init(ids: IDList, values: MemoValues<Value>.View, memo: WordMemo.Identity) {
        self.ids = ids
        source = Source(memo: memo, store: nil, values: values, sharedIDs: MemoValues<Int32>.View())
    }

    init(ids: IDList, sharedIDs: MemoValues<Int32>.View, store: ReadingStore, memo: WordMemo.Identity) {
        self.ids = ids
        source = Source(memo: memo, store: store, values: MemoValues<Value>.View(), sharedIDs: sharedIDs)
    }

    /// Ids whose values `source` has (views of all the memo's values).
    init(ids: IDList, source: Source) {
        self.ids = ids
        self.source = source
    }

    /// The store id of `ids[k]` when read with a store (nil otherwise).
    @inline(__always)
    func sharedID(at k: Int) -> Int32? {
        guard let source, source.store != nil else { return nil }
        return source.sharedIDs.value(at: k, of: ids)
    }

    /// The values, in the order of `ids`.
    var values: [Value] {
        guard let source else { return [] }  // (no ids)
        if let store = source.store { return Value.values(ofShared: ids.indices.map { source.sharedIDs.value(at: $0, of: ids) }, in: store) }
        return ids.indices.map { source.values.value(at: $0, of: ids) }
    }

    /// The value of `ids[k]`, without building the others.
    func value(at k: Int) -> Value {
        let source = source!  // (ids only with a memo)
        if let store = source.store { return Value.value(ofShared: source.sharedIDs.value(at: k, of: ids), in: store) }
        return source.values.value(at: k, of: ids)
    }

    /// The values of `ids[k]` for each k of `positions`, in their order (from a store under one lock).
    func values(at positions: [Int]) -> [Value] {
        guard let source else { return [] }  // (no ids)
        if let store = source.store { return Value.values(ofShared: positions.map { source.sharedIDs.value(at: $0, of: ids) }, in: store) }
        return positions.map { source.values.value(at: $0, of: ids) }
    }
}

/// A memo's values by id, kept a second time in frozen pages that sets share: a set's view of
/// them is the memo's directory of pages (one reference) and copies of only its values given
/// since the last page froze, where before every set copied each of its values (a retained
/// string apiece, released again when the set went: some 10,000 texts a long pair).
///
/// Pages are filed in volumes of `volumeSize` pages: a page frozen while sets share the
/// directory copies only the pages of the open volume (and, when a volume closes, the list of
/// volumes), where one list of every page was copied whole at each page (a retain per page,
/// so a cost growing with the square of the pages of a long document).
struct MemoValues<Value: Sendable>: Sendable {
    final class Page: Sendable {
        let values: [Value]
        init(_ values: [Value]) { self.values = values }
    }

    /// The frozen pages at one time: full volumes, then the open volume's pages.
    final class Directory: Sendable {
        let volumes: [[Page]]
        let pages: [Page]

        init(volumes: [[Page]], pages: [Page]) {
            self.volumes = volumes
            self.pages = pages
        }

        /// Frozen page number `p`.
        @inline(__always)
        func page(_ p: Int) -> Page {
            let volume = p >> MemoValues.volumeShift
            return volume < volumes.count ? volumes[volume][p & (MemoValues.volumeSize - 1)] : pages[p - volumes.count << MemoValues.volumeShift]
        }
    }

    /// 128 values a page: smaller pages save sets no measurable copying (long pair: 64 and 128 alike).
    static var pageShift: Int { 7 }
    static var pageSize: Int { 1 << pageShift }
    /// 128 pages a volume (16,384 values).
    static var volumeShift: Int { 7 }
    static var volumeSize: Int { 1 << volumeShift }

    private var volumes: [[Page]] = []
    /// The open volume's pages.
    private var pages: [Page] = []
    /// Values after the last full page.
    private var tail: [Value] = []
    /// `volumes` and `pages` as sets see them (nil: no page yet), made anew when a page freezes.
    private var directory: Directory?

    init() {}

    private var frozenPages: Int { volumes.count << Self.volumeShift + pages.count }

    /// How many values there are.
    var count: Int { frozenPages << Self.pageShift + tail.count }

    /// The value of id `id`.
    subscript(id: Int) -> Value {
        let page = id >> Self.pageShift
        guard page < frozenPages, let directory else { return tail[id - frozenPages << Self.pageShift] }
        return directory.page(page).values[id & (Self.pageSize - 1)]
    }

    mutating func append(_ value: Value) {
        if tail.isEmpty { tail.reserveCapacity(Self.pageSize) }
        tail.append(value)
        guard tail.count == Self.pageSize else { return }
        pages.append(Page(tail))
        tail = []
        if pages.count == Self.volumeSize {
            volumes.append(pages)
            pages = []
        }
        directory = Directory(volumes: volumes, pages: pages)
    }

    /// The values of `ids` (sorted ascending) as a set sees them.
    func view(of ids: [Int32]) -> View {
        let frozen = frozenPages << Self.pageShift
        var first = ids.count
        while first > 0 && Int(ids[first - 1]) >= frozen { first -= 1 }
        guard first < ids.count else { return View(directory: directory, tailStart: first, tail: []) }
        var values: [Value] = []
        values.reserveCapacity(ids.count - first)
        for k in first..<ids.count { values.append(tail[Int(ids[k]) - frozen]) }
        return View(directory: directory, tailStart: first, tail: values)
    }

    /// Every value so far, for the sets of many texts at once (`FeatureColumns`): the frozen
    /// pages and the values after them, shared (the memo's next value copies those, at most a
    /// page, once) rather than copied for each text.
    func viewOfAll() -> View {
        View(directory: directory, tailStart: 0, tailBase: frozenPages << Self.pageShift, tail: tail)
    }

    /// What a set reads its values from: the memo's frozen pages, and its own copies of the
    /// values of its ids from `tailStart` on (those not in a page when the set was made).
    struct View: Sendable {
        // (Set once: see `AnchorSet`.)
        private let directory: Directory?
        private let tailStart: Int
        /// A view of all the memo's values: the first id of `tail` (−1: a view of some ids,
        /// `tail` their values from position `tailStart` on).
        private let tailBase: Int
        private let tail: [Value]

        init() {
            directory = nil
            tailStart = 0
            tailBase = -1
            tail = []
        }
        fileprivate init(directory: Directory?, tailStart: Int, tailBase: Int = -1, tail: [Value]) {
            self.directory = directory
            self.tailStart = tailStart
            self.tailBase = tailBase
            self.tail = tail
        }

        /// The value of `ids[k]` (`ids`: those the view was made for, or any ids of the memo
        /// for a view of all its values).
        @inline(__always)
        func value(at k: Int, of ids: IDList) -> Value {
            if tailBase >= 0 {
                let id = Int(ids[k])
                if id >= tailBase { return tail[id - tailBase] }
                return directory!.page(id >> MemoValues.pageShift).values[id & (MemoValues.pageSize - 1)]
            }
            if k >= tailStart { return tail[k - tailStart] }
            let id = Int(ids[k])
            return directory!.page(id >> MemoValues.pageShift).values[id & (MemoValues.pageSize - 1)]
        }
    }
}

/// A token of a chunk: what date patterns and anchors are read from.
enum AnchorToken: Sendable {
    /// A letter run, folded; whether its first letter is a capital; the month it names, if any.
    /// `name`: the word's own anchor is a name (capitalized, or two capitals), not a plain word.
    case word(folded: String, capitalized: Bool, month: Int?, name: Bool)
    case number(value: String, digits: Int)
    case separator
}

/// Texts' chunks as one reading found them, in order: each chunk's byte range in its text and
/// its reading number in the memo. A sentence inside a paragraph takes its chunks from here
/// instead of splitting and looking them up again: the paragraph's chunks between its ends,
/// when no chunk crosses them (a sentence boundary between chunks, as it nearly always is).
struct ChunkStream: Sendable {
    /// Whether `features` adds to this stream.
    let recording: Bool
    var starts: [Int32] = []
    var ends: [Int32] = []
    var readings: [Int32] = []
    /// Per text in reading order: its chunks' positions here; nil when it was not read by its
    /// bytes (text of other Characters).
    var texts: [Range<Int>?] = []
    var languages: [LanguageKind] = []
    /// The memo whose reading numbers these are (`WordMemo.origin`).
    var origin: WordMemo.Identity?
    /// Per chunk (beside `readings`) while `keepsIDs`: where its memo anchor ids end in `ids`
    /// (they start where the previous chunk's end), as the text's reading gathered them from
    /// the store. A sentence copies its chunks' ids from here, where mapping each store id to
    /// the memo's again was a hash probe per id (`WordMemo.gather`).
    var idEnds: [ChunkIDs] = []
    var ids: [Int32] = []
    /// False once a text's chunks were recorded without their ids (read without a store).
    var keepsIDs = true

    /// A chunk's end in `ids`, and whether it holds numbers, dates or a month name (which a
    /// sentence still gathers from the chunk's reading).
    struct ChunkIDs: Sendable {
        var end: Int32
        var gathers: Bool
    }

    /// A stretch of a text's chunks, as a sentence takes them (`chunks(of:in:at:language:)`).
    struct Part: Sendable {
        /// The chunks' reading numbers (memo readings, or store records as −offset).
        var readings: ArraySlice<Int32>
        /// Their memo anchor ids and ends, when the stream kept them.
        var ids: ArraySlice<Int32>?
        var idEnds: ArraySlice<ChunkIDs>
    }

    init(recording: Bool = true) { self.recording = recording }

    /// Bytes of text per chunk set aside for (a chunk and the space after it: the corpora
    /// average 6.7 bytes, so that few texts outgrow the room).
    static let reservedBytesPerChunk = 5
    /// Anchor ids per chunk set aside for, when the stream keeps its chunks' ids.
    static let reservedIDsPerChunk = 3

    /// Room for the chunks of `texts` texts of `bytes` UTF-8 bytes in all (and their ids, when
    /// `withIDs`), set aside at once: a small pair's side grew each list by doubling from
    /// empty, some ten allocations and copies a list, for every side of every pair.
    mutating func reserve(texts count: Int, bytes: Int, withIDs: Bool) {
        let chunks = bytes / Self.reservedBytesPerChunk + 1
        starts.reserveCapacity(chunks)
        ends.reserveCapacity(chunks)
        readings.reserveCapacity(chunks)
        texts.reserveCapacity(count)
        languages.reserveCapacity(count)
        guard withIDs else { return }
        idEnds.reserveCapacity(chunks)
        ids.reserveCapacity(chunks * Self.reservedIDsPerChunk)
    }

    /// The chunks of `part`, a stretch of `text` (the `k`-th text read, in `language`), if its
    /// ends fall between chunks; nil otherwise.
    func chunks(of part: Substring, in text: Substring, at k: Int, language: LanguageKind) -> Part? {
        guard let positions = positions(of: part, in: text, at: k, language: language) else { return nil }
        guard keepsIDs, positions.upperBound <= idEnds.count else {
            return Part(readings: readings[positions], ids: nil, idEnds: [])
        }
        let low = positions.isEmpty || positions.lowerBound == 0 ? 0 : Int(idEnds[positions.lowerBound - 1].end)
        let high = positions.isEmpty ? low : Int(idEnds[positions.upperBound - 1].end)
        return Part(readings: readings[positions], ids: ids[low..<high], idEnds: idEnds[positions])
    }

    /// The positions here of the chunks of `part` (see `chunks(of:in:at:language:)`).
    private func positions(of part: Substring, in text: Substring, at k: Int, language: LanguageKind) -> Range<Int>? {
        guard k < texts.count, let range = texts[k], languages[k] == language else { return nil }
        // Where `part` lies in `text`, by the addresses of their bytes (a slice of the same
        // storage), confirmed by the bytes there: the chunks of a stretch depend on its bytes
        // only, once no chunk crosses its ends. Anything else is read anew.
        let found = text.utf8.withContiguousStorageIfAvailable { whole in
            part.utf8.withContiguousStorageIfAvailable { piece -> Range<Int>? in
                guard let w = whole.baseAddress, let p = piece.baseAddress else { return nil }
                let start = p - w
                guard start >= 0, start + piece.count <= whole.count, memcmp(w + start, p, piece.count) == 0 else { return nil }
                return start..<start + piece.count
            }
        }
        guard let bytes = (found ?? nil) ?? nil else { return nil }
        let low = Int32(bytes.lowerBound)
        let high = Int32(bytes.upperBound)
        // The first chunk ending after `low` must start at or after it; the last chunk starting
        // before `high` must end at or before it.
        var i = range.lowerBound
        var lo = range.lowerBound
        var hi = range.upperBound
        while lo < hi {
            let mid = (lo + hi) / 2
            if ends[mid] <= low { lo = mid + 1 } else { hi = mid }
        }
        i = lo
        if i < range.upperBound && starts[i] < low { return nil }
        var j = i
        while j < range.upperBound && starts[j] < high { j += 1 }
        if j > i && ends[j - 1] > high { return nil }
        return i..<j
    }
}

/// What one white-space-separated chunk contributes to a text's features; it depends on the
/// chunk's text and language only.
struct ChunkReading: Sendable {
    /// Memo ids.
    var anchors: [Int32] = []
    var numbers: [String] = []
    var dates: [String] = []
    /// Memo word ids.
    var words: [Int32] = []
    var tokens: [AnchorToken] = []
    var namesMonth = false
}

/// Int32 values by UTF-8 bytes and a tag (a language, an anchor kind): open addressing, a
/// word-at-a-time hash, the keys' bytes stored end to end.
struct ByteTable: Sendable {
    private var keyBytes: [UInt8] = []
    /// Per entry: start in `keyBytes`, length, tag, value, and the key's hash (compared before
    /// the bytes, and reused when the slots grow).
    private var entries: [(start: Int32, length: Int32, tag: UInt8, value: Int32, hash: UInt64)] = []
    /// Per slot: the key hash's high 32 bits beside its entry's index + 1 (0: empty), so that a
    /// probe passes other keys' slots without loading their entries: in a large table (a
    /// store's words and anchor keys) each entry load is a cache miss, and a key new to the
    /// table met one or two of them before its empty slot.
    /// Starts as one shared empty slot (found empty by any probe), so that a table never written
    /// allocates nothing: a unit's memo that reads with a store keeps four of its five tables
    /// empty, and each was 8 KB zeroed per memo.
    private var slots = ByteTable.unallocated
    private static let unallocated: [UInt64] = [0]
    /// Slots of the first allocation.
    private static let initialSlots = 1024

    @inline(__always)
    private static func slotValue(entry: Int, hash: UInt64) -> UInt64 { (hash >> 32) << 32 | UInt64(entry + 1) }

    /// The entry index a slot holds (−1: empty).
    @inline(__always)
    private static func entry(inSlot value: UInt64) -> Int { Int(truncatingIfNeeded: value & 0xFFFF_FFFF) - 1 }

    @inline(__always)
    static func code(_ language: LanguageKind) -> UInt8 { language == .english ? 0 : 1 }

    /// Eight bytes a step (FNV-1a's byte at a time, a multiply each, was a dependent chain of
    /// some four cycles a byte, the most of a lookup after its cache misses): each step a
    /// multiply–xorshift; the last 1...8 bytes read as two overlapping 4-byte loads (or three
    /// single bytes below 4), the length and the tag in the seed; then a finish that brings every
    /// bit down into the low bits, which pick the slot. Ids never depend on the hash (they are
    /// given in order of first sight), only where the entries sit.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, _ tag: UInt8) -> UInt64 {
        let n = bytes.count
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ (UInt64(tag) << 56) ^ UInt64(truncatingIfNeeded: n)
        if let base = bytes.baseAddress, n > 0 {
            let raw = UnsafeRawPointer(base)
            var k = 0
            while n - k > 8 {
                h = (h ^ raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
                h ^= h >> 32
                k += 8
            }
            let rest = n - k
            let last: UInt64
            if rest >= 4 {
                last = UInt64(raw.loadUnaligned(fromByteOffset: k, as: UInt32.self))
                    | UInt64(raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)) << 32
            } else {
                last = UInt64(base[k]) | UInt64(base[k + rest / 2]) << 8 | UInt64(base[n - 1]) << 16
            }
            h = (h ^ last) &* 0xBF58_476D_1CE4_E5B9
        }
        h = (h ^ (h >> 32)) &* 0x9E37_79B9_7F4A_7C15
        return h ^ (h >> 29)
    }

    /// Whether the `count` bytes at `a` and at `b` are equal (`memcmp(a, b, count) == 0`). Keys
    /// of up to 16 bytes (nearly every chunk and word) by two overlapping loads a side, inline:
    /// the call to memcmp and its dispatch on the length cost more than the compare (some 1% of
    /// a long pair's run, each found key compared once). Longer keys by memcmp.
    @inline(__always)
    static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count n: Int) -> Bool {
        if n >= 8 {
            guard n <= 16 else { return memcmp(a, b, n) == 0 }
            return a.loadUnaligned(as: UInt64.self) == b.loadUnaligned(as: UInt64.self)
                && a.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        }
        if n >= 4 {
            return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
                && a.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self) == b.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
        }
        guard n > 0 else { return true }
        // 1 to 3 bytes: the first, the middle and the last cover them all.
        return a.load(as: UInt8.self) == b.load(as: UInt8.self)
            && a.load(fromByteOffset: n / 2, as: UInt8.self) == b.load(fromByteOffset: n / 2, as: UInt8.self)
            && a.load(fromByteOffset: n - 1, as: UInt8.self) == b.load(fromByteOffset: n - 1, as: UInt8.self)
    }

    /// The slot where `bytes` is or would go.
    @inline(__always)
    private func slot(of bytes: UnsafeBufferPointer<UInt8>, tag: UInt8, hash: UInt64) -> Int {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        return keyBytes.withUnsafeBufferPointer { stored in
            slots.withUnsafeBufferPointer { slots in
                entries.withUnsafeBufferPointer { entries in
                    let high = hash >> 32
                    while true {
                        let value = slots[slot]
                        if value == 0 { return slot }
                        if value >> 32 != high {
                            slot = (slot + 1) & mask
                            continue
                        }
                        let e = entries[Self.entry(inSlot: value)]
                        if e.hash == hash && e.tag == tag && Int(e.length) == bytes.count
                            && (bytes.isEmpty || Self.equal(stored.baseAddress! + Int(e.start), bytes.baseAddress!, count: bytes.count))
                        {
                            return slot
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    func value(of bytes: UnsafeBufferPointer<UInt8>, language: LanguageKind) -> Int32? {
        value(of: bytes, tag: Self.code(language))
    }

    func value(of bytes: UnsafeBufferPointer<UInt8>, tag: UInt8) -> Int32? {
        let entry = Self.entry(inSlot: slots[slot(of: bytes, tag: tag, hash: Self.hash(bytes, tag))])
        return entry < 0 ? nil : entries[entry].value
    }

    /// Adds a key that is not in the table.
    mutating func insert(_ value: Int32, for bytes: UnsafeBufferPointer<UInt8>, language: LanguageKind) {
        insert(value, for: bytes, tag: Self.code(language))
    }

    /// Adds a key that is not in the table.
    mutating func insert(_ value: Int32, for bytes: UnsafeBufferPointer<UInt8>, tag: UInt8) {
        growIfFull()
        let hash = Self.hash(bytes, tag)
        let slot = slot(of: bytes, tag: tag, hash: hash)
        slots[slot] = Self.slotValue(entry: entries.count, hash: hash)
        entries.append((Int32(keyBytes.count), Int32(bytes.count), tag, value, hash))
        keyBytes.append(contentsOf: bytes)
    }

    /// The key's value, or `value` given to it if it has none: one hash and, when found, one
    /// probe (a lookup then an insert would hash and probe twice). The table ends as it would.
    mutating func valueOrInsert(_ value: Int32, for bytes: UnsafeBufferPointer<UInt8>, tag: UInt8) -> (value: Int32, inserted: Bool) {
        let hash = Self.hash(bytes, tag)
        var slot = slot(of: bytes, tag: tag, hash: hash)
        let entry = Self.entry(inSlot: slots[slot])
        if entry >= 0 { return (entries[entry].value, false) }
        if (entries.count + 1) * 2 > slots.count {
            growIfFull()
            slot = self.slot(of: bytes, tag: tag, hash: hash)
        }
        slots[slot] = Self.slotValue(entry: entries.count, hash: hash)
        entries.append((Int32(keyBytes.count), Int32(bytes.count), tag, value, hash))
        keyBytes.append(contentsOf: bytes)
        return (value, true)
    }

    /// Where a key was looked for: its hash, its slot, the entry count then (the slot holds
    /// while no entry is added), and its value if it has one.
    struct Probe {
        let hash: UInt64
        let slot: Int
        let entryCount: Int
        let value: Int32?
    }

    /// Looks `bytes` up, keeping what an insert of a missing key needs.
    func probe(_ bytes: UnsafeBufferPointer<UInt8>, tag: UInt8) -> Probe {
        probe(bytes, tag: tag, hash: Self.hash(bytes, tag))
    }

    /// `probe(bytes, tag:)` with the hash another table's probe of the same bytes and tag gave
    /// (every table hashes alike).
    func probe(_ bytes: UnsafeBufferPointer<UInt8>, tag: UInt8, hash: UInt64) -> Probe {
        let slot = slot(of: bytes, tag: tag, hash: hash)
        let entry = Self.entry(inSlot: slots[slot])
        return Probe(hash: hash, slot: slot, entryCount: entries.count, value: entry < 0 ? nil : entries[entry].value)
    }

    /// The first slot a key of this hash is looked for in: loading it ahead of the probe.
    @inline(__always)
    func firstSlot(hash: UInt64) -> UInt64 {
        slots.withUnsafeBufferPointer { $0[Int(truncatingIfNeeded: hash) & ($0.count - 1)] }
    }

    /// Loads what a probe of a key of this hash reads after its first slot, when that slot's
    /// hash half matches: the slot's entry and the first byte of its key.
    @inline(__always)
    func firstEntry(hash: UInt64) -> UInt64 {
        let value = firstSlot(hash: hash)
        guard value != 0, value >> 32 == hash >> 32 else { return value }
        let e = entries[Self.entry(inSlot: value)]
        return e.length > 0 ? e.hash &+ UInt64(keyBytes[Int(e.start)]) : e.hash
    }

    /// Adds a key that `probe` (on this table, these bytes and tag) did not find: at its slot,
    /// probed again (with its hash) only when the slots grow or entries were added since.
    mutating func insert(_ value: Int32, for bytes: UnsafeBufferPointer<UInt8>, tag: UInt8, after probe: Probe) {
        var slot = probe.slot
        if (entries.count + 1) * 2 > slots.count || entries.count != probe.entryCount {
            growIfFull()
            slot = self.slot(of: bytes, tag: tag, hash: probe.hash)
        }
        slots[slot] = Self.slotValue(entry: entries.count, hash: probe.hash)
        entries.append((Int32(keyBytes.count), Int32(bytes.count), tag, value, probe.hash))
        keyBytes.append(contentsOf: bytes)
    }

    /// Room for `count` keys in all (some `bytesPerKey` bytes each) without growing.
    mutating func reserve(_ count: Int, bytesPerKey: Int) {
        entries.reserveGrowing(count)
        keyBytes.reserveGrowing(count * bytesPerKey)
        var size = max(Self.initialSlots, slots.count)
        while size < count * 2 { size *= 2 }
        guard size > slots.count else { return }
        var grown = [UInt64](repeating: 0, count: size)
        let mask = size - 1
        for (k, e) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: e.hash) & mask
            while grown[slot] != 0 { slot = (slot + 1) & mask }
            grown[slot] = Self.slotValue(entry: k, hash: e.hash)
        }
        slots = grown
    }

    var count: Int { entries.count }

    /// Doubles the slots before an insert would take the load past one half.
    private mutating func growIfFull() {
        guard (entries.count + 1) * 2 > slots.count else { return }
        var grown = [UInt64](repeating: 0, count: max(Self.initialSlots, slots.count * 2))
        let mask = grown.count - 1
        for (k, e) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: e.hash) & mask
            while grown[slot] != 0 { slot = (slot + 1) & mask }
            grown[slot] = Self.slotValue(entry: k, hash: e.hash)
        }
        slots = grown
    }
}

/// What the extractor has worked out about chunks and folded words, per language (see
/// `AnchorExtractor.features(of:language:marker:memo:)`).
struct WordMemo: Sendable {
    /// Anchor ids (memo ids) of a word: its cognate key and its dictionary translations, its own
    /// anchor as a name and as a plain word, and its memo word id (−1: none, too short).
    struct Anchors: Sendable {
        var cognate: Int32?
        var translations: [Int32]
        var name: Int32
        var plain: Int32
        var word: Int32
    }
    /// Names one memo, so that its ids are only compared with its own.
    final class Identity: Sendable {}
    /// Held by the memo's copies only: when a copy that shares it gives a new id, the copies
    /// may diverge, so that copy takes a new identity (its earlier ids stay valid for both).
    private final class Lineage: Sendable {}

    private(set) var identity = Identity()
    /// Names the memo and its copies for ever (`identity` changes when copies diverge): reading
    /// numbers given before a copy mean the same in both.
    private(set) var origin = Identity()
    private var lineage = Lineage()
    private var englishChunks: [String: Int] = [:]
    private var spanishChunks: [String: Int] = [:]
    /// Chunk readings, by the number the maps above give them: their id lists and tokens end to
    /// end in three arrays rather than three arrays per reading (some 40,000 readings a long pair,
    /// each allocated, and freed when the memo goes).
    private(set) var readings: [StoredReading] = []
    private(set) var readingAnchors: [Int32] = []
    private(set) var readingWords: [Int32] = []
    private(set) var readingTokens: [AnchorToken] = []

    /// A remembered `ChunkReading`: its anchors are `readingAnchors[anchors]`, its words
    /// `readingWords[words]`, its tokens `readingTokens[tokens]`, its numbers and dates (if
    /// any) in `readingNumbers`. In 32-bit fields, the numbers and dates apart: 28 bytes a
    /// reading where ranges of `Int` and two arrays took 72, for a table that texts read one
    /// entry per chunk and that a long document's (some 40,000 readings) is larger than the cache.
    struct StoredReading: Sendable {
        private var anchorStart: Int32
        private var anchorEnd: Int32
        private var wordStart: Int32
        private var wordEnd: Int32
        private var tokenStart: Int32
        private var tokenEnd: Int32
        /// Its place in `readingNumbers` + 1; 0 (most chunks): no number and no date.
        var numbersAndDates: Int32
        var namesMonth: Bool
        /// The reading's number in the shared store it was taken over from (−1: read here).
        var shared: Int32

        init(anchors: Range<Int>, words: Range<Int>, tokens: Range<Int>, numbersAndDates: Int32, namesMonth: Bool, shared: Int32) {
            (anchorStart, anchorEnd) = (Int32(anchors.lowerBound), Int32(anchors.upperBound))
            (wordStart, wordEnd) = (Int32(words.lowerBound), Int32(words.upperBound))
            (tokenStart, tokenEnd) = (Int32(tokens.lowerBound), Int32(tokens.upperBound))
            self.numbersAndDates = numbersAndDates
            self.namesMonth = namesMonth
            self.shared = shared
        }

        var anchors: Range<Int> { Int(anchorStart)..<Int(anchorEnd) }
        var words: Range<Int> { Int(wordStart)..<Int(wordEnd) }
        var tokens: Range<Int> { Int(tokenStart)..<Int(tokenEnd) }
    }

    /// The numbers and dates of the readings that hold some (`StoredReading.numbersAndDates`).
    private(set) var readingNumbers: [(numbers: [String], dates: [String])] = []

    /// The numbers and dates of a reading of this memo.
    func numbersAndDates(of reading: StoredReading) -> (numbers: [String], dates: [String]) {
        numbersAndDates(at: Int(reading.numbersAndDates))
    }

    /// The numbers and dates at `place` (`StoredReading.numbersAndDates`, as a record keeps it).
    func numbersAndDates(at place: Int) -> (numbers: [String], dates: [String]) {
        place == 0 ? ([], []) : readingNumbers[place - 1]
    }

    /// Appends a reading whose id lists end the memo's lists; returns its number.
    private mutating func appendReading(
        anchorStart: Int, wordStart: Int, tokenStart: Int, numbers: consuming [String], dates: consuming [String], namesMonth: Bool, shared: Int32
    ) -> Int {
        var numbersAndDates: Int32 = 0
        if !numbers.isEmpty || !dates.isEmpty {
            readingNumbers.append((numbers, dates))
            numbersAndDates = Int32(readingNumbers.count)
        }
        readings.append(
            StoredReading(
                anchors: anchorStart..<readingAnchors.count, words: wordStart..<readingWords.count, tokens: tokenStart..<readingTokens.count,
                numbersAndDates: numbersAndDates, namesMonth: namesMonth, shared: shared))
        return readings.count - 1
    }

    /// Takes the reading over (`consuming`, from `remember` and `record` too): its lists move
    /// into the spare and its numbers and dates into the memo, where a borrowed reading was
    /// copied into the spare (a retain per list) and then released by its caller.
    private mutating func store(_ reading: consuming ChunkReading) -> Int {
        // From buffer pointers: appending an array retains and releases its buffer around the copy.
        let anchorStart = readingAnchors.count
        reading.anchors.withUnsafeBufferPointer { readingAnchors.append(contentsOf: $0) }
        let wordStart = readingWords.count
        reading.words.withUnsafeBufferPointer { readingWords.append(contentsOf: $0) }
        let tokenStart = readingTokens.count
        reading.tokens.withUnsafeBufferPointer { readingTokens.append(contentsOf: $0) }
        var numbers: [String] = []
        var dates: [String] = []
        swap(&numbers, &reading.numbers)
        swap(&dates, &reading.dates)
        let number = appendReading(
            anchorStart: anchorStart, wordStart: wordStart, tokenStart: tokenStart, numbers: numbers, dates: dates,
            namesMonth: reading.namesMonth, shared: -1)
        spareReading = reading  // its lists' room, for the next chunk read
        return number
    }

    /// A reading's lists, copied into the memo's once a chunk is read: kept, emptied, for the
    /// next chunk instead of three lists allocated (and freed) for every chunk read.
    private var spareReading = ChunkReading()

    /// An empty reading with the room of the last one stored (its numbers and dates, kept by
    /// that stored reading, excepted).
    mutating func freshReading() -> ChunkReading {
        var reading = ChunkReading()
        swap(&reading, &spareReading)
        reading.anchors.removeAll(keepingCapacity: true)
        reading.words.removeAll(keepingCapacity: true)
        reading.tokens.removeAll(keepingCapacity: true)
        reading.numbers = []
        reading.dates = []
        reading.namesMonth = false
        return reading
    }

    /// The tokens of the reading numbered `index`.
    func tokens(ofReading index: Int) -> ArraySlice<AnchorToken> { readingTokens[readings[index].tokens] }

    /// The tokens of the readings numbered `indices`, end to end (from the shared store for
    /// readings taken over from it).
    func tokens(ofReadings indices: [Int]) -> [AnchorToken] {
        guard let store else { return indices.flatMap { tokens(ofReading: $0) } }
        return store.withMemo { global in
            var tokens: [AnchorToken] = []
            for index in indices {
                if index < 0 {  // a store record (see `gather`)
                    let reading = global.records.arena.withUnsafeBufferPointer { ChunkRecords.layout($0, at: -index).reading }
                    tokens.append(contentsOf: global.tokens(ofReading: reading))
                    continue
                }
                let shared = readings[index].shared
                tokens.append(contentsOf: shared >= 0 ? global.tokens(ofReading: Int(shared)) : self.tokens(ofReading: index))
            }
            return tokens
        }
    }

    // MARK: Reading with a shared store

    /// The store this memo reads chunks with (nil: it reads them itself), leased from the
    /// process's pool for as long as the memo lives. A memo takes one on its first text, if
    /// nothing was read or given an id in it before; from then on every chunk, anchor and word
    /// comes from the store, mapped to this memo's ids.
    var store: ReadingStore? { lease?.store }
    private var lease: ReadingLease?
    /// Room for `readings` readings and their parts, set aside at once: a store's memo grows to
    /// tens of thousands of readings, and each doubling of an array that size is a fresh
    /// mapping whose every page faults in again (a tenth of reading 1,000 small pairs).
    /// Untouched room costs address space only.
    mutating func reserve(readings count: Int) {
        readings.reserveCapacity(count)
        readingAnchors.reserveCapacity(count * 4)
        readingWords.reserveCapacity(count * 2)
        readingTokens.reserveCapacity(count * 2)
        spellings.reserveCapacity(count)
        records.reserve(count)
    }

    /// Set by `readAlone()`: this memo never takes a store.
    private var alone = false

    /// Reads every chunk itself from now on. For a long document, whose chunks mostly recur
    /// within it, sharing saves little (its first sight of each distinct chunk) and costs a
    /// shared look-up and a mapping per distinct chunk, most of them new to the store too.
    mutating func readAlone() { alone = true }

    /// Room for the chunks of a text of `bytes` UTF-8 bytes read alone, on top of what the memo
    /// holds: a long document has some one distinct chunk per 32 bytes (the long pair: one per
    /// 34 to 36), and its tables and lists doubled their way there, each doubling copying (or
    /// rehashing) all before and faulting the pages of the new copy in.
    mutating func reserve(aloneTextBytes bytes: Int) {
        let chunks = bytes / 32
        readings.reserveGrowing(readings.count + chunks)
        readingAnchors.reserveGrowing(readingAnchors.count + chunks * 3)
        readingWords.reserveGrowing(readingWords.count + chunks)
        readingTokens.reserveGrowing(readingTokens.count + chunks * 2)
        chunkTable.reserve(chunkTable.count + chunks, bytesPerKey: 8)
        // Some one new spelling per 66 to 81 bytes, and one new folded word per 77 to 99 (the
        // long pair): their tables and lists doubled their way there as well.
        let words = bytes / Self.aloneBytesPerSpelling
        spellings.reserveGrowing(spellings.count + words)
        spellingTable.reserve(spellingTable.count + words, bytesPerKey: 8)
        foldedWords.reserveGrowing(foldedWords.count + words)
        foldedAnchors.reserveGrowing(foldedAnchors.count + words)
        foldedTable.reserve(foldedTable.count + words, bytesPerKey: 8)
    }

    /// Bytes of a text read alone per distinct spelling set aside for (`reserve(aloneTextBytes:)`).
    static let aloneBytesPerSpelling = 64

    /// This memo's anchor id and word id of each shared id met.
    private var localAnchorIDs = IDMap()
    private var localWordIDs = IDMap()

    /// Reads with a store leased from `shared` from now on, if this memo is still fresh (only its
    /// punctuation ids given, which are the same in every memo). Whether it reads with a store.
    mutating func bind(to shared: SharedReadings) -> Bool {
        if store != nil { return true }
        guard !alone, readings.isEmpty, anchorKeys.count == 4, words.count == 0, sharedWordIDs.count == 0 else { return false }
        lease = shared.lease()
        for id in 0..<Int32(4) {
            _ = localAnchorIDs.valueOrInsertNext(id)  // (the next value is `id`: the map was empty)
            sharedAnchorIDs.append(id)
        }
        return true
    }

    /// Reading with a store: the shared id of each of this memo's anchor ids. The keys stay
    /// in the store, which sets resolve them from only when asked (`AnchorSet.key(at:)`, the
    /// catalog for the anchors both sides share): a unit copied the key of every anchor new
    /// to it, each a load from the store's large key array, most of them never read again.
    private var sharedAnchorIDs = MemoValues<Int32>()

    /// This memo's id for the shared anchor id `shared`.
    @inline(__always)
    private mutating func localAnchorID(_ shared: Int32) -> Int32 {
        // Local ids number the shared ids in the order met: the map's next value is the list's next place.
        let (id, inserted) = localAnchorIDs.valueOrInsertNext(shared)
        if inserted {
            forkIfShared()
            sharedAnchorIDs.append(shared)
            assert(localAnchorIDs.keyCount == sharedAnchorIDs.count, "a local anchor id for every shared id listed")
        }
        return id
    }

    /// Reading with a store: the shared id of each of this memo's word ids (the words stay in
    /// the store, as the anchor keys do: see `sharedAnchorIDs`; only the lexicon reads them).
    private var sharedWordIDs = MemoValues<Int32>()

    /// This memo's word id for the shared word id `shared`.
    @inline(__always)
    private mutating func localWordID(_ shared: Int32) -> Int32 {
        let (id, inserted) = localWordIDs.valueOrInsertNext(shared)  // (as `localAnchorID`)
        if inserted {
            forkIfShared()
            sharedWordIDs.append(shared)
            assert(localWordIDs.keyCount == sharedWordIDs.count, "a local word id for every shared id listed")
        }
        return id
    }

    /// Takes the shared memo's reading numbered `shared` over, its ids mapped to this memo's;
    /// returns its number here. `global`: the store's memo (inside `withMemo`).
    mutating func adopt(_ shared: Int, from global: inout WordMemo) -> Int {
        let reading = global.readings[shared]
        let anchorStart = readingAnchors.count
        let wordStart = readingWords.count
        global.readingAnchors.withUnsafeBufferPointer { anchors in
            for k in reading.anchors { readingAnchors.append(localAnchorID(anchors[k])) }
        }
        global.readingWords.withUnsafeBufferPointer { words in
            for k in reading.words { readingWords.append(localWordID(words[k])) }
        }
        let (numbers, dates) = global.numbersAndDates(of: reading)
        return appendReading(
            anchorStart: anchorStart, wordStart: wordStart, tokenStart: readingTokens.count, numbers: numbers, dates: dates,
            namesMonth: reading.namesMonth, shared: Int32(shared))
    }

    /// `AnchorExtractor.sortDistinct`'s bits, kept from one text to the next.
    var scratchBits = IDBits()

    /// The lists one text's features are gathered in, kept (emptied) from one text to the
    /// next: grown anew for every paragraph, they were some ten allocations a paragraph.
    struct Scratch: Sendable {
        var ids: [Int32] = []
        var wordIDs: [Int32] = []
        var chunks: [Int] = []
        var pending: [PendingChunk] = []
        var spans: [ChunkSpan] = []

        mutating func reserve(_ capacity: Int) {
            ids.reserveCapacity(capacity)
            wordIDs.reserveCapacity(capacity)
            chunks.reserveCapacity(capacity)
            pending.reserveCapacity(capacity)
            spans.reserveCapacity(capacity)
        }
    }
    /// Room the scratch lists are given when a memo first takes them: a unit's memo is new,
    /// and its lists grew from empty by doubling (some seven buffers each for a paragraph's
    /// hundred-odd chunks and ids); longer texts still grow them past this.
    static let scratchCapacity = 256
    /// A chunk of a text: its bytes in the text and their hash (`ByteTable.hash` with the
    /// language's tag).
    typealias ChunkSpan = (start: Int32, end: Int32, hash: UInt64)
    /// A chunk new to a memo that reads with a store: its bytes, their hash, its place among
    /// the text's chunks and the store's record of it (−1: none yet).
    typealias PendingChunk = (start: Int32, end: Int32, hash: UInt64, position: Int32, record: Int)
    var scratch = Scratch()

    /// The scratch lists, emptied, for one text (the memo keeps none meanwhile, so that
    /// they are not shared); `memo.scratch = ` them back when done.
    mutating func takeScratch() -> (ids: [Int32], wordIDs: [Int32], chunks: [Int], pending: [PendingChunk], spans: [ChunkSpan]) {
        var taken = Scratch()
        swap(&taken, &scratch)
        if taken.ids.capacity == 0 { taken.reserve(Self.scratchCapacity) }
        taken.ids.removeAll(keepingCapacity: true)
        taken.wordIDs.removeAll(keepingCapacity: true)
        taken.chunks.removeAll(keepingCapacity: true)
        taken.pending.removeAll(keepingCapacity: true)
        taken.spans.removeAll(keepingCapacity: true)
        return (taken.ids, taken.wordIDs, taken.chunks, taken.pending, taken.spans)
    }

    /// A shared store's chunk records (see `ChunkRecords`); empty in a unit's memo.
    private var records = ChunkRecords()

    /// Loads the records of these chunks ahead of their look-ups (`ChunkRecords.touch`).
    mutating func touchRecords(of pending: [PendingChunk]) {
        touched &+= UInt(truncatingIfNeeded: pending.withUnsafeBufferPointer { pending in records.touch(pending.count) { pending[$0].hash } })
    }

    /// The same for a text's chunks.
    mutating func touchRecords(ofSpans spans: UnsafeBufferPointer<ChunkSpan>) {
        touched &+= UInt(truncatingIfNeeded: records.touch(spans.count) { spans[$0].hash })
    }

    /// Adds what a text's chunks hold to its lists: `chunks` are this memo's reading numbers,
    /// or records (−offset) of the store whose memo is `global` (inside `withMemo`), whose ids
    /// are mapped to this memo's here, in the order the chunks come (the order of first sight,
    /// as when readings were taken over). A record's words are mapped even when `words` is
    /// false, so that word ids do not depend on what the caller reads. Whether a chunk names
    /// a month. `marks`, when given: room for each chunk's end in `ids` (plus `markOffset`)
    /// and whether it holds numbers, dates or a month name (`ChunkStream.idEnds`), written in
    /// place rather than appended (a uniqueness check per chunk).
    mutating func gather(
        _ chunks: [Int], from global: inout WordMemo, words: Bool, ids: inout [Int32], wordIDs: inout [Int32], numbers: inout Set<String>,
        dates: inout Set<String>, marks: UnsafeMutablePointer<ChunkStream.ChunkIDs>? = nil, markOffset: Int32 = 0
    ) -> Bool {
        // The ids appended a batch at a time (see `BatchedAppends`): one at a time, each was a
        // uniqueness check of the list.
        BatchedAppends.appending(to: &ids) { ids in
            BatchedAppends.appending(to: &wordIDs) { wordIDs in
                var namesMonth = false
                for (position, index) in chunks.enumerated() {
                    if index >= 0 {
                        let reading = readings[index]
                        readingAnchors.withUnsafeBufferPointer { ids.append(contentsOf: UnsafeBufferPointer(rebasing: $0[reading.anchors])) }
                        if reading.numbersAndDates != 0 {
                            let held = readingNumbers[Int(reading.numbersAndDates) - 1]
                            numbers.insertGathered(held.numbers)
                            dates.insertGathered(held.dates)
                        }
                        if words { readingWords.withUnsafeBufferPointer { wordIDs.append(contentsOf: UnsafeBufferPointer(rebasing: $0[reading.words])) } }
                        namesMonth = namesMonth || reading.namesMonth
                        marks?[position] = ChunkStream.ChunkIDs(
                            end: Int32(ids.count) + markOffset, gathers: reading.numbersAndDates != 0 || reading.namesMonth)
                        continue
                    }
                    let (place, flags) = global.records.arena.withUnsafeBufferPointer { arena -> (Int, UInt32) in
                        let record = ChunkRecords.layout(arena, at: -index)
                        for k in record.ids..<record.ids + record.anchors { ids.append(localAnchorID(Int32(bitPattern: arena[k]))) }
                        let start = record.ids + record.anchors
                        for k in start..<start + record.words {
                            let local = localWordID(Int32(bitPattern: arena[k]))
                            if words { wordIDs.append(local) }
                        }
                        return (record.numbersAndDates, record.flags)
                    }
                    if place != 0 {
                        let held = global.numbersAndDates(at: place)
                        numbers.insertGathered(held.numbers)
                        dates.insertGathered(held.dates)
                    }
                    if flags & ChunkRecords.namesMonth != 0 { namesMonth = true }
                    marks?[position] = ChunkStream.ChunkIDs(
                        end: Int32(ids.count) + markOffset, gathers: flags & (ChunkRecords.namesMonth | ChunkRecords.numbersOrDates) != 0)
                }
                return namesMonth
            }
        }
    }

    /// The numbers and dates of chunks (as `gather` reads them), without their ids: a sentence
    /// that took its chunks' ids from its paragraph's reading (`ChunkStream.Part`). Whether a
    /// chunk names a month.
    func gatherNumbers(_ chunks: [Int], from global: inout WordMemo, numbers: inout Set<String>, dates: inout Set<String>) -> Bool {
        var namesMonth = false
        for index in chunks {
            let (month, held) = index >= 0 ? (readings[index].namesMonth, numbersAndDates(of: readings[index]))
                : global.records.arena.withUnsafeBufferPointer { arena in
                    let record = ChunkRecords.layout(arena, at: -index)
                    return (record.flags & ChunkRecords.namesMonth != 0, global.numbersAndDates(at: record.numbersAndDates))
                }
            numbers.insertGathered(held.numbers)
            dates.insertGathered(held.dates)
            if month { namesMonth = true }
        }
        return namesMonth
    }

    /// The offset of the record of a chunk read by its bytes in this (store's) memo, if any.
    func record(ofBytes bytes: UnsafeBufferPointer<UInt8>, language: LanguageKind, hash: UInt64) -> Int? {
        records.record(of: bytes, tag: ByteTable.code(language), hash: hash)
    }

    /// Stores a reading of these bytes in this (store's) memo with its record; returns the record's offset.
    mutating func record(_ reading: consuming ChunkReading, forBytes bytes: UnsafeBufferPointer<UInt8>, language: LanguageKind, hash: UInt64) -> Int {
        var flags: UInt32 = reading.namesMonth ? ChunkRecords.namesMonth : 0
        if !reading.numbers.isEmpty || !reading.dates.isEmpty { flags |= ChunkRecords.numbersOrDates }
        let number = store(reading)
        let stored = readings[number]
        return records.add(
            bytes, tag: ByteTable.code(language), hash: hash, reading: number, anchors: readingAnchors[stored.anchors],
            words: readingWords[stored.words], flags: flags, numbersAndDates: stored.numbersAndDates)
    }

    private var touched: UInt = 0

    /// `adopt` of the reading whose record (in `global`, the store's memo) is at `offset`: its
    /// ids from the record, its numbers and dates from the reading only when it has some.
    mutating func adopt(record offset: Int, from global: inout WordMemo) -> Int {
        let anchorStart = readingAnchors.count
        let wordStart = readingWords.count
        let (number, flags, place) = global.records.arena.withUnsafeBufferPointer { arena -> (Int, UInt32, Int) in
            let record = ChunkRecords.layout(arena, at: offset)
            for k in record.ids..<record.ids + record.anchors { readingAnchors.append(localAnchorID(Int32(bitPattern: arena[k]))) }
            let start = record.ids + record.anchors
            for k in start..<start + record.words { readingWords.append(localWordID(Int32(bitPattern: arena[k]))) }
            return (record.reading, record.flags, record.numbersAndDates)
        }
        var numbers: [String] = []
        var dates: [String] = []
        if place != 0 {
            (numbers, dates) = global.numbersAndDates(at: place)
        }
        return appendReading(
            anchorStart: anchorStart, wordStart: wordStart, tokenStart: readingTokens.count, numbers: numbers, dates: dates,
            namesMonth: flags & ChunkRecords.namesMonth != 0, shared: Int32(number))
    }

    /// Loads the chunk table's slots for the chunks, then the entries they name: the probes
    /// that follow find them in the cache. A long document's chunk table is larger than the
    /// cache, and probing one chunk after the other waited for each miss in turn (two or three
    /// a chunk, slot, entry, key); loads of different chunks here wait for none of them.
    mutating func touchChunks(_ spans: [ChunkSpan]) {
        var sink: UInt64 = 0
        spans.withUnsafeBufferPointer { spans in
            for span in spans { sink &+= chunkTable.firstSlot(hash: span.hash) }
            for span in spans { sink &+= chunkTable.firstEntry(hash: span.hash) }
        }
        touched &+= UInt(truncatingIfNeeded: sink)
    }

    /// Loads the readings numbered `indices` and the first of their anchor ids (and word ids
    /// when `words`), ahead of a loop that reads them one after the other: a long document's
    /// readings and id lists are larger than the cache (see `touchChunks`).
    mutating func touchReadings(_ indices: [Int], words: Bool) {
        var sink = 0
        // Through pointers: a copy of a reading would retain its lists.
        readings.withUnsafeBufferPointer { readings in
            guard let base = readings.baseAddress else { return }
            for index in indices { sink &+= base[index].anchors.lowerBound }
            readingAnchors.withUnsafeBufferPointer { anchors in
                readingWords.withUnsafeBufferPointer { wordIDs in
                    for index in indices {
                        let reading = base + index
                        if !reading.pointee.anchors.isEmpty { sink &+= Int(anchors[reading.pointee.anchors.lowerBound]) }
                        if words && !reading.pointee.words.isEmpty { sink &+= Int(wordIDs[reading.pointee.words.lowerBound]) }
                    }
                }
            }
        }
        touched &+= UInt(bitPattern: sink)
    }

    /// Remembers the reading numbered `index` (see `adopt`) for these bytes, at `probe`.
    mutating func remember(reading index: Int, forBytes bytes: UnsafeBufferPointer<UInt8>, language: LanguageKind, after probe: ByteTable.Probe) {
        chunkTable.insert(Int32(index), for: bytes, tag: ByteTable.code(language), after: probe)
    }

    /// Remembers the reading numbered `index` (see `adopt`) for a chunk looked up as a string.
    mutating func remember(reading index: Int, for chunk: String, language: LanguageKind) {
        if language == .english { englishChunks[chunk] = index } else { spanishChunks[chunk] = index }
    }
    /// Every anchor met, by memo id.
    private var anchorKeys = InternTable<AnchorKey>()
    /// Every anchor's key, by memo id (from the store when reading with one).
    var keys: [AnchorKey] {
        guard let store else { return anchorKeys.allValues }
        return store.keys(ofShared: (0..<sharedAnchorIDs.count).map { sharedAnchorIDs[$0] })
    }

    /// The keys of shared ids (in a store's memo, inside `withMemo`).
    func keys(ofShared ids: [Int32]) -> [AnchorKey] {
        guard anchorKeys.keepsFlat else { return ids.map { anchorKeys.paged[Int($0)] } }
        return anchorKeys.values.withUnsafeBufferPointer { keys in ids.map { keys[Int($0)] } }
    }

    /// The key of a shared id (in a store's memo, inside `withMemo`).
    func key(ofShared id: Int32) -> AnchorKey { anchorKeys.paged[Int(id)] }

    /// Keeps the anchor keys in a flat array as well (see `InternTable.keepFlat`): for a
    /// shared store's memo (see `keys(ofShared:)`).
    mutating func keepFlatKeys() {
        anchorKeys.keepFlat()
    }
    /// Memo ids of the punctuation anchors ? ! : ;
    let punctuationIDs: (question: Int32, exclamation: Int32, colon: Int32, semicolon: Int32)

    /// A new memo: a copy of `fresh`, under identities of its own. Each unit's memo interned the
    /// four punctuation keys anew (a key table allocated and filled: 12,700 instructions a unit,
    /// 2% of a one-line pair's run), and a memo that reads with a store never adds to that table.
    init() {
        self = Self.fresh
        identity = Identity()
        origin = Identity()
        lineage = Lineage()
    }

    /// The memo every new one copies: the punctuation anchors given, nothing else read.
    private static let fresh = WordMemo(givingPunctuation: ())

    private init(givingPunctuation: Void) {
        punctuationIDs = (0, 1, 2, 3)
        for mark in ["?", "!", ":", ";"] { _ = id(of: AnchorKey(kind: .punctuation, value: mark)) }
    }

    /// Chunk readings by the chunk's UTF-8 bytes (text of single-scalar characters, where equal
    /// strings have equal bytes).
    private var chunkTable = ByteTable()

    /// The chunk's reading number if it has one (`value`), and where to remember it if not.
    func reading(ofBytes bytes: UnsafeBufferPointer<UInt8>, language: LanguageKind) -> ByteTable.Probe {
        chunkTable.probe(bytes, tag: ByteTable.code(language))
    }

    /// The same, with the hash another memo's probe of these bytes in this language gave.
    func reading(ofBytes bytes: UnsafeBufferPointer<UInt8>, language: LanguageKind, hash: UInt64) -> ByteTable.Probe {
        chunkTable.probe(bytes, tag: ByteTable.code(language), hash: hash)
    }

    /// `probe`: what `reading(ofBytes:language:)` gave for these bytes (no second hash and probe).
    mutating func remember(_ reading: consuming ChunkReading, forBytes bytes: UnsafeBufferPointer<UInt8>, language: LanguageKind, after probe: ByteTable.Probe) -> Int {
        let index = store(reading)
        chunkTable.insert(Int32(index), for: bytes, tag: ByteTable.code(language), after: probe)
        return index
    }

    /// What a word as written (a letter run, by its UTF-8 bytes) gives: its token and its anchors.
    struct Spelling: Sendable {
        var token: AnchorToken
        var anchors: Anchors
    }
    private var spellingTable = ByteTable()
    private var spellings: [Spelling] = []

    /// The spelling's number in `spellings` if it has one (`value`), and where to remember it if not.
    func spelling(ofBytes bytes: UnsafeBufferPointer<UInt8>, language: LanguageKind) -> ByteTable.Probe {
        spellingTable.probe(bytes, tag: ByteTable.code(language))
    }

    /// `body` with a pointer to the spelling numbered `number`, valid inside it only.
    @inline(__always)
    func withSpelling<R>(_ number: Int32, _ body: (UnsafePointer<Spelling>) throws -> R) rethrows -> R {
        try spellings.withUnsafeBufferPointer { try body($0.baseAddress! + Int(number)) }
    }

    /// `probe`: what `spelling(ofBytes:language:)` gave for these bytes.
    mutating func remember(_ spelling: Spelling, forBytes bytes: UnsafeBufferPointer<UInt8>, language: LanguageKind, after probe: ByteTable.Probe) {
        spellingTable.insert(Int32(spellings.count), for: bytes, tag: ByteTable.code(language), after: probe)
        spellings.append(spelling)
    }

    /// Every folded word met, by memo word id.
    private var words = InternTable<String>()

    /// A folded word's ids, the same in both languages (given on its first sight in either), and
    /// its anchors in each language once worked out (places in `foldedAnchors`, −1: not yet).
    /// `name` is the id of its anchor as a name; as a plain word it has the next id (the two are
    /// given together, only in `ownIDs`): one look-up of the folded word finds the word's own
    /// ids where there were four (its anchors in the language, its name key, its plain key, its
    /// memo word), each a cache miss in a long document's tables.
    struct FoldedWord: Sendable {
        var name: Int32 = -1
        var word: Int32 = -1
        var english: Int32 = -1
        var spanish: Int32 = -1
    }
    private var foldedWords: [FoldedWord] = []
    private var foldedAnchors: [Anchors] = []
    /// Places in `foldedWords` of ASCII folded words by their bytes (where equal strings have
    /// equal bytes; the text is NFC, so no singleton such as the Kelvin sign, equal to an ASCII
    /// letter, occurs); of other folded words, in `foldedIndex`. The same `ByteTable` instead of
    /// the String hasher serves anchor keys and memo words.
    private var foldedTable = ByteTable()
    private var foldedIndex: [String: Int32] = [:]

    /// `body` on the UTF-8 of `string` when it is contiguous ASCII; nil otherwise.
    @inline(__always)
    static func ascii<R>(_ string: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        string.utf8.withContiguousStorageIfAvailable { bytes -> R? in
            for b in bytes where b >= 0x80 { return nil }
            return body(bytes)
        } ?? nil
    }

    /// Loads the first slots of the keys a new word's anchors are interned under (its cognate
    /// key, its translations), ahead of `id(of:)` for them. Nothing to do when reading with a store.
    mutating func touchKeys(cognate: String?, translations: [String]) {
        guard store == nil else { return }
        var sink: UInt64 = 0
        if let cognate { sink &+= anchorKeys.touch(spelling: cognate, tag: AnchorKind.cognate.rawValue) }
        for translation in translations { sink &+= anchorKeys.touch(spelling: translation, tag: AnchorKind.translation.rawValue) }
        touched &+= UInt(truncatingIfNeeded: sink)
    }

    /// The place of `folded` in `foldedWords`, added (no ids, no anchors) on first sight.
    mutating func foldedEntry(_ folded: String) -> Int {
        let next = Int32(foldedWords.count)
        var found = Self.ascii(folded) { foldedTable.valueOrInsert(next, for: $0, tag: 0).value }
        if found == nil {
            found = foldedIndex[folded] ?? next
            if found == next { foldedIndex[folded] = next }
        }
        if found == next { foldedWords.append(FoldedWord()) }
        return Int(found!)
    }

    /// The anchors of the folded word at `entry` in `language`, if worked out.
    func anchors(ofFolded entry: Int, language: LanguageKind) -> Anchors? {
        let place = language == .english ? foldedWords[entry].english : foldedWords[entry].spanish
        return place < 0 ? nil : foldedAnchors[Int(place)]
    }

    /// Remembers the anchors of the folded word at `entry` in `language`.
    mutating func remember(_ anchors: Anchors, ofFolded entry: Int, language: LanguageKind) {
        let place = Int32(foldedAnchors.count)
        foldedAnchors.append(anchors)
        if language == .english { foldedWords[entry].english = place } else { foldedWords[entry].spanish = place }
    }

    /// The memo ids of the folded word at `entry` as a name and as a plain word, and its memo
    /// word id (−1 unless `withWordID`, the same in every call for one word), given on its
    /// first sight. Reading with a store: the store's, mapped to this memo's.
    mutating func ownIDs(ofFolded folded: String, entry: Int, withWordID: Bool) -> (name: Int32, plain: Int32, word: Int32) {
        if let store {
            let shared = store.withMemo { global in global.ownIDs(ofFolded: folded, entry: global.foldedEntry(folded), withWordID: withWordID) }
            return (localAnchorID(shared.name), localAnchorID(shared.plain), shared.word < 0 ? -1 : localWordID(shared.word))
        }
        var own = foldedWords[entry]
        if own.name < 0 {
            // Kept by id only, in no key table: only this function gives or reads them.
            own.name = anchorKeys.append(AnchorKey(kind: .name, value: folded))
            _ = anchorKeys.append(AnchorKey(kind: .word, value: folded))
            if withWordID { own.word = words.append(folded) }
            forkIfShared()  // before anyone else can see the new ids
            foldedWords[entry] = own
        }
        return (own.name, own.name + 1, own.word)
    }

    /// The words of sorted, distinct memo word ids.
    func wordSet(_ ids: [Int32]) -> WordSet {
        if let store { return WordSet(ids: IDList(ids), sharedIDs: sharedWordIDs.view(of: ids), store: store, memo: identity) }
        return WordSet(ids: IDList(ids), words: words.paged.view(of: ids), memo: identity)
    }

    /// The words of shared word ids (in a store's memo, inside `withMemo`).
    func words(ofShared ids: [Int32]) -> [String] {
        ids.map { words.paged[Int($0)] }
    }

    /// The word of a shared word id (in a store's memo, inside `withMemo`).
    func word(ofShared id: Int32) -> String { words.paged[Int(id)] }

    /// Before a new id: a copy sharing this memo's ids may give the same id another meaning.
    private mutating func forkIfShared() {
        if !isKnownUniquelyReferenced(&lineage) {
            lineage = Lineage()
            identity = Identity()
        }
    }

    /// The memo id of `key`, given on first sight.
    mutating func id(of key: AnchorKey) -> Int32 {
        assert(key.kind != .name && key.kind != .word, "a word's own keys are given by ownIDs(ofFolded:entry:withWordID:)")
        if let store { return localAnchorID(store.withMemo { $0.id(of: key) }) }
        let (id, inserted) = anchorKeys.idOrInsert(key, spelling: key.value, tag: key.kind.rawValue)
        if inserted { forkIfShared() }  // before anyone else can see the new id
        return id
    }

    /// The anchors of sorted, distinct memo ids.
    func anchorSet(_ ids: [Int32]) -> AnchorSet {
        if let store { return AnchorSet(ids: IDList(ids), sharedIDs: sharedAnchorIDs.view(of: ids), store: store, memo: identity) }
        return AnchorSet(ids: IDList(ids), keys: anchorKeys.paged.view(of: ids), memo: identity)
    }

    /// Views of every anchor and word this memo has so far (ids read with a store: of their
    /// store ids: `shared`), for the sets of many texts read with it (`FeatureColumns`).
    func viewsOfAll(shared: Bool) -> FeatureColumns.Views {
        if shared { return FeatureColumns.Views(sharedAnchorIDs: sharedAnchorIDs.viewOfAll(), sharedWordIDs: sharedWordIDs.viewOfAll()) }
        return FeatureColumns.Views(anchorKeys: anchorKeys.paged.viewOfAll(), words: words.paged.viewOfAll())
    }

    func reading(of chunk: String, language: LanguageKind) -> Int? {
        language == .english ? englishChunks[chunk] : spanishChunks[chunk]
    }

    mutating func remember(_ reading: consuming ChunkReading, for chunk: String, language: LanguageKind) -> Int {
        let index = store(reading)
        if language == .english { englishChunks[chunk] = index } else { spanishChunks[chunk] = index }
        return index
    }
}

/// Extracts anchors: numbers, dates, URLs, codes, names, cognates, dictionary translations, punctuation.
struct AnchorExtractor: Sendable {
    let dictionary: BilingualDictionary
    /// Where fresh memos take chunk readings from (readings depend on the dictionary): the
    /// process's for the standard dictionary, the extractor's own for another.
    let readings: SharedReadings

    init(dictionary: BilingualDictionary = .shared) {
        self.dictionary = dictionary
        readings = dictionary.isStandard ? .standard : SharedReadings()
    }


    func features(of text: String, language: LanguageKind, marker: String? = nil) -> TextFeatures {
        features(of: Substring(text), language: language, marker: marker)
    }

    func features(of text: Substring, language: LanguageKind, marker: String? = nil) -> TextFeatures {
        var memo = WordMemo()
        return features(of: text, language: language, marker: marker, memo: &memo)
    }

    /// The same, reusing what `memo` learned about words in earlier texts: the cognate key and
    /// the dictionary translations of a word depend on its folded form only, and most words of
    /// a document recur, so they are worked out once per document.
    /// `words: false` leaves `TextFeatures.words` empty (only the lexicon bootstrap reads them).
    func features(of text: Substring, language: LanguageKind, marker: String? = nil, words: Bool = true, memo: inout WordMemo) -> TextFeatures {
        var unused = ChunkStream(recording: false)
        return features(of: text, language: language, marker: marker, words: words, memo: &memo, given: nil, stream: &unused, into: nil)!
    }

    /// The same, adding the text's chunks to `stream` (see `ChunkStream`).
    func features(of text: Substring, language: LanguageKind, marker: String?, memo: inout WordMemo, stream: inout ChunkStream) -> TextFeatures {
        return features(of: text, language: language, marker: marker, words: true, memo: &memo, given: nil, stream: &stream, into: nil)!
    }

    /// The same, the features added to `columns` as their next row (see `FeatureColumns`);
    /// `words` and `chunks` as in the other forms.
    func addFeatures(
        of text: Substring, language: LanguageKind, marker: String?, words: Bool = true, chunks: ChunkStream.Part? = nil, memo: inout WordMemo,
        stream: inout ChunkStream, to columns: inout FeatureColumns
    ) {
        // Through a pointer: an optional taken in and out (the columns swapped with an empty
        // one) made and destroyed an empty table per text.
        _ = withUnsafeMutablePointer(to: &columns) { columns in
            features(of: text, language: language, marker: marker, words: words, memo: &memo, given: chunks, stream: &stream, into: columns)
        }
    }

    /// The features of a text whose chunks `memo` has read already, in order (`chunks`, reading
    /// numbers): a sentence inside a paragraph read with `memo`, from the paragraph's chunks
    /// (`ChunkStream.chunks(of:in:)`). The text must be of single-scalar Characters.
    func features(of text: Substring, language: LanguageKind, chunks: ChunkStream.Part, memo: inout WordMemo) -> TextFeatures {
        var unused = ChunkStream(recording: false)
        return features(of: text, language: language, marker: nil, words: false, memo: &memo, given: chunks, stream: &unused, into: nil)!
    }

    /// The features, or nil when added to `columns` instead (given).
    private func features(
        of text: Substring, language: LanguageKind, marker: String?, words: Bool, memo: inout WordMemo, given: ChunkStream.Part?,
        stream: inout ChunkStream, into columns: UnsafeMutablePointer<FeatureColumns>?
    ) -> TextFeatures? {
        let store = memo.bind(to: readings) ? memo.store : nil
        // The counts, numbers and dates on their own, the fields built once at the end: a
        // `Fields` filled in place was made empty, assigned over (each of its lists released)
        // and copied into its box (each retained, then released with the local).
        var counts = TextCounts()
        var numbers: Set<String> = []
        var dates: Set<String> = []
        var (ids, wordIDs, chunks, pending, spans) = memo.takeScratch()
        var simple = true
        var colon: Bool
        var semicolon: Bool
        // On the UTF-8 when contiguous (no capture of the counters: captured, they would be
        // checked for exclusive access at every scalar). In text of single-scalar Characters, a
        // colon byte is a colon Character. The same pass finds the chunks (white-space-separated
        // byte ranges, as `forEachByteChunk`) for a text read by its bytes below, where a second
        // pass decoded every scalar again; ASCII bytes are classed by a table (`asciiClasses`)
        // and counted without a branch per class.
        let wantsSpans = given == nil
        var spansScanned = false
        if let counted = text.utf8.withContiguousStorageIfAvailable({ bytes -> (TextCounts, Bool, Bool, Bool) in
            var counts = TextCounts()
            var simple = true
            var marks: UInt8 = 0
            var found: [WordMemo.ChunkSpan] = []
            if wantsSpans { swap(&found, &spans) }
            var start = -1
            // The spans through stack room a batch at a time (`BatchedAppends`): appended to the
            // list itself, each was a uniqueness check (340,000 over 1,000 small pairs).
            BatchedAppends.appending(to: &found) { found in
                Self.asciiClasses.withUnsafeBufferPointer { classes in
                    var k = 0
                    while k < bytes.count {
                        // Eight bytes at a time up to the first non-ASCII byte (see `countASCII`).
                        if bytes.count - k >= 8 {
                            let word = UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress!).loadUnaligned(fromByteOffset: k, as: UInt64.self))
                            let nonASCII = word & Self.highBits
                            let n = nonASCII == 0 ? 8 : nonASCII.trailingZeroBitCount >> 3
                            if n > 0 {
                                Self.countASCII(word, count: n, at: k, into: &counts, marks: &marks, start: &start, spans: &found, wantsSpans: wantsSpans)
                                k += n
                                continue
                            }
                        }
                        let b = bytes[k]
                        if b < 0x80 {  // ASCII: a Character of its own; white space, letters and marks by byte
                            let c = classes[Int(b)]
                            if c & Self.spaceClass != 0 {
                                if start >= 0 {
                                    if wantsSpans { found.append((Int32(start), Int32(k), 0)) }
                                    start = -1
                                }
                                k += 1
                                continue
                            }
                            if start < 0 { start = k }
                            k += 1
                            counts.length += 1
                            counts.letterCount &+= Int(c & Self.letterClass)
                            counts.questionMarks &+= Int(c >> 2 & 1)
                            counts.exclamationMarks &+= Int(c >> 3 & 1)
                            marks |= c
                            continue
                        }
                        let (scalar, width) = Self.scalar(at: k, in: bytes)
                        Self.count(scalar, into: &counts, simple: &simple)
                        if TextNormalization.isWhitespace(scalar) {
                            if start >= 0 {
                                if wantsSpans { found.append((Int32(start), Int32(k), 0)) }
                                start = -1
                            }
                        } else if start < 0 {
                            start = k
                        }
                        k += width
                    }
                }
                if start >= 0 && wantsSpans { found.append((Int32(start), Int32(bytes.count), 0)) }
            }
            if wantsSpans {
                swap(&found, &spans)
                spansScanned = true
            }
            return (counts, simple, marks & Self.colonClass != 0, marks & Self.semicolonClass != 0)
        }) {
            (counts, simple, colon, semicolon) = counted
            if !simple {
                colon = text.contains(":")
                semicolon = text.contains(";")
            }
        } else {
            for scalar in text.unicodeScalars { Self.count(scalar, into: &counts, simple: &simple) }
            colon = simple ? text.utf8.contains(UInt8(ascii: ":")) : text.contains(":")
            semicolon = simple ? text.utf8.contains(UInt8(ascii: ";")) : text.contains(";")
        }
        if counts.questionMarks + counts.invertedQuestionMarks > 0 { ids.append(memo.punctuationIDs.question) }
        if counts.exclamationMarks + counts.invertedExclamationMarks > 0 { ids.append(memo.punctuationIDs.exclamation) }
        if colon { ids.append(memo.punctuationIDs.colon) }
        if semicolon { ids.append(memo.punctuationIDs.semicolon) }
        if let marker, let normalized = Self.normalizedMarker(marker) {
            ids.append(memo.id(of: AnchorKey(kind: .marker, value: normalized)))
        }

        var namesMonth = false
        let recorded = stream.recording ? stream.readings.count : -1
        // Text of single-scalar characters: chunks found and looked up by their UTF-8 bytes.
        // Chunks new to the memo when it reads with a store: taken over together, under one
        // lock, after the scan, their records looked up first one after the other (independent
        // loads the processor overlaps) and then adopted.
        let byBytes: Void? = !simple ? nil : given.map { given in chunks.append(contentsOf: given.readings.lazy.map(Int.init)) } ?? text.utf8.withContiguousStorageIfAvailable { bytes in
            // The chunks and their hashes first, their table slots and entries loaded ahead
            // (`WordMemo.touchChunks`), then the look-ups.
            let tag = ByteTable.code(language)
            var longest: Int32 = 0
            if spansScanned {
                spans.withUnsafeMutableBufferPointer { spans in
                    for k in spans.indices {
                        let range = Int(spans[k].start)..<Int(spans[k].end)
                        spans[k].hash = ByteTable.hash(UnsafeBufferPointer(rebasing: bytes[range]), tag)
                        longest = max(longest, Int32(range.count))
                    }
                }
            } else {
                spans.removeAll(keepingCapacity: true)
                Self.forEachByteChunk(bytes) { range in
                    spans.append((Int32(range.lowerBound), Int32(range.upperBound), ByteTable.hash(UnsafeBufferPointer(rebasing: bytes[range]), tag)))
                    longest = max(longest, Int32(range.count))
                }
            }
            // Reading with a store: every chunk is its store record (−offset in `chunks`), read
            // into the store first if new to it; its ids are mapped to this memo's as the text's
            // ids are gathered (`WordMemo.gather`). The unit keeps no chunk table and no
            // readings of its own: a unit-distinct chunk was looked up in the unit's table,
            // then the store's, then copied into the unit's readings and table, and six in ten
            // of a small pair's chunks are new to it. (A record's key length has 24 bits.)
            if let store, longest < 1 << 24 {
                // The spans read through a pointer: `spans` is a variable the closures share, and
                // a loop over it retained and released its buffer at every span (740,000 calls
                // over 1,000 small pairs), as appending to the stream checked each list's
                // uniqueness at every span.
                spans.withUnsafeBufferPointer { spans in
                    if recorded >= 0 {
                        BatchedAppends.appending(to: &stream.starts) { starts in
                            BatchedAppends.appending(to: &stream.ends) { ends in
                                for span in spans {
                                    starts.append(span.start)
                                    ends.append(span.end)
                                }
                            }
                        }
                    }
                    store.withMemo { global in
                        global.touchRecords(ofSpans: spans)
                        BatchedAppends.appending(to: &chunks) { chunks in
                            for span in spans {
                                let range = Int(span.start)..<Int(span.end)
                                let chunkBytes = UnsafeBufferPointer(rebasing: bytes[range])
                                var record = global.record(ofBytes: chunkBytes, language: language, hash: span.hash) ?? -1
                                if record < 0 {
                                    let low = text.utf8.index(text.utf8.startIndex, offsetBy: range.lowerBound)
                                    let chunk = text[low..<text.utf8.index(low, offsetBy: range.count)]
                                    let reading = read(chunk, bytes: chunkBytes, language: language, memo: &global)
                                    record = global.record(reading, forBytes: chunkBytes, language: language, hash: span.hash)
                                }
                                chunks.append(-record)
                            }
                        }
                    }
                }
                return
            }
            memo.touchChunks(spans)
            for span in spans {
                let range = Int(span.start)..<Int(span.end)
                if recorded >= 0 {
                    stream.starts.append(span.start)
                    stream.ends.append(span.end)
                }
                let chunkBytes = UnsafeBufferPointer(rebasing: bytes[range])
                let probe = memo.reading(ofBytes: chunkBytes, language: language, hash: span.hash)
                if let index = probe.value {
                    chunks.append(Int(index))
                    continue
                }
                if store != nil && chunkBytes.count < 1 << 24 {  // (a record's key length has 24 bits)
                    pending.append((span.start, span.end, probe.hash, Int32(chunks.count), -1))
                    chunks.append(-1)
                    continue
                }
                let low = text.utf8.index(text.utf8.startIndex, offsetBy: range.lowerBound)
                let chunk = text[low..<text.utf8.index(low, offsetBy: range.count)]
                let reading = read(chunk, bytes: chunkBytes, language: language, memo: &memo)
                chunks.append(memo.remember(reading, forBytes: chunkBytes, language: language, after: probe))
            }
            guard let store, !pending.isEmpty else { return }
            store.withMemo { global in
                global.touchRecords(of: pending)
                for k in pending.indices {
                    let chunkBytes = UnsafeBufferPointer(rebasing: bytes[Int(pending[k].start)..<Int(pending[k].end)])
                    pending[k].record = global.record(ofBytes: chunkBytes, language: language, hash: pending[k].hash) ?? -1
                }
                for next in pending {
                    let range = Int(next.start)..<Int(next.end)
                    let chunkBytes = UnsafeBufferPointer(rebasing: bytes[range])
                    // A chunk twice among them: its first sight is remembered by now. (With
                    // the hash of the scan: the same bytes and tag, not hashed a second time.)
                    let probe = memo.reading(ofBytes: chunkBytes, language: language, hash: next.hash)
                    if let index = probe.value {
                        chunks[Int(next.position)] = Int(index)
                        continue
                    }
                    var record = next.record
                    if record < 0 {
                        let low = text.utf8.index(text.utf8.startIndex, offsetBy: range.lowerBound)
                        let chunk = text[low..<text.utf8.index(low, offsetBy: range.count)]
                        let reading = read(chunk, bytes: chunkBytes, language: language, memo: &global)
                        record = global.record(reading, forBytes: chunkBytes, language: language, hash: next.hash)
                    }
                    let index = memo.adopt(record: record, from: &global)
                    memo.remember(reading: index, forBytes: chunkBytes, language: language, after: probe)
                    chunks[Int(next.position)] = index
                }
            }
        }
        for chunk in byBytes != nil ? [] : simple ? Self.scalarChunks(text) : text.split(whereSeparator: { $0.isWhitespace }) {
            let key = String(chunk)
            if let index = memo.reading(of: key, language: language) {
                chunks.append(index)
                continue
            }
            guard let store else {
                chunks.append(memo.remember(read(chunk, language: language, memo: &memo), for: key, language: language))
                continue
            }
            let index = store.withMemo { global in
                let number = global.reading(of: key, language: language)
                    ?? global.remember(read(chunk, language: language, memo: &global), for: key, language: language)
                return memo.adopt(number, from: &global)
            }
            memo.remember(reading: index, for: key, language: language)
            chunks.append(index)
        }
        if recorded >= 0 {
            if byBytes != nil && given == nil && stream.starts.count - recorded == chunks.count {
                BatchedAppends.appending(to: &stream.readings) { readings in
                    for index in chunks { readings.append(Int32(index)) }
                }
                stream.texts.append(recorded..<stream.readings.count)
            } else {
                stream.starts.removeLast(stream.starts.count - recorded)
                stream.ends.removeLast(stream.ends.count - recorded)
                stream.texts.append(nil)
            }
            stream.languages.append(language)
            stream.origin = memo.origin
        }
        // The chunks' ids as the paragraph's reading gathered them, when a sentence takes its
        // paragraph's chunks and no words: only chunks holding numbers, dates or a month name
        // are looked up, for those.
        if !words, let given, let givenIDs = given.ids, let store {
            ids.append(contentsOf: givenIDs)
            var gathered: [Int] = []
            for (k, end) in given.idEnds.enumerated() where end.gathers { gathered.append(chunks[k]) }
            if !gathered.isEmpty {
                namesMonth = store.withMemo { global in memo.gatherNumbers(gathered, from: &global, numbers: &numbers, dates: &dates) }
            }
        } else if let store, chunks.contains(where: { $0 < 0 }) {
            // Each recorded chunk's end among the stream's ids: this text's ids follow the
            // stream's, after those the text holds before its chunks' (punctuation, marker).
            let marking = recorded >= 0 && stream.keepsIDs && stream.texts.last! != nil
            let prefix = ids.count
            let firstEnd = stream.idEnds.count
            if marking { stream.idEnds.append(contentsOf: repeatElement(ChunkStream.ChunkIDs(end: 0, gathers: false), count: chunks.count)) }
            let markOffset = Int32(stream.ids.count - prefix)
            namesMonth = stream.idEnds.withUnsafeMutableBufferPointer { marks in
                store.withMemo { global in
                    memo.gather(
                        chunks, from: &global, words: words, ids: &ids, wordIDs: &wordIDs, numbers: &numbers, dates: &dates,
                        marks: marking ? marks.baseAddress! + firstEnd : nil, markOffset: markOffset)
                }
            }
            if marking {
                ids.withUnsafeBufferPointer { stream.ids.append(contentsOf: UnsafeBufferPointer(rebasing: $0[prefix...])) }
            }
        } else {
        // (Chunks recorded here without their ids: the stream keeps none from now on.)
        if recorded >= 0 && stream.texts.last! != nil { stream.keepsIDs = false }
        // Through a pointer to each reading: `memo.readings[index]` would copy the whole reading
        // (a retain and a release for each of its arrays) at every field read.
        // The readings and their id lists loaded ahead, as the chunk table's entries were.
        memo.touchReadings(chunks, words: words)
        memo.readings.withUnsafeBufferPointer { readings in
            memo.readingAnchors.withUnsafeBufferPointer { anchors in
                memo.readingWords.withUnsafeBufferPointer { wordStore in
                    for index in chunks {
                        let reading = readings.baseAddress! + index
                        ids.append(contentsOf: UnsafeBufferPointer(rebasing: anchors[reading.pointee.anchors]))
                        // (Most chunks hold neither: no iterator over an empty list.)
                        if reading.pointee.numbersAndDates != 0 {
                            let held = memo.readingNumbers[Int(reading.pointee.numbersAndDates) - 1]
                            numbers.insertGathered(held.numbers)
                            dates.insertGathered(held.dates)
                        }
                        if words { wordIDs.append(contentsOf: UnsafeBufferPointer(rebasing: wordStore[reading.pointee.words])) }
                        namesMonth = namesMonth || reading.pointee.namesMonth
                    }
                }
            }
        }
        }
        // Date patterns span chunks ("14 de octubre de 2024"); only texts naming a month have one.
        if namesMonth { extractDates(memo.tokens(ofReadings: chunks), into: &dates, ids: &ids, memo: &memo) }
        Self.sortDistinct(&ids, bits: &memo.scratchBits)
        if !wordIDs.isEmpty { Self.sortDistinct(&wordIDs, bits: &memo.scratchBits) }
        if let columns {
            columns.pointee.append(anchorIDs: ids, wordIDs: wordIDs, counts: counts, numbers: numbers, dates: dates, memo: memo)
            memo.scratch = WordMemo.Scratch(ids: ids, wordIDs: wordIDs, chunks: chunks, pending: pending, spans: spans)
            return nil
        }
        let anchors = memo.anchorSet(Self.copy(ids))
        let wordSet = wordIDs.isEmpty ? WordSet() : memo.wordSet(Self.copy(wordIDs))
        memo.scratch = WordMemo.Scratch(ids: ids, wordIDs: wordIDs, chunks: chunks, pending: pending, spans: spans)
        return TextFeatures(
            TextFeatures.Fields(anchors: anchors, numbers: numbers, dates: dates, counts: counts, words: wordSet))
    }

    /// Classes of ASCII bytes for the scan in `features`: white space, letter (its bit the
    /// count added), ? ! : ; (each its own bit).
    private static let spaceClass: UInt8 = 1 << 7
    private static let letterClass: UInt8 = 1
    private static let colonClass: UInt8 = 1 << 4
    private static let semicolonClass: UInt8 = 1 << 5
    private static let asciiClasses: [UInt8] = (0..<128).map { b -> UInt8 in
        if b == 0x20 || (b >= 0x09 && b <= 0x0D) { return spaceClass }
        if b | 0x20 >= 0x61 && b | 0x20 <= 0x7A { return letterClass }
        switch UInt8(b) {
        case UInt8(ascii: "?"): return 1 << 2
        case UInt8(ascii: "!"): return 1 << 3
        case UInt8(ascii: ":"): return colonClass
        case UInt8(ascii: ";"): return semicolonClass
        default: return 0
        }
    }

    /// The high bit of each byte of a word.
    private static let highBits: UInt64 = 0x8080_8080_8080_8080
    private static let lowBits: UInt64 = 0x0101_0101_0101_0101

    /// Per byte of `word` (ASCII bytes only), its high bit set where the byte equals `byte`.
    @inline(__always)
    private static func equalBytes(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let x = word ^ (lowBits &* UInt64(byte))
        return ~(((x & ~highBits) &+ ~highBits) | x) & highBits
    }

    /// Per byte of `word` (ASCII bytes only), its high bit set where the byte is `byte` or more.
    @inline(__always)
    private static func bytesAtLeast(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        (word &+ lowBits &* UInt64(0x80 - byte)) & highBits  // below 0x80 + 0x80: no carry between bytes
    }

    /// The byte loop of `features` for the first `count` bytes of `word` (little-endian, ASCII),
    /// at `k` in the text, on all of them at once: white space, letters and marks by bit masks
    /// (the classes of `asciiClasses`), chunks at each change between space and not. Only the
    /// counted bytes' own bits are read: a byte above them (non-ASCII) may carry into none.
    @inline(__always)
    private static func countASCII(
        _ word: UInt64, count: Int, at k: Int, into counts: inout TextCounts, marks: inout UInt8, start: inout Int,
        spans: inout BatchedAppends<WordMemo.ChunkSpan>, wantsSpans: Bool
    ) {
        let valid = count == 8 ? highBits : highBits & ((1 << UInt64(count * 8)) &- 1)
        let space = (equalBytes(word, 0x20) | (bytesAtLeast(word, 0x09) & ~bytesAtLeast(word, 0x0E))) & valid
        let folded = word | lowBits &* 0x20
        let letters = bytesAtLeast(folded, 0x61) & ~bytesAtLeast(folded, 0x7B) & valid
        counts.length &+= count &- space.nonzeroBitCount
        counts.letterCount &+= letters.nonzeroBitCount
        counts.questionMarks &+= (equalBytes(word, UInt8(ascii: "?")) & valid).nonzeroBitCount
        counts.exclamationMarks &+= (equalBytes(word, UInt8(ascii: "!")) & valid).nonzeroBitCount
        if equalBytes(word, UInt8(ascii: ":")) & valid != 0 { marks |= colonClass }
        if equalBytes(word, UInt8(ascii: ";")) & valid != 0 { marks |= semicolonClass }
        // The bytes where space gives way to the rest or back, the byte before the first
        // standing as `start` says (no chunk open: space).
        var changes = (space ^ (space << 8 | (start < 0 ? 0x80 : 0))) & valid
        while changes != 0 {
            let bit = changes & (0 &- changes)
            let at = k + bit.trailingZeroBitCount >> 3
            if space & bit != 0 {
                if wantsSpans { spans.append((Int32(start), Int32(at), 0)) }
                start = -1
            } else {
                start = at
            }
            changes &= changes &- 1
        }
    }

    /// A fresh array of `ids`, exactly as long (`Array(ids)` would share the scratch's buffer,
    /// which the next text would then have to grow anew). From a buffer pointer: the
    /// standard library's `[Int32](unsafeUninitializedCapacity:)` is a prespecialization that
    /// looks its array type's metadata up in the runtime's table at every call.
    @inline(__always)
    static func copy(_ ids: [Int32]) -> [Int32] {
        ids.withUnsafeBufferPointer { Array($0) }
    }

    /// Adds one scalar to a text's length, letter and mark counts.
    @inline(__always)
    private static func count(_ scalar: Unicode.Scalar, into features: inout TextCounts, simple: inout Bool) {
        if simple && !isSingleScalarCharacter(scalar) { simple = false }
        if TextNormalization.isWhitespace(scalar) { return }
        features.length += 1
        if TextNormalization.isLetter(scalar) { features.letterCount += 1 }
        switch scalar {
        case "?": features.questionMarks += 1
        case "¿": features.invertedQuestionMarks += 1
        case "!": features.exclamationMarks += 1
        case "¡": features.invertedExclamationMarks += 1
        default: break
        }
    }

    /// `sortDistinct` for non-negative ids, through bits (`IDBits`) when their span allows;
    /// the quicksort otherwise. `bits`: all zero, and stays so.
    static func sortDistinct(_ ids: inout [Int32], bits: inout IDBits) {
        guard ids.count > 1 else { return }
        guard ids.count > IDBits.minimumCount else {
            sortDistinct(&ids)
            return
        }
        var low = Int32.max
        var high = Int32.min
        for id in ids {
            low = min(low, id)
            high = max(high, id)
        }
        let span = Int(high) - Int(low) + 1
        guard low >= 0, span <= IDBits.maximumSpan, span <= 4_096 * (ids.count + 16) else {
            sortDistinct(&ids)
            return
        }
        let count = ids.withUnsafeMutableBufferPointer { bits.sortDistinct($0, low: low, span: span).count }
        ids.removeLast(ids.count - count)
    }

    static func sortDistinct(_ ids: inout [Int32]) {
        SortedIDs.sort(&ids)
        // Through a buffer: an element written in a loop checked the array's uniqueness (a
        // runtime call) every time.
        let distinct = ids.withUnsafeMutableBufferPointer { ids in
            var distinct = 0
            for k in ids.indices where k == 0 || ids[k] != ids[k - 1] {
                ids[distinct] = ids[k]
                distinct += 1
            }
            return distinct
        }
        ids.removeLast(ids.count - distinct)
    }

    /// Everything one chunk contributes: URL, numeric date or document symbol, then its
    /// numbers and words with their anchors, and the tokens for date patterns.
    /// `bytes`: the chunk's UTF-8, when its scalars are all single-scalar Characters.
    private func read(_ chunk: Substring, bytes: UnsafeBufferPointer<UInt8>? = nil, language: LanguageKind, memo: inout WordMemo) -> ChunkReading {
        var reading = memo.freshReading()
        let simple = bytes != nil || chunk.unicodeScalars.allSatisfy(Self.isSingleScalarCharacter)
        let trimmed = bytes.map { Self.trimPunctuation(chunk, bytes: $0) } ?? (simple ? Self.trimPunctuationScalars(chunk) : Self.trimPunctuation(chunk))
        if trimmed.isEmpty {
            reading.tokens.append(.separator)
            return reading
        }
        // The chunk's bytes scanned once by memchr: no "@" and no "/" (most chunks) rule out a
        // URL not starting with a URL prefix and a code, without walking the substring.
        let (mayHoldAt, mayHoldSlash) = bytes.map { bytes in
            (memchr(bytes.baseAddress!, 0x40, bytes.count) != nil, memchr(bytes.baseAddress!, 0x2F, bytes.count) != nil)
        } ?? (true, true)
        if Self.isURL(trimmed, mayHoldAt: mayHoldAt) {
            var url = trimmed.lowercased()
            for prefix in ["https://", "http://", "ftp://"] where url.hasPrefix(prefix) { url.removeFirst(prefix.count) }
            while url.hasSuffix("/") { url.removeLast() }
            reading.anchors.append(memo.id(of: AnchorKey(kind: .url, value: url)))
            reading.tokens.append(.separator)
            return reading
        }
        // A numeric date starts with a digit: most chunks are ruled out at their first byte.
        if let first = trimmed.utf8.first, first >= 0x30 && first <= 0x39, let date = Self.numericDate(trimmed, language: language) {
            reading.anchors.append(memo.id(of: AnchorKey(kind: .date, value: date.monthDay)))
            reading.dates.append(date.full)
            reading.tokens.append(.separator)
            return reading
        }
        if mayHoldSlash && Self.isCode(trimmed) {
            reading.anchors.append(memo.id(of: AnchorKey(kind: .code, value: trimmed.uppercased())))
        }
        var tokens = reading.tokens  // (its room, kept by the memo; the reading's own list is filled at the end)
        reading.tokens = []
        if let bytes {
            readTokens(bytes, language: language, into: &tokens, reading: &reading, memo: &memo)
        } else {
            tokenize(chunk, language: language, into: &tokens)
        }
        // Sentence and clause ends separate tokens for date patterns; commas do not ("October 14, 2024").
        if simple {  // the last scalar is the last Character
            switch bytes.map({ Self.scalar(endingAt: $0.count, in: $0) }) ?? chunk.unicodeScalars.last {
            case ".", ";", ":", "!", "?", ")", "”", "\"", "»": tokens.append(.separator)
            default: break
            }
        } else if chunk.last.map({ ".;:!?)”\"»".contains($0) }) == true {
            tokens.append(.separator)
        }
        // Numbers and words (read with their anchors already from bytes).
        for token in bytes == nil ? tokens : [] {
            switch token {
            case .number(let value, let digits):
                reading.numbers.append(value)
                if value.contains(":") || value.filter({ $0 == "." }).count > 1 {
                    reading.anchors.append(memo.id(of: AnchorKey(kind: .version, value: value)))
                } else {
                    reading.anchors.append(memo.id(of: AnchorKey(kind: digits >= 2 ? .number : .smallNumber, value: value)))
                }
            case .word(let folded, _, let month, let name):
                addWordAnchors(folded: folded, name: name, language: language, into: &reading, memo: &memo)
                if month != nil { reading.namesMonth = true }
            case .separator:
                break
            }
        }
        reading.tokens = tokens
        return reading
    }

    /// A word's own anchor (name or plain word), its cognate key and translations, and the word
    /// itself for the lexicon: all worked out once per distinct word and language.
    private func addWordAnchors(folded: String, name: Bool, language: LanguageKind, into reading: inout ChunkReading, memo: inout WordMemo) {
        Self.add(wordAnchorIDs(folded: folded, language: language, memo: &memo), name: name, into: &reading)
    }

    /// The memo ids of a folded word's anchors, worked out on its first sight.
    private func wordAnchorIDs(folded: String, language: LanguageKind, memo: inout WordMemo) -> WordMemo.Anchors {
        let entry = memo.foldedEntry(folded)
        if let known = memo.anchors(ofFolded: entry, language: language) { return known }
        let scalarCount = folded.unicodeScalars.count
        guard scalarCount >= 2 else {
            let none = WordMemo.Anchors(cognate: nil, translations: [], name: -1, plain: -1, word: -1)
            memo.remember(none, ofFolded: entry, language: language)
            return none
        }
        let computed = wordAnchors(folded: folded, language: language)
        // The new word's keys are looked for in the memo's key table one after the other; their
        // slots loaded first, the look-ups do not wait for one miss after another.
        memo.touchKeys(cognate: computed.cognate, translations: computed.translations)
        // Ids in this order (cognate, translations, the word's own): the order of first sight.
        let cognate = computed.cognate.map { memo.id(of: AnchorKey(kind: .cognate, value: $0)) }
        let translations = computed.translations.map { memo.id(of: AnchorKey(kind: .translation, value: $0)) }
        let own = memo.ownIDs(ofFolded: folded, entry: entry, withWordID: scalarCount >= 3)
        let ids = WordMemo.Anchors(cognate: cognate, translations: translations, name: own.name, plain: own.plain, word: own.word)
        memo.remember(ids, ofFolded: entry, language: language)
        return ids
    }

    @inline(__always)
    private static func add(_ known: WordMemo.Anchors, name: Bool, into reading: inout ChunkReading) {
        guard known.name >= 0 else { return }  // one letter: no anchor
        reading.anchors.append(name ? known.name : known.plain)
        if known.word >= 0 { reading.words.append(known.word) }
        if let skeleton = known.cognate { reading.anchors.append(skeleton) }
        reading.anchors.append(contentsOf: known.translations)
    }

    /// Capitalized, or two capitals or more (MSS, iPhone).
    private static func looksLikeName(_ original: ArraySlice<Unicode.Scalar>) -> Bool {
        var upper = 0
        for (k, scalar) in original.enumerated() where TextNormalization.isUppercase(scalar) {
            if k == 0 { return true }
            upper += 1
            if upper >= 2 { return true }
        }
        return false
    }

    /// The anchors a folded word brings besides itself: its cognate key and its dictionary translations.
    private func wordAnchors(folded: String, language: LanguageKind) -> (cognate: String?, translations: [String]) {
        let stem = TextNormalization.stem(folded: folded, language: language)
        var translations: [String] = []
        switch language {
        case .english:
            if dictionary.englishStems.contains(stem) { translations = [stem] } else if dictionary.englishStems.contains(folded) { translations = [folded] }
        case .spanish:
            translations = dictionary.spanishToEnglish[folded] ?? []
            if translations.isEmpty { translations = dictionary.spanishToEnglish[stem] ?? [] }
        }
        return (TextNormalization.cognateKey(folded: folded), translations)
    }

    /// `tokenize` followed by each token's anchors, on the UTF-8 of a chunk of single-scalar
    /// Characters: a word already met as written is one table lookup on its bytes (no String,
    /// no folding); its token and anchor ids are the ones its first sight gave.
    private func readTokens(
        _ bytes: UnsafeBufferPointer<UInt8>, language: LanguageKind, into tokens: inout [AnchorToken], reading: inout ChunkReading,
        memo: inout WordMemo
    ) {
        var i = 0
        let n = bytes.count
        while i < n {
            let (s, width) = Self.scalar(at: i, in: bytes)
            if TextNormalization.isDigit(s) {
                // Digits and the separators . , : are ASCII: the number is a byte run.
                var j = i
                var digits = 0
                while j < n {
                    let b = bytes[j]
                    if b >= 0x30 && b <= 0x39 { j += 1; digits += 1; continue }
                    if (b == UInt8(ascii: ".") || b == UInt8(ascii: ",") || b == UInt8(ascii: ":")) && j + 1 < n
                        && bytes[j + 1] >= 0x30 && bytes[j + 1] <= 0x39
                    {
                        j += 1
                        continue
                    }
                    break
                }
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<j]), as: UTF8.self)
                let value = Self.normalizeNumber(text, language: language)
                tokens.append(.number(value: value, digits: digits))
                reading.numbers.append(value)
                if value.utf8.contains(UInt8(ascii: ":")) || value.utf8.lazy.filter({ $0 == UInt8(ascii: ".") }).count > 1 {
                    reading.anchors.append(memo.id(of: AnchorKey(kind: .version, value: value)))
                } else {
                    reading.anchors.append(memo.id(of: AnchorKey(kind: digits >= 2 ? .number : .smallNumber, value: value)))
                }
                // Ordinal suffixes (30th, 1st, 2.º, 1ª) belong to the number.
                var k = j
                if k < n, bytes[k] == UInt8(ascii: ".") { k += 1 }
                let suffixStart = k
                var suffixScalars = 0
                while k < n {
                    let (c, w) = Self.scalar(at: k, in: bytes)
                    guard TextNormalization.isLetter(c) || c == "º" || c == "ª" else { break }
                    k += w
                    suffixScalars += 1
                }
                if suffixScalars > 0, suffixScalars <= 2,
                    Self.ordinalSuffixes.contains(String(decoding: UnsafeBufferPointer(rebasing: bytes[suffixStart..<k]), as: UTF8.self).lowercased())
                {
                    i = k
                } else {
                    i = j
                }
            } else if TextNormalization.isLetter(s) {
                var j = i + width
                var ascii = width == 1
                while j < n {
                    let (c, w) = Self.scalar(at: j, in: bytes)
                    guard TextNormalization.isLetter(c) else { break }
                    if w > 1 { ascii = false }
                    j += w
                }
                let original = UnsafeBufferPointer(rebasing: bytes[i..<j])
                let probe = memo.spelling(ofBytes: original, language: language)
                if let number = probe.value {
                    // A known spelling read in place: a copy retained and released its
                    // token's string and its translations.
                    memo.withSpelling(number) { known in
                        tokens.append(known.pointee.token)
                        if case .word(_, _, let month, let name) = known.pointee.token {
                            Self.add(known.pointee.anchors, name: name, into: &reading)
                            if month != nil { reading.namesMonth = true }
                        }
                    }
                    i = j
                    continue
                }
                let spelling = newSpelling(original, ascii: ascii, language: language, memo: &memo)
                memo.remember(spelling, forBytes: original, language: language, after: probe)
                tokens.append(spelling.token)
                if case .word(_, _, let month, let name) = spelling.token {
                    Self.add(spelling.anchors, name: name, into: &reading)
                    if month != nil { reading.namesMonth = true }
                }
                i = j
            } else {
                i += width
            }
        }
    }

    /// The token and anchors of a letter run first met as written.
    private func newSpelling(_ original: UnsafeBufferPointer<UInt8>, ascii: Bool, language: LanguageKind, memo: inout WordMemo) -> WordMemo.Spelling {
        let folded: String
        var capitalized = false
        var name = false
        if ascii {
            folded = String(unsafeUninitializedCapacity: original.count) { out in
                for (k, b) in original.enumerated() { out[k] = b >= 0x41 && b <= 0x5A ? b + 32 : b }
                return original.count
            }
            var upper = 0
            for (k, b) in original.enumerated() where b >= 0x41 && b <= 0x5A {
                if k == 0 { capitalized = true; name = true; break }
                upper += 1
                if upper >= 2 { name = true; break }
            }
        } else {
            // On the bytes: no list of the scalars, no scalar-by-scalar string.
            folded = TextNormalization.fold(utf8: original)
            // `looksLikeName` and the first scalar's case, in one pass.
            var k = 0
            var first = true
            var upper = 0
            while k < original.count {
                let (c, w) = Self.scalar(at: k, in: original)
                if TextNormalization.isUppercase(c) {
                    if first { capitalized = true; name = true; break }
                    upper += 1
                    if upper >= 2 { name = true; break }
                }
                first = false
                k += w
            }
        }
        let token = AnchorToken.word(folded: folded, capitalized: capitalized, month: Self.month(folded), name: name)
        return WordMemo.Spelling(token: token, anchors: wordAnchorIDs(folded: folded, language: language, memo: &memo))
    }

    /// Splits a chunk into words (letter runs) and numbers (digit runs with inner separators).
    private func tokenize(_ chunk: Substring, language: LanguageKind, into tokens: inout [AnchorToken]) {
        let scalars = Array(chunk.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            if TextNormalization.isDigit(s) {
                var j = i
                while j < scalars.count {
                    if TextNormalization.isDigit(scalars[j]) { j += 1; continue }
                    if (scalars[j] == "." || scalars[j] == "," || scalars[j] == ":") && j + 1 < scalars.count
                        && TextNormalization.isDigit(scalars[j + 1])
                    {
                        j += 1
                        continue
                    }
                    break
                }
                var raw = String.UnicodeScalarView()
                raw.append(contentsOf: scalars[i..<j])
                let text = String(raw)
                tokens.append(.number(value: Self.normalizeNumber(text, language: language), digits: text.filter(\.isNumber).count))
                // Ordinal suffixes (30th, 1st, 2.º, 1ª) belong to the number.
                var k = j
                if k < scalars.count, scalars[k] == "." { k += 1 }
                let suffixStart = k
                while k < scalars.count, TextNormalization.isLetter(scalars[k]) || scalars[k] == "º" || scalars[k] == "ª" { k += 1 }
                var suffix = String.UnicodeScalarView()
                suffix.append(contentsOf: scalars[suffixStart..<k])
                if k > suffixStart, k - suffixStart <= 2, Self.ordinalSuffixes.contains(String(suffix).lowercased()) {
                    i = k
                } else {
                    i = j
                }
            } else if TextNormalization.isLetter(s) {
                var j = i
                while j < scalars.count {
                    if TextNormalization.isLetter(scalars[j]) { j += 1; continue }
                    // Inner hyphens and apostrophes are kept only in the original; words split there.
                    break
                }
                let original = scalars[i..<j]
                var foldedScalars = String.UnicodeScalarView()
                for scalar in original { if let f = TextNormalization.foldScalar(scalar) { foldedScalars.append(f) } }
                let folded = String(foldedScalars)
                // The word's own anchor (added with its other anchors): a name when capitalized
                // or with two capitals (MSS, iPhone).
                tokens.append(
                    .word(folded: folded, capitalized: TextNormalization.isUppercase(scalars[i]), month: Self.month(folded),
                        name: Self.looksLikeName(original)))
                i = j
            } else {
                i += 1
            }
        }
    }

    private static let ordinalSuffixes: Set<String> = ["st", "nd", "rd", "th", "º", "ª", "o", "a", "er", "ro", "do", "to", "vo", "no", "mo"]

    /// `monthNames[folded]`, skipping the lookup for words no month name can be.
    @inline(__always)
    private static func month(_ folded: String) -> Int? {
        let utf8 = folded.utf8
        guard utf8.count >= 3, utf8.count <= 10 else { return nil }
        switch utf8.first! {
        case UInt8(ascii: "j"), UInt8(ascii: "f"), UInt8(ascii: "m"), UInt8(ascii: "a"), UInt8(ascii: "s"), UInt8(ascii: "o"),
            UInt8(ascii: "n"), UInt8(ascii: "d"), UInt8(ascii: "e"):
            return monthNames[folded]
        default: return nil
        }
    }

    // MARK: - Numbers

    /// Canonical decimal form of a number written in either convention: integer digits,
    /// then `.` and the fraction if any. Groups that are not thousands (1.2.3) stay as written.
    static func normalizeNumber(_ raw: String, language: LanguageKind) -> String {
        // ASCII digits only (most numbers): leading zeros stripped on the bytes.
        if let plain = raw.utf8.withContiguousStorageIfAvailable({ bytes -> String? in
            var firstKept = -1
            for (k, b) in bytes.enumerated() {
                guard b >= 0x30 && b <= 0x39 else { return nil }
                if firstKept < 0 && b != 0x30 { firstKept = k }
            }
            return firstKept < 0 ? "0" : firstKept == 0 ? raw : String(decoding: UnsafeBufferPointer(rebasing: bytes[firstKept...]), as: UTF8.self)
        }), let plain {
            return plain
        }
        if let normalized = raw.utf8.withContiguousStorageIfAvailable({ asciiNormalizeNumber($0, raw: raw, language: language) }),
            let normalized
        {
            return normalized
        }
        return characterNormalizeNumber(raw, language: language)
    }

    /// `normalizeNumber` of ASCII digits and separators (. , :) on their bytes, where the
    /// Character version's `contains`, `filter`, `split` and `Set` (Foundation's string search
    /// among them) cost more than reading the number; nil for any other text, or a shape the
    /// Character version alone handles (one separator with no digits after it).
    private static func asciiNormalizeNumber(_ b: UnsafeBufferPointer<UInt8>, raw: String, language: LanguageKind) -> String? {
        var dots = 0
        var commas = 0
        var last = -1
        // The digit runs between separators (`split` leaves out empty ones).
        var groups: [Range<Int>] = []
        var start = 0
        for k in 0...b.count {
            if k < b.count {
                let c = b[k]
                if c == UInt8(ascii: ":") { return raw }
                if c >= 0x30 && c <= 0x39 { continue }
                guard c == UInt8(ascii: ".") || c == UInt8(ascii: ",") else { return nil }
                if c == UInt8(ascii: ".") { dots += 1 } else { commas += 1 }
                last = k
            }
            if k > start { groups.append(start..<k) }
            start = k + 1
        }
        guard !groups.isEmpty else { return nil }
        func digitsWithoutLeadingZeros(_ runs: [Range<Int>], into out: UnsafeMutableBufferPointer<UInt8>, at n: inout Int) {
            let first = n
            for run in runs {
                for k in run where b[k] != UInt8(ascii: "0") || n > first {
                    out[n] = b[k]
                    n += 1
                }
            }
            if n == first {
                out[n] = UInt8(ascii: "0")
                n += 1
            }
        }
        let separators = dots + commas
        if separators == 0 {
            return String(unsafeUninitializedCapacity: b.count + 1) { out in
                var n = 0
                digitsWithoutLeadingZeros([0..<b.count], into: out, at: &n)
                return n
            }
        }
        if dots > 0 && commas > 0 {
            // Both: the last separator is the decimal one; the integer part is the digits before it.
            let integer = (0..<last).filter { b[$0] >= 0x30 && b[$0] <= 0x39 }
            return String(unsafeUninitializedCapacity: b.count + 1) { out in
                var n = 0
                digitsWithoutLeadingZeros(integer.map { $0..<$0 + 1 }, into: out, at: &n)
                out[n] = UInt8(ascii: ".")
                n += 1
                for k in last + 1..<b.count {
                    out[n] = b[k]
                    n += 1
                }
                return n
            }
        }
        let thousandsShape = groups.dropFirst().allSatisfy { $0.count == 3 } && groups[0].count <= 3
        if separators > 1 && !thousandsShape { return raw }
        // One separator: thousands if the convention says so, else decimal.
        let isThousands = separators > 1 || (language == .english ? commas > 0 && thousandsShape : thousandsShape)
        if !isThousands && groups.count < 2 { return nil }
        return String(unsafeUninitializedCapacity: b.count + 1) { out in
            var n = 0
            digitsWithoutLeadingZeros(isThousands ? groups : [groups[0]], into: out, at: &n)
            if !isThousands {
                out[n] = UInt8(ascii: ".")
                n += 1
                for k in groups[1] {
                    out[n] = b[k]
                    n += 1
                }
            }
            return n
        }
    }

    /// `normalizeNumber` on Characters, for any text.
    static func characterNormalizeNumber(_ raw: String, language: LanguageKind) -> String {
        if raw.contains(":") { return raw }
        let separators = raw.filter { $0 == "." || $0 == "," }
        if separators.isEmpty { return stripLeadingZeros(raw) }
        let groups = raw.split(whereSeparator: { $0 == "." || $0 == "," }).map(String.init)
        // Separators alone (".", ",,"): nothing to read.
        if groups.isEmpty { return raw }
        let distinct = Set(separators)
        if distinct.count == 2 {
            // Both: the last separator is the decimal one.
            let decimal = raw.last(where: { $0 == "." || $0 == "," })!
            let parts = raw.split(separator: decimal, omittingEmptySubsequences: false)
            let integer = parts.dropLast().joined().filter(\.isNumber)
            return stripLeadingZeros(integer) + "." + parts.last!
        }
        let separator = distinct.first!
        let thousandsShape = groups.dropFirst().allSatisfy { $0.count == 3 } && groups[0].count <= 3
        if separators.count > 1 {
            return thousandsShape ? stripLeadingZeros(groups.joined()) : raw
        }
        // One separator: thousands if the convention says so, else decimal.
        let isThousands: Bool
        switch (language, separator) {
        case (.english, ","): isThousands = thousandsShape
        case (.english, _): isThousands = false
        case (.spanish, "."): isThousands = thousandsShape
        case (.spanish, _): isThousands = thousandsShape  // 1,234 in Mexican style; 3,5 stays decimal
        }
        if isThousands { return stripLeadingZeros(groups.joined()) }
        // A separator at either end ("5.", ".5") leaves one group: read it by its side.
        let parts = raw.split(separator: separator, omittingEmptySubsequences: false)
        let fraction = parts[1]
        return fraction.isEmpty ? stripLeadingZeros(String(parts[0])) : stripLeadingZeros(String(parts[0])) + "." + fraction
    }

    private static func stripLeadingZeros(_ s: String) -> String {
        let stripped = s.drop(while: { $0 == "0" })
        return stripped.isEmpty ? "0" : String(stripped)
    }

    // MARK: - Dates

    static let monthNames: [String: Int] = {
        var map: [String: Int] = [:]
        let english = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
        let spanish = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"]
        for (i, name) in english.enumerated() { map[name] = i + 1 }
        for (i, name) in spanish.enumerated() { map[name] = i + 1 }
        map["setiembre"] = 9
        for (abbr, n) in [("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("jun", 6), ("jul", 7), ("aug", 8), ("sep", 9), ("sept", 9), ("oct", 10), ("nov", 11), ("dec", 12), ("ene", 1), ("abr", 4), ("ago", 8), ("dic", 12)] {
            map[abbr] = n
        }
        return map
    }()

    /// Finds day–month(–year) patterns in both languages' word orders.
    private func extractDates(_ tokens: [AnchorToken], into dates: inout Set<String>, ids: inout [Int32], memo: inout WordMemo) {
        func number(at i: Int) -> Int? {
            guard i >= 0, i < tokens.count, case .number(let v, _) = tokens[i], let n = Int(v) else { return nil }
            return n
        }
        func isWord(_ i: Int, _ words: Set<String>) -> Bool {
            guard i >= 0, i < tokens.count, case .word(let f, _, _, _) = tokens[i] else { return false }
            return words.contains(f)
        }
        for (i, token) in tokens.enumerated() {
            guard case .word(let folded, let capitalized, let month?, _) = token else { continue }
            // Short or ambiguous month words count only next to a day number.
            var day: Int?
            var yearIndex: Int?
            if let d = number(at: i + 1), (1...31).contains(d) {  // October 14(, 2024)
                day = d
                yearIndex = i + 2
            } else if let d = number(at: i - 1), (1...31).contains(d) {  // 14 October 2024
                day = d
                yearIndex = i + 1
            } else if isWord(i - 1, ["de"]), let d = number(at: i - 2), (1...31).contains(d) {  // 14 de octubre de 2024
                day = d
                yearIndex = isWord(i + 1, ["de", "del"]) ? i + 2 : i + 1
            }
            let isFullName = folded.count >= 5 || ["june", "july", "mayo", "junio", "julio"].contains(folded)
                || (folded == "may" && capitalized)
            guard let day else {
                if isFullName { ids.append(memo.id(of: AnchorKey(kind: .month, value: String(month)))) }
                continue
            }
            let monthDay = Self.twoDigits(month) + "-" + Self.twoDigits(day)
            ids.append(memo.id(of: AnchorKey(kind: .date, value: monthDay)))
            if let yi = yearIndex, let year = number(at: yi), (1000...2999).contains(year) {
                dates.insert("\(year)-\(monthDay)")
            } else {
                dates.insert(monthDay)
            }
        }
    }

    private static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// 2024-10-14, 14/10/2024 (Spanish day first), 10/14/2024 (English month first).
    static func numericDate(_ s: Substring, language: LanguageKind) -> (monthDay: String, full: String)? {
        // Only ASCII digits and the three separators, two of them, can make a date (cheap exact
        // filter: most chunks starting with a digit are plain numbers, not split for nothing).
        var separators = 0
        for b in s.utf8 {
            if b >= 0x30 && b <= 0x39 { continue }
            guard b == 0x2F || b == 0x2D || b == 0x2E else { return nil }
            separators += 1
        }
        guard separators == 2 else { return nil }
        let parts = s.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." })
        guard parts.count == 3, parts.allSatisfy({ part in !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        let numbers = parts.compactMap { Int($0) }
        var year: Int, month: Int, day: Int
        if parts[0].count == 4 {
            (year, month, day) = (numbers[0], numbers[1], numbers[2])
        } else if parts[2].count == 4 {
            year = numbers[2]
            (day, month) = language == .english ? (numbers[1], numbers[0]) : (numbers[0], numbers[1])
            if month > 12 && day <= 12 { swap(&month, &day) }
        } else {
            return nil
        }
        guard (1...12).contains(month), (1...31).contains(day), (1000...2999).contains(year) else { return nil }
        let monthDay = twoDigits(month) + "-" + twoDigits(day)
        return (monthDay, "\(year)-\(monthDay)")
    }

    // MARK: - Chunks

    private static let edgePunctuation: Set<Character> = [
        "\"", "'", "“", "”", "‘", "’", "«", "»", "(", ")", "[", "]", "{", "}", "<", ">", ",", ";", ":", ".", "!", "?",
        "¿", "¡", "—", "–", "-", "…", "*", "•",
    ]

    /// Scalars that always form a Character of their own (no combining mark, joiner or
    /// prepended mark can attach to them or to what follows them): most Latin text, with
    /// typographic quotes, dashes and currency signs, arrows, mathematical operators and
    /// geometric shapes (menu paths such as "Tools ▸ Options", "A → B", "−5": symbols of
    /// grapheme break class Other, none a mark; a text holding one was read Character by
    /// Character, several times slower). In text made of these, scalar boundaries are
    /// Character boundaries, so scalar-level splitting gives the same chunks.
    @inline(__always)
    static func isSingleScalarCharacter(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x300 { return true }
        return (0x2010...0x2027).contains(v) || (0x2030...0x205E).contains(v) || (0x20A0...0x20CF).contains(v) || (0x2190...0x22FF).contains(v)
            || (0x25A0...0x25FF).contains(v)
    }

    /// `scalarChunks` as byte ranges of the text's UTF-8.
    static func byteChunks(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var chunks: [Range<Int>] = []
        forEachByteChunk(bytes) { chunks.append($0) }
        return chunks
    }

    /// `body` on each of `byteChunks(bytes)` in order, without building the array.
    @inline(__always)
    static func forEachByteChunk(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        var k = 0
        var start = -1
        while k < bytes.count {
            let (scalar, width) = scalar(at: k, in: bytes)
            if TextNormalization.isWhitespace(scalar) {
                if start >= 0 { body(start..<k) }
                start = -1
            } else if start < 0 {
                start = k
            }
            k += width
        }
        if start >= 0 { body(start..<bytes.count) }
    }

    /// The scalar starting at byte `k` of valid UTF-8, and its length in bytes.
    @inline(__always)
    static func scalar(at k: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (Unicode.Scalar, Int) {
        let b0 = UInt32(bytes[k])
        if b0 < 0x80 { return (Unicode.Scalar(UInt8(b0)), 1) }
        if b0 < 0xE0 { return (Unicode.Scalar((b0 & 0x1F) << 6 | UInt32(bytes[k + 1]) & 0x3F)!, 2) }
        if b0 < 0xF0 {
            return (Unicode.Scalar((b0 & 0x0F) << 12 | (UInt32(bytes[k + 1]) & 0x3F) << 6 | UInt32(bytes[k + 2]) & 0x3F)!, 3)
        }
        let value = (b0 & 0x07) << 18 | (UInt32(bytes[k + 1]) & 0x3F) << 12 | (UInt32(bytes[k + 2]) & 0x3F) << 6 | UInt32(bytes[k + 3]) & 0x3F
        return (Unicode.Scalar(value)!, 4)
    }

    /// `text.split(whereSeparator: \.isWhitespace)` for text whose scalars are all single-scalar Characters.
    static func scalarChunks(_ text: Substring) -> [Substring] {
        var chunks: [Substring] = []
        let scalars = text.unicodeScalars
        var start: String.Index?
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let next = scalars.index(after: index)
            if TextNormalization.isWhitespace(scalars[index]) {
                if let s = start { chunks.append(text[s..<index]) }
                start = nil
            } else if start == nil {
                start = index
            }
            index = next
        }
        if let s = start { chunks.append(text[s..<scalars.endIndex]) }
        return chunks
    }

    private static func isEdgePunctuation(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "\"", "'", "“", "”", "‘", "’", "«", "»", "(", ")", "[", "]", "{", "}", "<", ">", ",", ";", ":", ".", "!", "?",
            "¿", "¡", "—", "–", "-", "…", "*", "•":
            true
        default: false
        }
    }

    /// `trimPunctuationScalars` of a chunk of single-scalar Characters whose UTF-8 is `bytes`:
    /// its edge scalars decoded from the bytes, not walked through the chunk's scalar view
    /// (an index check at each step).
    static func trimPunctuation(_ chunk: Substring, bytes: UnsafeBufferPointer<UInt8>) -> Substring {
        var low = 0
        var high = bytes.count
        while low < high {
            let (s, width) = scalar(at: low, in: bytes)
            guard isEdgePunctuation(s) else { break }
            low += width
        }
        while high > low, let s = scalar(endingAt: high, in: bytes), isEdgePunctuation(s) {
            high -= s.utf8.count
        }
        guard low > 0 || high < bytes.count else { return chunk }
        let start = chunk.utf8.index(chunk.startIndex, offsetBy: low)
        return chunk[start..<chunk.utf8.index(start, offsetBy: high - low)]
    }

    /// The scalar of valid UTF-8 `bytes` that ends at byte `end` (nil at 0).
    @inline(__always)
    static func scalar(endingAt end: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        guard end > 0 else { return nil }
        var start = end - 1
        while start > 0 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return scalar(at: start, in: bytes).0
    }

    /// `trimPunctuation` for a chunk whose scalars are all single-scalar Characters.
    static func trimPunctuationScalars(_ chunk: Substring) -> Substring {
        let scalars = chunk.unicodeScalars
        var low = scalars.startIndex
        var high = scalars.endIndex
        while low < high, isEdgePunctuation(scalars[low]) { low = scalars.index(after: low) }
        while high > low {
            let before = scalars.index(before: high)
            guard isEdgePunctuation(scalars[before]) else { break }
            high = before
        }
        return chunk[low..<high]
    }

    /// Whether `s` starts with the ASCII `prefix`, ignoring ASCII case.
    private static func hasASCIIPrefix(_ s: Substring, _ prefix: StaticString) -> Bool {
        let bytes = s.utf8
        guard bytes.count >= prefix.utf8CodeUnitCount else { return false }
        var index = bytes.startIndex
        for k in 0..<prefix.utf8CodeUnitCount {
            var b = bytes[index]
            if b >= 0x41 && b <= 0x5A { b += 32 }
            if b != prefix.utf8Start[k] { return false }
            index = bytes.index(after: index)
        }
        return true
    }

    static func trimPunctuation(_ chunk: Substring) -> Substring {
        var s = chunk
        while let f = s.first, edgePunctuation.contains(f) { s.removeFirst() }
        while let l = s.last, edgePunctuation.contains(l) { s.removeLast() }
        return s
    }

    /// `mayHoldAt`: false when the caller knows `s` holds no "@".
    static func isURL(_ s: Substring, mayHoldAt: Bool = true) -> Bool {
        // Cheap exact filter: a URL starts with one of the ASCII prefixes (any case) or holds an "@".
        // The prefixes start with h, f or w (any case): most chunks are ruled out at their first byte.
        let first = (s.utf8.first ?? 0) | 0x20
        let prefixed =
            (first == UInt8(ascii: "h") || first == UInt8(ascii: "f") || first == UInt8(ascii: "w"))
            && (hasASCIIPrefix(s, "http://") || hasASCIIPrefix(s, "https://") || hasASCIIPrefix(s, "ftp://") || hasASCIIPrefix(s, "www."))
        guard prefixed || (mayHoldAt && s.utf8.contains(UInt8(ascii: "@"))) else { return false }
        let lower = s.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("ftp://") || lower.hasPrefix("www.") {
            return true
        }
        if let at = s.firstIndex(of: "@"), s[s.index(after: at)...].contains("."), s.first != "@" { return true }
        return false
    }

    /// Document symbols: a slash or a letter–digit mix in capitals (S/2024/765, A/RES/78/1, CP/RES).
    static func isCode(_ s: Substring) -> Bool {
        guard s.utf8.contains(UInt8(ascii: "/")) else { return false }
        // ASCII without CR LF: each byte is a Character, digits are the only numbers, A–Z and
        // a–z the only cased letters (paths and URLs in technical text take this way).
        if let ascii = s.utf8.withContiguousStorageIfAvailable({ bytes -> Bool? in
            var hasDigit = false
            var hasUpper = false
            var previous: UInt8 = 0
            for b in bytes {
                if b >= 0x80 || (previous == 0x0D && b == 0x0A) { return nil }
                if b >= 0x61 && b <= 0x7A { return false }
                if b >= 0x30 && b <= 0x39 { hasDigit = true } else if b >= 0x41 && b <= 0x5A { hasUpper = true }
                previous = b
            }
            return (hasDigit || hasUpper) && bytes.count >= 3
        }), let ascii {
            return ascii
        }
        guard s.contains("/") else { return false }
        let hasDigit = s.contains(where: \.isNumber)
        let hasUpper = s.contains(where: \.isUppercase)
        let hasLower = s.contains(where: \.isLowercase)
        return (hasDigit || hasUpper) && !hasLower && s.count >= 3
    }

    static func normalizedMarker(_ marker: String) -> String? {
        let core = marker.filter { $0.isLetter || $0.isNumber }
        guard !core.isEmpty, core.count <= 6 else { return nil }
        return core.lowercased()
    }
}

/// Sorted, distinct anchor id lists (units' anchors, spans' unions).
enum SortedIDs {
    /// Sum of `weights[id]` over the ids both lists hold, added in increasing id order: every
    /// caller adds in that order, so coverages and similarities agree bit for bit.
    @inline(__always)
    static func sharedWeight<A: RandomAccessCollection<Int32>, B: RandomAccessCollection<Int32>, W: RandomAccessCollection<Double>>(
        _ a: A, _ b: B, weights: W
    ) -> Double where W.Index == Int {
        var i = a.startIndex
        var j = b.startIndex
        var shared = 0.0
        while i != a.endIndex && j != b.endIndex {
            let x = a[i]
            let y = b[j]
            if x == y {
                shared += weights[Int(x)]
                a.formIndex(after: &i)
                b.formIndex(after: &j)
            } else if x < y { a.formIndex(after: &i) } else { b.formIndex(after: &j) }
        }
        return shared
    }

    /// Sorts ids in increasing order, in place: quicksort (median of three) down to runs of 24,
    /// which insertion finishes. A text's or a unit's anchors are some ten to a few hundred
    /// ids, where the library's merge sort costs more in setting up and its buffer than in
    /// comparing. Integers: any sort gives the same order. Past a depth of 2 log2(n) (an
    /// adversarial order) the library's sort takes over.
    static func sort(_ ids: UnsafeMutableBufferPointer<Int32>) {
        guard let base = ids.baseAddress, ids.count > 1 else { return }
        var depth = 0
        var n = ids.count
        while n > 0 {
            depth += 2
            n >>= 1
        }
        quicksort(base, 0, ids.count, depth: depth)
    }

    private static func quicksort(_ p: UnsafeMutablePointer<Int32>, _ low: Int, _ high: Int, depth: Int) {
        var low = low
        var high = high
        var depth = depth
        while high - low > 24 {
            if depth == 0 {
                var rest = UnsafeMutableBufferPointer(start: p + low, count: high - low)
                rest.sort()
                return
            }
            depth -= 1
            let (a, b, c) = (p[low], p[low + (high - low) / 2], p[high - 1])
            let pivot = max(min(a, b), min(max(a, b), c))
            // Hoare's partition: [low, j] ≤ pivot ≤ [j + 1, high); with the median of three
            // as pivot, low ≤ j ≤ high − 2, so both parts shrink.
            var i = low - 1
            var j = high
            while true {
                repeat { i += 1 } while p[i] < pivot
                repeat { j -= 1 } while p[j] > pivot
                if i >= j { break }
                (p[i], p[j]) = (p[j], p[i])
            }
            // The smaller part by recursion, the larger by the loop: the stack stays logarithmic.
            if j + 1 - low < high - j - 1 {
                quicksort(p, low, j + 1, depth: depth)
                low = j + 1
            } else {
                quicksort(p, j + 1, high, depth: depth)
                high = j + 1
            }
        }
        var k = low + 1
        while k < high {
            let x = p[k]
            var slot = k
            while slot > low && p[slot - 1] > x {
                p[slot] = p[slot - 1]
                slot -= 1
            }
            p[slot] = x
            k += 1
        }
    }

    /// `sort` over an array.
    @inline(__always)
    static func sort(_ ids: inout [Int32]) {
        ids.withUnsafeMutableBufferPointer { sort($0) }
    }
}

/// Scratch for sorting non-negative ids through bits, kept from one list to the next and all
/// zero between uses: a bit per id (`words`) and a bit per non-empty word of those
/// (`summary`), so that reading the ids back in order skips empty words 64 at a time. Sorting
/// costs a few operations per id plus one per 4,096 ids of span, where a quicksort of a unit's
/// ids compares each some log2(n) times; and ids spread over a document's whole vocabulary (a
/// paragraph's common and rare words, a unit's table ids) sort as cheaply as close ones.
struct IDBits: Sendable {
    private var words: [UInt64] = []
    private var summary: [UInt64] = []

    /// Widest span sorted through bits (2 MB of words): beyond it, the caller sorts otherwise.
    static let maximumSpan = 1 << 24
    /// Lists this short are sorted by insertion (`SortedIDs.sort`), cheaper than touching the bits.
    static let minimumCount = 24

    /// No bit set (as between uses).
    var isClear: Bool { words.allSatisfy { $0 == 0 } && summary.allSatisfy { $0 == 0 } }

    /// Sets a bit per id of `ids` (each in `low ..< low + span`, span ≤ `maximumSpan`) and
    /// writes the distinct ids back in increasing order at the front of `ids`; returns how
    /// many. `allDistinct`: false when some id was repeated.
    mutating func sortDistinct(_ ids: UnsafeMutableBufferPointer<Int32>, low: Int32, span: Int) -> (count: Int, allDistinct: Bool) {
        let wordCount = (span + 63) >> 6
        let summaryCount = (wordCount + 63) >> 6
        if words.count < wordCount { words = [UInt64](repeating: 0, count: max(wordCount, 2 * words.count)) }
        if summary.count < summaryCount { summary = [UInt64](repeating: 0, count: max(summaryCount, 2 * summary.count)) }
        return words.withUnsafeMutableBufferPointer { words in
            summary.withUnsafeMutableBufferPointer { summary in
                var repeated: UInt64 = 0
                for id in ids {
                    let k = Int(id - low)
                    let w = k >> 6
                    let bit: UInt64 = 1 << UInt64(k & 63)
                    repeated |= words[w] & bit
                    words[w] |= bit
                    summary[w >> 6] |= 1 << UInt64(w & 63)
                }
                var n = 0
                for s in 0..<summaryCount {
                    var present = summary[s]
                    guard present != 0 else { continue }
                    summary[s] = 0
                    while present != 0 {
                        let w = s << 6 + present.trailingZeroBitCount
                        present &= present - 1
                        var x = words[w]
                        words[w] = 0
                        let base = low + Int32(w << 6)
                        while x != 0 {
                            ids[n] = base + Int32(x.trailingZeroBitCount)
                            n += 1
                            x &= x - 1
                        }
                    }
                }
                return (n, repeated == 0)
            }
        }
    }
}

/// Ids given in order of first sight. A key spelled in ASCII is found by its bytes (with a tag
/// telling kinds apart) in a `ByteTable`; any other key in a dictionary.
struct InternTable<Key: Hashable & Sendable>: Sendable {
    /// The keys by id, in the pages that sets read them from.
    private(set) var paged = MemoValues<Key>()
    /// The keys by id in one array as well, for a table that `keepsFlat` (a shared store's,
    /// whose keys catalogs read by the hundred at random ids: one load each, where a page
    /// took three).
    var values: [Key] {
        assert(keepsFlat, "a table's flat keys are kept only once asked for")
        return flat
    }
    private var flat: [Key] = []
    private(set) var keepsFlat = false
    /// How many keys have ids.
    var count: Int { paged.count }
    private var ids: [Key: Int32] = [:]
    private var asciiIDs = ByteTable()

    /// The id of `key`, whose text is `spelling`, if it has one.
    @inline(__always)
    func id(of key: Key, spelling: String, tag: UInt8) -> Int32? {
        switch WordMemo.ascii(spelling, { asciiIDs.value(of: $0, tag: tag) }) {
        case .some(let found): found
        case .none: ids[key]
        }
    }

    /// The id of `key`, given on first sight (`inserted`): `id(of:)` then `insert` in one lookup.
    @inline(__always)
    mutating func idOrInsert(_ key: Key, spelling: String, tag: UInt8) -> (id: Int32, inserted: Bool) {
        let next = Int32(paged.count)
        if let found = WordMemo.ascii(spelling, { asciiIDs.valueOrInsert(next, for: $0, tag: tag) }) {
            if found.inserted { add(key) }
            return (found.value, found.inserted)
        }
        if let id = ids[key] { return (id, false) }
        ids[key] = next
        add(key)
        return (next, true)
    }

    @inline(__always)
    private mutating func add(_ key: Key) {
        paged.append(key)
        if keepsFlat { flat.append(key) }
    }

    /// Keeps `values` from now on (the keys so far copied into it).
    mutating func keepFlat() {
        guard !keepsFlat else { return }
        flat = (0..<paged.count).map { paged[$0] }
        keepsFlat = true
    }

    /// Every key, in id order.
    var allValues: [Key] { (0..<paged.count).map { paged[$0] } }

    /// Loads the first slot where a key spelled `spelling` (ASCII) would be looked for.
    @inline(__always)
    func touch(spelling: String, tag: UInt8) -> UInt64 {
        WordMemo.ascii(spelling) { asciiIDs.firstSlot(hash: ByteTable.hash($0, tag)) } ?? 0
    }

    /// Gives `key` the next id without indexing it: for a table whose owner finds its keys'
    /// ids another way (a memo reading with a shared store maps the store's ids).
    @discardableResult
    mutating func append(_ key: Key) -> Int32 {
        add(key)
        return Int32(paged.count - 1)
    }

    /// Gives `key` (not yet known) the next id.
    mutating func insert(_ key: Key, spelling: String, tag: UInt8) -> Int32 {
        let id = Int32(paged.count)
        if WordMemo.ascii(spelling, { asciiIDs.insert(id, for: $0, tag: tag) }) == nil { ids[key] = id }
        add(key)
        return id
    }
}

extension Array {
    /// Room for `minimumCapacity` elements, grown as appending grows it (at least double) when
    /// short. A memo carried from one window of a long side to the next reserves its room on top
    /// of what it holds at every window: reserved exactly, each of its lists was copied into a
    /// slightly larger one at each of the long pair ×16's two hundred windows and groups, each
    /// freed copy a hole in the heap.
    mutating func reserveGrowing(_ minimumCapacity: Int) {
        if minimumCapacity > capacity { reserveCapacity(Swift.max(minimumCapacity, 2 * capacity)) }
    }
}
