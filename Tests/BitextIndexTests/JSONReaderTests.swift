import BitextCore
import Foundation
import Testing

@testable import BitextIndex

/// The pull reader the index reads units' JSON with: values as `JSONSerialization` reads them,
/// and malformed JSON refused with the byte where it goes wrong, whether the input is whole
/// or comes a few bytes at a time (values straddling pieces).
@Suite struct JSONReaderTests {
    /// Readers over the same input: whole, and in pieces of 1, 2 and 3 bytes.
    static func readers(_ json: String) -> [JSONReader] {
        let bytes = Array(json.utf8)
        return [JSONReader(bytes)] + [1, 2, 3].map { JSONReader(pieces: OutputPieces(bytes: bytes), pieceSize: $0) }
    }

    @Test(arguments: [
        #""plain""#, #""caf\u00e9 \"quoted\" back\\slash \/ tab\t line\n""#, #""\ud83d\ude00 emoji, ñ and “curly”""#, #""""#,
        #""\b\f\r""#,
    ])
    func stringsReadAsJSONSerializationReadsThem(json: String) throws {
        let expected = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed) as? String
        for var reader in Self.readers(json) {
            #expect(try reader.string() == expected)
            try reader.expectEnd()
        }
        // Passed over and read back later from where it lies: the same string.
        let padded = Array(("[1, " + json + "]").utf8)
        for pieceSize in [1, 2, 3, padded.count] {
            var reader = JSONReader(pieces: OutputPieces(bytes: padded), pieceSize: pieceSize)
            var span: JSONReader.StringSpan?
            var element = 0
            try reader.forEachElement { reader in
                if element == 0 { _ = try reader.int() } else { span = try reader.stringSpan() }
                element += 1
            }
            let found = try #require(span)
            #expect(found.offset == 4 && found.count == json.utf8.count)
            #expect(try JSONReader.decodeString(Array(padded[found.offset..<(found.offset + found.count)])) == expected)
        }
    }

    @Test func objectsArraysNumbersAndSkippedValues() throws {
        let json = #"{"a": [1, -2, 30], "skip": {"x": [true, false, null, {"y": "z"}], "n": -1.5e3}, "s": 0.25, "t": null, "flags": ["p", "q"]}"#
        for var reader in Self.readers(json) {
            var (ints, score, null, flags): ([Int], Double, Bool, [String]) = ([], 0, false, [])
            var keys: [String] = []
            try reader.forEachMember { reader, key in
                keys.append(key)
                switch key {
                case "a": ints = try reader.ints()
                case "s": score = try reader.double()
                case "t": null = try reader.takeNull()
                case "flags": flags = try reader.strings()
                default: try reader.skipValue()
                }
            }
            try reader.expectEnd()
            #expect(keys == ["a", "skip", "s", "t", "flags"])
            #expect(ints == [1, -2, 30] && score == 0.25 && null && flags == ["p", "q"])
        }
    }

    @Test(arguments: [
        (#"{"a": 1"#, 7), (#"{"a" 1}"#, 5), (#"["x", ]"#, 6), (#""\x""#, 3), (#"{"a": 1} extra"#, 9), ("\"tab\there\"", 4),
        (#"[tru]"#, 1), (#"{"a": "\ud800"}"#, 13),
    ])
    func malformedJSONIsRefusedWhereItGoesWrong(json: String, offset: Int) {
        for var reader in Self.readers(json) {
            #expect {
                try reader.skipValue()
                try reader.expectEnd()
            } throws: { error in
                (error as? JSONReader.Failure)?.offset == offset
            }
        }
    }

    @Test func aFractionIsNoInteger() {
        var reader = JSONReader(Array(#"{"a": 1.5}"#.utf8))
        #expect {
            try reader.forEachMember { reader, _ in _ = try reader.int() }
        } throws: { error in
            (error as? JSONReader.Failure)?.offset == 6
        }
    }
}
