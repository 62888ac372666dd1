import BitextCore
import Foundation
import Testing

@testable import BitextAlign

/// Runs the aligner over the development set built by `scripts/align/build_devset.py` and
/// writes predicted links with their features for `scripts/align/evaluate.py`.
/// Enabled only when BITEXT_ALIGN_DEVSET names the data folder (it is not committed):
///   BITEXT_ALIGN_DEVSET=.data/align/devset BITEXT_ALIGN_PREDICTIONS=.data/align/pred \
///   swift test --skip-build --filter DevSetHarness
/// BITEXT_ALIGN_PARAMS may hold JSON overrides of the cost parameters (for tuning).
@Suite struct DevSetHarness {
    static let input = ProcessInfo.processInfo.environment["BITEXT_ALIGN_DEVSET"]

    struct Block: Decodable {
        var text: String
        var kind: String
        /// Facts bitext's HTML ingest records on blocks, read by build_devset.py from each
        /// side's own HTML: table/row/column/header of cells, heading level, list depth and marker.
        var structure: Structure?
    }
    struct Structure: Decodable {
        var column: Int?
        var level: Int?
        var marker: String?
    }
    struct Item: Decodable {
        var id: String
        var en: [Block]
        var es: [Block]
    }
    struct Overrides: Decodable {
        var skipCost: Double?
        var contentWeight: Double?
        var lengthWeight: Double?
        var kindMismatchCost: Double?
        var manyCost: Double?
        var bigCost: Double?
        var bandHalfWidth: Int?
        var fullSearchCells: Int?
        var neutralCoverage: Double?
        var normalizeCoverage: Bool?
        var learnLexicon: Bool?
        var mergeShortfallCost: Double?
        var mergeShortfallFloor: Double?
        var lengthRatio: Double?
        var lengthVariance: Double?
        var columnMismatchCost: Double?
        var levelMismatchCost: Double?
        /// false: ignore the blocks' structure and list markers (ablation).
        var useStructure: Bool?
        var repairSimilarity: Double?
        var repair: Bool?
        var replaceMargin: Double?
    }
    struct Prediction: Encodable {
        var en: [Int]
        var es: [Int]
        var score: Double
        var flags: [String]
        var features: [Double]
        var shape: String
        var explanation: [String: String]?
    }

    @Test(.enabled(if: input != nil, "set BITEXT_ALIGN_DEVSET to run the development-set harness"))
    func alignDevelopmentSet() throws {
        let environment = ProcessInfo.processInfo.environment
        let inputURL = URL(fileURLWithPath: Self.input!)
        let outputURL = URL(fileURLWithPath: environment["BITEXT_ALIGN_PREDICTIONS"] ?? (Self.input! + "/../pred"))
        try FileManager.default.createDirectory(at: outputURL, withIntermediateDirectories: true)
        var parameters = AlignmentParameters.standard
        var useStructure = true
        if let json = environment["BITEXT_ALIGN_PARAMS"] {
            let o = try JSONDecoder().decode(Overrides.self, from: Data(json.utf8))
            if let v = o.skipCost { parameters.skipCost = v }
            if let v = o.contentWeight { parameters.contentWeight = v }
            if let v = o.lengthWeight { parameters.lengthWeight = v }
            if let v = o.kindMismatchCost { parameters.kindMismatchCost = v }
            if let v = o.bandHalfWidth { parameters.bandHalfWidth = v }
            if let v = o.fullSearchCells { parameters.fullSearchCells = v }
            if let v = o.neutralCoverage { parameters.neutralCoverage = v }
            if let v = o.normalizeCoverage { parameters.normalizeCoverage = v }
            if let v = o.learnLexicon { parameters.learnLexicon = v }
            if let v = o.mergeShortfallCost { parameters.mergeShortfallCost = v }
            if let v = o.mergeShortfallFloor { parameters.mergeShortfallFloor = v }
            if let v = o.lengthRatio { parameters.lengthRatio = v }
            if let v = o.lengthVariance { parameters.lengthVariance = v }
            if let v = o.columnMismatchCost { parameters.structure.columnMismatchCost = v }
            if let v = o.levelMismatchCost { parameters.structure.levelMismatchCost = v }
            if let v = o.useStructure { useStructure = v }
            if let v = o.repairSimilarity { parameters.repair.minimumSimilarity = v }
            if let v = o.repair { parameters.repair.enabled = v }
            if let v = o.replaceMargin { parameters.repair.replaceMargin = v }
            for shape in LinkShape.all where !shape.isOmission && shape != LinkShape(english: 1, spanish: 1) {
                let big = shape.english + shape.spanish > 3
                if big, let v = o.bigCost { parameters.shapeCost[shape] = v }
                if !big, let v = o.manyCost { parameters.shapeCost[shape] = v }
            }
        }
        let filter = environment["BITEXT_ALIGN_ONLY"].flatMap { $0.isEmpty ? nil : $0 }
        let aligner = BitextAligner(parameters: parameters)
        let files = try FileManager.default.contentsOfDirectory(atPath: inputURL.path).filter { $0.hasSuffix(".json") }.sorted()
        for file in files where filter.map({ file.contains($0) }) ?? true {
            let item = try JSONDecoder().decode(Item.self, from: Data(contentsOf: inputURL.appendingPathComponent(file)))
            var english = view(item.en, language: .english, aligner: aligner, useStructure: useStructure)
            var spanish = view(item.es, language: .spanish, aligner: aligner, useStructure: useStructure)
            let started = ContinuousClock.now
            let raw = aligner.alignRaw(english: &english, spanish: &spanish).links
            let elapsed = ContinuousClock.now - started
            if environment["BITEXT_ALIGN_TIMING"] != nil { print("timing \(file) \(item.en.count)x\(item.es.count) \(elapsed)") }
            var predictions: [Prediction] = []
            for r in raw {
                let link = aligner.link(r, english: english, spanish: spanish, explain: true)
                let length = (english.features[r.english] + spanish.features[r.spanish]).reduce(0) { $0 + $1.length }
                predictions.append(Prediction(
                    en: link.english, es: link.spanish, score: link.score, flags: link.flags,
                    features: LinkScorer.features(r.terms, length: length), shape: "\(r.terms.shape.english)-\(r.terms.shape.spanish)", explanation: link.explanation))
            }
            // Every block appears in exactly one link, in order.
            #expect(predictions.flatMap(\.en) == Array(0..<item.en.count))
            #expect(predictions.flatMap(\.es) == Array(0..<item.es.count))
            let encoder = JSONEncoder()
            try encoder.encode(predictions).write(to: outputURL.appendingPathComponent(file))
        }
    }

    /// The side as `BitextAligner.view(of:in:as:)` builds it from ingested blocks: text, kind,
    /// list marker (an anchor) and structure.
    func view(_ blocks: [Block], language: LanguageKind, aligner: BitextAligner, useStructure: Bool) -> BitextAligner.SideView {
        let texts = blocks.map { Substring($0.text) }
        let kinds = blocks.map { BlockKind(rawValue: $0.kind) ?? .paragraph }
        let structures = zip(blocks, kinds).map { block, kind -> UnitStructure in
            guard useStructure, let s = block.structure else { return UnitStructure() }
            return kind == .heading
                ? UnitStructure(column: s.column, headingLevel: s.level, listDepth: nil)
                : UnitStructure(column: s.column, headingLevel: nil, listDepth: s.level)
        }
        return BitextAligner.SideView(
            texts: texts, kinds: kinds, languages: blocks.map { _ in nil },
            features: zip(texts, blocks).map { text, block in
                aligner.extractor.features(of: text, language: language, marker: useStructure ? block.structure?.marker : nil)
            },
            structures: structures)
    }
}
