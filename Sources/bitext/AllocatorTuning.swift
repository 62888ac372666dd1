import CBitextAllocator

/// Release builds allocate with mimalloc, which keeps the pages a program frees for 25 ms
/// before it returns them to the system. On long documents the windowed aligners free and
/// allocate large arrays at some 400 MB/s, so 10–20 MB of freed pages counted in the process's
/// peak at any moment. Returned after 5 ms instead, the long pair ×16 peaks ~19 MB lower and
/// ×4 ~4 MB (×64, whose peak is not in that churn, does not move) for about 1% more CPU, in
/// system time (BENCHMARKS.md, "Session 30: the allocator's return delay").
/// `MIMALLOC_DECOMMIT_DELAY` in the environment still wins.
enum AllocatorTuning {
    static let freedMemoryReturnDelayMilliseconds = 5

    static func apply() {
        _ = cbitext_allocator_return_freed_memory_after(freedMemoryReturnDelayMilliseconds)
    }
}
