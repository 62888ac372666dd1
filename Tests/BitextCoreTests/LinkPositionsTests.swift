import BitextCore
import Foundation
import PropertyBased
import Testing

/// `LinkPositions` is the `[Int]` it replaced in every way a caller can see: values,
/// equality, hashing, JSON, mutation, whether the list is a run kept inline or not.
@Suite struct LinkPositionsTests {
    /// Lists of every kind: runs (from any start, including past `Int32`), runs with one
    /// value changed, descending, repeated and empty lists.
    static let lists = zip(Gen<Int>.int(in: 0...5), Gen<Int>.int(in: -3...(1 << 33)), Gen<Int>.int(in: 0...6), Gen<Int>.int(in: -2...2))
        .map { kind, start, count, change -> [Int] in
            let run = Array(start..<(start + count))
            switch kind {
            case 0: return Array((start % 1000)..<((start % 1000) + count))
            case 1: return run
            case 2: return run.enumerated().map { $0.offset == count / 2 ? $0.element + change : $0.element }
            case 3: return run.reversed()
            case 4: return [Int](repeating: start % 7, count: count)
            default: return Array([start % 100, start % 13, Int.max, Int.min].prefix(count))
            }
        }

    @Test func behavesAsItsArray() async {
        await propertyCheck(count: 500, input: Self.lists) { list in
            let positions = LinkPositions(list)
            #expect(Array(positions) == list)
            #expect(positions.array == list)
            #expect(positions.count == list.count)
            #expect(positions.first == list.first && positions.last == list.last)
            #expect(positions.hashValue == list.hashValue)
            #expect(positions.description == list.description)
        }
    }

    @Test func equalityIsTheArrays() async {
        await propertyCheck(count: 500, input: Self.lists, Self.lists) { a, b in
            #expect((LinkPositions(a) == LinkPositions(b)) == (a == b))
            #expect(LinkPositions(a) == LinkPositions(a.map { $0 }))
        }
    }

    @Test func codesAsAJSONArray() async throws {
        await propertyCheck(count: 300, input: Self.lists) { list in
            let encoded = try? JSONEncoder().encode(LinkPositions(list))
            #expect(encoded == (try? JSONEncoder().encode(list)))
            let decoded = encoded.flatMap { try? JSONDecoder().decode(LinkPositions.self, from: $0) }
            #expect(decoded == LinkPositions(list))
        }
        let link = AlignmentLink(english: [3, 4], spanish: [7, 9], score: 0.5)
        let json = String(decoding: try JSONEncoder().encode(link.english), as: UTF8.self)
        #expect(json == "[3,4]")
        #expect(try JSONDecoder().decode(AlignmentLink.self, from: JSONEncoder().encode(link)) == link)
    }

    @Test func mutationKeepsValuesExact() async {
        await propertyCheck(count: 300, input: Self.lists, Gen<Int>.int(in: -5...(1 << 32))) { list, value in
            var positions = LinkPositions(list)
            var array = list
            positions.append(value)
            array.append(value)
            #expect(Array(positions) == array && positions == LinkPositions(array))
            let middle = array.count / 2
            positions[middle] = value &+ 1
            array[middle] = value &+ 1
            #expect(Array(positions) == array && positions == LinkPositions(array))
            positions.removeFirst()
            array.removeFirst()
            #expect(Array(positions) == array && positions == LinkPositions(array))
            #expect(Array(positions.map { $0 &+ 10 }) == array.map { $0 &+ 10 })
        }
    }

    @Test func runsGrowInline() {
        var positions: LinkPositions = []
        for position in 5..<9 { positions.append(position) }
        #expect(positions == LinkPositions(5..<9) && Array(positions) == [5, 6, 7, 8])
        #expect(LinkPositions(3..<3) == [] && LinkPositions([Int]()) == LinkPositions())
        #expect(Set([LinkPositions([1, 2]), LinkPositions(1..<3)]).count == 1)
    }

    /// A run costs 9 bytes and no allocation (links keep their runs in fields of their own:
    /// `LinkLayoutTests`).
    @Test func layout() {
        #expect(MemoryLayout<LinkPositions>.size == 9)
        #expect(MemoryLayout<LinkPositions>.stride == 16)
    }
}
