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
        // Real paths of the directories of files named or matched one by one (a glob's
        // thousands of matches share a few).
        var directories: [String: String] = [:]
        for spec in specs {
            if spec.contains(where: { "*?[".contains($0) }) {
                let matches = glob(spec)
                if matches.isEmpty {
                    result.problems.append(Diagnostic(.error, file: spec, message: "no file matches this pattern"))
                }
                for path in matches { add(path, into: &result, seen: &seen, directories: &directories) }
            } else {
                add(spec, into: &result, seen: &seen, directories: &directories)
            }
        }
        return result
    }

    /// A path named or matched: a directory is walked, a regular file taken once (by its real
    /// path), anything else reported.
    private static func add(_ path: String, into result: inout Result, seen: inout Set<String>, directories: inout [String: String]) {
        var info = stat()
        guard path.withCString({ stat($0, &info) }) == 0 else {
            let message = isDanglingLink(path) ? "broken symbolic link or symlink loop" : "no such file or directory"
            result.problems.append(Diagnostic(.error, file: path, message: message))
            return
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            var ancestors: Set<String> = []
            walk(path, root: path, ancestors: &ancestors, into: &result, seen: &seen)
            return
        }
        if let problem = notRegularFile(mode: info.st_mode) {
            result.problems.append(Diagnostic(.error, file: path, message: problem))
            return
        }
        let real = realFilePath(path, directories: &directories) ?? realPath(path) ?? path
        guard seen.insert(real).inserted else { return }
        result.files.append(InputFile(path: path, relativePath: (path as NSString).lastPathComponent))
    }

    /// The real path of a regular file that is no symbolic link itself: its directory's real
    /// path (resolved once per directory, `directories`) and its name; nil for a link (or when
    /// that does not settle it), for the caller to resolve with realpath.
    private static func realFilePath(_ path: String, directories: inout [String: String]) -> String? {
        var info = stat()
        guard path.withCString({ lstat($0, &info) }) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        let (directory, name) = AtomicFile.split(path)
        guard !name.isEmpty, name != ".", name != ".." else { return nil }
        guard let resolved = realDirectory(directory.isEmpty ? "." : directory, directories: &directories) else { return nil }
        return joined(resolved, name)
    }

    /// The real path of `directory`, resolved once and kept in `directories`.
    private static func realDirectory(_ directory: String, directories: inout [String: String]) -> String? {
        if let known = directories[directory] { return known }
        guard let found = realPath(directory) else { return nil }
        directories[directory] = found
        return found
    }

    /// `name` in the real directory `resolved`.
    private static func joined(_ resolved: String, _ name: String) -> String {
        resolved == "/" ? "/" + name : resolved + "/" + name
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
        let entries: [(name: String, type: UInt8)]
        switch directoryEntries(directory) {
        case .success(let listed): entries = listed
        case .failure(let error):
            result.problems.append(Diagnostic(.error, file: directory, message: "cannot read directory: \(String(cString: strerror(error.code)))"))
            return
        }
        // Each entry joined as `NSString.appendingPathComponent` joins it: the directory's part
        // is the same for every entry, so it is worked out once.
        let prefix = String((directory as NSString).appendingPathComponent("_").dropLast())
        // Real paths of the directories that symbolic links here point into.
        var linkTargetDirectories: [String: String] = [:]
        for entry in entries {
            let name = entry.name
            let path = prefix + name
            // The entry's type comes from the directory listing (`d_type`): a regular file or a
            // directory costs no system call. A symbolic link is resolved with readlink and
            // lstat (`linkedFile`) or else followed with stat; an entry of unknown type is asked
            // with lstat.
            var mode: mode_t
            let isLink: Bool
            // A link to a file that is read: where it points (`linkedFile`) tells its mode too,
            // so it needs no stat of its own (which walked the link's path and its target's).
            var linked: (path: String, mode: mode_t)?
            switch Int32(entry.type) {
            case Int32(DT_REG):
                guard isWalked(name) else { continue }
                mode = S_IFREG
                isLink = false
            case Int32(DT_DIR):
                mode = S_IFDIR
                isLink = false
            default:
                var info = stat()
                let gone = { (path: String) in
                    Diagnostic(.warning, file: path, message: isDanglingLink(path) ? "broken symbolic link or symlink loop; skipped" : "vanished while walking; skipped")
                }
                // A link needs no lstat: the listing said what it is.
                if Int32(entry.type) == Int32(DT_LNK) {
                    isLink = true
                } else {
                    guard path.withCString({ lstat($0, &info) }) == 0 else {
                        result.problems.append(gone(path))
                        continue
                    }
                    isLink = info.st_mode & S_IFMT == S_IFLNK
                }
                if isLink && isWalked(name) { linked = linkedFile(path, inDirectory: real, directories: &linkTargetDirectories) }
                if let linked {
                    mode = linked.mode
                    break
                }
                if isLink {
                    guard path.withCString({ stat($0, &info) }) == 0 else {
                        result.problems.append(gone(path))
                        continue
                    }
                }
                mode = info.st_mode
            }
            if mode & S_IFMT == S_IFDIR {
                walk(path, root: root, ancestors: &ancestors, into: &result, seen: &seen)
            } else if isWalked(name) {
                if let problem = notRegularFile(mode: mode) {
                    result.problems.append(Diagnostic(.error, file: path, message: problem))
                    continue
                }
                // An entry that is no link resolves to the directory's real path and its name;
                // a link, to where it points (`linkedFile`), without a realpath (a readlink
                // per path component) for each one.
                let realFile =
                    isLink
                    ? (linked?.path ?? realPath(path) ?? path)
                    : (real == "/" ? "/" + name : real + "/" + name)
                guard seen.insert(realFile).inserted else { continue }
                result.files.append(InputFile(path: path, relativePath: relativePath(path, to: root)))
            }
        }
    }

    /// The names in a directory but the hidden ones (`.` and `..` among them), sorted, with their
    /// `d_type`; or the errno of the failure to list it.
    private static func directoryEntries(_ directory: String) -> Swift.Result<[(name: String, type: UInt8)], ListingError> {
        guard let stream = opendir(directory) else { return .failure(ListingError(code: errno)) }
        defer { closedir(stream) }
        var entries: [(name: String, type: UInt8)] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                if errno != 0 { return .failure(ListingError(code: errno)) }
                break
            }
            let name = withUnsafePointer(to: entry.pointee.d_name) { $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) } }
            if name.hasPrefix(".") { continue }
            entries.append((name, entry.pointee.d_type))
        }
        entries.sort { $0.name < $1.name }
        return .success(entries)
    }

    private struct ListingError: Error {
        let code: Int32
    }

    /// Whether a file of this name is read when walking a directory (`walkedExtensions`,
    /// compared as `NSString.pathExtension` finds the extension).
    private static func isWalked(_ name: String) -> Bool {
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")), dot != name.utf8.startIndex else { return false }
        return walkedExtensions.contains(String(name[name.utf8.index(after: dot)...]).lowercased())
    }

    /// The real path of what a symbolic link points to, and its mode (what `stat` of the link
    /// finds): its target's directory resolved once for all the links into it (`directories`),
    /// and its name, when the name is no link itself (one readlink and one lstat instead of a
    /// realpath and a stat); nil when that does not settle it (the caller falls back on stat
    /// and realpath, which also tell a broken link).
    private static func linkedFile(_ path: String, inDirectory real: String, directories: inout [String: String]) -> (path: String, mode: mode_t)? {
        let target = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Int(PATH_MAX)) { buffer -> String? in
            let count = buffer.withMemoryRebound(to: CChar.self) { link in path.withCString { readlink($0, link.baseAddress!, link.count) } }
            guard count > 0, count < buffer.count else { return nil }
            return String(validating: UnsafeBufferPointer(rebasing: buffer[0..<count]), as: UTF8.self)
        }
        guard let target else { return nil }
        let directory: String
        let name: String
        if let slash = target.utf8.lastIndex(of: UInt8(ascii: "/")) {
            let head = String(target[..<slash])
            name = String(target[target.utf8.index(after: slash)...])
            directory = target.hasPrefix("/") ? (head.isEmpty ? "/" : head) : real + "/" + head
        } else {
            directory = real
            name = target
        }
        guard !name.isEmpty, name != ".", name != ".." else { return nil }
        guard let resolved = realDirectory(directory, directories: &directories) else { return nil }
        let file = joined(resolved, name)
        var info = stat()
        guard file.withCString({ lstat($0, &info) }) == 0, info.st_mode & S_IFMT != S_IFLNK else { return nil }
        return (file, info.st_mode)
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

    /// Why a file of this `stat` mode cannot be read as a document (a FIFO would block the
    /// reader forever, a device could be endless), or nil for a regular file.
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
