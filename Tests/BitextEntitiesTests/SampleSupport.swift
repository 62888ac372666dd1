import BitextCore
import Foundation

/// Builds a document from a text file with one block per blank-line-separated paragraph
/// (the lead's segmenter does this properly; the tests need only paragraphs).
func paragraphDocument(_ text: String, path: String = "test.txt") -> Document {
    var blocks: [Block] = []
    let bytes = Array(text.utf8)
    var start = 0
    var i = 0
    var line = 1
    var blockLine = 1
    func flush(_ end: Int) {
        var s = start
        var e = end
        while s < e, bytes[s] == 0x20 || bytes[s] == 0x0A { s += 1 }
        while e > s, bytes[e - 1] == 0x20 || bytes[e - 1] == 0x0A { e -= 1 }
        if s < e {
            blocks.append(Block(kind: .paragraph, range: TextRange(s, e), position: SourcePosition(line: blockLine, column: 1)))
        }
    }
    while i < bytes.count {
        if bytes[i] == 0x0A {
            line += 1
            if i + 1 < bytes.count, bytes[i + 1] == 0x0A {
                flush(i)
                start = i + 1
                blockLine = line + 1
            }
        }
        i += 1
    }
    flush(bytes.count)
    return Document(source: SourceFile(path: path, format: .text), text: text, blocks: blocks)
}

func sample(_ name: String) throws -> String {
    let here = URL(fileURLWithPath: #filePath)
    let url = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("samples").appendingPathComponent(name)
    return try String(contentsOf: url, encoding: .utf8)
}

/// A random text of one to `blocks` paragraphs, each of one to `piecesPerBlock` of `pieces`
/// end to end, paragraphs separated by a blank line.
func randomParagraphs(_ pieces: [String], blocks: Int, piecesPerBlock: Int, using generator: inout some RandomNumberGenerator) -> String {
    var text = ""
    for _ in 0..<Int.random(in: 1...blocks, using: &generator) {
        for _ in 0..<Int.random(in: 1...piecesPerBlock, using: &generator) { text += pieces.randomElement(using: &generator)! }
        text += "\n\n"
    }
    return text
}
