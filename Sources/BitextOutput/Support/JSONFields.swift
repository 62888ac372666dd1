/// Fields of one JSON object composed straight into the writer's memory, for records written
/// by the hundred thousand (a document's paragraphs): a pointer bump per piece instead of an
/// array append per byte run, and keys that are literals known to need no escaping. The bytes are
/// exactly those `JSONWriter`'s `value` and `optional` would write at the same place
/// (`JSONWriter.fields`).
public struct JSONFields {
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    /// What goes before each key: a comma, the separator (a line feed and the key indentation
    /// when pretty, or a space inside an inline container) and the key's opening quote. The
    /// first key skips the first `firstKeySkip` bytes (the comma and an inline space).
    private let keyPrefix: UnsafePointer<UInt8>
    private let keyPrefixCount: Int
    private let firstKeySkip: Int
    private let pretty: Bool
    /// Whole keys as written (prefix, key, `": `), made once per key literal and shape.
    private let keys: ScratchBuffer.KeyCache
    /// This shape's part of the cache tags (`ScratchBuffer.KeyCache`); nil: keys are not cached.
    private let shapeTag: UInt?
    /// Whether the object has a field already (the next needs a comma).
    private(set) var hasElement: Bool

    fileprivate init(
        output: JSONOutputBuffer, buffer: UnsafeMutablePointer<ScratchBuffer>, indentation: Int, pretty: Bool, inline: Bool, hasElement: Bool
    ) {
        base = output.base
        count = output.count
        capacity = output.capacity
        (keyPrefix, keyPrefixCount, firstKeySkip) = buffer.pointee.keyPrefix(indentation: indentation, pretty: pretty, inline: inline)
        keys = buffer.pointee.keys
        shapeTag = ScratchBuffer.KeyCache.shapeTag(indentation: indentation, pretty: pretty, inline: inline)
        self.pretty = pretty
        self.hasElement = hasElement
    }

    /// Where the next byte goes in the writer's memory.
    fileprivate var end: Int { count }

    /// Hands the memory back to the writer (it may have grown) with the bytes composed.
    fileprivate func store(into output: JSONOutputBuffer) {
        output.base = base
        output.count = count
        output.capacity = capacity
    }

    // MARK: Fields

    /// Inlined: a paragraph writes nine of these, and a call per field kept the composing
    /// position in memory between them.
    @inline(__always)
    public mutating func value(_ key: StaticString, _ int: Int) {
        writeKey(key)
        writeInteger(int)
    }

    public mutating func value(_ key: StaticString, _ string: String) {
        writeKey(key)
        var string = string
        string.makeContiguousUTF8()
        string.utf8.withContiguousStorageIfAvailable { writeQuoted($0, foldingLineBreaks: false) }!
    }

    /// A number as `JSONWriter.format` writes it, its digits put straight into memory.
    public mutating func value(_ key: StaticString, _ double: Double, digits: Int = 4) {
        writeKey(key)
        switch JSONWriter.NumberForm(double, digits: digits) {
        case .integer(let integer): writeInteger(integer)
        case .decimal(let scaled):
            reserve(16)
            count += JSONWriter.writeDecimal(scaled, digits: digits, at: base + count)
        case .text(var text):
            text.makeContiguousUTF8()
            text.utf8.withContiguousStorageIfAvailable { append($0) }!
        }
    }

    /// A string value that is a literal needing no escapes (letters, digits, `_`).
    public mutating func value(_ key: StaticString, literal: StaticString) {
        writeKey(key)
        let length = literal.utf8CodeUnitCount
        reserve(length + 2)
        put(UInt8(ascii: "\""))
        copy(UnsafeBufferPointer(start: literal.utf8Start, count: length))
        put(UInt8(ascii: "\""))
    }

    public mutating func optional(_ key: StaticString, _ int: Int?) { if let int { value(key, int) } }
    public mutating func optional(_ key: StaticString, _ string: String?) { if let string { value(key, string) } }
    public mutating func optional(_ key: StaticString, _ double: Double?) { if let double { value(key, double) } }

    /// An array of integers on one line, as `JSONWriter.array(_:_:)` writes it: `[1, 2]`.
    public mutating func array(_ key: StaticString, _ ints: some Sequence<Int>) {
        writeKey(key)
        reserve(1)
        put(UInt8(ascii: "["))
        for (position, int) in ints.enumerated() {
            if position > 0 { writeInlineSeparator() }
            writeInteger(int)
        }
        reserve(1)
        put(UInt8(ascii: "]"))
    }

    /// An array of strings on one line, as `JSONWriter.array(_:_:)` writes it: `["a", "b"]`.
    public mutating func array(_ key: StaticString, _ strings: [String]) {
        writeKey(key)
        reserve(1)
        put(UInt8(ascii: "["))
        for (position, string) in strings.enumerated() {
            if position > 0 { writeInlineSeparator() }
            var string = string
            string.makeContiguousUTF8()
            string.utf8.withContiguousStorageIfAvailable { writeQuoted($0, foldingLineBreaks: false) }!
        }
        reserve(1)
        put(UInt8(ascii: "]"))
    }

    /// What separates the elements of an array written on one line (`JSONWriter.separate`).
    private mutating func writeInlineSeparator() {
        reserve(2)
        put(UInt8(ascii: ","))
        if pretty { put(0x20) }
    }

    /// A string value given as pieces of UTF-8 (valid once joined), as
    /// `JSONWriter.value(_:foldingLineBreaks:pieces:)` writes it.
    public mutating func value(_ key: StaticString, foldingLineBreaks: Bool, pieces: ((UnsafeBufferPointer<UInt8>) -> Void) -> Void) {
        writeKey(key)
        reserve(1)
        put(UInt8(ascii: "\""))
        pieces { piece in writeEscapedContent(piece, foldingLineBreaks: foldingLineBreaks) }
        reserve(1)
        put(UInt8(ascii: "\""))
    }

    /// Raw bytes that need no escaping (brackets, indentation).
    fileprivate mutating func raw(_ bytes: UnsafeBufferPointer<UInt8>) { append(bytes) }
    fileprivate mutating func raw(_ byte: UInt8) {
        reserve(1)
        put(byte)
    }

    // MARK: Bytes

    /// Writes what goes before a value: the separator, the quoted key, the colon. Each key
    /// literal is composed once per shape into `keys` and copied from there eight bytes at a
    /// time; a key too long for a slot is composed in place.
    @inline(__always)
    private mutating func writeKey(_ key: StaticString) {
        guard let shapeTag else {
            writeKeyInPlace(key)
            return
        }
        let tag = UInt(bitPattern: key.utf8Start) | shapeTag
        // Literals are packed byte by byte: every address bit counts (a multiplicative hash,
        // top bits; a shift would put neighbouring short keys in one slot).
        var slot = Int(truncatingIfNeeded: (tag &* 0x9E37_79B9_7F4A_7C15) >> (64 - ScratchBuffer.KeyCache.slotBits))
        if keys.tags[slot] != tag {
            guard let found = findOrComposeKey(key, from: slot, tag: tag) else {
                writeKeyInPlace(key)
                return
            }
            slot = found
        }
        let skip = hasElement ? 0 : firstKeySkip
        hasElement = true
        let length = Int(keys.lengths[slot]) - skip
        // The slot is padded: whole eight-byte words are copied, the bytes past `length`
        // over-written by what comes next.
        reserve(ScratchBuffer.KeyCache.slotSize)
        let source = UnsafeRawPointer(keys.bytes + slot * ScratchBuffer.KeyCache.slotSize + skip)
        let target = UnsafeMutableRawPointer(base + count)
        var offset = 0
        while offset < length {
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: offset, as: UInt64.self), toByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        count += length
    }

    /// The slot of `tag` among the few after its home slot, composing the key into the first
    /// free one when it is not there yet; nil when they are all taken or the key does not fit.
    private func findOrComposeKey(_ key: StaticString, from home: Int, tag: UInt) -> Int? {
        var slot = home
        for _ in 0..<ScratchBuffer.KeyCache.probes {
            if keys.tags[slot] == tag { return slot }
            if keys.tags[slot] == 0 { return composeKey(key, slot: slot, tag: tag) ? slot : nil }
            slot = (slot + 1) & (ScratchBuffer.KeyCache.slots - 1)
        }
        return nil
    }

    /// Fills `slot` with the whole key as `writeKeyInPlace` would write it after an element
    /// (the first key skips `firstKeySkip` bytes of it); false when it does not fit.
    private func composeKey(_ key: StaticString, slot: Int, tag: UInt) -> Bool {
        let length = keyPrefixCount + key.utf8CodeUnitCount + (pretty ? 3 : 2)
        guard length <= ScratchBuffer.KeyCache.slotSize - 8 else { return false }
        var target = keys.bytes + slot * ScratchBuffer.KeyCache.slotSize
        target.update(from: keyPrefix, count: keyPrefixCount)
        target += keyPrefixCount
        target.update(from: key.utf8Start, count: key.utf8CodeUnitCount)
        target += key.utf8CodeUnitCount
        target[0] = UInt8(ascii: "\"")
        target[1] = UInt8(ascii: ":")
        if pretty { target[2] = 0x20 }
        keys.lengths[slot] = UInt8(length)
        keys.tags[slot] = tag
        return true
    }

    private mutating func writeKeyInPlace(_ key: StaticString) {
        let length = key.utf8CodeUnitCount
        let skip = hasElement ? 0 : firstKeySkip
        let prefix = keyPrefixCount - skip
        // Eight bytes at a time: the prefix has room to be over-read and the scratch memory
        // to be over-written (by up to seven bytes that the next write replaces).
        reserve(prefix + 8 + length + 3)
        var offset = 0
        let source = UnsafeRawPointer(keyPrefix + skip)
        let target = UnsafeMutableRawPointer(base + count)
        while offset < prefix {
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: offset, as: UInt64.self), toByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        count += prefix
        hasElement = true
        // Keys are literals of letters and underscores: nothing to escape.
        copy(UnsafeBufferPointer(start: key.utf8Start, count: length))
        put(UInt8(ascii: "\""))
        put(UInt8(ascii: ":"))
        if pretty { put(0x20) }
    }

    /// Pairs of decimal digits, "00" to "99".
    private static let digitPairs: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    /// The digits of a number below 10^8 (every offset, line and index of a document up to
    /// 100 MB): the digit count by comparisons, and the halves (up to four digits each) by
    /// one division each, in 32 bits, two digits at a time: short chains of dependent
    /// divisions instead of one long one.
    @inline(__always)
    private mutating func writeBelowHundredMillion(_ value: UInt32) {
        let target = base + count
        if value < 10_000 {
            count += Self.writeBelowTenThousand(value, at: target)
            return
        }
        let high = value / 10_000
        let low = value % 10_000
        let n = Self.writeBelowTenThousand(high, at: target)
        Self.writePair(low / 100, at: target + n)
        Self.writePair(low % 100, at: target + n + 2)
        count += n + 4
    }

    /// The one to four digits of `value` (below 10,000) at `target`; returns how many.
    @inline(__always)
    private static func writeBelowTenThousand(_ value: UInt32, at target: UnsafeMutablePointer<UInt8>) -> Int {
        if value < 100 {
            if value < 10 {
                target[0] = 0x30 + UInt8(truncatingIfNeeded: value)
                return 1
            }
            writePair(value, at: target)
            return 2
        }
        let high = value / 100
        let low = value % 100
        if high < 10 {
            target[0] = 0x30 + UInt8(truncatingIfNeeded: high)
            writePair(low, at: target + 1)
            return 3
        }
        writePair(high, at: target)
        writePair(low, at: target + 2)
        return 4
    }

    /// The two digits of `value` (below 100) at `target`.
    @inline(__always)
    private static func writePair(_ value: UInt32, at target: UnsafeMutablePointer<UInt8>) {
        let pairs = digitPairs.utf8Start
        let k = Int(value) &* 2
        target[0] = pairs[k]
        target[1] = pairs[k + 1]
    }

    /// Decimal digits of an integer, as `String(int)` writes them.
    private mutating func writeInteger(_ int: Int) {
        reserve(21)
        if int >= 0 && int < 10 {
            put(0x30 + UInt8(int))
            return
        }
        if int < 0 { put(UInt8(ascii: "-")) }
        var magnitude = int.magnitude
        if magnitude < 100_000_000 {
            writeBelowHundredMillion(UInt32(truncatingIfNeeded: magnitude))
            return
        }
        var digits = 1
        var rest = magnitude
        while rest >= 100_000_000 {
            digits += 8
            rest /= 100_000_000
        }
        if rest >= 10_000 {
            digits += 4
            rest /= 10_000
        }
        if rest >= 100 {
            digits += 2
            rest /= 100
        }
        if rest >= 10 { digits += 1 }
        var end = base + count + digits
        count += digits
        do {
            let pairs = Self.digitPairs.utf8Start
            while magnitude >= 100 {
                let pair = Int(magnitude % 100) * 2
                magnitude /= 100
                end -= 2
                end[0] = pairs[pair]
                end[1] = pairs[pair + 1]
            }
            if magnitude >= 10 {
                let pair = Int(magnitude) * 2
                end -= 2
                end[0] = pairs[pair]
                end[1] = pairs[pair + 1]
            } else {
                end -= 1
                end[0] = 0x30 + UInt8(magnitude)
            }
        }
    }

    private mutating func writeQuoted(_ utf8: UnsafeBufferPointer<UInt8>, foldingLineBreaks: Bool) {
        reserve(1)
        put(UInt8(ascii: "\""))
        writeEscapedContent(utf8, foldingLineBreaks: foldingLineBreaks)
        reserve(1)
        put(UInt8(ascii: "\""))
    }

    /// RFC 8259 escaping, eight bytes at a time where none needs an escape.
    private mutating func writeEscapedContent(_ utf8: UnsafeBufferPointer<UInt8>, foldingLineBreaks: Bool) {
        let n = utf8.count
        guard n > 0, let source = utf8.baseAddress else { return }
        // At most six bytes per byte (\u00XX).
        reserve(6 * n)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        var runStart = 0
        var i = 0
        while i < n {
            if i + 8 <= n {
                let word = UnsafeRawPointer(source + i).loadUnaligned(as: UInt64.self)
                // Bytes below 0x20, and bytes equal to `"` or `\` (a zero byte after XOR);
                // a hit may flag its neighbours too, which only sends the word to the byte loop.
                let control = (word &- 0x20 &* ones) & ~word
                let quote = word ^ (0x22 &* ones)
                let backslash = word ^ (0x5C &* ones)
                let special = (control | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)) & high
                if special == 0 {
                    i += 8
                    continue
                }
                if foldingLineBreaks {
                    // Folded text: a word whose only special bytes are line feeds (one in most
                    // words of wrapped text) is written at once with its line feeds made
                    // spaces. Exact per-byte tests here (no carries between bytes): the
                    // quick ones above may flag a byte next to a real hit.
                    let low = word & (0x7F &* ones)
                    let exactControl = ~((low &+ (0x60 &* ones)) | word) & high
                    let exactQuote = ~(((low ^ (0x22 &* ones)) &+ (0x7F &* ones)) | word) & high
                    let exactBackslash = ~(((low ^ (0x5C &* ones)) &+ (0x7F &* ones)) | word) & high
                    let lineFeed = ~(((low ^ (0x0A &* ones)) &+ (0x7F &* ones)) | word) & high
                    if (exactControl & ~lineFeed) | exactQuote | exactBackslash == 0 {
                        if runStart < i { copy(UnsafeBufferPointer(start: source + runStart, count: i - runStart)) }
                        // 0x0A ^ 0x2A == 0x20: each flagged byte becomes a space.
                        let folded = word ^ ((lineFeed >> 7) &* 0x2A)
                        UnsafeMutableRawPointer(base + count).storeBytes(of: folded, as: UInt64.self)
                        count += 8
                        i += 8
                        runStart = i
                        continue
                    }
                }
                for j in i..<(i + 8) { escapeIfNeeded(at: j) }
                i += 8
                continue
            }
            if n >= 8 {
                // The last bytes, read as the word that ends the text (it starts before `i`):
                // with nothing to escape there, they join the run as they are.
                let word = UnsafeRawPointer(source + n - 8).loadUnaligned(as: UInt64.self)
                let control = (word &- 0x20 &* ones) & ~word
                let quote = word ^ (0x22 &* ones)
                let backslash = word ^ (0x5C &* ones)
                if (control | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)) & high == 0 { break }
            }
            escapeIfNeeded(at: i)
            i += 1
        }
        if runStart < n { copy(UnsafeBufferPointer(start: source + runStart, count: n - runStart)) }

        func escapeIfNeeded(at j: Int) {
            let b = source[j]
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { return }
            if runStart < j { copy(UnsafeBufferPointer(start: source + runStart, count: j - runStart)) }
            if foldingLineBreaks && b == 0x0A { put(0x20) } else { writeEscape(b) }
            runStart = j + 1
        }
    }

    /// RFC 8259 escapes for the bytes that need one (room reserved by the caller).
    private mutating func writeEscape(_ b: UInt8) {
        put(0x5C)
        switch b {
        case UInt8(ascii: "\""): put(0x22)
        case UInt8(ascii: "\\"): put(0x5C)
        case 0x0A: put(UInt8(ascii: "n"))
        case 0x0D: put(UInt8(ascii: "r"))
        case 0x09: put(UInt8(ascii: "t"))
        default:
            let hex: StaticString = "0123456789abcdef"
            put(UInt8(ascii: "u"))
            put(0x30)
            put(0x30)
            put(hex.utf8Start[Int(b >> 4)])
            put(hex.utf8Start[Int(b & 0xF)])
        }
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        reserve(bytes.count)
        copy(bytes)
    }

    /// Room for `extra` more bytes: the `put` and `copy` that follow write without checks.
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if capacity - count < extra { grow(count + extra) }
    }

    private mutating func grow(_ needed: Int) {
        (base, capacity) = JSONOutputBuffer.moved(base, count: count, capacity: capacity, needed: needed)
    }

    @inline(__always)
    private mutating func put(_ b: UInt8) {
        base[count] = b
        count += 1
    }

    @inline(__always)
    private mutating func copy(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        let n = bytes.count
        // Keys and indentation are a few bytes: a loop beats a call to memmove.
        if n <= 16 {
            for j in 0..<n { base[count + j] = source[j] }
        } else {
            (base + count).update(from: source, count: n)
        }
        count += n
    }
}

/// What `JSONWriter.fields` keeps between records: the bytes written before each key at the
/// current indentation (made again only when it changes) and the composed keys. The writer
/// reaches it through a pointer (a class reference would be retained and released at every
/// record); `ScratchOwner` frees it.
struct ScratchBuffer {
    private var prefix: UnsafeMutablePointer<UInt8>
    private var prefixCapacity = 64
    private var prefixCount = 0
    private var prefixSkip = 0
    private var prefixShape: (indentation: Int, pretty: Bool, inline: Bool)?

    let keys = KeyCache()

    init() {
        prefix = .allocate(capacity: prefixCapacity)
    }

    func deallocate() {
        prefix.deallocate()
        keys.deallocate()
    }

    /// Keys composed whole (`JSONFields.writeKey`), in slots chosen by the address of the
    /// key's literal and the shape (indentation, pretty, inline) it is written at: a record's
    /// dozen keys are each composed once per run instead of once per record. Keys of every
    /// shape stay side by side (a unit file's paragraphs, links and entities sit at different
    /// depths: emptying the cache at each change composed them again for every unit); a slot
    /// taken is tried with the next few (linear probing), and a key that finds none free is
    /// written in place.
    struct KeyCache {
        static let slotBits = 8
        static let slots = 1 << slotBits
        /// Slots tried from a key's own before it is written in place.
        static let probes = 8
        /// Bytes per slot: the longest composed key and eight bytes of padding.
        static let slotSize = 48
        /// The slots' bytes, with room to read a word past the last one.
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: slots * slotSize + 8)
        /// The address of the literal each slot holds (0: none).
        let tags = UnsafeMutablePointer<UInt>.allocate(capacity: slots)
        let lengths = UnsafeMutablePointer<UInt8>.allocate(capacity: slots)

        init() {
            bytes.initialize(repeating: 0, count: Self.slots * Self.slotSize + 8)
            lengths.initialize(repeating: 0, count: Self.slots)
            tags.initialize(repeating: 0, count: Self.slots)
        }

        /// The bits a shape adds to a literal's address in a tag (above the 52 bits a user
        /// space address has at most on 64-bit Linux); nil for shapes too deep to tell apart
        /// there (their keys are not cached).
        static func shapeTag(indentation: Int, pretty: Bool, inline: Bool) -> UInt? {
            let shape = UInt(indentation) << 2 | (pretty ? 2 : 0) | (inline ? 1 : 0)
            guard UInt.bitWidth == 64, shape + 1 < 1 << 12 else { return nil }
            return (shape + 1) << 52
        }

        func deallocate() {
            bytes.deallocate()
            tags.deallocate()
            lengths.deallocate()
        }
    }

    /// `,` + separator + `"` for keys of an object whose keys are indented by `indentation`
    /// spaces (`JSONWriter.separate`'s bytes), padded so that it can be read eight bytes at a
    /// time; and how many leading bytes the first key skips.
    mutating func keyPrefix(indentation: Int, pretty: Bool, inline: Bool) -> (UnsafePointer<UInt8>, Int, Int) {
        if let shape = prefixShape, shape.indentation == indentation, shape.pretty == pretty, shape.inline == inline {
            return (UnsafePointer(prefix), prefixCount, prefixSkip)
        }
        // Written in place (shapes change a few times per unit file: no array made each time).
        let skip = inline && pretty ? 2 : 1
        let count = skip + (!inline && pretty ? 1 + indentation : 0) + 1
        if count + 8 > prefixCapacity {
            prefix.deallocate()
            prefixCapacity = count + 8
            prefix = .allocate(capacity: prefixCapacity)
        }
        prefix.initialize(repeating: 0x20, count: prefixCapacity)
        prefix[0] = UInt8(ascii: ",")
        if !inline && pretty { prefix[skip] = 0x0A }
        prefix[count - 1] = UInt8(ascii: "\"")
        // Zeros past the end, as before (read eight bytes at a time, never written out).
        (prefix + count).update(repeating: 0, count: prefixCapacity - count)
        prefixCount = count
        prefixSkip = skip
        prefixShape = (indentation, pretty, inline)
        return (UnsafePointer(prefix), prefixCount, prefixSkip)
    }
}

extension JSONWriter {
    /// Writes a whole object, an element of the current container whose members are all
    /// `compose`'s fields: the bytes of `beginObject()`, the equivalent `value` calls and
    /// `endObject()`, in one append.
    public mutating func object(fields compose: (inout JSONFields) throws -> Void) rethrows {
        let buffer = scratchBuffer()
        let output = uniqueOutput()
        let objectIsInline = isInline
        var fields = JSONFields(
            output: output, buffer: buffer, indentation: 2 * (depth + 1), pretty: pretty, inline: objectIsInline, hasElement: false)
        defer { fields.store(into: output) }
        // What `open` writes before the bracket (`separate`, when inside a container).
        if depth > 0 {
            if hasElement { fields.raw(UInt8(ascii: ",")) }
            if isInline {
                if hasElement && pretty { fields.raw(0x20) }
            } else if pretty {
                indentation.withUnsafeBufferPointer { fields.raw($0) }
            }
        }
        fields.raw(UInt8(ascii: "{"))
        let prefix = fields.end
        try compose(&fields)
        // What `close` writes: the closing bracket on its own line when the object has members.
        if fields.end > prefix && !objectIsInline && pretty && depth > 0 {
            indentation.withUnsafeBufferPointer { fields.raw($0) }
        }
        fields.raw(UInt8(ascii: "}"))
        if depth == 0 && pretty { fields.raw(0x0A) }
        if depth > 0 { hasElement = true }
    }

    /// Writes fields of the current object with `compose` (see `JSONFields`): the same bytes
    /// as the equivalent `value` calls.
    public mutating func fields(_ compose: (inout JSONFields) throws -> Void) rethrows {
        let buffer = scratchBuffer()
        let output = uniqueOutput()
        var fields = JSONFields(output: output, buffer: buffer, indentation: 2 * depth, pretty: pretty, inline: isInline, hasElement: hasElement)
        defer { fields.store(into: output) }
        try compose(&fields)
        hasElement = fields.hasElement
    }
}

/// Owns a `ScratchBuffer` (allocated once per writer) and frees it with the last writer
/// copy that holds it.
final class ScratchOwner {
    let buffer: UnsafeMutablePointer<ScratchBuffer>

    init() {
        buffer = .allocate(capacity: 1)
        buffer.initialize(to: ScratchBuffer())
    }

    deinit {
        buffer.pointee.deallocate()
        buffer.deinitialize(count: 1)
        buffer.deallocate()
    }
}
