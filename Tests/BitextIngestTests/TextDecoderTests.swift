import BitextCore
import BitextTestSupport
import Foundation
import PropertyBased
import Testing

@testable import BitextIngest

@Suite struct TextDecoderTests {
    private func decode(_ bytes: [UInt8]) throws -> DecodedText { try TextDecoder.decode(bytes, file: "t.txt") }

    @Test func utf8WithAndWithoutBOM() throws {
        let plain = try decode(Array("año\n".utf8))
        #expect(plain.text == "año\n")
        #expect(plain.encoding == "utf-8")
        let bom = try decode([0xEF, 0xBB, 0xBF] + Array("año".utf8))
        #expect(bom.text == "año")
        #expect(bom.offsets.sourceOffset(of: 0) == 3)
    }

    @Test(arguments: [false, true])
    func utf16WithBOM(bigEndian: Bool) throws {
        var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in "¿Qué? 😀".utf16 {
            let pair = [UInt8(unit >> 8), UInt8(unit & 0xFF)]
            bytes += bigEndian ? pair : pair.reversed()
        }
        let decoded = try decode(bytes)
        #expect(decoded.text == "¿Qué? 😀")
        #expect(decoded.encoding == (bigEndian ? "utf-16be" : "utf-16le"))
    }

    @Test func windows1252IsDetected() throws {
        // "Señor “Pérez” — 5 €" in Windows-1252
        let bytes: [UInt8] = [0x53, 0x65, 0xF1, 0x6F, 0x72, 0x20, 0x93, 0x50, 0xE9, 0x72, 0x65, 0x7A, 0x94, 0x20, 0x97, 0x20, 0x35, 0x20, 0x80]
        let decoded = try decode(bytes)
        #expect(decoded.text == "Señor “Pérez” — 5 €")
        #expect(decoded.encoding == "windows-1252")
        #expect(decoded.warnings.isEmpty)
        // "Pérez" starts at text byte 9 ("Señor “" is 6 + 1 + 3 bytes in UTF-8), byte 7 in the source.
        #expect(decoded.offsets.sourceOffset(of: 10) == 7)
    }

    @Test func mixedEncodingsKeepEverythingAndWarn() throws {
        let bytes = Array("café ".utf8) + [0x61, 0xF1, 0x6F]  // UTF-8 then a Latin-1 "año"
        let decoded = try decode(bytes)
        #expect(decoded.text == "café año")
        #expect(decoded.encoding == "utf-8+windows-1252")
        #expect(decoded.warnings.count == 1)
        #expect(decoded.warnings[0].byteOffset == 7)
    }

    @Test func lineEndsAreNormalizedAndOffsetsKept() throws {
        let decoded = try decode(Array("a\r\nb\rc\n".utf8))
        #expect(decoded.text == "a\nb\nc\n")
        #expect(decoded.offsets.sourceOffset(of: 2) == 3)  // "b"
        #expect(decoded.offsets.sourceOffset(of: 4) == 5)  // "c"
    }

    @Test func controlCharactersAreDroppedWithOneWarning() throws {
        let decoded = try decode(Array("ab\u{1}c\u{7}\n\u{0}d".utf8))
        #expect(decoded.text == "abc\nd")
        #expect(decoded.warnings.count == 1)
        #expect(decoded.warnings[0].position == SourcePosition(line: 1, column: 3))
        #expect(decoded.warnings[0].message.contains("3 control"))
    }

    @Test func textIsNFCNormalized() throws {
        let decoded = try decode(Array("sen\u{0303}or\nx".utf8))
        #expect(Array(decoded.text.utf8) == Array("señor\nx".utf8))
        #expect(decoded.offsets.sourceOffset(of: decoded.text.utf8.count - 1) == 8)
    }

    @Test(arguments: [
        ([0x25, 0x50, 0x44, 0x46, 0x2D, 0x31] as [UInt8], "PDF"),
        (Array(repeating: [0x00, 0x01, 0x02, 0x41] as [UInt8], count: 16).flatMap { $0 }, "NUL"),
    ])
    func binaryInputIsAnErrorNamingFileAndOffset(bytes: [UInt8], what: String) {
        #expect {
            try decode(bytes)
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.diagnostic.file == "t.txt" && error.description.contains(what) && error.diagnostic.byteOffset != nil
        }
    }

    @Test func unpairedSurrogateIsAnErrorWithItsOffset() {
        let bytes: [UInt8] = [0xFF, 0xFE, 0x41, 0x00, 0x00, 0xD8, 0x41, 0x00]
        #expect {
            try decode(bytes)
        } throws: { error in
            (error as? InputError)?.diagnostic.byteOffset == 4
        }
    }
}

/// `cleanPrefixEnd` skips eight bytes at a time and jumps to the first byte that is not
/// printable ASCII: it must stop exactly where a byte-by-byte reading stops.
@Suite struct CleanPrefixTests {
    /// Byte by byte: printable ASCII, tab and line feed, and UTF-8 sequences that are
    /// neither C1 controls nor characters NFC could change.
    static func reference(_ bytes: [UInt8]) -> Int {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 {
                guard (b >= 0x20 && b < 0x7F) || b == 0x0A || b == 0x09 else { return i }
                i += 1
                continue
            }
            let length = TextDecoder.utf8SequenceLength(bytes, at: i)
            guard length > 0, !(b == 0xC2 && bytes[i + 1] < 0xA0), !TextBuilder.needsNFCCheck(bytes[i..<(i + length)]) else { return i }
            i += length
        }
        return bytes.count
    }

    @Test(arguments: 0..<40)
    func stopsWhereAByteByByteReadingStops(seed: Int) {
        var generator = SplitMix64(seed: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1)
        func next(_ bound: Int) -> Int { generator.below(bound) }
        // Mostly clean text, with one odd byte somewhere (or none).
        let pieces: [[UInt8]] = [Array("word ".utf8), Array("ñandú ".utf8), Array("“quote” ".utf8), [0x0A], [0x09], Array("abcdefghijklmnop".utf8)]
        var bytes: [UInt8] = []
        for _ in 0..<next(60) { bytes += pieces[next(pieces.count)] }
        let odd: [UInt8] = [0x00, 0x0D, 0x1F, 0x7F, 0x80, 0xC2, 0xFF, 0x0C, 0x7E, 0x20]
        if next(4) > 0 { bytes.insert(odd[next(odd.count)], at: next(bytes.count + 1)) }
        let expected = Self.reference(bytes)
        let found = bytes.withUnsafeBufferPointer { TextDecoder.cleanPrefixEnd($0, from: 0) }
        #expect(found == expected, "\(bytes)")
    }

    /// Every byte value at every position of a word, among line feeds and tabs (which the
    /// eight-byte test lets through) and printable ASCII.
    @Test func everyByteAtEveryPositionAmongLineFeedsAndTabs() {
        let clean = Array("ab\ncd\te\n\nfg hi\tjk\nlm no".utf8)
        for value in 0...255 {
            for position in 0..<16 {
                var bytes = clean
                bytes[position] = UInt8(value)
                let found = bytes.withUnsafeBufferPointer { TextDecoder.cleanPrefixEnd($0, from: 0) }
                #expect(found == Self.reference(bytes), "byte \(value) at \(position)")
            }
        }
    }
}

/// `cleanString` makes its string without the standard library's UTF-8 check: it must give
/// text only for bytes that byte-by-byte decoding keeps unchanged (valid UTF-8, then), and
/// then exactly those bytes, flagged ASCII only when they are.
@Suite struct CleanStringTests {
    private func check(_ bytes: [UInt8]) {
        let text = bytes.withUnsafeBufferPointer { TextDecoder.cleanString($0) }
        let clean = CleanPrefixTests.reference(bytes) == bytes.count && bytes.withUnsafeBufferPointer { TextDecoder.binarySignature($0) } == nil
        #expect((text != nil) == clean, "\(bytes)")
        guard let text else { return }
        let validated = String(validating: bytes, as: UTF8.self)
        #expect(validated != nil && Array(text.utf8) == bytes && text == validated, "\(bytes)")
        let decoded = try? TextDecoder.decode(bytes, file: "t.txt", declaredEncoding: nil, shortcuts: false)
        #expect(decoded.map { Array($0.text.utf8) } == bytes && decoded?.encoding == "utf-8" && decoded?.warnings == [], "\(bytes)")
        #expect(text.utf8Span.isKnownASCII == bytes.allSatisfy { $0 < 0x80 }, "\(bytes)")
    }

    @Test func givesTextOnlyForBytesThatDecodingKeeps() async {
        await propertyCheck(count: 600, input: TextPieces.document) { bytes in check(bytes) }
    }

    /// Ill-formed UTF-8 (cut, overlong, surrogates, past U+10FFFF, stray bytes), a BOM and
    /// a binary signature, alone and after clean text longer than a word.
    @Test func neverGivesTextForIllFormedOrBinaryBytes() {
        let odd: [[UInt8]] = [
            [0xC3], [0xE2, 0x80], [0xF0, 0x9F, 0x99], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80],
            [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0x80], [0xBF], [0xFE], [0xFF], [0xEF, 0xBB, 0xBF], [0x00],
        ]
        let prefix = Array("Clean text, años — “quoted”.\n".utf8)
        for bytes in odd {
            for text in [bytes, prefix + bytes, prefix + bytes + prefix] {
                #expect(text.withUnsafeBufferPointer { TextDecoder.cleanString($0) } == nil, "\(text)")
            }
        }
        #expect(Array("%PDF-1.4 is how such files start.\n".utf8).withUnsafeBufferPointer { TextDecoder.cleanString($0) } == nil)
        check(prefix)
        check(Array("ASCII only, longer than a word.\n".utf8))
    }

    /// Large text is checked and copied in pieces: characters of two and three bytes cut by
    /// the pieces' ends at every shift, and an odd byte just before, at and after an end.
    @Test func largeTextInPiecesGivesItsBytes() {
        let pattern = Array("ñandú — “x” ab\n".utf8)
        let piece = TextDecoder.cleanStringPiece
        let count = Prefault.minimumRegion + piece / 2
        let text = [UInt8]((0..<(count / pattern.count + 1)).lazy.flatMap { _ in pattern })
        for shift in 0..<4 {
            let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: shift) + text
            let made = bytes.withUnsafeBufferPointer { TextDecoder.cleanString($0) }
            #expect(made.map { Array($0.utf8) == bytes } == true, "shift \(shift)")
            #expect(made?.utf8Span.isKnownASCII == false)
        }
        for position in [piece - 1, piece, piece + 1, text.count - 1] {
            var odd = text
            odd[position] = 0xFF
            #expect(odd.withUnsafeBufferPointer { TextDecoder.cleanString($0) } == nil, "0xFF at \(position)")
        }
        let ascii = [UInt8](repeating: UInt8(ascii: "a"), count: Prefault.minimumRegion + 5)
        #expect(ascii.withUnsafeBufferPointer { TextDecoder.cleanString($0) }?.utf8Span.isKnownASCII == true)
    }

    /// The eight-byte ASCII test against a byte-by-byte one, a non-ASCII byte at every position.
    @Test func isASCIIFindsAByteOverTheRangeAnywhere() {
        let ascii = Array("ab\ncd\te fg hi jk lm no".utf8)
        for position in ascii.indices {
            for value: UInt8 in [0x7F, 0x80, 0xC3, 0xFF] {
                var bytes = ascii
                bytes[position] = value
                #expect(bytes.withUnsafeBufferPointer { TextDecoder.isASCII($0) } == (value < 0x80), "\(value) at \(position)")
            }
        }
        #expect([UInt8]().withUnsafeBufferPointer { TextDecoder.isASCII($0) })
    }
}

/// A large clean UTF-8 file (the one-copy path) decodes to its own bytes.
@Test func largeCleanFileDecodesToItsBytes() throws {
    let line = Array("Una línea de texto limpio, con acentos: áéíóú ñ.\n".utf8)
    var bytes: [UInt8] = []
    while bytes.count < 4 << 20 { bytes += line }
    let decoded = try TextDecoder.decode(bytes, file: "large.txt")
    #expect(decoded.encoding == "utf-8")
    #expect(decoded.text.utf8.elementsEqual(bytes))
}

/// `binarySignature` counts control bytes eight at a time, skipping words with none: it must
/// find what a byte-by-byte count finds.
@Suite struct BinarySignatureTests {
    /// Byte by byte: bytes below 0x20 other than tab, line feed, form feed and carriage return.
    static func reference(_ bytes: [UInt8]) -> (controls: Int, firstNUL: Int?) {
        var controls = 0
        var firstNUL: Int?
        for (i, b) in bytes.prefix(TextDecoder.binaryScanLength).enumerated() where b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C {
            controls += 1
            if b == 0, firstNUL == nil { firstNUL = i }
        }
        return (controls, firstNUL)
    }

    static let bytes: [UInt8] = [0x00, 0x01, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x1B, 0x1F, 0x20, 0x41, 0x7F, 0x80, 0x89, 0x8A, 0xC3, 0xFF]

    @Test func findsWhatAByteByByteCountFinds() async {
        // Mostly text with a few control bytes, or control-heavy; up to past the scanned head.
        let text = Gen.element(of: Self.bytes + Array(repeating: 0x61, count: 40)).array(of: 0...9000)
        let noisy = Gen.element(of: Self.bytes).array(of: 0...300)
        for input in [text, noisy] {
            await propertyCheck(count: 150, input: input) { bytes in
                let bytes = bytes.compactMap { $0 }
                // Past the magic numbers, which the reference does not look at.
                let padded = [0x41] + bytes
                let (controls, firstNUL) = Self.reference(padded)
                let head = min(padded.count, TextDecoder.binaryScanLength)
                let expected = firstNUL != nil && controls >= 8 && controls * 10 > head ? firstNUL : nil
                let found = padded.withUnsafeBufferPointer { TextDecoder.binarySignature($0) }
                #expect(found?.offset == expected, "\(controls) controls, first NUL \(String(describing: firstNUL))")
                if found != nil { #expect(found?.what.hasPrefix("\(controls) NUL or control bytes") == true) }
            }
        }
    }
}

/// The decoder's shortcuts (clean runs copied whole after a character that needed a look;
/// lines the NFC quick check passes kept as they are) against decoding without them.
@Suite struct TextDecoderShortcutTests {
    /// `TextPieces` plus what sends a line down the slow path: emoji with variation
    /// selectors (as in LibreOffice's help pages), CJK, ⌘, combining marks, Ω (U+2126), 〈.
    static let pieces: [[UInt8]] =
        TextPieces.pieces
        + ["🔎\u{FE0E}", "中国", "⌘", "e\u{301}", "a\u{308}\u{301}", "\u{2126}", "\u{2329}", "\u{1D15E}", "\u{0301}", "ﬀ", "한국", "\u{1100}\u{1161}"]
        .map { Array($0.utf8) } + [[0x0D], [0x7F], [0xC2, 0x85], [0xF0, 0x9F]]
    static let document = Gen.element(of: pieces).array(of: 0...120).map { $0.compactMap { $0 }.flatMap { $0 } }

    @Test func shortcutsDecodeAsByteByByte() async {
        await propertyCheck(count: 600, input: Self.document) { bytes in
            for declared in [nil, "utf-8", "ISO-8859-1"] {
                let fast = Result { try TextDecoder.decode(bytes, file: "g.html", declaredEncoding: declared, shortcuts: true) }
                let slow = Result { try TextDecoder.decode(bytes, file: "g.html", declaredEncoding: declared, shortcuts: false) }
                switch (fast, slow) {
                case (.success(let f), .success(let s)):
                    #expect(Array(f.text.utf8) == Array(s.text.utf8))
                    #expect(f.encoding == s.encoding)
                    #expect(f.offsets == s.offsets)
                    #expect(f.warnings == s.warnings)
                case (.failure(let f), .failure(let s)):
                    #expect("\(f)" == "\(s)")
                default:
                    Issue.record("one decoded, the other failed: \(fast), \(slow)")
                }
            }
        }
    }

    @Test func quickCheckPassesOnlyWhatNFCKeeps() async {
        await propertyCheck(count: 400, input: Self.document) { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            let utf8 = Array(text.utf8)
            if TextBuilder.isKnownNFC(utf8.span) {
                #expect(Array(text.precomposedStringWithCanonicalMapping.utf8) == utf8)
            }
        }
        let known = ["Index 🔎\u{FE0E} 中国 ⌘", "e\u{301}", "\u{2126}"].map { TextBuilder.isKnownNFC(Array($0.utf8).span) }
        #expect(known == [true, false, false])
    }

    @Test func legacyLabelsFoldAsBefore() {
        for label in ["ISO-8859-1", "iso_8859-1", "Latin1", "WINDOWS-1252", "utf-8", "cp1252", "us-ascii", "x", "", "İso-8859-1", "\u{212A}oi8"] {
            let before = ["iso-8859-1", "iso8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "iso-8859-15", "us-ascii"]
                .contains(label.lowercased().replacingOccurrences(of: "_", with: "-"))
            #expect(TextDecoder.isSingleByteLegacy(label) == before, "\(label)")
        }
    }
}

@Suite struct HTMLCharsetFoldingTests {
    @Test func wordFoldingMatchesTheByteLoop() async {
        await propertyCheck(count: 300, input: Gen<UInt8>.value(in: 0...255).array(of: 0...100)) { bytes in
            for start in [0, min(3, bytes.count)] {
                let slice = bytes[start...]
                #expect(HTMLCharset.asciiLowercased(slice) == slice.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 })
            }
        }
    }
}
