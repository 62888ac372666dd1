import ArgumentParser
import BitextCore
import BitextPipeline

extension BitextCommand {
    struct Stages: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stages",
            abstract: "List every stage and output format with its options, defaults, needs and products.",
            discussion: "Example:\n  bitext stages")

        func run() {
            let registry = Registry.builtIn
            print("Stages (in pipeline files: '- use: NAME' with optional 'with: {OPTION: VALUE}'):\n")
            for id in registry.stageIDs { describe(registry.stages[id]!.info, showProducts: true) }
            print("Outputs (in pipeline files: '- write: NAME'):\n")
            for name in registry.writerNames { describe(registry.writers[name]!.info, showProducts: false) }
        }

        private func describe(_ info: ComponentInfo, showProducts: Bool) {
            print("  \(info.id)")
            print("      \(info.summary)")
            if !info.requires.isEmpty { print("      requires: \(info.requires.sorted().map(\.rawValue).joined(separator: ", "))") }
            if showProducts, !info.produces.isEmpty { print("      produces: \(info.produces.sorted().map(\.rawValue).joined(separator: ", "))") }
            for option in info.options {
                let value = option.defaultValue.map { "default \($0)" } ?? "required"
                print("      \(option.name) (\(option.type), \(value)): \(option.summary)")
            }
            print("")
        }
    }
}
