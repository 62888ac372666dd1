import ArgumentParser
import BitextPipeline

extension BitextCommand {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check pipeline files without running them.",
            discussion: """
                Every problem is printed as FILE:LINE:COLUMN: error: MESSAGE; the exit status is 2 \
                if any file has one.

                Example:
                  bitext validate pipelines/*.yaml
                """)

        @Argument(help: "Pipeline files.") var files: [String]

        func run() throws {
            var failed = false
            for file in files {
                do {
                    let plan = try PipelineLoader().load(path: file)
                    print("\(file): ok (\(plan.stages.count) stages, \(plan.writers.count) outputs)")
                } catch let errors as PipelineErrors {
                    printError(errors.description)
                    failed = true
                }
            }
            if failed { throw ExitCode(2) }
        }
    }
}
