/// Small, allocation-light text helpers shared by the segmenter and the anchor extractor.
enum TextNormalization {
    /// Lower-cases and removes diacritics from Latin letters (á→a, ñ→n, ü→u), so that
    /// Haití and Haiti, or resolución and resolucion, compare equal.
    static func fold(_ word: some StringProtocol) -> String {
        if let folded = word.utf8.withContiguousStorageIfAvailable({ fold(utf8: $0) }) { return folded }
        var out = String.UnicodeScalarView()
        for scalar in word.unicodeScalars {
            if let folded = foldScalar(scalar) {
                out.append(folded)
            }
        }
        return String(out)
    }

    /// `fold` of valid UTF-8, scalar by scalar on the bytes into one buffer (appending scalars
    /// to a `String.UnicodeScalarView` grew it and re-encoded each).
    static func fold(utf8 bytes: UnsafeBufferPointer<UInt8>) -> String {
        // A folded scalar takes at most twice its bytes (2 → 3 at worst, as U+023A → U+2C65).
        String(unsafeUninitializedCapacity: max(1, bytes.count * 2)) { out in
            var n = 0
            var k = 0
            while k < bytes.count {
                let b0 = UInt32(bytes[k])
                if b0 < 0x80 {  // ASCII: lower-cased in place
                    out[n] = b0 >= 0x41 && b0 <= 0x5A ? UInt8(b0 + 32) : UInt8(b0)
                    n += 1
                    k += 1
                    continue
                }
                let scalar: Unicode.Scalar
                if b0 < 0xE0 {
                    scalar = Unicode.Scalar((b0 & 0x1F) << 6 | UInt32(bytes[k + 1]) & 0x3F)!
                    k += 2
                } else if b0 < 0xF0 {
                    scalar = Unicode.Scalar((b0 & 0x0F) << 12 | (UInt32(bytes[k + 1]) & 0x3F) << 6 | UInt32(bytes[k + 2]) & 0x3F)!
                    k += 3
                } else {
                    scalar = Unicode.Scalar(
                        (b0 & 0x07) << 18 | (UInt32(bytes[k + 1]) & 0x3F) << 12 | (UInt32(bytes[k + 2]) & 0x3F) << 6 | UInt32(bytes[k + 3]) & 0x3F)!
                    k += 4
                }
                guard let folded = foldScalar(scalar) else { continue }
                for unit in UTF8.encode(folded)! {
                    out[n] = unit
                    n += 1
                }
            }
            return n
        }
    }

    /// The folded form of one scalar, or nil for combining marks (dropped).
    @inline(__always)
    static func foldScalar(_ s: Unicode.Scalar) -> Unicode.Scalar? {
        let v = s.value
        if v < 0x80 {
            if v >= 0x41 && v <= 0x5A { return Unicode.Scalar(v + 32) }
            return s
        }
        if (0x300...0x36F).contains(v) { return nil }
        switch v {
        case 0xC0...0xC5, 0xE0...0xE5: return "a"
        case 0xC7, 0xE7: return "c"
        case 0xC8...0xCB, 0xE8...0xEB: return "e"
        case 0xCC...0xCF, 0xEC...0xEF: return "i"
        case 0xD1, 0xF1: return "n"
        case 0xD2...0xD6, 0xD8, 0xF2...0xF6, 0xF8: return "o"
        case 0xD9...0xDC, 0xF9...0xFC: return "u"
        case 0xDD, 0xFD, 0xFF: return "y"
        default:
            let lowered = s.properties.lowercaseMapping.unicodeScalars
            return lowered.count == 1 ? lowered.first : s
        }
    }

    /// A spelling skeleton that makes English/Spanish cognates meet: tion→cion, ph→f,
    /// th→t, y→i, k→c, qu→c, double letters collapsed, then the first six letters.
    /// resolution/resolución → "resolu", Kenya/Kenia → "kenia", military/militar → "milita".
    static func cognateKey(folded word: String) -> String? {
        // Outer optional: contiguous storage; middle: ASCII; inner: long enough for a key.
        if let key = word.utf8.withContiguousStorageIfAvailable({ asciiCognateKey($0) }), let key { return key }
        return scalarCognateKey(word)
    }

    /// `cognateKey` of ASCII bytes (nil: too short, or not ASCII), on bytes: the rewrite, the
    /// collapsing of doubled letters and the six-letter cut in one pass that stops at six.
    private static func asciiCognateKey(_ word: UnsafeBufferPointer<UInt8>) -> String?? {
        for b in word where b >= 0x80 { return nil }
        guard word.count >= 4 else { return .some(nil) }
        return String(unsafeUninitializedCapacity: 6) { out in
            var count = 0
            var i = 0
            let n = word.count
            while i < n && count < 6 {
                let c = word[i]
                let next: UInt8 = i + 1 < n ? word[i + 1] : 0
                var rewritten = c
                var step = 1
                switch c {
                case UInt8(ascii: "p") where next == UInt8(ascii: "h"): rewritten = UInt8(ascii: "f"); step = 2
                case UInt8(ascii: "t") where next == UInt8(ascii: "h"): rewritten = UInt8(ascii: "t"); step = 2
                case UInt8(ascii: "q") where next == UInt8(ascii: "u"): rewritten = UInt8(ascii: "c"); step = 2
                case UInt8(ascii: "t") where next == UInt8(ascii: "i") && i + 2 < n && word[i + 2] == UInt8(ascii: "o"):
                    rewritten = UInt8(ascii: "c")
                case UInt8(ascii: "y"): rewritten = UInt8(ascii: "i")
                case UInt8(ascii: "k"): rewritten = UInt8(ascii: "c")
                case UInt8(ascii: "z"): rewritten = UInt8(ascii: "s")
                default: break
                }
                if count == 0 || out[count - 1] != rewritten {
                    out[count] = rewritten
                    count += 1
                }
                i += step
            }
            return count
        }
    }

    /// `cognateKey` on scalars: any folded word.
    static func scalarCognateKey(_ word: String) -> String? {
        let letters = Array(word.unicodeScalars)
        guard letters.count >= 4 else { return nil }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(letters.count)
        var i = 0
        while i < letters.count {
            let c = letters[i]
            let next: Unicode.Scalar? = i + 1 < letters.count ? letters[i + 1] : nil
            switch (c, next) {
            case ("p", "h"?): out.append("f"); i += 2; continue
            case ("t", "h"?): out.append("t"); i += 2; continue
            case ("q", "u"?): out.append("c"); i += 2; continue
            case ("t", "i"?) where i + 2 < letters.count && letters[i + 2] == "o": out.append("c"); i += 1; continue
            case ("y", _): out.append("i")
            case ("k", _): out.append("c")
            case ("z", _): out.append("s")
            default: out.append(c)
            }
            i += 1
        }
        var collapsed: [Unicode.Scalar] = []
        for c in out where collapsed.last != c { collapsed.append(c) }
        var key = String.UnicodeScalarView()
        key.append(contentsOf: collapsed.prefix(6))
        return String(key)
    }

    /// A light stemmer for dictionary lookups: strips plural and common verb endings so
    /// that text forms meet the dictionary's headwords (governments→government, leyes→ley).
    static func stem(folded word: String, language: LanguageKind) -> String {
        // ASCII without CR (where every byte is a Character): the same rules on the bytes,
        // without counting Characters and matching suffixes Character by Character.
        if let cut = word.utf8.withContiguousStorageIfAvailable({ asciiStemCut($0, language: language) }), let cut {
            guard cut.drop > 0 else { return word }
            return word.utf8.withContiguousStorageIfAvailable { bytes in
                let kept = bytes.count - cut.drop
                return String(unsafeUninitializedCapacity: kept + (cut.append == nil ? 0 : 1)) { out in
                    for k in 0..<kept { out[k] = bytes[k] }
                    if let last = cut.append { out[kept] = last }
                    return kept + (cut.append == nil ? 0 : 1)
                }
            }!
        }
        return characterStem(folded: word, language: language)
    }

    /// `stem` on Characters, for any word.
    static func characterStem(folded word: String, language: LanguageKind) -> String {
        let n = word.count
        switch language {
        case .english:
            if n > 4 && word.hasSuffix("ies") { return String(word.dropLast(3)) + "y" }
            if n > 4 && word.hasSuffix("sses") { return String(word.dropLast(2)) }
            if n > 4 && (word.hasSuffix("ches") || word.hasSuffix("shes") || word.hasSuffix("xes")) {
                return String(word.dropLast(2))
            }
            if n > 3 && word.hasSuffix("s") && !word.hasSuffix("ss") && !word.hasSuffix("us") { return String(word.dropLast()) }
            if n > 5 && word.hasSuffix("ing") { return String(word.dropLast(3)) }
            if n > 4 && word.hasSuffix("ed") { return String(word.dropLast(2)) }
            return word
        case .spanish:
            if n > 4 && word.hasSuffix("ces") { return String(word.dropLast(3)) + "z" }
            if n > 4 && word.hasSuffix("es"), let before = word.dropLast(2).last, !"aeiou".contains(before) {
                return String(word.dropLast(2))
            }
            if n > 3 && word.hasSuffix("s") { return String(word.dropLast()) }
            return word
        }
    }

    /// `stem`'s rules on an ASCII word's bytes: how many bytes to drop and what byte to add
    /// (drop 0: the word itself); nil when the word is not ASCII or holds a CR (CR LF is one
    /// Character).
    private static func asciiStemCut(_ w: UnsafeBufferPointer<UInt8>, language: LanguageKind) -> (drop: Int, append: UInt8?)? {
        for b in w where b >= 0x80 || b == 0x0D { return nil }
        let n = w.count
        func ends(_ suffix: StaticString) -> Bool {
            let m = suffix.utf8CodeUnitCount
            guard n >= m else { return false }
            let p = suffix.utf8Start
            for k in 0..<m where w[n - m + k] != p[k] { return false }
            return true
        }
        switch language {
        case .english:
            if n > 4 && ends("ies") { return (3, UInt8(ascii: "y")) }
            if n > 4 && ends("sses") { return (2, nil) }
            if n > 4 && (ends("ches") || ends("shes") || ends("xes")) { return (2, nil) }
            if n > 3 && ends("s") && !ends("ss") && !ends("us") { return (1, nil) }
            if n > 5 && ends("ing") { return (3, nil) }
            if n > 4 && ends("ed") { return (2, nil) }
            return (0, nil)
        case .spanish:
            if n > 4 && ends("ces") { return (3, UInt8(ascii: "z")) }
            if n > 4 && ends("es") {
                switch w[n - 3] {
                case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"): break
                default: return (2, nil)
                }
            }
            if n > 3 && ends("s") { return (1, nil) }
            return (0, nil)
        }
    }

    /// Character classes of U+0000–U+00FF read once from the Unicode properties, so the hot
    /// loops (every scalar of every paragraph) skip the property lookup for Latin-1 text.
    private static let latin1Classes: [UInt8] = (0..<256).map { v in
        let p = Unicode.Scalar(UInt8(v)).properties
        return (p.isAlphabetic ? letterBit : 0) | (p.isUppercase ? upperBit : 0) | (p.isLowercase ? lowerBit : 0)
            | (p.isWhitespace ? spaceBit : 0)
    }
    private static let letterBit: UInt8 = 1
    private static let upperBit: UInt8 = 2
    private static let lowerBit: UInt8 = 4
    private static let spaceBit: UInt8 = 8

    @inline(__always)
    static func isLetter(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) }
        if v < 0x100 { return latin1Classes[Int(v)] & letterBit != 0 }
        return s.properties.isAlphabetic
    }

    @inline(__always)
    static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }

    @inline(__always)
    static func isUppercase(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return v >= 0x41 && v <= 0x5A }
        if v < 0x100 { return latin1Classes[Int(v)] & upperBit != 0 }
        return s.properties.isUppercase
    }

    @inline(__always)
    static func isLowercase(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return v >= 0x61 && v <= 0x7A }
        if v < 0x100 { return latin1Classes[Int(v)] & lowerBit != 0 }
        return s.properties.isLowercase
    }

    @inline(__always)
    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }  // White_Space in ASCII, without the table's lazy-init check
        if v < 0x100 { return latin1Classes[Int(v)] & spaceBit != 0 }
        return s.properties.isWhitespace
    }
}

/// The two languages the aligner models; anything else is treated by its closest habit
/// (number conventions, stemming) through `LanguageKind.init(code:)`.
enum LanguageKind: Sendable, Hashable {
    case english, spanish
}
