import BitextCore

/// A pull reader over JSON bytes: the caller walks objects and arrays and takes the values it
/// needs, skipping the rest, so that reading a long unit's JSON back holds only what is kept
/// (`JSONDecoder` held some four times the file while it decoded: 470 MB for a 93 MB file).
struct JSONReader {
    struct Failure: Error, CustomStringConvertible {
        var message: String
        var offset: Int
        var description: String { "\(message) at byte \(offset)" }
    }

    /// The window on the input: its bytes from `windowStart` on. A long unit's JSON is read
    /// a piece at a time, and only the piece being read is held.
    private var bytes: [UInt8]
    private var index = 0
    private var windowStart = 0
    /// The next piece of the input (empty at its end), or nil when `bytes` is all of it.
    private let nextPiece: (() throws -> [UInt8])?

    /// The offset in the input of the next byte.
    var position: Int { windowStart + index }

    /// A reader over input held whole.
    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        nextPiece = nil
    }

    /// A reader over input given a piece at a time (a mebibyte unless told).
    init(pieces: OutputPieces, pieceSize: Int = 1 << 20) {
        bytes = []
        nextPiece = { try pieces.next(maxCount: pieceSize) }
    }

    private func fail(_ message: String, at offset: Int? = nil) -> Failure { Failure(message: message, offset: offset ?? position) }

    /// Whether a byte is left to read, moving the window on when it is spent.
    @inline(__always) private mutating func hasByte() throws -> Bool {
        index < bytes.count ? true : try moveWindow()
    }

    private mutating func moveWindow() throws -> Bool {
        guard let nextPiece else { return false }
        let piece = try nextPiece()
        guard !piece.isEmpty else { return false }
        windowStart += bytes.count
        bytes = piece
        index = 0
        return true
    }

    /// The next byte, consumed; nil at the end of the input.
    private mutating func nextByte() throws -> UInt8? {
        guard try hasByte() else { return nil }
        index += 1
        return bytes[index - 1]
    }

    private mutating func skipWhitespace() throws {
        while try hasByte() {
            let byte = bytes[index]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            index += 1
        }
    }

    /// The next byte that is not white space, not consumed.
    private mutating func peek() throws -> UInt8 {
        try skipWhitespace()
        guard try hasByte() else { throw fail("unexpected end of the JSON") }
        return bytes[index]
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard try peek() == byte else { throw fail("expected '\(Character(Unicode.Scalar(byte)))'") }
        index += 1
    }

    /// The end of the input, after the one value a file holds.
    mutating func expectEnd() throws {
        try skipWhitespace()
        guard try !hasByte() else { throw fail("unexpected text after the JSON value") }
    }

    /// Reads an object: `body` gets each key with the reader at its value, and must read or
    /// skip that value.
    mutating func forEachMember(_ body: (inout JSONReader, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        if try peek() == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try body(&self, key)
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return
            default: throw fail("expected ',' or '}' in an object")
            }
        }
    }

    /// Reads an array: `body` is called at each element, and must read or skip it.
    mutating func forEachElement(_ body: (inout JSONReader) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        if try peek() == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            try body(&self)
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return
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
        let start = position
        for expected in UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount) {
            guard try nextByte() == expected else { throw fail("expected \(word)", at: start) }
        }
    }

    mutating func string() throws -> String {
        try expect(UInt8(ascii: "\""))
        // Most strings have no escape and lie in one window: decoded straight from its bytes.
        // The rest are gathered in `utf8`.
        var utf8: [UInt8] = []
        var start = index
        while true {
            while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
                guard bytes[index] >= 0x20 else { throw fail("control character in a string") }
                index += 1
            }
            if index == bytes.count {
                utf8 += bytes[start..<index]
                guard try moveWindow() else { throw fail("unterminated string") }
                start = 0
                continue
            }
            if bytes[index] == UInt8(ascii: "\"") {
                index += 1
                if utf8.isEmpty { return String(decoding: bytes[start..<(index - 1)], as: UTF8.self) }
                utf8 += bytes[start..<(index - 1)]
                return String(decoding: utf8, as: UTF8.self)
            }
            utf8 += bytes[start..<index]
            index += 1
            try unescape(into: &utf8)
            start = index
        }
    }

    /// Where a string lies in the input, quotes included: read back later (`SpanTexts`)
    /// instead of held.
    struct StringSpan: Equatable {
        var offset: Int
        var count: Int
    }

    /// Passes over the string that comes next, checking it, and says where it lies.
    mutating func stringSpan() throws -> StringSpan {
        try expect(UInt8(ascii: "\""))
        let start = position - 1
        var scratch: [UInt8] = []
        while true {
            while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
                guard bytes[index] >= 0x20 else { throw fail("control character in a string") }
                index += 1
            }
            if index == bytes.count {
                guard try moveWindow() else { throw fail("unterminated string") }
                continue
            }
            index += 1
            if bytes[index - 1] == UInt8(ascii: "\"") { return StringSpan(offset: start, count: position - start) }
            try unescape(into: &scratch)
            scratch.removeAll(keepingCapacity: true)
        }
    }

    /// The string a span of JSON holds (its bytes as `stringSpan` found them).
    static func decodeString(_ json: [UInt8]) throws -> String {
        var reader = JSONReader(json)
        let string = try reader.string()
        try reader.expectEnd()
        return string
    }

    /// The escape after a backslash, appended as UTF-8.
    private mutating func unescape(into utf8: inout [UInt8]) throws {
        guard let escaped = try nextByte() else { throw fail("unterminated string") }
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escaped)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            // A high surrogate must be followed by the low one's `\u` escape.
            if (0xD800..<0xDC00).contains(scalar), try hasByte(), bytes[index] == UInt8(ascii: "\\") {
                let backslash = position
                index += 1
                guard try nextByte() == UInt8(ascii: "u") else { throw fail("invalid \\u escape", at: backslash) }
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw fail("invalid surrogate pair") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let value = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
            utf8.append(contentsOf: String(Character(value)).utf8)
        default:
            throw fail("invalid escape")
        }
    }

    private mutating func hex4() throws -> UInt32 {
        let start = position
        var value: UInt32 = 0
        for _ in 0..<4 {
            let digit: UInt8
            switch try nextByte() {
            case let byte? where byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case let byte? where byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case let byte? where byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("invalid \\u escape", at: start)
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// The text of the number that comes next.
    private mutating func numberText() throws -> String {
        _ = try peek()
        var start = index
        var text = ""
        while true {
            while index < bytes.count, Self.isNumberByte(bytes[index]) { index += 1 }
            text += String(decoding: bytes[start..<index], as: UTF8.self)
            guard index == bytes.count, try moveWindow() else { break }
            start = 0
        }
        guard !text.isEmpty else { throw fail("expected a number") }
        return text
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }

    mutating func int() throws -> Int {
        _ = try peek()
        let start = position
        guard let value = Int(try numberText()) else { throw fail("expected an integer", at: start) }
        return value
    }

    mutating func double() throws -> Double {
        _ = try peek()
        let start = position
        guard let value = Double(try numberText()), value.isFinite else { throw fail("expected a number", at: start) }
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
        case UInt8(ascii: "\""): _ = try stringSpan()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try numberText()
        }
    }
}
