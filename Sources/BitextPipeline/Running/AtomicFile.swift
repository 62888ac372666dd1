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
    ///
    /// A large file goes past the page cache: after its first `directThreshold` bytes
    /// (written as usual), the rest is gathered in an aligned buffer and written in whole
    /// buffers with `O_DIRECT`, the device reading them from our memory. Copying gigabytes
    /// of output into fresh page-cache pages was most of the system time of a 1 GB run (the
    /// kernel's copy ran at about 1 GB/s on the VM), and those pages are only written back
    /// and dropped. The last partial block is written normally after `O_DIRECT` is cleared.
    /// A file system that refuses `O_DIRECT` (at `fcntl` or at the first write) gets
    /// ordinary writes; durability is unchanged either way (`commit` and `publish` fsync:
    /// that also flushes the device's cache and the file's metadata, which direct writes
    /// do not).
    public final class Stream {
        public let path: String
        /// The directory the file goes in (`.` for a bare name).
        let directory: String
        private let temporary: String
        private var fd: Int32
        /// Bytes handed to the kernel so far (the file's size when nothing is gathered).
        private var written = 0
        /// Bytes after which the rest of the file is written with `O_DIRECT`; a multiple of
        /// `directBlock`, so that direct writes start at an aligned offset. Nil: never.
        private var directThreshold: Int?
        /// The aligned buffer direct writes go from, while the file is written directly.
        private var gathered: UnsafeMutableRawPointer?
        private var gatheredCount = 0

        /// The alignment of direct writes' memory, offsets and lengths: the page size, which
        /// meets every Linux block device's and file system's logical block size here.
        static let directBlock = 4096
        /// Bytes gathered per direct write: large enough that a write's fixed costs (the
        /// journal, the device round trip) are small per byte, small enough to stay in cache.
        static let directBufferSize = 1 << 21
        /// Files grow this large through the page cache before the rest goes direct: the
        /// many small outputs of a batch never wait for the device while writing.
        public static let defaultDirectThreshold = 1 << 23

        /// `directThreshold`: bytes written through the page cache before direct writes
        /// start (rounded up to a whole block); nil writes the whole file through the cache.
        public init(path: String, directThreshold: Int? = Stream.defaultDirectThreshold) throws {
            let (directory, name) = AtomicFile.split(path)
            self.path = path
            self.directory = directory.isEmpty ? "." : directory
            self.directThreshold = directThreshold.map { ($0 + Self.directBlock - 1) / Self.directBlock * Self.directBlock }
            if AtomicFile.directFlag == 0 { self.directThreshold = nil }
            // Composed in one string (each `+` made another) and passed with `withCString`
            // (the implicit conversion copied it into a new C array per call).
            var temporary = String()
            temporary.reserveCapacity(self.directory.utf8.count + name.utf8.count + 32)
            temporary += self.directory
            temporary += "/."
            temporary += name
            TemporaryNames.appendNext(to: &temporary)
            self.temporary = temporary
            fd = temporary.withCString { open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) }
            // The directory is made only when the file cannot be created without it: asking
            // first cost a few system calls per output file of a batch.
            if fd < 0 && (errno == ENOENT || errno == ENOTDIR) && !directory.isEmpty {
                do {
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                } catch {
                    throw WriteError(path: path, reason: "cannot create directory \(directory): \(String(cString: strerror(errno)))")
                }
                fd = temporary.withCString { open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) }
            }
            guard fd >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        }

        /// Whether the file is being written with `O_DIRECT` (for tests).
        var writesDirectly: Bool { gathered != nil }

        public func append(_ buffer: UnsafeRawBufferPointer) throws {
            guard buffer.count > 0 else { return }
            if gathered == nil {
                guard let threshold = directThreshold, written + buffer.count > threshold else {
                    try writeAll(buffer)
                    return
                }
                // The head up to the threshold through the cache, then the rest directly.
                let head = threshold - written
                try writeAll(UnsafeRawBufferPointer(rebasing: buffer[..<head]))
                guard startDirect() else {
                    try writeAll(UnsafeRawBufferPointer(rebasing: buffer[head...]))
                    return
                }
                try gather(UnsafeRawBufferPointer(rebasing: buffer[head...]))
                return
            }
            try gather(buffer)
        }

        /// Copies bytes into the aligned buffer, writing it out each time it fills. Whole
        /// blocks at a block-aligned address of the caller's memory, with nothing gathered
        /// before them, are written straight from there: the JSON writer hands over such
        /// pieces (`JSONWriter.drainWholeBlocks`), and copying them was 2 to 11% of the CPU
        /// time of plain text to JSON (the copy's speed varies with the machine's load).
        private func gather(_ buffer: UnsafeRawBufferPointer) throws {
            var offset = 0
            if gatheredCount == 0, let base = buffer.baseAddress, Int(bitPattern: base) % Self.directBlock == 0 {
                let whole = buffer.count / Self.directBlock * Self.directBlock
                offset = try writeDirectly(base, count: whole)
                if offset < whole {
                    // Refused or cut short: through the cache from here on.
                    gathered?.deallocate()
                    try stopDirect()
                    try writeAll(UnsafeRawBufferPointer(rebasing: buffer[offset...]))
                    return
                }
            }
            while offset < buffer.count {
                guard let gathered else {
                    // Direct writes were refused midway: the rest goes through the cache.
                    try writeAll(UnsafeRawBufferPointer(rebasing: buffer[offset...]))
                    return
                }
                let piece = min(Self.directBufferSize - gatheredCount, buffer.count - offset)
                (gathered + gatheredCount).copyMemory(from: buffer.baseAddress! + offset, byteCount: piece)
                gatheredCount += piece
                offset += piece
                if gatheredCount == Self.directBufferSize { try writeGathered() }
            }
        }

        /// Sets `O_DIRECT` on the file and allocates the aligned buffer; false (and no more
        /// tries) when the file system refuses.
        private func startDirect() -> Bool {
            directThreshold = nil
            let flags = fcntl(fd, F_GETFL)
            guard flags >= 0, fcntl(fd, F_SETFL, flags | AtomicFile.directFlag) == 0 else { return false }
            var memory: UnsafeMutableRawPointer?
            guard posix_memalign(&memory, Self.directBlock, Self.directBufferSize) == 0, let memory else {
                _ = fcntl(fd, F_SETFL, flags)
                return false
            }
            gathered = memory
            gatheredCount = 0
            return true
        }

        /// Writes the gathered whole blocks directly; with `final`, then clears `O_DIRECT`,
        /// writes the partial block left and frees the buffer. A direct write the kernel
        /// refuses or cuts short sends the rest through the cache.
        private func writeGathered(final: Bool = false) throws {
            guard let memory = gathered else { return }
            let whole = gatheredCount / Self.directBlock * Self.directBlock
            let done = try writeDirectly(memory, count: whole)
            guard final || done < whole else {
                // A full buffer is whole blocks, all written: nothing to move down.
                gatheredCount = 0
                return
            }
            let rest = UnsafeRawBufferPointer(start: memory + done, count: gatheredCount - done)
            defer { memory.deallocate() }
            try stopDirect()
            try writeAll(rest)
        }

        /// Writes `count` bytes (whole blocks, block-aligned in memory) directly; returns how
        /// many were written, fewer when the kernel refused or cut a write short.
        private func writeDirectly(_ memory: UnsafeRawPointer, count: Int) throws -> Int {
            var done = 0
            while done < count {
                let result = Glibc.write(fd, memory + done, count - done)
                if result < 0 && errno == EINTR { continue }
                if result < 0 && errno != EINVAL { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
                if result > 0 {
                    done += result
                    written += result
                }
                // EINVAL (an alignment the file system will not take) or a short write:
                // through the cache from here on, which takes any offset and length.
                if result <= 0 || result % Self.directBlock != 0 { break }
            }
            return done
        }

        /// Clears `O_DIRECT` and drops the buffer (the caller frees its memory).
        private func stopDirect() throws {
            gathered = nil
            gatheredCount = 0
            let flags = fcntl(fd, F_GETFL)
            guard flags >= 0, fcntl(fd, F_SETFL, flags & ~AtomicFile.directFlag) == 0 else {
                throw WriteError(path: path, reason: String(cString: strerror(errno)))
            }
        }

        private func writeAll(_ buffer: UnsafeRawBufferPointer) throws {
            var offset = 0
            while offset < buffer.count {
                let result = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if result < 0 {
                    if errno == EINTR { continue }
                    throw WriteError(path: path, reason: String(cString: strerror(errno)))
                }
                offset += result
            }
            written += buffer.count
        }

        /// Writes what is still gathered, leaving the file complete and without `O_DIRECT`,
        /// and frees the direct-write buffer; `stage` and `commit` call it too (again is a
        /// no-op). A writer that moves on to its next file calls it, so that a unit's files
        /// do not each hold 2 MiB until they are all staged.
        func finishWriting() throws {
            do {
                try writeGathered(final: true)
            } catch {
                gathered?.deallocate()
                gathered = nil
                throw error
            }
        }

        /// Flushes the file to disk and renames it over the target.
        public func commit() throws {
            guard fd >= 0 else { throw WriteError(path: path, reason: "already closed") }
            do { try finishWriting() } catch {
                abort()
                throw error
            }
            var failure: String?
            if fsync(fd) != 0 && errno != EINVAL { failure = String(cString: strerror(errno)) }
            if close(fd) != 0 && failure == nil { failure = String(cString: strerror(errno)) }
            fd = -1
            if failure == nil && AtomicFile.rename(temporary, to: path) != 0 { failure = String(cString: strerror(errno)) }
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
            do { try finishWriting() } catch {
                abort()
                throw error
            }
            defer { fd = -1 }
            return Staged(path: path, directory: directory, temporary: temporary, fd: fd)
        }

        /// Gives up: the temporary file is removed and the target left as it was.
        public func abort() {
            gathered?.deallocate()
            gathered = nil
            if fd >= 0 { close(fd) }
            fd = -1
            unlink(temporary)
        }

        deinit {
            gathered?.deallocate()
            // Neither committed nor aborted (an error unwound past it): leave nothing behind.
            if fd >= 0 {
                close(fd)
                unlink(temporary)
            }
        }
    }

    /// Suffixes of temporary names, `.tmp-PID-N`: the process id tells a killed run's files
    /// (`BatchRunner.removeStaleTemporaryFiles`), N counts up from a random start. Asked once
    /// per process, not per file: a batch makes one output per unit, and each cost a `getpid`
    /// and a `getrandom` system call; a counter also never repeats itself as random draws may.
    final class TemporaryNames: @unchecked Sendable {
        private static let shared = TemporaryNames()
        private let lock = NSLock()
        private let prefix = ".tmp-\(getpid())-"
        private var counter = UInt32.random(in: 0...UInt32.max)

        /// Appends the next suffix to a name.
        static func appendNext(to name: inout String) { shared.appendNext(to: &name) }

        private func appendNext(to name: inout String) {
            let number = lock.withLock {
                defer { counter &+= 1 }
                return counter
            }
            name += prefix
            name += String(number)
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

    /// `rename(2)` with the paths passed in place (`withCString`): the implicit conversion of
    /// a String argument copies it into a new C array, twice per output file here.
    static func rename(_ source: String, to target: String) -> Int32 {
        source.withCString { source in target.withCString { target in Glibc.rename(source, target) } }
    }

    /// Linux's `O_DIRECT` (Glibc declares it only under `_GNU_SOURCE`): its value differs by
    /// architecture; 0 where unknown, and then files are written through the cache only.
    static let directFlag: Int32 = {
        #if os(Linux) && arch(x86_64)
            return 0o40000
        #elseif os(Linux) && (arch(arm64) || arch(arm))
            return 0o200000
        #else
            return 0
        #endif
    }()

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
            for (position, file) in group.enumerated() where AtomicFile.rename(file.temporary, to: file.path) != 0 {
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
    static func flushConcurrently(_ descriptors: [Int32]) -> [Int32] {
        guard descriptors.count > 1 else { return descriptors.map { fsync($0) == 0 ? 0 : errno } }
        return FlushWorkers.shared.flush(descriptors)
    }

    /// The threads `flushConcurrently` fsyncs from: the caller and seven more, made on first
    /// use and kept for the process (a batch publishes a group every 128 files, and making
    /// and ending eight threads for each, stacks mapped and unmapped, cost 2–3 ms per 1,000
    /// small pairs). They wait on a condition between groups. Callers take turns.
    ///
    /// Behind `NSLock` and `NSCondition`, not `Mutex`, for ThreadSanitizer's sake (see
    /// `BackgroundPublisher`).
    final class FlushWorkers: @unchecked Sendable {
        static let shared = FlushWorkers(helpers: 7)

        private let turn = NSLock()
        private let condition = NSCondition()
        private let helpers: Int
        private var started = false
        // The group being flushed, guarded by `condition`.
        private var descriptors: [Int32] = []
        private var errors: [Int32] = []
        private var next = 0
        private var unfinished = 0

        init(helpers: Int) { self.helpers = helpers }

        /// fsyncs every descriptor, the caller's thread among the workers; each one's errno
        /// (0 when it succeeded) at its place.
        func flush(_ group: [Int32]) -> [Int32] {
            turn.lock()
            defer { turn.unlock() }
            condition.lock()
            if !started {
                started = true
                for _ in 0..<helpers { Thread { [self] in work() }.start() }
            }
            descriptors = group
            errors = [Int32](repeating: 0, count: group.count)
            next = 0
            unfinished = group.count
            condition.broadcast()
            condition.unlock()
            drain()
            condition.lock()
            while unfinished > 0 { condition.wait() }
            let result = errors
            descriptors = []
            next = 0
            condition.unlock()
            return result
        }

        /// Takes descriptors of the current group and flushes them until none is left.
        private func drain() {
            while true {
                condition.lock()
                guard next < descriptors.count else {
                    condition.unlock()
                    return
                }
                let index = next
                let descriptor = descriptors[index]
                next += 1
                condition.unlock()
                let error = fsync(descriptor) == 0 ? 0 : errno
                condition.lock()
                errors[index] = error
                unfinished -= 1
                if unfinished == 0 { condition.broadcast() }
                condition.unlock()
            }
        }

        /// A helper's life: wait for a group with descriptors left, help flush it, again.
        private func work() {
            while true {
                condition.lock()
                while next >= descriptors.count { condition.wait() }
                condition.unlock()
                drain()
            }
        }
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
