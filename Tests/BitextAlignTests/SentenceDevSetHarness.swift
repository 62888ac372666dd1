import BitextCore
import Foundation
import Testing

@testable import BitextAlign

/// Runs the stages `segment.sentences` and `align.sentences` over the sentence development set
/// built by `scripts/align/build_sentence_devset.py` and writes, for every pseudo-paragraph, the
/// sentences found (UTF-8 byte ranges) and the sentence links, for
/// `scripts/align/evaluate_sentences.py`. Each catalog is one document pair whose paragraph
/// links are the gold 1-1 links, so only the sentence level is measured.
/// Enabled only when BITEXT_SENTENCE_DEVSET names the data folder (it is not committed):
///   BITEXT_SENTENCE_DEVSET=.data/align/sentences swift test --skip-build --filter SentenceDevSetHarness
/// Two runs per set file: `segmenter` (bitext's sentences) and `units` (the gold units given as
/// the sentences, which measures the aligner alone).
@Suite struct SentenceDevSetHarness {
    static let input = ProcessInfo.processInfo.environment["BITEXT_SENTENCE_DEVSET"]

    struct Paragraph: Codable {
        var id: String
        var en: String
        var es: String
        var en_units: [[Int]]
        var es_units: [[Int]]
    }
    struct Catalog: Codable {
        var catalog: String
        var paragraphs: [Paragraph]
    }
    struct Prediction: Codable {
        var id: String
        var en_sentences: [[Int]]
        var es_sentences: [[Int]]
        var links: [[[Int]]]
        var scores: [Double]
    }

    @Test(.enabled(if: input != nil, "set BITEXT_SENTENCE_DEVSET to run the sentence development-set harness"))
    func alignSentenceDevelopmentSet() throws {
        let folder = URL(fileURLWithPath: Self.input!)
        let output = folder.appendingPathComponent("pred")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".json") && ($0.hasPrefix("dev.") || $0.hasPrefix("held.")) }.sorted()
        #expect(!files.isEmpty)
        for file in files {
            let catalogs = try JSONDecoder().decode([Catalog].self, from: Data(contentsOf: folder.appendingPathComponent(file)))
            for mode in ["segmenter", "units"] {
                var predictions: [Prediction] = []
                for catalog in catalogs {
                    predictions += try align(catalog, givenUnits: mode == "units")
                }
                let name = file.replacingOccurrences(of: ".json", with: ".\(mode).json")
                try JSONEncoder().encode(predictions).write(to: output.appendingPathComponent(name))
            }
        }
    }

    /// One catalog as a document pair: every pseudo-paragraph a block, linked 1-1 to its translation.
    func align(_ catalog: Catalog, givenUnits: Bool) throws -> [Prediction] {
        let count = catalog.paragraphs.count
        var unit = pairedUnit(paragraphs: catalog.paragraphs.map(\.en) + catalog.paragraphs.map(\.es), englishCount: count)
        unit.alignment = (0..<count).map { AlignmentLink(english: [$0], spanish: [$0], score: 1) }
        let blocks = unit.documents[0].blocks
        if givenUnits {
            var sentences: [Sentence] = []
            for (p, paragraph) in catalog.paragraphs.enumerated() {
                for r in paragraph.en_units { sentences.append(Sentence(block: p, range: TextRange(blocks[p].range.start + r[0], blocks[p].range.start + r[1]))) }
            }
            for (p, paragraph) in catalog.paragraphs.enumerated() {
                let b = count + p
                for r in paragraph.es_units { sentences.append(Sentence(block: b, range: TextRange(blocks[b].range.start + r[0], blocks[b].range.start + r[1]))) }
            }
            unit.documents[0].sentences = sentences
        } else {
            try SegmentSentences().process(&unit, context: StageContext())
        }
        try AlignSentences().process(&unit, context: StageContext())
        let sentences = unit.documents[0].sentences
        let english = unit.sentences(of: .english)
        let spanish = unit.sentences(of: .spanish)
        // Every paragraph's sentences, as byte ranges inside the paragraph, and the index of its first one.
        var enRanges = [[[Int]]](repeating: [], count: count)
        var esRanges = [[[Int]]](repeating: [], count: count)
        var enFirst = [Int](repeating: 0, count: count)
        var esFirst = [Int](repeating: 0, count: count)
        for (k, s) in english.enumerated() {
            let b = sentences[s].block
            if enRanges[b].isEmpty { enFirst[b] = k }
            enRanges[b].append([sentences[s].range.start - blocks[b].range.start, sentences[s].range.end - blocks[b].range.start])
        }
        for (k, s) in spanish.enumerated() {
            let b = sentences[s].block - count
            if esRanges[b].isEmpty { esFirst[b] = k }
            esRanges[b].append([sentences[s].range.start - blocks[b + count].range.start, sentences[s].range.end - blocks[b + count].range.start])
        }
        var links = [[[[Int]]]](repeating: [], count: count)
        var scores = [[Double]](repeating: [], count: count)
        for link in unit.sentenceAlignment ?? [] {
            let p = link.paragraphLink
            links[p].append([link.english.map { $0 - enFirst[p] }, link.spanish.map { $0 - esFirst[p] }])
            scores[p].append(link.score)
        }
        return catalog.paragraphs.enumerated().map { p, paragraph in
            // Every sentence of the paragraph lies in exactly one link, in order.
            #expect(links[p].flatMap { $0[0] } == Array(enRanges[p].indices))
            #expect(links[p].flatMap { $0[1] } == Array(esRanges[p].indices))
            return Prediction(id: paragraph.id, en_sentences: enRanges[p], es_sentences: esRanges[p], links: links[p], scores: scores[p])
        }
    }
}
