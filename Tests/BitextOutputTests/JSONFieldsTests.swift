import BitextCore
import Testing

@testable import BitextOutput

/// `JSONWriter.fields` composes records in raw memory: its bytes must be exactly those of
/// the equivalent `value` and `optional` calls.
@Suite struct JSONFieldsTests {
    static let strings = [
        "", "plain", "quote \" and \\ backslash", "line\nbreak\ttab\rreturn", "\u{01}\u{1F}\u{7F} controls",
        "ñandú “curly” 😀", String(repeating: "abcdefgh", count: 5) + "\"", "12345678\n", "\"\"\"\"\"\"\"\"\"",
    ]
    static let integers = [
        0, 7, 10, 99, 100, 12345, 9_999_999_999, 10_000_000_000_000_000, -1, -10, -987_654, Int.max, Int.min,
        1, 9, 11, 101, 999, 1000, 1001, 9999, 10_000, 10_001, 99_999, 100_000, 100_100, 999_999, 1_000_000, 1_000_001,
        9_999_999, 10_000_000, 10_203_040, 99_999_999, 100_000_000, 100_000_001, 123_456_789, -5, -99_999_999, -100_000_000,
    ]

    /// Integers are written as `String(_:)` writes them, whatever their number of digits.
    @Test func integersAreWrittenAsStringWritesThem() {
        var values = Self.integers
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        for _ in 0..<20_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let digits = Int(state >> 59) % 19 + 1  // 1 to 19 digits
            var value = Int(truncatingIfNeeded: state >> 1) % Int(pow10(digits))
            if state & 1 == 1 { value = -value }
            values.append(value)
        }
        for value in values {
            var writer = JSONWriter(pretty: false)
            writer.object { $0.value("n", value) }
            #expect(String(decoding: writer.bytes, as: UTF8.self) == "{\"n\":\(value)}", "\(value)")
        }
        func pow10(_ n: Int) -> UInt64 { (0..<min(n, 18)).reduce(UInt64(1)) { acc, _ in acc * 10 } }
    }

    @Test(arguments: [true, false])
    func fieldsWriteTheBytesOfValueCalls(pretty: Bool) {
        var expected = JSONWriter(pretty: pretty)
        var composed = JSONWriter(pretty: pretty)
        for json in [0, 1] {
            var writer = json == 0 ? expected : composed
            writer.beginObject()
            writer.beginArray("records")
            for (n, string) in Self.strings.enumerated() {
                writer.beginObject()
                if json == 0 {
                    writer.value("index", n)
                    writer.value("text", string)
                    writer.optional("level", n % 2 == 0 ? n : nil)
                    writer.optional("marker", n % 3 == 0 ? string : nil)
                    writer.value("score", Double(n) / 7)
                    for integer in Self.integers { writer.value("number", integer) }
                    writer.array("numbers", Array(Self.integers.prefix(n)))
                    writer.array("strings", Array(Self.strings.prefix(n)))
                } else {
                    writer.fields { fields in
                        fields.value("index", n)
                        fields.value("text", string)
                        fields.optional("level", n % 2 == 0 ? n : nil)
                        fields.optional("marker", n % 3 == 0 ? string : nil)
                        fields.value("score", Double(n) / 7)
                        for integer in Self.integers { fields.value("number", integer) }
                        fields.array("numbers", Array(Self.integers.prefix(n)))
                        fields.array("strings", Array(Self.strings.prefix(n)))
                    }
                }
                // Generic calls after composed fields continue the same object.
                writer.array("flags", ["a", "b"])
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
            if json == 0 { expected = writer } else { composed = writer }
        }
        #expect(String(decoding: composed.bytes, as: UTF8.self) == String(decoding: expected.bytes, as: UTF8.self))
    }

    @Test(arguments: [true, false])
    func piecesFoldLineBreaksAsTheWriterDoes(folding: Bool) {
        let pieces = ["first line\nsecond", " \"quoted\"\n", "", "tail\u{2}"]
        var expected = JSONWriter()
        var composed = JSONWriter()
        expected.beginObject()
        expected.value("text", foldingLineBreaks: folding) { emit in
            for piece in pieces { piece.utf8.withContiguousStorageIfAvailable(emit) }
        }
        expected.endObject()
        composed.beginObject()
        composed.fields { fields in
            fields.value("text", foldingLineBreaks: folding) { emit in
                for piece in pieces { piece.utf8.withContiguousStorageIfAvailable(emit) }
            }
        }
        composed.endObject()
        #expect(composed.bytes == expected.bytes)
    }

    /// Folded text of every mix (line feeds next to quotes, backslashes, controls, accents,
    /// at every offset in a word) writes the bytes of the writer's byte-by-byte path.
    @Test(arguments: 0..<60)
    func foldedTextMatchesTheWriter(seed: Int) {
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 3
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        let pieces = ["\n", "\n", "word ", "a", "\"", "\\", "\u{1}", "\t", "\r", "ñ", "“x”", "\u{7F}", "abcdefghij", "\n\n"]
        var text = ""
        for _ in 0..<next(80) { text += pieces[next(pieces.count)] }
        var expected = JSONWriter()
        var composed = JSONWriter()
        expected.beginObject()
        expected.value("text", foldingLineBreaks: true) { emit in text.utf8.withContiguousStorageIfAvailable(emit) }
        expected.endObject()
        composed.beginObject()
        composed.fields { fields in
            fields.value("text", foldingLineBreaks: true) { emit in text.utf8.withContiguousStorageIfAvailable(emit) }
        }
        composed.endObject()
        #expect(composed.bytes == expected.bytes, "\(text.debugDescription)")
    }

    @Test func aLongRecordGrowsTheScratchMemory() {
        let long = String(repeating: "\u{1}é\"", count: 10_000)
        var expected = JSONWriter()
        var composed = JSONWriter()
        expected.beginObject()
        expected.value("text", long)
        expected.endObject()
        composed.beginObject()
        composed.fields { $0.value("text", long) }
        composed.endObject()
        #expect(composed.bytes == expected.bytes)
    }

    /// `object(fields:)` against beginObject / value / endObject: in an array (first and later
    /// elements), in an inline array, empty, and at the top.
    @Test(arguments: [true, false])
    func composedObjectsMatchOpenedAndClosedOnes(pretty: Bool) {
        func write(composed: Bool) -> [UInt8] {
            var writer = JSONWriter(pretty: pretty)
            func record(_ n: Int) {
                if composed {
                    writer.object { fields in
                        if n > 0 {
                            fields.value("n", n)
                            fields.value("text", "line\n\"\(n)\"")
                        }
                    }
                } else {
                    writer.beginObject()
                    if n > 0 {
                        writer.value("n", n)
                        writer.value("text", "line\n\"\(n)\"")
                    }
                    writer.endObject()
                }
            }
            writer.beginObject()
            writer.beginArray("records")
            for n in 0..<4 { record(n) }
            writer.endArray()
            writer.beginArray("inline", inline: true)
            for n in 0..<3 { record(n) }
            writer.endArray()
            writer.beginObject("nested")
            writer.beginArray("deeper")
            record(5)
            writer.endArray()
            writer.endObject()
            writer.endObject()
            record(9)  // a second top-level value, as a writer of JSON lines would
            return writer.bytes
        }
        #expect(String(decoding: write(composed: true), as: UTF8.self) == String(decoding: write(composed: false), as: UTF8.self))
    }
}

/// Keys are composed once per literal and shape (`ScratchBuffer.KeyCache`): many keys
/// sharing slots, keys too long for a slot, and shapes that alternate must all write the
/// bytes of the plain calls.
@Suite struct JSONKeyCacheTests {
    static func record(_ n: Int, into fields: inout JSONFields) {
        fields.value("a", n)
        fields.value("bb", n + 1)
        fields.value("key_with_a_name_much_too_long_for_one_slot_of_the_cache", n + 2)
        fields.value("ccc", "x")
        fields.value("dddd", n)
        fields.value("eeeee", n)
        fields.value("ffffff", n)
        fields.value("ggggggg", n)
        fields.value("hhhhhhhh", n)
        fields.value("iiiiiiiii", n)
        fields.value("jjjjjjjjjj", n)
        fields.value("kkkkkkkkkkk", n)
        fields.value("llllllllllll", n)
        fields.value("mmmmmmmmmmmmm", n)
        fields.value("source_start", n)
        fields.value("lang_confidence", 0.5)
    }

    static func record(_ n: Int, into writer: inout JSONWriter) {
        writer.value("a", n)
        writer.value("bb", n + 1)
        writer.value("key_with_a_name_much_too_long_for_one_slot_of_the_cache", n + 2)
        writer.value("ccc", "x")
        writer.value("dddd", n)
        writer.value("eeeee", n)
        writer.value("ffffff", n)
        writer.value("ggggggg", n)
        writer.value("hhhhhhhh", n)
        writer.value("iiiiiiiii", n)
        writer.value("jjjjjjjjjj", n)
        writer.value("kkkkkkkkkkk", n)
        writer.value("llllllllllll", n)
        writer.value("mmmmmmmmmmmmm", n)
        writer.value("source_start", n)
        writer.value("lang_confidence", 0.5)
    }

    @Test(arguments: [true, false])
    func cachedKeysWriteTheBytesOfValueCalls(pretty: Bool) {
        func write(composed: Bool) -> [UInt8] {
            var writer = JSONWriter(pretty: pretty)
            writer.beginObject()
            for depth in [1, 3, 1, 2, 3] {
                for _ in 0..<depth { writer.beginArray("level") }
                for n in 0..<3 {
                    if composed {
                        writer.object { Self.record(n, into: &$0) }
                    } else {
                        writer.beginObject()
                        Self.record(n, into: &writer)
                        writer.endObject()
                    }
                }
                for _ in 0..<depth { writer.endArray() }
            }
            writer.endObject()
            return writer.bytes
        }
        #expect(String(decoding: write(composed: true), as: UTF8.self) == String(decoding: write(composed: false), as: UTF8.self))
    }
}

@Suite struct JSONKindLiteralTests {
    @Test(arguments: BlockKind.allCases)
    func kindLiteralsAreTheRawValues(kind: BlockKind) {
        #expect(JSONDocumentWriter.kindLiteral(kind).description == kind.rawValue)
    }
}

/// `JSONWriter` keeps its bytes in memory of its own (`JSONOutputBuffer`): copies of a writer
/// still write independently, by plain calls, composed records and after a drain.
@Suite struct JSONWriterCopyTests {
    @Test func copiesOfAWriterWriteIndependently() {
        var original = JSONWriter(pretty: true, capacity: 8)
        original.beginObject()
        original.beginArray("records")
        var copy = original
        original.object { $0.value("n", 1) }
        copy.object { $0.value("text", String(repeating: "long enough to grow the memory ", count: 20)) }
        var drained = copy
        var taken: [UInt8] = []
        drained.drain { taken = Array($0) }
        drained.value(nil, 3)
        copy.value(nil, 2)
        original.endArray()
        original.endObject()
        copy.endArray()
        copy.endObject()
        #expect(String(decoding: original.bytes, as: UTF8.self) == "{\n  \"records\": [\n    {\n      \"n\": 1\n    }\n  ]}\n")
        #expect(String(decoding: copy.bytes, as: UTF8.self).hasSuffix("    },\n    2\n  ]}\n"))
        #expect(taken == Array(copy.bytes.prefix(taken.count)))
        #expect(String(decoding: drained.bytes, as: UTF8.self) == ",\n    3")
        #expect(original.count == original.bytes.count)
    }
}

/// `drainWholeBlocks` hands over whole blocks from the start of the writer's memory and keeps
/// the rest: the pieces and what is left are the bytes of a writer that never drained.
@Suite struct JSONWriterBlockDrainTests {
    @Test(arguments: [64, 4096])
    func drainedBlocksAndTheRestAreTheWholeOutput(block: Int) {
        var drained = JSONWriter(pretty: true, capacity: JSONOutputBuffer.alignedCapacity)
        var whole = JSONWriter(pretty: true)
        var taken: [UInt8] = []
        var pieces: [(count: Int, address: Int)] = []
        drained.beginArray()
        whole.beginArray()
        for i in 0..<5000 {
            let text = String(repeating: "é\"x", count: i % 17)
            drained.object { $0.value("n", i); $0.value("text", text) }
            whole.object { $0.value("n", i); $0.value("text", text) }
            if i % 300 == 0 {
                drained.drainWholeBlocks(of: block) { piece in
                    taken.append(contentsOf: piece)
                    pieces.append((piece.count, Int(bitPattern: piece.baseAddress)))
                }
            }
        }
        drained.endArray()
        whole.endArray()
        drained.drain { taken.append(contentsOf: $0) }
        #expect(taken == whole.bytes)
        #expect(pieces.count > 3)
        #expect(pieces.allSatisfy { $0.count > 0 && $0.count % block == 0 && $0.address % JSONOutputBuffer.alignment == 0 })
    }
}
