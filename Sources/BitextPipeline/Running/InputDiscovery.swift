import BitextCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Finds the files a batch will read: explicit files, directories walked recursively, and
/// glob patterns. Problems (missing paths, unreadable directories, symlink loops) are
/// reported, never fatal.
public enum InputDiscovery {
    /// Extensions read when walking a directory. Files named explicitly are read whatever
    /// their extension.
    public static let walkedExtensions: Set<String> = ["txt", "text", "html", "htm", "xhtml", "shtml"]

    public struct Result: Sendable {
        public var files: [InputFile]
        public var problems: [Diagnostic]
    }

    public static func discover(_ specs: [String]) -> Result {
        var result = Result(files: [], problems: [])
        var seen: Set<String> = []
        for spec in specs {
            if spec.contains(where: { "*?[".contains($0) }) {
                let matches = glob(spec)
                if matches.isEmpty {
                    result.problems.append(Diagnostic(.error, file: spec, message: "no file matches this pattern"))
                }
                for path in matches { add(path, root: nil, into: &result, seen: &seen) }
            } else {
                add(spec, root: nil, into: &result, seen: &seen)
            }
        }
        return result
    }

    private static func add(_ path: String, root: String?, into result: inout Result, seen: inout Set<String>) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            let message = isDanglingLink(path) ? "broken symbolic link or symlink loop" : "no such file or directory"
            result.problems.append(Diagnostic(.error, file: path, message: message))
            return
        }
        if isDirectory.boolValue {
            var ancestors: Set<String> = []
            walk(path, root: path, ancestors: &ancestors, into: &result, seen: &seen)
            return
        }
        if let problem = notRegularFile(path) {
            result.problems.append(Diagnostic(.error, file: path, message: problem))
            return
        }
        let real = realPath(path) ?? path
        guard seen.insert(real).inserted else { return }
        let relative = root.map { relativePath(path, to: $0) } ?? (path as NSString).lastPathComponent
        result.files.append(InputFile(path: path, relativePath: relative))
    }

    private static func walk(_ directory: String, root: String, ancestors: inout Set<String>, into result: inout Result, seen: inout Set<String>) {
        guard let real = realPath(directory) else {
            result.problems.append(Diagnostic(.error, file: directory, message: "cannot resolve directory (symlink loop?)"))
            return
        }
        guard ancestors.insert(real).inserted else {
            result.problems.append(Diagnostic(.warning, file: directory, message: "symlink loop: this directory is already being walked; skipped"))
            return
        }
        defer { ancestors.remove(real) }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            result.problems.append(Diagnostic(.error, file: directory, message: "cannot read directory: \((error as NSError).localizedFailureReason ?? "permission denied")"))
            return
        }
        for name in entries where !name.hasPrefix(".") {
            let path = (directory as NSString).appendingPathComponent(name)
            // One lstat per entry; a symbolic link is followed with stat and resolved with
            // realpath. An entry that is no link resolves to the directory's real path and its
            // name: no realpath (a readlink per path component) for each file of a large batch.
            var info = stat()
            guard lstat(path, &info) == 0 else {
                result.problems.append(Diagnostic(.warning, file: path, message: isDanglingLink(path) ? "broken symbolic link or symlink loop; skipped" : "vanished while walking; skipped"))
                continue
            }
            let isLink = info.st_mode & S_IFMT == S_IFLNK
            if isLink {
                guard stat(path, &info) == 0 else {
                    result.problems.append(Diagnostic(.warning, file: path, message: isDanglingLink(path) ? "broken symbolic link or symlink loop; skipped" : "vanished while walking; skipped"))
                    continue
                }
            }
            if info.st_mode & S_IFMT == S_IFDIR {
                walk(path, root: root, ancestors: &ancestors, into: &result, seen: &seen)
            } else if walkedExtensions.contains((name as NSString).pathExtension.lowercased()) {
                if let problem = notRegularFile(mode: info.st_mode) {
                    result.problems.append(Diagnostic(.error, file: path, message: problem))
                    continue
                }
                let realFile = isLink ? (realPath(path) ?? path) : (real == "/" ? "/" + name : real + "/" + name)
                guard seen.insert(realFile).inserted else { continue }
                result.files.append(InputFile(path: path, relativePath: relativePath(path, to: root)))
            }
        }
    }

    static func relativePath(_ path: String, to root: String) -> String {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : (path as NSString).lastPathComponent
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Why `path` cannot be read as a document (a FIFO would block the reader forever, a
    /// device could be endless), or nil for a regular file.
    static func notRegularFile(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return "cannot read: \(String(cString: strerror(errno)))" }
        return notRegularFile(mode: info.st_mode)
    }

    /// `notRegularFile(_:)` for a file whose `stat` mode is known.
    static func notRegularFile(mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFIFO: return "not a regular file (a named pipe); skipped"
        case S_IFSOCK: return "not a regular file (a socket); skipped"
        case S_IFCHR, S_IFBLK: return "not a regular file (a device); skipped"
        default: return "not a regular file; skipped"
        }
    }

    private static func isDanglingLink(_ path: String) -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
    }

    private static func glob(_ pattern: String) -> [String] {
        var matches = glob_t()
        defer { globfree(&matches) }
        guard Glibc.glob(pattern, 0, nil, &matches) == 0 else { return [] }
        return (0..<Int(matches.gl_pathc)).compactMap { matches.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }
}
