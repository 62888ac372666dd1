import BitextCore
import Foundation
import Yams

/// Decodes a pipeline file into a validated `PipelinePlan`, reporting every problem with its
/// position in the file.
///
/// ```yaml
/// name: en-es
/// inputs: [samples]
/// stages:
///   - use: ingest
///     with: { max_bytes: 1000000 }
///   - use: segment.paragraphs
/// outputs:
///   - write: json
/// ```
public struct PipelineLoader: Sendable {
    public var registry: Registry
    public init(registry: Registry = .builtIn) { self.registry = registry }

    static let topLevelKeys = ["name", "description", "inputs", "output", "stages", "outputs"]

    public func load(path: String) throws -> PipelinePlan {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw PipelineErrors([PipelineError(file: path, line: 1, column: 1, message: "cannot read pipeline file: \((error as NSError).localizedDescription)")])
        }
        guard let yaml = String(data: data, encoding: .utf8) else {
            throw PipelineErrors([PipelineError(file: path, line: 1, column: 1, message: "pipeline file is not UTF-8 text")])
        }
        return try load(yaml: yaml, file: path)
    }

    public func load(yaml: String, file: String = "<pipeline>") throws -> PipelinePlan {
        var context = LoadContext(file: file)
        let root: Node
        do {
            // The encoding given: Yams's default is computed from the whole environment at each use.
            guard let composed = try Yams.compose(yaml: yaml, .default, .default, .utf8) else {
                throw PipelineErrors([context.error(at: nil, "the pipeline file is empty; it needs at least 'stages'")])
            }
            root = composed
        } catch let error as YamlError {
            throw PipelineErrors([context.yamlError(error)])
        }
        guard let mapping = root.mapping else {
            throw PipelineErrors([context.error(at: root, "the pipeline file must be a mapping with 'stages' (and optionally 'name', 'inputs', 'output', 'outputs')")])
        }
        for (key, _) in mapping {
            let name = key.string ?? ""
            if !Self.topLevelKeys.contains(name) {
                context.report(at: key, "unknown key '\(name)'\(Suggestion.hint(for: name, in: Self.topLevelKeys))")
            }
        }
        let name = scalar(mapping["name"], "name", &context) ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let inputs = stringList(mapping["inputs"], "inputs", &context)
        let output = scalar(mapping["output"], "output", &context)

        var produced: Set<Layer> = []
        var stages: [PipelinePlan.PlannedStage] = []
        if let stageNodes = mapping["stages"] {
            if let sequence = stageNodes.sequence, !sequence.isEmpty {
                for node in sequence {
                    if let planned = makeStage(node, produced: &produced, &context) { stages.append(planned) }
                }
            } else {
                context.report(at: stageNodes, "'stages' must be a non-empty list of '- use: STAGE' items")
            }
        } else {
            context.report(at: root, "missing 'stages': list the stages to run (see `bitext stages`)")
        }
        var writers: [PipelinePlan.PlannedWriter] = []
        if let outputNodes = mapping["outputs"] {
            if let sequence = outputNodes.sequence {
                for node in sequence {
                    if let planned = makeWriter(node, produced: produced, &context) { writers.append(planned) }
                }
            } else {
                context.report(at: outputNodes, "'outputs' must be a list of '- write: FORMAT' items")
            }
        }
        if !context.errors.isEmpty { throw PipelineErrors(context.errors) }
        return PipelinePlan(name: name, file: file, inputs: inputs, outputDirectory: output, stages: stages, writers: writers)
    }

    // MARK: Stages and writers

    private func makeStage(_ node: Node, produced: inout Set<Layer>, _ context: inout LoadContext) -> PipelinePlan.PlannedStage? {
        guard let item = node.mapping, let useNode = item["use"], let id = useNode.string else {
            context.report(at: node, "each stage is a mapping with 'use: STAGE' (and optionally 'with: {options}')")
            return nil
        }
        checkKeys(item, allowed: ["use", "with"], &context)
        guard let entry = registry.stages[StageID(rawValue: id)] else {
            context.report(at: useNode, "unknown stage '\(id)'\(Suggestion.hint(for: id, in: registry.stageIDs.map(\.rawValue)))")
            return nil
        }
        let missing = entry.info.requires.subtracting(produced).sorted()
        for layer in missing {
            let makers = registry.stageIDs.filter { registry.stages[$0]!.info.produces.contains(layer) }.map(\.rawValue)
            let advice = makers.isEmpty ? "" : " (add \(makers.map { "'\($0)'" }.joined(separator: " or ")) before it)"
            context.report(at: useNode, "stage '\(id)' needs '\(layer)', which no earlier stage produces\(advice)")
        }
        produced.formUnion(entry.info.produces)
        guard let stage = make(entry, options: item["with"], owner: node, name: "stage '\(id)'", &context) else { return nil }
        return PipelinePlan.PlannedStage(id: entry.info.id, stage: stage)
    }

    private func makeWriter(_ node: Node, produced: Set<Layer>, _ context: inout LoadContext) -> PipelinePlan.PlannedWriter? {
        guard let item = node.mapping, let writeNode = item["write"], let name = writeNode.string else {
            context.report(at: node, "each output is a mapping with 'write: FORMAT' (and optionally 'with: {options}')")
            return nil
        }
        checkKeys(item, allowed: ["write", "with"], &context)
        guard let entry = registry.writers[StageID(rawValue: name)] else {
            context.report(at: writeNode, "unknown output format '\(name)'\(Suggestion.hint(for: name, in: registry.writerNames.map(\.rawValue)))")
            return nil
        }
        for layer in entry.info.requires.subtracting(produced).sorted() {
            context.report(at: writeNode, "output '\(name)' needs '\(layer)', which no stage in this pipeline produces")
        }
        guard let writer = make(entry, options: item["with"], owner: node, name: "output '\(name)'", &context) else { return nil }
        return PipelinePlan.PlannedWriter(name: entry.info.id, writer: writer, fileExtension: type(of: writer).fileExtension)
    }

    /// Checks option keys, then decodes and makes the component, mapping every failure to a position.
    private func make<Made>(_ entry: Registry.Entry<Made>, options: Node?, owner: Node, name: String, _ context: inout LoadContext) -> Made? {
        let fields = entry.info.options
        let optionsNode: Node = options ?? [:]
        guard let mapping = optionsNode.mapping else {
            context.report(at: optionsNode, "'with' for \(name) must be a mapping of options")
            return nil
        }
        var ok = true
        for (key, _) in mapping {
            let keyName = key.string ?? ""
            if !fields.contains(where: { $0.name == keyName }) {
                let known = fields.isEmpty ? " (it takes no options)" : Suggestion.hint(for: keyName, in: fields.map(\.name))
                context.report(at: key, "unknown option '\(keyName)' for \(name)\(known)")
                ok = false
            }
        }
        for field in fields where field.isRequired && mapping[field.name] == nil {
            context.report(at: options ?? owner, "\(name) needs option '\(field.name)' (\(field.type)): \(field.summary)")
            ok = false
        }
        guard ok else { return nil }
        do {
            let capture = try context.optionsDecoder.decode(DecoderCapture.self, from: optionsNode)
            return try entry.make(capture.decoder)
        } catch let error as OptionError {
            context.report(at: mapping[error.option] ?? options ?? owner, "\(name): option '\(error.option)' \(error.message)")
        } catch let error as DecodingError {
            let (path, message) = describe(error)
            let at = path.first.flatMap { mapping[$0] } ?? options ?? owner
            context.report(at: at, "\(name): \(message)")
        } catch {
            context.report(at: options ?? owner, "\(name): \(error)")
        }
        return nil
    }

    private func describe(_ error: DecodingError) -> ([String], String) {
        switch error {
        case .typeMismatch(let type, let c):
            let key = c.codingPath.map(\.stringValue)
            return (key, "option '\(key.joined(separator: "."))' must be \(typeName(type))")
        case .valueNotFound(let type, let c):
            let key = c.codingPath.map(\.stringValue)
            return (key, "option '\(key.joined(separator: "."))' must be \(typeName(type)), not empty")
        case .keyNotFound(let key, let c):
            return (c.codingPath.map(\.stringValue), "missing option '\(key.stringValue)'")
        case .dataCorrupted(let c):
            let key = c.codingPath.map(\.stringValue)
            return (key, "option '\(key.joined(separator: "."))': \(c.debugDescription)")
        @unknown default:
            return ([], "\(error)")
        }
    }

    private func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is String.Type: "a string"
        default: "\(type)"
        }
    }

    // MARK: Small decoders

    private func checkKeys(_ mapping: Node.Mapping, allowed: [String], _ context: inout LoadContext) {
        for (key, _) in mapping where !allowed.contains(key.string ?? "") {
            let name = key.string ?? ""
            context.report(at: key, "unknown key '\(name)'\(Suggestion.hint(for: name, in: allowed))")
        }
    }

    private func scalar(_ node: Node?, _ key: String, _ context: inout LoadContext) -> String? {
        guard let node else { return nil }
        guard let value = node.scalar?.string else {
            context.report(at: node, "'\(key)' must be a string")
            return nil
        }
        return value
    }

    private func stringList(_ node: Node?, _ key: String, _ context: inout LoadContext) -> [String] {
        guard let node else { return [] }
        if let single = node.scalar?.string { return [single] }
        guard let sequence = node.sequence else {
            context.report(at: node, "'\(key)' must be a list of paths")
            return []
        }
        return sequence.compactMap { item in
            guard let value = item.scalar?.string else {
                context.report(at: item, "each entry of '\(key)' must be a path or glob pattern")
                return nil
            }
            return value
        }
    }
}

/// Captures the `Decoder` Yams makes for a node so that a stage decodes its own options type.
struct DecoderCapture: Decodable {
    let decoder: any Decoder
    init(from decoder: any Decoder) throws { self.decoder = decoder }
}

/// Collects errors with positions while loading.
struct LoadContext {
    let file: String
    var errors: [PipelineError] = []
    /// One decoder for every stage's and writer's options: making a `YAMLDecoder` copies the
    /// process's whole environment into a dictionary (Yams's default encoding reads one variable
    /// of it): 11 of the 30 million instructions that loading the default pipeline took.
    let optionsDecoder = YAMLDecoder()

    func error(at node: Node?, _ message: String) -> PipelineError {
        let mark = node?.mark
        return PipelineError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message)
    }

    mutating func report(at node: Node?, _ message: String) { errors.append(error(at: node, message)) }

    func yamlError(_ error: YamlError) -> PipelineError {
        switch error {
        case .scanner(let c, let problem, let mark, _), .parser(let c, let problem, let mark, _), .composer(let c, let problem, let mark, _):
            let detail = c.map { " (\($0.text))" } ?? ""
            return PipelineError(file: file, line: mark.line, column: mark.column, message: "invalid YAML: \(problem)\(detail)")
        case .duplicatedKeysInMapping(let duplicates, let c):
            return PipelineError(file: file, line: c.mark.line, column: c.mark.column, message: "duplicate keys: \(duplicates.joined(separator: ", "))")
        default:
            return PipelineError(file: file, line: 1, column: 1, message: "invalid YAML: \(error)")
        }
    }
}
