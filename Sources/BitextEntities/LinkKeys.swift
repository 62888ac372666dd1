import Foundation

/// The keys under which the mentions of one paragraph link can meet (`LinkEntities.forEachKey`),
/// interned as small integers: two mentions get the same id exactly when their key strings
/// are equal. Each key's bytes (the key string's UTF-8: "q:1234", "n:kenya"…) are written into
/// one byte array kept from link to link, hashed, and compared byte for byte with the keys of
/// the same hash (the collision check), so no string is built and none is hashed with SipHash.
///
/// Byte equality is `String` equality (canonical equivalence) for text whose scalars all lie
/// below U+0300: such text is in NFC, and none of those scalars combines with another. A key
/// holding any other scalar is first put in NFC (Foundation), which `String` equality compares.
struct LinkKeys {
    /// Key `k`'s bytes: `bytes[starts[k]..<starts[k + 1]]`.
    private(set) var bytes: [UInt8] = []
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Open addressing over the ids: `slotIDs[s]` holds an id when `slotStamps[s] == stamp`
    /// (a new stamp per link empties the table without writing it).
    private var slotIDs: [Int32] = []
    private var slotStamps: [UInt32] = []
    private var stamp: UInt32 = 1

    /// Interned keys.
    var count: Int { hashes.count }
    /// Whether the last key `finishKey` ended held a scalar from U+0300 on (and was put in NFC).
    private(set) var lastKeyWasCanonicalized = false

    /// Forgets every key (the arrays stay allocated).
    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        starts.append(0)
        hashes.removeAll(keepingCapacity: true)
        stamp &+= 1
        if stamp == 0 {
            for s in slotStamps.indices { slotStamps[s] = 0 }
            stamp = 1
        }
    }

    /// The bytes of key `id`.
    func bytes(of id: Int) -> ArraySlice<UInt8> { bytes[starts[id]..<starts[id + 1]] }

    // The key being written: `bytes[starts.last!...]`.

    /// (From the string's own UTF-8 storage when it has one, as almost every string has:
    /// appending the UTF-8 view element by element cost a sixth of building a mention's keys.)
    mutating func append(_ s: String) {
        if s.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil { bytes.append(contentsOf: s.utf8) }
    }

    mutating func append(_ s: Substring) {
        if s.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil { bytes.append(contentsOf: s.utf8) }
    }

    /// Appends `AlphanumericFold.fold(s)`.
    mutating func appendFolded(_ s: Substring) {
        let done = s.utf8.withContiguousStorageIfAvailable { AlphanumericFold.appendFolded(bytes: $0, to: &bytes) }
        if done != true { bytes.append(contentsOf: AlphanumericFold.fold(s).utf8) }
    }

    /// Ends the key being written and returns its id (an earlier one's when the same key was
    /// written before: then its bytes are dropped again).
    mutating func finishKey() -> Int {
        let start = starts[starts.count - 1]
        var (hash, beyond) = hashKey(from: start)
        lastKeyWasCanonicalized = beyond
        if beyond {
            canonicalize(from: start)
            hash = hashKey(from: start).hash
        }
        if (hashes.count + 1) * 2 > slotIDs.count { grow() }
        let mask = slotIDs.count - 1
        var s = Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        let end = bytes.count
        while slotStamps[s] == stamp {
            let id = Int(slotIDs[s])
            if hashes[id] == hash, starts[id + 1] - starts[id] == end - start {
                let same = bytes.withUnsafeBufferPointer { p in
                    memcmp(p.baseAddress! + starts[id], p.baseAddress! + start, end - start) == 0
                }
                if same {
                    bytes.removeSubrange(start...)
                    return id
                }
            }
            s = (s + 1) & mask
        }
        let id = hashes.count
        hashes.append(hash)
        starts.append(end)
        slotIDs[s] = Int32(id)
        slotStamps[s] = stamp
        return id
    }

    /// A hash of the key being written, and whether it holds a scalar from U+0300 on (a lead
    /// byte from 0xCC on: continuation bytes stay below 0xC0). Eight bytes a step, the last
    /// few read as the tail of the array's last eight, where FNV-1a went byte by byte
    /// (`finishKey` 11.06 M -> 10.44 M instructions on the first 1,000 bench pairs). Only the
    /// table's slots depend on the hash: ids go by order of first use.
    private func hashKey(from start: Int) -> (hash: UInt64, beyond: Bool) {
        bytes.withUnsafeBufferPointer { p in
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            var high: UInt8 = 0
            guard let base = p.baseAddress.map(UnsafeRawPointer.init) else { return (h, false) }
            func mix(_ word: UInt64) {
                if word & 0x8080_8080_8080_8080 != 0 {
                    for k in 0..<8 { high = max(high, UInt8(truncatingIfNeeded: word >> UInt64(8 * k))) }
                }
                h = (h ^ word) &* 0x9E37_79B9_7F4A_7C15
                h ^= h >> 32
            }
            let end = p.count
            var i = start
            while end - i >= 8 {
                mix(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
                i += 8
            }
            let rest = end - i
            if rest > 0 {
                if end >= 8 {
                    // The last eight bytes, those before `i` shifted out.
                    let last = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: end - 8, as: UInt64.self))
                    mix(last >> UInt64(8 * (8 - rest)))
                } else {
                    // The same word, put together byte by byte (the array is shorter than eight).
                    var word: UInt64 = 0
                    for j in i..<end { word |= UInt64(p[j]) << UInt64(8 * (j - i)) }
                    mix(word)
                }
            }
            return (h, high >= 0xCC)
        }
    }

    /// Replaces the key being written with its NFC form (see the type's comment).
    private mutating func canonicalize(from start: Int) {
        let text = String(decoding: bytes[start...], as: UTF8.self)
        bytes.removeSubrange(start...)
        bytes.append(contentsOf: text.precomposedStringWithCanonicalMapping.utf8)
    }

    private mutating func grow() {
        let size = max(64, slotIDs.count * 2)
        slotIDs = [Int32](repeating: 0, count: size)
        slotStamps = [UInt32](repeating: 0, count: size)
        let mask = size - 1
        for id in hashes.indices {
            var s = Int(truncatingIfNeeded: (hashes[id] &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
            while slotStamps[s] == stamp { s = (s + 1) & mask }
            slotIDs[s] = Int32(id)
            slotStamps[s] = stamp
        }
    }
}
