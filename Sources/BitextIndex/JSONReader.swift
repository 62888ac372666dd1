/// A pull reader over JSON bytes: the caller walks objects and arrays and takes the values it
/// needs, skipping the rest, so that reading a long unit's JSON back holds only what is kept
/// (`JSONDecoder` held some four times the file while it decoded: 470 MB for a 93 MB file).
struct JSONReader {
    struct Failure: Error, CustomStringConvertible {
        var message: String
        var offset: Int
        var description: String { "\(message) at byte \(offset)" }
    }

    private let bytes: [UInt8]
    private(set) var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    private func fail(_ message: String) -> Failure { Failure(message: message, offset: position) }

    private mutating func skipWhitespace() {
        while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x0A || bytes[position] == 0x0D || bytes[position] == 0x09 {
            position += 1
        }
    }

    /// The next byte that is not white space, not consumed.
    private mutating func peek() throws -> UInt8 {
        skipWhitespace()
        guard position < bytes.count else { throw fail("unexpected end of the JSON") }
        return bytes[position]
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard try peek() == byte else { throw fail("expected '\(Character(Unicode.Scalar(byte)))'") }
        position += 1
    }

    /// The end of the input, after the one value a file holds.
    mutating func expectEnd() throws {
        skipWhitespace()
        guard position == bytes.count else { throw fail("unexpected text after the JSON value") }
    }

    /// Reads an object: `body` gets each key with the reader at its value, and must read or
    /// skip that value.
    mutating func forEachMember(_ body: (inout JSONReader, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        if try peek() == UInt8(ascii: "}") {
            position += 1
            return
        }
        while true {
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try body(&self, key)
            switch try peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return
            default: throw fail("expected ',' or '}' in an object")
            }
        }
    }

    /// Reads an array: `body` is called at each element, and must read or skip it.
    mutating func forEachElement(_ body: (inout JSONReader) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        if try peek() == UInt8(ascii: "]") {
            position += 1
            return
        }
        while true {
            try body(&self)
            switch try peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return
            default: throw fail("expected ',' or ']' in an array")
            }
        }
    }

    /// Consumes `null` if it comes next.
    mutating func takeNull() throws -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    private mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count,
              word.withUTF8Buffer({ bytes[position..<(position + count)].elementsEqual($0) })
        else { throw fail("expected \(word)") }
        position += count
    }

    mutating func string() throws -> String {
        try expect(UInt8(ascii: "\""))
        let start = position
        // Most strings have no escape: decoded straight from the bytes.
        while position < bytes.count, bytes[position] != UInt8(ascii: "\""), bytes[position] != UInt8(ascii: "\\") {
            guard bytes[position] >= 0x20 else { throw fail("control character in a string") }
            position += 1
        }
        guard position < bytes.count else { throw fail("unterminated string") }
        if bytes[position] == UInt8(ascii: "\"") {
            position += 1
            return String(decoding: bytes[start..<(position - 1)], as: UTF8.self)
        }
        var utf8 = Array(bytes[start..<position])
        while true {
            guard position < bytes.count else { throw fail("unterminated string") }
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { throw fail("unterminated string") }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escaped)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar), position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                        position += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail("invalid surrogate pair") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let value = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
                    utf8.append(contentsOf: String(Character(value)).utf8)
                default:
                    throw fail("invalid escape")
                }
            default:
                guard byte >= 0x20 else { throw fail("control character in a string") }
                utf8.append(byte)
            }
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard position + 4 <= bytes.count else { throw fail("invalid \\u escape") }
        var value: UInt32 = 0
        for byte in bytes[position..<(position + 4)] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
        }
        position += 4
        return value
    }

    /// The bytes of the number that comes next.
    private mutating func numberBytes() throws -> ArraySlice<UInt8> {
        _ = try peek()
        let start = position
        while position < bytes.count, Self.isNumberByte(bytes[position]) { position += 1 }
        guard position > start else { throw fail("expected a number") }
        return bytes[start..<position]
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }

    mutating func int() throws -> Int {
        _ = try peek()
        let start = position
        guard let value = Int(String(decoding: try numberBytes(), as: UTF8.self)) else {
            position = start
            throw fail("expected an integer")
        }
        return value
    }

    mutating func double() throws -> Double {
        _ = try peek()
        let start = position
        guard let value = Double(String(decoding: try numberBytes(), as: UTF8.self)), value.isFinite else {
            position = start
            throw fail("expected a number")
        }
        return value
    }

    mutating func ints() throws -> [Int] {
        var values: [Int] = []
        try forEachElement { values.append(try $0.int()) }
        return values
    }

    mutating func strings() throws -> [String] {
        var values: [String] = []
        try forEachElement { values.append(try $0.string()) }
        return values
    }

    /// Skips the value that comes next, whatever it is.
    mutating func skipValue() throws {
        switch try peek() {
        case UInt8(ascii: "{"): try forEachMember { reader, _ in try reader.skipValue() }
        case UInt8(ascii: "["): try forEachElement { try $0.skipValue() }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try numberBytes()
        }
    }
}
