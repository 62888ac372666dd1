import BitextCore
import Foundation
import Testing

@testable import BitextIngest

/// Hostile and broken inputs at the ingest level: each row of the README's "Bad input"
/// table that concerns one file's bytes. Batch-level rows (unreadable files, output
/// directories, interruption) are in BitextPipelineTests and bitextCLITests.
@Suite struct IngestRobustnessTests {
    private func ingest(_ bytes: [UInt8], name: String = "input.txt") throws -> Document {
        var document = try PlainTextIngest.document(from: bytes, file: InputFile(path: name))
        PlainTextSegmenter().segment(&document)
        #expect(Invariants.structuralProblems(in: document) == [])
        #expect(Invariants.unaccountedText(in: document).map(\.text) == [])
        return document
    }

    private func temporaryFile(_ name: String) throws -> (URL, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bitext-robust-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return (dir, dir.appendingPathComponent(name))
    }

    @Test func emptyFileGivesAnEmptyDocumentAndAWarning() throws {
        for bytes: [UInt8] in [[], [0xEF, 0xBB, 0xBF], Array(" \n\n\t\r\n".utf8)] {
            let document = try ingest(bytes, name: "empty.txt")
            #expect(document.blocks.isEmpty)
            #expect(document.diagnostics.contains { $0.file == "empty.txt" && $0.message.contains("no text") })
        }
    }

    @Test(arguments: [
        ([0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x37], "PDF"),
        ([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00], "ZIP archive"),
        ([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01], "ELF executable"),
        (Array(repeating: 0, count: 64) + Array("text".utf8), "NUL or control bytes"),
    ] as [([UInt8], String)])
    func binaryFileIsRefusedWithTheReasonAndOffset(bytes: [UInt8], what: String) {
        #expect {
            _ = try ingest(bytes, name: "blob.txt")
        } throws: { error in
            let d = (error as? InputError)?.diagnostic
            return d?.file == "blob.txt" && d?.message.contains("binary file") == true && d?.message.contains(what) == true
                && d?.byteOffset != nil
        }
    }

    @Test func invalidUTF8IsReadAsWindows1252AndNothingIsLost() throws {
        // Latin-1 "café", a lone continuation byte, a truncated sequence, an overlong NUL.
        let bytes: [UInt8] = Array("caf".utf8) + [0xE9, 0x20, 0x80, 0x20, 0xC3, 0x20, 0xC0, 0x80, 0x0A]
        let document = try ingest(bytes)
        #expect(document.source.encoding == "windows-1252")
        #expect(document.text.hasPrefix("café €"))
        #expect(document.blocks.count == 1)
    }

    @Test func mixedEncodingsAreDecodedPerByteWithAWarningAtTheFirstBadByte() throws {
        let bytes = Array("Año nuevo, ".utf8) + [0x61, 0xF1, 0x6F] + Array(" viejo.\n".utf8)  // "año" in Latin-1
        let document = try ingest(bytes, name: "mixed.txt")
        #expect(document.source.encoding == "utf-8+windows-1252")
        #expect(document.text == "Año nuevo, año viejo.\n")
        let warning = try #require(document.diagnostics.first { $0.message.contains("mixed encodings") })
        #expect(warning.file == "mixed.txt")
        #expect(warning.byteOffset == 13)
    }

    @Test func strayNULBytesAreDroppedAndReportedWithTheirPosition() throws {
        let bytes = Array("First line.\nSec".utf8) + [0x00] + Array("ond\u{0} line.\n".utf8)
        let document = try ingest(bytes, name: "nul.txt")
        #expect(!document.text.contains("\u{0}"))
        #expect(document.blockTexts.joined(separator: " ").contains("Second line."))
        let warning = try #require(document.diagnostics.first { $0.message.contains("control character") })
        #expect(warning.position == SourcePosition(line: 2, column: 4))
        #expect(warning.message.contains("dropped 2"))
    }

    @Test func fileOverTheLimitIsRefusedBeforeItIsRead() throws {
        let (dir, file) = try temporaryFile("big.txt")
        defer { try? FileManager.default.removeItem(at: dir) }
        // A sparse file one byte over the default limit of 1 GiB: no data is written, so the
        // test is instant, and it proves the size is checked before anything is read.
        let fd = open(file.path, O_CREAT | O_WRONLY, 0o644)
        #expect(fd >= 0)
        #expect(ftruncate(fd, off_t(Ingest.Options().maxBytes) + 1) == 0)
        close(fd)
        let started = Date()
        #expect {
            _ = try Ingest.read(file.path, limit: Ingest.Options().maxBytes)
        } throws: { error in
            let d = (error as? InputError)?.diagnostic
            return d?.file == file.path && d?.message.contains("1073741825 bytes, over the limit of 1073741824") == true
        }
        #expect(Date().timeIntervalSince(started) < 5, "the file must not be read")
        // The same path through the stage, with a small max_bytes.
        try Data(repeating: 0x61, count: 5000).write(to: file)
        var unit = WorkUnit(id: "big", inputs: [InputFile(path: file.path)])
        #expect(throws: InputError.self) {
            try Ingest(options: .init(maxBytes: 4096)).process(&unit, context: StageContext())
        }
    }

    @Test func aTwentyMegabyteLineIsOneParagraph() throws {
        // One line of 20 MB (the bench script measures 100 MB with the release build).
        var line = [UInt8]()
        line.reserveCapacity(20_000_001)
        let word = Array("palabra ".utf8)
        while line.count < 20_000_000 { line.append(contentsOf: word) }
        line.append(0x0A)
        let document = try ingest(line, name: "long.txt")
        #expect(document.blocks.count == 1)
        #expect(document.blocks[0].range.length == line.count - 2)  // trailing space and LF trimmed
    }

    // MARK: Fuzz findings (fuzz/README.md): each crash or broken invariant becomes a case here.

    @Test(arguments: [
        // A line starting with ``` inside a code block closed the block and its text was lost.
        "77u/Y2Fnw6kg6XTpCgojIEhlYWQKCu+7v2NhZ8OpIOl06QoKIyBIZWFkCgpgYEJvb29kZQpgYGAKIEhlYWQKCmBgYGBgCmNvZGUKYGBgQm8Kb29kZQpgYGAK",
        // "```*šÿ```*še" was taken for an opening fence (with backticks in its info string)
        // and, with no line after it, the whole line disappeared.
        "YGBgKgia/2BgYCoImmU=",
    ])
    func fuzzFindingsKeepEveryCharacter(base64: String) throws {
        let bytes = try #require(Data(base64Encoded: base64))
        _ = try ingest(Array(bytes))
    }

    @Test func textInsideAFenceThatLooksLikeAFenceIsKept() throws {
        let document = try ingest(Array("```\ncode\n```not a fence\nmore\n```\n\nAfter.\n".utf8))
        #expect(document.blockTexts == ["code\n```not a fence\nmore", "After."])
    }
}

extension IngestRobustnessTests {
    /// Found by ConservationPropertyTests: a setext underline was recorded as an excluded
    /// range of the heading although it lies after the heading's range.
    @Test func setextUnderlineIsNotAnExcludedRangeOutsideTheHeading() throws {
        for text in ["\n- \n---\n", "Title\n=====\n\nBody.\n"] {
            let document = try ingest(Array(text.utf8))
            #expect(document.blocks.first?.kind == .heading)
            #expect(document.blocks.allSatisfy { block in block.excluded.allSatisfy { block.range.contains($0) } })
        }
    }
}
