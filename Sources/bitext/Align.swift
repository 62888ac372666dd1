import ArgumentParser
import BitextCore
import BitextPipeline
import Foundation

extension BitextCommand {
    struct Align: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "align",
            abstract: "Align one English file with its Spanish version and print the result.",
            discussion: """
                Runs the pipeline's stages (default: pipelines/default.yaml, else the built-in \
                default) on the pair and prints one output format to standard output.

                Examples:
                  bitext align letter.en.txt letter.es.txt
                  bitext align page.en.html page.es.html --format xml
                  bitext align letter.en.txt letter.es.txt --format tmx > letter.tmx
                """)

        @Argument(help: "The English file.") var english: String
        @Argument(help: "The Spanish file.") var spanish: String
        @Option(name: .shortAndLong, help: "Output format: a writer that writes to standard output (json, xml, …).") var format = "json"
        @Option(name: .shortAndLong, help: "Pipeline file whose stages to run.") var pipeline: String?
        @Flag(help: "Explain decisions (alignment cost terms, dropped boilerplate) in the output.") var explain = false

        func run() throws {
            let plan: PipelinePlan
            if let pipeline {
                plan = try loadPlan(pipeline).0
            } else {
                plan = try PipelineLoader().load(yaml: DefaultPipeline.yaml, file: "<built-in default pipeline>")
            }
            // The stages' resources load on other cores while the two files are read and segmented.
            PipelineResources.loadInBackground(for: plan)
            guard let entry = Registry.builtIn.writers[StageID(rawValue: format)] else {
                throw ValidationError("unknown format '\(format)'; known: \(Registry.builtIn.writerNames.map(\.rawValue).joined(separator: ", "))")
            }
            let writer = try PipelineLoader().makeWriter(entry)
            guard type(of: writer).writesToStandardOutput else {
                throw ValidationError("format '\(format)' writes several files; use `bitext run` with an output directory")
            }
            let runner = BatchRunner(plan: plan)
            var unit = WorkUnit(id: "pair", inputs: [
                InputFile(path: english, relativePath: (english as NSString).lastPathComponent, languageHint: .english),
                InputFile(path: spanish, relativePath: (spanish as NSString).lastPathComponent, languageHint: .spanish),
            ])
            unit.id = UnitNaming.baseName(unit.inputs)
            do {
                try runner.process(&unit, context: StageContext(explain: explain))
                for file in try writer.write(unit, baseName: unit.id) { FileHandle.standardOutput.write(Data(file.contents)) }
            } catch let error as InputError {
                printError(error.description)
                throw ExitCode(1)
            }
        }
    }
}
