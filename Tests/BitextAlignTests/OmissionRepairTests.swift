import BitextCore
import Testing

@testable import BitextAlign

/// The omission post-pass on merges whose short unit is a deletion, not part of the merge.
/// Every case is real text from the LibreOffice help (libreoffice-tune, perturbed variant):
/// the search's link and the gold's.
@Suite struct OmissionRepairTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var english: [String]
        var spanish: [String]
        /// The search's links, as [[English], [Spanish]].
        var search: [[[Int]]]
        /// What the post-pass must leave.
        var expected: [[[Int]]]
        /// Word translations the document's first pass learned (LexiconBootstrap), Spanish → English.
        var lexicon: [String: String] = [:]
        /// Block kinds (default: paragraphs).
        var englishKinds: [BlockKind] = []
        var spanishKinds: [BlockKind] = []
        var testDescription: String { (english + spanish).map { String($0.prefix(24)) }.joined(separator: " / ") }
    }

    /// A 1-1 pair after the case, so that the post-pass has a document (it leaves a lone link
    /// as it is); stripped from the result.
    static let context = ("Print the document with the current settings.", "Imprime el documento con la configuración actual.")

    static func repair(_ c: Case, keepKinds: Bool = true) -> [[[Int]]] {
        var c = c
        c.english.append(Self.context.0)
        c.spanish.append(Self.context.1)
        c.search.append([[c.english.count - 1], [c.spanish.count - 1]])
        let extractor = AnchorExtractor()
        var englishFeatures = c.english.map { extractor.features(of: $0, language: .english) }
        var spanishFeatures = c.spanish.map { extractor.features(of: $0, language: .spanish) }
        let learned = LexiconBootstrap.anchors(c.lexicon, english: englishFeatures, spanish: spanishFeatures)
        LexiconBootstrap.apply(learned, english: &englishFeatures, spanish: &spanishFeatures)
        let en = englishFeatures.enumerated().map { AlignmentUnit(features: $1, kind: $0 < c.englishKinds.count ? c.englishKinds[$0] : .paragraph) }
        let es = spanishFeatures.enumerated().map { AlignmentUnit(features: $1, kind: $0 < c.spanishKinds.count ? c.spanishKinds[$0] : .paragraph) }
        let table = AnchorTable(english: englishFeatures, spanish: spanishFeatures, parameters: .standard)
        let raw = c.search.map { link in
            let a = link[0].first.map { $0..<link[0].last! + 1 } ?? 0..<0
            let b = link[1].first.map { $0..<link[1].last! + 1 } ?? 0..<0
            return RawLink(english: a, spanish: b, terms: LinkTerms(shape: LinkShape(english: a.count, spanish: b.count)))
        }
        var parameters = AlignmentParameters.standard
        parameters.repair.keepKinds = keepKinds
        let texts = UnitTexts(
            english: c.english.map { Substring($0) }, spanish: c.spanish.map { Substring($0) }, extractor: extractor, lexicon: c.lexicon)
        let links = OmissionRepair(parameters: parameters, texts: texts).apply(raw, english: en, spanish: es, table: table)
        return links.dropLast().map { [Array($0.english), Array($0.spanish)] }
    }

    /// Deleted headings, menu names and cells that the search merged into the paragraph beside
    /// them: their words are in the single unit only as the neighbour's counterpart.
    static let deletions: [Case] = [
        Case(
            english: ["Copies the selection to the clipboard."], spanish: ["Copia la selección en el portapapeles.", "Copiar"],
            search: [[[0], [0, 1]]], expected: [[[0], [0]], [[], [1]]]),
        Case(
            english: ["Recalculation options", "Options"], spanish: ["Recalcular opciones"],
            search: [[[0, 1], [0]]], expected: [[[0], [0]], [[1], []]]),
        Case(
            english: [
                "Select a formatting style to use for visited links from the list. To add or modify a style in this list, close this dialog, and click the Styles icon on the Formatting toolbar.",
                "Unvisited links",
            ],
            spanish: [
                "Seleccione de la lista un estilo de formato para los enlaces visitados. Para añadir o modificar un estilo de esta lista, cierre este cuadro de diálogo y pulse en el icono Estilos de la barra de herramientas Formato."
            ],
            search: [[[0, 1], [0]]], expected: [[[0], [0]], [[1], []]], lexicon: ["enlaces": "links"]),
        Case(
            english: ["Opens the Stars and Banners toolbar from which you can insert graphics into your document."],
            spanish: ["Abre la barra de herramientas Estrellas y pancartas, que permite insertar imágenes en el documento.", "Estrellas"],
            search: [[[0], [0, 1]]], expected: [[[0], [0]], [[], [1]]]),
        Case(
            english: ["Undoes the action of the Previous Zoom command. You can also press Ctrl+Period(.)."],
            spanish: ["Deshace la acción de la orden Zum anterior. También puede presionar Ctrl + punto (.).", "Zum siguiente"],
            search: [[[0], [0, 1]]], expected: [[[0], [0]], [[], [1]]], lexicon: ["zum": "zoom"]),
        // Two texts in the single unit, two in the pair: the short unit's is the neighbour's.
        Case(
            english: ["Draws a text box where you click or drag in the current document. Click anywhere in the document, and then type or paste your text."],
            spanish: ["Dibuja un cuadro de texto al pulsar o arrastrar en el documento actual. Pulse en cualquier lugar del documento y escriba o pegue el texto.", "Texto"],
            search: [[[0], [0, 1]]], expected: [[[0], [0]], [[], [1]]]),
        // A one-word cell cannot hold two translations.
        Case(english: ["not"], spanish: ["no", "no"], search: [[[0], [0, 1]]], expected: [[[0], [0]], [[], [1]]]),
    ]

    @Test(arguments: deletions)
    func shortUnitWithoutItsOwnCounterpartIsSplitOff(_ c: Case) {
        #expect(Self.repair(c) == c.expected)
    }

    /// Real merges (the gold merges them): the single unit holds the short unit's words at its
    /// facing edge besides the neighbour's.
    static let merges: [Case] = [
        Case(
            english: ["Image Bar", "The Image Bar contains functions for formatting and positioning selected bitmap graphics."],
            spanish: ["Barra Imágenes La barra Imagen contiene funciones para dar formato y posicionar los mapas de bits seleccionados."],
            search: [[[0, 1], [0]]], expected: [[[0, 1], [0]]]),
        Case(
            english: ["Explorer On/Off", "Turns on and off the view of the data source explorer. The Explorer On/Off icon is visible on the Table Data bar."],
            spanish: [
                "Mostrar/Ocultar Explorador Activa o desactiva la visualización del explorador de orígenes de datos. El ícono Activar o desactivar explorador se ve en la Barra de tablas de datos."
            ],
            search: [[[0, 1], [0]]], expected: [[[0, 1], [0]]]),
        // A short unit sharing no anchor with the single unit gives no evidence: kept.
        Case(english: ["SECOND", "TIME"], spanish: ["SEGUNDO NSHORA"], search: [[[0, 1], [0]]], expected: [[[0, 1], [0]]]),
    ]

    @Test(arguments: merges)
    func mergeWhoseSingleUnitHoldsBothStays(_ c: Case) {
        #expect(Self.repair(c) == c.expected)
    }

    @Test func cutGainCountsWordsNotSets() {
        let texts = UnitTexts(english: [], spanish: [], extractor: AnchorExtractor())
        let extractor = AnchorExtractor()
        let english = [extractor.features(of: "Paste your text.", language: .english)]
        let spanish = [extractor.features(of: "Pegue el texto. Texto", language: .spanish)]
        let table = AnchorTable(english: english, spanish: spanish, parameters: .standard)
        // One text in the English unit: the Spanish short unit "Texto" gains nothing from a cut.
        let once = texts.cutGain(
            short: "Texto", kept: "Pegue el texto.", single: "Paste your text.", singleIsEnglish: true, shortAtEnd: true, reach: 20, table: table)
        #expect(once != nil && once! <= 0)
        // Two: the last one is the short unit's own.
        let twice = texts.cutGain(
            short: "Texto", kept: "Pegue el texto.", single: "Paste your text. Text", singleIsEnglish: true, shortAtEnd: true, reach: 20,
            table: table)
        #expect(twice != nil && twice! > 0)
        // No shared anchor at all: no evidence.
        #expect(
            texts.cutGain(short: "Cotización", kept: "Red", single: "Stock", singleIsEnglish: true, shortAtEnd: true, reach: 20, table: table) == nil)
    }

    /// LibreOffice help: the English paragraph after "Color Bar" was deleted and the Spanish one
    /// is left untranslated, so it repeats the heading's words ("Color bar"); the run
    /// re-placement preferred it to the heading's real partner on anchors alone.
    static let untranslatedParagraphAfterHeading = Case(
        english: ["Color Bar", "Status Bar"],
        spanish: [
            "Barra de colores",
            "Show or hide the Color bar. To modify or change the color table that is displayed, choose Format - Area, and then click on the Colors tab.",
            "Barra de estado",
        ],
        search: [[[0], [0]], [[], [1]], [[1], [2]]], expected: [[[0], [0]], [[], [1]], [[1], [2]]],
        englishKinds: [.heading, .heading], spanishKinds: [.heading, .paragraph, .heading])

    @Test func runReplacementKeepsHeadingsWithHeadings() {
        let c = Self.untranslatedParagraphAfterHeading
        #expect(Self.repair(c) == c.expected)
        // Without the guard, anchors alone move the heading to the paragraph.
        #expect(Self.repair(c, keepKinds: false) == [[[], [0]], [[0], [1]], [[1], [2]]])
    }

    /// Only a link with more units on one side than on the other gives a repair a start: links
    /// that are all 1-1 or 2-2 are left as the search found them, without looking at them.
    @Test(arguments: [(1, 0), (0, 1), (2, 1), (1, 2), (3, 1), (1, 3)])
    func anUnbalancedLinkMayBeRepaired(english: Int, spanish: Int) {
        func link(_ a: Range<Int>, _ b: Range<Int>) -> RawLink {
            RawLink(english: a, spanish: b, terms: LinkTerms(shape: LinkShape(english: a.count, spanish: b.count)))
        }
        let balanced = [link(0..<1, 0..<1), link(1..<3, 1..<3), link(3..<4, 3..<4)]
        #expect(!OmissionRepair.mayRepair(balanced))
        #expect(OmissionRepair.mayRepair(balanced + [link(4..<4 + english, 4..<4 + spanish)]))
    }
}
