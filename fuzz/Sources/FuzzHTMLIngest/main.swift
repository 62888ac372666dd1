// HTML ingest: charset sniffing, decoding, libxml2 parsing (recovery on), blocks in reading
// order, marks, footnotes, boilerplate removal, and the writers, with the document
// invariants checked. The first byte picks the boilerplate policy.
import BitextCore
import BitextIngest
import BitextOutput
import FuzzSupport

let jsonWriter = try! JSONDocumentWriter(options: .init(includeText: true))
let xmlWriter = try! XMLDocumentWriter(options: NoOptions())

@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let all = bytes(data, size)
    let policy: BoilerplatePolicy = (all.first ?? 0) & 1 == 0 ? .remove : .keep
    let input = InputFile(path: "fuzz.html")
    guard let document = try? HTMLIngest.document(from: Array(all.dropFirst()), file: input, options: HTMLIngestOptions(boilerplate: policy, maxBytes: 1 << 20)) else {
        return 0
    }
    checkDocument(document)
    var unit = WorkUnit(id: "fuzz", inputs: [input])
    unit.documents = [document]
    checkJSON(jsonWriter.render(unit), "json")
    _ = xmlWriter.render(unit)
    return 0
}

runFuzzer(testOneInput)
