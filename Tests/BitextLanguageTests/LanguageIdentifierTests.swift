import BitextCore
import Testing

@testable import BitextLanguage

@Suite struct LanguageIdentifierTests {
    let identifier = LanguageIdentifier.shared

    @Test("Identifies whole sentences in the seven model languages", arguments: [
        ("en", "The committee will meet again next week to review the budget proposal."),
        ("en", "Please restart the computer after the installation has finished."),
        ("en", "We stand with the Haitian people and civil society groups who oppose foreign intervention."),
        ("es", "El comité se reunirá de nuevo la próxima semana para revisar el presupuesto."),
        ("es", "Reinicie el equipo cuando haya terminado la instalación."),
        ("es", "Estamos con el pueblo haitiano y los grupos de la sociedad civil."),
        ("pt", "O comitê vai se reunir novamente na próxima semana para analisar o orçamento."),
        ("pt", "Não foi possível abrir o ficheiro porque não tem permissões suficientes."),
        ("ca", "El comitè es tornarà a reunir la setmana vinent per revisar el pressupost."),
        ("ca", "No s'ha pogut obrir el fitxer perquè no teniu prou permisos."),
        ("it", "Il comitato si riunirà di nuovo la prossima settimana per esaminare il bilancio."),
        ("it", "Impossibile aprire il file perché non si dispone dei permessi necessari."),
        ("fr", "Le comité se réunira de nouveau la semaine prochaine pour examiner le budget."),
        ("fr", "Impossible d'ouvrir le fichier car vous n'avez pas les droits suffisants."),
        ("gl", "O comité volverá reunirse a próxima semana para revisar o orzamento."),
        ("gl", "Non foi posíbel abrir o ficheiro porque non ten permisos abondo."),
    ])
    func sentences(expected: String, text: String) {
        let result = identifier.identify(text)
        #expect(result.language == LanguageCode(expected), "\(text) → \(result)")
        // English and Spanish stand apart; Galician shares much with Portuguese and Spanish,
        // so its posterior is spread wider even when the answer is right.
        let floor = LanguageCode.pairLanguages.contains(result.language) ? 0.9 : 0.4
        #expect(result.confidence > floor && result.confidence <= 1)
    }

    @Test("Short labels are identified or left undetermined, never forced the wrong way", arguments: [
        ("Normal", ["und", "en", "es"]),
        ("Radio", ["und", "en", "es"]),
        ("Error", ["und", "en", "es"]),
        ("Cancel", ["und", "en"]),
        ("Cancelar", ["und", "es"]),
        ("Save as…", ["und", "en"]),
        ("Guardar como…", ["und", "es"]),
        ("Open the file", ["en"]),
        ("Abrir el archivo", ["es"]),
        ("¿Dónde está?", ["und", "es"]),
    ])
    func shortLabels(text: String, allowed: [String]) {
        let result = identifier.identify(text)
        #expect(allowed.map { LanguageCode($0) }.contains(result.language), "\(text) → \(result)")
    }

    @Test("No letters, no language", arguments: ["", "   ", "1234 5678", "— … «» 42%", "😀😀"])
    func noLetters(text: String) {
        let result = identifier.identify(text)
        #expect(result.language == .undetermined)
        #expect(result.confidence == 0)
    }

    @Test func caseFoldingCoversLatin1Capitals() {
        let lower = identifier.evidence("la información está en el índice")
        let upper = identifier.evidence("LA INFORMACIÓN ESTÁ EN EL ÍNDICE")
        #expect(lower == upper)
    }

    @Test func typographicApostropheEqualsASCII() {
        #expect(identifier.evidence("l’ordinateur n’est pas prêt") == identifier.evidence("l'ordinateur n'est pas prêt"))
    }

    @Test func evidenceAddsUp() {
        let a = "The report was published in October."
        let b = "El informe se publicó en octubre."
        #expect(identifier.evidence(a) + identifier.evidence(b) == identifier.evidence(a + " " + b))
    }

    @Test func hintTipsThinEvidence() {
        let evidence = identifier.evidence("Radio")
        #expect(identifier.decide(evidence, extraPrior: [.spanish: -3]).language == .spanish)
        #expect(identifier.decide(evidence, extraPrior: [.english: -3]).language == .english)
    }

    @Test func restrictionToThePair() {
        let text = "O comité volverá reunirse a próxima semana."
        let restricted = identifier.decide(identifier.evidence(text), extraPrior: identifier.exclusionPrior(keeping: [.english, .spanish]))
        #expect(restricted.language == .spanish)
    }

    @Test func modelLanguages() {
        #expect(identifier.languages == ["en", "es", "pt", "ca", "it", "fr", "gl"])
    }

    @Test func rejectsDamagedModel() {
        #expect(throws: LanguageModelError.self) { try LanguageIdentifier(model: Array("BXLI".utf8)) }
        #expect(throws: LanguageModelError.self) { try LanguageIdentifier(model: Array("nope....".utf8)) }
    }

    @Test func identifiesConcurrently() async {
        let texts = ["The weather is nice today.", "Hoy hace buen tiempo en la ciudad."]
        let results = await withTaskGroup(of: LanguageCode.self) { group in
            for i in 0..<32 { group.addTask { LanguageIdentifier.shared.identify(texts[i % 2]).language } }
            return await group.reduce(into: [LanguageCode: Int]()) { $0[$1, default: 0] += 1 }
        }
        #expect(results == [.english: 16, .spanish: 16])
    }
}
