// Open-addressing tables keyed by 64-bit FNV hashes. The keys are already hashes, so
// the tables skip Swift's per-process seeded re-hashing (which dominated look-up cost).

@inline(__always) private func slot(_ key: UInt64, _ shift: UInt64) -> Int {
    Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
}

/// A set of hashes. Key 0 is stored as 1 (a one-in-2^64 collision). The slots are allocated
/// at the first insertion: a document's scanner makes several sets that often stay empty.
struct HashSet64: Sendable {
    private var slots: [UInt64] = []
    private var shift: UInt64
    private var initialBits: UInt64
    private(set) var count = 0
    /// Slots allocated (0 before the first insertion).
    var slotCount: Int { slots.count }

    init(minimumCapacity: Int = 8) {
        var bits: UInt64 = 4
        while (1 << bits) < minimumCapacity * 2 { bits += 1 }
        initialBits = bits
        shift = 64 - bits
    }

    init<S: Sequence>(_ keys: S) where S.Element == UInt64 {
        let array = Array(keys)
        self.init(minimumCapacity: array.count)
        for k in array { insert(k) }
    }

    @inline(__always) func contains(_ key: UInt64) -> Bool {
        if count == 0 { return false }
        let k = key == 0 ? 1 : key
        let mask = slots.count - 1
        var i = slot(k, shift)
        while true {
            let s = slots[i]
            if s == k { return true }
            if s == 0 { return false }
            i = (i + 1) & mask
        }
    }

    mutating func insert(_ key: UInt64) {
        if slots.isEmpty { slots = [UInt64](repeating: 0, count: 1 << initialBits) }
        if (count + 1) * 2 > slots.count { grow() }
        let k = key == 0 ? 1 : key
        let mask = slots.count - 1
        var i = slot(k, shift)
        while true {
            let s = slots[i]
            if s == k { return }
            if s == 0 {
                slots[i] = k
                count += 1
                return
            }
            i = (i + 1) & mask
        }
    }

    /// Empties the set for `minimumCapacity` keys, keeping its slots when there are enough of
    /// them and not too many (zeroing a table costs less than allocating one; which table
    /// size holds the keys changes no answer).
    mutating func reset(minimumCapacity: Int) {
        var bits: UInt64 = 4
        while (1 << bits) < minimumCapacity * 2 { bits += 1 }
        if slots.count >= 1 << bits && slots.count <= 4 << bits {
            if count > 0 { slots.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
            count = 0
            return
        }
        self = HashSet64(minimumCapacity: minimumCapacity)
    }

    mutating func removeAll() {
        if count > 0 {
            for i in slots.indices { slots[i] = 0 }
            count = 0
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        shift -= 1
        count = 0
        for k in old where k != 0 { insert(k) }
    }
}

/// A large, fixed set of hashes behind a one-bit-per-slot filter (one hash function, 64 Kbit,
/// 8 KB). The scanner asks about many words that are not in the set; in a pipeline, where other
/// stages run between two documents, each probe of a big table is a cache miss, while the
/// small filter stays cached and turns most of those words away (a capitalized word is most
/// often no first token of a gazetteer name: the probe of `nameStarts` was two thirds of the
/// gazetteer match's time).
///
/// Sets made together (`family`) keep their filters interleaved, word by word: the same key
/// finds its bit of every set's filter in one cache line. The scanner asks about one word in
/// several sets (a capitalized word: does a name start with it, is it a first name, a
/// surname), and in a pipeline the filters are out of the cache when a document begins, so
/// that is one miss for the word rather than one per set.
struct ScreenedHashSet: Sendable {
    private let table: HashSet64
    /// Every set's filter of the family: word `w` of set `lane` is at `w * lanes + lane`.
    private let filter: [UInt64]
    private let lane: Int
    private let lanes: Int
    private static let filterBits: UInt64 = 16

    @inline(__always) private static func filterBit(_ key: UInt64) -> Int {
        let k = key == 0 ? 1 : key  // as `HashSet64` stores it
        return Int(truncatingIfNeeded: (k &* 0xBF58_476D_1CE4_E5B9) >> (64 - filterBits))
    }

    private init(table: HashSet64, filter: [UInt64], lane: Int, lanes: Int) {
        self.table = table
        self.filter = filter
        self.lane = lane
        self.lanes = lanes
    }

    init(_ keys: [UInt64]) {
        self = Self.family([keys])[0]
    }

    /// One set per key list, their filters interleaved (four lanes a word group: 32 bytes,
    /// so that a group does not straddle two cache lines when the array is 32-byte aligned).
    static func family(_ keyLists: [[UInt64]]) -> [ScreenedHashSet] {
        let lanes = keyLists.count <= 1 ? 1 : keyLists.count <= 2 ? 2 : 4
        precondition(keyLists.count <= lanes, "at most four sets share a filter")
        var filter = [UInt64](repeating: 0, count: (1 << (Self.filterBits - 6)) * lanes)
        for (lane, keys) in keyLists.enumerated() {
            for key in keys {
                let bit = Self.filterBit(key)
                filter[(bit >> 6) * lanes + lane] |= 1 << UInt64(bit & 63)
            }
        }
        return keyLists.enumerated().map { lane, keys in
            ScreenedHashSet(table: HashSet64(keys), filter: filter, lane: lane, lanes: lanes)
        }
    }

    var count: Int { table.count }

    @inline(__always) func contains(_ key: UInt64) -> Bool {
        let bit = Self.filterBit(key)
        if filter[(bit >> 6) &* lanes &+ lane] & (1 << UInt64(bit & 63)) == 0 { return false }
        return table.contains(key)
    }
}

/// A map from hashes to values.
struct HashMap64<Value: Sendable>: Sendable {
    private var keys: HashSlots
    private var values: [Value?]

    struct HashSlots: Sendable {
        var slots: [UInt64]
        var shift: UInt64
    }

    init(_ pairs: [(UInt64, Value)]) {
        var bits: UInt64 = 4
        while (1 << bits) < pairs.count * 2 + 2 { bits += 1 }
        keys = HashSlots(slots: [UInt64](repeating: 0, count: 1 << bits), shift: 64 - bits)
        values = [Value?](repeating: nil, count: 1 << bits)
        for (k, v) in pairs { self[k] = v }
    }

    subscript(_ key: UInt64) -> Value? {
        @inline(__always) get {
            let k = key == 0 ? 1 : key
            let mask = keys.slots.count - 1
            var i = slot(k, keys.shift)
            while true {
                let s = keys.slots[i]
                if s == k { return values[i] }
                if s == 0 { return nil }
                i = (i + 1) & mask
            }
        }
        set {
            let k = key == 0 ? 1 : key
            let mask = keys.slots.count - 1
            var i = slot(k, keys.shift)
            while keys.slots[i] != 0 && keys.slots[i] != k { i = (i + 1) & mask }
            keys.slots[i] = k
            values[i] = newValue
        }
    }
}
