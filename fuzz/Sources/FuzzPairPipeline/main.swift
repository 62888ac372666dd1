// A pair of documents through the whole EN/ES pipeline, as the batch runner runs one unit:
// ingest, paragraphs, language identification, pairing, sentences, paragraph and sentence
// alignment, entities and their links, then every writer of pipelines/all-outputs.yaml.
// The first byte's low bit picks the pipeline as written or one that aligns in windows of
// 100 paragraphs (the smallest window) above 100, so that inputs within libFuzzer's length
// reach the windowed paths that long documents take; its next bit puts both texts in one file
// (pair.documents then looks for a text followed by its translation inside it). The rest is
// the English text, a 0xFF byte (never in UTF-8), and the Spanish text.
import BitextCore
import BitextPipeline
import Foundation
import FuzzSupport

/// pipelines/all-outputs.yaml, read from the repository this harness is built in.
let pipelineText = try! String(
    contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../pipelines/all-outputs.yaml"),
    encoding: .utf8)

/// The same pipeline with `align.paragraphs` windowed from the smallest window and side up.
let windowedText = pipelineText.split(separator: "\n", omittingEmptySubsequences: false).map { line in
    line.contains("use: align.paragraphs") ? "  - use: align.paragraphs\n    with:\n      window: 100\n      window_above: 100" : String(line)
}.joined(separator: "\n")

let runners = [pipelineText, windowedText].map { BatchRunner(plan: try! PipelineLoader().load(yaml: $0), pipelineText: $0) }

@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = bytes(data, size)
    guard let flags = input.first else { return 0 }
    let texts = input.dropFirst().split(separator: 0xFF, maxSplits: 1, omittingEmptySubsequences: false)
    let english = Array(texts[0])
    let spanish = texts.count > 1 ? Array(texts[1]) : []
    let runner = runners[Int(flags & 1)]
    let inputs = flags & 2 == 0 ? [
        InputFile(path: "fuzz.en.txt", relativePath: "fuzz.en.txt", contents: english),
        InputFile(path: "fuzz.es.txt", relativePath: "fuzz.es.txt", contents: spanish),
    ] : [InputFile(path: "fuzz.txt", relativePath: "fuzz.txt", contents: english + Array("\n\n".utf8) + spanish)]
    for var unit in runner.units(for: inputs).units {
        // An input error (an empty or undecodable side) fails this unit only; a trap fails the batch.
        guard (try? runner.process(&unit, context: StageContext())) != nil else { continue }
        for document in unit.documents { checkDocument(document) }
        if unit.isPaired, let english = unit.sides[.english], let spanish = unit.sides[.spanish] {
            guard let links = unit.alignment else {
                require(["a paired unit has no alignment"], "alignment")
                continue
            }
            require(Invariants.alignmentProblems(links, englishCount: english.blocks.count, spanishCount: spanish.blocks.count), "alignment")
        }
        guard let files = try? runner.render(unit) else { continue }
        for file in files {
            if file.relativePath.hasSuffix(".json") { checkJSON(file.contents, file.relativePath) }
            if file.relativePath.hasSuffix(".jsonl") || file.relativePath.hasSuffix(".ndjson") {
                for line in file.contents.split(separator: 0x0A) { checkJSON(Array(line), file.relativePath) }
            }
        }
    }
    return 0
}

runFuzzer(testOneInput)
