import BitextCore
import Foundation
import Testing

@testable import BitextAlign

/// The fast search (coverages cached per row, length term skipped when it cannot matter,
/// marked-weight sums) must choose exactly what the plain dynamic programme over
/// `Aligner.linkTerms` chooses, cell by cell.
@Suite struct BandSearchTests {
    /// The plain search: every cell, every shape, the full link cost.
    static func referenceBack(_ search: BandSearch) -> (cost: [Float], back: [UInt8]) {
        let n = search.en.units.count
        let (lo, hi) = (search.lo, search.hi)
        var rowStart = [Int](repeating: 0, count: n + 2)
        for i in 0...n { rowStart[i + 1] = rowStart[i] + (hi[i] - lo[i] + 1) }
        var cost = [Float](repeating: .infinity, count: rowStart[n + 1])
        var back = [UInt8](repeating: 255, count: rowStart[n + 1])
        cost[0] = 0
        for i in 0...n {
            for j in lo[i]...hi[i] where i > 0 || j > 0 {
                var best = Float.infinity
                var bestShape: UInt8 = 255
                for (s, shape) in LinkShape.all.enumerated() {
                    let pi = i - shape.english
                    let pj = j - shape.spanish
                    guard pi >= 0, pj >= 0, pj >= lo[pi], pj <= hi[pi] else { continue }
                    let previous = cost[rowStart[pi] + pj - lo[pi]]
                    if previous == .infinity { continue }
                    let terms = search.aligner.linkTerms(shape: shape, enStart: pi, esStart: pj, en: search.en, es: search.es, table: search.table)
                    let c = previous + Float(terms.total)
                    if c < best {
                        best = c
                        bestShape = UInt8(s)
                    }
                }
                cost[rowStart[i] + j - lo[i]] = best
                back[rowStart[i] + j - lo[i]] = bestShape
            }
        }
        return (cost, back)
    }

    /// A long document with omissions, merges, splits, repeated headers and blocks without
    /// anchors, so that every shape and both ways of summing shared weights are exercised.
    static func sides(count: Int) -> (en: [AlignmentUnit], es: [AlignmentUnit]) {
        let extractor = AnchorExtractor()
        var en: [AlignmentUnit] = []
        var es: [AlignmentUnit] = []
        for k in 0..<count {
            let header = k % 9 == 0
            en.append(AlignmentUnit(
                features: extractor.features(of: header ? "REPORT S/2024/765" : "Item \(k): the committee of Haiti approved \(k * 13 + 7) votes on resolution \(k % 17).", language: .english),
                kind: header ? .heading : .paragraph))
            if k % 23 == 5 { continue }  // omitted on the Spanish side
            let spanish = header ? "INFORME S/2024/765" : "Punto \(k): el comité de Haití aprobó \(k * 13 + 7) votos sobre la resolución \(k % 17)."
            if k % 31 == 7 {  // split in two
                es.append(AlignmentUnit(features: extractor.features(of: "Punto \(k):", language: .spanish)))
                es.append(AlignmentUnit(features: extractor.features(of: "el comité aprobó \(k * 13 + 7) votos.", language: .spanish)))
            } else if k % 29 == 3, let last = es.popLast() {  // merged with the previous one
                var merged = last.features
                merged.anchors.formUnion(extractor.features(of: spanish, language: .spanish).anchors)
                es.append(AlignmentUnit(features: merged))
            } else {
                es.append(AlignmentUnit(features: extractor.features(of: k % 11 == 4 ? "—" : spanish, language: .spanish), kind: header ? .heading : .paragraph))
            }
        }
        return (en, es)
    }

    @Test(arguments: [(40, 100_000, 40), (300, 1_000, 12), (300, 1_000, 3)])
    func fastSearchChoosesWhatThePlainSearchChooses(count: Int, fullSearchCells: Int, band: Int) {
        var parameters = AlignmentParameters.standard
        parameters.fullSearchCells = fullSearchCells
        parameters.bandHalfWidth = band
        let aligner = Aligner(parameters: parameters)
        let (en, es) = Self.sides(count: count)
        let table = AnchorTable(english: en.map(\.features), spanish: es.map(\.features), parameters: parameters)
        let search = aligner.prepare(english: en, spanish: es, table: table)
        let fast = search.run()
        let reference = Self.referenceBack(search)
        #expect(fast.back == reference.back)
    }

    /// Units that share anchors with their counterpart only (a number each, a few with none):
    /// most shared lists the fills meet are empty, so spans take values worked out for others.
    static func sparseSides(count: Int) -> (en: [AlignmentUnit], es: [AlignmentUnit]) {
        let extractor = AnchorExtractor()
        var en: [AlignmentUnit] = []
        var es: [AlignmentUnit] = []
        for k in 0..<count {
            en.append(AlignmentUnit(features: extractor.features(of: k % 7 == 2 ? "—" : "Total \(k * 37 + 11).", language: .english)))
            if k % 13 == 6 { continue }
            es.append(AlignmentUnit(features: extractor.features(of: k % 5 == 1 ? "…" : "Suma \(k * 37 + 11).", language: .spanish)))
            if k % 17 == 9 { es.append(AlignmentUnit(features: extractor.features(of: "\(k * 37 + 11) y \(k)", language: .spanish))) }
        }
        return (en, es)
    }

    @Test(arguments: [(30, 100_000, 40), (200, 1_000, 8)])
    func sparseSharingMatchesThePlainSearch(count: Int, fullSearchCells: Int, band: Int) {
        var parameters = AlignmentParameters.standard
        parameters.fullSearchCells = fullSearchCells
        parameters.bandHalfWidth = band
        let aligner = Aligner(parameters: parameters)
        let (en, es) = Self.sparseSides(count: count)
        let table = AnchorTable(english: en.map(\.features), spanish: es.map(\.features), parameters: parameters)
        let search = aligner.prepare(english: en, spanish: es, table: table)
        #expect(search.run().back == Self.referenceBack(search).back)
    }

    /// Units with more anchors than a bit set holds (every fourth one: 140–160 numbers) among
    /// short ones: the fills sum those units' shared lists by merging, the others' by bits.
    @Test(arguments: [(24, 100_000, 40), (120, 1_000, 6)])
    func longUnitsMatchThePlainSearch(count: Int, fullSearchCells: Int, band: Int) {
        var parameters = AlignmentParameters.standard
        parameters.fullSearchCells = fullSearchCells
        parameters.bandHalfWidth = band
        let extractor = AnchorExtractor()
        func text(_ k: Int, _ word: String) -> String {
            guard k % 4 == 1 else { return "\(word) \(k * 37 + 11) y \((k + 1) * 37 + 11)." }
            return (0..<(140 + k % 21)).map { "\(word) \((k + $0 / 3) * 37 + 11 + $0)" }.joined(separator: ", ")
        }
        var en: [AlignmentUnit] = []
        var es: [AlignmentUnit] = []
        for k in 0..<count {
            en.append(AlignmentUnit(features: extractor.features(of: text(k, "item"), language: .english)))
            if k % 11 == 3 { continue }
            es.append(AlignmentUnit(features: extractor.features(of: text(k, "punto"), language: .spanish)))
        }
        let aligner = Aligner(parameters: parameters)
        let table = AnchorTable(english: en.map(\.features), spanish: es.map(\.features), parameters: parameters)
        let search = aligner.prepare(english: en, spanish: es, table: table)
        for side in [search.en, search.es] {
            #expect((0..<side.units.count).contains { side.flatStart[$0 + 1] - side.flatStart[$0] > SharedRow.maskWidth })
        }
        #expect(search.run().back == Self.referenceBack(search).back)
    }

    /// Costs made of small integers, so that a 1-1 link and the 1-0 + 0-1 pair beside it tie
    /// exactly: the 1-1 link, first in `LinkShape.all`, must keep winning (the search tries the
    /// omissions first).
    @Test(arguments: [1.0, 0.5])
    func oneToOneWinsTiesWithOmissions(skipCost: Double) {
        var parameters = AlignmentParameters.standard
        parameters.contentWeight = 0
        parameters.lengthWeight = 0
        parameters.mergeShortfallCost = 0
        parameters.skipCost = skipCost
        for shape in LinkShape.all { parameters.shapeCost[shape] = shape.isOmission ? 0 : 2 }
        let aligner = Aligner(parameters: parameters)
        let (en, es) = Self.sides(count: 12)
        let table = AnchorTable(english: en.map(\.features), spanish: es.map(\.features), parameters: parameters)
        let search = aligner.prepare(english: en, spanish: es, table: table)
        let fast = search.run().back
        #expect(fast == Self.referenceBack(search).back)
        if skipCost == 1 { #expect(fast.contains(0)) }
    }

    /// The rival similarity `finished` gives each link (neighbours' ids looked up in marks) is
    /// the one merging each pair of sorted id lists gives, bit for bit.
    @Test(arguments: [10, 80])
    func rivalSimilaritiesAreThoseOfMerges(count: Int) {
        let aligner = Aligner(parameters: .standard)
        let (en, es) = Self.sides(count: count)
        let table = AnchorTable(english: en.map(\.features), spanish: es.map(\.features), parameters: .standard)
        let pass = aligner.search(english: en, spanish: es, table: table)
        let links = aligner.finished(pass)
        guard let search = pass.search else { Issue.record("no search"); return }
        let (english, spanish) = (search.en, search.es)
        func similarity(_ i: Int, _ j: Int) -> Double {
            let total = english.spanWeight[0][i] + spanish.spanWeight[0][j]
            guard total > 0 else { return 0 }
            return 2 * SortedIDs.sharedWeight(english.span(1, i), spanish.span(1, j), weights: table.weights) / total
        }
        for link in links {
            var best = 0.0
            for i in link.english {
                for j in max(0, link.spanish.lowerBound - 2)..<min(es.count, link.spanish.upperBound + 2) where !link.spanish.contains(j) {
                    best = max(best, similarity(i, j))
                }
            }
            for j in link.spanish {
                for i in max(0, link.english.lowerBound - 2)..<min(en.count, link.english.upperBound + 2) where !link.english.contains(i) {
                    best = max(best, similarity(i, j))
                }
            }
            #expect(link.terms.rivalSimilarity.bitPattern == best.bitPattern)
        }
        #expect(links.contains { $0.terms.rivalSimilarity > 0 })
    }

    @Test func sentenceSizedInputsMatchToo() {
        let aligner = Aligner(parameters: .standard)
        let (en, es) = Self.sides(count: 6)
        let table = AnchorTable(english: en.map(\.features), spanish: es.map(\.features), parameters: .standard)
        let search = aligner.prepare(english: en, spanish: es, table: table)
        #expect(search.run().back == Self.referenceBack(search).back)
    }
}

/// The scalar-level chunking used for text of single-scalar characters gives the chunks
/// (and trimmed chunks) that Character-level splitting gives.
@Suite struct ScalarChunkingTests {
    static let samples = [
        "  The «quick» — brown fox, (U.S.) jumps…  over 1,234.5 dogs!\n\nNext\tline\r\nend ",
        "¿Qué pasó el 14 de octubre de 2024? ¡Nada! — dijo «él».",
        "\u{00A0}non\u{00A0}breaking\u{0085}next-line \"quoted\" 'single' [brackets] {braces} <angle> *star* •bullet",
        "",
        "   ",
        "...!!!???",
        "€100 and 50 ‰ ‘quoted’ “double” – dash",
    ]

    @Test(arguments: samples)
    func chunksMatchCharacterSplitting(text: String) {
        let substring = Substring(text)
        #expect(substring.unicodeScalars.allSatisfy(AnchorExtractor.isSingleScalarCharacter))
        let expected = substring.split(whereSeparator: { $0.isWhitespace })
        let chunks = AnchorExtractor.scalarChunks(substring)
        #expect(chunks.map(String.init) == expected.map(String.init))
        #expect(chunks.map { String(AnchorExtractor.trimPunctuationScalars($0)) } == expected.map { String(AnchorExtractor.trimPunctuation($0)) })
    }

    @Test(arguments: samples)
    func byteChunksMatchScalarChunks(text: String) {
        var text = text
        let expected = AnchorExtractor.scalarChunks(Substring(text)).map { Array($0.utf8) }
        let chunks = text.withUTF8 { bytes in AnchorExtractor.byteChunks(bytes).map { Array(bytes[$0]) } }
        #expect(chunks == expected)
    }

    /// Chunks looked up by their bytes in a memo shared by several texts read as if fresh.
    @Test func sharedMemoReadsLikeFreshOnes() {
        let extractor = AnchorExtractor()
        var memo = WordMemo()
        for _ in 0..<2 {
            for text in Self.samples + ["Haiti HAITI haiti 14 October 2024 S/2024/765", "the government el gobierno"] {
                let shared = extractor.features(of: Substring(text), language: .english, memo: &memo)
                let fresh = extractor.features(of: text, language: .english)
                #expect(Set(shared.anchors.map(\.description)) == Set(fresh.anchors.map(\.description)))
                #expect(Set(shared.words) == Set(fresh.words) && shared.numbers == fresh.numbers && shared.dates == fresh.dates)
                #expect(shared.length == fresh.length && shared.letterCount == fresh.letterCount)
            }
        }
    }

    @Test func combiningMarksLeaveTheFastPath() {
        #expect(!AnchorExtractor.isSingleScalarCharacter("\u{0301}"))
        #expect(!AnchorExtractor.isSingleScalarCharacter("\u{200D}"))
        // Features of decomposed text still come out (through Character-level splitting).
        let features = AnchorExtractor().features(of: "Hai\u{0074}i\u{0301} and ", language: .english)
        #expect(features.anchors.contains(AnchorKey(kind: .name, value: "haiti")))
    }
}

/// Spans of two and three units are merged when a link asks for them: the sorted union of the
/// units' lists, nothing past the last unit.
@Suite struct SideIndexTests {
    @Test func spansAreTheUnionsOfTheirUnits() {
        let extractor = AnchorExtractor()
        let english = ["Version 1.2 of apt, 14 October 2024.", "The apt command installs packages.", "", "Haiti: 2,500 officers in 2024?"]
        let spanish = ["Versión 1.2 de apt, 14 de octubre de 2024.", "La orden apt instala paquetes.", "Haití: 2.500 agentes en 2024?"]
        let en = english.map { AlignmentUnit(features: extractor.features(of: $0, language: .english)) }
        let es = spanish.map { AlignmentUnit(features: extractor.features(of: $0, language: .spanish)) }
        let table = AnchorTable(english: en.map(\.features), spanish: es.map(\.features), parameters: .standard)
        let index = Aligner.SideIndex(units: en, table: table)
        for u in en.indices { #expect(Array(index.span(1, u)) == table.encode(en[u].features)) }
        for size in 2...3 {
            for start in 0...(en.count - size) {
                let expected = Set((start..<start + size).flatMap { table.encode(en[$0].features) }).sorted()
                #expect(Array(index.span(size, start)) == expected)
            }
            #expect(index.span(size, en.count - size + 1).isEmpty)
        }
        #expect(index.spanWeight[0][3] == index.span(1, 3).reduce(0) { $0 + table.weights[Int($1)] })
    }
}

/// The length cost skips erfc and log beyond the saturation point: the same value as the formula.
@Suite struct GaleChurchTests {
    @Test func saturatedCostIsTheCappedFormula() {
        let s = GaleChurch.saturation
        #expect(s > 3 && s < 10)
        var z = -2 * s
        while z <= 2 * s {
            #expect(GaleChurch.cost(z: z) == min(12, -log(max(GaleChurch.twoSidedTail(z), 1e-6))))
            z += s / 997
        }
        for z in [s, s.nextUp, s.nextDown, -s, 1e6, -1e6, .infinity] {
            #expect(GaleChurch.cost(z: z) == min(12, -log(max(GaleChurch.twoSidedTail(z), 1e-6))))
        }
    }
}

/// The shared lists found through the Spanish postings are those the sorted walks find, for
/// column windows that move right (the search's case) and left again.
@Suite struct SharedRowTests {
    @Test func postingsFindWhatWalksFind() {
        let (en, es) = BandSearchTests.sides(count: 60)
        let table = AnchorTable(english: en.map(\.features), spanish: es.map(\.features), parameters: .standard)
        let english = Aligner.SideIndex(units: en, table: table)
        let spanish = Aligner.SideIndex(units: es, table: table)
        var postings = SharedRow.Membership(table: table, spanish: spanish, sides: 200)
        var walks = SharedRow.Membership(table: table, spanish: spanish, sides: 0)  // no room for a table
        #expect(postings.useTable && !walks.useTable)
        let m = spanish.units.count
        for (e, low, high) in [(3, 0, 9), (10, 4, 20), (20, 15, 30), (21, 2, 12), (40, 30, m - 1), (41, 0, m - 1)] {
            var a = SharedRow()
            var b = SharedRow()
            a.fill(english: english.span(1, e), spanish: spanish, columns: low, high, membership: &postings)
            b.fill(english: english.span(1, e), spanish: spanish, columns: low, high, membership: &walks)
            let englishIDs = Array(english.span(1, e))
            for v in low...high {
                let (x, y) = (a.withLists { Array($0[v]) }, b.withLists { Array($0[v]) })
                // Without lists (every unit within a mask's width), the English mask's bits name the shared ids.
                if a.listsWritten { #expect(x == y) }
                let mask: SharedRow.Mask = a.withLists { $0.englishMask(v) }
                let named: [Int32] = (0..<englishIDs.count).filter { (mask >> $0) & 1 == 1 }.map { englishIDs[$0] }
                #expect(named == y)
                #expect(a.withLists { $0.englishMask(v) } == b.withLists { $0.englishMask(v) })
                #expect(a.withLists { $0.spanishMask(v) } == b.withLists { $0.spanishMask(v) })
            }
        }
    }

    @Test("Array(repeated:count:) makes what Array(repeating:count:) makes", arguments: [0, 1, 3, 1_000])
    func repeatedArrays(count: Int) {
        #expect([Float](repeated: .infinity, count: count) == [Float](repeating: .infinity, count: count))
        #expect([UInt8](repeated: 255, count: count) == [UInt8](repeating: 255, count: count))
        #expect([Int](repeated: -1, count: count) == [Int](repeating: -1, count: count))
        #expect([Int](repeated: 7, count: count).count == count)
    }

    /// A workspace left by searches of other sizes and tables (larger, smaller, sparse, dense)
    /// gives each search what a fresh one gives, cell by cell and link by link.
    @Test func aReusedWorkspaceChangesNothing() {
        let aligner = Aligner(parameters: .standard)
        let inputs = [
            BandSearchTests.sides(count: 60), BandSearchTests.sparseSides(count: 12), BandSearchTests.sides(count: 7),
            BandSearchTests.sparseSides(count: 45), BandSearchTests.sides(count: 3),
        ]
        var workspace = SearchWorkspace()
        for (en, es) in inputs + inputs.reversed() {
            let table = AnchorTable(english: en.map(\.features), spanish: es.map(\.features), parameters: .standard)
            let fresh = aligner.prepare(english: en, spanish: es, table: table)
            let reused = aligner.prepare(english: en, spanish: es, table: table, encoded: nil, previous: nil, workspace: &workspace)
            #expect(reused.en.baseline == fresh.en.baseline && reused.es.baseline == fresh.es.baseline)
            let expected = fresh.run()
            let found = reused.run(workspace: &workspace)
            #expect(found.back == expected.back && found.rowStart == expected.rowStart)
        }
        #expect(workspace.isSmallEnoughToKeep)
    }
}
