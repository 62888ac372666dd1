import Testing

@testable import BitextCore
@testable import BitextLanguage

@Suite struct PairDocumentsTests {
    let stage = try! PairDocuments(options: .init())

    func plan(_ paths: [String], stage: PairDocuments? = nil, html: [String: String] = [:]) -> BatchPlan {
        let inputs = paths.map { InputFile(path: "/batch/" + $0, relativePath: $0) }
        return (stage ?? self.stage).plan(inputs, sniff: { input in
            html[input.relativePath].map { HreflangSniffer.sniff(Array($0.utf8)) }
        })
    }

    func pairs(_ plan: BatchPlan) -> [[String]] {
        plan.units.filter { $0.count == 2 }.map { $0.map(\.relativePath) }
    }

    @Test("Pairs by file-name conventions, English first", arguments: [
        (["report.en.txt", "report.es.txt"], ["report.en.txt", "report.es.txt"]),
        (["report.es.txt", "report.en.txt"], ["report.en.txt", "report.es.txt"]),
        (["memo_en.txt", "memo_es.txt"], ["memo_en.txt", "memo_es.txt"]),
        (["memo-ES.html", "memo-EN.html"], ["memo-EN.html", "memo-ES.html"]),
        (["guide.en-US.html", "guide.es-ES.html"], ["guide.en-US.html", "guide.es-ES.html"]),
        (["en/a/intro.txt", "es/a/intro.txt"], ["en/a/intro.txt", "es/a/intro.txt"]),
        (["docs/es/intro.html", "docs/en/intro.html"], ["docs/en/intro.html", "docs/es/intro.html"]),
        (["notes_english.txt", "notes_spanish.txt"], ["notes_english.txt", "notes_spanish.txt"]),
    ])
    func conventions(paths: [String], expected: [String]) {
        let result = plan(paths)
        #expect(pairs(result) == [expected])
        #expect(result.notes.isEmpty)
        #expect(result.units[0].map(\.languageHint) == [.english, .spanish])
    }

    @Test("Does not pair what only looks alike", arguments: [
        ["report.en.txt", "report.es.html"],  // different formats
        ["a/report.en.txt", "b/report.es.txt"],  // different folders
        ["report.en.txt", "summary.es.txt"],
        ["en/intro.txt", "es/outro.txt"],
    ])
    func nonPairs(paths: [String]) {
        let result = plan(paths)
        #expect(pairs(result).isEmpty)
        #expect(result.units.count == 2)
        #expect(result.notes.count == 2 && result.notes.allSatisfy { $0.message.hasPrefix("unpaired") && $0.severity == .warning })
    }

    @Test func unpairedAndBilingualFilesAreSingleUnitsWithNotes() {
        let result = plan(["bap-mss-statement.en-es.txt", "letter.en.txt", "x.en.txt", "x.es.txt", "readme.txt"])
        #expect(result.units.map { $0.map(\.relativePath) } == [
            ["bap-mss-statement.en-es.txt"], ["letter.en.txt"], ["x.en.txt", "x.es.txt"], ["readme.txt"],
        ])
        #expect(result.notes.map(\.file) == ["/batch/bap-mss-statement.en-es.txt", "/batch/letter.en.txt", "/batch/readme.txt"])
        #expect(result.notes[0].message.contains("both versions"))
        #expect(result.notes[1].message.contains("no Spanish version"))
    }

    @Test func ambiguousMatchesAreReportedNotGuessed() {
        let result = plan(["a.en.txt", "a_en.txt", "a.es.txt", "en/a.en.txt"], stage: try! PairDocuments(options: .init(pattern: "{name}{*}{lang}.txt")))
        #expect(pairs(result).isEmpty)
        #expect(result.notes.contains { $0.message.hasPrefix("ambiguous") })
        #expect(result.units.count == 4)
    }

    @Test func ambiguityWithBuiltInConventions() {
        // Two English candidates for report.es.txt (the tag differs only in case).
        let result = plan(["report.en.txt", "report.EN.txt", "report.es.txt"])
        #expect(pairs(result).isEmpty)
        #expect(result.notes.filter { $0.message.hasPrefix("ambiguous") }.count == 3)
    }

    @Test("A pipeline pattern pairs names the conventions miss", arguments: [
        ("{name}[{lang}].{ext}", ["Informe[ES].txt", "Informe[EN].txt"], ["Informe[EN].txt", "Informe[ES].txt"]),
        ("{lang}-{name}", ["en-manual.html", "es-manual.html"], ["en-manual.html", "es-manual.html"]),
        ("{name}.{*}.{lang}.txt", ["law.v2.en.txt", "law.v3.es.txt"], ["law.v2.en.txt", "law.v3.es.txt"]),
    ])
    func pattern(template: String, paths: [String], expected: [String]) throws {
        let stage = try PairDocuments(options: .init(pattern: template))
        #expect(pairs(plan(paths, stage: stage)) == [expected])
    }

    @Test("Rejects bad patterns", arguments: ["{name}.txt", "{name}.{lang", "{name}.{language}.txt"])
    func badPattern(template: String) {
        #expect(throws: OptionError.self) { try PairDocuments(options: .init(pattern: template)) }
    }

    @Test func pairsThroughHreflang() {
        let english = """
            <!DOCTYPE html><html lang="en-US"><head><meta charset="utf-8">
            <link rel="alternate" hreflang="es" href="../noticias/articulo.html">
            <link rel="alternate" hreflang="x-default" href="story.html">
            </head><body><p>Text</p></body></html>
            """
        let spanish = #"<html lang='es'><head><link href="/news/story.html" hreflang="en" rel="alternate"/></head>"#
        let result = plan(["news/story.html", "noticias/articulo.html", "other.html"], html: [
            "news/story.html": english, "noticias/articulo.html": spanish, "other.html": "<html><body>x</body></html>",
        ])
        #expect(pairs(result) == [["news/story.html", "noticias/articulo.html"]])
        #expect(result.notes.map(\.file) == ["/batch/other.html"])
    }

    @Test func hreflangWithTwoCandidatesIsAmbiguous() {
        let page = #"<html lang="en"><head><link rel="alternate" hreflang="es" href="https://example.org/es/page.html"></head>"#
        let result = plan(["en/page.html", "es/v1/page.html", "es/v2/page.html"], html: ["en/page.html": page])
        #expect(pairs(result).isEmpty)
        #expect(result.notes.contains { $0.message.hasPrefix("ambiguous") && $0.file == "/batch/en/page.html" })
    }

    @Test func sniffsOnlyTheHead() {
        let links = HreflangSniffer.sniff(Array("""
            <HTML LANG=es><HEAD><LINK REL="Alternate" HREFLANG="EN" HREF="a.html?x=1&amp;y=2"></HEAD>
            <BODY><link rel="alternate" hreflang="fr" href="late.html"></BODY>
            """.utf8))
        #expect(links.language == .spanish)
        #expect(links.alternates == [.init(language: .english, href: "a.html?x=1&y=2")])
    }

    // MARK: Processing

    @Test func splitsTheStatementSampleIntoItsTwoParts() throws {
        var unit = WorkUnit(id: "s", inputs: [InputFile(path: "samples/bap-mss-statement.en-es.txt")])
        unit.documents = [try sampleByBlankLines("bap-mss-statement.en-es.txt")]
        try IdentifyLanguage(options: .init()).process(&unit, context: StageContext())
        try stage.process(&unit, context: StageContext())
        let english = try #require(unit.sides[.english])
        let spanish = try #require(unit.sides[.spanish])
        #expect(english.blocks.array == Array(0..<9))
        #expect(spanish.blocks.array == Array(9..<18))
        #expect(unit.documents[0].text(ofBlock: spanish.blocks[0]).hasPrefix("La Misión Multinacional"))
        #expect(unit.isPaired)
    }

    @Test func oneLanguageDocumentGetsNoSides() throws {
        var unit = WorkUnit(id: "x", inputs: [InputFile(path: "x.txt")])
        unit.documents = [document(englishParagraphs + englishParagraphs)]
        try IdentifyLanguage(options: .init()).process(&unit, context: StageContext())
        try stage.process(&unit, context: StageContext())
        #expect(unit.sides.isEmpty)
        #expect(unit.views.keys.sorted() == [.english])
    }

    @Test func untranslatedParagraphDoesNotSplitADocument() throws {
        var unit = WorkUnit(id: "x", inputs: [InputFile(path: "x.txt")])
        unit.documents = [document(spanishParagraphs + [englishParagraphs[0]] + spanishParagraphs)]
        try IdentifyLanguage(options: .init()).process(&unit, context: StageContext())
        try stage.process(&unit, context: StageContext())
        #expect(unit.sides.isEmpty)
    }

    @Test func twoDocumentsGetSidesAndDisagreementsAreReported() throws {
        var unit = WorkUnit(id: "p", inputs: [
            InputFile(path: "a.en.txt", languageHint: .english), InputFile(path: "a.es.txt", languageHint: .spanish),
        ])
        // The files are swapped: the ".en" file holds Spanish.
        unit.documents = [document(spanishParagraphs, path: "a.en.txt"), document(englishParagraphs, path: "a.es.txt")]
        try IdentifyLanguage(options: .init()).process(&unit, context: StageContext())
        try stage.process(&unit, context: StageContext())
        #expect(unit.sides[.english] == Side(document: 1, blocks: [0, 1, 2]))
        #expect(unit.sides[.spanish] == Side(document: 0, blocks: [0, 1, 2]))
        #expect(unit.diagnostics.count == 2)
        #expect(unit.diagnostics.allSatisfy { $0.message.contains("file name says") })
    }

    @Test func twoDocumentsAgreeingWithTheirNames() throws {
        var unit = WorkUnit(id: "p", inputs: [
            InputFile(path: "a.en.txt", languageHint: .english), InputFile(path: "a.es.txt", languageHint: .spanish),
        ])
        unit.documents = [document(englishParagraphs, path: "a.en.txt"), document(spanishParagraphs, path: "a.es.txt")]
        try IdentifyLanguage(options: .init()).process(&unit, context: StageContext())
        try stage.process(&unit, context: StageContext())
        #expect(unit.sides[.english] == Side(document: 0, blocks: [0, 1, 2]))
        #expect(unit.sides[.spanish] == Side(document: 1, blocks: [0, 1, 2]))
        // A whole document's blocks are one run held inline, not a list of every position.
        #expect(unit.sides[.english]?.blocks.run?.count == 3 && unit.sides[.spanish]?.blocks.run?.count == 3)
        #expect(unit.diagnostics.isEmpty)
    }

    @Test func bilingualSplitFromLabels() {
        let en = LanguageCode.english, es = LanguageCode.spanish, und = LanguageCode.undetermined
        #expect(BilingualSplit.find(labels: [es, es, und, en, en], weights: [100, 100, 5, 90, 90])
            == BilingualSplit(first: .spanish, second: .english, boundary: 2))
        #expect(BilingualSplit.find(labels: [en, es, en, es], weights: [100, 100, 100, 100]) == nil)  // interleaved
        #expect(BilingualSplit.find(labels: [en, en, en, es], weights: [100, 100, 100, 30]) == nil)  // too small
    }
}

/// The byte-level test for bilingual file names (ASCII paths) must agree with the general one.
@Suite struct BilingualNameTests {
    @Test func asciiTestAgreesWithTheGeneralOne() {
        let stems = ["x", "a.b", "report", "EN", "en", "es", "es-en", ".en-es", "", "-", "."]
        let tags = ["en-es", "es-en", "en_es", "ES_EN", "en+es", "Es+En", "en-en", "es-es", "en-fr", "eng-spa", "en-e", "en-ess", "en es", "en.es"]
        let befores = [".", "_", "-", "", " ", "/"]
        let afters = ["", ".txt", ".html.gz", "x", "_x", ".", "/x.txt", "-1.txt"]
        var paths: [String] = ["", "/", "a/", "a//", "en-es", ".en-es", "dir.en-es/file.txt", "dir/x.en-es", "x.en-es/"]
        for stem in stems {
            for tag in tags {
                for before in befores {
                    for after in afters { paths.append("d/" + stem + before + tag + after) }
                }
            }
        }
        var bilingual = 0
        for path in paths {
            let general = FileNameConventions.isBilingualNameOfAnyText(path)
            if let ascii = FileNameConventions.isBilingualASCIIName(path) {
                #expect(ascii == general, "\(path)")
            }
            #expect(FileNameConventions.isBilingualName(path) == general, "\(path)")
            if general { bilingual += 1 }
        }
        #expect(bilingual > 100)
        #expect(FileNameConventions.isBilingualASCIIName("informe.en-es.txt") == true)
        #expect(FileNameConventions.isBilingualASCIIName("año.en-es.txt") == nil)
        #expect(FileNameConventions.isBilingualName("año.en-es.txt"))
    }
}

/// Planning reads the names of ASCII paths on bytes: it must find what the general reading
/// finds, path by path (language, key and convention).
@Suite struct ASCIIPathVersionTests {
    static let pieces = ["en", "es", "EN", "Es", "en-US", "es_mx", "es-419", "eng", "spa", "english", "Spanish", "espanol",
                         "doc", "x", "a.b", "", ".", "_", "-", "/", "..", "txt", "html", "en-es", "EN_GB", "es-", "-en", "1", "ingles"]

    @Test("Byte and character readings agree on generated paths")
    func agreesOnGeneratedPaths() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var named = 0
        for _ in 0..<20_000 {
            let path = (0..<(1 + next(7))).map { _ in Self.pieces[next(Self.pieces.count)] }.joined()
            let fast = FileNameConventions.versionOfASCIIPath(path)
            let general = FileNameConventions.versionOfAnyPath(path)
            #expect(fast == .some(general), "\(path)")
            if general != nil { named += 1 }
        }
        #expect(named > 1_000)  // the generated paths exercise the conventions, not only misses
    }

    @Test(arguments: ["en/doc/a.txt", "docs/es/a.txt", "a/b/report.en-US.txt", "report_es.html", "x.en", ".en", "a/.es.txt",
                      "a/", "", "/en", "en/", "r.es_mx.txt", "r-EN.html", "a.b.c", "report.eng.txt", "dir.en/file.txt"])
    func agreesOnExamples(_ path: String) {
        #expect(FileNameConventions.versionOfASCIIPath(path) == .some(FileNameConventions.versionOfAnyPath(path)))
    }

    @Test("Paths with other characters take the general reading")
    func leavesOtherPaths() {
        #expect(FileNameConventions.versionOfASCIIPath("informe.español.txt") == nil)
        #expect(FileNameConventions.versionOfASCIIPath("a\r\n/en/b.txt") == nil)
    }
}
