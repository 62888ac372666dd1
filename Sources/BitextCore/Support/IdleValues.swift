import Foundation

/// Values handed from one task to the next instead of made for each (the buffers a stage fills
/// and empties per document or unit): one per task in flight (`--jobs`). Which one a task gets
/// changes nothing but allocation. Shared by the stages' pools (`segment.sentences`,
/// `align.sentences`, `extract.entities`, `link.entities`).
public final class IdleValues<Value: Sendable>: @unchecked Sendable {
    // Unchecked: `idle` is read and written only under `lock`. NSLock rather than Mutex, as
    // `SharedReadings` (ThreadSanitizer and Mutex on Linux).
    private let lock = NSLock()
    private var idle: [Value] = []

    public init() {}

    /// A kept value, if there is one (then no other task has it).
    public func take() -> Value? {
        lock.lock()
        defer { lock.unlock() }
        return idle.popLast()
    }

    /// Keeps `value` for a later task (moved in: the kept one is the only copy).
    public func giveBack(_ value: consuming Value) {
        lock.lock()
        idle.append(consume value)
        lock.unlock()
    }
}
