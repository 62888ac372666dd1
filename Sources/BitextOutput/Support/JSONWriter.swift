/// A streaming JSON emitter: keys in the order written (deterministic), two-space
/// indentation, RFC 8259 escaping. Faster than JSONEncoder for large outputs and byte-stable.
public struct JSONWriter {
    /// The bytes written so far (a copy: streaming writers take them with `drain`).
    public var bytes: [UInt8] { bytes(reservingCapacity: 0) }

    /// The bytes written so far in an array with room for `extra` more (a line feed after a
    /// record, without growing the array again).
    public func bytes(reservingCapacity extra: Int) -> [UInt8] {
        var array = [UInt8]()
        array.reserveCapacity(output.count + extra)
        array.append(contentsOf: UnsafeBufferPointer(start: output.base, count: output.count))
        return array
    }
    /// How many bytes have been written (and not drained).
    public var count: Int { output.count }
    /// The output memory. `object(fields:)` composes records straight into it; writer copies
    /// share it until one of them writes (`unique`).
    private var output: JSONOutputBuffer
    private(set) var depth = 0
    /// Whether the current container already has an element (so the next needs a comma).
    var hasElement = false
    /// Whether the current container is written on one line (short arrays of scalars).
    private(set) var isInline = false
    /// `hasElement` and `isInline` of the enclosing containers, innermost last (the current
    /// container's are kept apart because every value reads and writes them).
    private var enclosing: [(hasElement: Bool, isInline: Bool)] = []
    let pretty: Bool
    /// A line feed and the current indentation, kept up to date as containers open and close.
    private(set) var indentation: [UInt8] = [0x0A]
    /// What `fields` keeps between records (made on first use), and the pointer to it that `fields` uses (valid
    /// as long as `scratchOwner`, that is, the writer).
    private var scratchOwner: ScratchOwner?
    private var scratch: UnsafeMutablePointer<ScratchBuffer>?

    public init(pretty: Bool = true, capacity: Int = 4096) {
        self.pretty = pretty
        output = JSONOutputBuffer(capacity: capacity)
    }

    /// A writer that writes into `memory` (what an earlier writer left, emptied) instead of
    /// memory of its own: its output buffer and the keys its records composed.
    init(pretty: Bool, memory: JSONWriterMemory) {
        self.pretty = pretty
        output = memory.output
        output.count = 0
        scratchOwner = memory.scratch
        scratch = memory.scratch?.buffer
    }

    /// The writer's memory, for a later writer (`init(pretty:memory:)`); nil when a copy of
    /// this writer still shares any of it, or when the buffer grew past `maxKeptCapacity` (a
    /// very long paragraph written whole: not worth holding on to).
    consuming func memory(maxKeptCapacity: Int) -> JSONWriterMemory? {
        guard isKnownUniquelyReferenced(&output), scratchOwner == nil || isKnownUniquelyReferenced(&scratchOwner),
            output.capacity <= maxKeptCapacity
        else { return nil }
        return JSONWriterMemory(output: output, scratch: scratchOwner)
    }

    /// Hands the bytes written so far to `body` and forgets them (keeping the buffer), for
    /// writers that stream their output instead of returning it whole.
    public mutating func drain(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard output.count > 0 else { return }
        unique()
        try body(UnsafeRawBufferPointer(start: output.base, count: output.count))
        output.count = 0
    }

    /// `drain` for the largest multiple of `blockSize` bytes written so far (the rest moves
    /// to the start of the buffer): handed over from a block-aligned address
    /// (`JSONOutputBuffer.alignment`, for a large buffer) in whole blocks, so that a file
    /// written with `O_DIRECT` takes them straight from this memory (`AtomicFile.Stream`).
    public mutating func drainWholeBlocks(of blockSize: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        let whole = output.count / blockSize * blockSize
        guard whole > 0 else { return }
        unique()
        try body(UnsafeRawBufferPointer(start: output.base, count: whole))
        // Less than a block: never overlapping what it moves over.
        let rest = output.count - whole
        output.base.update(from: output.base + whole, count: rest)
        output.count = rest
    }

    /// Makes the output memory this writer's own before it writes (a copy of the writer
    /// shared it).
    @inline(__always)
    private mutating func unique() {
        if !isKnownUniquelyReferenced(&output) { output = output.copy() }
    }

    /// The output memory, this writer's own, for `fields` to compose into.
    mutating func uniqueOutput() -> JSONOutputBuffer {
        unique()
        return output
    }

    // Every write goes through these two.
    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        unique()
        output.append(byte)
    }

    @inline(__always)
    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        unique()
        output.append(bytes)
    }

    private mutating func append(contentsOf bytes: [UInt8]) { bytes.withUnsafeBufferPointer { append($0) } }

    private mutating func append(contentsOf string: String) {
        var string = string
        string.makeContiguousUTF8()
        string.utf8.withContiguousStorageIfAvailable { append($0) }!
    }

    /// The scratch memory `fields` composes into.
    mutating func scratchBuffer() -> UnsafeMutablePointer<ScratchBuffer> {
        if let scratch { return scratch }
        let owner = ScratchOwner()
        scratchOwner = owner
        scratch = owner.buffer
        return owner.buffer
    }

    private mutating func separate() {
        let had = hasElement
        if had { append(UInt8(ascii: ",")) }
        hasElement = true
        if isInline {
            if had && pretty { append(0x20) }
        } else {
            newline()
        }
    }

    private mutating func newline() {
        guard pretty, depth > 0 else { return }
        // Through a buffer pointer: appending the array itself retained and released it.
        indentation.withUnsafeBufferPointer { append($0) }
    }

    // MARK: Containers

    public mutating func beginObject(_ key: String? = nil) { open(key, UInt8(ascii: "{")) }
    /// A line feed after a top-level value (JSON Lines: one value per line).
    mutating func lineFeed() {
        precondition(depth == 0, "a line feed goes between top-level values")
        append(0x0A)
    }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    /// `inline` writes the array on one line: for short arrays of scalars.
    public mutating func beginArray(_ key: String? = nil, inline: Bool = false) { open(key, UInt8(ascii: "["), inline: inline) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    private mutating func open(_ key: String?, _ bracket: UInt8, inline: Bool = false) {
        if let key { writeKey(key) } else if depth > 0 { separate() }
        append(bracket)
        depth += 1
        if pretty {
            indentation.append(0x20)
            indentation.append(0x20)
        }
        enclosing.append((hasElement, isInline))
        hasElement = false
        isInline = inline || isInline
    }

    private mutating func close(_ bracket: UInt8) {
        let had = hasElement
        let wasInline = isInline
        (hasElement, isInline) = enclosing.removeLast()
        depth -= 1
        if pretty { indentation.removeLast(2) }
        if had && !wasInline { newline() }
        append(bracket)
        if depth == 0 && pretty { append(0x0A) }
    }

    private mutating func writeKey(_ key: String) {
        separate()
        // Keys are literals: contiguous, and almost never in need of escapes.
        if key.utf8.withContiguousStorageIfAvailable({ writeEscaped($0) }) == nil { writeString(key) }
        append(UInt8(ascii: ":"))
        if pretty { append(0x20) }
    }

    // MARK: Values

    public mutating func value(_ key: String? = nil, _ string: String) {
        if let key { writeKey(key) } else { separate() }
        writeString(string)
    }
    public mutating func value(_ key: String? = nil, _ substring: Substring) { value(key, String(substring)) }
    public mutating func value(_ key: String? = nil, _ int: Int) {
        if let key { writeKey(key) } else { separate() }
        writeInteger(int)
    }

    /// Decimal digits of an integer, as `String(int)` writes them, without making a String.
    private mutating func writeInteger(_ int: Int) {
        if int >= 0 && int < 10 {
            append(0x30 + UInt8(int))
            return
        }
        if int < 0 { append(UInt8(ascii: "-")) }
        // The magnitude as UInt handles Int.min.
        var magnitude = int.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20
            while magnitude > 0 {
                start -= 1
                digits[start] = 0x30 + UInt8(magnitude % 10)
                magnitude /= 10
            }
            append(UnsafeBufferPointer(rebasing: digits[start..<20]))
        }
    }
    public mutating func value(_ key: String? = nil, _ bool: Bool) {
        if let key { writeKey(key) } else { separate() }
        append(contentsOf: bool ? "true" : "false")
    }
    /// A string value given as pieces of UTF-8 (valid once joined), written without first
    /// joining them into a String: `pieces` calls its argument once per piece, in order.
    /// With `foldingLineBreaks`, each line feed is written as a space.
    public mutating func value(_ key: String, foldingLineBreaks: Bool, pieces: ((UnsafeBufferPointer<UInt8>) -> Void) -> Void) {
        writeKey(key)
        append(UInt8(ascii: "\""))
        pieces { piece in writeEscapedContent(piece, foldingLineBreaks: foldingLineBreaks) }
        append(UInt8(ascii: "\""))
    }

    /// Numbers are written with at most `digits` decimals so that output is stable across platforms.
    public mutating func value(_ key: String? = nil, _ double: Double, digits: Int = 4) {
        if let key { writeKey(key) } else { separate() }
        append(contentsOf: Self.format(double, digits: digits))
    }
    public mutating func null(_ key: String? = nil) {
        if let key { writeKey(key) } else { separate() }
        append(contentsOf: "null")
    }
    public mutating func optional(_ key: String, _ string: String?) { if let string { value(key, string) } }
    public mutating func optional(_ key: String, _ int: Int?) { if let int { value(key, int) } }
    public mutating func optional(_ key: String, _ double: Double?) { if let double { value(key, double) } }
    public mutating func array(_ key: String, _ strings: [String]) {
        beginArray(key, inline: true)
        for s in strings { value(nil, s) }
        endArray()
    }
    public mutating func array(_ key: String, _ ints: some Sequence<Int>) {
        beginArray(key, inline: true)
        for i in ints { value(nil, i) }
        endArray()
    }
    /// A string-to-string map with keys sorted.
    public mutating func object(_ key: String, _ map: [String: String]) {
        beginObject(key)
        for k in map.keys.sorted() { value(k, map[k]!) }
        endObject()
    }

    /// Rounds to `digits` decimals and drops trailing zeros: 0.9712, 1, 0.5.
    public static func format(_ value: Double, digits: Int) -> String {
        switch NumberForm(value, digits: digits) {
        case .integer(let integer): return String(integer)
        case .decimal(let scaled):
            // Sign, up to nine whole digits, point, up to four decimals.
            return String(unsafeUninitializedCapacity: 16) { writeDecimal(scaled, digits: digits, at: $0.baseAddress!) }
        case .text(let text): return text
        }
    }

    /// How `format` writes a number: the rounded value as an integer, as a decimal written
    /// from the rounded integer `scaled` (value × 10^digits), or as other text.
    enum NumberForm {
        case integer(Int)
        case decimal(scaled: Int)
        case text(String)

        init(_ value: Double, digits: Int) {
            guard value.isFinite else {
                self = .text("null")
                return
            }
            var scale = 1.0
            for _ in 0..<digits { scale *= 10 }
            let scaled = (value * scale).rounded()
            let rounded = scaled / scale
            if rounded == rounded.rounded() && abs(rounded) < 1e15 {
                self = .integer(Int(rounded))
                return
            }
            // With at most four decimals below 1e9, the shortest digits that read back as
            // `rounded` (what `String(Double)` writes) are the rounded decimal itself: written
            // from the integer `scaled`, without formatting a Double and trimming a String.
            if digits <= 4 && abs(rounded) < 1e9 {
                self = .decimal(scaled: Int(scaled))
                return
            }
            var text = String(rounded)
            if !text.utf8.contains(UInt8(ascii: "e")) {
                while text.hasSuffix("0") { text.removeLast() }
            }
            self = .text(text)
        }
    }

    /// Writes `scaled / 10^digits` in decimal at `target`, trailing zeros dropped (`scaled`
    /// not a multiple of 10^digits, below 10^9 × 10^digits, digits at most 4: 16 bytes at
    /// most); returns how many bytes.
    static func writeDecimal(_ scaled: Int, digits: Int, at target: UnsafeMutablePointer<UInt8>) -> Int {
        var power = 1
        for _ in 0..<digits { power *= 10 }
        var whole = scaled.magnitude / UInt(power)
        var fraction = scaled.magnitude % UInt(power)
        var places = digits
        while fraction % 10 == 0 {
            fraction /= 10
            places -= 1
        }
        var wholeDigits = 1
        var rest = whole / 10
        while rest > 0 {
            wholeDigits += 1
            rest /= 10
        }
        let count = (scaled < 0 ? 1 : 0) + wholeDigits + 1 + places
        // From the last digit back.
        var end = count
        for _ in 0..<places {
            end -= 1
            target[end] = 0x30 + UInt8(fraction % 10)
            fraction /= 10
        }
        end -= 1
        target[end] = UInt8(ascii: ".")
        repeat {
            end -= 1
            target[end] = 0x30 + UInt8(whole % 10)
            whole /= 10
        } while whole > 0
        if scaled < 0 { target[0] = UInt8(ascii: "-") }
        return count
    }

    private mutating func writeString(_ string: String) {
        var string = string
        // Native strings are contiguous UTF-8: copy the runs that need no escaping whole.
        string.makeContiguousUTF8()
        string.utf8.withContiguousStorageIfAvailable { writeEscaped($0) }!
    }

    private mutating func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        append(UInt8(ascii: "\""))
        writeEscapedContent(utf8, foldingLineBreaks: false)
        append(UInt8(ascii: "\""))
    }

    private mutating func writeEscapedContent(_ utf8: UnsafeBufferPointer<UInt8>, foldingLineBreaks: Bool) {
        var runStart = 0
        var i = 0
        let n = utf8.count
        while i < n {
            let b = utf8[i]
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else {
                i += 1
                continue
            }
            if runStart < i { append(UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
            if foldingLineBreaks && b == 0x0A { append(0x20) } else { writeEscape(b) }
            i += 1
            runStart = i
        }
        if runStart < n { append(UnsafeBufferPointer(rebasing: utf8[runStart..<n])) }
    }

    /// RFC 8259 escapes for the bytes that need one.
    private mutating func writeEscape(_ b: UInt8) {
        switch b {
        case UInt8(ascii: "\""): append(contentsOf: [0x5C, 0x22])
        case UInt8(ascii: "\\"): append(contentsOf: [0x5C, 0x5C])
        case 0x0A: append(contentsOf: [0x5C, UInt8(ascii: "n")])
        case 0x0D: append(contentsOf: [0x5C, UInt8(ascii: "r")])
        case 0x09: append(contentsOf: [0x5C, UInt8(ascii: "t")])
        default:
            let hex = Array("0123456789abcdef".utf8)
            append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
        }
    }
}

/// What a `JSONWriter` allocates and fills for itself (its output buffer, the keys its records
/// composed), kept from one writer to the next: a unit file's writer otherwise allocated both
/// afresh, cleared the key cache and composed every key again, for each unit.
///
/// Unchecked: it is held by one writer or one pool (`IdleValues`) at a time, moved between
/// them, never shared (`JSONWriter.memory` refuses a buffer that another writer copy shares).
struct JSONWriterMemory: @unchecked Sendable {
    fileprivate let output: JSONOutputBuffer
    fileprivate let scratch: ScratchOwner?
}

/// A writer's output memory (`JSONWriter`): bytes in one allocation grown by doubling, where
/// `JSONFields` composes records in place. An array's appends each asked whether it was
/// shared and had room, and records composed elsewhere were copied in.
final class JSONOutputBuffer {
    var base: UnsafeMutablePointer<UInt8>
    var count = 0
    var capacity: Int

    /// The alignment of a buffer of `alignedCapacity` bytes or more: a page, so that whole
    /// pages drained from its start can be written to a file with `O_DIRECT` straight from
    /// it (`JSONWriter.drainWholeBlocks`). Smaller buffers (most writers') are not padded so.
    static let alignment = 4096
    static let alignedCapacity = 1 << 16

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = Self.allocate(self.capacity)
    }

    deinit { Self.deallocate(base) }

    private static func allocate(_ capacity: Int) -> UnsafeMutablePointer<UInt8> {
        UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: capacity >= alignedCapacity ? alignment : 1)
            .bindMemory(to: UInt8.self, capacity: capacity)
    }

    /// Frees memory from `allocate` (raw deallocation takes any alignment).
    private static func deallocate(_ base: UnsafeMutablePointer<UInt8>) { UnsafeMutableRawPointer(base).deallocate() }

    func copy() -> JSONOutputBuffer {
        let copy = JSONOutputBuffer(capacity: capacity)
        copy.base.update(from: base, count: count)
        copy.count = count
        return copy
    }

    /// Room for `extra` more bytes.
    @inline(__always)
    func reserve(_ extra: Int) {
        if capacity - count < extra { grow(count + extra) }
    }

    func grow(_ needed: Int) {
        (base, capacity) = Self.moved(base, count: count, capacity: capacity, needed: needed)
    }

    /// The first `count` bytes at `base` moved into new memory of `needed` bytes and 64 KiB more
    /// (twice `capacity` when that is more), the old memory freed: how this buffer grows, and how
    /// `JSONFields` grows it while composing with its own copy of the pointer. The 64 KiB are
    /// for the rest of a record after one large piece (a 100 MB paragraph's text): without them
    /// its closing quote doubled the buffer, and peak memory grew by the paragraph's size.
    static func moved(
        _ base: UnsafeMutablePointer<UInt8>, count: Int, capacity: Int, needed: Int
    ) -> (base: UnsafeMutablePointer<UInt8>, capacity: Int) {
        let newCapacity = max(needed + (1 << 16), capacity * 2)
        let bigger = allocate(newCapacity)
        bigger.update(from: base, count: count)
        deallocate(base)
        return (bigger, newCapacity)
    }

    @inline(__always)
    func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        reserve(bytes.count)
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }
}
