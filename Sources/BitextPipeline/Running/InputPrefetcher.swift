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

    init(keepingDescriptors: Bool = false, maxKept: Int = PrefetchedInputs.defaultMaxKept) {
        opened = keepingDescriptors ? PrefetchedInputs(maxKept: maxKept) : nil
    }

    /// Units whose inputs are asked for ahead of the unit being started: enough to cover the
    /// disk's latency (milliseconds) against a small unit's compute (about two), few enough
    /// that the pages are still cached when their turn comes.
    static func lookahead(jobs: Int) -> Int { 4 * jobs + 16 }
    /// Units asked for in one hand-over to the prefetch thread (one wake-up each).
    static let chunk = 16

    /// Descriptors kept for the workers: every input of a window of pairs (`lookahead` and a
    /// `chunk` more are asked for at most, beside the units started whose workers have not
    /// read yet, up to `jobs`), so that none is opened twice; at 64, a window of pairs (72
    /// inputs with one job, 80 with two) did not fit and some 13% of the inputs of 1,000 pairs
    /// were opened again by their worker. No more than `maxKeptDescriptors`, nor than a quarter
    /// of the process's descriptor limit: under a low `ulimit -n` the workers' own opens and the
    /// staged outputs come first.
    static func keptDescriptors(jobs: Int, openFileLimit: Int = openFileLimit) -> Int {
        min(inputsPerUnit * (lookahead(jobs: jobs) + chunk + jobs), maxKeptDescriptors, openFileLimit / 4)
    }
    /// The descriptors a batch may open: the soft limit (RLIMIT_NOFILE; 1,024 when it cannot be
    /// read) less those already open when first asked (standard streams, the runtime's event
    /// and signal descriptors, a supervised run's pipes), which a low limit cannot spare.
    static let openFileLimit: Int = {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1_024 }
        let soft = Int(clamping: limit.rlim_cur)  // RLIM_INFINITY is the largest rlim_t: Int.max
        return max(8, soft - openDescriptors())
    }()

    /// Descriptors open in this process (entries of /proc/self/fd, less the one reading it).
    private static func openDescriptors() -> Int {
        guard let directory = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(directory) }
        var count = -1
        while let entry = readdir(directory) {
            let dot = UInt8(ascii: "."), name = entry.pointee.d_name
            if !(name.0 == dot && (name.1 == 0 || (name.1 == dot && name.2 == 0))) { count += 1 }
        }
        return max(0, count)
    }
    /// Inputs of a unit: a pair's two.
    static let inputsPerUnit = 2
    /// With the runner's staged outputs (about three of `BatchRunner.publishGroupFiles`), far
    /// below the usual limit of 1,024 descriptors.
    static let maxKeptDescriptors = 256

    /// Starts reading `paths` (whole files) in the background; returns at once.
    func prefetch(_ paths: [String]) {
        guard !paths.isEmpty else { return }
        opened?.expect(paths)
        queue.async { [opened] in
            for path in paths {
                guard let opened else {
                    if let fd = Self.adviseWillNeed(path) { close(fd) }
                    continue
                }
                // A worker already read it (this thread fell behind): nothing to start.
                guard opened.claim(path) else { continue }
                opened.settle(path, descriptor: Self.adviseWillNeed(path))
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
/// Each path handed over is in one state at a time, and whichever of the prefetch thread and
/// the worker comes to it first moves it on: `queued` (handed over, not yet come to),
/// `opening` (the thread is opening it), kept (`descriptors`), or forgotten. So nothing is
/// remembered past a worker's read (a set of the paths workers asked for grew by every input
/// the thread had passed without keeping it), and a descriptor opened while its worker
/// already read the file is closed, not held to the end of the batch.
///
/// Behind an `NSLock` (see `BackgroundPublisher`). At most `maxKept` are held at once; the
/// runner closes what is left (`closeAll`).
final class PrefetchedInputs: @unchecked Sendable {
    private let lock = NSLock()
    private var descriptors: [String: Int32] = [:]
    /// Paths handed to the prefetch thread that neither it nor a worker has come to yet.
    private var queued: Set<String> = []
    /// Paths the prefetch thread is opening, which no worker has asked for yet.
    private var opening: Set<String> = []
    private var closed = false
    let maxKept: Int

    /// Descriptors held at most, unless told (`InputPrefetcher.keptDescriptors`).
    static let defaultMaxKept = 64

    init(maxKept: Int = PrefetchedInputs.defaultMaxKept) { self.maxKept = maxKept }

    /// Paths about to be handed to the prefetch thread.
    func expect(_ paths: [String]) {
        lock.withLock {
            guard !closed else { return }
            queued.formUnion(paths)
        }
    }

    /// Whether the prefetch thread should open `path`: handed over, and no worker asked for it
    /// yet. Then it must `settle` it.
    func claim(_ path: String) -> Bool {
        lock.withLock {
            guard !closed, queued.remove(path) != nil else { return false }
            opening.insert(path)
            return true
        }
    }

    /// The prefetch thread's descriptor of a claimed `path` (nil: not opened): kept for the
    /// worker that reads it, or closed when that worker read it meanwhile, when the batch is
    /// over, or when `maxKept` are held.
    func settle(_ path: String, descriptor fd: Int32?) {
        let kept = lock.withLock {
            guard opening.remove(path) != nil, let fd, !closed, descriptors.count < maxKept, descriptors[path] == nil else { return false }
            descriptors[path] = fd
            return true
        }
        if !kept, let fd { close(fd) }
    }

    /// The descriptor kept for `path`, now the caller's to close; nil when there is none (then
    /// the prefetch thread will not keep one for it any more).
    func take(_ path: String) -> Int32? {
        lock.withLock {
            if let fd = descriptors.removeValue(forKey: path) { return fd }
            queued.remove(path)
            opening.remove(path)
            return nil
        }
    }

    /// Paths remembered (queued, being opened or kept): at most the prefetch window's.
    var remembered: Int { lock.withLock { queued.count + opening.count + descriptors.count } }

    /// Closes the descriptors no worker took; none is kept after this.
    func closeAll() {
        let left = lock.withLock {
            closed = true
            queued.removeAll()
            opening.removeAll()
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
        prefetcher = InputPrefetcher(keepingDescriptors: keepingDescriptors, maxKept: InputPrefetcher.keptDescriptors(jobs: jobs))
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
