import BitextCore
import Foundation
import Testing

@testable import BitextPipeline

/// Directory walks read entry types from the listing and resolve symbolic links without a
/// realpath per file: the files found, their order and the duplicates dropped must be those
/// that resolving every path with realpath gives.
@Suite struct InputDiscoveryTests {
    /// dir/real: a.txt, b.txt, notes.md; dir/in: links to them (relative, absolute, a link to
    /// a link, a link to a non-walked name), a regular file, a hidden file, a subdirectory;
    /// dir/via: a link to dir/in.
    private func tree() throws -> URL {
        let dir = try temporaryDirectory()
        let fm = FileManager.default
        for sub in ["real", "in/sub"] { try fm.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true) }
        for name in ["real/a.txt", "real/b.txt", "real/notes.md", "in/d.TXT", "in/.hidden.txt", "in/sub/e.html", "in/skip.md"] {
            try Data("Text of \(name).\n".utf8).write(to: dir.appendingPathComponent(name))
        }
        let link = { (name: String, target: String) in try fm.createSymbolicLink(atPath: dir.appendingPathComponent(name).path, withDestinationPath: target) }
        try link("in/a.txt", "../real/a.txt")
        try link("in/b.txt", dir.appendingPathComponent("real/b.txt").path)
        try link("in/c.txt", "a.txt")
        try link("in/m.txt", "../real/notes.md")
        try link("via", "in")
        return dir
    }

    @Test(arguments: [["in", "real"], ["via", "real"], ["real", "via"]])
    func linkedFilesResolveToTheFilesTheyPointTo(roots: [String]) throws {
        let dir = try tree()
        defer { try? FileManager.default.removeItem(at: dir) }
        let found = InputDiscovery.discover(roots.map { dir.appendingPathComponent($0).path })
        #expect(found.problems.isEmpty, "\(found.problems)")
        // Every file once, by its real path, in walk order (names sorted within each directory).
        let real = found.files.map { URL(fileURLWithPath: $0.path).resolvingSymlinksInPath().path }
        #expect(Set(real).count == real.count)
        // From real first: a.txt and b.txt, then what only in/ holds (m.txt reaches notes.md,
        // which the walk of real/ skips by its extension); from in/ first: all of it there.
        #expect(found.files.map(\.relativePath) == ["a.txt", "b.txt", "d.TXT", "m.txt", "sub/e.html"])
        let firstRoot = dir.appendingPathComponent(roots[0]).path + "/"
        #expect(found.files.prefix(2).allSatisfy { $0.path.hasPrefix(firstRoot) })
        #expect(found.files.dropFirst(2).allSatisfy { $0.path.hasPrefix(dir.appendingPathComponent(roots[0] == "real" ? roots[1] : roots[0]).path + "/") })
    }

    @Test func aLinkToALinkCountsOnceWithItsTarget() throws {
        let dir = try tree()
        defer { try? FileManager.default.removeItem(at: dir) }
        let found = InputDiscovery.discover([dir.appendingPathComponent("in").path])
        // c.txt → a.txt → ../real/a.txt: the same file as a.txt, which comes first.
        #expect(!found.files.map(\.relativePath).contains("c.txt"))
        #expect(found.files.map(\.relativePath).contains("a.txt"))
    }

    @Test func pathsAreJoinedAsBeforeWhateverTheRootLooksLike() throws {
        let dir = try tree()
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = dir.appendingPathComponent("in").path
        for spelled in [root, root + "/"] {
            let found = InputDiscovery.discover([spelled])
            #expect(found.files.first?.path == (spelled as NSString).appendingPathComponent("a.txt"))
            #expect(found.files.first?.relativePath == "a.txt")
        }
    }

    @Test func namedAndGlobbedFilesAreTakenOnceWhateverTheSpelling() throws {
        let dir = try tree()
        defer { try? FileManager.default.removeItem(at: dir) }
        let real = dir.appendingPathComponent("real").path
        let found = InputDiscovery.discover([
            real + "/a.txt", real + "//a.txt", dir.appendingPathComponent("via").path + "/../real/a.txt",
            dir.appendingPathComponent("in/a.txt").path, dir.appendingPathComponent("in/c.txt").path,
            dir.appendingPathComponent("real").path + "/*.txt", dir.appendingPathComponent("in").path,
        ])
        #expect(found.problems.isEmpty, "\(found.problems)")
        // a.txt once (named, through links, by pattern); then b.txt from the pattern; then
        // what only the walk of in/ adds.
        #expect(found.files.map(\.path) == [real + "/a.txt", real + "/b.txt"] + ["d.TXT", "m.txt", "sub/e.html"].map { dir.appendingPathComponent("in/" + $0).path })
        let resolved = found.files.map { URL(fileURLWithPath: $0.path).resolvingSymlinksInPath().path }
        #expect(Set(resolved).count == resolved.count)
    }
    /// A link with a walked name is resolved without a stat of its own (`linkedFile` gives
    /// the mode): what it points to must be treated as stat would find it — a directory walked,
    /// a FIFO refused, a missing target reported as a broken link, a link to a link followed.
    @Test func linksWithWalkedNamesAreTakenAsWhatTheyPointTo() throws {
        let dir = try tree()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fm = FileManager.default
        #expect(mkfifo(dir.appendingPathComponent("real/pipe").path, 0o644) == 0)
        let link = { (name: String, target: String) in try fm.createSymbolicLink(atPath: dir.appendingPathComponent(name).path, withDestinationPath: target) }
        try fm.createDirectory(at: dir.appendingPathComponent("links"), withIntermediateDirectories: true)
        try link("links/folder.txt", "../in/sub")
        try link("links/pipe.txt", "../real/pipe")
        try link("links/gone.txt", "../real/missing.txt")
        try link("links/twice.txt", "../in/c.txt")
        let found = InputDiscovery.discover([dir.appendingPathComponent("links").path])
        // folder.txt is walked (sub/e.html inside), twice.txt reaches real/a.txt.
        #expect(found.files.map(\.relativePath) == ["folder.txt/e.html", "twice.txt"])
        #expect(URL(fileURLWithPath: found.files[1].path).resolvingSymlinksInPath().path == dir.appendingPathComponent("real/a.txt").resolvingSymlinksInPath().path)
        let problems = found.problems.map { ($0.file, $0.severity, $0.message) }
        #expect(problems.count == 2, "\(problems)")
        #expect(found.problems.contains { $0.file.hasSuffix("links/pipe.txt") && $0.severity == .error && $0.message.contains("named pipe") })
        #expect(found.problems.contains { $0.file.hasSuffix("links/gone.txt") && $0.severity == .warning && $0.message.contains("broken symbolic link") })
    }
}
