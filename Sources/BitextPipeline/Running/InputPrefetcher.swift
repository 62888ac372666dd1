import BitextCore
import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// Asks the kernel to start reading the inputs of the units a batch will run next, from a
/// thread of its own, so that their bytes are in the page cache when a worker reads them.
///
/// Inputs not in the cache (a first run, or pages the kernel reclaimed since) otherwise cost
/// each worker a wait for the disk per file, and with as many workers as cores a waiting
/// worker is an idle core: on 10,000 cold pairs with `--jobs 2`, each worker spent about a
/// tenth of the run blocked in `read`. Opening a file whose inode is not cached waits for
/// the disk too, which is why this is done here rather than by the coordinator.
/// Advice only: what is read and when, and so every output, stays the same.
struct InputPrefetcher: Sendable {
    private let queue = DispatchQueue(label: "bitext.prefetch", qos: .utility)

    /// Units whose inputs are asked for ahead of the unit being started: enough to cover the
    /// disk's latency (milliseconds) against a small unit's compute (about two), few enough
    /// that the pages are still cached when their turn comes.
    static func lookahead(jobs: Int) -> Int { 4 * jobs + 16 }
    /// Units asked for in one hand-over to the prefetch thread (one wake-up each).
    static let chunk = 16

    /// Starts reading `paths` (whole files) in the background; returns at once.
    func prefetch(_ paths: [String]) {
        guard !paths.isEmpty else { return }
        queue.async {
            for path in paths { Self.adviseWillNeed(path) }
        }
    }

    /// POSIX_FADV_WILLNEED on a regular file: the kernel queues the reads and returns without
    /// waiting for them. O_NONBLOCK keeps a FIFO from blocking the open.
    static func adviseWillNeed(_ path: String) {
        let fd = path.withCString { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else { return }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size > 0 else { return }
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED)
    }
}

/// Which units' inputs have been handed to an `InputPrefetcher`: keeps it `lookahead` units
/// ahead of the next unit to start, in chunks.
struct PrefetchWindow {
    private let prefetcher = InputPrefetcher()
    private let lookahead: Int
    /// Units before this one have been asked for.
    private var asked = 0

    init(jobs: Int) { lookahead = InputPrefetcher.lookahead(jobs: jobs) }

    /// Called as unit `next` starts: asks for the units up to `lookahead` past it, unless
    /// enough are asked for already.
    /// Returns the units asked for by this call.
    @discardableResult
    mutating func advance(to next: Int, of units: [WorkUnit]) -> Range<Int> {
        guard asked < min(units.count, next + lookahead) else { return asked..<asked }
        let range = asked..<min(units.count, next + lookahead + InputPrefetcher.chunk)
        // Inputs given in memory (`contents`, `text`) are not read from disk.
        prefetcher.prefetch(units[range].flatMap { unit in unit.inputs.lazy.filter { $0.contents == nil && $0.text == nil }.map(\.path) })
        asked = range.upperBound
        return range
    }
}
