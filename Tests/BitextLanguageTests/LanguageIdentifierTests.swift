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

    /// The word hash made while scanning must find the model's common words (written as the
    /// folded word padded with spaces), through capitals, accents and apostrophes.
    @Test(arguments: [("The", "the"), ("información", "información"), ("ÍNDICE", "índice"), ("don't", "don't"), ("que", "que")])
    func commonWordsCostOneLookup(text: String, folded: String) throws {
        let found = identifier.words.lookup(LanguageIdentifier.hash(Array(" \(folded) ".utf8)))
        let entry = try #require(found)
        #expect(identifier.evidence(text).costs == SIMD8<Int32>(truncatingIfNeeded: entry))
        // In a batch of texts as in a pipeline's document, the same.
        let bytes = Array("\(text), \(text)".utf8)
        let batched = bytes.withUnsafeBufferPointer { identifier.evidences(utf8: [$0]) }
        #expect(batched[0].costs == SIMD8<Int32>(truncatingIfNeeded: entry) &* 2)
    }

    /// Letter runs are read eight bytes at a time while the text and the word have room: any
    /// length of word, around eight-byte boundaries and the 63 bytes a word keeps, reads as its
    /// lower-case spelling, and a longer word as its first 63 letters (with all its letters
    /// counted), alone or in a batch, after any prefix.
    @Test func letterRunsOfAnyLengthReadAsTheirBytes() {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        for length in 1...80 {
            let word = String((0..<length).map { alphabet[($0 * 11 + length) % alphabet.count] })
            let kept = String(word.lowercased().prefix(63))
            for prefix in ["", "a ", "ñ ", "l'", "xyz, ", "día "] {
                let evidence = identifier.evidence(prefix + word + " e")
                let expected = identifier.evidence(prefix + kept + " e")
                #expect(evidence.costs == expected.costs, "length \(length), prefix \(prefix)")
                #expect(evidence.letters == expected.letters + length - kept.count)
                let bytes = Array((prefix + word + " e").utf8)
                let batched = bytes.withUnsafeBufferPointer { identifier.evidences(utf8: [$0, $0]) }
                #expect(batched == [evidence, evidence])
            }
        }
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

/// Model version 2 stores each word's total cost (its n-grams' plus its weighted own cost), which
/// version 1 computed at load time: the two must give the same tables.
@Suite struct ModelVersionTests {
    /// A two-language model: a few n-grams, and words with their own costs (version 1) or with
    /// the totals a version 1 model gives them (version 2).
    func model(version: UInt32, wordEntries: [(word: String, costs: [Int])], reversed: Bool = false) -> [UInt8] {
        var out = Array("BXLI".utf8)
        func u32(_ v: UInt32) { out += withUnsafeBytes(of: v.littleEndian, Array.init) }
        func f32(_ v: Float) { u32(v.bitPattern) }
        u32(version)
        out.append(2)
        out += Array("enes".utf8)
        f32(6); f32(24); f32(0.6); u32(3)  // word weight, temperature, threshold, minimum letters
        f32(0); f32(0)
        let grams: [(String, [UInt8])] = [("t", [10, 30]), ("th", [5, 40]), ("the", [2, 60]), (" el", [50, 3]), ("l", [20, 15]), ("e", [8, 9])]
        let ngrams = reversed ? grams.reversed() : grams
        let wordEntries = reversed ? wordEntries.reversed() : wordEntries
        u32(UInt32(ngrams.count))
        for (gram, costs) in ngrams {
            out.append(UInt8(gram.utf8.count))
            out += Array(gram.utf8)
            out += costs
        }
        u32(UInt32(wordEntries.count))
        for (word, costs) in wordEntries {
            out.append(UInt8(word.utf8.count))
            out += Array(word.utf8)
            for c in costs {
                if version == 1 { out.append(UInt8(c)) } else { out += withUnsafeBytes(of: UInt16(c).littleEndian, Array.init) }
            }
        }
        return out
    }

    @Test func versionTwoTotalsEqualVersionOneComputation() throws {
        let own: [(word: String, costs: [Int])] = [("the", [1, 9]), ("el", [7, 2]), ("tell", [3, 3])]
        let v1 = try LanguageIdentifier(model: model(version: 1, wordEntries: own))
        // A known word costs one look-up: its evidence is the total the loader stored for it.
        let totals = own.map { entry in (entry.word, (0..<2).map { Int(v1.evidence(entry.word).costs[$0]) }) }
        #expect(totals[0].1 == [Int(10 + 5 + 2 + 8) + 6, 30 + 40 + 60 + 9 + 54])  // n-grams t, th, the, e; plus 6 × its own cost
        let v2 = try LanguageIdentifier(model: model(version: 2, wordEntries: totals.map { ($0.0, $0.1) }))
        for text in ["the", "el", "tell", "the tell el", "The EL", "lethe", "tt ll ee", ""] {
            #expect(v1.evidence(text) == v2.evidence(text), "\(text)")
        }
        #expect(throws: LanguageModelError.self) { try LanguageIdentifier(model: model(version: 3, wordEntries: own)) }
    }

    /// `scripts/langid/model.py` writes each table in the order of its entries' home slots (a
    /// faster fill): the order of the entries must not change what the model says.
    @Test func entryOrderDoesNotMatter() throws {
        let totals: [(word: String, costs: [Int])] = [("the", [31, 193]), ("el", [92, 29]), ("tell", [70, 90])]
        let inOrder = try LanguageIdentifier(model: model(version: 2, wordEntries: totals))
        let reversed = try LanguageIdentifier(model: model(version: 2, wordEntries: totals, reversed: true))
        for text in ["the", "el", "tell", "the tell el", "The EL", "lethe", "tt ll ee", ""] {
            #expect(inOrder.evidence(text) == reversed.evidence(text), "\(text)")
        }
    }
}
