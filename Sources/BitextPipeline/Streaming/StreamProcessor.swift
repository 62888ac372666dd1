import BitextCore
import BitextOutput

/// Turns one input line into one output line: the unit's JSON document on one line, or an
/// error record `{"id": …, "error": {"message": …, "file": …, "stage": …, "line": …}}`.
/// Pure and `Sendable`: many lines are processed at once.
public struct StreamProcessor: Sendable {
    public let runner: BatchRunner
    public let context: StageContext
    /// The pipeline's own `json` writer (its options kept), made compact; the default one when
    /// the pipeline has none.
    let json: JSONDocumentWriter

    public struct Output: Sendable, Equatable {
        /// One line of JSON, ending with a line feed.
        public var line: [UInt8]
        public var failed: Bool
    }

    public init(plan: PipelinePlan, explain: Bool = false) throws {
        runner = BatchRunner(plan: plan)
        context = StageContext(explain: explain)
        var options = plan.writers.lazy.compactMap { $0.writer as? JSONDocumentWriter }.first?.options ?? JSONDocumentWriter.Options()
        options.pretty = false
        json = try JSONDocumentWriter(options: options)
    }

    /// Processes one line (`lineNumber` is 1-based, for records that cannot name themselves).
    public func process(line: String, lineNumber: Int) -> Output {
        let record: StreamRecord
        switch StreamRecord.parse(line, lineNumber: lineNumber) {
        case .success(let parsed): record = parsed
        case .failure(let error):
            return Self.errorLine(id: error.id, message: error.message, file: "<stdin>", stage: "stream", line: lineNumber)
        }
        var unit = WorkUnit(id: record.id.text, inputs: plannedInputs(record))
        do {
            try runner.process(&unit, context: context)
            var bytes = json.render(unit)
            bytes.append(0x0A)
            return Output(line: bytes, failed: false)
        } catch let error as InputError {
            let d = error.diagnostic
            return Self.errorLine(id: record.id, message: d.message, file: d.file, stage: d.stage, line: d.position?.line, column: d.position?.column, byte: d.byteOffset)
        } catch {
            return Self.errorLine(id: record.id, message: "\(error)", file: record.inputs.map(\.path).joined(separator: " + "))
        }
    }

    /// The record's files as the pipeline's planning stage (`pair.documents`) would hand them
    /// to the stages in `bitext run`, so that a record gives the same result as the batch.
    func plannedInputs(_ record: StreamRecord) -> [InputFile] {
        guard let planner = runner.plan.stages.lazy.compactMap(\.planner).first else { return record.inputs }
        let planned = planner.plan(record.inputs).units
        // A pair the planner does not recognise by name is still a pair: the record says so.
        guard planned.count == 1, let unit = planned.first, Set(unit.map(\.path)) == Set(record.inputs.map(\.path)) else {
            return record.inputs
        }
        // Keep the in-memory bytes of inline records whatever the planner rebuilt.
        let contents = Dictionary(record.inputs.map { ($0.path, $0.contents) }, uniquingKeysWith: { a, _ in a })
        return unit.map { input in
            var input = input
            if input.contents == nil { input.contents = contents[input.path] ?? nil }
            return input
        }
    }

    /// `{"id": …, "error": {"message": …, "file": …, "stage": …, "line": …, "column": …, "byte": …}}`
    static func errorLine(
        id: RecordID, message: String, file: String, stage: String? = nil, line: Int? = nil, column: Int? = nil, byte: Int? = nil
    ) -> Output {
        var json = JSONWriter(pretty: false, capacity: 256)
        json.beginObject()
        switch id {
        case .string(let text): json.value("id", text)
        case .number(let number): json.value("id", number)
        }
        json.beginObject("error")
        json.value("message", message)
        json.value("file", file)
        json.optional("stage", stage)
        json.optional("line", line)
        json.optional("column", column)
        json.optional("byte", byte)
        json.endObject()
        json.endObject()
        var bytes = json.bytes
        bytes.append(0x0A)
        return Output(line: bytes, failed: true)
    }
}
