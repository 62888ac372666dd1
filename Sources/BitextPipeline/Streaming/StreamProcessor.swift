import BitextCore
#if canImport(Glibc)
import Glibc
#endif
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

    /// `faultInjection`: a deliberate crash or hang, for testing crash isolation.
    public init(plan: PipelinePlan, explain: Bool = false, faultInjection: FaultInjection? = nil) throws {
        var runner = BatchRunner(plan: plan)
        runner.faultInjection = faultInjection
        self.runner = runner
        context = StageContext(explain: explain)
        var options = plan.writers.lazy.compactMap { $0.writer as? JSONDocumentWriter }.first?.options ?? JSONDocumentWriter.Options()
        options.pretty = false
        json = try JSONDocumentWriter(options: options)
    }

    /// Processes one line (`lineNumber` is 1-based, for records that cannot name themselves).
    public func process(line: String, lineNumber: Int) -> Output {
        process(lines: [(line, lineNumber)])[0]
    }

    /// Processes lines together, the stages run over all of them one stage at a time (as
    /// `bitext run` runs a group of units, and with its gain: the stages' tables stay in the
    /// caches); one output per line, in order. A record that fails does not stop the others.
    ///
    /// `journal` (a supervised stream, `StreamSupervisor`): the lines are journaled as in flight
    /// by their line numbers until their outputs are made, and, for a single line, each stage
    /// it enters — the units carry their line numbers as ids meanwhile (the stages never read
    /// them), their records' ids again for rendering.
    public func process(lines: [(text: String, number: Int)], journal: UnitJournal? = nil) -> [Output] {
        journal?.started(lines.lazy.map { String($0.number) })
        defer { journal?.finished(lines.lazy.map { String($0.number) }) }
        let stageJournal = lines.count == 1 ? journal : nil
        var outputs = [Output?](repeating: nil, count: lines.count)
        var records: [(index: Int, record: StreamRecord)] = []
        var units: [WorkUnit] = []
        records.reserveCapacity(lines.count)
        units.reserveCapacity(lines.count)
        for (index, line) in lines.enumerated() {
            switch StreamRecord.parse(line.text, lineNumber: line.number) {
            case .success(let record):
                records.append((index, record))
                units.append(WorkUnit(id: record.id.text, inputs: plannedInputs(record)))
            case .failure(let error):
                outputs[index] = Self.errorLine(id: error.id, message: error.message, file: "<stdin>", stage: "stream", line: line.number)
            }
        }
        // Each group rendered before the next runs: only one group's documents are held at once.
        for range in Self.groups(inputBytes: units.map { $0.inputs.reduce(0) { $0 + Self.size(of: $1) } }) {
            var group = Array(units[range])
            for k in range { units[k] = WorkUnit(id: "", inputs: []) }  // the group holds the only copy
            if journal != nil {
                for (unit, k) in zip(group.indices, range) { group[unit].id = String(lines[records[k].index].number) }
            }
            let failures = runner.process(&group, context: context, journal: stageJournal)
            for (unit, k) in zip(group.indices, range) {
                let (index, record) = records[k]
                switch failures[unit] {
                case nil:
                    stageJournal?.entering(stage: "write", of: group[unit].id)
                    group[unit].id = record.id.text
                    var bytes = json.render(group[unit])
                    bytes.append(0x0A)
                    outputs[index] = Output(line: bytes, failed: false)
                case let error as InputError:
                    let d = error.diagnostic
                    outputs[index] = Self.errorLine(
                        id: record.id, message: d.message, file: d.file, stage: d.stage, line: d.position?.line, column: d.position?.column,
                        byte: d.byteOffset)
                case let error?:
                    outputs[index] = Self.errorLine(id: record.id, message: "\(error)", file: record.inputs.map(\.path).joined(separator: " + "))
                }
                group[unit] = WorkUnit(id: "", inputs: [])  // rendered: its documents are not needed any more
            }
        }
        return outputs.map { $0! }
    }

    /// Consecutive units run as one group, from each unit's input bytes: as in `bitext run`, a
    /// group closes once its inputs reach `limit` (its units are all in memory at once, and
    /// large documents gain nothing from company).
    static func groups(inputBytes: [Int], limit: Int = BatchRunner.groupInputBytes) -> [Range<Int>] {
        var groups: [Range<Int>] = []
        var start = 0
        var bytes = 0
        for (k, size) in inputBytes.enumerated() {
            bytes += size
            if bytes >= limit || k == inputBytes.count - 1 {
                groups.append(start..<k + 1)
                (start, bytes) = (k + 1, 0)
            }
        }
        return groups
    }

    /// An input's bytes: in the record, or the file's size (0 when it cannot be read: ingest says why).
    static func size(of input: InputFile) -> Int {
        if let contents = input.contents { return contents.count }
        if let text = input.text { return text.utf8.count }
        var info = stat()
        return input.path.withCString { stat($0, &info) } == 0 ? Int(info.st_size) : 0
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
