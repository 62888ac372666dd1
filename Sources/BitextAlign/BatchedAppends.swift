/// Appends to an array through room on the stack, moved into the array a batch at a time.
/// Appending to the array itself checks its uniqueness (a runtime call) at every element, and
/// the optimizer does not hoist that check out of a loop that also mutates other state: the
/// loop gathering a text's ids from the shared store made a million such calls over 1,000
/// small pairs.
struct BatchedAppends<Element: BitwiseCopyable> {
    private let room: UnsafeMutableBufferPointer<Element>
    private let list: UnsafeMutablePointer<[Element]>
    private var pending = 0

    /// Runs `body` with appends to `list`: all of them are in the list when it returns.
    static func appending<R>(to list: inout [Element], _ body: (inout BatchedAppends) -> R) -> R {
        // 1 KB: room that `withUnsafeTemporaryAllocation` takes on the stack without first
        // checking how much stack is left.
        withUnsafeTemporaryAllocation(of: Element.self, capacity: max(1, 1024 / MemoryLayout<Element>.stride)) { room in
            withUnsafeMutablePointer(to: &list) { list in
                var appends = BatchedAppends(room: room, list: list)
                let result = body(&appends)
                appends.flush()
                return result
            }
        }
    }

    private init(room: UnsafeMutableBufferPointer<Element>, list: UnsafeMutablePointer<[Element]>) {
        self.room = room
        self.list = list
    }

    /// How many elements the list holds, those still to be moved in counted.
    var count: Int { list.pointee.count + pending }

    @inline(__always)
    mutating func append(_ element: Element) {
        if pending == room.count { flush() }
        (room.baseAddress! + pending).initialize(to: element)
        pending += 1
    }

    /// Appends `elements`, after those still to be moved in.
    @inline(__always)
    mutating func append(contentsOf elements: UnsafeBufferPointer<Element>) {
        guard let source = elements.baseAddress else { return }
        if pending + elements.count > room.count {
            flush()
            if elements.count > room.count {
                list.pointee.append(contentsOf: elements)
                return
            }
        }
        (room.baseAddress! + pending).initialize(from: source, count: elements.count)
        pending += elements.count
    }

    private mutating func flush() {
        guard pending > 0 else { return }
        list.pointee.append(contentsOf: UnsafeBufferPointer(rebasing: room[..<pending]))
        pending = 0
    }
}
