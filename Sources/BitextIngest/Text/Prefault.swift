#if canImport(Glibc)
    import Glibc
#endif

/// Large memory that a text fills front to back (the text read from its file, drafting's
/// block array) is made resident a stretch at a time by one system call
/// (`MADV_POPULATE_WRITE`) instead of page by page as each first write traps: the kernel still
/// allocates and zeroes every page, but the trap of each of them (some 55,000 for 100 MB
/// of text) is gone. Only a hint: where the kernel lacks it (before Linux 5.14, other
/// systems), pages are faulted in as before. (Transparent huge pages were tried instead:
/// on this VM a huge page's first touch cost several times its 512 small pages.)
public enum Prefault {
    /// Regions smaller than this are left to fault: small documents (most) are unchanged.
    static let minimumRegion = 1 << 20
    static let pageSize = 4096
    /// `MADV_POPULATE_WRITE` (Linux 5.14; older Glibc headers lack the name).
    static let populateWrite: Int32 = 23

    /// Makes the whole pages inside `region` resident and writable (memory this process
    /// allocated; no byte changes).
    public static func populate(_ region: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
            guard region.count >= minimumRegion, let base = region.baseAddress else { return }
            let start = (Int(bitPattern: base) + pageSize - 1) & ~(pageSize - 1)
            let end = (Int(bitPattern: base) + region.count) & ~(pageSize - 1)
            guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
            _ = madvise(aligned, end - start, populateWrite)
        #endif
    }
}

extension Prefault {
    /// Makes the storage `text` has reserved past its bytes resident, up to `totalBytes` in
    /// all (`populate`; no byte changes). Called once a piece is in it: an empty string may
    /// show no storage of its own.
    public static func populateReserve(of text: inout String, upTo totalBytes: Int) {
        text.utf8.withContiguousStorageIfAvailable { stored in
            guard let base = stored.baseAddress, totalBytes > stored.count else { return }
            populate(UnsafeMutableRawBufferPointer(start: UnsafeMutableRawPointer(mutating: base + stored.count), count: totalBytes - stored.count))
        }
    }
}

/// Makes an array's reserved storage resident a stretch ahead of its appends (`Prefault`):
/// `prepare` before each append costs a comparison, and a system call per stretch.
struct PrefaultAhead {
    /// Bytes made resident at a time.
    static let stretch = 1 << 21
    /// The element count from which the next stretch is made resident.
    private var nextCount = 0

    /// Before an append to `array`: the stretch after its last element is made resident
    /// when the appends have reached it (within the array's capacity).
    @inline(__always)
    mutating func prepare<Element>(_ array: inout [Element]) {
        guard array.count >= nextCount else { return }
        populate(&array)
    }

    private mutating func populate<Element>(_ array: inout [Element]) {
        let stride = MemoryLayout<Element>.stride
        let count = array.count
        let end = min(array.capacity, count + max(1, Self.stretch / stride))
        nextCount = end
        guard end > count else { return }
        array.withUnsafeMutableBufferPointer { elements in
            guard let base = elements.baseAddress else { return }
            // The storage runs from the first element for `capacity` elements.
            Prefault.populate(UnsafeMutableRawBufferPointer(start: UnsafeMutableRawPointer(base) + count * stride, count: (end - count) * stride))
        }
    }
}
