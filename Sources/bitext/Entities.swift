import ArgumentParser
import BitextCore
import BitextEntities
import Foundation

extension BitextCommand {
    struct Entities: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "entities",
            abstract: "Extract entities from text on standard input and print them as JSON lines.",
            discussion: """
                Each non-empty input line is a block; a blank line ends a document. Each output \
                line is one entity: line (1-based), kind, start and end (UTF-8 byte offsets in \
                the line), text, normalized, attributes.

                Examples:
                  echo 'On 22 November 2024: CP/RES. 1268 (2523/24).' | bitext entities
                  bitext entities --language es < carta.txt
                """)

        @Option(name: .shortAndLong, help: "The text's language (en or es); guessed per line when absent.") var language: String?
        @Option(help: "Comma-separated entity kinds to print, or 'all' (the default).") var kinds: String?
        @Flag(help: "Print only the throughput of extraction (input read first; output not encoded), to standard error.")
        var benchmark = false

        func validate() throws {
            // As the extract.entities stage's `kinds` option: a misspelt kind is an error, not a filter that drops everything.
            let known = Set(EntityKind.allCases.map(\.rawValue))
            for kind in kinds?.split(separator: ",").map(String.init) ?? [] where kind != "all" && !known.contains(kind) {
                throw ValidationError("unknown entity kind '\(kind)'; known: \(known.sorted().joined(separator: ", "))")
            }
        }

        func run() throws {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            let text = String(decoding: data, as: UTF8.self).precomposedStringWithCanonicalMapping
            var extractor = EntityExtractor()
            if let kinds, !kinds.split(separator: ",").contains("all") { extractor.kinds = Set(kinds.split(separator: ",").map { String($0) }) }
            if benchmark {
                let language = language.map { LanguageCode($0) }
                let documents = EntityLines.documents(text, language: language)
                _ = extractor.extract(text: "Kenya", language: language)  // loads the gazetteers
                // CPU time of this thread as well as wall time: on a shared machine the wall
                // clock also counts other processes' turns.
                func threadSeconds() -> Double {
                    var t = timespec()
                    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
                    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
                }
                let clock = ContinuousClock()
                var count = 0
                let cpuStart = threadSeconds()
                let elapsed = clock.measure {
                    for document in documents { count += extractor.extract(from: document).count }
                }
                let cpu = threadSeconds() - cpuStart
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                let megabytes = Double(text.utf8.count) / 1_000_000
                printError(String(format: "%.1f MB in %d documents, %d entities: %.3f s CPU, %.1f MB/s per core (wall %.3f s)",
                                  megabytes, documents.count, count, cpu, megabytes / cpu, seconds))
                return
            }
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
