import BitextCore
import Testing

@testable import BitextOutput

@Suite struct MosesWriterTests {
    @Test func writesTwoLineAlignedFiles() throws {
        let unit = bilingualUnit(
            english: ["One line\nwrapped.", "Dropped.", "Three."], spanish: ["Una línea\nplegada.", "Tres."],
            links: [
                AlignmentLink(english: [0], spanish: [0], score: 0.9), AlignmentLink(english: [1], spanish: [], score: 0.8),
                AlignmentLink(english: [2], spanish: [1], score: 0.9),
            ])
        let files = try MosesWriter(options: BilingualWriterOptions(segmentType: .paragraph)).write(unit, baseName: "out/pair")
        #expect(files.map(\.relativePath) == ["out/pair.en", "out/pair.es"])
        let english = String(decoding: files[0].contents, as: UTF8.self)
        let spanish = String(decoding: files[1].contents, as: UTF8.self)
        #expect(english == "One line wrapped.\nThree.\n")
        #expect(spanish == "Una línea plegada.\nTres.\n")
        #expect(!MosesWriter.writesToStandardOutput)
    }

    @Test func unpairedUnitsGiveEmptyFiles() throws {
        let files = try MosesWriter(options: .init()).write(WorkUnit(id: "x", inputs: []), baseName: "x")
        #expect(files.allSatisfy { $0.contents.isEmpty })
    }
}
