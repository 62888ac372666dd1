import BitextCore
import BitextTestSupport
import Testing

@testable import BitextIngest

@Suite struct PlainTextSegmenterTests {
    /// (kind, level, marker, text prefix) for every block of the letter, in order.
    static let letter: [(BlockKind, Int?, String?, String)] = [
        (.heading, 1, nil, "Security Council"),
        (.paragraph, nil, nil, "Distr.: General"),
        (.paragraph, nil, nil, "22 November 2024"),
        (.paragraph, nil, nil, "Original: English"),
        (.heading, 1, nil, "Letter dated 22 November 2024 from the representatives of Ecuador and the United States of America to the United Nations addressed to the President of the Security Council"),
        (.paragraph, nil, nil, "We have the honour to transmit herewith"),
        (.paragraph, nil, nil, "We would be grateful"),
        (.address, nil, nil, "(Signed) Andres Montalvo Sosa"),
        (.address, nil, nil, "Ambassador"),
        (.address, nil, nil, "Chargé d'affaires of Ecuador to the United Nations"),
        (.address, nil, nil, "(Signed) Linda Thomas-Greenfield"),
        (.address, nil, nil, "Ambassador"),
        (.address, nil, nil, "Representative of the United States to the United Nations"),
        (.paragraph, nil, nil, "Annex to the letter dated 22 November 2024"),
        (.paragraph, nil, nil, "OAS/Ser.G"),
        (.paragraph, nil, nil, "CP/RES. 1268 (2523/24)"),
        (.paragraph, nil, nil, "13 November 2024"),
        (.paragraph, nil, nil, "Original: English"),
        (.paragraph, nil, nil, "CP/RES. 1268 (2523/24)"),
        (.heading, 1, nil, "IN SUPPORT OF HAITI'S REQUEST FOR A UNITED NATIONS PEACEKEEPING OPERATION"),
        (.paragraph, nil, nil, "(Adopted by the Permanent Council"),
        (.heading, 2, nil, "THE PERMANENT COUNCIL OF THE ORGANIZATION OF AMERICAN STATES,"),
        (.paragraph, nil, nil, "RECALLING the Charter"),
        (.paragraph, nil, nil, "NOTING the unanimous adoption"),
        (.paragraph, nil, nil, "ACKNOWLEDGING that"),
        (.paragraph, nil, nil, "FURTHER RECALLING"),
        (.paragraph, nil, nil, "STRESSING the need"),
        (.paragraph, nil, nil, "RECOGNIZING the public support"),
        (.footnote, nil, "1", "As a State that promotes multilateralism"),
        (.paragraph, nil, nil, "EXPRESSING CONCERN"),
        (.paragraph, nil, nil, "REAFFIRMING that"),
        (.paragraph, nil, nil, "NOTING the importance"),
        (.paragraph, nil, nil, "AFFIRMING that"),
        (.heading, 2, nil, "RESOLVES:"),
        (.listItem, 1, "1.", "To encourage support"),
        (.listItem, 1, "2.", "To encourage the UNSC"),
        (.listItem, 1, "3.", "To recognize the financial"),
        (.listItem, 1, "4.", "To recognize the contributions"),
        (.listItem, 1, "5.", "To reaffirm the OAS"),
        (.footnote, nil, "2", "The commitment of the Argentine Republic"),
        (.heading, 2, nil, "FOOTNOTES"),
        (.footnote, nil, "1", "... of Ministers of Haiti"),
        (.footnote, nil, "2", "... applying a sectoral approach"),
    ]

    @Test func letterComesOutAsAReaderSeesIt() throws {
        let document = try segmentedSample("oas-haiti-peacekeeping-letter.en.txt")
        #expect(document.blocks.count == Self.letter.count)
        for (index, (block, expected)) in zip(document.blocks, Self.letter).enumerated() {
            #expect(block.kind == expected.0, "block \(index)")
            #expect(block.level == expected.1, "block \(index)")
            #expect(block.marker == expected.2, "block \(index)")
            #expect(document.text(ofBlock: index).hasPrefix(expected.3), "block \(index): \(document.text(ofBlock: index).prefix(60))")
        }
    }

    @Test func letterFootnotesAreLinkedAndContinued() throws {
        let document = try segmentedSample("oas-haiti-peacekeeping-letter.en.txt")
        let references = document.marks.filter { $0.kind == .footnoteReference }
        #expect(references.map(\.value) == ["1", "2"])
        #expect(references.map(\.target) == [28, 39])
        #expect(document.blocks[41].attributes["continues"] == "28")
        #expect(document.blocks[42].attributes["continues"] == "39")
        // The reference mark is not part of the heading's text, and nothing else is lost.
        #expect(document.text(ofBlock: 19).hasSuffix("OPERATION"))
        #expect(document.text(ofBlock: 29).hasSuffix("stability in the region;"))
    }

    @Test func boldIsRemovedFromTheTextAndKeptAsAMark() throws {
        let document = try segmentedSample("oas-haiti-peacekeeping-letter.en.txt")
        #expect(document.text(ofBlock: 0) == "Security Council")
        let bold = document.marks.first { $0.kind == .bold }
        #expect(bold.map { String(document.text(of: $0.range)) } == "Security Council")
        #expect(!document.blockTexts.contains { $0.contains("**") })
    }

    @Test func statementHasItsEnglishAndSpanishParagraphs() throws {
        let document = try segmentedSample("bap-mss-statement.en-es.txt")
        let texts = document.blockTexts
        #expect(texts.count == 18)
        #expect(document.blocks.map(\.kind) == [.heading, .listItem] + Array(repeating: .paragraph, count: 7) + [.heading] + Array(repeating: .paragraph, count: 8))
        #expect(texts[0] == "The Multinational Security Support Mission in Haiti Needs to End")
        #expect(texts[1].hasPrefix("OCTOBER 14, 2024— The Haiti/Americas Team"))
        #expect(texts[9] == "La Misión Multinacional de Apoyo a la Seguridad (MSS) en Haití debe terminar")
        #expect(texts[17] == "¡Que viva Haití libre!")
    }

    @Test func hardWrappedLinesJoinIntoOneParagraph() throws {
        let text = """
            The quick brown fox jumps over the lazy dog and keeps running far
            away into the forest where nobody could ever find it again, not
            even the hunters.

            A second paragraph that is also wrapped at the same width as the
            first one was.
            """
        let document = try segmented(text)
        #expect(document.blockTexts == [
            "The quick brown fox jumps over the lazy dog and keeps running far away into the forest where nobody could ever find it again, not even the hunters.",
            "A second paragraph that is also wrapped at the same width as the first one was.",
        ])
        #expect(document.blocks.allSatisfy { $0.foldsLineBreaks })
    }

    @Test func shortLinesStaySeparate() throws {
        let document = try segmented("Distr.: General\n22 November 2024\nOriginal: Spanish\n")
        #expect(document.blockTexts == ["Distr.: General", "22 November 2024", "Original: Spanish"])
    }

    @Test(arguments: [
        ("• one\n• two\n", ["•", "•"]),
        ("- one\n- two\n", ["-", "-"]),
        ("1. one\n2. two\n", ["1.", "2."]),
        ("a) one\nb) two\n", ["a)", "b)"]),
        ("(i) one\n(ii) two\n", ["(i)", "(ii)"]),
    ])
    func listMarkersStartListItems(text: String, markers: [String]) throws {
        let document = try segmented(text)
        #expect(document.blocks.map(\.kind) == [.listItem, .listItem])
        #expect(document.blocks.map(\.marker) == markers)
        #expect(document.blockTexts == ["one", "two"])
    }

    @Test func nestedListsKeepTheirDepth() throws {
        let document = try segmented("- fruit\n  - apple\n  - pear\n- bread\n")
        #expect(document.blocks.map(\.level) == [1, 2, 2, 1])
    }

    @Test func markdownHeadingsAndFences() throws {
        let document = try segmented("# Title\n\nSome text here.\n\nSection\n-------\n\n```\n  code  kept\n```\n")
        #expect(document.blocks.map(\.kind) == [.heading, .paragraph, .heading, .preformatted])
        #expect(document.blocks.map(\.level) == [1, nil, 2, nil])
        #expect(document.blockTexts == ["Title", "Some text here.", "Section", "  code  kept"])
    }

    @Test func bracketAndSlashFootnotes() throws {
        let document = try segmented("Text with a note.\n\n[1] The note itself.\n\n2/ Another note.\n")
        #expect(document.blocks.map(\.kind) == [.paragraph, .footnote, .footnote])
        #expect(document.blocks.map(\.marker) == [nil, "1", "2"])
    }

    @Test func blockPositionsPointIntoTheSource() throws {
        let document = try segmented("\n\n   Indented paragraph.\n")
        #expect(document.blocks[0].position == SourcePosition(line: 3, column: 4))
        #expect(document.text(of: document.blocks[0].range) == "Indented paragraph.")
    }
}

@Suite struct WrapWidthEstimateTests {
    /// The histogram gives the same 90th percentile as sorting every width, long lines included.
    @Test(arguments: [1, 2, 3, 4, 5])
    func wrapWidthIsTheNinetiethPercentileOfSortedWidths(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        func next(_ bound: Int) -> Int { generator.below(bound) }
        var lines: [String] = []
        for _ in 0..<(50 + next(400)) {
            switch next(10) {
            case 0: lines.append("")
            case 1: lines.append(String(repeating: "é", count: 1000 + next(2500)))
            default: lines.append(String(repeating: "a", count: 1 + next(120)))
            }
        }
        let text = lines.joined(separator: "\n")
        var widths: [Int] = []
        for k in lines.indices.dropLast() where !lines[k].isEmpty && !lines[k + 1].isEmpty { widths.append(lines[k].unicodeScalars.count) }
        widths.sort()
        let expected = widths.isEmpty ? nil : widths[min(widths.count - 1, widths.count * 9 / 10)]
        let estimated = Array(text.utf8).withUnsafeBufferPointer { DraftBuilder.estimateWrapWidth(bytes: $0).0 }
        #expect(estimated == expected.flatMap { $0 >= 30 ? $0 : nil })
    }
}

/// `LineReading.listMarker` on lines that start with a lower-case letter (its fast path for
/// words) agrees with the marker rule written out: up to five digits or lower-case letters
/// (optionally after `(`), a number of up to three digits, one letter or up to four Roman
/// digits (i v x l), then `)` (or `.` after a number or Roman digits) and a space.
@Test func listMarkersAfterLowerCaseLettersFollowTheRule() {
    func expected(_ line: [UInt8]) -> String? {
        var i = 0
        let open = line[0] == UInt8(ascii: "(")
        if open { i += 1 }
        let start = i
        var digits = 0
        var romans = 0
        while i < line.count && i - start < 5 && (line[i] >= 0x30 && line[i] <= 0x39 || line[i] >= 0x61 && line[i] <= 0x7A) {
            if line[i] >= 0x30 && line[i] <= 0x39 { digits += 1 }
            if "ivxl".utf8.contains(line[i]) { romans += 1 }
            i += 1
        }
        guard i > start, i + 1 < line.count else { return nil }
        let length = i - start
        let number = digits == length && length <= 3
        let roman = romans == length && length <= 4
        guard number || (length == 1 && digits == 0) || roman else { return nil }
        let closes = open ? line[i] == UInt8(ascii: ")") : line[i] == UInt8(ascii: ")") || (line[i] == UInt8(ascii: ".") && (number || roman))
        guard closes, line[i + 1] == 0x20 else { return nil }
        return String(decoding: line[0...i], as: UTF8.self)
    }
    let alphabet = Array("aivxlb1). ".utf8)
    var lines: [[UInt8]] = []
    for first in Array("abcilmvxz".utf8) {
        lines.append([first])
        for a in alphabet {
            lines.append([first, a])
            for b in alphabet {
                lines.append([first, a, b])
                for c in alphabet { lines.append([first, a, b, c]) }
            }
        }
    }
    var checked = 0
    for line in lines {
        let text = line + Array("tail".utf8)
        text.withUnsafeBufferPointer { bytes in
            let found = LineReading(bytes: bytes, wrapWidth: nil).listMarker(at: 0, end: bytes.count)
            #expect(found?.0 == expected(text), "\(String(decoding: text, as: UTF8.self))")
        }
        checked += 1
    }
    #expect(checked > 9000)
}

/// `footnoteMark` picks the one form a line's first byte allows: every form is still found
/// (superscript digits, `^`, `[n]`, `n/`), with its digits and the content after it, and
/// lines that only look close to one (a lower-case word, a list marker, a bare number) have none.
@Test(arguments: [
    ("¹ First note", "1", "First note"), ("²³ Note", "23", "Note"), ("⁴ Note", "4", "Note"), ("⁰  Spaced", "0", "Spaced"),
    ("^{1/} Caret note", "1", "Caret note"), ("^{12} Note", "12", "Note"), ("^7 Note", "7", "Note"),
    ("[3] Bracket note", "3", "Bracket note"), ("[123] Note", "123", "Note"), ("4/ Slash note", "4", "Slash note"),
    ("12/ Note", "12", "Note"),
    ("note text", nil, nil), ("a) item", nil, nil), ("(1) item", nil, nil), ("1. item", nil, nil), ("[1234] long", nil, nil),
    ("1234/ long", nil, nil), ("¹no space", nil, nil), ("^x", nil, nil), ("• bullet", nil, nil), ("— dash", nil, nil),
    ("[a] letter", nil, nil), ("Capital", nil, nil),
] as [(String, String?, String?)])
func footnoteMarksByFirstByte(line: String, digits: String?, content: String?) {
    let text = Array(line.utf8)
    text.withUnsafeBufferPointer { bytes in
        let found = LineReading(bytes: bytes, wrapWidth: nil).footnoteMark(at: 0, end: bytes.count)
        #expect(found?.0 == digits)
        #expect(found.map { String(decoding: bytes[$0.1...], as: UTF8.self) } == content)
    }
}
