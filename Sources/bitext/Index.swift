import ArgumentParser
import BitextCore
import BitextIndex
import Foundation

extension BitextCommand {
    struct Index: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "index",
            abstract: "Build a SQLite full-text index of the aligned pairs in an output directory.",
            discussion: """
                Reads every bitext-document JSON file (`write: json`) under OUT_DIR and indexes its \
                paragraph pairs, sentence pairs and unlinked paragraphs with SQLite FTS5 \
                (accent-insensitive: `resolucion` finds `resolución`). Search it with `bitext search`.

                Example:
                  bitext run pipelines/default.yaml samples --out out
                  bitext index out --db out/index.sqlite
                """)

        @Argument(help: "An output directory of `bitext run`.") var directory: String
        @Option(help: "The index file to write (replaced if it exists).") var db: String?

        func run() throws {
            let database = db ?? (directory as NSString).appendingPathComponent("index.sqlite")
            var files: [String] = []
            guard let walker = FileManager.default.enumerator(atPath: directory) else {
                throw ValidationError("cannot read directory \(directory)")
            }
            for case let path as String in walker where path.hasSuffix(".json") && !(path as NSString).lastPathComponent.hasPrefix("manifest") {
                files.append((directory as NSString).appendingPathComponent(path))
            }
            // Only bitext's own documents (other JSON files in the directory are left alone),
            // told by their first bytes; each is read whole only when the index takes it.
            let documents = files.sorted().filter { path in
                guard let file = FileHandle(forReadingAtPath: path) else { return false }
                defer { try? file.close() }
                return (try? file.read(upToCount: 200))?.range(of: Data("\"bitext-document\"".utf8)) != nil
            }
            guard !documents.isEmpty else {
                printError("error: no bitext-document JSON files under \(directory) (run a pipeline with `- write: json` first)")
                throw ExitCode(1)
            }
            do {
                let count = try PairIndex.build(at: database, documentCount: documents.count) { index in
                    guard let pieces = OutputPieces(path: documents[index]) else { throw IndexError("cannot read \(documents[index])") }
                    return pieces
                }
                print("\(database): \(count) pairs and paragraphs from \(documents.count) documents")
            } catch let error as IndexError {
                printError("error: \(error.description)")
                throw ExitCode(1)
            }
        }
    }
}
