import BitextCore
import Foundation

/// The shapes of links the search considers: English units × Spanish units.
struct LinkShape: Hashable, Sendable {
    var english: Int
    var spanish: Int

    static let all: [LinkShape] = [
        .init(english: 1, spanish: 1), .init(english: 1, spanish: 0), .init(english: 0, spanish: 1),
        .init(english: 2, spanish: 1), .init(english: 1, spanish: 2), .init(english: 2, spanish: 2),
        .init(english: 3, spanish: 1), .init(english: 1, spanish: 3),
    ]
    var isOmission: Bool { english == 0 || spanish == 0 }
}

/// The aligner's parameters. Length statistics and costs were estimated and tuned on the
/// development set (see BENCHMARKS.md, "Alignment", and scripts/align/): the Debian
/// maint-guide EN/ES HTML (package maint-guide 1.2.53 / maint-guide-es), gold 1-1 links only.
struct AlignmentParameters: Sendable {
    /// Spanish characters per English character (white space excluded).
    /// Estimated on the maint-guide dev set (913 gold 1-1 links, identical and preformatted
    /// pairs left out): Σ ES / Σ EN = 1.184 (`scripts/align/estimate_length.py`).
    var lengthRatio = 1.184
    /// Variance of (ES − ratio·EN) per English character (Gale–Church's s²), same data: 6.91.
    var lengthVariance = 6.91
    /// Costs per shape on top of the content and length terms (Gale–Church's priors make
    /// merges rarer than 1-1 links; the values were chosen by grid search on maint-guide,
    /// `scripts/align/tune.py`).
    var shapeCost: [LinkShape: Double] = [
        .init(english: 1, spanish: 1): 0.0,
        .init(english: 1, spanish: 0): 0.0,
        .init(english: 0, spanish: 1): 0.0,
        .init(english: 2, spanish: 1): 4.0,
        .init(english: 1, spanish: 2): 4.0,
        .init(english: 2, spanish: 2): 8.0,
        .init(english: 3, spanish: 1): 8.0,
        .init(english: 1, spanish: 3): 8.0,
    ]
    /// Cost of leaving one unit unaligned (1-0 or 0-1). 6.0 before the omission post-pass
    /// (OmissionRepair.swift); with it, maint-guide's grid (`tune.py '{"skipCost":[5,5.5,6,6.25,6.5,7,7.5]}'`)
    /// has a plateau at 6.25–7: the middle.
    var skipCost = 6.5
    /// Weight of the content term (per-unit shortfall of anchor coverage).
    var contentWeight = 6.0
    /// Extra cost per unit of shortfall beyond `mergeShortfallFloor` of the worst-covered
    /// unit in a merge (2-1, 1-2, …).
    var mergeShortfallCost = 4.0
    var mergeShortfallFloor = 0.5
    /// Coverage assumed for a unit with no matchable anchor (a bare "9", a symbol).
    var neutralCoverage = 0.3
    /// Normalize each unit's coverage by its chance coverage (off in sentence alignment, where
    /// a paragraph pair has too few units to sample from).
    var normalizeCoverage = true
    /// Chance coverage assumed when it cannot be sampled.
    var chanceCoverage = 0.1
    /// Learn word translations from a first pass and realign (hunalign's bootstrap).
    var learnLexicon = true
    /// Weight of the Gale–Church length term.
    var lengthWeight = 1.0
    /// Cost when block kinds disagree (a heading linked with a list item…). 2.5 until the
    /// LibreOffice tuning set; there 4 and 6 are equal and better (BENCHMARKS.md).
    var kindMismatchCost = 4.0
    /// Half-width of the band around the guide path, in units.
    var bandHalfWidth = 40
    /// How far beside a guide point the band still reaches (between two guide points the
    /// band spans their columns ± this). 10 until session 20: with 0 no link of the development
    /// set moves; 3 keeps a margin and takes a third of the first pass's cells on the long pair.
    var guideSlack = 3
    /// Half-width of the band around the first pass's path when the lexicon bootstrap realigns.
    var refineHalfWidth = 10
    /// Half-width of that band inside the first pass's certain stretches (`Aligner.certainLinks`):
    /// runs of covered 1-1 links, which the second pass hardly moves. Setting it to
    /// `refineHalfWidth` gives the plain corridor of session 19 (no link of the development set
    /// moves either way, and the long pair's second pass searches 63% fewer cells).
    var certainRefineHalfWidth = 1
    /// How many links at either end of such a run are left out of its certain stretch.
    var certainMargin = 1
    /// Similarity every link of a certain run reaches (the lexicon bootstrap's confident links).
    var certainSimilarity = 0.25
    /// Below this many cells the search is exhaustive.
    var fullSearchCells = 250_000
    /// Up to this many cells the lexicon bootstrap's second pass searches exhaustively; above,
    /// the corridor around the first pass's path. `fullSearchCells`: where the first pass went
    /// wrong by more than the corridor (a block of 24 untranslated paragraphs inserted into a
    /// 150-paragraph document), only the whole grid lets the second pass put it right. 0 (the
    /// corridor at every size) left the development set and 1,000 bench pairs unchanged and
    /// saved 6% of their alignRaw, but lost up to 0.3 F1 on some such edited documents (session 20 review).
    var refineFullSearchCells = 250_000
    /// Costs of structural disagreement (table column, heading level, list depth): StructuralCost.swift.
    var structure = StructureWeights()
    /// Facing omissions re-linked after the search (OmissionRepair.swift).
    var repair = OmissionRepairParameters()

    /// Base weight of each anchor kind before IDF weighting.
    func baseWeight(_ kind: AnchorKind) -> Double {
        switch kind {
        case .number: 2.0
        case .smallNumber: 0.4
        case .version: 2.0
        case .code: 3.0
        case .url: 3.0
        case .date: 2.0
        case .month: 1.0
        case .name: 1.5
        case .word: 1.0
        case .cognate: 1.0
        case .translation: 1.0
        case .punctuation: 0.5
        case .marker: 1.0
        case .learned: 1.0
        }
    }

    static let standard = AlignmentParameters()
}

/// One unit to align: a block or a sentence.
struct AlignmentUnit: Sendable {
    var features: TextFeatures
    var kind: BlockKind
    /// Table column, heading level, list depth (StructuralCost.swift).
    var structure: UnitStructure

    init(features: TextFeatures, kind: BlockKind = .paragraph, structure: UnitStructure = UnitStructure()) {
        self.features = features
        self.kind = kind
        self.structure = structure
    }

    /// Kinds that must meet their own kind: headings, list items, table cells; everything else is prose.
    var kindClass: Int {
        switch kind {
        case .heading: 1
        case .listItem: 2
        case .tableCell: 3
        case .preformatted: 4
        default: 0
        }
    }
}

/// Interned anchor keys with their document-level weights (IDF within the document).
struct AnchorTable: Sendable {
    /// In description order.
    var keys: [AnchorKey] = []
    var weights: [Double] = []
    /// The memo the catalog's units were read with, and each of its ids' table id (−1: not in
    /// the table): units read with that memo are encoded without hashing.
    var memo: WordMemo.Identity?
    var tableIDByMemoID: [Int32] = []

    /// Weights anchors by kind and by inverse document frequency over both sides, so that a
    /// repeated header, a page number or a word in every paragraph weighs almost nothing.
    /// Anchors found on one side only can never match and are left out entirely.
    init(english: [TextFeatures], spanish: [TextFeatures], parameters: AlignmentParameters) {
        var catalog = AnchorCatalog(english: english, spanish: spanish)
        self = catalog.table(parameters: parameters).table
    }

    init() {}

    /// The unit's matchable anchors as sorted ids.
    func encode(_ features: TextFeatures) -> [Int32] {
        let anchors = features.anchors
        var out: [Int32] = []
        if let memo, anchors.memo === memo {
            for id in anchors.ids where Int(id) < tableIDByMemoID.count {
                let tableID = tableIDByMemoID[Int(id)]
                if tableID >= 0 { out.append(tableID) }
            }
        } else {
            for key in anchors { if let id = id(of: key) { out.append(id) } }
        }
        SortedIDs.sort(&out)
        return out
    }

    /// `encode(features)` written at `out[start...]` (room for `features.anchors.count` ids); returns the end.
    func encode(_ features: TextFeatures, into out: UnsafeMutableBufferPointer<Int32>, at start: Int) -> Int {
        encode(features.anchors, into: out, at: start)
    }

    /// `encode(features:into:at:)` of a set already read (see `TextFeatures.anchors`).
    func encode(_ anchors: AnchorSet, into out: UnsafeMutableBufferPointer<Int32>, at start: Int) -> Int {
        var k = start
        if let memo, anchors.memo === memo {
            tableIDByMemoID.withUnsafeBufferPointer { tableIDs in
                for id in anchors.ids where Int(id) < tableIDs.count {
                    let tableID = tableIDs[Int(id)]
                    if tableID >= 0 {
                        out[k] = tableID
                        k += 1
                    }
                }
            }
        } else {
            for key in anchors {
                if let id = id(of: key) {
                    out[k] = id
                    k += 1
                }
            }
        }
        SortedIDs.sort(UnsafeMutableBufferPointer(rebasing: out[start..<k]))
        return k
    }

    /// The table id of `key`, by binary search in description order.
    func id(of key: AnchorKey) -> Int32? {
        var low = 0
        var high = keys.count
        while low < high {
            let mid = (low + high) / 2
            if AnchorKey.precedes(keys[mid], key) { low = mid + 1 } else { high = mid }
        }
        return low < keys.count && keys[low] == key ? Int32(low) : nil
    }

    /// Document frequency 1 on each side, in a kind reliable enough to guide the search.
    func isGuide(_ id: Int32) -> Bool { keys[Int(id)].kind.isGuide }
}

/// A document pair's anchors interned once, from which the anchor table and every unit's
/// sorted table ids follow by array lookups. Units read with one `WordMemo` (the pipeline's
/// case) come with the memo's ids, so nothing is hashed; others are hashed once per anchor.
/// The lexicon bootstrap adds its learned anchors here instead of hashing every anchor again.
struct AnchorCatalog {
    /// Keys by catalog id; a key of a set read with a shared store is read from the store only
    /// when needed (`resolveKeys`): until then `AnchorCatalog.unresolved`, its store id in
    /// `storeIDs`. Only anchors both sides hold reach the table, and most are on one side.
    private(set) var keys: [AnchorKey] = []
    /// Per catalog id, the store id of a key not yet read (−1: read, or not from a store).
    private var storeIDs: [Int32] = []
    /// The store of the unread keys (one memo, so one store).
    private var keyStore: ReadingStore?
    private static let unresolved = AnchorKey(kind: .punctuation, value: "")
    /// Catalog ids by key, for the kinds indexed so far (a kind is indexed when first needed):
    /// ASCII values by their bytes and the kind's tag, others in a dictionary.
    private var indexedKinds = [Bool](repeating: false, count: AnchorKind.allCases.count)
    private var asciiLookup = ByteTable()
    private var otherLookup: [AnchorKey: Int32] = [:]
    /// Catalog ids of each unit's anchors, without repeats.
    private(set) var english: UnitLists
    private(set) var spanish: UnitLists

    /// Units' catalog ids end to end, unit u's `ids[starts[u] ..< starts[u + 1]]`: one array a
    /// side, where a list per unit was allocated (and freed) for every text of every pair.
    struct UnitLists {
        private(set) var ids: [Int32] = []
        private(set) var starts: [Int] = [0]

        init() {}

        /// Lists of `units` units, about `idsPerUnit` ids each, to be filled unit by unit.
        init(reserving units: Int, idsPerUnit: Int) {
            ids.reserveCapacity(units * idsPerUnit)
            starts.reserveCapacity(units + 1)
        }

        var count: Int { starts.count - 1 }

        subscript(u: Int) -> ArraySlice<Int32> { ids[starts[u]..<starts[u + 1]] }

        /// Adds an id to the list being filled (the next unit's).
        @inline(__always)
        mutating func append(_ id: Int32) { ids.append(id) }

        /// Ends the list being filled.
        mutating func endUnit() { starts.append(ids.count) }

        /// Adds the next unit's list: `count` ids that `fill` writes in place (appended one at a
        /// time, each id was a uniqueness check of the list, a runtime call).
        mutating func appendUnit(count: Int, _ fill: (UnsafeMutableBufferPointer<Int32>) -> Void) {
            let start = ids.count
            ids.append(contentsOf: repeatElement(0, count: count))
            ids.withUnsafeMutableBufferPointer { fill(UnsafeMutableBufferPointer(rebasing: $0[start...])) }
            starts.append(ids.count)
        }

        /// Room for `units` units in all, at the mean list length so far (and a quarter more).
        mutating func reserve(units: Int) {
            guard count > 0 else { return }
            ids.reserveCapacity(ids.count * units / count + ids.count * units / count / 4)
        }

        /// Appends `added[k].id` to unit `added[k].unit`'s list, in the order given (`added`
        /// by unit, ascending).
        mutating func append(_ added: [(unit: Int, id: Int32)]) {
            guard !added.isEmpty else { return }
            var merged: [Int32] = []
            merged.reserveCapacity(ids.count + added.count)
            var newStarts = starts
            var k = 0
            for u in 0..<count {
                merged.append(contentsOf: ids[starts[u]..<starts[u + 1]])
                while k < added.count && added[k].unit == u {
                    merged.append(added[k].id)
                    k += 1
                }
                newStarts[u + 1] = merged.count
            }
            precondition(k == added.count, "additions out of unit order")
            (ids, starts) = (merged, newStarts)
        }
    }
    /// The memo all units were read with, and the catalog id of each of its ids (−1: none).
    private var memo: WordMemo.Identity?
    private var catalogIDByMemoID: [Int32] = []
    /// The catalog ids the last table held, in description order: anchors are only ever added,
    /// so they are all in the next table, and only the newly shared ones need sorting.
    private var tabled: [Int] = []
    /// Per catalog id, how many units of each side hold it: counted over every unit by the
    /// first table, then kept up to date as anchors are added, so that the next table (after
    /// the learned anchors) does not count every unit's anchors again.
    private var dfEnglish: [Int] = []
    private var dfSpanish: [Int] = []
    private var counted = false
    /// The last table and what it was built from, and the units' additions since: the next
    /// table, when only learned anchors were added (the second pass), is derived from it
    /// (`derivedTable`) rather than built again over every key and every unit's ids.
    private var lastTable: LastTable?
    private var addedSinceTable: (english: [(unit: Int, id: Int32)], spanish: [(unit: Int, id: Int32)]) = ([], [])

    private struct LastTable {
        var table: AnchorTable
        var english: EncodedUnits
        var spanish: EncodedUnits
        /// How many keys the catalog held then: keys from here on are in no table yet.
        var keyCount: Int
        /// `parameters.baseWeight` of each kind then (the weights it holds).
        var baseWeights: [Double]
    }

    private static func baseWeights(_ parameters: AlignmentParameters) -> [Double] {
        AnchorKind.allCases.map { parameters.baseWeight($0) }
    }

    /// Joins additions to one side's lists, and notes them for the next table.
    private mutating func join(_ added: [(unit: Int, id: Int32)], toEnglish: Bool) {
        guard !added.isEmpty else { return }
        if toEnglish {
            english.append(added)
            addedSinceTable.english.append(contentsOf: added)
        } else {
            spanish.append(added)
            addedSinceTable.spanish.append(contentsOf: added)
        }
    }

    /// Counts `id`, just added to a unit of one side, once the units are counted.
    @inline(__always)
    private mutating func count(added id: Int32, toEnglish: Bool) {
        guard counted else { return }
        if Int(id) >= dfEnglish.count { growCounts() }
        if toEnglish { dfEnglish[Int(id)] += 1 } else { dfSpanish[Int(id)] += 1 }
    }

    /// A count for every key (new keys held by no unit yet).
    private mutating func growCounts() {
        dfEnglish.append(contentsOf: repeatElement(0, count: keys.count - dfEnglish.count))
        dfSpanish.append(contentsOf: repeatElement(0, count: keys.count - dfSpanish.count))
    }

    init(english: [TextFeatures], spanish: [TextFeatures]) {
        self.english = UnitLists()
        self.spanish = UnitLists()
        // By memo ids while every non-empty set seen was read with one memo (one pass over the
        // sets: each sits a reference away); from the start by hashing if one was not.
        if let byMemo = internByMemo(english, spanish) {
            (self.english, self.spanish) = byMemo
        } else {
            keys = []
            storeIDs = []
            keyStore = nil
            memo = nil
            catalogIDByMemoID = []
            self.english = intern(english)
            self.spanish = intern(spanish)
        }
    }

    /// Both sides' catalog ids through the memo ids, or nil at the first non-empty set read
    /// with another memo or none (the catalog then holds some keys: start it again).
    private mutating func internByMemo(_ english: [TextFeatures], _ spanish: [TextFeatures]) -> (UnitLists, UnitLists)? {
        var sides = [UnitLists(reserving: english.count, idsPerUnit: 8), UnitLists(reserving: spanish.count, idsPerUnit: 8)]
        // Room for about every memo id at once: the memo numbers the pair's anchors in reading
        // order, so the last texts' highest ids are about how many there are (the catalog's
        // arrays grew from empty, each doubling a copy, for every pair).
        let expected = Int(max(TextFeatures.highestAnchorID(english.suffix(1)), TextFeatures.highestAnchorID(spanish.suffix(1)))) + 1
        catalogIDByMemoID.reserveCapacity(expected)
        keys.reserveCapacity(expected)
        storeIDs.reserveCapacity(expected)
        for (s, side) in [english, spanish].enumerated() {
            var reserved = false
            for block in TextFeatures.touchBlocks(side.indices) {
                // The block's highest memo id first (see `TextFeatures.touchBlocks`).
                let highest = TextFeatures.highestAnchorID(side[block])
                if Int(highest) >= catalogIDByMemoID.count {
                    catalogIDByMemoID.append(contentsOf: repeatElement(-1, count: Int(highest) + 1 - catalogIDByMemoID.count))
                }
                // After the first block, room for the side's lists at its mean length (a long
                // document's grew by doublings, each a copy of a large array faulted in anew).
                if block.lowerBound > 0 && !reserved {
                    sides[s].reserve(units: side.count)
                    reserved = true
                }
                for features in side[block] {
                    // The ids (the keys only of ids new to the catalog): each set's arrays are cold.
                    // The set read once (see `TextFeatures.anchors`).
                    let anchors = features.anchors
                    let memoIDs = anchors.ids
                    guard !memoIDs.isEmpty else {
                        guard anchors.isEmpty else { return nil }
                        sides[s].endUnit()
                        continue
                    }
                    guard let identity = anchors.memo, memo == nil || identity === memo else { return nil }
                    memo = identity
                    intern(memoIDs: memoIDs, of: anchors, into: &sides[s])
                }
            }
        }
        return (sides[0], sides[1])
    }

    /// Catalog ids of a text's anchors, given its memo ids (`anchors.ids`), as the next unit of `lists`.
    private mutating func intern(memoIDs: IDList, of anchors: AnchorSet, into lists: inout UnitLists) {
        if keyStore == nil, let store = anchors.store { keyStore = store }  // one memo, one store
        if anchors.store != nil {
            internShared(memoIDs: memoIDs, of: anchors, into: &lists)
            return
        }
        lists.appendUnit(count: memoIDs.count) { unit in
            for (k, memoID) in memoIDs.enumerated() {
                var id = catalogIDByMemoID[Int(memoID)]
                if id < 0 {
                    id = Int32(keys.count)
                    if let shared = anchors.sharedID(at: k) {
                        keys.append(Self.unresolved)
                        storeIDs.append(shared)
                    } else {
                        keys.append(anchors.key(at: k))
                        storeIDs.append(-1)
                    }
                    catalogIDByMemoID[Int(memoID)] = id
                }
                unit[k] = id
            }
        }
    }

    /// `intern` of a set read with a store, whose every id has a store id: the keys of the ids
    /// new to the catalog stay unread (`unresolved`), appended together after the walk, and the
    /// map and the store ids are written through a pointer and stack room. One checked write
    /// and two checked appends per new id were three uniqueness checks (a runtime call each),
    /// 386,000 ids over 1,000 small pairs.
    private mutating func internShared(memoIDs: IDList, of anchors: AnchorSet, into lists: inout UnitLists) {
        let firstNew = keys.count
        var fresh = 0
        lists.appendUnit(count: memoIDs.count) { unit in
            catalogIDByMemoID.withUnsafeMutableBufferPointer { catalogIDByMemoID in
                BatchedAppends.appending(to: &storeIDs) { storeIDs in
                    for (k, memoID) in memoIDs.enumerated() {
                        var id = catalogIDByMemoID[Int(memoID)]
                        if id < 0 {
                            guard let shared = anchors.sharedID(at: k) else { preconditionFailure("an id read with a store without its store id") }
                            id = Int32(firstNew + fresh)
                            fresh += 1
                            storeIDs.append(shared)
                            catalogIDByMemoID[Int(memoID)] = id
                        }
                        unit[k] = id
                    }
                }
            }
        }
        keys.append(contentsOf: repeatElement(Self.unresolved, count: fresh))
    }

    /// Reads the keys of these catalog ids that are not read yet from the store, under one lock.
    private mutating func resolveKeys<C: Collection<Int>>(_ ids: C) {
        guard let keyStore else { return }
        var wanted: [Int] = []
        wanted.reserveCapacity(ids.count)  // grown from empty, it was copied a few times per table
        for id in ids where id < storeIDs.count && storeIDs[id] >= 0 { wanted.append(id) }
        guard !wanted.isEmpty else { return }
        let read = keyStore.keys(ofShared: wanted.map { storeIDs[$0] })
        for (id, key) in zip(wanted, read) {
            keys[id] = key
            storeIDs[id] = -1
        }
    }

    /// Whether the key of catalog id `id` is read (see `keys`).
    @inline(__always)
    private func isResolved(_ id: Int) -> Bool { id >= storeIDs.count || storeIDs[id] < 0 }

    /// Every text's anchors by hashing their keys.
    private mutating func intern(_ side: [TextFeatures]) -> UnitLists {
        var lists = UnitLists(reserving: side.count, idsPerUnit: 8)
        for features in side {
            for key in features.anchors { lists.append(id(of: key)) }
            lists.endUnit()
        }
        return lists
    }

    private mutating func id(of key: AnchorKey) -> Int32 {
        if !indexedKinds[Int(key.kind.rawValue)] {
            indexedKinds[Int(key.kind.rawValue)] = true
            // Unread keys are the extractor's, never learned ones: only another kind needs them read.
            if key.kind != .learned { resolveKeys(keys.indices) }
            for (k, known) in keys.enumerated() where isResolved(k) && known.kind == key.kind { index(known, as: Int32(k)) }
        }
        let found = WordMemo.ascii(key.value) { asciiLookup.valueOrInsert(Int32(keys.count), for: $0, tag: key.kind.rawValue) }
        if let found {
            if found.inserted { keys.append(key) }
            return found.value
        }
        if let id = otherLookup[key] { return id }
        let id = Int32(keys.count)
        otherLookup[key] = id
        keys.append(key)
        return id
    }

    /// Records a known key's catalog id (each key once: catalog keys are distinct).
    private mutating func index(_ key: AnchorKey, as id: Int32) {
        if WordMemo.ascii(key.value, { asciiLookup.insert(id, for: $0, tag: key.kind.rawValue) }) == nil { otherLookup[key] = id }
    }

    /// Adds anchors to units (as `Set.insert` would: an anchor already there is not repeated).
    mutating func add(_ additions: [Int: [AnchorKey]], toEnglish: Bool) {
        var added: [(unit: Int, id: Int32)] = []
        for unit in additions.keys.sorted() {
            let start = added.count
            for key in additions[unit]! {
                let id = id(of: key)
                let known = toEnglish ? english[unit].contains(id) : spanish[unit].contains(id)
                guard !known, !added[start...].contains(where: { $0.id == id }) else { continue }
                added.append((unit, id))
                count(added: id, toEnglish: toEnglish)
            }
        }
        join(added, toEnglish: toEnglish)
    }

    /// The lexicon's word pairs as anchors of the units: `add` of both sides of
    /// `LexiconBootstrap.anchors` (the English word on its side, the same key on the Spanish
    /// side for its learned translation). Units read with one memo are walked by word id: each
    /// distinct word is looked up, and its key interned, once; no key is built per unit.
    mutating func addLearned(_ lexicon: [String: String], english: [TextFeatures], spanish: [TextFeatures]) {
        addLearned(LexiconBootstrap.Learned(translations: lexicon), english: english, spanish: spanish)
    }

    /// `addLearned` of `learned.translations`; units read with the memo of `learned.pairs`'
    /// ids are walked by those ids: no word's spelling is read.
    mutating func addLearned(_ learned: LexiconBootstrap.Learned, english: [TextFeatures], spanish: [TextFeatures]) {
        let lexicon = learned.translations
        guard !lexicon.isEmpty else { return }
        // Only a walk by spellings needs it (not one by `learned.pairs`' ids).
        lazy var englishWords = Set(lexicon.values)
        // Keys interned from here on are in no unit's list but those this call adds them to.
        let existing = Int32(keys.count)
        let known = learned.memo.map { memo in
            (english: LearnedWords(memo: memo, ids: learned.pairs.map(\.english), values: learned.pairs.map(\.value)),
             spanish: LearnedWords(memo: memo, ids: learned.pairs.map(\.spanish), values: learned.pairs.map(\.value)))
        }
        let byIDs = (
            english: addLearned(english, toEnglish: true, existing: existing, known: known?.english) { englishWords.contains($0) ? $0 : nil },
            spanish: addLearned(spanish, toEnglish: false, existing: existing, known: known?.spanish) { lexicon[$0] })
        guard !byIDs.english || !byIDs.spanish else { return }
        // A side not read with one memo: by keys (what the walk by ids added is not added twice).
        let learned = LexiconBootstrap.anchors(lexicon, english: english, spanish: spanish)
        if !byIDs.english { add(learned.english, toEnglish: true) }
        if !byIDs.spanish { add(learned.spanish, toEnglish: false) }
    }

    /// One side's learned words by memo id (`memo`'s), and the value of each one's learned key.
    private struct LearnedWords {
        var memo: WordMemo.Identity
        var ids: [Int32]
        var values: [String]
    }

    /// One side of `addLearned` by memo word ids: `learnedKey` gives the value of a word's
    /// learned key, if any, unless the texts were read with `known`'s memo (then its words are
    /// the learned ones); catalog ids from `existing` on are in no unit's list yet. False
    /// when a text's words were not read with the memo of the others (its ids name other
    /// words): the caller then adds by keys.
    private mutating func addLearned(
        _ features: [TextFeatures], toEnglish: Bool, existing: Int32, known: LearnedWords?, learnedKey: (String) -> String?
    ) -> Bool {
        // Per memo word id: the catalog id of its learned key (−1: none; −2: not looked up
        // yet; −3 − k: `known`'s word k, its key not interned yet). Keys are interned when
        // first met, in the walk's order, whether known or looked up.
        var keyID: [Int32] = []
        var notLookedUp: Int32 = -2
        var memo: WordMemo.Identity?
        var added: [Int32] = []
        // Every unit's additions, joined to the lists at the end, however the walk ends (a
        // walk that stops still added to the units before: the caller adds the rest by keys).
        var allAdded: [(unit: Int, id: Int32)] = []
        defer { join(allAdded, toEnglish: toEnglish) }
        var unread: [Int] = []
        for block in TextFeatures.touchBlocks(features.indices) {
            // The block's highest word id first (see `TextFeatures.touchBlocks`).
            let highest = TextFeatures.highestWordID(features[block])
            if Int(highest) >= keyID.count { keyID.append(contentsOf: repeatElement(notLookedUp, count: Int(highest) + 1 - keyID.count)) }
            for unit in block {
                // The ids only (and the strings of words not looked up yet): each text sits behind a
                // reference. The set read once (see `TextFeatures.words`).
                let words = features[unit].words
                let wordIDs = words.ids
                guard !wordIDs.isEmpty else {
                    if !words.isEmpty { return false }  // words without ids
                    continue
                }
                guard let identity = words.memo, memo == nil || identity === memo else { return false }
                if memo == nil, let known, known.memo === identity {
                    // Nothing looked up yet: every word is either known or not learned.
                    notLookedUp = -1
                    let highestKnown = Int(known.ids.max() ?? -1)
                    keyID = [Int32](repeating: -1, count: max(keyID.count, highestKnown + 1))
                    for (k, word) in known.ids.enumerated() { keyID[Int(word)] = -3 - Int32(k) }
                }
                memo = identity
                added.removeAll(keepingCapacity: true)
                // The strings of the words not looked up yet, read together (from a store, under one lock).
                unread.removeAll(keepingCapacity: true)
                for (k, word) in wordIDs.enumerated() where keyID[Int(word)] == -2 { unread.append(k) }
                let strings = unread.isEmpty ? [] : words.strings(at: unread)
                var next = 0
                for word in wordIDs {
                    var id = keyID[Int(word)]
                    if id <= -3, let known {
                        id = self.id(of: AnchorKey(kind: .learned, value: known.values[Int(-3 - id)]))
                        keyID[Int(word)] = id
                    } else if id == -2 {
                        // (The same word twice in a set cannot be: its ids are distinct.)
                        let string = strings[next]
                        next += 1
                        id = learnedKey(string).map { self.id(of: AnchorKey(kind: .learned, value: $0)) } ?? -1
                        keyID[Int(word)] = id
                    }
                    guard id >= 0, !added.contains(id) else { continue }
                    if id < existing, toEnglish ? english[unit].contains(id) : spanish[unit].contains(id) { continue }
                    added.append(id)
                }
                for id in added {
                    allAdded.append((unit, id))
                    count(added: id, toEnglish: toEnglish)
                }
            }
        }
        return true
    }

    /// A key being sorted by `inDescriptionOrder`.
    private struct DescriptionEntry {
        /// The kind's rank in the top byte, then the value's first seven bytes, zeros past
        /// its end (ASCII values only). Zero padding orders a value before the values it
        /// begins, so ASCII keys whose `order` differ are in the order of their `order`.
        var order: UInt64
        /// The value's bytes in `bytes`; length −1: not ASCII.
        var start: Int32
        var length: Int32
        var id: Int32
    }

    /// `ids` sorted as `AnchorKey.precedes` sorts their keys. ASCII values (most) are compared
    /// by their bytes, the order `String.<` gives ASCII strings, without copying a key or
    /// calling into the string comparison: first by a number made of the kind's rank and the
    /// value's first seven bytes, which decides nearly every comparison, else byte by byte.
    /// Other values are compared as strings. Keys are distinct, so the order is total and
    /// the same whatever the sorting method.
    static func inDescriptionOrder(_ ids: [Int], keys: [AnchorKey]) -> [Int] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 12)  // about the mean value's length (the array grew from empty)
        typealias Entry = DescriptionEntry
        var entries: [Entry] = []
        entries.reserveCapacity(ids.count)
        var allASCII = true
        for id in ids {
            let key = keys[id]
            let rank = UInt64(AnchorKey.rank(key.kind)) << 56
            let start = Int32(bytes.count)
            let entry = WordMemo.ascii(key.value) { (value: UnsafeBufferPointer<UInt8>) -> Entry in
                bytes.append(contentsOf: value)
                var order = rank
                for k in 0..<min(7, value.count) { order |= UInt64(value[k]) << (48 - 8 * k) }
                return Entry(order: order, start: start, length: Int32(value.count), id: Int32(id))
            }
            if entry == nil { allASCII = false }
            entries.append(entry ?? Entry(order: rank, start: start, length: -1, id: Int32(id)))
        }
        bytes.append(0)  // a valid base address even when every value is empty
        if allASCII && entries.count < 1 << packedIndexBits && AnchorKind.allCases.count <= 16 {
            return bytes.withUnsafeBufferPointer { bytes in
                let base = bytes.baseAddress!
                return inDescriptionOrder(asciiEntries: entries) { a, b in
                    if a.order != b.order { return a.order < b.order }
                    let order = memcmp(base + Int(a.start), base + Int(b.start), Int(min(a.length, b.length)))
                    return order != 0 ? order < 0 : a.length < b.length
                }
            }
        }
        bytes.withUnsafeBufferPointer { bytes in
            keys.withUnsafeBufferPointer { keys in
                let base = bytes.baseAddress!
                entries.sort { a, b in
                    guard a.length >= 0 && b.length >= 0 else {
                        let (x, y) = (a.order >> 56, b.order >> 56)  // the ranks
                        return x != y ? x < y : keys[Int(a.id)].value < keys[Int(b.id)].value
                    }
                    if a.order != b.order { return a.order < b.order }
                    let order = memcmp(base + Int(a.start), base + Int(b.start), Int(min(a.length, b.length)))
                    return order != 0 ? order < 0 : a.length < b.length
                }
            }
        }
        return entries.map { Int($0.id) }
    }

    private static let packedIndexBits = 18

    /// `inDescriptionOrder` of ASCII values: each entry as one number, the kind's rank (4 bits),
    /// the value's first six bytes (7 bits each: ASCII) and the entry's index (18 bits), sorted
    /// as plain integers (no comparison closure called per comparison, the sort's cost); only
    /// entries sharing rank and six bytes (a few, in runs) are then ordered by `precedes`.
    /// Zero padding past a value's end keeps the numbers' order that of the values where they differ.
    private static func inDescriptionOrder(
        asciiEntries entries: [DescriptionEntry], precedes: (DescriptionEntry, DescriptionEntry) -> Bool
    ) -> [Int] {
        let indexMask = UInt64(1 << packedIndexBits - 1)
        var packed: [UInt64] = []
        packed.reserveCapacity(entries.count)
        for (k, entry) in entries.enumerated() {
            var number = (entry.order >> 56) << 60
            for c in 0..<6 { number |= ((entry.order >> UInt64(48 - 8 * c)) & 0x7F) << UInt64(53 - 7 * c) }
            packed.append(number | UInt64(k))
        }
        packed.sort()
        var out: [Int] = []
        out.reserveCapacity(entries.count)
        var i = 0
        while i < packed.count {
            let prefix = packed[i] >> UInt64(packedIndexBits)
            var j = i + 1
            while j < packed.count && packed[j] >> UInt64(packedIndexBits) == prefix { j += 1 }
            if j - i == 1 {
                out.append(Int(entries[Int(packed[i] & indexMask)].id))
            } else {
                var run = packed[i..<j].map { entries[Int($0 & indexMask)] }
                run.sort(by: precedes)
                for entry in run { out.append(Int(entry.id)) }
            }
            i = j
        }
        return out
    }

    /// Two lists of distinct ids, each in description order, as one list in description order.
    static func merged(_ a: [Int], _ b: [Int], keys: [AnchorKey]) -> [Int] {
        if a.isEmpty { return b }
        if b.isEmpty { return a }
        var out: [Int] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            if AnchorKey.precedes(keys[b[j]], keys[a[i]]) {
                out.append(b[j])
                j += 1
            } else {
                out.append(a[i])
                i += 1
            }
        }
        out.append(contentsOf: a[i...])
        out.append(contentsOf: b[j...])
        return out
    }

    /// The anchor table (ids in description order, IDF weights) and each unit's sorted table ids.
    mutating func table(parameters: AlignmentParameters) -> (table: AnchorTable, english: EncodedUnits, spanish: EncodedUnits) {
        if let derived = derivedTable(parameters: parameters) { return derived }
        let built = builtTable(parameters: parameters)
        lastTable = LastTable(table: built.table, english: built.english, spanish: built.spanish, keyCount: keys.count, baseWeights: Self.baseWeights(parameters))
        addedSinceTable = ([], [])
        return built
    }

    /// The table after the last one when only learned anchors new to it were added since (nil
    /// otherwise), as `builtTable` would give it: its keys with the newly shared learned keys
    /// between the kinds around them (their tag's place), every other weight as it was (no
    /// other count changed, nor the number of units), and each unit's ids those of the last
    /// table, shifted past the learned keys, with its learned ids in their place.
    private mutating func derivedTable(parameters: AlignmentParameters) -> (table: AnchorTable, english: EncodedUnits, spanish: EncodedUnits)? {
        guard let last = lastTable, counted, Self.baseWeights(parameters) == last.baseWeights else { return nil }
        let keyCount = last.keyCount
        guard !addedSinceTable.english.contains(where: { Int($0.id) < keyCount }),
              !addedSinceTable.spanish.contains(where: { Int($0.id) < keyCount }) else { return nil }
        growCounts()
        let fresh = (keyCount..<keys.count).filter { dfEnglish[$0] > 0 && dfSpanish[$0] > 0 }
        guard fresh.allSatisfy({ keys[$0].kind == .learned }) else { return nil }
        let old = last.table
        // Where the learned keys go: after every key of a kind whose tag sorts before theirs.
        let learnedRank = AnchorKey.rank(.learned)
        var boundary = 0
        var high = old.keys.count
        while boundary < high {
            let mid = (boundary + high) / 2
            if AnchorKey.rank(old.keys[mid].kind) < learnedRank { boundary = mid + 1 } else { high = mid }
        }
        guard boundary == old.keys.count || old.keys[boundary].kind != .learned else { return nil }
        let additions = addedSinceTable
        addedSinceTable = ([], [])
        guard !fresh.isEmpty else { return (old, last.english, last.spanish) }
        let added = Self.inDescriptionOrder(fresh, keys: keys)
        let shift = Int32(added.count)
        let n = Double(max(english.count, spanish.count, 1))
        var table = AnchorTable()
        table.keys.reserveCapacity(old.keys.count + added.count)
        table.weights.reserveCapacity(old.keys.count + added.count)
        table.keys.append(contentsOf: old.keys[..<boundary])
        table.weights.append(contentsOf: old.weights[..<boundary])
        var learnedTableID = [Int32](repeating: -1, count: keys.count - keyCount)
        for (k, catalogID) in added.enumerated() {
            let key = keys[catalogID]
            let df = Double(max(dfEnglish[catalogID], dfSpanish[catalogID]))
            learnedTableID[catalogID - keyCount] = Int32(boundary + k)
            table.keys.append(key)
            table.weights.append(parameters.baseWeight(key.kind) * log(1 + n / df))
        }
        table.keys.append(contentsOf: old.keys[boundary...])
        table.weights.append(contentsOf: old.weights[boundary...])
        table.memo = old.memo
        let limit = Int32(boundary)
        // Learned keys have no memo ids: every memo id's table id is the last one, shifted.
        table.tableIDByMemoID = old.tableIDByMemoID.map { $0 >= limit ? $0 + shift : $0 }
        tabled = Array(tabled[..<boundary]) + added + tabled[boundary...]
        func derived(_ units: EncodedUnits, _ additions: [(unit: Int, id: Int32)]) -> EncodedUnits {
            // The additions in the table, by unit then id (a unit's ids are sorted).
            var learned: [(unit: Int, id: Int32)] = []
            for (unit, id) in additions {
                let tableID = learnedTableID[Int(id) - keyCount]
                if tableID >= 0 { learned.append((unit, tableID)) }
            }
            learned.sort { $0.unit != $1.unit ? $0.unit < $1.unit : $0.id < $1.id }
            var ids: [Int32] = []
            ids.reserveCapacity(units.ids.count + learned.count)
            var starts = [Int](repeating: 0, count: units.starts.count)
            var k = 0
            for u in 0..<(units.starts.count - 1) {
                let unit = units[u]
                var split = unit.startIndex
                while split < unit.endIndex && unit[split] < limit { split += 1 }
                ids.append(contentsOf: unit[..<split])
                while k < learned.count && learned[k].unit == u {
                    ids.append(learned[k].id)
                    k += 1
                }
                for id in unit[split...] { ids.append(id + shift) }
                starts[u + 1] = ids.count
            }
            return EncodedUnits(ids: ids, starts: starts)
        }
        let result = (table: table, english: derived(last.english, additions.english), spanish: derived(last.spanish, additions.spanish))
        lastTable = LastTable(table: table, english: result.english, spanish: result.spanish, keyCount: keys.count, baseWeights: last.baseWeights)
        return result
    }

    /// The table built from the counts and every unit's catalog ids.
    private mutating func builtTable(parameters: AlignmentParameters) -> (table: AnchorTable, english: EncodedUnits, spanish: EncodedUnits) {
        if counted {
            growCounts()
        } else {
            // Counted through buffers: an array's element incremented in a loop checked the
            // array's uniqueness (a runtime call) at every id.
            func counts(_ ids: [Int32]) -> [Int] {
                var counts = [Int](repeating: 0, count: keys.count)
                counts.withUnsafeMutableBufferPointer { counts in
                    for id in ids { counts[Int(id)] += 1 }
                }
                return counts
            }
            dfEnglish = counts(english.ids)
            dfSpanish = counts(spanish.ids)
            counted = true
        }
        let n = Double(max(english.count, spanish.count, 1))
        // Ids in description order make every sum over ids the same from run to run.
        var wasTabled = [Bool](repeating: false, count: keys.count)
        for id in tabled { wasTabled[id] = true }
        let fresh = keys.indices.filter { !wasTabled[$0] && dfEnglish[$0] > 0 && dfSpanish[$0] > 0 }
        resolveKeys(fresh)
        let added = Self.inDescriptionOrder(fresh, keys: keys)
        let shared = Self.merged(tabled, added, keys: keys)
        tabled = shared
        var table = AnchorTable()
        var tableID = [Int32](repeating: -1, count: keys.count)
        table.keys.reserveCapacity(shared.count)
        table.weights.reserveCapacity(shared.count)
        for catalogID in shared {
            let key = keys[catalogID]
            let df = Double(max(dfEnglish[catalogID], dfSpanish[catalogID]))
            tableID[catalogID] = Int32(table.keys.count)
            table.keys.append(key)
            table.weights.append(parameters.baseWeight(key.kind) * log(1 + n / df))
        }
        if let memo {
            table.memo = memo
            table.tableIDByMemoID = catalogIDByMemoID.map { $0 >= 0 ? tableID[Int($0)] : -1 }
        }
        // Each side's units end to end in one array (the search's own layout), each unit sorted
        // in place: through bits over the table's ids (a unit's ids are distinct; a list that
        // repeats one would lose it there, so it is sorted anew).
        var bits = IDBits()
        let span = table.keys.count
        func encode(_ units: UnitLists) -> EncodedUnits {
            var starts = [Int](repeating: 0, count: units.count + 1)
            // Written in place, in room for every catalog id (only the table's are kept):
            // appended one at a time, each id was a uniqueness check of the list.
            let ids = units.ids.withUnsafeBufferPointer { catalogIDs in
                tableID.withUnsafeBufferPointer { tableID in
                    starts.withUnsafeMutableBufferPointer { starts in
                        // (At least one slot: with capacity 0 the initializer writes the count into
                        // the process-wide empty-array storage, a data race between concurrent units.)
                        [Int32](unsafeUninitializedCapacity: max(1, catalogIDs.count)) { out, written in
                            /// Writes the table ids of unit `u`'s catalog ids from `start`; returns the end.
                            func tableIDs(ofUnit u: Int, at start: Int) -> Int {
                                var end = start
                                for k in units.starts[u]..<units.starts[u + 1] {
                                    let id = tableID[Int(catalogIDs[k])]
                                    if id >= 0 {
                                        (out.baseAddress! + end).initialize(to: id)
                                        end += 1
                                    }
                                }
                                return end
                            }
                            var end = 0
                            for u in 0..<units.count {
                                let start = end
                                end = tableIDs(ofUnit: u, at: start)
                                if end - start > 1 {
                                    let unit = UnsafeMutableBufferPointer(rebasing: out[start..<end])
                                    if span > IDBits.maximumSpan || unit.count <= IDBits.minimumCount {
                                        SortedIDs.sort(unit)
                                    } else if !bits.sortDistinct(unit, low: 0, span: span).allDistinct {
                                        // (Read again: the bits kept one of a repeated id.)
                                        end = tableIDs(ofUnit: u, at: start)
                                        SortedIDs.sort(UnsafeMutableBufferPointer(rebasing: out[start..<end]))
                                    }
                                }
                                starts[u + 1] = end
                            }
                            written = end
                        }
                    }
                }
            }
            return EncodedUnits(ids: ids, starts: starts)
        }
        return (table, encode(english), encode(spanish))
    }
}

/// Units' sorted table ids end to end: unit u's are `ids[starts[u] ..< starts[u + 1]]`.
struct EncodedUnits: Sendable {
    var ids: [Int32]
    var starts: [Int]

    /// The ids of unit u.
    subscript(u: Int) -> ArraySlice<Int32> { ids[starts[u]..<starts[u + 1]] }
}

/// The cost terms of one link, kept for scores, flags and explanations.
struct LinkTerms: Sendable {
    var shape: LinkShape
    var similarity = 0.0
    var lengthZ = 0.0
    var lengthCost = 0.0
    var contentCost = 0.0
    var shapeCost = 0.0
    var kindCost = 0.0
    /// Structural disagreement (StructuralCost.swift).
    var structureCost = 0.0
    var total = 0.0
    /// The best similarity either side's units reach with a neighbour they were not linked to.
    var rivalSimilarity = 0.0
}

/// A link found by the search: ranges of unit positions on each side.
struct RawLink: Sendable {
    var english: Range<Int>
    var spanish: Range<Int>
    var terms: LinkTerms
    var matched: [AnchorKey] = []
}

enum GaleChurch {
    /// Two-sided tail probability of a standard normal, via the complementary error function.
    static func twoSidedTail(_ z: Double) -> Double { erfc(abs(z) / 2.0.squareRoot()) }

    /// Gale–Church z: how far the Spanish length is from what the English length predicts.
    static func z(english: Int, spanish: Int, ratio: Double, variance: Double) -> Double {
        let l1 = Double(english)
        let l2 = Double(spanish)
        let mean = max(1, (l1 + l2 / ratio) / 2)
        return (l2 - ratio * l1) / (variance * mean).squareRoot()
    }

    /// −log P(|Z| ≥ |z|), capped so that one wild pair cannot dominate a document.
    @inline(__always)
    static func cost(z: Double) -> Double { cost(z: z, saturation: saturation) }

    /// `cost(z:)` with `saturation` read by the caller (once, rather than at every call).
    @inline(__always)
    static func cost(z: Double, saturation: Double) -> Double {
        // Far out the cost is the cap whatever erfc and log give: skip them.
        if abs(z) >= saturation { return 12 }
        let p = twoSidedTail(z)
        return min(12, -log(max(p, 1e-6)))
    }

    /// An |z| beyond which the cost is the cap: there −log of the tail is already 12.5 (found
    /// by bisection), and the tail only shrinks further out, so the capped cost is exactly 12.
    static let saturation: Double = {
        var (low, high) = (0.0, 64.0)
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if -log(twoSidedTail(mid)) >= 12.5 { high = mid } else { low = mid }
        }
        return high
    }()
}
