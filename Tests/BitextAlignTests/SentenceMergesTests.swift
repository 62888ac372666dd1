import BitextCore
import Testing

@testable import BitextAlign

/// Sentence omissions re-read as merges (SentenceMerges.swift), on pseudo-paragraphs of the
/// Spanish message catalogs (scripts/align/build_sentence_devset.py, dev split).
@Suite struct SentenceMergesTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var source: String
        var english: String
        var spanish: String
        /// Expected sentence links, as sentence positions inside the paragraph.
        var links: [[[Int]]]
        var testDescription: String { source }
    }

    static let cases: [Case] = [
        // A translator's join with a comma: "It will be disabled." has no anchor in "se desactivará".
        Case(
            source: "wget (clean)",
            english: "Could not get downloaded file's size. Could not initialize SSL. It will be disabled. Could not open CDX file for output. Could not open WARC file.",
            spanish: "No se pudo obtener el tamaño del fichero descargado. No se pudo iniciar SSL, se desactivará. No se pudo abrir el fichero CDX para salida. No se pudo abrir el fichero WARC.",
            links: [[[0], [0]], [[1, 2], [1]], [[3], [2]], [[4], [3]]]),
        // Joins with a semicolon, on either side.
        Case(
            source: "postgres-15 (merged)",
            english: "Sets the planner's estimate of the average size of a recursive query's working table. Sets the planner's estimate of the cost of a nonsequentially fetched disk page.",
            spanish: "Estimación del tamaño promedio de la tabla de trabajo de una consulta recursiva; estimación del costo de una página leída no secuencialmente.",
            links: [[[0, 1], [0]]]),
        Case(
            source: "initdb-15 (merged)",
            english: "Data page checksums are disabled; data page checksums are enabled. It contains a dot-prefixed/invisible file, perhaps due to it being a mount point. It contains a lost+found directory, perhaps due to it being a mount point. Please log in (using, e.g., \"su\") as the (unprivileged) user that will own the server process.",
            spanish: "Las sumas de verificación en páginas de datos han sido desactivadas. Las sumas de verificación en páginas de datos han sido activadas. Contiene un archivo invisible o que empieza con un punto (.), quizás por ser un punto de montaje. Contiene un directorio lost+found, quizás por ser un punto de montaje. Por favor conéctese (usando, por ejemplo, «su») con un usuario no privilegiado, quien ejecutará el proceso servidor.",
            links: [[[0], [0, 1]], [[1], [2]], [[2], [3]], [[3], [4]]]),
        // A true omission stays one: the list's commas match ("a, b, and c" = "a, b y c").
        Case(
            source: "postgres-15 (deleted)",
            english: "Perhaps you need a different \"datestyle\" setting. Permissions should be u=rwx (0700) or u=rwx,g=rx (0750). Possible values are: \"string\", \"numeric\", \"boolean\", \"key\", and \"all\". Prefetch referenced blocks during recovery.",
            spanish: "Quizás necesite una configuración diferente de «datestyle». Los permisos deberían ser u=rwx (0700) o u=rwx,g=rx (0750). Los valores posibles son: «string», «numeric», «boolean», «key» y «all». PostgreSQL no soporta segundos intercalares. Pre-cargar bloques referenciados durante la recuperación.",
            links: [[[0], [0]], [[1], [1]], [[2], [2]], [[], [3]], [[3], [4]]]),
        // Real documentation (maint-guide 1.2.53, "first"): a translator's split of a comma clause
        // stays a 1-2 (the one link the pass changes on the maint-guide chapters; right in the document).
        Case(
            source: "maint-guide (first)",
            english: "You should contact the program's author(s) to check if they agree with packaging it and are amicable to Debian. It is important to be able to consult with the author(s) in case of any problems with the program, so don't try to package unmaintained software.",
            spanish: "Deberías contactar con el autor o autores del programa para comprobar su conformidad con el empaquetado. Es importante que el autor o autores sigan manteniendo el programa para que puedas en el futuro consultarle/s en caso de que haya problemas específicos. No deberías intentar empaquetar programas que no estén mantenidos.",
            links: [[[0], [0]], [[1], [1, 2]]]),
    ]

    @Test(arguments: cases)
    func sentenceLinks(_ example: Case) throws {
        var unit = pairedUnit(paragraphs: [example.english, example.spanish], englishCount: 1)
        unit.alignment = [AlignmentLink(english: [0], spanish: [0], score: 1)]
        try SegmentSentences().process(&unit, context: StageContext())
        try AlignSentences().process(&unit, context: StageContext())
        let links = try #require(unit.sentenceAlignment)
        // One paragraph a side: sentence positions in the side are positions in the paragraph.
        #expect(links.map { [$0.english.array, $0.spanish.array] } == example.links)
    }

    @Test(arguments: [
        ("No se pudo iniciar SSL, se desactivará.", 1),
        ("Could not initialize SSL.", 0),
        ("Estimación del tamaño promedio de la tabla de trabajo de una consulta recursiva; estimación del costo de una página leída no secuencialmente.", 1),
        // A serial comma before "and" is no clause; the colon is.
        ("Possible values are: \"string\", \"numeric\", \"boolean\", \"key\", and \"all\".", 4),
        ("Los valores posibles son: «string», «numeric», «boolean», «key» y «all».", 4),
        // Decimal commas, times and URLs have no space after the mark.
        ("Version 1,5 started at 10:30 from http://example.org.", 0),
    ])
    func clauseMarks(_ text: String, _ expected: Int) {
        #expect(SentenceMerges.clauseMarks(Substring(text)) == expected)
        #expect(SentenceMerges.clauseMarksByCharacters(Substring(text)) == expected)
    }

    /// ASCII sentences read by their bytes count as by their Characters.
    @Test(arguments: [
        "a, b, and c; d: e", "Yes, AND no", "x,y, z", "one,\ntwo", ", start", "end,", "a, Nor b", "a, n\u{303}or", "a,\r\nb", "x, ándale",
        "If so, or not, ORANGE, Or, y, Y, e", "a, b1c", "  ;  : , ", "",
    ])
    func clauseMarksByBytesAreByCharacters(_ text: String) {
        #expect(SentenceMerges.clauseMarks(Substring(text)) == SentenceMerges.clauseMarksByCharacters(Substring(text)))
    }
}
