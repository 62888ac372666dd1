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

    /// The chaining state a..h, held inline (no array to allocate per hasher and check for
    /// uniqueness at each update: a batch makes three hashers per small pair).
    /// (A tuple, not `InlineArray`: the package still builds for macOS 13.)
    private var state: Words = (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
    /// A partial block held between updates: its first `buffered` bytes.
    private var buffer: Block = (0, 0, 0, 0, 0, 0, 0, 0)
    private var buffered = 0
    private var length: UInt64 = 0

    typealias Words = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)
    /// 64 bytes.
    typealias Block = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    public init() {}

    /// The state's eight words through a pointer (a homogeneous tuple is laid out as an array).
    private static func withWords<R>(_ state: inout Words, _ body: (UnsafeMutablePointer<UInt32>) -> R) -> R {
        withUnsafeMutableBytes(of: &state) { body($0.baseAddress!.assumingMemoryBound(to: UInt32.self)) }
    }

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
            withWords(&a.state) { stateA in
                withWords(&b.state) { stateB in
                    cbitext_sha256_blocks_two(
                        stateA, first.baseAddress!.assumingMemoryBound(to: UInt8.self) + offsetA,
                        stateB, second.baseAddress!.assumingMemoryBound(to: UInt8.self) + offsetB, paired)
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
        guard buffered > 0 else { return 0 }
        let take = min(64 - buffered, data.count)
        keep(UnsafeRawBufferPointer(rebasing: data[0..<take]))
        guard buffered == 64 else { return data.count }
        let block = buffer
        withUnsafeBytes(of: block) { Self.compress(&state, $0.baseAddress!, blocks: 1) }
        buffered = 0
        return take
    }

    /// Appends bytes (no more than the block has room for) to the partial block.
    private mutating func keep(_ data: UnsafeRawBufferPointer) {
        guard data.count > 0 else { return }
        let at = buffered
        withUnsafeMutableBytes(of: &buffer) { ($0.baseAddress! + at).copyMemory(from: data.baseAddress!, byteCount: data.count) }
        buffered += data.count
    }

    /// Compresses the whole blocks of `data` from `offset` and keeps the rest for later.
    private mutating func finishUpdate(_ data: UnsafeRawBufferPointer, from start: Int) {
        var offset = start
        // Whole blocks straight from the input: no copy.
        let wholeBlocks = (data.count - offset) / 64
        if wholeBlocks > 0 {
            Self.compress(&state, data.baseAddress! + offset, blocks: wholeBlocks)
            offset += 64 * wholeBlocks
        }
        if offset < data.count { keep(UnsafeRawBufferPointer(rebasing: data[offset...])) }
    }

    public mutating func finalize() -> [UInt8] {
        let bits = length &* 8
        // The partial block, the 0x80 marker, zeros, and the length in bits (big-endian) in
        // the last eight bytes: one block, or two when fewer than nine bytes are left.
        var tail: (Block, Block) = ((0, 0, 0, 0, 0, 0, 0, 0), (0, 0, 0, 0, 0, 0, 0, 0))
        let blocks = buffered < 56 ? 1 : 2
        let (kept, block) = (buffered, buffer)
        withUnsafeMutableBytes(of: &tail) { tail in
            withUnsafeBytes(of: block) { tail.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: kept) }
            tail[kept] = 0x80
            for i in 0..<8 { tail[64 * blocks - 1 - i] = UInt8(truncatingIfNeeded: bits >> UInt64(8 * i)) }
            Self.compress(&state, tail.baseAddress!, blocks: blocks)
        }
        buffered = 0
        return stateBytes
    }

    /// The chaining state as big-endian bytes (the digest once finalized).
    var stateBytes: [UInt8] {
        withUnsafeBytes(of: state) { words in
            [UInt8](unsafeUninitializedCapacity: 32) { bytes, count in
                for word in 0..<8 {
                    let value = words.load(fromByteOffset: 4 * word, as: UInt32.self)
                    for byte in 0..<4 { bytes[4 * word + byte] = UInt8(truncatingIfNeeded: value >> (24 - 8 * UInt32(byte))) }
                }
                count = 32
            }
        }
    }

    /// The digest of `bytes`.
    public static func digest<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Lower-case hex of a digest.
    public static func hex(digest: [UInt8]) -> String {
        String(unsafeUninitializedCapacity: 2 * digest.count) { text in
            @inline(__always) func digit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x57 + nibble }
            for (index, byte) in digest.enumerated() {
                text[2 * index] = digit(byte >> 4)
                text[2 * index + 1] = digit(byte & 0xF)
            }
            return 2 * digest.count
        }
    }

    /// The lower-case hex digest of `bytes`.
    public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        hex(digest: digest(bytes))
    }

    /// Compresses `blocks` 64-byte blocks at `data` into `state`.
    private static func compress(_ state: inout Words, _ data: UnsafeRawPointer, blocks: Int) {
        withWords(&state) { words in
            if accelerated {
                cbitext_sha256_blocks(words, data.assumingMemoryBound(to: UInt8.self), blocks)
                return
            }
            for block in 0..<blocks { compressPortably(words, UnsafeRawBufferPointer(start: data + 64 * block, count: 64)) }
        }
    }

    /// One block through the portable code (for tests comparing it with the accelerated one).
    mutating func compressPortably(_ block: UnsafeRawBufferPointer) { Self.withWords(&state) { Self.compressPortably($0, block) } }

    /// The FIPS 180-4 compression function in Swift.
    private static func compressPortably(_ state: UnsafeMutablePointer<UInt32>, _ block: UnsafeRawBufferPointer) {
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
