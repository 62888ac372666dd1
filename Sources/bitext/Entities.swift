import ArgumentParser
import BitextCore
import BitextEntities
import Foundation

extension BitextCommand {
    struct Entities: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Extract entities from text on standard input and print them as JSON lines.",
            discussion: """
                Each non-empty input line is a block; a blank line ends a document. Each output
                line is one entity: line (1-based), kind, start and end (UTF-8 byte offsets in
                the line), text, normalized, attributes.

                Examples:
                  echo 'On 22 November 2024 the OAS adopted CP/RES. 1268 (2523/24).' | bitext entities
                  bitext entities --language es < carta.txt
                """)

        @Option(name: .shortAndLong, help: "The text's language (en or es); guessed per line when absent.") var language: String?
        @Option(help: "Comma-separated entity kinds to print (default: all).") var kinds: String?

        func run() throws {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            let text = String(decoding: data, as: UTF8.self).precomposedStringWithCanonicalMapping
            var extractor = EntityExtractor()
            if let kinds { extractor.kinds = Set(kinds.split(separator: ",").map { String($0) }) }
            var buffer = ""
            EntityLines.extract(text, language: language.map { LanguageCode($0) }, extractor: extractor) { line in
                buffer += line
                buffer += "\n"
                if buffer.utf8.count > 1 << 16 {
                    FileHandle.standardOutput.write(Data(buffer.utf8))
                    buffer = ""
                }
            }
            FileHandle.standardOutput.write(Data(buffer.utf8))
        }
    }
}
