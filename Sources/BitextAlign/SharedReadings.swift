import Foundation

/// Chunk readings shared by every text a process reads with one dictionary.
///
/// A chunk's reading (its anchors, words, numbers, dates and tokens) depends on its bytes, its
/// language and the dictionary only, and most chunks of a unit were met in earlier units: a
/// thousand small pairs hold some 200,000 per-unit distinct chunks but 23,000 distinct ones.
/// Reading a chunk (trimming, URL, date and code tests, folding, stems, cognate keys,
/// dictionary look-ups) cost a microsecond a chunk. Here each is read once per process, into
/// one `WordMemo` whose ids (shared ids) are the process's; a unit's memo takes a reading
/// over by mapping its shared ids to the unit's own ids (an integer look-up each), so that
/// the unit's ids stay small, dense and in its own order of first sight, as the catalog, the
/// anchor table and the lexicon index arrays by them.
///
/// Each unit reads with a store of its own for as long as its memo lives (a lease): stores are
/// kept in a pool and handed to one unit at a time, so units aligned at the same time never
/// wait for each other (one store behind one lock for every thread made `--jobs 2` pay 10% more
/// CPU, most of it in futex waits, and scale 1.59× instead of 1.89×). The pool holds as many
/// stores as units ever read at once (`--jobs`); which store a unit gets does not change its
/// output (its ids are its own). A store that passed `ReadingStore.capacity` readings is
/// dropped when given back, so each grows to some 40 MB at most.
final class SharedReadings: @unchecked Sendable {
    /// For `BilingualDictionary.shared`, the dictionary of every pipeline run.
    static let standard = SharedReadings()

    // NSLock rather than Mutex: ThreadSanitizer does not see Mutex's futex wait on Linux (see
    // BatchRunner's BackgroundPublisher).
    private let lock = NSLock()
    private var idle: [ReadingStore] = []

    /// A store for one unit's memo, from its first text on, back in the pool when the memo goes.
    func lease() -> ReadingLease {
        lock.lock()
        let store = idle.popLast() ?? ReadingStore()
        lock.unlock()
        return ReadingLease(store: store, pool: self)
    }

    fileprivate func giveBack(_ store: ReadingStore) {
        guard !store.isFull else { return }
        lock.lock()
        idle.append(store)
        lock.unlock()
    }
}

/// One unit's use of a store: the store goes back to its pool when the last copy of the memo
/// holding the lease is gone.
final class ReadingLease: Sendable {
    let store: ReadingStore
    private let pool: SharedReadings

    fileprivate init(store: ReadingStore, pool: SharedReadings) {
        self.store = store
        self.pool = pool
    }

    deinit { pool.giveBack(store) }
}

/// A `WordMemo` shared by the units that lease it one after another (see `SharedReadings`). Its
/// lock is uncontended (one unit at a time) and kept so that the memo is never reached without it.
final class ReadingStore: @unchecked Sendable {
    /// Readings past which a store is dropped when given back: with their words, spellings and keys some
    /// 600 bytes a reading (1,000 small pairs: 23,000 readings, 13 MB), so some 40 MB at most.
    static let capacity = 1 << 16

    private let lock = NSLock()
    private var memo: WordMemo = {
        var memo = WordMemo()
        memo.reserve(readings: ReadingStore.capacity)
        memo.keepFlatKeys()
        return memo
    }()

    var isFull: Bool { withMemo { $0.readings.count >= Self.capacity } }

    /// The anchor keys of store ids, under one lock (ids never change meaning in a store: a
    /// set may ask after its unit gave the store back).
    func keys(ofShared ids: [Int32]) -> [AnchorKey] { withMemo { $0.keys(ofShared: ids) } }

    /// The words of store word ids, under one lock.
    func words(ofShared ids: [Int32]) -> [String] { withMemo { $0.words(ofShared: ids) } }

    /// One key or word (no list built for it).
    func key(ofShared id: Int32) -> AnchorKey { withMemo { $0.key(ofShared: id) } }
    func word(ofShared id: Int32) -> String { withMemo { $0.word(ofShared: id) } }

    /// `body` on the shared memo, alone. `body` must not enter this store again.
    @inline(__always)
    func withMemo<R>(_ body: (inout WordMemo) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&memo)
    }
}

/// Int32 → Int32 for non-negative keys: open addressing with the pair in one 64-bit slot, a
/// multiplicative hash. A unit's shared ids are its memo's few thousand keys among the
/// process's hundreds of thousands: a dense array per unit would cost more to clear than to use.
struct IDMap: Sendable {
    private static let empty = UInt64.max
    /// Slots at the first key: a small pair's unit maps some 200–500 anchor ids, and from 256
    /// slots the table grew twice (two allocations, every key placed again), a fifth of what
    /// gathering a unit's ids cost. None before then: a memo reading alone never maps an id.
    private static let firstSize = 1_024
    private var slots: [UInt64] = []
    private var count = 0
    private var shift: UInt32 = 32 - UInt32(IDMap.firstSize.trailingZeroBitCount) + 1

    /// The value of `key`, or the next value (how many keys the map held) given to it if it has
    /// none (`inserted`). A memo numbers the ids it maps in the order it meets them: the value
    /// a new key takes was worked out (from the memo's paged list of ids) at every look-up,
    /// most of them hits.
    @inline(__always)
    mutating func valueOrInsertNext(_ key: Int32) -> (value: Int32, inserted: Bool) {
        if (count + 1) * 2 > slots.count { grow() }
        let k = UInt64(UInt32(bitPattern: key))
        let shift = self.shift
        // Probed through a read-only buffer, written only for a new key: a mutable buffer
        // checked the slots' uniqueness (a runtime call) at every look-up, most of them hits.
        let (slot, found) = slots.withUnsafeBufferPointer { slots -> (Int, Int32?) in
            let mask = slots.count - 1
            var slot = Int((UInt32(bitPattern: key) &* 0x9E37_79B1) >> shift)
            while true {
                let entry = slots[slot]
                if entry == Self.empty { return (slot, nil) }
                if entry >> 32 == k { return (slot, Int32(bitPattern: UInt32(truncatingIfNeeded: entry))) }
                slot = (slot + 1) & mask
            }
        }
        if let found { return (found, false) }
        let value = Int32(truncatingIfNeeded: count)
        slots[slot] = k << 32 | UInt64(UInt32(bitPattern: value))
        count += 1
        return (value, true)
    }

    /// How many keys the map holds.
    var keyCount: Int { count }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: Self.empty, count: old.isEmpty ? Self.firstSize : old.count * 2)
        shift -= 1
        let shift = self.shift
        // Every key placed through one buffer: a buffer taken per key checked the slots'
        // uniqueness (a runtime call) for each.
        slots.withUnsafeMutableBufferPointer { slots in
            let mask = slots.count - 1
            for entry in old where entry != Self.empty {
                var slot = Int((UInt32(truncatingIfNeeded: entry >> 32) &* 0x9E37_79B1) >> shift)
                while slots[slot] != Self.empty { slot = (slot + 1) & mask }
                slots[slot] = entry
            }
        }
    }
}

/// The shared store's chunks by their bytes, each record holding what a unit takes over in one
/// place: the key, the reading's number, its anchor and word ids. A look-up is a slot (the
/// hash's high half beside the record's place, so that other keys' records are not touched)
/// and one record; the general `ByteTable` then `StoredReading` then id arrays were five
/// dependent loads into a table that other units' work has pushed out of the cache.
struct ChunkRecords: Sendable {
    /// Per slot: the key hash's high 32 bits, the record's offset in `arena` (0: empty).
    /// Starts as one shared empty slot (found empty by any look-up): every unit's memo holds
    /// records it never fills (only the store's memo does), and their 4,096 slots were 32 KB
    /// allocated and zeroed per unit.
    private var slots = ChunkRecords.unallocated
    private static let unallocated: [UInt64] = [0]
    /// Slots of the first allocation.
    private static let firstSize = 1 << 12
    private var count = 0
    /// Records end to end: [key length | tag << 24, reading number, anchor count, word count |
    /// flags << 24, the reading's place in its memo's numbers and dates + 1 (0: none; see
    /// `WordMemo.StoredReading.numbersAndDates`), key bytes in words, anchor ids, word ids].
    /// Offset 0 is never a record.
    private(set) var arena: [UInt32] = [0]
    /// Words of a record before its key.
    static let headerWords = 5

    static let namesMonth: UInt32 = 1 << 24
    static let numbersOrDates: UInt32 = 2 << 24

    /// Sets room aside for `count` records of some 13 words.
    mutating func reserve(_ count: Int) { arena.reserveCapacity(count * 13) }

    /// The record of `bytes` under `tag` (`hash`: `ByteTable`'s hash of them), if any.
    func record(of bytes: UnsafeBufferPointer<UInt8>, tag: UInt8, hash: UInt64) -> Int? {
        let high = hash >> 32
        let header = UInt32(bytes.count) | UInt32(tag) << 24
        return slots.withUnsafeBufferPointer { slots in
            arena.withUnsafeBufferPointer { arena in
                let mask = slots.count - 1
                var slot = Int(truncatingIfNeeded: hash) & mask
                while true {
                    let entry = slots[slot]
                    if entry == 0 { return nil }
                    if entry >> 32 == high {
                        let offset = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF)
                        if arena[offset] == header
                            && (bytes.isEmpty || ByteTable.equal(arena.baseAddress! + offset + Self.headerWords, bytes.baseAddress!, count: bytes.count))
                        {
                            return offset
                        }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// Loads the first slot of each hash, then the record each names when its hash half
    /// matches (its header and first key word): what `record(of:tag:hash:)` reads first. The
    /// store's table is large and mostly out of the cache; loads for different chunks here
    /// wait for none of each other, where look-ups one after the other waited for each miss.
    /// `count` chunks, chunk k's hash `hash(k)`.
    @inline(__always)
    func touch(_ count: Int, hash: (Int) -> UInt64) -> UInt64 {
        var sink: UInt64 = 0
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            for k in 0..<count { sink &+= slots[Int(truncatingIfNeeded: hash(k)) & mask] }
            arena.withUnsafeBufferPointer { arena in
                for k in 0..<count {
                    let hash = hash(k)
                    let entry = slots[Int(truncatingIfNeeded: hash) & mask]
                    guard entry != 0, entry >> 32 == hash >> 32 else { continue }
                    let offset = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF)
                    let key = offset + Self.headerWords
                    sink &+= UInt64(arena[offset]) &+ UInt64(arena[key < arena.count ? key : offset])
                }
            }
        }
        return sink
    }

    /// Adds the record of bytes not yet recorded; returns its offset.
    mutating func add(
        _ bytes: UnsafeBufferPointer<UInt8>, tag: UInt8, hash: UInt64, reading: Int, anchors: ArraySlice<Int32>, words: ArraySlice<Int32>,
        flags: UInt32, numbersAndDates: Int32 = 0
    ) -> Int {
        if (count + 1) * 2 > slots.count { grow() }
        let offset = arena.count
        arena.append(UInt32(bytes.count) | UInt32(tag) << 24)
        arena.append(UInt32(reading))
        arena.append(UInt32(anchors.count))
        arena.append(UInt32(words.count) | flags)
        arena.append(UInt32(numbersAndDates))
        let keyWords = (bytes.count + 3) / 4
        let keyStart = arena.count
        arena.append(contentsOf: repeatElement(0, count: keyWords))
        arena.withUnsafeMutableBytes { raw in
            if !bytes.isEmpty { memcpy(raw.baseAddress! + keyStart * 4, bytes.baseAddress!, bytes.count) }
        }
        for id in anchors { arena.append(UInt32(bitPattern: id)) }
        for id in words { arena.append(UInt32(bitPattern: id)) }
        place((hash >> 32) << 32 | UInt64(offset), hash: hash)
        count += 1
        return offset
    }

    /// Where a record's parts start: its anchors at `ids`, then its words. `numbersAndDates`:
    /// as given to `add` (read here, beside the ids, where reading it from the reading was
    /// one more miss into the store's large readings for every chunk holding a number).
    @inline(__always)
    static func layout(_ arena: UnsafeBufferPointer<UInt32>, at offset: Int)
        -> (reading: Int, anchors: Int, words: Int, flags: UInt32, numbersAndDates: Int, ids: Int)
    {
        let keyLength = Int(arena[offset] & 0xFF_FFFF)
        let wordsAndFlags = arena[offset + 3]
        return (Int(arena[offset + 1]), Int(arena[offset + 2]), Int(wordsAndFlags & 0xFF_FFFF), wordsAndFlags & 0xFF00_0000,
                Int(arena[offset + 4]), offset + headerWords + (keyLength + 3) / 4)
    }

    private mutating func place(_ entry: UInt64, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = entry
    }

    /// Doubles the slots; each record's key is hashed again (only its high half is stored).
    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count == 1 ? Self.firstSize : old.count * 2)  // (1: `unallocated`)
        for entry in old where entry != 0 {
            let offset = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF)
            let header = arena[offset]
            let length = Int(header & 0xFF_FFFF)
            let hash = arena.withUnsafeBytes { raw in
                ByteTable.hash(UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self) + (offset + Self.headerWords) * 4, count: length), UInt8(header >> 24))
            }
            place(entry, hash: hash)
        }
    }
}
