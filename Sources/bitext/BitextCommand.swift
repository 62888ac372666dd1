import ArgumentParser
import BitextPipeline
import Foundation

@main
struct BitextCommand: AsyncParsableCommand {
    // Every command names itself (`commandName`): without it, ArgumentParser derives the name
    // from `String(describing:)` of the type, a reflection that scanned all the binary's protocol
    // conformances at each of some 45 calls: half the instructions of a process's start-up.
    static let configuration = CommandConfiguration(
        commandName: "bitext",
        abstract: "Turn English and Spanish documents into clean, aligned, annotated bilingual data.",
        discussion: """
            Examples:
              bitext run pipelines/default.yaml samples --out out
              bitext align letter.en.txt letter.es.txt --format tmx
              bitext validate pipelines/default.yaml
              bitext stages
              bitext index out --db out/index.sqlite
              bitext search "resolucion" --lang es --db out/index.sqlite
            """,
        version: BitextInfo.version,
        subcommands: [Run.self, Align.self, Validate.self, Stages.self, Identify.self, Entities.self, Index.self, Search.self, Stream.self]
    )

    /// Runs the command, with one change to ArgumentParser's exit codes: usage errors exit
    /// with 2 (as pipeline-file errors do), so that scripts see 0 ok, 1 some inputs failed,
    /// 2 the command itself was wrong.
    static func main() async {
        AllocatorTuning.apply()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
