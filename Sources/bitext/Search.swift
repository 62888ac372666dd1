import ArgumentParser
import BitextCore
import BitextIndex
import Foundation

extension BitextCommand {
    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "search",
            abstract: "Search an index built by `bitext index` (or the pipeline's `index` output).",
            discussion: """
                Every word must match (accents and case are ignored; `word*` matches a prefix; \
                "a phrase" in quotes matches the words in order). Results are ranked by bm25; each \
                shows the matching side with the matches in [brackets] and its aligned counterpart.

                Examples:
                  bitext search "resolucion" --lang es
                  bitext search "peacekeeping mission*" --db out/index.sqlite --limit 5 --json
                """)

        @Argument(help: "The words to find.") var query: String
        @Option(help: "Search only this side: en or es.") var lang: String?
        @Option(help: "The index file.") var db = "out/index.sqlite"
        @Option(help: "At most this many results.") var limit = 10
        @Option(help: "Only this kind of record: paragraph_pair, sentence_pair or paragraph.") var kind: String?
        @Flag(help: "Print JSON Lines (one hit per line) instead of text.") var json = false

        func validate() throws {
            if let lang, !["en", "es"].contains(lang) { throw ValidationError("--lang must be en or es") }
            if let kind, !["paragraph_pair", "sentence_pair", "paragraph"].contains(kind) {
                throw ValidationError("--kind must be paragraph_pair, sentence_pair or paragraph")
            }
            if limit < 1 { throw ValidationError("--limit must be at least 1") }
        }

        /// Long counterparts (whole paragraphs) cut at a word near 300 characters.
        static func abbreviated(_ text: String, limit: Int = 300) -> String {
            guard text.count > limit else { return text }
            let cut = text.prefix(limit)
            return String(cut[..<(cut.lastIndex(of: " ") ?? cut.endIndex)]) + "…"
        }

        func run() throws {
            let hits: [SearchHit]
            do {
                hits = try PairIndex.search(query, in: db, language: lang.map { LanguageCode($0) }, kind: kind, limit: limit)
            } catch let error as IndexError {
                printError("error: \(error.description)")
                throw ExitCode(1)
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                for hit in hits { print(String(decoding: try encoder.encode(hit), as: UTF8.self)) }
                return
            }
            if hits.isEmpty {
                print("no matches")
                return
            }
            for (n, hit) in hits.enumerated() {
                let other = hit.matchedLanguage == "es" ? "en" : "es"
                let location = hit.matchedLanguage == "es" ? hit.pair.spanishLocation : hit.matchedLanguage == "en" ? hit.pair.englishLocation : hit.pair.otherLocation
                var heading = "\(n + 1). \(hit.pair.key)  \(hit.pair.kind)"
                if let score = hit.pair.score { heading += "  score \(String(format: "%.2f", score))" }
                if !hit.pair.flags.isEmpty { heading += "  flags: \(hit.pair.flags.joined(separator: ", "))" }
                print(heading)
                print("   \(hit.matchedLanguage): \(hit.snippet)")
                if hit.pair.kind == "paragraph" {
                    print("   (a paragraph no alignment link covers)")
                } else {
                    print("   \(other): \(hit.counterpart.isEmpty ? "(no aligned text)" : Self.abbreviated(hit.counterpart))")
                }
                if !location.isEmpty { print("   at \(location)") }
            }
        }
    }
}
