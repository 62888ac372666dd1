import BitextCore
import Dispatch
import Foundation

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
    /// Where the descriptors it opens are kept for the workers, or nil: closed at once.
    let opened: PrefetchedInputs?

    init(keepingDescriptors: Bool = false) {
        opened = keepingDescriptors ? PrefetchedInputs() : nil
    }

    /// Units whose inputs are asked for ahead of the unit being started: enough to cover the
    /// disk's latency (milliseconds) against a small unit's compute (about two), few enough
    /// that the pages are still cached when their turn comes.
    static func lookahead(jobs: Int) -> Int { 4 * jobs + 16 }
    /// Units asked for in one hand-over to the prefetch thread (one wake-up each).
    static let chunk = 16

    /// Starts reading `paths` (whole files) in the background; returns at once.
    func prefetch(_ paths: [String]) {
        guard !paths.isEmpty else { return }
        queue.async { [opened] in
            for path in paths {
                // A worker already read it (this thread fell behind): nothing to start.
                if let opened, !opened.awaits(path) { continue }
                guard let fd = Self.adviseWillNeed(path) else { continue }
                if !(opened?.keep(fd, for: path) ?? false) { close(fd) }
            }
        }
    }

    /// POSIX_FADV_WILLNEED on a regular file: the kernel queues the reads and returns without
    /// waiting for them. O_NONBLOCK keeps a FIFO from blocking the open. Returns the file's
    /// descriptor (the caller closes it) when the file was advised, nil otherwise.
    @discardableResult
    static func adviseWillNeed(_ path: String) -> Int32? {
        let fd = path.withCString { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size > 0 else {
            close(fd)
            return nil
        }
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED)
        return fd
    }
}

/// Descriptors of inputs the prefetch thread opened, kept for the worker that reads each file
/// next (`take`), so that an input is opened once per run instead of twice: an open walks the
/// path (through a symbolic link, the link's and its target's), and the prefetcher's second
/// open of every input was about 1.5% of the CPU time of 1,000 small pairs. The worker reads
/// the file as it was when prefetched, a few units before its turn (as a file replaced while
/// a batch runs may be read before or after the change anyway).
///
/// Behind an `NSLock` (see `BackgroundPublisher`). At most `maxKept` are held at once; the
/// runner closes what is left (`closeAll`).
final class PrefetchedInputs: @unchecked Sendable {
    private let lock = NSLock()
    private var descriptors: [String: Int32] = [:]
    /// Paths a worker asked for before the prefetch thread came to them (it skips them).
    private var read: Set<String> = []
    private var closed = false

    /// Descriptors held at most: far below any descriptor limit with the runner's staged
    /// outputs (`BatchRunner.publishGroupFiles`), more than a window of small units' inputs.
    static let maxKept = 64

    /// Whether `path` still waits for the prefetch thread (no worker asked for it yet);
    /// forgets a worker's asking.
    func awaits(_ path: String) -> Bool {
        lock.withLock { read.remove(path) == nil && !closed }
    }

    /// Keeps `fd` for the worker that reads `path`; false when it is not kept (the caller
    /// closes it).
    func keep(_ fd: Int32, for path: String) -> Bool {
        lock.withLock {
            guard !closed, descriptors.count < Self.maxKept, descriptors[path] == nil else { return false }
            descriptors[path] = fd
            return true
        }
    }

    /// The descriptor kept for `path`, now the caller's to close; nil when there is none (then
    /// the prefetch thread will not open the file any more).
    func take(_ path: String) -> Int32? {
        lock.withLock {
            if let fd = descriptors.removeValue(forKey: path) { return fd }
            if !closed { read.insert(path) }
            return nil
        }
    }

    /// Closes the descriptors no worker took; none is kept after this.
    func closeAll() {
        let left = lock.withLock {
            closed = true
            read.removeAll()
            defer { descriptors.removeAll() }
            return Array(descriptors.values)
        }
        for fd in left { close(fd) }
    }
}

/// Which units' inputs have been handed to an `InputPrefetcher`: keeps it `lookahead` units
/// ahead of the next unit to start, in chunks.
struct PrefetchWindow {
    private let prefetcher: InputPrefetcher
    private let lookahead: Int
    /// Units before this one have been asked for.
    private var asked = 0

    /// `keepingDescriptors`: the files opened are kept for the workers (`opened`).
    init(jobs: Int, keepingDescriptors: Bool = false) {
        lookahead = InputPrefetcher.lookahead(jobs: jobs)
        prefetcher = InputPrefetcher(keepingDescriptors: keepingDescriptors)
    }

    /// The descriptors kept for the workers, when they are kept.
    var opened: PrefetchedInputs? { prefetcher.opened }

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
