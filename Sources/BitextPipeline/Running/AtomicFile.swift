import BitextCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes files so that a reader never sees half of one: a temporary file in the same
/// directory, flushed, then renamed over the target.
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
    /// flushes it and renames it into place. Until then the target is untouched; `abort`
    /// removes the temporary file.
    public final class Stream {
        public let path: String
        private let temporary: String
        private var fd: Int32

        public init(path: String) throws {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                do {
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                } catch {
                    throw WriteError(path: path, reason: "cannot create directory \(directory): \(String(cString: strerror(errno)))")
                }
            }
            let name = (path as NSString).lastPathComponent
            self.path = path
            temporary = (directory.isEmpty ? "." : directory) + "/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
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
}
