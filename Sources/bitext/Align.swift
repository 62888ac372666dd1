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
                try Self.print(unit, with: writer)
            } catch let error as InputError {
                printError(error.description)
                throw ExitCode(1)
            } catch let error as StandardOutputError {
                printError("bitext align: \(error)")
                throw ExitCode(1)
            }
        }

        /// A streaming writer's bytes go out as they come (2 MB at a time): held whole, a long
        /// pair's JSON (~16× its text) tripled the command's peak memory.
        private static func print(_ unit: WorkUnit, with writer: any OutputWriter) throws {
            if let streaming = writer as? any StreamingOutputWriter {
                var sink = StandardOutputSink()
                try streaming.stream(unit, baseName: unit.id, to: &sink)
                return
            }
            for file in try writer.write(unit, baseName: unit.id) {
                guard StandardOutput.write(file.contents) else { throw StandardOutputError(errno: errno) }
            }
        }
    }
}

/// Standard output as an `OutputSink`: a writer's files, one after the other, as its bytes come.
struct StandardOutputSink: OutputSink {
    mutating func open(relativePath: String) throws {}

    mutating func append(_ bytes: UnsafeRawBufferPointer) throws {
        guard StandardOutput.write(bytes) else { throw StandardOutputError(errno: errno) }
    }
}

/// Writing to standard output failed (the reader went away, the disk is full, …).
struct StandardOutputError: Error, CustomStringConvertible {
    var errno: Int32
    var description: String { "cannot write to standard output: \(String(cString: strerror(errno)))" }
}
