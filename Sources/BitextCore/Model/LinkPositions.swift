/// The positions one side of a link covers: a list of `Int` that is nearly always one or two
/// consecutive positions, so it keeps such a run inline (first position and count) and falls
/// back to an array only for anything else. An `[Int]` cost each link two heap allocations
/// (≥ 48 bytes each with the allocator's rounding) for what is usually two small numbers.
/// A side's blocks (`Side.blocks`), nearly always a whole document's, are held the same way.
///
/// Behaves as the array it replaces: equality, hashing (count, then each element, as `Array`
/// hashes), Codable (a JSON array of numbers) and collection operations all see only the
/// elements, never which storage holds them. Every list of positions is representable exactly.
public struct LinkPositions: Sendable {
    private enum Storage: Sendable {
        /// `start, start + 1, …, start + count - 1`; the empty list is `run(0, 0)`.
        case run(start: Int32, count: Int32)
        /// Any list that is not such a run (or whose values do not fit in `Int32`).
        case list([Int])
    }

    private var storage: Storage

    public init() { storage = .run(start: 0, count: 0) }

    /// The consecutive positions `range` holds, kept inline when they fit in `Int32`.
    public init(_ range: Range<Int>) {
        if range.isEmpty {
            storage = .run(start: 0, count: 0)
        } else if let start = Int32(exactly: range.lowerBound), Int32(exactly: range.upperBound) != nil,
            let count = Int32(exactly: range.upperBound - range.lowerBound)
        {
            storage = .run(start: start, count: count)
        } else {
            storage = .list(Array(range))
        }
    }

    public init<S: Sequence>(_ positions: S) where S.Element == Int {
        self.init(array: Array(positions))
    }

    private init(array: [Int]) {
        if array.isEmpty {
            storage = .run(start: 0, count: 0)
        } else if let start = Int32(exactly: array[0]), let count = Int32(exactly: array.count),
            Int32(exactly: array[0] + array.count) != nil, array.indices.allSatisfy({ array[$0] == array[0] + $0 })
        {
            storage = .run(start: start, count: count)
        } else {
            storage = .list(array)
        }
    }

    /// The same positions moved by `delta` (a window's positions made the side's, and back).
    public func shifted(by delta: Int) -> LinkPositions {
        switch storage {
        case .run(let start, let count) where count > 0:
            LinkPositions((Int(start) + delta)..<(Int(start) + Int(count) + delta))
        case .run: self
        case .list(let list): LinkPositions(array: list.map { $0 + delta })
        }
    }

    /// A run's first position and count, stored unchecked (`count` > 0, or both 0, and the run
    /// inside `Int32`): how `LinkFields` hands back positions it kept in its own compact fields.
    @usableFromInline
    init(run start: Int32, count: Int32) { storage = .run(start: start, count: count) }

    /// The first position and count when the positions are a run (always, for the empty list).
    @usableFromInline
    var run: (start: Int32, count: Int32)? {
        if case .run(let start, let count) = storage { return (start, count) }
        return nil
    }

    /// The positions as a plain array.
    public var array: [Int] {
        switch storage {
        case .run(let start, let count): Array(Int(start)..<Int(start) + Int(count))
        case .list(let list): list
        }
    }
}

extension LinkPositions: RandomAccessCollection, MutableCollection, RangeReplaceableCollection {
    public typealias Index = Int
    public typealias Indices = Range<Int>

    public var startIndex: Int { 0 }
    public var endIndex: Int {
        switch storage {
        case .run(_, let count): Int(count)
        case .list(let list): list.count
        }
    }
    public var indices: Range<Int> { 0..<endIndex }

    public subscript(position: Int) -> Int {
        get {
            switch storage {
            case .run(let start, let count):
                precondition(position >= 0 && position < Int(count), "LinkPositions index out of range")
                return Int(start) + position
            case .list(let list): return list[position]
            }
        }
        set {
            var elements = array
            elements[position] = newValue
            self = LinkPositions(array: elements)
        }
    }

    public mutating func replaceSubrange<C: Collection>(_ subrange: Range<Int>, with newElements: C)
    where C.Element == Int {
        var elements = array
        elements.replaceSubrange(subrange, with: newElements)
        self = LinkPositions(array: elements)
    }

    /// Adding the next position of a run keeps it inline without building the array.
    public mutating func append(_ position: Int) {
        if case .run(let start, let count) = storage, count > 0, Int(start) + Int(count) == position,
            let grown = Int32(exactly: Int(count) + 1), Int32(exactly: position + 1) != nil
        {
            storage = .run(start: start, count: grown)
        } else {
            replaceSubrange(endIndex..<endIndex, with: CollectionOfOne(position))
        }
    }
}

extension LinkPositions: ExpressibleByArrayLiteral {
    public init(arrayLiteral positions: Int...) { self.init(array: positions) }
}

extension LinkPositions: Hashable {
    /// Storage is canonical (a consecutive list is always a run, the empty one `run(0, 0)`),
    /// so comparing storage compares elements; mixed storage means different elements.
    public static func == (lhs: LinkPositions, rhs: LinkPositions) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.run(let a, let m), .run(let b, let n)): a == b && m == n
        case (.list(let a), .list(let b)): a == b
        default: false
        }
    }

    /// Hashes as `Array<Int>` does, so a set or dictionary sees the same values either way.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for position in self { hasher.combine(position) }
    }
}

extension LinkPositions: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(array: try [Int](from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for position in self { try container.encode(position) }
    }
}

extension LinkPositions: CustomStringConvertible {
    public var description: String { array.description }
}
