import BitextCore
import Testing

@testable import BitextAlign

/// The shortcut for a paragraph link with one sentence a side must give exactly the links, and
/// the terms bit for bit, that the full search gives for those two sentences.
@Suite struct SentencePairSearchTests {
    /// Sentence pairs of every kind the search meets: translations, near misses, unrelated
    /// sentences (both left out), one or both sides without anchors, lengths far apart.
    static let pairs: [(String, String)] = [
        ("Could not initialize SSL.", "No se pudo iniciar SSL, se desactivará."),
        ("The committee approved resolution 2714 (2023) on 14 October 2024.", "El Comité aprobó la resolución 2714 (2023) el 14 de octubre de 2024."),
        ("See the Debian Policy Manual, section 4.9.", "Consulte el Manual de normas de Debian, sección 4.9."),
        ("Use dpkg-buildpackage to build the package.", "Utilice dpkg-buildpackage para construir el paquete."),
        ("Thank you.", "Gracias."),
        ("—", "…"),
        ("OK", "Aceptar"),
        ("The quick brown fox jumps over the lazy dog near the river bank every morning at dawn.", "Sí."),
        ("Haiti", "Haití"),
        ("Press Ctrl+C to quit.", "El informe de la Misión en Haití fue presentado al Consejo de Seguridad en 2019 con 45 recomendaciones."),
        ("Version 3.1.4 was released in 2019 with 12 fixes.", "La versión 3.1.4 se publicó en 2019 con 12 correcciones."),
        ("Select File > Save As to store the document under another name.", "Seleccione Archivo > Guardar como para guardar el documento con otro nombre."),
        ("", ""),
        ("A", "Ñandú ñoño"),
        ("Figure 12 shows the results for 1998, 1999 and 2000.", "Tabla 7: presupuesto aprobado."),
    ]

    static func rawLinkBits(_ links: [RawLink]) -> [[UInt64]] {
        links.map { link in
            let t = link.terms
            return [UInt64(link.english.lowerBound), UInt64(link.english.upperBound), UInt64(link.spanish.lowerBound),
                    UInt64(link.spanish.upperBound), UInt64(t.shape.english), UInt64(t.shape.spanish), UInt64(link.matched.count)]
                + [t.similarity, t.lengthZ, t.lengthCost, t.contentCost, t.shapeCost, t.kindCost, t.structureCost, t.total, t.rivalSimilarity]
                .map(\.bitPattern)
        }
    }

    /// The sentence stage's parameters, and the standard ones (coverage normalized, merge penalty on).
    static let parameterSets: [AlignmentParameters] = {
        var sentences = AlignmentParameters.standard
        sentences.normalizeCoverage = false
        sentences.mergeShortfallCost = 0
        var omissive = sentences
        omissive.skipCost = 0.5  // omissions cheap: the search leaves most pairs out
        return [sentences, .standard, omissive]
    }()

    @Test(arguments: 0..<3)
    func sameLinksAsTheSearch(parameterSet: Int) {
        let aligner = Aligner(parameters: Self.parameterSets[parameterSet])
        let (english, spanish, table) = Self.pairFeatures(aligner)
        var shortcut = SentencePairSearch(aligner: aligner)
        #expect(shortcut.applies)
        var shapes: Set<[Int]> = []
        for i in english.indices {
            for j in spanish.indices {
                let fast = shortcut.links(english: english[i], spanish: spanish[j], table: table)
                let full = aligner.align(
                    english: [AlignmentUnit(features: english[i])], spanish: [AlignmentUnit(features: spanish[j])], table: table,
                    listMatchedAnchors: false)
                #expect(Self.rawLinkBits(fast) == Self.rawLinkBits(full), "pair \(i) × \(j)")
                shapes.insert(fast.map { $0.english.count * 2 + $0.spanish.count })
            }
        }
        // Both outcomes occur: a 1-1 link, and both sentences left out.
        #expect(shapes.contains([3]))
        #expect(shapes.contains([1, 2]))
    }

    /// Where the length term alone settles the 1-1 link, the search links the pair with that z.
    @Test(arguments: 0..<3)
    func certainOneToOneIsTheSearchsLink(parameterSet: Int) {
        let (certain, uncertain) = Self.checkCertainOneToOne(Aligner(parameters: Self.parameterSets[parameterSet]))
        // Cheap omissions leave nothing certain; the sentence stage's parameters settle most pairs
        // by length, not the pairs whose lengths are far apart.
        if parameterSet == 2 {
            #expect(certain == 0)
        } else {
            #expect(certain > uncertain)
            #expect(uncertain > 0)
        }
    }

    /// The same over a grid of weights and costs around the sentence stage's: the bound holds
    /// whatever the parameters (content weight 0 included), not only for the tuned ones.
    @Test func certainOneToOneHoldsOverParameters() {
        var certainSomewhere = 0
        for skipCost in [0.5, 2, 6.5, 12] {
            for contentWeight in [0.0, 1, 6, 20] {
                for (lengthWeight, neutralCoverage, chanceCoverage) in [(1.0, 0.3, 0.1), (0.25, 0, 0.6), (3, 0.9, 0)] {
                    var parameters = Self.parameterSets[0]
                    parameters.skipCost = skipCost
                    parameters.contentWeight = contentWeight
                    parameters.lengthWeight = lengthWeight
                    parameters.neutralCoverage = neutralCoverage
                    parameters.chanceCoverage = chanceCoverage
                    certainSomewhere += Self.checkCertainOneToOne(Aligner(parameters: parameters)).certain
                }
            }
        }
        #expect(certainSomewhere > 0)
    }

    /// The sentences of `pairs`, each side's features and one table over all of them (as the
    /// stage weighs sentences with the document's table).
    static func pairFeatures(_ aligner: Aligner) -> (english: [TextFeatures], spanish: [TextFeatures], table: AnchorTable) {
        let extractor = AnchorExtractor()
        var memo = WordMemo()
        let english = pairs.map { extractor.features(of: Substring($0.0), language: .english, words: false, memo: &memo) }
        let spanish = pairs.map { extractor.features(of: Substring($0.1), language: .spanish, words: false, memo: &memo) }
        return (english, spanish, AnchorTable(english: english, spanish: spanish, parameters: aligner.parameters))
    }

    /// For every pair of `pairs`' sentences: where `certainOneToOneLengthZ` gives a z, the search
    /// links the two 1-1 with that z. How many pairs it settled and left to the search.
    static func checkCertainOneToOne(_ aligner: Aligner) -> (certain: Int, uncertain: Int) {
        let (english, spanish, table) = pairFeatures(aligner)
        var search = SentencePairSearch(aligner: aligner)
        var (certain, uncertain) = (0, 0)
        for i in english.indices {
            for j in spanish.indices {
                let links = search.links(english: english[i], spanish: spanish[j], table: table)
                guard let z = search.certainOneToOneLengthZ(english: english[i], spanish: spanish[j]) else {
                    uncertain += 1
                    continue
                }
                certain += 1
                #expect(links.count == 1 && links[0].english == 0..<1 && links[0].spanish == 0..<1, "pair \(i) × \(j)")
                #expect(links.first?.terms.lengthZ.bitPattern == z.bitPattern, "pair \(i) × \(j)")
            }
        }
        return (certain, uncertain)
    }

    /// Sentence sequences of zero to four sentences a side, windows of the pairs above at the
    /// same offset (translations in order) and at others (unrelated: omissions, merges).
    @Test(arguments: [0, 2])
    func sequencesGetTheSearchsLinks(parameterSet: Int) {
        let aligner = Aligner(parameters: Self.parameterSets[parameterSet])
        let extractor = AnchorExtractor()
        var memo = WordMemo()
        let english = Self.pairs.map { extractor.features(of: Substring($0.0), language: .english, words: false, memo: &memo) }
        let spanish = Self.pairs.map { extractor.features(of: Substring($0.1), language: .spanish, words: false, memo: &memo) }
        let table = AnchorTable(english: english, spanish: spanish, parameters: aligner.parameters)
        var search = SentenceSearch(aligner: aligner)
        var windows: [[Int]] = []
        for offset in [0, 1, 3, 7, 10] {
            for count in 0...4 where offset + count <= english.count { windows.append(Array(offset..<offset + count)) }
        }
        windows.append([4, 0, 1])  // out of order
        windows.append([12])  // without anchors: neutral coverage, and no id at all when both sides are so
        windows.append([5, 12])
        var shapes: Set<Int> = []
        for a in windows {
            for b in windows where !(a.isEmpty && b.isEmpty) {
                #expect(search.applies(english: a.count, spanish: b.count))
                let fast = search.links(english: a, english, spanish: b, spanish, table: table)
                let full = aligner.align(
                    english: a.map { AlignmentUnit(features: english[$0]) }, spanish: b.map { AlignmentUnit(features: spanish[$0]) },
                    table: table, listMatchedAnchors: false)
                #expect(Self.rawLinkBits(fast) == Self.rawLinkBits(full), "\(a) × \(b)")
                for link in fast { shapes.insert(link.english.count * 4 + link.spanish.count) }
            }
        }
        // 1-1 and both omissions occurred; merges too, unless omissions are cheap.
        #expect(shapes.isSuperset(of: [5, 4, 1]))
        #expect(shapes.contains { $0 / 4 + $0 % 4 > 2 } == (parameterSet == 0))
        // Coverage normalized by chance: the search's own sampling is needed.
        #expect(!SentenceSearch(aligner: Aligner(parameters: .standard)).applies(english: 2, spanish: 2))
    }

    /// A sentence that is a whole paragraph takes the paragraph's ids as the first paragraph
    /// pass encoded them (`SentenceUnits`): they must be the ids its features encode to in that
    /// pass's table, and both searches' links the same either way.
    @Test func paragraphIDsAreTheSentencesOwn() {
        let aligner = Aligner(parameters: Self.parameterSets[0])
        let extractor = AnchorExtractor()
        var memo = WordMemo()
        let english = Self.pairs.map { extractor.features(of: Substring($0.0), language: .english, memo: &memo) }
        let spanish = Self.pairs.map { extractor.features(of: Substring($0.1), language: .spanish, memo: &memo) }
        var catalog = AnchorCatalog(english: english, spanish: spanish)
        let tabled = catalog.table(parameters: aligner.parameters)
        let table = tabled.table
        for (features, encoded) in [(english, tabled.english), (spanish, tabled.spanish)] {
            for u in features.indices { #expect(Array(encoded[u]) == table.encode(features[u]), "unit \(u)") }
        }
        // Every other sentence takes its paragraph's ids; the rest are encoded.
        let every = [Int32](english.indices.map { Int32($0) })
        let some = every.map { $0 % 2 == 0 ? $0 : -1 }
        let englishUnits = SentenceUnits(features: english, paragraph: some, paragraphIDs: tabled.english)
        let spanishUnits = SentenceUnits(features: spanish, paragraph: every, paragraphIDs: tabled.spanish)
        var pairSearch = SentencePairSearch(aligner: aligner)
        var search = SentenceSearch(aligner: aligner)
        for i in english.indices {
            for j in spanish.indices {
                let reused = pairSearch.links(english: i, of: englishUnits, spanish: j, of: spanishUnits, table: table)
                let encoded = pairSearch.links(english: english[i], spanish: spanish[j], table: table)
                #expect(Self.rawLinkBits(reused) == Self.rawLinkBits(encoded), "pair \(i) × \(j)")
            }
        }
        for (a, b) in [([0, 1, 2], [0, 1, 2]), ([3, 4], [3, 4, 5]), ([9, 10, 11, 12], [10, 11])] {
            let reused = search.links(english: a, of: englishUnits, spanish: b, of: spanishUnits, table: table)
            let encoded = search.links(english: a, english, spanish: b, spanish, table: table)
            #expect(Self.rawLinkBits(reused) == Self.rawLinkBits(encoded), "\(a) × \(b)")
        }
    }

    /// Costs of small integers, so that a 1-1 link ties with the 1-0 + 0-1 pair beside it and
    /// a 2-1 with a 1-1 + 1-0: the search tries the omissions first, yet the shape first in
    /// `LinkShape.all` must keep winning, as in `Aligner.align`.
    @Test func tiesGoToTheShapeListedFirst() {
        var parameters = Self.parameterSets[0]
        parameters.contentWeight = 0
        parameters.lengthWeight = 0
        parameters.skipCost = 1
        for shape in LinkShape.all { parameters.shapeCost[shape] = shape.isOmission ? 0 : Double(shape.english + shape.spanish) }
        let aligner = Aligner(parameters: parameters)
        let extractor = AnchorExtractor()
        var memo = WordMemo()
        let english = Self.pairs.map { extractor.features(of: Substring($0.0), language: .english, words: false, memo: &memo) }
        let spanish = Self.pairs.map { extractor.features(of: Substring($0.1), language: .spanish, words: false, memo: &memo) }
        let table = AnchorTable(english: english, spanish: spanish, parameters: aligner.parameters)
        var search = SentenceSearch(aligner: aligner)
        var shapes: Set<Int> = []
        for a in [[0], [0, 1], [2, 3, 4], [5, 6, 7, 8]] {
            for b in [[0], [1, 2], [2, 3, 4], [5, 6, 7]] where a.count + b.count > 2 {
                let fast = search.links(english: a, english, spanish: b, spanish, table: table)
                let full = aligner.align(
                    english: a.map { AlignmentUnit(features: english[$0]) }, spanish: b.map { AlignmentUnit(features: spanish[$0]) },
                    table: table, listMatchedAnchors: false)
                #expect(Self.rawLinkBits(fast) == Self.rawLinkBits(full), "\(a) × \(b)")
                for link in fast { shapes.insert(link.english.count * 4 + link.spanish.count) }
            }
        }
        #expect(shapes.contains(5))
    }

    /// A sentence of more anchors than a bit set holds (a list of 140 figures) among short ones:
    /// its coverages are summed from merged lists, the others' from bits; the links are still
    /// those of `Aligner.align`.
    @Test func longSentencesGetTheSearchsLinks() {
        let aligner = Aligner(parameters: Self.parameterSets[0])
        let extractor = AnchorExtractor()
        var memo = WordMemo()
        let figures = (0..<140).map { "\(1_000 + 7 * $0)" }
        let pairs = Self.pairs + [("Totals: " + figures.joined(separator: ", ") + ".", "Totales: " + figures.joined(separator: "; ") + ".")]
        let english = pairs.map { extractor.features(of: Substring($0.0), language: .english, words: false, memo: &memo) }
        let spanish = pairs.map { extractor.features(of: Substring($0.1), language: .spanish, words: false, memo: &memo) }
        let table = AnchorTable(english: english, spanish: spanish, parameters: aligner.parameters)
        let long = pairs.count - 1
        #expect(table.encode(english[long]).count > SharedRow.maskWidth)
        var search = SentenceSearch(aligner: aligner)
        for (a, b) in [([0, long], [0, long]), ([long, 1, 2], [long, 1]), ([3], [4, long]), ([0, 1], [0, 1])] {
            let fast = search.links(english: a, english, spanish: b, spanish, table: table)
            let full = aligner.align(
                english: a.map { AlignmentUnit(features: english[$0]) }, spanish: b.map { AlignmentUnit(features: spanish[$0]) },
                table: table, listMatchedAnchors: false)
            #expect(Self.rawLinkBits(fast) == Self.rawLinkBits(full), "\(a) × \(b)")
        }
    }

    /// The sentences' ids, put in order by insertion, are the table's own encoding.
    @Test func sentenceIDsAreTheTablesEncoding() {
        let extractor = AnchorExtractor()
        var memo = WordMemo()
        let english = Self.pairs.map { extractor.features(of: Substring($0.0), language: .english, words: false, memo: &memo) }
        let spanish = Self.pairs.map { extractor.features(of: Substring($0.1), language: .spanish, words: false, memo: &memo) }
        let table = AnchorTable(english: english, spanish: spanish, parameters: .standard)
        // Read with another memo: the table cannot use its memo ids (the hashing path).
        let other = Self.pairs.map { extractor.features(of: Substring($0.0), language: .english) }
        for features in english + spanish + other {
            var out = [Int32](repeating: -1, count: features.anchors.count + 3)
            let end = out.withUnsafeMutableBufferPointer { SentenceIDs.encode(features, table: table, into: $0, at: 3) }
            #expect(Array(out[3..<end]) == table.encode(features))
            #expect(out[0..<3] == [-1, -1, -1])
            #expect(SentenceIDs.room(features) == features.anchors.count)
        }
    }
}
