import ArgumentParser
import BitextPipeline

@main
struct BitextCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bitext",
        abstract: "Turn English and Spanish documents into clean, aligned, annotated bilingual data.",
        discussion: """
            Examples:
              bitext run pipelines/default.yaml samples --out out
              bitext align letter.en.txt letter.es.txt --format tmx
              bitext validate pipelines/default.yaml
              bitext stages
            """,
        version: BitextInfo.version,
        subcommands: [Run.self, Align.self, Validate.self, Stages.self, Identify.self, Entities.self]
    )
}
