import Foundation

/// Reads a batch's unit outputs back for a `BatchOutputWriter`, a piece at a time: the
/// search index reads a long unit's JSON (93 MB for a 23 MB pair) without holding it whole,
/// and the review index page reads only the head of each unit's page.
public struct OutputReader: Sendable {
    private enum Storage: Sendable {
        case directory(String)
        case memory([String: [UInt8]])
    }
    private let storage: Storage

    /// The outputs under `directory` (paths are relative to it).
    public init(directory: String) { storage = .directory(directory) }

    /// Outputs held in memory, by relative path (tests, outputs gathered whole).
    public init(files: [String: [UInt8]]) { storage = .memory(files) }

    /// The output at `path` opened for reading, or nil when it cannot be.
    public func open(_ path: String) -> OutputPieces? {
        switch storage {
        case .memory(let files):
            return files[path].map(OutputPieces.init(bytes:))
        case .directory(let directory):
            return OutputPieces(path: directory.isEmpty ? path : directory + "/" + path)
        }
    }

    /// The output at `path`, whole; nil when it cannot be read.
    public func contents(of path: String) -> [UInt8]? {
        guard let pieces = open(path) else { return nil }
        var bytes: [UInt8] = []
        do {
            while case let piece = try pieces.next(), !piece.isEmpty { bytes += piece }
        } catch {
            return nil
        }
        return bytes
    }
}

/// One output's bytes, read in order a piece at a time.
public final class OutputPieces {
    private enum Source {
        case file(descriptor: Int32, path: String)
        case memory([UInt8], position: Int)
    }
    private var source: Source

    /// Bytes already in memory, given out in pieces.
    public init(bytes: [UInt8]) { source = .memory(bytes, position: 0) }

    /// The file at `path`, or nil when it cannot be opened.
    public init?(path: String) {
        let descriptor = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        source = .file(descriptor: descriptor, path: path)
    }

    deinit {
        if case .file(let descriptor, _) = source { close(descriptor) }
    }

    /// `count` bytes from `offset` (fewer at the end), without moving where `next` reads.
    public func bytes(at offset: Int, count: Int) throws -> [UInt8] {
        switch source {
        case .memory(let bytes, _):
            let start = min(max(offset, 0), bytes.count)
            return Array(bytes[start..<min(bytes.count, start + count)])
        case .file(let descriptor, let path):
            return try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                while initialized < count {
                    let n = pread(descriptor, buffer.baseAddress! + initialized, count - initialized, off_t(offset + initialized))
                    if n < 0 && errno == EINTR { continue }
                    guard n >= 0 else { throw InputError(file: path, stage: "write", "cannot read: \(String(cString: strerror(errno)))") }
                    if n == 0 { return }
                    initialized += n
                }
            }
        }
    }

    /// The next bytes, at most `maxCount` (a mebibyte unless told); empty at the end.
    public func next(maxCount: Int = 1 << 20) throws -> [UInt8] {
        switch source {
        case .memory(let bytes, let position):
            let end = min(bytes.count, position + maxCount)
            source = .memory(bytes, position: end)
            return Array(bytes[position..<end])
        case .file(let descriptor, let path):
            return try [UInt8](unsafeUninitializedCapacity: maxCount) { buffer, initialized in
                while true {
                    let count = read(descriptor, buffer.baseAddress, maxCount)
                    if count < 0 && errno == EINTR { continue }
                    guard count >= 0 else { throw InputError(file: path, stage: "write", "cannot read: \(String(cString: strerror(errno)))") }
                    initialized = count
                    return
                }
            }
        }
    }
}
