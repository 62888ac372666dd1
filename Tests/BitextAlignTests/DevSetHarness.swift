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
        /// Gold links as [[english indices], [spanish indices]].
        var gold: [[[Int]]]?
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
        var guideSlack: Int?
        var refineHalfWidth: Int?
        var certainRefineHalfWidth: Int?
        var certainMargin: Int?
        var certainSimilarity: Double?
        var refineFullSearchCells: Int?
        var neutralCoverage: Double?
        var normalizeCoverage: Bool?
        var learnLexicon: Bool?
        var mergeShortfallCost: Double?
        var mergeShortfallFloor: Double?
        var lengthRatio: Double?
        var lengthVariance: Double?
        var columnMismatchCost: Double?
        var levelMismatchCost: Double?
        var mergeKindCost: Double?
        /// false: ignore the blocks' structure and list markers (ablation).
        var useStructure: Bool?
        var repairSimilarity: Double?
        var repair: Bool?
        var replaceMargin: Double?
        var diagonalContainment: Double?
        var diagonalMargin: Double?
        var splitIdentical: Bool?
        var absorbedEvidence: Double?
        var edgeFactor: Double?
        var edgeSlack: Int?
        var keepKinds: Bool?
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
            if let v = o.guideSlack { parameters.guideSlack = v }
            if let v = o.refineHalfWidth { parameters.refineHalfWidth = v }
            if let v = o.certainRefineHalfWidth { parameters.certainRefineHalfWidth = v }
            if let v = o.certainMargin { parameters.certainMargin = v }
            if let v = o.certainSimilarity { parameters.certainSimilarity = v }
            if let v = o.refineFullSearchCells { parameters.refineFullSearchCells = v }
            if let v = o.neutralCoverage { parameters.neutralCoverage = v }
            if let v = o.normalizeCoverage { parameters.normalizeCoverage = v }
            if let v = o.learnLexicon { parameters.learnLexicon = v }
            if let v = o.mergeShortfallCost { parameters.mergeShortfallCost = v }
            if let v = o.mergeShortfallFloor { parameters.mergeShortfallFloor = v }
            if let v = o.lengthRatio { parameters.lengthRatio = v }
            if let v = o.lengthVariance { parameters.lengthVariance = v }
            if let v = o.columnMismatchCost { parameters.structure.columnMismatchCost = v }
            if let v = o.levelMismatchCost { parameters.structure.levelMismatchCost = v }
            if let v = o.mergeKindCost { parameters.structure.mergeKindCost = v }
            if let v = o.useStructure { useStructure = v }
            if let v = o.repairSimilarity { parameters.repair.minimumSimilarity = v }
            if let v = o.repair { parameters.repair.enabled = v }
            if let v = o.replaceMargin { parameters.repair.replaceMargin = v }
            if let v = o.diagonalContainment { parameters.repair.diagonalContainment = v }
            if let v = o.diagonalMargin { parameters.repair.diagonalMargin = v }
            if let v = o.splitIdentical { parameters.repair.splitIdentical = v }
            if let v = o.absorbedEvidence { parameters.repair.absorbedEvidence = v }
            if let v = o.edgeFactor { parameters.repair.edgeFactor = v }
            if let v = o.edgeSlack { parameters.repair.edgeSlack = v }
            if let v = o.keepKinds { parameters.repair.keepKinds = v }
            for shape in LinkShape.all where !shape.isOmission && shape != LinkShape(english: 1, spanish: 1) {
                let big = shape.english + shape.spanish > 3
                if big, let v = o.bigCost { parameters.shapeCost[shape] = v }
                if !big, let v = o.manyCost { parameters.shapeCost[shape] = v }
            }
        }
        let filter = environment["BITEXT_ALIGN_ONLY"].flatMap { $0.isEmpty ? nil : $0 }
        let aligner = BitextAligner(parameters: parameters)
        let files = try FileManager.default.contentsOfDirectory(atPath: inputURL.path).filter { $0.hasSuffix(".json") }.sorted()
        // BITEXT_ALIGN_ONLY: comma-separated parts of file names (`maint-guide,libreoffice-tune`).
        for file in files where filter.map({ $0.split(separator: ",").contains { file.contains($0) } }) ?? true {
            let item = try JSONDecoder().decode(Item.self, from: Data(contentsOf: inputURL.appendingPathComponent(file)))
            // BITEXT_ALIGN_WINDOW=N: aligned window by window (align.paragraphs `window`), links only.
            if let window = environment["BITEXT_ALIGN_WINDOW"].flatMap(Int.init) {
                func lengths(_ blocks: [Block]) -> [Int] { blocks.reduce(into: [0]) { $0.append($0.last! + $1.text.utf8.count) } }
                let links = aligner.alignParagraphs(
                    englishLengths: CumulativeLengths(lengths(item.en)), spanishLengths: CumulativeLengths(lengths(item.es)), windows: AlignmentWindows(paragraphs: window), explain: false
                ) { e, s in
                    (view(Array(item.en[e]), language: .english, aligner: aligner, useStructure: useStructure),
                     view(Array(item.es[s]), language: .spanish, aligner: aligner, useStructure: useStructure))
                }
                #expect(links.flatMap(\.english) == Array(0..<item.en.count))
                #expect(links.flatMap(\.spanish) == Array(0..<item.es.count))
                let predictions = links.map {
                    Prediction(en: $0.english.array, es: $0.spanish.array, score: $0.score, flags: $0.flags, features: [], shape: "\($0.english.count)-\($0.spanish.count)")
                }
                try JSONEncoder().encode(predictions).write(to: outputURL.appendingPathComponent(file))
                continue
            }
            let english = view(item.en, language: .english, aligner: aligner, useStructure: useStructure)
            let spanish = view(item.es, language: .spanish, aligner: aligner, useStructure: useStructure)
            let started = ContinuousClock.now
            let raw = aligner.alignRaw(english: english, spanish: spanish).links
            let elapsed = ContinuousClock.now - started
            if environment["BITEXT_ALIGN_TIMING"] != nil { print("timing \(file) \(item.en.count)x\(item.es.count) \(elapsed)") }
            var predictions: [Prediction] = []
            for r in raw {
                let link = aligner.link(r, english: english, spanish: spanish, explain: true)
                let length = (english.features[r.english] + spanish.features[r.spanish]).reduce(0) { $0 + $1.length }
                predictions.append(Prediction(
                    en: link.english.array, es: link.spanish.array, score: link.score, flags: link.flags,
                    features: LinkScorer.features(r.terms, length: length), shape: "\(r.terms.shape.english)-\(r.terms.shape.spanish)", explanation: link.explanation))
            }
            if environment["BITEXT_ALIGN_COMPARE"] != nil, let gold = item.gold {
                compare(raw, gold: gold, file: file, english: english, spanish: spanish, parameters: parameters)
            }
            // Every block appears in exactly one link, in order.
            #expect(predictions.flatMap(\.en) == Array(0..<item.en.count))
            #expect(predictions.flatMap(\.es) == Array(0..<item.es.count))
            let encoder = JSONEncoder()
            try encoder.encode(predictions).write(to: outputURL.appendingPathComponent(file))
        }
    }

    /// Diagnostics (BITEXT_ALIGN_COMPARE=1): for every stretch where the predicted links differ
    /// from the gold, the search's cost of each path with its terms, to see which term chose.
    /// (The views hold no learned anchors: the costs are those of a search without them.)
    func compare(_ raw: [RawLink], gold: [[[Int]]], file: String, english: BitextAligner.SideView, spanish: BitextAligner.SideView, parameters: AlignmentParameters) {
        let aligner = Aligner(parameters: parameters)
        let table = AnchorTable(english: english.features, spanish: spanish.features, parameters: parameters)
        let search = aligner.prepare(english: english.units, spanish: spanish.units, table: table)
        func start(_ r: Range<Int>, _ indices: [Int]) -> Int { indices.first ?? r.lowerBound }
        let goldRanges: [(Range<Int>, Range<Int>)] = {
            var e = 0
            var s = 0
            return gold.map { g in
                let er = g[0].isEmpty ? e..<e : g[0].first!..<g[0].last! + 1
                let sr = g[1].isEmpty ? s..<s : g[1].first!..<g[1].last! + 1
                e = er.upperBound
                s = sr.upperBound
                return (er, sr)
            }
        }()
        let predicted = raw.map { ($0.english, $0.spanish) }
        func describe(_ l: (Range<Int>, Range<Int>)) -> String {
            let shape = LinkShape(english: l.0.count, spanish: l.1.count)
            guard LinkShape.all.contains(shape) else { return "\(l.0)-\(l.1) (no such shape)" }
            let t = aligner.linkTerms(shape: shape, enStart: l.0.lowerBound, esStart: l.1.lowerBound, en: search.en, es: search.es, table: table)
            return String(format: "[%d..<%d]-[%d..<%d] %.2f (len %.2f z %.1f content %.2f shape %.2f kind %.2f struct %.2f sim %.2f)",
                l.0.lowerBound, l.0.upperBound, l.1.lowerBound, l.1.upperBound, t.total, t.lengthCost, t.lengthZ, t.contentCost, t.shapeCost,
                t.kindCost, t.structureCost, t.similarity)
        }
        func total(_ links: ArraySlice<(Range<Int>, Range<Int>)>) -> Double {
            links.reduce(0) { sum, l in
                let shape = LinkShape(english: l.0.count, spanish: l.1.count)
                guard LinkShape.all.contains(shape) else { return sum + .infinity }
                return sum + aligner.linkTerms(shape: shape, enStart: l.0.lowerBound, esStart: l.1.lowerBound, en: search.en, es: search.es, table: table).total
            }
        }
        // Walk both link lists; a stretch ends where both reach the same (english, spanish) point.
        var a = 0
        var b = 0
        while a < predicted.count && b < goldRanges.count {
            if predicted[a].0 == goldRanges[b].0 && predicted[a].1 == goldRanges[b].1 { a += 1; b += 1; continue }
            let (a0, b0) = (a, b)
            var pe = predicted[a].0.upperBound, ps = predicted[a].1.upperBound
            var ge = goldRanges[b].0.upperBound, gs = goldRanges[b].1.upperBound
            a += 1; b += 1
            while pe != ge || ps != gs {
                if (pe, ps) < (ge, gs) || (pe < ge) || (ps < gs && pe <= ge) {
                    guard a < predicted.count else { break }
                    pe = predicted[a].0.upperBound; ps = predicted[a].1.upperBound; a += 1
                } else {
                    guard b < goldRanges.count else { break }
                    ge = goldRanges[b].0.upperBound; gs = goldRanges[b].1.upperBound; b += 1
                }
            }
            print("compare \(file): predicted \(String(format: "%.2f", total(predicted[a0..<a]))) vs gold \(String(format: "%.2f", total(goldRanges[b0..<b])))")
            for l in predicted[a0..<a] { print("  pred \(describe(l))") }
            for l in goldRanges[b0..<b] { print("  gold \(describe(l))") }
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
