// A byte-level tokenizer for entity rules: words, digit groups and single punctuation
// marks with UTF-8 offsets, case flags and a case-folded hash for gazetteer look-ups.

/// One token of a block. Offsets are UTF-8 byte offsets into the document text.
///
/// 32 bytes: a document's scanner keeps every token of a document of up to 1 MB for its second
/// pass (one per four bytes of text), and on long documents the first touch of that memory
/// (page faults) was a tenth of extract.entities at 48 bytes a token. The end is kept as a
/// byte count from the start (a token of 4 GiB or more is beyond any document read), the
/// length in 16 bits (clamped: every rule compares it with small numbers), the four flags
/// in one byte.
struct Token: Sendable {
    enum Kind: UInt8, Sendable { case word, number, punct }
    var start: Int
    /// FNV-1a of the case-folded bytes (ASCII and Latin-1 letters folded).
    let hash: UInt64
    /// For punctuation: the scalar.
    let scalar: UInt32
    /// The closed word classes of a word (see `Vocabulary`).
    let classes: WordClass
    private let byteCount: UInt32
    private let storedLength: UInt16
    let kind: Kind
    private let flags: UInt8

    private static let capitalizedFlag: UInt8 = 1, allCapsFlag: UInt8 = 2, spaceBeforeFlag: UInt8 = 4, newlineBeforeFlag: UInt8 = 8

    var end: Int { start &+ Int(byteCount) }
    /// First letter upper case (words only).
    var isCapitalized: Bool { flags & Self.capitalizedFlag != 0 }
    /// Every letter upper case and at least one letter.
    var isAllCaps: Bool { flags & Self.allCapsFlag != 0 }
    /// White space between this token and the previous one.
    var spaceBefore: Bool { flags & Self.spaceBeforeFlag != 0 }
    var newlineBefore: Bool { flags & Self.newlineBeforeFlag != 0 }

    /// Number of letters (words) or digits (numbers), at most 65,535.
    var length: Int { Int(storedLength) }

    init(start: Int, end: Int, kind: Kind, isCapitalized: Bool, isAllCaps: Bool, spaceBefore: Bool, newlineBefore: Bool,
         hash: UInt64, scalar: UInt32, length: Int, classes: WordClass = WordClass(rawValue: 0)) {
        self.start = start
        byteCount = UInt32(truncatingIfNeeded: end &- start)
        self.hash = hash
        self.scalar = scalar
        self.classes = classes
        storedLength = UInt16(clamping: length)
        self.kind = kind
        flags = (isCapitalized ? Self.capitalizedFlag : 0) | (isAllCaps ? Self.allCapsFlag : 0)
            | (spaceBefore ? Self.spaceBeforeFlag : 0) | (newlineBefore ? Self.newlineBeforeFlag : 0)
    }

    /// Whether the word is in any of the classes `c` (the bits compared directly: `isDisjoint`
    /// went through the generic `OptionSet` equality, not inlined).
    @inline(__always) func isA(_ c: WordClass) -> Bool { classes.rawValue & c.rawValue != 0 }
}

enum ScalarClass { case letter, digit, space, newline, punct }

@inline(__always) func fnvStart() -> UInt64 { 0xcbf2_9ce4_8422_2325 }
@inline(__always) func fnvAdd(_ h: inout UInt64, _ b: UInt8) {
    h ^= UInt64(b)
    h = h &* 0x100_0000_01b3
}

/// FNV-1a of a string's case-folded UTF-8 bytes, the same fold the tokenizer applies.
func foldedHash<S: StringProtocol>(_ s: S) -> UInt64 { foldedHash(bytes: s.utf8) }

func foldedHash<C: Collection<UInt8>>(bytes: C) -> UInt64 {
    var h = fnvStart()
    var previousC3 = false
    for b in bytes {
        var c = b
        if c >= 0x41 && c <= 0x5A { c += 32 }
        else if previousC3 && c >= 0x80 && c <= 0x9E && c != 0x97 { c += 32 }
        previousC3 = (b == 0xC3)
        fnvAdd(&h, c)
    }
    return h
}

struct Tokenizer {
    /// Every run of one to four consecutive capitalized words in `tokens`, hashed like gazetteer
    /// keys: `body(key, first, single)` for each prefix of each run, `first` its first token,
    /// `single` when the prefix is that one word (callers filter lone common words their way).
    @inline(__always)
    static func forEachCapitalizedRun<Tokens: RandomAccessCollection<Token>>(
        _ tokens: Tokens, _ body: (_ key: UInt64, _ first: Int, _ single: Bool) -> Void
    ) where Tokens.Index == Int {
        var i = 0
        while i < tokens.count {
            guard tokens[i].kind == .word, tokens[i].isCapitalized else {
                i += 1
                continue
            }
            var key: UInt64 = 0
            for j in i..<capitalizedRunEnd(tokens, from: i) {
                key = Lexicon.combine(key, tokens[j].hash)
                body(key, i, j == i)
            }
            i += 1
        }
    }

    /// Where the run of consecutive capitalized words that begins at token `first` (a
    /// capitalized word) ends, at most four words on: each next word capitalized and after a space.
    @inline(__always)
    static func capitalizedRunEnd<Tokens: RandomAccessCollection<Token>>(_ tokens: Tokens, from first: Int) -> Int
    where Tokens.Index == Int {
        var end = first + 1
        while end < tokens.count, end < first + 4, tokens[end].kind == .word, tokens[end].isCapitalized, tokens[end].spaceBefore {
            end += 1
        }
        return end
    }

    /// Decodes the scalar at `i`; returns it and its byte length.
    @inline(__always)
    static func decode(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> (UInt32, Int) {
        let b0 = UInt32(p[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0, i + 1 < end { return (((b0 & 0x1F) << 6) | (UInt32(p[i + 1]) & 0x3F), 2) }
        if b0 < 0xF0, i + 2 < end {
            return (((b0 & 0x0F) << 12) | ((UInt32(p[i + 1]) & 0x3F) << 6) | (UInt32(p[i + 2]) & 0x3F), 3)
        }
        if i + 3 < end {
            return (((b0 & 0x07) << 18) | ((UInt32(p[i + 1]) & 0x3F) << 12) | ((UInt32(p[i + 2]) & 0x3F) << 6)
                | (UInt32(p[i + 3]) & 0x3F), 4)
        }
        return (0xFFFD, 1)
    }

    @inline(__always)
    static func classify(_ s: UInt32) -> ScalarClass {
        if s < 0x80 {
            switch s {
            case 0x30...0x39: return .digit
            case 0x41...0x5A, 0x61...0x7A: return .letter
            case 0x0A, 0x0D: return .newline
            case 0x20, 0x09, 0x0B, 0x0C: return .space
            default: return .punct
            }
        }
        switch s {
        case 0xA0, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: return .space
        case 0x2028, 0x2029: return .newline
        case 0xAA, 0xBA: return .punct  // ordinal indicators: 1.º, 2.ª
        case 0xC0...0x24F: return (s == 0xD7 || s == 0xF7) ? .punct : .letter
        case 0x80...0xBF, 0x2010...0x206F, 0x20A0...0x20CF, 0x2100...0x2BFF: return .punct
        default:
            if let u = Unicode.Scalar(s), u.properties.isAlphabetic { return .letter }
            return .punct
        }
    }

    @inline(__always)
    static func isUpper(_ s: UInt32) -> Bool {
        if s < 0x80 { return s >= 0x41 && s <= 0x5A }
        if s >= 0xC0 && s <= 0xDE { return s != 0xD7 }
        if s < 0x100 { return false }
        return Unicode.Scalar(s)?.properties.isUppercase ?? false
    }

    /// Tokenizes `p[range]`. Abbreviations made of one- or two-letter capitals with dots
    /// (`U.S.`, `EE.UU.`, `EE. UU.`, `U.N.`) are single words, so gazetteers can name them.
    /// Words get their classes from `vocabulary`. ASCII takes a fast path; other scalars are
    /// decoded and classified one by one (same tokens, same hashes).
    static func tokenize(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, vocabulary: Vocabulary = .empty,
                         into tokens: inout [Token]) {
        tokens.removeAll(keepingCapacity: true)
        appendTokens(p, start, end, vocabulary: vocabulary, to: &tokens)
    }

    /// `tokenize`, appending to `tokens` rather than replacing them (a document's scanner keeps
    /// every block's tokens in one array for its second pass).
    ///
    /// The tokens come from a `TokenScan` handed to `append(contentsOf:)`, which writes them
    /// straight into the array's spare room: appended one by one, each token checked the
    /// array's uniqueness and capacity (2% more instructions, on the 1,000 bench pairs).
    static func appendTokens(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, vocabulary: Vocabulary = .empty,
                             to tokens: inout [Token]) {
        vocabulary.withTable { tokens.append(contentsOf: TokenScan(p: p, i: start, end: end, vocabulary: $0)) }
    }
}

/// The tokens of `p[i..<end]`, read one by one (see `Tokenizer.tokenize`). Its own iterator,
/// so that `Array.append(contentsOf:)` can fill the array's room with them directly.
struct TokenScan: Sequence, IteratorProtocol {
    let p: UnsafeBufferPointer<UInt8>
    /// Where the next token's search begins.
    var i: Int
    let end: Int
    let vocabulary: Vocabulary.Table

    @inline(__always)
    mutating func next() -> Token? {
        var space = false
        var newline = false
        while i < end {
            let b0 = p[i]
            var s: UInt32
            var n: Int
            var cls: ScalarClass
            if b0 < 0x80 {
                if b0 == 0x20 {
                    space = true
                    i += 1
                    continue
                }
                s = UInt32(b0)
                n = 1
                if b0 &- 0x61 < 26 || b0 &- 0x41 < 26 {
                    cls = .letter
                } else if b0 &- 0x30 < 10 {
                    cls = .digit
                } else if b0 == 0x0A || b0 == 0x0D {
                    cls = .newline
                } else if b0 == 0x09 || b0 == 0x0B || b0 == 0x0C {
                    cls = .space
                } else {
                    cls = .punct
                }
            } else {
                (s, n) = Tokenizer.decode(p, i, end)
                cls = Tokenizer.classify(s)
            }
            switch cls {
            case .space:
                space = true
                i += n
            case .newline:
                space = true
                newline = true
                i += n
            case .digit:
                var h = fnvStart()
                var j = i
                while j < end, p[j] >= 0x30, p[j] <= 0x39 {
                    fnvAdd(&h, p[j])
                    j += 1
                }
                defer { i = j }
                return Token(start: i, end: j, kind: .number, isCapitalized: false, isAllCaps: false,
                             spaceBefore: space, newlineBefore: newline, hash: h, scalar: 0, length: j - i)
            case .letter:
                return word(space: space, newline: newline)
            case .punct:
                var h = fnvStart()
                for k in i..<(i + n) { fnvAdd(&h, p[k]) }
                defer { i += n }
                return Token(start: i, end: i + n, kind: .punct, isCapitalized: false, isAllCaps: false,
                             spaceBefore: space, newlineBefore: newline, hash: h, scalar: s, length: 1)
            }
        }
        return nil
    }

    /// The word that begins at `i` (a letter), and `i` moved past it.
    @inline(__always)
    private mutating func word(space: Bool, newline: Bool) -> Token {
        var h = fnvStart()
        var j = i
        var letters = 0
        var uppers = 0
        var firstUpper = false
        while j < end {
            // Lower-case ASCII letters, most of a word's, in a loop of their own: no count
            // or case to keep per letter.
            let run = j
            while j < end, p[j] &- 0x61 < 26 {
                fnvAdd(&h, p[j])
                j &+= 1
            }
            letters &+= j &- run
            guard j < end else { break }
            let b = p[j]
            if b < 0x80 {
                guard b &- 0x41 < 26 else { break }
                if letters == 0 { firstUpper = true }
                uppers += 1
                fnvAdd(&h, b + 32)
                letters += 1
                j += 1
                continue
            }
            let (t, m) = Tokenizer.decode(p, j, end)
            if Tokenizer.classify(t) != .letter { break }
            let upper = Tokenizer.isUpper(t)
            if letters == 0 { firstUpper = upper }
            if upper { uppers += 1 }
            letters += 1
            if m == 1 {
                fnvAdd(&h, upper ? p[j] + 32 : p[j])
            } else if m == 2, p[j] == 0xC3, upper {
                fnvAdd(&h, 0xC3)
                fnvAdd(&h, p[j + 1] + 32)
            } else {
                for k in j..<(j + m) { fnvAdd(&h, p[k]) }
            }
            j += m
        }
        // Dotted abbreviation: U.S. / EE.UU. / EE. UU. (each part one or two capitals)
        if firstUpper, uppers == letters, letters <= 2, j < end, p[j] == 0x2E {
            var k = j
            var parts = 1
            var lastEnd = j + 1
            while k < end, p[k] == 0x2E {
                var m = k + 1
                if m < end, p[m] == 0x20 { m += 1 }
                var q = m
                while q < end, p[q] >= 0x41, p[q] <= 0x5A, q - m < 3 { q += 1 }
                let partLength = q - m
                guard partLength >= 1, partLength <= 2, q < end, p[q] == 0x2E else { break }
                // A following part must end in a dot; it must not begin a longer word.
                parts += 1
                k = q
                lastEnd = q + 1
            }
            if parts >= 2 {
                for b in p[j..<lastEnd] {
                    fnvAdd(&h, (b >= 0x41 && b <= 0x5A) ? b + 32 : b)
                }
                letters += parts
                uppers = letters
                j = lastEnd
            }
        }
        defer { i = j }
        return Token(start: i, end: j, kind: .word, isCapitalized: firstUpper,
                     isAllCaps: uppers == letters && letters > 0, spaceBefore: space,
                     newlineBefore: newline, hash: h, scalar: 0, length: letters,
                     classes: vocabulary.classes(h))
    }
}

/// FNV-1a of the bytes with case folded and Latin-1 accents removed (`María` → `maria`),
/// for the person-name lists, which are written without accents.
func accentlessHash(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
    var h = fnvStart()
    var i = start
    while i < end {
        let b = p[i]
        if b == 0xC3, i + 1 < end {
            let c = p[i + 1] | 0x20  // fold À-Þ onto à-þ
            let plain: UInt8? =
                switch c {
                case 0xA0...0xA5: 0x61
                case 0xA7: 0x63
                case 0xA8...0xAB: 0x65
                case 0xAC...0xAF: 0x69
                case 0xB1: 0x6E
                case 0xB2...0xB6, 0xB8: 0x6F
                case 0xB9...0xBC: 0x75
                case 0xBD, 0xBF: 0x79
                default: nil
                }
            if let plain {
                fnvAdd(&h, plain)
                i += 2
                continue
            }
        }
        fnvAdd(&h, (b >= 0x41 && b <= 0x5A) ? b + 32 : b)
        i += 1
    }
    return h
}
