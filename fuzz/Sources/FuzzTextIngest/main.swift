// Plain-text ingest: decoding (BOMs, UTF-16, Windows-1252, mixed, controls, NFC), paragraph
// segmentation, and the JSON and XML writers, with the document invariants checked.
import BitextCore
import BitextIngest
import BitextOutput
import FuzzSupport

let jsonWriter = try! JSONDocumentWriter(options: .init(includeText: true))
let xmlWriter = try! XMLDocumentWriter(options: NoOptions())

@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = InputFile(path: "fuzz.txt")
    guard var document = try? PlainTextIngest.document(from: bytes(data, size), file: input) else { return 0 }
    PlainTextSegmenter().segment(&document)
    checkDocument(document)
    var unit = WorkUnit(id: "fuzz", inputs: [input])
    unit.documents = [document]
    checkJSON(jsonWriter.render(unit), "json")
    _ = xmlWriter.render(unit)
    return 0
}

runFuzzer(testOneInput)
