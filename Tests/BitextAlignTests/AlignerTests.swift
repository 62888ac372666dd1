import BitextCore
import Testing

@testable import BitextAlign

/// Hand-built paragraph pairs (written for these tests) and the links expected.
@Suite struct AlignerTests {
    static let english = [
        "Report of the Secretary-General on the situation in Haiti",
        "The Security Council adopted resolution 2699 (2023) on 2 October 2023, authorizing the Multinational Security Support mission.",
        "Kenya offered to lead the mission and to deploy 1,000 police officers.",
        "Gang violence displaced more than 578,000 people in 2024, according to the International Organization for Migration.",
        "The Government of Haiti requested international assistance in October 2022.",
        "Schools and hospitals in Port-au-Prince remained closed for several weeks.",
        "The United Nations Integrated Office in Haiti (BINUH) continued its political work.",
        "Humanitarian funding covered only 42.5 percent of the requirements.",
    ]
    static let spanish = [
        "Informe del Secretario General sobre la situación en Haití",
        "El Consejo de Seguridad aprobó la resolución 2699 (2023) el 2 de octubre de 2023, por la que autorizó la misión Multinacional de Apoyo a la Seguridad.",
        "Kenia se ofreció a dirigir la misión y a desplegar 1.000 agentes de policía.",
        "La violencia de las bandas desplazó a más de 578.000 personas en 2024, según la Organización Internacional para las Migraciones.",
        "El Gobierno de Haití solicitó asistencia internacional en octubre de 2022.",
        "Las escuelas y los hospitales de Port-au-Prince permanecieron cerrados durante varias semanas.",
        "La Oficina Integrada de las Naciones Unidas en Haití (BINUH) continuó su labor política.",
        "La financiación humanitaria cubrió solo el 42,5 por ciento de las necesidades.",
    ]

    static func units(_ texts: [String], _ language: LanguageKind, kinds: [BlockKind]? = nil) -> [AlignmentUnit] {
        let extractor = AnchorExtractor()
        return texts.enumerated().map { i, t in
            AlignmentUnit(features: extractor.features(of: t, language: language), kind: kinds?[i] ?? .paragraph)
        }
    }

    static func links(_ en: [String], _ es: [String], enKinds: [BlockKind]? = nil, esKinds: [BlockKind]? = nil,
                      parameters: AlignmentParameters = .standard) -> [[[Int]]] {
        Aligner(parameters: parameters).align(english: units(en, .english, kinds: enKinds), spanish: units(es, .spanish, kinds: esKinds))
            .map { [Array($0.english), Array($0.spanish)] }
    }

    static func identity(_ n: Int) -> [[[Int]]] { (0..<n).map { [[$0], [$0]] } }

    @Test func parallelParagraphsAlignOneToOne() {
        #expect(Self.links(Self.english, Self.spanish) == Self.identity(8))
    }

    @Test func missingParagraphBecomesAnOmission() {
        var es = Self.spanish
        es.remove(at: 3)
        let expected: [[[Int]]] = [[[0], [0]], [[1], [1]], [[2], [2]], [[3], []], [[4], [3]], [[5], [4]], [[6], [5]], [[7], [6]]]
        #expect(Self.links(Self.english, es) == expected)
    }

    @Test func mergedParagraphsGiveATwoToOneLink() {
        var es = Self.spanish
        es[2] = es[2] + " " + es[3]
        es.remove(at: 3)
        let expected: [[[Int]]] = [[[0], [0]], [[1], [1]], [[2, 3], [2]], [[4], [3]], [[5], [4]], [[6], [5]], [[7], [6]]]
        #expect(Self.links(Self.english, es) == expected)
    }

    @Test func splitParagraphGivesAOneToTwoLink() {
        let es = Array(Self.spanish[0..<4]) + ["El Gobierno de Haití solicitó asistencia internacional.", "Lo hizo en octubre de 2022."]
            + Array(Self.spanish[5...])
        let expected: [[[Int]]] = [[[0], [0]], [[1], [1]], [[2], [2]], [[3], [3]], [[4], [4, 5]], [[5], [6]], [[6], [7]], [[7], [8]]]
        #expect(Self.links(Self.english, es) == expected)
    }

    /// A lone "1" (a page number) on one side must not pull the path (hunalign's "Chapter 1" / "Libro 1").
    @Test func loneNumberDoesNotPullThePath() {
        let en = Array(Self.english[0..<4]) + ["1"] + Array(Self.english[4...])
        let es = Array(Self.spanish[0..<7]) + ["1"] + [Self.spanish[7]]
        let result = Self.links(en, es)
        let content = result.filter { !$0[0].isEmpty && !$0[1].isEmpty }
        // Every translated paragraph still meets its translation.
        for k in 0..<8 {
            let enIndex = k < 4 ? k : k + 1
            let esIndex = k < 7 ? k : k + 1
            #expect(content.contains([[enIndex], [esIndex]]), "paragraph \(k)")
        }
    }

    /// A header repeated on every page is weightless: it cannot drag paragraphs out of place.
    @Test func repeatedHeadersDoNotDerailTheAlignment() {
        let header = "UNITED NATIONS S/2024/765"
        var en: [String] = []
        var es: [String] = []
        for k in 0..<8 {
            if k % 2 == 0 { en.append(header) }
            en.append(Self.english[k])
            if k % 3 == 0 { es.append(header) }
            if k != 5 { es.append(Self.spanish[k]) }
        }
        let result = Self.links(en, es)
        let englishContent = Set(Self.english.map { en.firstIndex(of: $0)! })
        let spanishContent = Set(Self.spanish.compactMap { es.firstIndex(of: $0) })
        for k in 0..<8 where k != 5 {
            let i = en.firstIndex(of: Self.english[k])!
            let j = es.firstIndex(of: Self.spanish[k])!
            // The paragraph meets its translation and no other paragraph (headers may join the link).
            let link = result.first { $0[0].contains(i) }!
            #expect(link[1].contains(j), "paragraph \(k)")
            #expect(link[0].filter(englishContent.contains) == [i] && link[1].filter(spanishContent.contains) == [j], "paragraph \(k)")
        }
        let omitted = en.firstIndex(of: Self.english[5])!
        #expect(result.contains { $0[0].contains(omitted) && $0[1].filter(spanishContent.contains).isEmpty })
    }

    @Test func lopsidedInputsAreNeverRefused() {
        #expect(Self.links(Self.english, []) == (0..<8).map { [[$0], []] })
        #expect(Self.links([], Self.spanish) == (0..<8).map { [[], [$0]] })
        #expect(Self.links([], []).isEmpty)
        // A missing section: the Spanish stops after three paragraphs.
        let result = Self.links(Self.english, Array(Self.spanish[0..<3]))
        #expect(Array(result[0..<3]) == Self.identity(3))
        #expect(result[3...].allSatisfy { $0[1].isEmpty })
    }

    @Test func headingsPreferHeadings() {
        let en = ["Introduction", "The mission began in 2024.", "Background", "Gangs control most of the capital."]
        let es = ["Introducción", "La misión comenzó en 2024.", "Antecedentes", "Las bandas controlan la mayor parte de la capital."]
        let kinds: [BlockKind] = [.heading, .paragraph, .heading, .paragraph]
        #expect(Self.links(en, es, enKinds: kinds, esKinds: kinds) == Self.identity(4))
    }

    /// The banded search on a long synthetic document (beyond the exhaustive limit) with a
    /// missing stretch on one side still finds every pair.
    @Test func bandedSearchFollowsAnchorsThroughAGap() {
        var en: [String] = []
        var es: [String] = []
        for k in 0..<700 {
            en.append("Paragraph \(k + 1): the committee approved document A/\(1000 + k) with \(k * 7 + 3) votes in favour.")
            if !(300..<340).contains(k) {
                es.append("Párrafo \(k + 1): el comité aprobó el documento A/\(1000 + k) con \(k * 7 + 3) votos a favor.")
            }
        }
        var parameters = AlignmentParameters.standard
        parameters.fullSearchCells = 10_000
        parameters.bandHalfWidth = 10
        let result = Self.links(en, es, parameters: parameters)
        var expected: [[[Int]]] = []
        var j = 0
        for k in 0..<700 {
            if (300..<340).contains(k) {
                expected.append([[k], []])
            } else {
                expected.append([[k], [j]])
                j += 1
            }
        }
        #expect(result == expected)
    }
}

extension AlignerTests {
    static func link(_ english: Int, _ spanish: Int, shape: (Int, Int) = (1, 1), similarity: Double) -> RawLink {
        var terms = LinkTerms(shape: LinkShape(english: shape.0, spanish: shape.1))
        terms.similarity = similarity
        return RawLink(english: english..<english + shape.0, spanish: spanish..<spanish + shape.1, terms: terms)
    }

    /// Certain: the links at least `certainMargin` links inside a run of 1-1 links of similarity
    /// `certainSimilarity` or more; a merge, an omission or a weak link ends a run.
    @Test func certainLinksAreTheInsideOfWellCoveredOneToOneRuns() {
        var parameters = AlignmentParameters.standard
        (parameters.certainMargin, parameters.certainSimilarity, parameters.certainRefineHalfWidth) = (1, 0.3, 1)
        let links = [
            Self.link(0, 0, similarity: 0.9), Self.link(1, 1, similarity: 0.8), Self.link(2, 2, similarity: 0.7),
            Self.link(3, 3, similarity: 0.9),  // run 0...3: 1 and 2 certain
            Self.link(4, 4, shape: (2, 1), similarity: 0.9),  // a merge ends the run
            Self.link(6, 5, similarity: 0.5), Self.link(7, 6, similarity: 0.5), Self.link(8, 7, similarity: 0.5),  // 7 certain
            Self.link(9, 8, similarity: 0.2),  // too weak
            Self.link(10, 9, similarity: 0.9), Self.link(11, 10, similarity: 0.9),  // too short for a margin of 1
            Self.link(12, 11, shape: (1, 0), similarity: 0),
        ]
        let expected = [false, true, true, false, false, false, true, false, false, false, false, false]
        #expect(Aligner(parameters: parameters).certainLinks(links) == expected)
        parameters.certainRefineHalfWidth = parameters.refineHalfWidth  // the plain corridor
        #expect(Aligner(parameters: parameters).certainLinks(links) == [Bool](repeating: false, count: links.count))
    }

    /// On a small document the second pass can search the corridor too (`refineFullSearchCells`
    /// 0) and find what the exhaustive second pass (the default below 250,000 cells) finds,
    /// from a first pass with a local error.
    @Test func smallSecondPassInTheCorridorFindsWhatTheExhaustiveOneFinds() {
        var es = Self.spanish
        es[4] += " " + es.remove(at: 5)  // a 2-1 link
        var parameters = AlignmentParameters.standard
        parameters.refineFullSearchCells = 0
        let (englishUnits, spanishUnits) = (Self.units(Self.english, .english), Self.units(es, .spanish))
        var first = Aligner(parameters: parameters).align(english: englishUnits, spanish: spanishUnits)
        first[1] = RawLink(english: 1..<2, spanish: 1..<1, terms: LinkTerms(shape: LinkShape(english: 1, spanish: 0)))
        first.insert(RawLink(english: 2..<2, spanish: 1..<2, terms: LinkTerms(shape: LinkShape(english: 0, spanish: 1))), at: 2)
        let corridor = Aligner(parameters: parameters).align(english: englishUnits, spanish: spanishUnits, previous: first)
        parameters.refineFullSearchCells = parameters.fullSearchCells
        let exhaustive = Aligner(parameters: parameters).align(english: englishUnits, spanish: spanishUnits, previous: first)
        let expected: [[[Int]]] = [[[0], [0]], [[1], [1]], [[2], [2]], [[3], [3]], [[4, 5], [4]], [[6], [5]], [[7], [6]]]
        #expect(corridor.map { [Array($0.english), Array($0.spanish)] } == expected)
        #expect(exhaustive.map { [Array($0.english), Array($0.spanish)] } == expected)
    }

    /// A second pass through the narrow corridor of certain stretches finds what the plain
    /// ±`refineHalfWidth` corridor finds, on a long document with a gap and merges, from a first
    /// pass that is wrong in one place (a 1-1 link swapped for an omission pair).
    @Test func certainCorridorFindsWhatThePlainCorridorFinds() {
        var en: [String] = []
        var es: [String] = []
        for k in 0..<600 {
            let english = "Paragraph \(k + 1): the committee approved document A/\(1000 + k) with \(k * 7 + 3) votes in favour."
            let spanish = "Párrafo \(k + 1): el comité aprobó el documento A/\(1000 + k) con \(k * 7 + 3) votos a favor."
            en.append(english)
            if (250..<270).contains(k) { continue }  // missing on the Spanish side
            if k % 97 == 50, let last = es.popLast() {
                es.append(last + " " + spanish)  // two English paragraphs in one Spanish one
            } else {
                es.append(spanish)
            }
        }
        var parameters = AlignmentParameters.standard
        parameters.fullSearchCells = 10_000
        let englishUnits = Self.units(en, .english)
        let spanishUnits = Self.units(es, .spanish)
        var first = Aligner(parameters: parameters).align(english: englishUnits, spanish: spanishUnits)
        // A first pass wrong at one link inside a certain run: its second pass must still mend it.
        let wrong = first.firstIndex { $0.english.lowerBound == 400 }!
        let (row, column) = (first[wrong].english, first[wrong].spanish)
        first.replaceSubrange(wrong...wrong, with: [
            RawLink(english: row, spanish: column.lowerBound..<column.lowerBound, terms: LinkTerms(shape: LinkShape(english: 1, spanish: 0))),
            RawLink(english: row.upperBound..<row.upperBound, spanish: column, terms: LinkTerms(shape: LinkShape(english: 0, spanish: 1))),
        ])
        let narrow = Aligner(parameters: parameters).align(english: englishUnits, spanish: spanishUnits, previous: first)
        parameters.certainRefineHalfWidth = parameters.refineHalfWidth
        let plain = Aligner(parameters: parameters).align(english: englishUnits, spanish: spanishUnits, previous: first)
        #expect(narrow.map { [Array($0.english), Array($0.spanish)] } == plain.map { [Array($0.english), Array($0.spanish)] })
        #expect(narrow.contains { $0.english == 400..<401 && $0.spanish.count == 1 })
        #expect(narrow.filter { $0.english.count == 2 && $0.spanish.count == 1 }.count == 6)
        #expect(narrow.filter { $0.english.count == 1 && $0.spanish.isEmpty }.count == 20)
    }

    /// Below `fullSearchCells` the second pass searches the whole grid, so a first pass that
    /// strayed further than the corridor (as through a block of inserted untranslated paragraphs)
    /// is put right; the corridor alone (`refineFullSearchCells` 0) cannot reach the true path.
    @Test func smallSecondPassMendsAFirstPassBeyondTheCorridor() {
        let count = 60
        let en = (0..<count).map { "Paragraph \($0 + 1): the committee approved document A/\(1000 + $0) with \($0 * 7 + 3) votes in favour." }
        let es = (0..<count).map { "Párrafo \($0 + 1): el comité aprobó el documento A/\(1000 + $0) con \($0 * 7 + 3) votos a favor." }
        let (englishUnits, spanishUnits) = (Self.units(en, .english), Self.units(es, .spanish))
        func oneToOne(_ i: Int, _ j: Int) -> RawLink { RawLink(english: i..<i + 1, spanish: j..<j + 1, terms: LinkTerms(shape: LinkShape(english: 1, spanish: 1))) }
        // Right up to 10; English 10..<25 left out, 25..<40 linked 15 rows off, Spanish 25..<40 left out; right again from 40.
        var first = (0..<10).map { oneToOne($0, $0) }
        first += (10..<25).map { RawLink(english: $0..<$0 + 1, spanish: 10..<10, terms: LinkTerms(shape: LinkShape(english: 1, spanish: 0))) }
        first += (25..<40).map { oneToOne($0, $0 - 15) }
        first += (25..<40).map { RawLink(english: 40..<40, spanish: $0..<$0 + 1, terms: LinkTerms(shape: LinkShape(english: 0, spanish: 1))) }
        first += (40..<count).map { oneToOne($0, $0) }
        let diagonal = (0..<count).map { [[$0], [$0]] }
        var parameters = AlignmentParameters.standard
        let mended = Aligner(parameters: parameters).align(english: englishUnits, spanish: spanishUnits, previous: first)
        #expect(mended.map { [Array($0.english), Array($0.spanish)] } == diagonal)
        parameters.refineFullSearchCells = 0
        let corridor = Aligner(parameters: parameters).align(english: englishUnits, spanish: spanishUnits, previous: first)
        #expect(corridor.map { [Array($0.english), Array($0.spanish)] } != diagonal)
    }
}

@Suite struct LinkScorerTests {
    func terms(similarity: Double, rival: Double = 0.1, z: Double = 0.5, shape: LinkShape = .init(english: 1, spanish: 1)) -> LinkTerms {
        var t = LinkTerms(shape: shape)
        t.similarity = similarity
        t.rivalSimilarity = rival
        t.lengthZ = z
        return t
    }

    @Test func scoresRiseWithSimilarity() {
        let scorer = LinkScorer.calibrated
        let scores = stride(from: 0.0, through: 1.0, by: 0.1).map { scorer.probability(terms(similarity: $0), length: 200) }
        #expect(zip(scores, scores.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(scores.allSatisfy { (0...1).contains($0) })
    }

    @Test func scoresFallWithLengthMismatchAndRivals() {
        let scorer = LinkScorer.calibrated
        let zs = [0.0, 1, 2, 4, 8].map { scorer.probability(terms(similarity: 0.6, z: $0), length: 200) }
        #expect(zip(zs, zs.dropFirst()).allSatisfy { $0 >= $1 })
        let rivals = [0.0, 0.3, 0.6, 0.9].map { scorer.probability(terms(similarity: 0.6, rival: $0), length: 200) }
        #expect(zip(rivals, rivals.dropFirst()).allSatisfy { $0 >= $1 })
    }

    @Test("The lexicon's radix sort sorts as sort() does", arguments: [0, 5, 4_097, 70_000])
    func radixSortMatchesSort(count: Int) {
        var generator = SystemRandomNumberGenerator()
        var values = (0..<count).map { k -> UInt64 in
            // Small ids in both halves (shared high digits), with repeats.
            UInt64(UInt32.random(in: 0..<3_000, using: &generator)) << 32 | UInt64(k % 5 == 0 ? 7 : UInt32.random(in: 0..<70_000, using: &generator))
        }
        values.append(contentsOf: [UInt64.max, 0, 1 << 63])
        var expected = values
        expected.sort()
        LexiconBootstrap.radixSort(&values)
        #expect(values == expected)
    }
}
