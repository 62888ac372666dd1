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
        // Passed over and read again later where it lies: the same string, also when it
        // runs past the window it starts in.
        let padded = Array(("[1, " + json + "]").utf8)
        for pieceSize in [1, 2, 3, padded.count] {
            var reader = JSONReader(pieces: OutputPieces(bytes: padded), pieceSize: pieceSize)
            var offset: Int?
            var element = 0
            try reader.forEachElement { reader in
                if element == 0 { _ = try reader.int() } else { offset = try reader.valueOffset(); try reader.skipValue() }
                element += 1
            }
            let found = try #require(offset)
            #expect(found == 4)
            var again = try JSONReader.Windows(OutputPieces(bytes: padded), windowSize: pieceSize).reader(at: found)
            #expect(try again.string() == expected)
        }
    }

    /// White space is passed eight spaces at a time, also after a line break (indented members):
    /// runs of every length, mixed with tabs and CR LF, whole and in pieces, end where the next
    /// token starts.
    @Test(arguments: 0..<20)
    func whiteSpaceRunsOfEveryLengthArePassed(spaces: Int) throws {
        let run = String(repeating: " ", count: spaces)
        let json = "{\n" + run + "\"a\":" + run + "1,\r\n\t" + run + "\"b\": [\n" + run + "2 ,\n" + run + "\"c\"" + run + "]" + run + "\n}" + run
        for var reader in Self.readers(json) {
            var (a, b, c) = (0, 0, "")
            try reader.forEachMember { reader, key in
                switch key {
                case "a": a = try reader.int()
                case "b":
                    var element = 0
                    try reader.forEachElement { reader in
                        if element == 0 { b = try reader.int() } else { c = try reader.string() }
                        element += 1
                    }
                default: Issue.record("unexpected member \(key)")
                }
            }
            try reader.expectEnd()
            #expect(a == 1 && b == 2 && c == "c")
        }
    }

    /// Strings are scanned eight bytes at a time: an escape, a control byte or non-ASCII text
    /// is found wherever it falls in a word, and a control byte is refused where it is.
    @Test(arguments: 0..<20)
    func specialBytesAreFoundAnywhereInAWord(position: Int) throws {
        let before = String(repeating: "a", count: position), after = String(repeating: "b", count: 19 - position)
        for (inner, expected) in [(#"\""#, "\""), (#"\\"#, "\\"), ("é", "é"), ("\u{7F}", "\u{7F}")] {
            var reader = JSONReader(Array(("\"" + before + inner + after + "\"").utf8))
            #expect(try reader.string() == before + expected + after)
        }
        for var reader in [JSONReader(Array(("\"" + before + "\u{1F}" + after + "\"").utf8)), JSONReader(Array(("\"" + before + "\t" + after + "\"").utf8))] {
            #expect { try reader.skipValue() } throws: { ($0 as? JSONReader.Failure)?.offset == position + 1 }
        }
    }

    @Test func objectsArraysNumbersAndSkippedValues() throws {
        let json = #"{"a": [1, -2, 30], "skip": {"x": [true, false, null, {"y": "z"}], "n": -1.5e3}, "s": 0.25, "t": null, "flags": ["p", "q"]}"#
        for var reader in Self.readers(json) {
            var (ints, score, null, flags): ([Int], Double, Bool, [String]) = ([], 0, false, [])
            var keys: [String] = []
            try reader.forEachMember { reader, key in
                keys.append(key.string)
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

    /// Member names are compared as their bytes: short names, names past the 24 bytes held
    /// inline, escaped names and the empty name each match their literal, whole or in pieces.
    @Test func memberNamesMatchTheirLiterals() throws {
        let json = #"{"format": 1, "sentence_alignment": 2, "a_name_longer_than_twenty_four_bytes": 3, "\u0066ormat": 4, "": 5, "ñ": 6, "abcdefgh": 7, "abcdefghijklmnop": 8, "abcdefghijklmnopqrstuvwx": 9, "abcdefghijklmnopqrstuvwxy": 10}"#
        for var reader in Self.readers(json) {
            var found: [String: Int] = [:]
            try reader.forEachMember { reader, key in
                let value = try reader.int()
                switch key {
                case "format": found["format", default: 0] += value
                case "sentence_alignment": found["sentence_alignment"] = value
                case "a_name_longer_than_twenty_four_bytes": found["long"] = value
                case "": found["empty"] = value
                case "ñ", "abcdefgh", "abcdefghijklmnop", "abcdefghijklmnopqrstuvwx", "abcdefghijklmnopqrstuvwxy": found[key.string] = value
                case "abcdefg", "abcdefghijklmnopqrstuvw", "abcdefghijklmnopqrstuvwxz": Issue.record("\(key) matched a name it is not")
                default: Issue.record("unexpected member \(key)")
                }
            }
            #expect(found == ["format": 5, "sentence_alignment": 2, "long": 3, "empty": 5, "ñ": 6, "abcdefgh": 7, "abcdefghijklmnop": 8, "abcdefghijklmnopqrstuvwx": 9, "abcdefghijklmnopqrstuvwxy": 10])
        }
        #expect(JSONReader.Key("a_name_longer_than_twenty_four_bytes").string == "a_name_longer_than_twenty_four_bytes")
        #expect(JSONReader.Key("sentence_alignment").string == "sentence_alignment")
    }

    /// Integers are read from their digits where they can be, and from their text otherwise:
    /// the same values and the same refusals either way.
    @Test(arguments: [
        ("0", 0), ("7", 7), ("007", 7), ("-12", -12), ("9223372036854775807", Int.max), ("-9223372036854775808", Int.min),
        ("9223372036854775808", nil), ("1.5", nil), ("1e3", nil), ("12-", nil),
    ] as [(String, Int?)])
    func integersReadAsTheirText(text: String, expected: Int?) throws {
        for var reader in Self.readers("[" + text + "]") {
            var value: Int?
            do {
                try reader.forEachElement { value = try $0.int() }
            } catch {
                value = nil
            }
            #expect(value == expected, "\(text)")
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
