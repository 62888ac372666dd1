extension Array {
    /// Spare capacity (as a fraction of the count) that `trimmingCapacity()` lets stay: an
    /// array grown by doubling holds up to twice what it needs, but a trim copies every
    /// element (and for a moment holds both copies), so a small surplus is left alone.
    /// One eighth: the sentences of the long pair ×16 went from 18.9 MB of capacity to
    /// the 10.1 MB they fill; a surplus under 1/8 would free less than the copy's cost.
    @usableFromInline static var trimSlackDivisor: Int { 8 }

    /// The array, or a copy of exactly its elements when it holds much more room than it
    /// uses: per-document annotations (blocks, sentences) stay for the rest of the run.
    @inlinable
    public func trimmingCapacity() -> [Element] {
        guard capacity - count > count / Self.trimSlackDivisor else { return self }
        return withUnsafeBufferPointer { Array($0) }
    }
}
