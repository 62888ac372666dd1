import BitextCore
import Foundation

/// Entities of line-oriented text as JSON lines: the form `bitext entities` prints and the
/// evaluation scripts read. Each non-empty line is a block; a blank line ends a document
/// (document-wide evidence — acronym definitions, known person names, the year of partial
/// dates — does not cross it).
public enum EntityLines {
    struct Line: Encodable {
        var line: Int
        var kind: String
        var start: Int
        var end: Int
        var text: String
        var normalized: String?
        var attributes: [String: String]?
    }

    /// The documents of line-oriented input (for throughput measurements).
    public static func documents(_ input: String, language: LanguageCode?) -> [Document] {
        var out: [Document] = []
        forEachDocument(input, language: language) { document, _ in out.append(document) }
        return out
    }

    /// Splits line-oriented input into documents (blank lines end them), one block per line.
    static func forEachDocument(_ input: String, language: LanguageCode?, _ body: (Document, [Int]) -> Void) {
        var lineNumber = 0
        var chunk: [Substring] = []
        var firstLine = 0
        func flush() {
            guard !chunk.isEmpty else { return }
            var text = ""
            var blocks: [Block] = []
            var lineOf: [Int] = []
            for (i, line) in chunk.enumerated() where !line.isEmpty {
                let start = text.utf8.count
                text += line
                var block = Block(kind: .paragraph, range: TextRange(start, text.utf8.count), position: SourcePosition(line: firstLine + i + 1, column: 1))
                block.language = language
                blocks.append(block)
                lineOf.append(firstLine + i + 1)
                text += "\n"
            }
            var document = Document(source: SourceFile(path: "<stdin>", format: .text), text: text, blocks: blocks)
            if let language { document.languages = [language] }
            body(document, lineOf)
            chunk.removeAll()
        }
        // Split on UTF-8 bytes: splitting on Characters walks grapheme clusters.
        let lines = input.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { Substring($0) }
        for line in lines {
            if line.isEmpty {
                flush()
                firstLine = lineNumber + 1
            } else {
                if chunk.isEmpty { firstLine = lineNumber }
                chunk.append(line)
            }
            lineNumber += 1
        }
        flush()
    }

    public static func extract(_ input: String, language: LanguageCode?, extractor: EntityExtractor = EntityExtractor(),
                               write: (String) -> Void)
    {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        forEachDocument(input, language: language) { document, lineOf in
            for e in extractor.extract(from: document) {
                let blockStart = document.blocks[e.block].range.start
                let record = Line(line: lineOf[e.block], kind: e.kind, start: e.range.start - blockStart,
                                  end: e.range.end - blockStart, text: String(document.text(of: e.range)),
                                  normalized: e.normalized, attributes: e.attributes.isEmpty ? nil : e.attributes)
                if let data = try? encoder.encode(record) { write(String(decoding: data, as: UTF8.self)) }
            }
        }
    }
}
