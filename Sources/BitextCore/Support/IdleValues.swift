import Foundation

/// Values handed from one task to the next instead of made for each (the buffers a stage fills
/// and empties per document or unit): one per task in flight (`--jobs`). Which one a task gets
/// changes nothing but allocation. Shared by the stages' pools (`segment.sentences`,
/// `align.sentences`, `extract.entities`, `link.entities`).
public final class IdleValues<Value: Sendable>: @unchecked Sendable {
    // Unchecked: `idle` is read and written only under `lock`. NSLock rather than Mutex, as
    // `SharedReadings` (ThreadSanitizer and Mutex on Linux). Inlinable, so that each pool is
    // specialized for its values where it is used: unspecialized, every take and give-back
    // looked up `[Value]`'s metadata and witness tables at run time and copied the value
    // through its value witnesses (0.7% of the 1,000-pair run, five pools).
    @usableFromInline let lock = NSLock()
    @usableFromInline var idle: [Value] = []

    public init() {}

    /// A kept value, if there is one (then no other task has it).
    @inlinable
    public func take() -> Value? {
        lock.lock()
        defer { lock.unlock() }
        return idle.popLast()
    }

    /// Keeps `value` for a later task (moved in: the kept one is the only copy).
    @inlinable
    public func giveBack(_ value: consuming Value) {
        lock.lock()
        idle.append(consume value)
        lock.unlock()
    }
}
