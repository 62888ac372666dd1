import BitextCore
import Foundation

@testable import BitextIngest

/// The repository root, found from this file's path.
let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    fatalError("Package.swift not found above \(#filePath)")
}()

func sampleURL(_ name: String) -> URL { repositoryRoot.appendingPathComponent("samples").appendingPathComponent(name) }

/// Reads and segments a sample the way the pipeline does.
func segmentedSample(_ name: String) throws -> Document {
    let url = sampleURL(name)
    var document = try PlainTextIngest.document(from: Array(try Data(contentsOf: url)), file: InputFile(path: url.path))
    PlainTextSegmenter().segment(&document)
    return document
}

/// Segments a string.
func segmented(_ text: String) throws -> Document {
    var document = try PlainTextIngest.document(from: Array(text.utf8), file: InputFile(path: "inline.txt"))
    PlainTextSegmenter().segment(&document)
    return document
}
