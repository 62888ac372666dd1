import BitextCore
import BitextTestSupport
import Foundation
import Testing

@testable import BitextIngest

/// The title, bold-heading and notes-heading tests run on bytes when no character can
/// combine with its neighbours, and on strings otherwise: both must decide alike.
@Suite struct PlainTextHeadingTests {
    private func segmented(_ text: String) -> Document {
        var document = Document(source: SourceFile(path: "t.txt", format: .text, encoding: "utf-8", byteCount: text.utf8.count), text: text)
        PlainTextSegmenter().segment(&document)
        return document
    }

    static let body = "This paragraph is much longer than the line above it, as the body text under a title usually is, so that the title test applies."

    /// (first line, heading?) — each line is followed by a blank line and `body`; the same
    /// line with a combining accent added (which takes the string path) must decide alike.
    @Test(arguments: [
        ("Background of the present report", true),
        ("The Mission in Haiti", true),
        ("Two words", false),  // fewer than three words
        ("the mission in Haiti", false),  // lower case start
        ("Annex to the letter:", false),  // closing punctuation
        ("Annex to the letter »", false),
        ("Note: see the annex below", false),  // ": " inside
        ("Dr. Smith and his team", false),  // ". " inside
        ("Ñandú and other birds", true),  // upper-case letter outside ASCII
        ("Éste es un título corto", true),
        ("A title ending in (note)", false),
    ])
    func titlesAreFoundOnBytesAsOnStrings(line: String, heading: Bool) {
        let plain = segmented(line + "\n\n" + Self.body + "\n")
        #expect((plain.blocks.first?.kind == .heading) == heading, "\(line)")
        // "e" + U+0301 (combining acute) in the body of the line: the string path decides.
        let combining = line.replacingOccurrences(of: "the", with: "the\u{301}")
        guard combining != line else { return }
        let viaStrings = segmented(combining + "\n\n" + Self.body + "\n")
        #expect(viaStrings.blocks.first?.kind == plain.blocks.first?.kind, "\(combining)")
    }

    @Test(arguments: [("**A bold line**", true), ("**A bold sentence.**", false)])
    func boldBlocksAreHeadingsUnlessTheyEndAPeriod(line: String, heading: Bool) {
        let document = segmented(line + "\n\n" + Self.body + "\n")
        #expect((document.blocks.first?.kind == .heading) == heading)
    }

    /// After a notes heading, numbered items are footnotes; ASCII headings are compared as
    /// bytes, others as strings.
    @Test(arguments: ["NOTES", "NOTES:", "**Notes**", "**Notes:**", "# Notes", "NOTAS A PIE DE PÁGINA", "ENDNOTES:"])
    func numberedItemsAfterANotesHeadingAreFootnotes(heading: String) {
        let document = segmented(heading + "\n\n1. The first note.\n2. The second note.\n")
        #expect(document.blocks.first?.kind == .heading)
        #expect(document.blocks.dropFirst().map(\.kind) == [.footnote, .footnote], "\(heading)")
        #expect(document.blocks.dropFirst().map(\.marker) == ["1", "2"])
    }

    @Test(arguments: ["NOTED ITEMS", "Summary"])
    func numberedItemsAfterOtherHeadingsStayListItems(heading: String) {
        let document = segmented(heading + "\n\n1. The first item.\n2. The second item.\n")
        #expect(document.blocks.dropFirst().map(\.kind) == [.listItem, .listItem], "\(heading)")
    }
}

@Suite struct PlainTextBulletTests {
    @Test func theBulletLeadTestKnowsEveryBullet() {
        for (bullet, bytes) in LineReading.bullets {
            #expect(LineReading.isBulletLead(bytes[0]), "\(bullet)")
        }
        let leads = Set(LineReading.bullets.map { $0.1[0] })
        for b in UInt8.min...UInt8.max where !leads.contains(b) {
            #expect(!LineReading.isBulletLead(b))
        }
    }
}

@Suite struct LineReaderTests {
    /// The reader returns the lines splitting at line feeds would, with their blank edges,
    /// and hands a line back when asked.
    @Test(arguments: ["", "\n", "one", "one\n", "one\n\ntwo\n  three  \n", " \u{A0}x\u{A0}\t\n\n\n", "a\nb\nc"])
    func linesAreTheTextSplitAtLineFeeds(text: String) {
        let expected = text.split(separator: "\n", omittingEmptySubsequences: false)
        Array(text.utf8).withUnsafeBufferPointer { bytes in
            var reader = LineReader(bytes)
            var read: [String] = []
            while let line = reader.next() {
                #expect(reader.index == read.count)
                read.append(String(decoding: bytes[line.start..<line.end], as: UTF8.self))
                let content = String(decoding: bytes[line.contentStart..<line.contentEnd], as: UTF8.self)
                #expect(content == String(read.last!).trimmingCharacters(in: [" ", "\t", "\u{A0}"]))
                if read.count == 1, let again = Optional(line) {
                    reader.putBack(again)
                    #expect(reader.next()?.start == line.start)
                }
            }
            #expect(read == expected.map(String.init))
        }
    }
}

@Suite struct LineWidthPassTests {
    /// `forEachLine` finds the lines `LineReader` finds, and their widths as `width` measures them.
    @Test(arguments: 0..<30)
    func oneScanFindsLinesAndWidths(seed: Int) {
        var generator = SplitMix64(seed: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 7)
        func next(_ bound: Int) -> Int { generator.below(bound) }
        let pieces = ["a", "word", " ", "\t", "\u{A0}", "é", "ñandú", "“", "😀", "\n", "\n", "\n\n", "abcdefghijk"]
        var text = ""
        for _ in 0..<next(120) { text += pieces[next(pieces.count)] }
        Array(text.utf8).withUnsafeBufferPointer { bytes in
            var expected: [(Int, Int, Int, Int, Int)] = []
            var reader = LineReader(bytes)
            while let line = reader.next() {
                expected.append((line.start, line.end, line.contentStart, line.contentEnd, TextLayout.width(bytes, line.start, line.contentEnd)))
            }
            var found: [(Int, Int, Int, Int, Int)] = []
            TextLayout.forEachLine(bytes) { line, width, mayHoldMarkup in
                found.append((line.start, line.end, line.contentStart, line.contentEnd, width))
                // (Superscript digits: `LineMarkupTests`.)
                let lineBytes = bytes[line.start..<line.end]
                if lineBytes.contains(UInt8(ascii: "*")) || lineBytes.contains(UInt8(ascii: "^")) { #expect(mayHoldMarkup, "\(text.debugDescription)") }
            }
            #expect(found.count == expected.count)
            for (a, b) in zip(found, expected) { #expect(a == b, "\(text.debugDescription)") }
            // The wrap-width pass keeps each line's length, with which drafting reads the same
            // lines again, and its width for the soft-break test unless the line has many
            // continuation bytes.
            var records: [LineRecord] = []
            _ = DraftBuilder.estimateWrapWidth(bytes: bytes, records: &records)
            #expect(records.map(\.length) == expected.map { $0.1 - $0.0 })
            var again: [(Int, Int, Int, Int, Int)] = []
            records.withUnsafeBufferPointer { records in
                var reader = LineReader(bytes, records: records)
                while let line = reader.next() {
                    let width = TextLayout.width(bytes, line.start, line.contentEnd)
                    again.append((line.start, line.end, line.contentStart, line.contentEnd, width))
                    let continuations = bytes[line.start..<line.contentEnd].count { $0 & 0xC0 == 0x80 }
                    #expect(records[reader.index].width(of: line) == (continuations < LineRecord.continuationLimit ? width : nil), "\(text.debugDescription)")
                }
            }
            #expect(again.count == expected.count)
            for (a, b) in zip(again, expected) { #expect(a == b, "\(text.debugDescription)") }
        }
    }

    /// `contentStart` and `firstWordWidth` (read eight bytes at a time, the last bytes of a
    /// range as the word that ends it) agree with byte-by-byte reading, for every range of
    /// texts of blanks (spaces, tabs, no-break spaces) and words, whatever bytes lie around it.
    @Test(arguments: 0..<20)
    func wordAtATimeReadsAgreeWithBytes(seed: Int) {
        var generator = SplitMix64(seed: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 11)
        func next(_ bound: Int) -> Int { generator.below(bound) }
        let pieces = ["        ", "   ", " ", " ", "\t", "\u{A0}", "a", "word", "é", "ñandú", "“", "😀", "abcdefghijk", "x\ty"]
        var text = ""
        for _ in 0..<next(16) { text += pieces[next(pieces.count)] }
        Array(text.utf8).withUnsafeBufferPointer { bytes in
            func isBlank(_ i: Int) -> Bool { bytes[i] == 0x20 || bytes[i] == 0x09 || (bytes[i] == 0xC2 && i + 1 < bytes.count && bytes[i + 1] == 0xA0) }
            for start in 0...bytes.count {
                for end in start...bytes.count {
                    var cs = start
                    while cs < end && isBlank(cs) { cs += bytes[cs] == 0xC2 ? 2 : 1 }
                    #expect(TextLayout.contentStart(bytes, start, end) == cs, "\(text.debugDescription) \(start)..<\(end)")
                    var wordEnd = start
                    while wordEnd < end && bytes[wordEnd] != 0x20 && bytes[wordEnd] != 0x09 { wordEnd += 1 }
                    let scalars = bytes[start..<wordEnd].count { $0 & 0xC0 != 0x80 }
                    #expect(TextLayout.firstWordWidth(bytes, start, end) == scalars, "\(text.debugDescription) \(start)..<\(end)")
                }
            }
        }
    }

    /// A line of `LineRecord.lengthLimit` bytes or more has no length kept (reading the lines
    /// again searches for its line feed); its width is still known when it has few
    /// continuation bytes.
    @Test func overlongLineLengthIsNotKept() {
        let text = String(repeating: "a", count: 70_000) + "\nb\n" + String(repeating: "é", count: 40_000)
        Array(text.utf8).withUnsafeBufferPointer { bytes in
            var records: [LineRecord] = []
            _ = DraftBuilder.estimateWrapWidth(bytes: bytes, records: &records)
            #expect(records.map(\.length) == [nil, 1, nil])
            records.withUnsafeBufferPointer { records in
                var reader = LineReader(bytes, records: records)
                var ends: [Int] = []
                var widths: [Int?] = []
                while let line = reader.next() {
                    ends.append(line.end)
                    widths.append(records[reader.index].width(of: line))
                }
                #expect(ends == [70_000, 70_002, 150_003])
                #expect(widths == [70_000, 1, nil])
            }
        }
    }

    /// At the edges of what a record holds: a length of `lengthLimit` bytes or more is not kept
    /// (the line feed is searched for), nor a width past `continuationLimit - 1` continuation
    /// bytes (measured); blanks after the content do not count, and the lines read again are
    /// the same.
    @Test(arguments: [LineRecord.lengthLimit - 2, LineRecord.lengthLimit - 1, LineRecord.lengthLimit, LineRecord.lengthLimit + 1])
    func recordEdges(length: Int) {
        var lines: [String] = [String(repeating: "a", count: length)]
        for continuations in LineRecord.continuationLimit - 2...LineRecord.continuationLimit + 1 {
            // Two-byte scalars, then three blanks (a no-break space among them) after the content.
            lines.append(String(repeating: "é", count: continuations) + "x \u{A0}\t")
        }
        lines.append(String(repeating: "é", count: (length - 1) / 2) + "\u{2074}")  // ⁴ closes the line
        lines.append("“quoted” — no markup")
        let text = lines.joined(separator: "\n")
        Array(text.utf8).withUnsafeBufferPointer { bytes in
            var records: [LineRecord] = []
            _ = DraftBuilder.estimateWrapWidth(bytes: bytes, records: &records)
            #expect(records.count == lines.count)
            #expect(records[0].length == (length < LineRecord.lengthLimit ? length : nil))
            #expect(records[0].isASCII && !records[0].mayHoldMarkup)
            records.withUnsafeBufferPointer { records in
                var reader = LineReader(bytes, records: records)
                var read: [String] = []
                while let line = reader.next() {
                    read.append(String(decoding: bytes[line.start..<line.end], as: UTF8.self))
                    let record = records[reader.index]
                    let continuations = bytes[line.start..<line.contentEnd].count { $0 & 0xC0 == 0x80 }
                    let width = TextLayout.width(bytes, line.start, line.contentEnd)
                    #expect(record.width(of: line) == (continuations < LineRecord.continuationLimit ? width : nil), "line \(reader.index)")
                    #expect(record.isASCII == (continuations == 0), "line \(reader.index)")
                }
                #expect(read == lines)
            }
            #expect(records[lines.count - 2].mayHoldMarkup)
            #expect(!records[lines.count - 1].mayHoldMarkup)
        }
    }
}

/// Drafting's one read of each line: `markup` counts `**` as `boldMarkers` does, never says
/// a line holds no markup when its content has a `*`, a `^` or a superscript digit (then
/// classification skips the block's markup search), and never says it is ASCII when it is not
/// (then classification counts the block's scalars as bytes).
@Suite struct LineMarkupTests {
    @Test(arguments: 0..<40)
    func markupAgreesWithTheBytes(seed: Int) {
        var generator = SplitMix64(seed: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 11)
        func next(_ bound: Int) -> Int { generator.below(bound) }
        let pieces = ["a", "word ", " ", "\t", "\u{A0}", "é", "**", "*", "^", "^{1/}", "¹", "⁴", "“", "abcdefghijk", "\n", "\n"]
        var text = ""
        for _ in 0..<next(200) { text += pieces[next(pieces.count)] }
        Array(text.utf8).withUnsafeBufferPointer { bytes in
            let reading = LineReading(bytes: bytes, wrapWidth: nil)
            var records: [LineRecord] = []
            _ = DraftBuilder.estimateWrapWidth(bytes: bytes, records: &records)
            var reader = LineReader(bytes)
            while let line = reader.next() {
                let content = bytes[line.contentStart..<line.contentEnd]
                // Read from the bytes, and from what the wrap-width pass recorded: both cautious.
                let superscript = String(decoding: content, as: UTF8.self).unicodeScalars.contains { "¹²³⁰⁴⁵⁶⁷⁸⁹".unicodeScalars.contains($0) }
                for markup in [reading.markup(line), reading.markup(line, record: records[reader.index])] {
                    #expect(markup.boldMarkers == reading.boldMarkers(line), "\(text.debugDescription)")
                    if superscript || content.contains(UInt8(ascii: "*")) || content.contains(UInt8(ascii: "^")) {
                        #expect(markup.mayHoldMarkup, "\(text.debugDescription)")
                    }
                    if content.contains(where: { $0 >= 0x80 }) { #expect(!markup.isASCII, "\(text.debugDescription)") }
                }
            }
            // Segmented whole: a block without marks has none that a full scan finds (the
            // scan skipped for blocks of plain lines would have found nothing either).
            var document = Document(source: SourceFile(path: "t.txt", format: .text, encoding: "utf-8", byteCount: bytes.count), text: text)
            PlainTextSegmenter().segment(&document)
            let builder = DraftBuilder(bytes: bytes)
            for block in document.blocks where block.kind != .preformatted && !document.marks.contains(where: { block.range.contains($0.range) }) {
                var scanned = block
                var marks: [InlineMark] = []
                _ = builder.findInlineMarkup(&scanned, into: &marks, mayHoldMarkup: true)
                #expect(marks.isEmpty, "\(text.debugDescription)")
            }
        }
    }
}

/// The draft's four flags share a byte: each is set and cleared without touching the others,
/// and the counts beside them stop at their limits.
@Test func draftFieldsKeepTheirOwnValues() {
    let names: [WritableKeyPath<Draft, Bool>] = [\.preformatted, \.boldOpen, \.mayHoldMarkup, \.isASCII]
    for mask in 0..<16 {
        var draft = Draft(start: .footnote, indentation: 1 << 40, gapBefore: 300)
        for (k, name) in names.enumerated() { draft[keyPath: name] = mask & (1 << k) != 0 }
        #expect(names.enumerated().allSatisfy { k, name in draft[keyPath: name] == (mask & (1 << k) != 0) })
        draft.boldOpen.toggle()
        #expect(draft.boldOpen == (mask & 2 == 0) && draft.preformatted == (mask & 1 != 0) && draft.isASCII == (mask & 8 != 0))
        draft.lineCount = 1_000
        #expect(draft.lineCount == 255 && draft.gapBefore == 255 && draft.indentation == Int(Int32.max) && draft.start == .footnote)
    }
}

/// The soft-break test decides alike whether it is given the line above's width or must
/// find it (by its bounds, or by measuring it).
@Suite struct SoftBreakWidthTests {
    @Test(arguments: [30, 40, 72])
    func unknownWidthDecidesAsTheMeasuredOne(wrapWidth: Int) {
        var generator = SplitMix64(seed: UInt64(wrapWidth) &* 0x9E37_79B9_7F4A_7C15 &+ 3)
        func next(_ bound: Int) -> Int { generator.below(bound) }
        let pieces = ["a", "word ", "año ", "ñandú ", "“quote” ", "😀", "Capital ", "x", "\u{A0}", " "]
        var text = ""
        for _ in 0..<400 {
            for _ in 0..<next(60) { text += pieces[next(pieces.count)] }
            text += "\n"
        }
        Array(text.utf8).withUnsafeBufferPointer { bytes in
            let reading = LineReading(bytes: bytes, wrapWidth: wrapWidth)
            var reader = LineReader(bytes)
            var previous: TextLine?
            let draft = Draft(start: .plain, indentation: 0, gapBefore: 0)
            while let line = reader.next() {
                if let previous {
                    let measured = TextLayout.width(bytes, previous.start, previous.contentEnd)
                    #expect(
                        reading.continues(draft, previous: previous, previousWidth: nil, line: line)
                            == reading.continues(draft, previous: previous, previousWidth: measured, line: line))
                }
                previous = line
            }
        }
    }
}

/// The title test's upper-case check on bytes agrees with the Unicode property.
@Test func asciiUppercaseAgreesWithTheUnicodeProperty() {
    for value in UInt32(0)...0x7F {
        let scalar = Unicode.Scalar(value)!
        #expect(DraftBuilder.isUppercase(scalar) == scalar.properties.isUppercase)
    }
    for scalar in ["É", "Ñ", "é", "ß", "Ω"].map({ $0.unicodeScalars.first! }) {
        #expect(DraftBuilder.isUppercase(scalar) == scalar.properties.isUppercase)
    }
}

/// The eight-byte tests of the inline-markup scan.
@Suite struct EightByteTests {
    static func word(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBufferPointer { TextLayout.load($0, 0) }
    }

    @Test(arguments: 0..<20)
    func exactMatchesFlagExactlyTheEqualBytes(seed: Int) {
        var generator = SplitMix64(seed: UInt64(seed) &+ 11)
        let choices: [UInt8] = [0x00, 0x0A, 0x20, 0x41, 0x7F, 0x80, 0x81, 0xB9, 0xC2, 0xE2, 0xFF]
        func next() -> UInt8 { choices[generator.below(choices.count)] }
        let bytes = (0..<8).map { _ in next() }
        for value: UInt8 in [0x00, 0x0A, 0x7F, 0x80, 0x81, 0xC2, 0xE2, 0xFF] {
            var expected: UInt64 = 0
            for (k, b) in bytes.enumerated() where b == value { expected |= 0x80 << UInt64(8 * k) }
            #expect(TextLayout.exactMatches(Self.word(bytes), value) == expected, "\(bytes) \(value)")
        }
    }

    /// Every superscript digit, at every position of a word, among other two-byte and
    /// three-byte characters that start with C2 or E2, is never missed.
    @Test func superscriptDigitsAreNeverMissed() {
        let digits = ["¹", "²", "³", "⁰", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"].map { Array($0.utf8) }
        let fillers = [Array("“”—–’".utf8), Array("a\u{A0}b\u{A0}c…".utf8), Array("abcdefghijklmnop".utf8)]
        for digit in digits {
            for filler in fillers {
                for position in 0..<8 {
                    var bytes = Array(filler.prefix(position))
                    bytes += digit
                    bytes += filler
                    #expect(TextLayout.mayHoldSuperscriptDigit(Self.word(Array(bytes.prefix(8)))), "\(bytes)")
                }
            }
        }
        // Curly quotes and no-break spaces alone do not stop the scan (unless a C2 or E2 is
        // the last byte, whose successor the word does not hold).
        #expect(!TextLayout.mayHoldSuperscriptDigit(Self.word(Array("“a”b".utf8))))
        #expect(!TextLayout.mayHoldSuperscriptDigit(Self.word(Array("a\u{A0}bc\u{A0}d".utf8))))
        #expect(TextLayout.mayHoldSuperscriptDigit(Self.word(Array("abcdefg\u{A0}".utf8.prefix(8)))))
    }

    /// `mayHoldSuperscriptDigitByte`: wherever a superscript digit falls across two words, one
    /// of them answers true; prose's quotes, dashes and no-break spaces answer false.
    @Test func superscriptDigitBytesAreNeverMissed() {
        let digits = ["¹", "²", "³", "⁰", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"].map { Array($0.utf8) }
        let fillers = [Array("“”—–’".utf8), Array("a\u{A0}b\u{A0}c…".utf8), Array("abcdefghijklmnop".utf8), Array("¿ó¡ñ°".utf8)]
        for digit in digits {
            for filler in fillers {
                for position in 0..<8 {
                    let bytes = Array(filler.prefix(position)) + digit + filler + filler
                    let words = [Self.word(Array(bytes[0..<8])), Self.word(Array(bytes[8..<16]))]
                    #expect(words.contains { TextLayout.mayHoldSuperscriptDigitByte($0) }, "\(bytes)")
                }
            }
        }
        #expect(!TextLayout.mayHoldSuperscriptDigitByte(Self.word(Array("“a”b".utf8))))
        #expect(!TextLayout.mayHoldSuperscriptDigitByte(Self.word(Array("’—ab".utf8))))
        #expect(!TextLayout.mayHoldSuperscriptDigitByte(Self.word(Array("a\u{A0}bc\u{A0}d".utf8))))
    }
}

/// The classifier trims list markers and notes headings without Foundation: it must give what
/// `trimmingCharacters(in:)` gives.
@Suite struct ScalarTrimmingTests {
    @Test(arguments: ["NOTES:", "::NOTAS::", ":", "", "NOTES", ":\u{301}NOTES:", "ÉTUDES : ", "NOTAS A PIE DE PÁGINA:", "::", "a:b"])
    func colons(_ text: String) {
        #expect(DraftBuilder.trimming(text) { $0 == ":" } == text.trimmingCharacters(in: CharacterSet(charactersIn: ":")))
    }

    @Test(arguments: ["1.", "(2)", "12)", "(a)", "()", ".", "iv.", "(3.)", "1.2."])
    func markers(_ text: String) {
        let trimmed = DraftBuilder.trimming(text) { $0 == "." || $0 == ")" || $0 == "(" }
        #expect(trimmed == text.trimmingCharacters(in: CharacterSet(charactersIn: ".)(")))
    }
}

/// The heading test skips counting the characters of a long paragraph when its scalars and
/// bytes alone show more than 250: the bound must hold for text that combines in every way.
@Suite struct LeastCharactersTests {
    static let pieces = ["a", "E", " ", "é", "e\u{301}", "\u{301}", "\u{301}\u{302}", "“", "”", "—", "\u{200D}", "👍", "👍🏽",
                         "👨\u{200D}👩\u{200D}👧", "🇪🇸", "🇪", "\u{1100}\u{1161}\u{11A8}", "\u{0915}\u{094D}\u{0937}", "\u{0600}1",
                         "\r", "©\u{FE0F}", "\u{FE0F}", "ñ", "\t", "x\u{20DD}", "\u{E0001}"]

    @Test("Characters never fall below the bound")
    func boundHolds() {
        var generator = SplitMix64(seed: 0x2545_F491_4F6C_DD1D)
        func next(_ bound: Int) -> Int { generator.below(bound) }
        for _ in 0..<20_000 {
            let text = (0..<(1 + next(40))).map { _ in Self.pieces[next(Self.pieces.count)] }.joined()
            let least = DraftBuilder.leastCharacters(scalars: text.unicodeScalars.count, bytes: text.utf8.count)
            #expect(text.count >= least, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test("A long paragraph with quotes and accents is no heading, a short one may be")
    func longParagraphs() {
        let long = String(repeating: "Texto “citado” con acentuación ", count: 12)
        #expect(DraftBuilder.leastCharacters(scalars: long.unicodeScalars.count, bytes: long.utf8.count) > 250)
        var document = Document(source: SourceFile(path: "t.txt", format: .text, encoding: "utf-8", byteCount: 0), text: "Título del “capítulo” tercero\n\n" + long)
        PlainTextSegmenter().segment(&document)
        #expect(document.blocks.map(\.kind) == [.heading, .paragraph])
    }
}

/// The switch of `isTitleEnding` holds exactly the scalars of `titleEndings`.
@Test func titleEndingSwitchMatchesTheList() {
    let listed = Set(DraftBuilder.titleEndings.unicodeScalars)
    let disagreeing = (UInt32(0)...0x2FFF).compactMap(Unicode.Scalar.init).filter { DraftBuilder.isTitleEnding($0) != listed.contains($0) }
    #expect(disagreeing.isEmpty)
    #expect(listed.allSatisfy(DraftBuilder.isTitleEnding))
}
