import Testing

@testable import BitextPipeline

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownDigests(input: String, digest: String) {
        #expect(SHA256.hex(Array(input.utf8)) == digest)
    }

    @Test func millionAs() {
        #expect(SHA256.hex(Array(repeating: UInt8(ascii: "a"), count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

@Suite struct SHA256ImplementationTests {
    /// The SHA-instruction path and the portable Swift path agree block by block (on machines
    /// without the instructions both are the portable path and the test still runs).
    @Test(arguments: [0, 1, 55, 56, 63, 64, 65, 127, 128, 1000, 4097])
    func acceleratedMatchesPortable(length: Int) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var portable = SHA256()
        var padded = bytes + [0x80]
        while padded.count % 64 != 56 { padded.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { padded.append(UInt8(truncatingIfNeeded: UInt64(length * 8) >> UInt64(shift))) }
        padded.withUnsafeBytes { raw in
            for offset in stride(from: 0, to: raw.count, by: 64) { portable.compressPortably(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + 64)])) }
        }
        #expect(portable.stateBytes == SHA256.digest(bytes))
    }

    /// Feeding the bytes in uneven pieces gives the digest of feeding them at once.
    @Test func piecewiseUpdates() {
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var hasher = SHA256()
        var offset = 0
        for size in [1, 63, 64, 65, 200, 3, 1000, 5000] where offset < bytes.count {
            hasher.update(bytes[offset..<min(bytes.count, offset + size)])
            offset += size
        }
        hasher.update(bytes[offset...])
        #expect(hasher.finalize() == SHA256.digest(bytes))
    }
}

@Suite struct SHA256TwoMessageTests {
    /// Two messages fed together, in pieces of uneven sizes that leave partial blocks on
    /// either side, give each message's own digest.
    @Test(arguments: [(0, 0), (64, 0), (0, 200), (1, 1), (63, 65), (640, 6_400), (10_000, 3_333), (100_003, 99_999)])
    func eachKeepsItsOwnDigest(lengthA: Int, lengthB: Int) {
        let a = (0..<lengthA).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 17) }
        let b = (0..<lengthB).map { UInt8(truncatingIfNeeded: $0 &* 29 &+ 3) }
        var hasherA = SHA256()
        var hasherB = SHA256()
        var (offsetA, offsetB) = (0, 0)
        let sizes = [(1, 64), (64, 1), (100, 37), (4096, 4096), (5000, 128), (65, 63)]
        var round = 0
        while offsetA < a.count || offsetB < b.count {
            let (sizeA, sizeB) = sizes[round % sizes.count]
            round += 1
            let endA = min(a.count, offsetA + sizeA)
            let endB = min(b.count, offsetB + sizeB)
            a.withUnsafeBytes { rawA in
                b.withUnsafeBytes { rawB in
                    SHA256.update(
                        &hasherA, with: UnsafeRawBufferPointer(rebasing: rawA[offsetA..<endA]),
                        &hasherB, with: UnsafeRawBufferPointer(rebasing: rawB[offsetB..<endB]))
                }
            }
            (offsetA, offsetB) = (endA, endB)
        }
        #expect(hasherA.finalize() == SHA256.digest(a))
        #expect(hasherB.finalize() == SHA256.digest(b))
    }

    @Test func knownDigestsTogether() {
        var hasherA = SHA256()
        var hasherB = SHA256()
        let a = Array(repeating: UInt8(ascii: "a"), count: 1_000_000)
        let b = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        a.withUnsafeBytes { rawA in b.withUnsafeBytes { rawB in SHA256.update(&hasherA, with: rawA, &hasherB, with: rawB) } }
        #expect(SHA256.hex(digest: hasherA.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(SHA256.hex(digest: hasherB.finalize()) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }
}
