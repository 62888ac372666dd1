internal import CBitextSHA256

/// SHA-256 (FIPS 180-4), for manifest checksums that `sha256sum` can verify. Written here
/// because Foundation on Linux has no digest API and one hash does not earn a dependency.
/// Processors with the x86 SHA instructions compress blocks in C (several GB/s, so hashing
/// every input and output costs little next to reading them); others use the Swift code below.
public struct SHA256: Sendable {
    /// Whether the SHA instructions are available (checked once per process).
    static let accelerated = cbitext_sha256_accelerated() != 0

    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    private var state: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
    private var buffer: [UInt8] = []
    private var length: UInt64 = 0

    public init() { buffer.reserveCapacity(64) }

    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        length &+= UInt64(bytes.count)
        let handled: Void? = bytes.withContiguousStorageIfAvailable { update(contiguous: UnsafeRawBufferPointer($0)) }
        if handled == nil { Array(bytes).withUnsafeBytes { update(contiguous: $0) } }
    }

    public mutating func update(bytes: UnsafeRawBufferPointer) {
        length &+= UInt64(bytes.count)
        update(contiguous: bytes)
    }

    private mutating func update(contiguous data: UnsafeRawBufferPointer) {
        finishUpdate(data, from: fillBuffer(data))
    }

    /// Feeds `first` to `a` and `second` to `b` (two independent messages), compressing their
    /// whole blocks two at a time where both have them: one message's rounds are a chain of
    /// dependent instructions, and a second message's rounds run in its gaps (about 1.5 times
    /// the throughput of hashing the two one after the other).
    static func update(_ a: inout SHA256, with first: UnsafeRawBufferPointer, _ b: inout SHA256, with second: UnsafeRawBufferPointer) {
        a.length &+= UInt64(first.count)
        b.length &+= UInt64(second.count)
        var offsetA = a.fillBuffer(first)
        var offsetB = b.fillBuffer(second)
        let paired = min((first.count - offsetA) / 64, (second.count - offsetB) / 64)
        if paired > 0 && accelerated {
            a.state.withUnsafeMutableBufferPointer { stateA in
                b.state.withUnsafeMutableBufferPointer { stateB in
                    cbitext_sha256_blocks_two(
                        stateA.baseAddress!, first.baseAddress!.assumingMemoryBound(to: UInt8.self) + offsetA,
                        stateB.baseAddress!, second.baseAddress!.assumingMemoryBound(to: UInt8.self) + offsetB, paired)
                }
            }
            offsetA += 64 * paired
            offsetB += 64 * paired
        }
        a.finishUpdate(first, from: offsetA)
        b.finishUpdate(second, from: offsetB)
    }

    /// Completes a partial block held from an earlier update with the start of `data`;
    /// returns how many bytes of `data` that took (all of them when the block is still partial).
    private mutating func fillBuffer(_ data: UnsafeRawBufferPointer) -> Int {
        guard !buffer.isEmpty else { return 0 }
        let take = min(64 - buffer.count, data.count)
        buffer.append(contentsOf: data[0..<take])
        guard buffer.count == 64 else { return data.count }
        buffer.withUnsafeBytes { compress($0) }
        buffer.removeAll(keepingCapacity: true)
        return take
    }

    /// Compresses the whole blocks of `data` from `offset` and keeps the rest for later.
    private mutating func finishUpdate(_ data: UnsafeRawBufferPointer, from start: Int) {
        var offset = start
        // Whole blocks straight from the input: no copy.
        let wholeBlocks = (data.count - offset) / 64
        if wholeBlocks > 0 && Self.accelerated {
            state.withUnsafeMutableBufferPointer { words in
                cbitext_sha256_blocks(words.baseAddress!, data.baseAddress!.assumingMemoryBound(to: UInt8.self) + offset, wholeBlocks)
            }
            offset += 64 * wholeBlocks
        }
        while data.count - offset >= 64 {
            compress(UnsafeRawBufferPointer(rebasing: data[offset..<(offset + 64)]))
            offset += 64
        }
        if offset < data.count { buffer.append(contentsOf: data[offset...]) }
    }

    public mutating func finalize() -> [UInt8] {
        let bits = length &* 8
        buffer.append(0x80)
        while buffer.count % 64 != 56 {
            if buffer.count == 64 {
                buffer.withUnsafeBytes { compress($0) }
                buffer.removeAll(keepingCapacity: true)
            }
            buffer.append(0)
        }
        for shift in stride(from: 56, through: 0, by: -8) { buffer.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        buffer.withUnsafeBytes { compress($0) }
        buffer.removeAll()
        return stateBytes
    }

    /// The chaining state as big-endian bytes (the digest once finalized).
    var stateBytes: [UInt8] { state.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * $0)) } } }

    /// The digest of `bytes`.
    public static func digest<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Lower-case hex of a digest.
    public static func hex(digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: digest.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] }, as: UTF8.self)
    }

    /// The lower-case hex digest of `bytes`.
    public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        hex(digest: digest(bytes))
    }

    private mutating func compress(_ block: UnsafeRawBufferPointer) {
        if Self.accelerated {
            state.withUnsafeMutableBufferPointer { words in
                cbitext_sha256_blocks(words.baseAddress!, block.baseAddress!.assumingMemoryBound(to: UInt8.self), 1)
            }
            return
        }
        compressPortably(block)
    }

    /// The FIPS 180-4 compression function in Swift.
    mutating func compressPortably(_ block: UnsafeRawBufferPointer) {
        @inline(__always) func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { x >> n | x << (32 - n) }
        let (a0, b0, c0, d0, e0, f0, g0, h0) = withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for i in 0..<16 {
                w[i] = UInt32(block[4 * i]) << 24 | UInt32(block[4 * i + 1]) << 16 | UInt32(block[4 * i + 2]) << 8 | UInt32(block[4 * i + 3])
            }
            for i in 16..<64 {
                let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, h) = (state[0], state[1], state[2], state[3], state[4], state[5], state[6], state[7])
            for i in 0..<64 {
                let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ Self.k[i] &+ w[i]
                let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
                (h, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
            }
            return (a, b, c, d, e, f, g, h)
        }
        state[0] &+= a0; state[1] &+= b0; state[2] &+= c0; state[3] &+= d0
        state[4] &+= e0; state[5] &+= f0; state[6] &+= g0; state[7] &+= h0
    }
}

/// A stable 64-bit hash (FNV-1a) for sharding and ids: the same on every machine and run,
/// unlike `Hasher`.
public enum StableHash {
    public static func fnv1a(_ string: String) -> UInt64 {
        var hash: UInt64 = 0xcbf29ce484222325
        for b in string.utf8 {
            hash ^= UInt64(b)
            hash = hash &* 0x100000001b3
        }
        return hash
    }
}
