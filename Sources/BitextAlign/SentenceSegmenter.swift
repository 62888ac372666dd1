import Foundation

/// Rule-based English and Spanish sentence segmentation.
///
/// A sentence ends at `.`, `!`, `?`, `…` or `...` (plus any closing quotes and brackets)
/// followed by white space and something that can start a sentence: a capital, a digit,
/// an opening quote or bracket, `¿` or `¡`. Exceptions: abbreviations (Sr., Dr., etc.,
/// U.S., EE. UU., núm., art.), initials (J. Smith), decimals (3.5), document symbols
/// followed by their number (CP/RES. 1268), ellipses followed by lower case, and what technical
/// documentation adds: heading and caption numbers (2.1. Title, Table 2.4.), periods inside a
/// short parenthesis, synopsis ellipses ([OPTION]... [FILE]...). A footnote reference ([58])
/// stays with the sentence before it; a lower-case command (cpio(1), autotools-dev) may open one.
/// Measured on Debian's message catalogs and manuals: scripts/align/evaluate_sentences.py.
public struct SentenceSegmenter: Sendable {
    public enum Language: Sendable { case english, spanish }

    public var language: Language

    public init(language: Language) { self.language = language }

    /// Abbreviations after which a sentence never ends (titles, references before a number).
    static let englishNonFinal: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "gen", "gov", "sen", "rep", "col", "capt", "lt",
        "sgt", "rev", "hon", "pres", "no", "nos", "art", "arts", "vol", "vols", "fig", "figs", "p", "pp", "ch", "sec",
        "para", "paras", "e.g", "i.e", "cf", "vs", "approx", "dept", "est", "op", "cit", "ed", "eds", "jan", "feb",
        "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "res", "doc", "ref", "eq", "ca",
    ]
    static let spanishNonFinal: Set<String> = [
        "sr", "sra", "srta", "sres", "sras", "dr", "dra", "dres", "lic", "ing", "arq", "prof", "profa", "d", "dña",
        "da", "excmo", "excma", "ilmo", "ilma", "mons", "gral", "cnel", "cap", "tte", "sto", "sta", "núm", "nro",
        "no", "n", "art", "arts", "párr", "pág", "págs", "p", "pp", "vol", "vols", "fig", "cap", "caps", "ej",
        "p.ej", "cf", "vid", "vs", "aprox", "depto", "dpto", "av", "avda", "c", "ene", "feb", "abr", "jun", "jul",
        "ago", "sept", "oct", "nov", "dic", "res", "doc", "ref", "ud", "uds", "vd", "vds", "admón", "ca",
    ]
    /// Abbreviations that may also close a sentence: they end one only when the next word is
    /// a typical sentence opener (The, This, El, La…). ("etc." and "Inc." are not among them: in
    /// the message catalogs and Debian manuals a capital after them always opened a sentence:
    /// "…, etc. If you", "…, etc. La mayoría", "Red Hat, Inc. Debug logging…".)
    static let englishAmbiguous: Set<String> = [
        "u.s", "u.k", "u.n", "ltd", "co", "corp", "a.m", "p.m", "jr", "u.s.a", "d.c", "al",
    ]
    static let spanishAmbiguous: Set<String> = [
        "ee.uu", "uu", "ee", "s.a", "a.m", "p.m", "a.c", "d.c", "cía", "ltda", "al",
    ]
    static let englishOpeners: Set<String> = [
        "the", "this", "that", "these", "those", "it", "its", "we", "they", "he", "she", "i", "in", "on", "at", "a",
        "an", "but", "however", "there", "our", "their", "his", "her", "as", "if", "when", "while", "after", "before",
        "since", "for", "so", "yet", "and", "or", "what", "why", "how", "who", "you", "my", "all", "some", "many",
        "most", "such", "then", "also", "although", "though", "both", "each", "every", "no", "not", "to",
    ]
    static let spanishOpeners: Set<String> = [
        "el", "la", "los", "las", "un", "una", "unos", "unas", "este", "esta", "estos", "estas", "ese", "esa", "eso",
        "en", "por", "pero", "sin", "con", "para", "nosotros", "ellos", "ellas", "él", "ella", "yo", "hay", "como",
        "si", "cuando", "mientras", "después", "antes", "desde", "así", "aunque", "también", "sus", "su", "nuestro",
        "nuestra", "nuestros", "nuestras", "no", "y", "o", "que", "qué", "cómo", "quién", "todos", "todas", "muchos",
        "ambos", "cada", "a", "al", "de", "del", "se", "lo", "le", "les", "sin embargo", "esto", "ello",
        // Verbs that open instructions and statements in manuals: "Puede deshabilitar…", "Consulte…".
        "puede", "pueden", "debe", "deben", "es", "son", "consulte", "véase", "use", "utilice", "ejecute",
    ]

    /// Abbreviations that stand before a number (No. 5, art. 3, p. 12); elsewhere they are words.
    static let beforeNumber: Set<String> = [
        "no", "nos", "núm", "nro", "n", "art", "arts", "p", "pp", "vol", "vols", "fig", "figs", "ch", "sec", "para",
        "paras", "res", "doc", "ref", "eq", "párr", "pág", "págs", "cap", "caps",
    ]

    /// The longest abbreviation of the lists `boundaryAfterPeriod` looks a word up in, in UTF-8
    /// bytes: a longer word is in none of them, and is not hashed three times to find out.
    static let longestAbbreviation = [beforeNumber, englishNonFinal, spanishNonFinal, englishAmbiguous, spanishAmbiguous]
        .flatMap { $0 }.map(\.utf8.count).max() ?? 0

    /// Whether a lower-cased word may be in one of those lists, by its length and its first and
    /// last bytes: most words before a period are in none, and are not hashed three times to
    /// find out. Per length and first letter (a–z), a bit per last letter; a listed word whose
    /// first or last byte is no such letter makes every word of its length a candidate.
    /// Exact for NFC words (equal strings, equal bytes); the document text is NFC.
    static func mayBeAbbreviation(_ lower: String) -> Bool {
        let length = lower.utf8.count
        guard length > 0, length <= longestAbbreviation else { return false }
        if abbreviationShapes.anyOfLength[length] { return true }
        guard let first = lower.utf8.first, let last = lower.utf8.last, first >= 0x61 && first <= 0x7A, last >= 0x61 && last <= 0x7A
        else { return false }
        return abbreviationShapes.lastLetters[length * 26 + Int(first - 0x61)] & (1 << UInt32(last - 0x61)) != 0
    }

    /// See `mayBeAbbreviation`.
    private static let abbreviationShapes: (lastLetters: [UInt32], anyOfLength: [Bool]) = {
        var lastLetters = [UInt32](repeating: 0, count: (longestAbbreviation + 1) * 26)
        var anyOfLength = [Bool](repeating: false, count: longestAbbreviation + 1)
        for word in [beforeNumber, englishNonFinal, spanishNonFinal, englishAmbiguous, spanishAmbiguous].joined() {
            let bytes = Array(word.utf8)
            let (first, last) = (bytes.first!, bytes.last!)
            guard first >= 0x61 && first <= 0x7A, last >= 0x61 && last <= 0x7A else {
                anyOfLength[bytes.count] = true
                continue
            }
            lastLetters[bytes.count * 26 + Int(first - 0x61)] |= 1 << UInt32(last - 0x61)
        }
        return (lastLetters, anyOfLength)
    }()

    /// Only bytes of ASCII and no capital A–Z: `lowercased()` would return the word unchanged.
    static func isASCIILowercase(_ word: String) -> Bool {
        word.utf8.allSatisfy { $0 < 0x80 && !($0 >= 0x41 && $0 <= 0x5A) }
    }

    /// How many Characters of `word` are letters. A word of ASCII (most) is counted on its bytes:
    /// a Character each ("\r\n" aside, no letter either way), a letter exactly when A–Z or a–z;
    /// asking each Character looked its properties up in the Unicode tables.
    static func letterCount(_ word: String) -> Int {
        var letters = 0
        for byte in word.utf8 {
            if byte >= 0x80 { return word.reduce(0) { $0 + ($1.isLetter ? 1 : 0) } }
            if byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A { letters += 1 }
        }
        return letters
    }

    /// `word.split(separator: ".").allSatisfy { $0.count <= 2 }` without the array: no run of
    /// three Characters between periods.
    static func hasShortParts(_ word: String) -> Bool {
        var run = 0
        for character in word {
            if character == "." {
                run = 0
            } else {
                run += 1
                if run > 2 { return false }
            }
        }
        return true
    }

    /// Closing quotes and brackets: " ' ” ’ » ) ] } (a switch: no hashing per scalar).
    @inline(__always)
    static func isCloser(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "\"", "'", "”", "’", "»", ")", "]", "}": true
        default: false
        }
    }

    /// What may open a sentence before its first word: " ' “ ‘ « ( [ ¿ ¡ — - •
    @inline(__always)
    static func isOpener(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "\"", "'", "“", "‘", "«", "(", "[", "¿", "¡", "—", "-", "•": true
        default: false
        }
    }

    /// Sentence ranges as UTF-8 offsets into `text`, white space trimmed; together they cover
    /// every non-blank character of `text`. `text` is NFC, as every `Document`'s text: the
    /// abbreviation lists are screened by a word's bytes (`mayBeAbbreviation`), so a decomposed
    /// "pa\u{301}g." is not taken for "pág.".
    public func sentences(in text: Substring) -> [Range<Int>] {
        var scratch = Scratch()
        return sentences(in: text, scratch: &scratch)
    }

    /// What one call decodes a text into, kept from one call to the next so that segmenting
    /// many blocks allocates these once.
    public struct Scratch: Sendable {
        var scalars: [Unicode.Scalar] = []
        /// Whether every decoded scalar is ASCII: then a scalar's index is its UTF-8 offset.
        var isASCII = false
        /// The index of the first scalar that can be a terminator or a line feed (none before
        /// it is: the search for sentence ends starts there).
        var firstCandidate = 0
        /// Whether the decoded text has a "(" (found by memchr on its bytes, not by a scalar scan).
        var hasParenthesis = true
        /// Scalar indices where sentences start.
        var breaks: [Int] = []
        /// `parenthesisDepth`'s depths and open parentheses.
        var depth: [Int32] = []
        var open: [Int] = []
        public init() {}

        /// Buffers past this many elements (a 64 KB block's) are not kept from one unit to the next.
        static let keptElements = 1 << 16

        var isSmallEnoughToKeep: Bool {
            max(scalars.capacity, breaks.capacity, depth.capacity, open.capacity) <= Self.keptElements
        }
    }

    /// `sentences(in:)`, decoding into `scratch`.
    public func sentences(in text: Substring, scratch: inout Scratch) -> [Range<Int>] {
        sentences(in: text, scratch: &scratch, shortcut: true)
    }

    /// `shortcut`: a text whose terminators all stand in its closing run is one sentence
    /// without the scalar-by-scalar pass (tests compare the two).
    func sentences(in text: Substring, scratch: inout Scratch, shortcut: Bool) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        sentences(in: text, scratch: &scratch, shortcut: shortcut) { ranges.append($0) }
        return ranges
    }

    /// `sentences(in:scratch:shortcut:)` handed to `found` one by one, in order: a caller that
    /// keeps them elsewhere allocates no list per text.
    func sentences(in text: Substring, scratch: inout Scratch, shortcut: Bool = true, _ found: (Range<Int>) -> Void) {
        let segmented: Void? = text.utf8.withContiguousStorageIfAvailable { sentences(utf8: $0, scratch: &scratch, shortcut: shortcut, found) }
        guard segmented == nil else { return }
        segment(Array(text.unicodeScalars), bytes: nil, isASCII: false, hasParenthesis: true, firstCandidate: 0, scratch: &scratch, found)
    }

    /// `sentences(in:scratch:shortcut:_:)` of a text given as its UTF-8 bytes (valid, NFC): a
    /// caller that holds a document's bytes segments each block in place, without a Substring
    /// (whose making validated both ends of the range, block after block).
    func sentences(utf8 bytes: UnsafeBufferPointer<UInt8>, scratch: inout Scratch, shortcut: Bool = true, _ found: (Range<Int>) -> Void) {
        switch Self.decode(bytes, into: &scratch, shortcut: shortcut) {
        case .noTerminator(let trimmed):
            if let trimmed { found(trimmed) }
        case .decoded:
            segment(
                scratch.scalars, bytes: bytes, isASCII: scratch.isASCII, hasParenthesis: scratch.hasParenthesis,
                firstCandidate: scratch.firstCandidate, scratch: &scratch, found)
        }
    }

    /// The search for sentence ends over a text's scalars. `bytes`: the text's UTF-8 when at hand,
    /// where terminators (in ASCII) and the sentences' offsets are found eight bytes at a time;
    /// `isASCII`: a scalar per byte; `hasParenthesis` false when the text is known to have no
    /// "("; no terminator before `firstCandidate`.
    private func segment(
        _ scalars: [Unicode.Scalar], bytes: UnsafeBufferPointer<UInt8>?, isASCII: Bool, hasParenthesis: Bool,
        firstCandidate: Int, scratch: inout Scratch, _ found: (Range<Int>) -> Void
    ) {
        var parenthesisDepth: [Int32] = []  // (the scratch's buffer, lent)
        swap(&parenthesisDepth, &scratch.depth)
        defer { swap(&parenthesisDepth, &scratch.depth) }
        if hasParenthesis {
            Self.parenthesisDepth(scalars, into: &parenthesisDepth, open: &scratch.open)
        } else {
            parenthesisDepth.removeAll(keepingCapacity: true)
        }
        var breaks: [Int] = []  // scalar index where a new sentence starts (the scratch's buffer, lent)
        swap(&breaks, &scratch.breaks)
        breaks.removeAll(keepingCapacity: true)
        defer { swap(&breaks, &scratch.breaks) }
        var i = firstCandidate
        while i < scalars.count {
            if isASCII, let bytes {
                i = Self.nextCandidate(inASCII: bytes, from: i)
            } else {
                i = Self.nextCandidate(in: scalars, from: i)
            }
            guard i < scalars.count else { break }
            let s = scalars[i]
            if s == "\n" {
                // A blank line inside a block is a hard break.
                var k = i + 1
                while k < scalars.count, scalars[k] == " " || scalars[k] == "\t" { k += 1 }
                if k < scalars.count, scalars[k] == "\n" { breaks.append(k) }
                i = k
                continue
            }
            // Extend over runs of terminal punctuation (?!, ..., ?») and closing quotes.
            var end = i + 1
            while end < scalars.count, (scalars[end] == "." || scalars[end] == "!" || scalars[end] == "?" || scalars[end] == "…") { end += 1 }
            while end < scalars.count, Self.isCloser(scalars[end]) { end += 1 }
            // A footnote reference stuck to the period ("invoking make.[11] Some of them") belongs to it.
            if let afterMarker = Self.footnoteMarkerEnd(scalars, at: end) { end = afterMarker }
            let isEllipsis = s == "…" || (end - i >= 3 && scalars[i] == "." && scalars[i + 1] == ".")
            // Need white space then a sentence start.
            var next = end
            guard next < scalars.count, TextNormalization.isWhitespace(scalars[next]) else { i = end; continue }
            while next < scalars.count, TextNormalization.isWhitespace(scalars[next]) { next += 1 }
            guard next < scalars.count else { break }
            // A footnote reference after the period ("the source. [58] The …") closes the sentence it follows.
            if let afterMarker = Self.footnoteMarkerEnd(scalars, at: next) {
                end = afterMarker
                guard end < scalars.count, TextNormalization.isWhitespace(scalars[end]) else { i = end; continue }
                next = end
                while next < scalars.count, TextNormalization.isWhitespace(scalars[next]) { next += 1 }
                guard next < scalars.count else { break }
            }
            // Inside a parenthesis closed further on, a period ends no sentence: "(ca. 600-400 a.C.)",
            // "(disco de arranque, Knoppix CD. GRUB CD)".
            guard parenthesisDepth.isEmpty || parenthesisDepth[end] == 0 else { i = end; continue }
            var first = next
            while first < scalars.count, Self.isOpener(scalars[first]) { first += 1 }
            guard first < scalars.count else { break }
            let starter = scalars[first]
            let startsUpper = TextNormalization.isUppercase(starter)
            let startsDigit = TextNormalization.isDigit(starter)
            let openedQuestion = first > next  // an opening quote, ¿ or ¡
            let period = s == "." && !isEllipsis
            let word: String
            // Where the word starts (its scalars counted from its start, not from its string).
            var wordStart = i
            if startsUpper || startsDigit || (openedQuestion && !TextNormalization.isLowercase(starter)) {
                if period {
                    wordStart = Self.wordStart(scalars, dotIndex: i)
                    word = Self.string(scalars[wordStart..<i])
                } else {
                    word = ""
                }
            } else {
                // Lower case: only a command after an ordinary word opens a sentence.
                // (Not after an opening parenthesis: "…template". (non-split configuration)" is a remark.)
                guard period, !scalars[next..<first].contains("("), Self.startsWithIdentifier(scalars, at: first) else { i = end; continue }
                wordStart = Self.wordStart(scalars, dotIndex: i)
                word = Self.string(scalars[wordStart..<i])
                let quotedBefore = word.isEmpty && i > 0 && Self.isCloser(scalars[i - 1])  // `"yyerror()". "main()" calls`
                guard quotedBefore || endsSentenceBeforeIdentifier(word: word) else { i = end; continue }
            }
            if period && (startsUpper || startsDigit || openedQuestion) {
                let nextWord = wordAt(scalars, first)
                // Only initials and numbers look at the word before them.
                let numbering = Self.isNumbering(word)
                let previousWord = numbering || i - wordStart == 1 ? Self.word(scalars, before: wordStart) : ""
                // What precedes the word in its sentence: nothing but white space and openers means
                // the word numbers a heading or list item ("2.1. Debian package…", "1. Install…").
                let sentenceStart = breaks.last ?? 0
                var k = wordStart
                while numbering, k > sentenceStart, TextNormalization.isWhitespace(scalars[k - 1]) || Self.isOpener(scalars[k - 1]) { k -= 1 }
                let opensSentence = numbering && k <= sentenceStart
                if !boundaryAfterPeriod(word: word, previousWord: previousWord, nextWord: nextWord, nextStartsWithDigit: startsDigit)
                    || (numbering && Self.captionLabels.contains(previousWord.lowercased()))
                    || opensSentence
                    || (openedQuestion && Self.isSectionNumber(word))  // "Reference, 5.8. “Handling bugs”"
                {
                    i = end
                    continue
                }
            }
            // A command synopsis repeats with an ellipsis: "Usage: %s [OPTION]... [FILE]...",
            // "EXECUTE ... INTO".
            if isEllipsis && Self.isSynopsisWord(Self.word(scalars, before: i)) && Self.isSynopsisWord(Self.token(scalars, at: next)) {
                i = end
                continue
            }
            breaks.append(next)
            i = next
        }

        // UTF-8 offsets of the sentences' ends, which only grow: counted up to each from the
        // last rather than kept for every scalar (an array of eight bytes per byte of text,
        // filled for every block).
        var offsetIndex = 0
        var offset = 0
        func utf8Offset(_ index: Int) -> Int {
            if isASCII { return index }
            if let bytes { return Self.utf8Offset(ofScalar: index, in: bytes, position: &offset, startsBefore: &offsetIndex) }
            while offsetIndex < index {
                offset += UTF8.width(scalars[offsetIndex])
                offsetIndex += 1
            }
            return offset
        }
        var start = 0
        for index in 0...breaks.count {
            let b = index < breaks.count ? breaks[index] : scalars.count  // the end closes the last one
            var lo = start
            var hi = b
            while lo < hi, TextNormalization.isWhitespace(scalars[lo]) { lo += 1 }
            while hi > lo, TextNormalization.isWhitespace(scalars[hi - 1]) { hi -= 1 }
            if lo < hi {
                let from = utf8Offset(lo)
                found(from..<utf8Offset(hi))
            }
            start = b
        }
    }

    private enum Decoded {
        /// No . ! ? … or line feed, or only in its closing run: the text, white space trimmed
        /// (nil: blank), is the only sentence.
        case noTerminator(Range<Int>?)
        /// The text's scalars (and whether they are all ASCII), in the scratch.
        case decoded
    }

    /// The scalars `unicodeScalars` gives, decoded from the UTF-8 bytes at a fraction of the
    /// cost; a text without a terminator is only trimmed.
    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, into scratch: inout Scratch, shortcut: Bool) -> Decoded {
        let first = firstTerminatorByte(bytes)
        if first == nil || (shortcut && (isClosingRun(bytes, from: first!) || hasNoBreak(bytes, from: first!))) {
            // Trimmed: the first scalar that is not white space from the front, the last
            // from the back (a scalar starts at a byte that is not 10xxxxxx).
            var lo = 0
            while lo < bytes.count {
                let (scalar, width) = AnchorExtractor.scalar(at: lo, in: bytes)
                if !TextNormalization.isWhitespace(scalar) { break }
                lo += width
            }
            guard lo < bytes.count else { return .noTerminator(nil) }
            var hi = bytes.count
            while hi > lo {
                var start = hi - 1
                while start > lo && bytes[start] & 0xC0 == 0x80 { start -= 1 }
                if !TextNormalization.isWhitespace(AnchorExtractor.scalar(at: start, in: bytes).0) { break }
                hi = start
            }
            return .noTerminator(lo..<hi)
        }
        // (A "(" byte is a "(" scalar: UTF-8 continuation bytes are 0x80 and up.)
        scratch.hasParenthesis = memchr(bytes.baseAddress!, 0x28, bytes.count) != nil
        // Sized for one scalar per byte, written through pointers, cut to the scalars found.
        scratch.scalars.removeAll(keepingCapacity: true)
        scratch.scalars.append(contentsOf: repeatElement(Unicode.Scalar(0), count: bytes.count))
        var count = 0
        var firstCandidate = 0
        scratch.scalars.withUnsafeMutableBufferPointer { scalars in
            var k = 0
            @inline(__always) func decode(upTo limit: Int) {
                while k < limit {
                    // Eight ASCII bytes (most of any text) widened at once: the scalar
                    // decoder took a dozen instructions a byte.
                    if k &+ 8 <= limit,
                        UnsafeRawPointer(bytes.baseAddress! + k).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
                    {
                        for m in 0..<8 { scalars[count &+ m] = Unicode.Scalar(bytes[k &+ m]) }
                        k &+= 8
                        count &+= 8
                        continue
                    }
                    let (scalar, width) = AnchorExtractor.scalar(at: k, in: bytes)
                    scalars[count] = scalar
                    k += width
                    count += 1
                }
            }
            // Up to the first candidate byte (a scalar's first byte: ASCII or 0xE2), then on.
            decode(upTo: first!)
            firstCandidate = count
            decode(upTo: bytes.count)
        }
        scratch.scalars.removeLast(bytes.count - count)
        scratch.isASCII = count == bytes.count
        scratch.firstCandidate = firstCandidate
        return .decoded
    }

    /// . ! ? and line feed as bits of one word (all below 64).
    private static let candidateBits: UInt64 = 1 << 0x2E | 1 << 0x21 | 1 << 0x3F | 1 << 0x0A

    /// The index of the first scalar from `start` on that is a terminator (. ! ? …) or a line
    /// feed, `scalars.count` if none: one bit test per scalar, read through a pointer (the
    /// search loop compared each scalar five times, reloading the array's count).
    static func nextCandidate(in scalars: [Unicode.Scalar], from start: Int) -> Int {
        scalars.withUnsafeBufferPointer { p in
            var k = start
            while k < p.count {
                let v = p[k].value
                k += 1
                // Letters and most else (U+0040 to U+2025) rejected by one comparison first: the
                // bit test and the … test made for every scalar took sixteen instructions.
                if v &- 0x40 < 0x2026 - 0x40 { continue }
                if v < 64 ? (candidateBits >> UInt64(v)) & 1 != 0 : v == 0x2026 { return k - 1 }
            }
            return p.count
        }
    }

    /// The offset of scalar `index` in valid UTF-8 `bytes`, found from `position`, before which
    /// `startsBefore` scalars start (both left where it is, for the next call, whose `index`
    /// must not be lower). Eight bytes at a time, by their continuation bytes (10xxxxxx): a
    /// scalar at a time took eleven instructions each.
    static func utf8Offset(ofScalar index: Int, in bytes: UnsafeBufferPointer<UInt8>, position: inout Int, startsBefore: inout Int) -> Int {
        if let base = bytes.baseAddress {
            while position &+ 8 <= bytes.count {
                let v = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
                // A continuation byte's top bit is set and the next one clear: a 1 in each such
                // byte, summed into the top byte by one multiplication (a bit count is a dozen
                // instructions where the processor has no POPCNT, as x86-64's baseline).
                let continuations = (v & ~(v &<< 1) & 0x8080_8080_8080_8080) &>> 7
                let starts = 8 &- Int(truncatingIfNeeded: (continuations &* 0x0101_0101_0101_0101) &>> 56)
                // Past these eight only when scalar `index` does not start among them.
                guard startsBefore &+ starts <= index else { break }
                startsBefore &+= starts
                position &+= 8
            }
        }
        while position < bytes.count {
            if bytes[position] & 0xC0 != 0x80 {
                if startsBefore == index { return position }
                startsBefore &+= 1
            }
            position &+= 1
        }
        return position
    }

    /// `nextCandidate(in:from:)` of an ASCII text, read from its bytes (a byte per scalar) eight
    /// at a time: the scalar loop took sixteen instructions a scalar.
    static func nextCandidate(inASCII bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs = ones &* 0x80
        // A byte's top bit set where `v` has a zero byte; of those, the lowest byte's is exact
        // (a borrow marks only bytes above a zero one), which is all that is read here.
        @inline(__always) func zeroBytes(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
        var k = start
        if let base = bytes.baseAddress {
            while k &+ 8 <= bytes.count {
                let v = UInt64(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self))
                let found = zeroBytes(v ^ (ones &* 0x2E)) | zeroBytes(v ^ (ones &* 0x21)) | zeroBytes(v ^ (ones &* 0x3F))
                    | zeroBytes(v ^ (ones &* 0x0A))
                if found != 0 { return k &+ found.trailingZeroBitCount &>> 3 }
                k &+= 8
            }
        }
        while k < bytes.count {
            let b = bytes[k]
            if b < 64 && (candidateBits >> UInt64(b)) & 1 != 0 { return k }
            k += 1
        }
        return bytes.count
    }

    /// Where the first byte from `start` on that can begin a terminator or a line feed stands:
    /// . ! ? line feed, or 0xE2, which leads "…" (and other punctuation, which then takes the
    /// full path). Read eight bytes at a time: most blocks' first such byte is their first
    /// period, a sentence in. (Words of bytes rather than `SIMD16`: its `any` reduction was a
    /// generic call, not inlined, dearer than the byte loop.)
    static func firstTerminatorByte(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int? {
        @inline(__always) func isCandidate(_ b: UInt8) -> Bool {
            b == UInt8(ascii: ".") || b == UInt8(ascii: "!") || b == UInt8(ascii: "?") || b == UInt8(ascii: "\n") || b == 0xE2
        }
        let ones: UInt64 = 0x0101_0101_0101_0101
        // A byte's top bit set where `v` has a zero byte; of those, the lowest byte's is exact
        // (a borrow marks only bytes above a zero one), which is all that is read here.
        @inline(__always) func zeroBytes(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & (ones &* 0x80) }
        var k = start
        if let base = bytes.baseAddress {
            while k + 8 <= bytes.count {
                let v = UInt64(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self))
                // One test for the five bytes, and the first found where it stands (no second pass).
                let found = zeroBytes(v ^ (ones &* 0x2E)) | zeroBytes(v ^ (ones &* 0x21)) | zeroBytes(v ^ (ones &* 0x3F))
                    | zeroBytes(v ^ (ones &* 0x0A)) | zeroBytes(v ^ (ones &* 0xE2))
                if found != 0 { return k &+ found.trailingZeroBitCount &>> 3 }
                k += 8
            }
        }
        while k < bytes.count {
            if isCandidate(bytes[k]) { return k }
            k += 1
        }
        return nil
    }

    /// Whether no sentence can start in `bytes` from `start` on (a text that is then one
    /// sentence, as `isClosingRun` finds one): no line feed, and after every run of terminators
    /// (. ! ? …) and the closers that follow it, either a byte that is neither white space nor a
    /// footnote's "[" (the search's next step needs white space: "v1.2", "foo.txt", "a.)b") or
    /// a closing run. Most blocks whose terminators all lie inside words ("e.g." aside) skip
    /// the scalar-by-scalar pass this way. Any other byte there (white space, "[", a non-ASCII
    /// letter) leaves it to the full pass.
    static func hasNoBreak(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        // Terminators and closers as the search extends a run over them, by their bytes.
        func terminatorWidth(at k: Int) -> Int {
            switch bytes[k] {
            case UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "?"): return 1
            case 0xE2 where k + 2 < bytes.count && bytes[k + 1] == 0x80 && bytes[k + 2] == 0xA6: return 3  // …
            default: return 0
            }
        }
        func closerWidth(at k: Int) -> Int {
            switch bytes[k] {
            case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): return 1
            case 0xE2 where k + 2 < bytes.count && bytes[k + 1] == 0x80 && (bytes[k + 2] == 0x9D || bytes[k + 2] == 0x99): return 3  // ” ’
            case 0xC2 where k + 1 < bytes.count && bytes[k + 1] == 0xBB: return 2  // »
            default: return 0
            }
        }
        var k = start
        while k < bytes.count {
            // Straight to the next byte that can begin a terminator or a line feed: the others
            // were stepped over one by one.
            guard let candidate = firstTerminatorByte(bytes, from: k) else { return true }
            k = candidate
            if bytes[k] == UInt8(ascii: "\n") { return false }
            var width = terminatorWidth(at: k)
            guard width > 0 else {
                k += 1
                continue
            }
            repeat {
                k += width
                width = k < bytes.count ? terminatorWidth(at: k) : 0
            } while width > 0
            while k < bytes.count {
                let closer = closerWidth(at: k)
                guard closer > 0 else { break }
                k += closer
            }
            guard k < bytes.count else { return true }
            let next = bytes[k]
            if next > 0x20 && next < 0x80 && next != UInt8(ascii: "[") { continue }
            return isClosingRun(bytes, from: k)
        }
        return true
    }

    /// Whether `bytes[start...]` holds only terminators (. ! ? …), closers that open nothing
    /// () ] } ” ’ ») and white space other than line feeds. Then no sentence can start after
    /// any of its terminators: a break needs a line feed or, after white space, a capital, a
    /// digit, an opener or a lower-case word (none of which are here).
    static func isClosingRun(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        var k = start
        while k < bytes.count {
            switch bytes[k] {
            case UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"),
                0x20, 0x09, 0x0B, 0x0C, 0x0D:
                k += 1
            case 0xC2:  // »
                guard k + 1 < bytes.count, bytes[k + 1] == 0xBB else { return false }
                k += 2
            case 0xE2:  // … ” ’
                guard k + 2 < bytes.count, bytes[k + 1] == 0x80, bytes[k + 2] == 0xA6 || bytes[k + 2] == 0x9D || bytes[k + 2] == 0x99
                else { return false }
                k += 3
            default:
                return false
            }
        }
        return true
    }

    /// Per scalar index k, how many parentheses opened before k close at or after k; only pairs
    /// that close within `parenthesisReach` scalars count, so a stray "(" or a list marker "a)"
    /// never holds a whole paragraph together.
    /// Empty when the text has no parenthesis (the common case costs one scan). Written into
    /// `depth`, with `open` as its working list: both kept from one block to the next by the caller.
    static func parenthesisDepth(_ scalars: [Unicode.Scalar], into depth: inout [Int32], open: inout [Int]) {
        depth.removeAll(keepingCapacity: true)
        open.removeAll(keepingCapacity: true)
        guard let firstOpen = scalars.firstIndex(of: "(") else { return }
        depth.append(contentsOf: repeatElement(0, count: scalars.count + 1))
        scalars.withUnsafeBufferPointer { scalars in
            depth.withUnsafeMutableBufferPointer { depth in
                // The deltas lie from the first counted pair's inside to the last one's closing:
                // before them the depths are 0, and after them too (each pair adds 1 and takes 1).
                var lowest = depth.count
                var highest = -1
                for k in firstOpen..<scalars.count {
                    let c = scalars[k]
                    if c == "(" {
                        open.append(k)
                    } else if c == ")", let o = open.popLast(), k - o <= parenthesisReach {
                        depth[o + 1] += 1
                        depth[k] -= 1  // the closing parenthesis itself lies outside
                        lowest = min(lowest, o + 1)
                        highest = k
                    }
                }
                var running: Int32 = 0
                for k in lowest..<max(lowest, highest + 1) {  // deltas to depths, in place
                    running += depth[k]
                    depth[k] = running
                }
            }
        }
    }
    static let parenthesisReach = 250

    /// The white-space-delimited token ending just before `index` (white space before it skipped).
    static func word(_ scalars: [Unicode.Scalar], before index: Int) -> String {
        var hi = min(index, scalars.count)
        while hi > 0, TextNormalization.isWhitespace(scalars[hi - 1]) { hi -= 1 }
        var lo = hi
        while lo > 0, !TextNormalization.isWhitespace(scalars[lo - 1]) { lo -= 1 }
        return string(scalars[lo..<hi])
    }

    /// The white-space-delimited token starting at `index`.
    static func token(_ scalars: [Unicode.Scalar], at index: Int) -> String {
        guard index >= 0, index < scalars.count else { return "" }
        var k = index
        while k < scalars.count, !TextNormalization.isWhitespace(scalars[k]) { k += 1 }
        return string(scalars[index..<k])
    }

    /// The string of `scalars`, encoded in one go (appending them one by one to a string
    /// view costs several times more).
    static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        if scalars.isEmpty { return "" }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4 * scalars.count) { buffer in
            var k = 0
            for scalar in scalars {
                let v = scalar.value
                if v < 0x80 {
                    buffer[k] = UInt8(v)
                    k += 1
                } else if v < 0x800 {
                    buffer[k] = UInt8(0xC0 | v >> 6)
                    buffer[k + 1] = UInt8(0x80 | v & 0x3F)
                    k += 2
                } else if v < 0x1_0000 {
                    buffer[k] = UInt8(0xE0 | v >> 12)
                    buffer[k + 1] = UInt8(0x80 | v >> 6 & 0x3F)
                    buffer[k + 2] = UInt8(0x80 | v & 0x3F)
                    k += 3
                } else {
                    buffer[k] = UInt8(0xF0 | v >> 18)
                    buffer[k + 1] = UInt8(0x80 | v >> 12 & 0x3F)
                    buffer[k + 2] = UInt8(0x80 | v >> 6 & 0x3F)
                    buffer[k + 3] = UInt8(0x80 | v & 0x3F)
                    k += 4
                }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[0..<k]), as: UTF8.self)
        }
    }

    /// Words before a caption's or heading's number ("Table 2.4.", "Chapter 2.", "Tabla 2.4."),
    /// after which the title follows in the same sentence.
    static let captionLabels: Set<String> = [
        "table", "figure", "fig", "example", "section", "chapter", "appendix", "part", "tabla", "figura", "ejemplo",
        "sección", "capítulo", "apéndice", "parte",
    ]


    /// A heading or list number: 2, 2.1, 2.1.5, A.1, IV (digits, or one capital letter or a Roman
    /// numeral, then dot-separated numbers).
    static func isNumbering(_ word: String) -> Bool {
        guard let first = word.unicodeScalars.first, TextNormalization.isDigit(first) || TextNormalization.isUppercase(first) else {
            return false
        }
        // Printable ASCII (nearly every word here): read by its bytes, one Character each.
        if let ascii = word.utf8.withContiguousStorageIfAvailable({ isPrintableASCII($0) ? isNumberingASCII($0) : nil }), let ascii {
            return ascii
        }
        return isNumberingByCharacters(word)
    }

    /// `isNumbering` by Characters, whatever the word (tests compare the two).
    static func isNumberingByCharacters(_ word: String) -> Bool {
        guard let first = word.unicodeScalars.first, TextNormalization.isDigit(first) || TextNormalization.isUppercase(first) else {
            return false
        }
        // A word without a period byte has no "." Character: it is its only part (no split, no list).
        guard word.utf8.contains(UInt8(ascii: ".")) else { return isNumberingHead(Substring(word)) }
        let parts = word.split(separator: ".", omittingEmptySubsequences: false)
        guard let head = parts.first, isNumberingHead(head) else { return false }
        return parts.dropFirst().allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber) }
    }

    /// Bytes 0x21–0x7E only: each byte is a Character of its own (no control, no CR LF pair),
    /// a digit, capital or letter exactly when the byte is.
    @inline(__always)
    static func isPrintableASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy { $0 >= 0x21 && $0 <= 0x7E }
    }

    /// `isNumberingByCharacters` for printable ASCII: the parts between periods, without splitting.
    private static func isNumberingASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        var partStart = 0
        var isHead = true
        for k in 0...bytes.count where k == bytes.count || bytes[k] == UInt8(ascii: ".") {
            let part = UnsafeBufferPointer(rebasing: bytes[partStart..<k])
            if isHead {
                guard !part.isEmpty, part.count <= 4 else { return false }
                let capital = part.count == 1 && part[0] >= 0x41 && part[0] <= 0x5A
                guard part.allSatisfy(isDigit) || capital || part.allSatisfy({ "IVXLC".utf8.contains($0) }) else { return false }
                isHead = false
            } else {
                guard !part.isEmpty, part.count <= 3, part.allSatisfy(isDigit) else { return false }
            }
            partStart = k + 1
        }
        return true
    }

    /// The first part of a heading or list number: up to four digits, one capital, or a Roman numeral.
    private static func isNumberingHead(_ head: Substring) -> Bool {
        guard !head.isEmpty, head.count <= 4 else { return false }
        return head.allSatisfy(\.isNumber) || (head.count == 1 && head.first!.isUppercase) || head.allSatisfy { "IVXLC".contains($0) }
    }

    static func isSectionNumber(_ word: String) -> Bool {
        contains(word, ".") && word.allSatisfy { $0.isNumber || $0 == "." }
    }

    /// An upper-case placeholder or keyword of a command synopsis: OPTION, [FILE], (VALUES, %s.
    static func isSynopsisWord(_ token: String) -> Bool {
        let core = token.filter { $0.isLetter }
        if core.isEmpty { return token.hasPrefix("[") || token.hasSuffix("]") || token.hasPrefix("%") }
        return core.count >= 2 && core == core.uppercased()
    }

    /// The index after a footnote reference such as "[58]" starting at `index`, if one does.
    static func footnoteMarkerEnd(_ scalars: [Unicode.Scalar], at index: Int) -> Int? {
        guard index < scalars.count, scalars[index] == "[" else { return nil }
        var k = index + 1
        while k < scalars.count, k - index <= 4, TextNormalization.isDigit(scalars[k]) { k += 1 }
        guard k > index + 1, k < scalars.count, scalars[k] == "]" else { return nil }
        return k + 1
    }

    /// A lower-case command or identifier that begins a sentence in technical text: "cpio(1) is…",
    /// "autotools-dev keeps…", "main() calls…". Plain lower-case words do not qualify.
    static func startsWithIdentifier(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        guard index < scalars.count, TextNormalization.isLowercase(scalars[index]) else { return false }
        var k = index
        var technical = false
        while k < scalars.count, !TextNormalization.isWhitespace(scalars[k]) {
            let c = scalars[k]
            if c == "(" { return k + 1 < scalars.count && (scalars[k + 1] == ")" || TextNormalization.isDigit(scalars[k + 1])) }
            if c == "-" || c == "_" { technical = true }
            if c == "." || c == "," || c == ";" || c == ":" || c == "\"" || c == "”" || c == "»" { break }
            k += 1
        }
        return technical && k - index >= 4
    }

    /// Whether the word before a period is an ordinary word, so that a sentence may end after it
    /// even when the next one starts in lower case (with an identifier).
    func endsSentenceBeforeIdentifier(word: String) -> Bool {
        let lower = word.lowercased()
        guard lower.count >= 3, lower.allSatisfy({ $0.isLetter || $0 == ")" || $0.isNumber }) else { return false }
        let lists = language == .english
            ? [Self.englishNonFinal, Self.englishAmbiguous] : [Self.spanishNonFinal, Self.spanishAmbiguous]
        return !lists.contains { $0.contains(lower) } && !Self.beforeNumber.contains(lower)
    }

    /// Where the token ending at the period starts (letters, digits, inner periods and slashes;
    /// the final period left out).
    private static func wordStart(_ scalars: [Unicode.Scalar], dotIndex: Int) -> Int {
        var k = dotIndex
        while k > 0 {
            let c = scalars[k - 1]
            if TextNormalization.isWhitespace(c) || c == "(" || c == "\"" || c == "“" || c == "«" { break }
            k -= 1
        }
        return k
    }

    private func wordAt(_ scalars: [Unicode.Scalar], _ index: Int) -> String {
        guard index >= 0, index < scalars.count else { return "" }
        var k = index
        while k < scalars.count, TextNormalization.isLetter(scalars[k]) || scalars[k] == "." { k += 1 }
        return Self.string(scalars[index..<k])
    }

    /// Whether `text` has the character `ascii` (a character of that one scalar, as
    /// Foundation's `contains` compares): the bytes first, characters only when the byte occurs.
    @inline(__always)
    static func contains(_ text: String, _ ascii: Character) -> Bool {
        text.utf8.contains(ascii.asciiValue!) && text.contains(where: { $0 == ascii })
    }

    private func boundaryAfterPeriod(word: String, previousWord: String, nextWord: String, nextStartsWithDigit: Bool) -> Bool {
        // (A word of ASCII without a capital, most of them, is its own lower case.)
        let lower = Self.isASCIILowercase(word) ? word : word.lowercased()
        // Counted only by the two rules that read it (most words never get there).
        func letterCount() -> Int { Self.letterCount(lower) }
        let nonFinal = language == .english ? Self.englishNonFinal : Self.spanishNonFinal
        let ambiguous = language == .english ? Self.englishAmbiguous : Self.spanishAmbiguous
        let openers = language == .english ? Self.englishOpeners : Self.spanishOpeners
        if word.isEmpty { return true }
        // Initials: a single capital letter (J. Smith, Richard M. Stallman). After a lower-case
        // word it may also be a name that ends the sentence ("basado en X. Puede…"): then only a
        // typical opener starts a new one ("firmó J. Pérez" stays whole).
        // (The capital first: most words before a period start in lower case, and need no character count.)
        if let c = word.unicodeScalars.first, TextNormalization.isUppercase(c), word.count == 1 {
            guard let p = previousWord.unicodeScalars.first, TextNormalization.isLowercase(p) else { return false }
            return openers.contains(nextWord.lowercased().trimmingDots)
        }
        let mayBeListed = Self.mayBeAbbreviation(lower)
        if mayBeListed && Self.beforeNumber.contains(lower) { return !nextStartsWithDigit }
        if mayBeListed && nonFinal.contains(lower) { return false }
        // EE. UU. — the first half never ends a sentence before the second.
        if lower == "ee" && nextWord.lowercased().hasPrefix("uu") { return false }
        if mayBeListed && ambiguous.contains(lower) {
            return openers.contains(nextWord.lowercased().trimmingDots)
        }
        // Document symbols before their number: CP/RES. 1268, A/RES. 78.
        if nextStartsWithDigit && (Self.contains(word, "/") || ((2...5).contains(letterCount()) && word == word.uppercased())) {
            return false
        }
        // Dotted abbreviations such as e.g, i.e, a.m, U.N not in the lists.
        // (A number such as 9.1 is no abbreviation: "anteriores a 9.0. Algunos…" ends there.)
        if Self.contains(lower, ".") && Self.hasShortParts(lower) && (1...4).contains(letterCount()) {
            return openers.contains(nextWord.lowercased().trimmingDots)
        }
        return true
    }
}

extension String {
    fileprivate var trimmingDots: String {
        var s = self
        while s.hasSuffix(".") { s.removeLast() }
        return s
    }
}
