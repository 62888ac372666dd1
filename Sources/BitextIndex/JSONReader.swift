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
    /// Where the input goes on past the window.
    private enum Rest {
        /// Nowhere: `bytes` is all of it.
        case none
        /// In `pieces`' next bytes (read in order).
        case following(OutputPieces, pieceSize: Int)
        /// In `pieces` from the window's end (read by offset).
        case at(OutputPieces, pieceSize: Int)
    }
    private let rest: Rest

    /// The offset in the input of the next byte.
    var position: Int { windowStart + index }

    /// A reader over input held whole.
    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        rest = .none
    }

    /// A reader over input given a piece at a time (a mebibyte unless told).
    init(pieces: OutputPieces, pieceSize: Int = 1 << 20) {
        bytes = []
        rest = .following(pieces, pieceSize: pieceSize)
    }

    /// A reader at `offset` of an input whose bytes from `windowStart` on are `window`; past
    /// the window, the input is read from `pieces` a piece at a time.
    init(window: [UInt8], windowStart: Int, at offset: Int, rest pieces: OutputPieces, pieceSize: Int) {
        bytes = window
        self.windowStart = windowStart
        index = offset - windowStart
        rest = .at(pieces, pieceSize: pieceSize)
    }

    private func fail(_ message: String, at offset: Int? = nil) -> Failure { Failure(message: message, offset: offset ?? position) }

    /// Whether a byte is left to read, moving the window on when it is spent.
    @inline(__always) private mutating func hasByte() throws -> Bool {
        index < bytes.count ? true : try moveWindow()
    }

    private mutating func moveWindow() throws -> Bool {
        let piece: [UInt8]
        switch rest {
        case .none: return false
        case .following(let pieces, let pieceSize): piece = try pieces.next(maxCount: pieceSize)
        case .at(let pieces, let pieceSize): piece = try pieces.bytes(at: windowStart + bytes.count, count: pieceSize)
        }
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
        repeat {
            // Indented JSON is mostly runs of spaces after a line break: passed eight at a time,
            // also after the line break (a member on its own line follows nine bytes of white space).
            index = bytes.withUnsafeBytes { raw in
                var i = index
                while true {
                    while i + 8 <= raw.count, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) == 0x2020_2020_2020_2020 { i += 8 }
                    guard i < raw.count, raw[i] == 0x20 || raw[i] == 0x0A || raw[i] == 0x0D || raw[i] == 0x09 else { return i }
                    i += 1
                }
            }
        } while try index == bytes.count && moveWindow()
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

    /// The offset in the input where the next value starts (after any white space).
    mutating func valueOffset() throws -> Int {
        try skipWhitespace()
        return position
    }

    /// The end of the input, after the one value a file holds.
    mutating func expectEnd() throws {
        try skipWhitespace()
        guard try !hasByte() else { throw fail("unexpected text after the JSON value") }
    }

    /// A member's name, matched against string literals (`case "text":`) without making a
    /// `String`: names up to 24 bytes are held as their bytes, and a literal is looked at only
    /// when its length is the name's (a `String` made and compared for every member was a
    /// tenth of reading a unit's JSON back).
    enum Key: Equatable, CustomStringConvertible {
        case short(UInt64, UInt64, UInt64, count: Int)
        case long(String)

        init(_ string: String) { self = Self.packed(string.utf8) ?? .long(string) }

        /// The bytes packed, eight to a word, when there are at most 24.
        @inline(__always) static func packed(_ bytes: some Collection<UInt8>) -> Key? {
            guard bytes.count <= 24 else { return nil }
            var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
            for (i, byte) in bytes.enumerated() {
                let shifted = UInt64(byte) << UInt64(8 * (i & 7))
                switch i >> 3 {
                case 0: words.0 |= shifted
                case 1: words.1 |= shifted
                default: words.2 |= shifted
                }
            }
            return .short(words.0, words.1, words.2, count: bytes.count)
        }

        /// The `count` (at most 24) bytes of `raw` from `start`, read a word at a time when
        /// `raw` has 24 bytes from there.
        @inline(__always) static func packed(_ raw: UnsafeRawBufferPointer, from start: Int, count: Int) -> Key {
            guard start + 24 <= raw.count else { return packed(raw[start..<(start + count)])! }
            func word(_ k: Int) -> UInt64 {
                let valid = min(max(count - 8 * k, 0), 8)
                guard valid > 0 else { return 0 }
                // Little-endian, as `packed` shifts them in: byte i is bits 8i...8i + 7.
                let bytes = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: start + 8 * k, as: UInt64.self))
                return valid == 8 ? bytes : bytes & ((1 << UInt64(8 * valid)) - 1)
            }
            return .short(word(0), word(1), word(2), count: count)
        }

        static func ~= (pattern: StaticString, key: Key) -> Bool {
            let literal = UnsafeBufferPointer(start: pattern.utf8Start, count: pattern.utf8CodeUnitCount)
            switch key {
            case .short(_, _, _, let count): return count == literal.count && packed(literal) == key
            case .long(let string): return string.utf8.elementsEqual(literal)
            }
        }

        var string: String {
            switch self {
            case .long(let string): return string
            case .short(let a, let b, let c, let count):
                let words = [a, b, c]
                return String(decoding: (0..<count).map { i in UInt8(truncatingIfNeeded: words[i >> 3] >> UInt64(8 * (i & 7))) }, as: UTF8.self)
            }
        }
        var description: String { string }
    }

    /// The member name that comes next: straight from the window's bytes when it has no escape
    /// and lies in the window.
    private mutating func key() throws -> Key {
        if try peek() == UInt8(ascii: "\"") {
            let start = index + 1, end = plainRunEnd(from: start)
            if end < bytes.count, end - start <= 24, bytes[end] == UInt8(ascii: "\"") {
                index = end + 1
                return bytes.withUnsafeBytes { Key.packed($0, from: start, count: end - start) }
            }
        }
        return Key(try string())
    }

    /// Reads an object: `body` gets each key with the reader at its value, and must read or
    /// skip that value.
    mutating func forEachMember(_ body: (inout JSONReader, Key) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        if try peek() == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            let key = try key()
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
            index = plainRunEnd(from: index)
            if index < bytes.count, bytes[index] < 0x20 { throw fail("control character in a string") }
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

    /// Passes over the string that comes next, checking it (its escapes unescaped into a
    /// scratch buffer that is thrown away).
    mutating func skipString() throws {
        try expect(UInt8(ascii: "\""))
        var scratch: [UInt8] = []
        while true {
            index = plainRunEnd(from: index)
            if index < bytes.count, bytes[index] < 0x20 { throw fail("control character in a string") }
            if index == bytes.count {
                guard try moveWindow() else { throw fail("unterminated string") }
                continue
            }
            index += 1
            if bytes[index - 1] == UInt8(ascii: "\"") { return }
            try unescape(into: &scratch)
            scratch.removeAll(keepingCapacity: true)
        }
    }

    /// The first index from `start` on of a quote, a backslash or a control byte in the
    /// window (its end when there is none), looked for eight bytes at a time: the strings'
    /// bytes are most of a unit's JSON.
    @inline(__always) private func plainRunEnd(from start: Int) -> Int {
        bytes.withUnsafeBytes { raw in
            var i = start
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            while i + 8 <= raw.count {
                let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
                // A byte of zero in `quote` or `backslash`, or a byte below 0x20 in `word`.
                let found = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
                // The lowest flagged byte is exactly the first such byte (a borrow only flags
                // bytes above a true one): found without a pass over the word's bytes.
                if found & highs != 0 { return i + (found & highs).trailingZeroBitCount >> 3 }
                i += 8
            }
            while i < raw.count, raw[i] != UInt8(ascii: "\""), raw[i] != UInt8(ascii: "\\"), raw[i] >= 0x20 { i += 1 }
            return i
        }
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
        // Most integers are plain digits within the window: read from the bytes. Anything
        // else (a sign, a fraction, the window's end, overflow) is read from the number's text.
        var end = index
        var value = 0
        var overflow = false
        while end < bytes.count, bytes[end] >= UInt8(ascii: "0"), bytes[end] <= UInt8(ascii: "9") {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(bytes[end] - UInt8(ascii: "0")))
            value = sum
            overflow = overflow || o1 || o2
            end += 1
        }
        if end > index, end < bytes.count, !overflow, !Self.isNumberByte(bytes[end]) {
            index = end
            return value
        }
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
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: try skipNumber()
        }
    }

    /// Passes over the number that comes next (its bytes, as `numberText` takes them).
    private mutating func skipNumber() throws {
        _ = try peek()
        var count = 0
        while true {
            let start = index
            while index < bytes.count, Self.isNumberByte(bytes[index]) { index += 1 }
            count += index - start
            guard index == bytes.count, try moveWindow() else { break }
        }
        guard count > 0 else { throw fail("expected a number") }
    }
}

extension JSONReader {
    /// Reads values of an input again, at offsets a first pass found them at (`valueOffset`),
    /// through a few windows of it: readers that go forward through lists, a window each,
    /// read the input once more with a few mebibytes held.
    final class Windows {
        private let pieces: OutputPieces
        /// Most recently used last.
        private var windows: [(start: Int, bytes: [UInt8])] = []
        private let windowSize: Int
        private let windowCount: Int

        init(_ pieces: OutputPieces, windowSize: Int = 1 << 20, windowCount: Int = 6) {
            self.pieces = pieces
            self.windowSize = max(1, windowSize)
            self.windowCount = max(1, windowCount)
        }

        /// A reader at `offset`; the value there may run past its window.
        func reader(at offset: Int) throws -> JSONReader {
            let window: (start: Int, bytes: [UInt8])
            if let w = windows.lastIndex(where: { $0.start <= offset && offset < $0.start + $0.bytes.count }) {
                window = windows[w]
                if w != windows.count - 1 { windows.append(windows.remove(at: w)) }
            } else {
                let bytes = try pieces.bytes(at: offset, count: windowSize)
                guard !bytes.isEmpty else { throw Failure(message: "the input ends before the value", offset: offset) }
                if windows.count == windowCount { windows.removeFirst() }
                window = (offset, bytes)
                windows.append(window)
            }
            return JSONReader(window: window.bytes, windowStart: window.start, at: offset, rest: pieces, pieceSize: min(windowSize, 1 << 16))
        }
    }
}
