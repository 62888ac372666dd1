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
              bitext index out --db out/index.sqlite
              bitext search "resolucion" --lang es --db out/index.sqlite
            """,
        version: BitextInfo.version,
        subcommands: [Run.self, Align.self, Validate.self, Stages.self, Identify.self, Entities.self, Index.self, Search.self, Stream.self]
    )
}
