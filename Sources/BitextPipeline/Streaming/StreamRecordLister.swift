import BitextCore
import BitextOutput

/// Writes the records `bitext stream` takes for a batch of files, grouped and named exactly as
/// `bitext run` would (the pipeline's planning stage pairs them; `UnitNaming` names them), so
/// that a cluster job fed these records produces what one `bitext run` produces.
public enum StreamRecordLister {
    /// One NDJSON line (with its line feed) per unit, in unit-name order.
    public static func lines(for files: [InputFile], runner: BatchRunner, shard: Shard? = nil) -> (lines: [String], notes: [Diagnostic]) {
        var (units, notes) = runner.units(for: files)
        if let shard { units = units.filter { shard.contains($0.id) } }
        var lines: [String] = []
        for unit in units.sorted(by: { $0.id < $1.id }) {
            var json = JSONWriter(pretty: false, capacity: 256)
            json.beginObject()
            json.value("id", unit.id)
            switch unit.inputs.count {
            case 1:
                json.value("path", unit.inputs[0].path)
            case 2:
                let english = unit.inputs.first { $0.languageHint == .english } ?? unit.inputs[0]
                let spanish = unit.inputs.first { $0.path != english.path } ?? unit.inputs[1]
                json.value("en", english.path)
                json.value("es", spanish.path)
            default:
                notes.append(Diagnostic(.error, file: unit.inputs.map(\.path).joined(separator: " + "), stage: "stream", message: "a record holds one file or an English/Spanish pair; this unit has \(unit.inputs.count) files"))
                continue
            }
            json.endObject()
            lines.append(String(decoding: json.bytes, as: UTF8.self) + "\n")
        }
        return (lines, notes)
    }
}
