import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@testable import BitextPipeline

/// Large files go past the page cache (`O_DIRECT` after a threshold, whole aligned blocks, the
/// last partial block written normally): the bytes on disk must be exactly the bytes appended,
/// whatever the sizes of the pieces and wherever the threshold and buffer boundaries fall.
@Suite struct AtomicFileTests {
    /// Bytes that differ at every position (a repeated pattern could hide a misplaced block).
    private static func bytes(_ count: Int) -> [UInt8] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    /// A file's bytes by read(2): Foundation's `Data(contentsOf:)` leaks its 4 KiB buffer on an
    /// empty file (LeakSanitizer in `make test-sanitize`).
    private static func contents(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CocoaError(.fileReadNoSuchFile) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count >= 0 else { throw CocoaError(.fileReadUnknown) }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[..<count])
        }
    }

    private static let block = AtomicFile.Stream.directBlock
    private static let buffer = AtomicFile.Stream.directBufferSize

    /// (file size, piece size, threshold): below, at and past the threshold; a buffer and a
    /// block either side of the buffer's boundaries; pieces smaller than a block, odd-sized,
    /// and larger than the buffer.
    static let cases: [(Int, Int, Int)] = [
        (0, 100, 4096),
        (4095, 1000, 4096),
        (4096, 4096, 4096),
        (4097, 1, 4096),
        (4096 + buffer, 65_536, 4096),
        (4096 + buffer + 1, 131_072, 4096),
        (4096 + 2 * buffer - 1, 777, 4096),
        (4096 + 3 * buffer + block + 17, 3 * buffer + 5, 4096),
        (100_000, 99_999, 1),
        (2 * buffer + 12_345, 10_007, 50_000),
    ]

    @Test(arguments: cases)
    func directWritesKeepEveryByte(size: Int, piece: Int, threshold: Int) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.path + "/out.json"
        let expected = Self.bytes(size)
        let stream = try AtomicFile.Stream(path: path, directThreshold: threshold)
        var wentDirect = false
        try expected.withUnsafeBytes { all in
            var offset = 0
            while offset < all.count {
                let end = min(offset + piece, all.count)
                try stream.append(UnsafeRawBufferPointer(rebasing: all[offset..<end]))
                wentDirect = wentDirect || stream.writesDirectly
                offset = end
            }
        }
        try stream.commit()
        #expect(try Self.contents(path) == expected)
        // ext4 (the test machine's file system) takes O_DIRECT: a file past the threshold
        // (rounded up to a block) went direct.
        let roundedThreshold = (threshold + Self.block - 1) / Self.block * Self.block
        if size > roundedThreshold && Self.fileSystemTakesDirectWrites(dir.path) {
            #expect(wentDirect)
        }
        #expect(!stream.writesDirectly)
    }

    /// Pieces at a block-aligned address (as `JSONWriter.drainWholeBlocks` hands them over)
    /// are written straight from the caller's memory when they start with nothing gathered;
    /// whole or not, mixed with unaligned ones, the file holds every byte in order.
    @Test(arguments: [
        [Self.block, 3 * Self.block, Self.buffer, Self.buffer + Self.block],
        [2 * Self.block, Self.block + 100, 5 * Self.block, Self.block - 1, Self.buffer],
        [Self.buffer + 17, 7, Self.buffer],
    ])
    func alignedPiecesAreWrittenInPlace(pieces: [Int]) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.path + "/out.json"
        let counts = (0..<12).map { pieces[$0 % pieces.count] }
        let expected = Self.bytes(counts.reduce(0, +))
        let stream = try AtomicFile.Stream(path: path, directThreshold: Self.block)
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: pieces.max()!, alignment: Self.block)
        defer { memory.deallocate() }
        try expected.withUnsafeBytes { all in
            var offset = 0
            for count in counts {
                memory.copyMemory(from: UnsafeRawBufferPointer(rebasing: all[offset..<(offset + count)]))
                try stream.append(UnsafeRawBufferPointer(rebasing: memory[0..<count]))
                offset += count
            }
        }
        try stream.commit()
        #expect(try Self.contents(path) == expected)
    }

    /// A staged file is complete and back to ordinary writes (publishing only flushes it).
    @Test func aStagedDirectFileIsCompleteAndPublishes() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let expected = Self.bytes(Self.buffer + 3 * Self.block + 123)
        let stream = try AtomicFile.Stream(path: dir.path + "/a.json", directThreshold: Self.block)
        try expected.withUnsafeBytes { try stream.append($0) }
        let staged = try stream.stage()
        #expect(fcntl(staged.fd, F_GETFL) & AtomicFile.directFlag == 0)
        #expect(AtomicFile.publish([[staged]]).map { $0 == nil } == [true])
        #expect(try Self.contents(dir.path + "/a.json") == expected)
        #expect(BatchRobustnessTests.temporaryFiles(in: dir.path) == [])
    }

    /// A file finished before staging (as the runner's sink does when a writer opens its next
    /// file) has let its direct-write buffer go and is complete; finishing again and staging
    /// change nothing.
    @Test func aFinishedDirectFileIsCompleteBeforeStaging() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let expected = Self.bytes(2 * Self.buffer + Self.block + 77)
        let stream = try AtomicFile.Stream(path: dir.path + "/a.json", directThreshold: Self.block)
        try expected.withUnsafeBytes { try stream.append($0) }
        if Self.fileSystemTakesDirectWrites(dir.path) { #expect(stream.writesDirectly) }
        try stream.finishWriting()
        #expect(!stream.writesDirectly)
        try stream.finishWriting()
        let staged = try stream.stage()
        #expect(fcntl(staged.fd, F_GETFL) & AtomicFile.directFlag == 0)
        #expect(AtomicFile.publish([[staged]]).map { $0 == nil } == [true])
        #expect(try Self.contents(dir.path + "/a.json") == expected)
    }

    /// An aborted direct file leaves nothing behind, and the target is untouched.
    @Test func anAbortedDirectFileLeavesNothing() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("old".utf8).write(to: URL(fileURLWithPath: dir.path + "/a.json"))
        let stream = try AtomicFile.Stream(path: dir.path + "/a.json", directThreshold: 0)
        try Self.bytes(Self.buffer + 5).withUnsafeBytes { try stream.append($0) }
        stream.abort()
        #expect(try String(contentsOfFile: dir.path + "/a.json", encoding: .utf8) == "old")
        #expect(BatchRobustnessTests.temporaryFiles(in: dir.path) == [])
    }

    /// Without a threshold, nothing goes direct.
    @Test func noThresholdWritesThroughTheCache() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let expected = Self.bytes(3 * Self.buffer)
        let stream = try AtomicFile.Stream(path: dir.path + "/a.json", directThreshold: nil)
        try expected.withUnsafeBytes { try stream.append($0) }
        #expect(!stream.writesDirectly)
        try stream.commit()
        #expect(try Self.contents(dir.path + "/a.json") == expected)
    }

    private static func fileSystemTakesDirectWrites(_ directory: String) -> Bool {
        let path = directory + "/probe"
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        defer {
            close(fd)
            unlink(path)
        }
        return AtomicFile.directFlag != 0 && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | AtomicFile.directFlag) == 0
    }
}
