import BitextCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes files so that a reader never sees half of one: a temporary file in the same
/// directory, flushed, then renamed over the target; one at a time (`write`, `Stream.commit`)
/// or many together (`Stream.stage`, then `publish`).
public enum AtomicFile {
    public struct WriteError: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    public static func write(_ bytes: [UInt8], to path: String) throws {
        let file = try Stream(path: path)
        try bytes.withUnsafeBytes { try file.append($0) }
        try file.commit()
    }

    /// A file written in pieces: bytes go to the temporary file as they come, and `commit`
    /// flushes it and renames it into place (or `stage` hands it over to be published with
    /// others). Until then the target is untouched; `abort` removes the temporary file.
    public final class Stream {
        public let path: String
        /// The directory the file goes in (`.` for a bare name).
        let directory: String
        private let temporary: String
        private var fd: Int32

        public init(path: String) throws {
            let (directory, name) = AtomicFile.split(path)
            self.path = path
            self.directory = directory.isEmpty ? "." : directory
            temporary = self.directory + "/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            // The directory is made only when the file cannot be created without it: asking
            // first cost a few system calls per output file of a batch.
            if fd < 0 && (errno == ENOENT || errno == ENOTDIR) && !directory.isEmpty {
                do {
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                } catch {
                    throw WriteError(path: path, reason: "cannot create directory \(directory): \(String(cString: strerror(errno)))")
                }
                fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            }
            guard fd >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        }

        public func append(_ buffer: UnsafeRawBufferPointer) throws {
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw WriteError(path: path, reason: String(cString: strerror(errno)))
                }
                offset += written
            }
        }

        /// Flushes the file to disk and renames it over the target.
        public func commit() throws {
            guard fd >= 0 else { throw WriteError(path: path, reason: "already closed") }
            var failure: String?
            if fsync(fd) != 0 && errno != EINVAL { failure = String(cString: strerror(errno)) }
            if close(fd) != 0 && failure == nil { failure = String(cString: strerror(errno)) }
            fd = -1
            if failure == nil && rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
            if let failure {
                unlink(temporary)
                throw WriteError(path: path, reason: failure)
            }
        }

        /// Hands the written file over unflushed and not yet in place, for `AtomicFile.publish`
        /// to make durable and rename together with others (one group's fsyncs share the
        /// writes of inode and directory blocks).
        public func stage() throws -> Staged {
            guard fd >= 0 else { throw WriteError(path: path, reason: "already closed") }
            defer { fd = -1 }
            return Staged(path: path, directory: directory, temporary: temporary, fd: fd)
        }

        /// Gives up: the temporary file is removed and the target left as it was.
        public func abort() {
            if fd >= 0 { close(fd) }
            fd = -1
            unlink(temporary)
        }

        deinit {
            // Neither committed nor aborted (an error unwound past it): leave nothing behind.
            if fd >= 0 {
                close(fd)
                unlink(temporary)
            }
        }
    }

    /// A file written to its temporary name and still open, neither flushed nor in place
    /// (`Stream.stage`). Whoever holds it must `publish` or `discard` it.
    public struct Staged: Sendable {
        public let path: String
        let directory: String
        let temporary: String
        let fd: Int32
    }

    /// The directory part of a path and its last component ("out/sub/a.json" → "out/sub",
    /// "a.json"; "a.json" → "", "a.json"; "/a.json" → "/", "a.json"), without bridging to
    /// NSString for every output file.
    static func split(_ path: String) -> (directory: String, name: String) {
        let utf8 = path.utf8
        guard let slash = utf8.lastIndex(of: UInt8(ascii: "/")) else { return ("", path) }
        let name = String(path[utf8.index(after: slash)...])
        var end = slash
        // "out//a.json": the directory is "out".
        while end > utf8.startIndex && utf8[utf8.index(before: end)] == UInt8(ascii: "/") { end = utf8.index(before: end) }
        return (end == utf8.startIndex ? "/" : String(path[..<end]), name)
    }

    /// Makes staged files durable and puts them in place: all are flushed (fsync) and closed,
    /// then each is renamed over its target, in order; finally each directory that gained a
    /// name is flushed, so that the renames survive a crash too. `groups` fail or succeed as a
    /// whole (the files of one unit): a group whose flush fails is discarded, none of its files
    /// renamed. Returns, per group, nil or why it failed.
    public static func publish(_ groups: [[Staged]]) -> [WriteError?] {
        var failures = [WriteError?](repeating: nil, count: groups.count)
        var directories: [String: [Int]] = [:]
        // Start writing every file's data before waiting for any: the fsyncs below then find
        // it on its way and mostly wait for inode and directory blocks.
        if let startWriteback = syncFileRange {
            for group in groups {
                for file in group { _ = startWriteback(file.fd, 0, 0, 2 /* SYNC_FILE_RANGE_WRITE */) }
            }
        }
        // Every file flushed before any is renamed: a rename dirties the inode and directory
        // blocks that the next file's fsync would then write again.
        let flushErrors = flushConcurrently(groups.flatMap { $0.map(\.fd) })
        var position = 0
        for (index, group) in groups.enumerated() {
            for file in group {
                let error = flushErrors[position]
                position += 1
                if error != 0 && error != EINVAL && failures[index] == nil {
                    failures[index] = WriteError(path: file.path, reason: String(cString: strerror(error)))
                }
            }
            for file in group where close(file.fd) != 0 && failures[index] == nil {
                failures[index] = WriteError(path: file.path, reason: String(cString: strerror(errno)))
            }
        }
        for (index, group) in groups.enumerated() {
            guard failures[index] == nil else {
                for file in group { unlink(file.temporary) }
                continue
            }
            for (position, file) in group.enumerated() where rename(file.temporary, file.path) != 0 {
                failures[index] = WriteError(path: file.path, reason: String(cString: strerror(errno)))
                for rest in group[position...] { unlink(rest.temporary) }
                break
            }
            for file in group { directories[file.directory, default: []].append(index) }
        }
        for (directory, members) in directories.sorted(by: { $0.key < $1.key }) {
            let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            var reason: String?
            if fd < 0 {
                reason = String(cString: strerror(errno))
            } else {
                if fsync(fd) != 0 && errno != EINVAL { reason = String(cString: strerror(errno)) }
                close(fd)
            }
            if let reason {
                for index in members where failures[index] == nil { failures[index] = WriteError(path: directory, reason: reason) }
            }
        }
        return failures
    }

    /// fsyncs the files from a few threads at once and returns each one's errno (0 when it
    /// succeeded). Each fsync ends by asking the device to flush its cache, which takes
    /// milliseconds; flush requests that arrive while one is in progress are merged by the
    /// block layer, so concurrent fsyncs wait for far fewer flushes than one after another.
    static func flushConcurrently(_ descriptors: [Int32], threads: Int = 8) -> [Int32] {
        let workers = min(threads, descriptors.count)
        guard workers > 1 else { return descriptors.map { fsync($0) == 0 ? 0 : errno } }
        let errors = FlushErrors(count: descriptors.count)
        let done = DispatchGroup()
        for worker in 0..<workers {
            done.enter()
            Thread {
                for index in stride(from: worker, to: descriptors.count, by: workers) where fsync(descriptors[index]) != 0 {
                    errors.set(errno, at: index)
                }
                done.leave()
            }.start()
        }
        done.wait()
        return errors.values
    }

    /// The errno of each file `flushConcurrently` flushes, set from its threads.
    /// Behind an `NSLock`, not `Mutex`, for ThreadSanitizer's sake (see `BackgroundPublisher`).
    private final class FlushErrors: @unchecked Sendable {
        private let lock = NSLock()
        private var storage: [Int32]
        init(count: Int) { storage = [Int32](repeating: 0, count: count) }
        func set(_ error: Int32, at index: Int) { lock.withLock { storage[index] = error } }
        var values: [Int32] { lock.withLock { storage } }
    }

    /// Linux's `sync_file_range(2)` (Glibc declares it only under `_GNU_SOURCE`), or nil.
    private static let syncFileRange: (@convention(c) (Int32, Int64, Int64, UInt32) -> Int32)? = dlsym(nil, "sync_file_range").map {
        unsafeBitCast($0, to: (@convention(c) (Int32, Int64, Int64, UInt32) -> Int32).self)
    }

    /// Gives staged files up: closed and removed, their targets left as they were.
    public static func discard(_ files: [Staged]) {
        for file in files {
            close(file.fd)
            unlink(file.temporary)
        }
    }
}
