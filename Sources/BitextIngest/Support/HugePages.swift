#if canImport(Glibc)
    import Glibc
#endif

/// Transparent huge pages for the few very large buffers of a run (an input file read whole,
/// its decoded text, its block list). Linux gives them only on request (`madvise`) on most
/// systems; with 4 KiB pages, a 100 MB file costs about 90,000 page faults across those
/// buffers, with 2 MiB pages a few hundred. Only advice: the kernel may decline, and the
/// memory reads and writes the same either way.
public enum HugePages {
    /// The huge page size on x86-64 and most arm64 kernels.
    static let size = 1 << 21

    /// Asks for huge pages under the whole 2 MiB pages inside `start ..< start + byteCount`,
    /// before they are first written (pages already touched keep their small pages). Buffers
    /// under 8 MiB are left alone: there the saving is small and rounding would waste memory.
    public static func advise(_ start: UnsafeRawPointer, byteCount: Int) {
        #if os(Linux)
            guard byteCount >= 4 * size else { return }
            let address = Int(bitPattern: start)
            let first = (address + size - 1) & ~(size - 1)
            let end = (address + byteCount) & ~(size - 1)
            guard end > first, let pointer = UnsafeMutableRawPointer(bitPattern: first) else { return }
            _ = madvise(pointer, end - first, MADV_HUGEPAGE)
        #endif
    }

    /// `advise` for the reserved capacity of an array (call right after `reserveCapacity`,
    /// while nothing has been written past `count`).
    public static func advise<Element>(capacityOf array: [Element]) {
        let bytes = array.capacity * MemoryLayout<Element>.stride
        guard bytes >= 4 * size else { return }
        array.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { advise(UnsafeRawPointer(base), byteCount: bytes) }
        }
    }
}
