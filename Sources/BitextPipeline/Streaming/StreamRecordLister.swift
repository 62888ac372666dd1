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
            // Paths under the directory they were found in, so that `bitext stream` gives the
            // pairing stage the same relative paths as `bitext run` does.
            let roots = Set(unit.inputs.map(root))
            let root = roots.count == 1 ? roots.first! : nil
            if let root { json.value("root", root) }
            func path(_ input: InputFile) -> String { root == nil ? input.path : input.relativePath }
            switch unit.inputs.count {
            case 1:
                json.value("path", path(unit.inputs[0]))
            case 2:
                let english = unit.inputs.first { $0.languageHint == .english } ?? unit.inputs[0]
                let spanish = unit.inputs.first { $0.path != english.path } ?? unit.inputs[1]
                json.value("en", path(english))
                json.value("es", path(spanish))
            default:
                notes.append(Diagnostic(.error, file: unit.inputs.map(\.path).joined(separator: " + "), stage: "stream", message: "a record holds one file or an English/Spanish pair; this unit has \(unit.inputs.count) files"))
                continue
            }
            json.endObject()
            lines.append(String(decoding: json.bytes, as: UTF8.self) + "\n")
        }
        return (lines, notes)
    }

    /// The directory a discovered file was found under: its path minus its relative path (nil
    /// when they are the same: a file in the current directory).
    static func root(_ input: InputFile) -> String? {
        guard input.path.count > input.relativePath.count + 1, input.path.hasSuffix("/" + input.relativePath) else { return nil }
        return String(input.path.dropLast(input.relativePath.count + 1))
    }
}
