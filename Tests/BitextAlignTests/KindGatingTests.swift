import BitextCore
import Testing

@testable import BitextAlign

/// Kind costs charged in proportion to how sure the kinds are: stated by markup on both sides,
/// or guessed from plain text (StructureWeights.guessedKindWeight).
@Suite struct KindGatingTests {
    @Test func markupStatesKindsPlainTextGuessesThem() {
        let markup = Block(kind: .heading, range: TextRange(0, 1), position: SourcePosition(line: 1, column: 1), level: 2,
                           attributes: ["element_path": "/html/body/h2"])
        let guessed = Block(kind: .heading, range: TextRange(0, 1), position: SourcePosition(line: 1, column: 1), level: 2)
        #expect(UnitStructure(block: markup).kindStated)
        #expect(!UnitStructure(block: guessed).kindStated)
        // Units built without a block (sentences, the development-set harness) keep full kind costs.
        #expect(UnitStructure().kindStated)
    }

    @Test(arguments: [(true, true, 1.0), (true, false, 0.25), (false, true, 0.25), (false, false, 0.25)])
    func kindWeight(_ englishStated: Bool, _ spanishStated: Bool, _ expected: Double) {
        var a = UnitStructure()
        a.kindStated = englishStated
        var b = UnitStructure()
        b.kindStated = spanishStated
        let weights = StructureWeights()
        #expect(StructuralCost.kindWeight(a, b, weights: weights) == expected)
        let heading = AlignmentUnit(features: TextFeatures(), kind: .heading, structure: a)
        let paragraph = AlignmentUnit(features: TextFeatures(), kind: .paragraph, structure: b)
        #expect(StructuralCost.cost([heading, heading][0..<2], [paragraph][0..<1], weights: weights, merge: true) == weights.mergeKindCost * expected)
    }

    /// Plain text of the LibreOffice help (libreoffice-tune-05, the tuning set of
    /// scripts/align/plaintext_eval.py): the ingest guessed "Etiqueta de filas" a heading and
    /// "Row labels" a paragraph. Charged in full, that guess left the Spanish label out and
    /// merged the English one into the next link in the whole document; guessed, the pair
    /// pays a quarter of it, and the labels stay linked.
    @Test(arguments: [true, false])
    func guessedKindsCostAQuarter(_ stated: Bool) {
        let extractor = AnchorExtractor()
        func units(_ items: [(String, BlockKind)], _ language: LanguageKind) -> [AlignmentUnit] {
            items.map { text, kind in
                var structure = UnitStructure()
                structure.kindStated = stated
                return AlignmentUnit(features: extractor.features(of: text, language: language), kind: kind, structure: structure)
            }
        }
        let english = units([
            ("Specifies whether to use the data in the first column of the source range as a label.", .paragraph),
            ("Row labels", .paragraph), ("Uses the row labels to arrange the consolidated data.", .paragraph),
        ], .english)
        let spanish = units([
            ("Especifica si deben utilizarse los datos de la primera columna del área de origen como etiqueta.", .paragraph),
            ("Etiqueta de filas", .heading), ("Utiliza las etiquetas de fila para disponer los datos consolidados.", .paragraph),
        ], .spanish)
        let aligner = Aligner()
        let search = aligner.prepare(
            english: english, spanish: spanish,
            table: AnchorTable(english: english.map(\.features), spanish: spanish.map(\.features), parameters: aligner.parameters))
        let labels = aligner.linkTerms(shape: LinkShape(english: 1, spanish: 1), enStart: 1, esStart: 1, en: search.en, es: search.es, table: search.table)
        #expect(labels.kindCost == aligner.parameters.kindMismatchCost * (stated ? 1 : aligner.parameters.structure.guessedKindWeight))
        let links = aligner.align(english: english, spanish: spanish).map { [Array($0.english), Array($0.spanish)] }
        #expect(links == [[[0], [0]], [[1], [1]], [[2], [2]]])
    }
}
