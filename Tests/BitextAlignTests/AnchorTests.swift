import Testing

@testable import BitextAlign

@Suite struct AnchorTests {
    let extractor = AnchorExtractor()

    func anchors(_ text: String, _ language: LanguageKind) -> Set<String> {
        Set(extractor.features(of: text, language: language).anchors.map(\.description))
    }

    @Test("Numbers meet across conventions", arguments: [
        ("1,234.5", LanguageKind.english, "1234.5"), ("1.234,5", .spanish, "1234.5"), ("1,234", .english, "1234"),
        ("1.234", .spanish, "1234"), ("3.5", .english, "3.5"), ("3,5", .spanish, "3.5"), ("12,000,000", .english, "12000000"),
        ("12.000.000", .spanish, "12000000"), ("007", .english, "7"),
    ])
    func numberNormalization(raw: String, language: LanguageKind, expected: String) {
        #expect(AnchorExtractor.normalizeNumber(raw, language: language) == expected)
    }

    @Test func versionsStayAsWritten() {
        #expect(anchors("Install version 1.2.53 now", .english).contains("ver:1.2.53"))
    }

    @Test("Dates in both languages give the same month–day", arguments: [
        ("On Monday, September 30th, the Council voted.", LanguageKind.english),
        ("El lunes 30 de septiembre, el Consejo votó.", .spanish),
        ("Adopted on 30 September 2024.", .english),
        ("Aprobada el 30/09/2024.", .spanish),
        ("Adopted on 09/30/2024.", .english),
    ])
    func dates(text: String, language: LanguageKind) {
        #expect(anchors(text, language).contains("date:09-30"))
    }

    @Test func fullDatesKeepTheYear() {
        let en = extractor.features(of: "OCTOBER 14, 2024— The team", language: .english)
        let es = extractor.features(of: "14 DE OCTUBRE DE 2024- El equipo", language: .spanish)
        #expect(en.dates == ["2024-10-14"])
        #expect(es.dates == ["2024-10-14"])
    }

    @Test func codesAndURLs() {
        let a = anchors("See S/2024/765 and https://www.un.org/en/ for details.", .english)
        #expect(a.contains("code:S/2024/765"))
        #expect(a.contains("url:www.un.org/en"))
        let b = anchors("Véase S/2024/765 y www.un.org/en/.", .spanish)
        #expect(b.contains("code:S/2024/765"))
        #expect(b.contains("url:www.un.org/en"))
    }

    @Test("Cognates share a skeleton", arguments: [
        ("Haiti", "Haití"), ("Kenya", "Kenia"), ("resolution", "resolución"), ("military", "militar"), ("international", "internacional"),
    ])
    func cognates(english: String, spanish: String) {
        let a = anchors(english, .english).filter { $0.hasPrefix("cog:") }
        let b = anchors(spanish, .spanish).filter { $0.hasPrefix("cog:") }
        #expect(!a.isEmpty && a == b)
    }

    @Test func namesAndAcronyms() {
        let a = anchors("The MSS and BINUH met in Port-au-Prince.", .english)
        let b = anchors("La MSS y la BINUH se reunieron en Port-au-Prince.", .spanish)
        for name in ["name:mss", "name:binuh", "name:port", "name:prince"] {
            #expect(a.contains(name) && b.contains(name))
        }
    }

    @Test func dictionaryTranslationsMeet() {
        let a = anchors("the government", .english).filter { $0.hasPrefix("dict:") }
        let b = anchors("el gobierno", .spanish).filter { $0.hasPrefix("dict:") }
        #expect(a.contains("dict:government"))
        #expect(b.contains("dict:government"))
    }

    @Test func spanishPunctuationIsCounted() {
        let f = extractor.features(of: "¿Qué? ¡Nada!", language: .spanish)
        #expect(f.questionMarks == 1 && f.invertedQuestionMarks == 1)
        #expect(f.exclamationMarks == 1 && f.invertedExclamationMarks == 1)
        #expect(anchors("¿Qué?", .spanish).contains("punct:?"))
    }

    @Test func listMarkersAreAnchors() {
        let f = extractor.features(of: "First item", language: .english, marker: "(a)")
        #expect(f.anchors.contains(AnchorKey(kind: .marker, value: "a")))
    }
}

/// Anchor tables built from texts read with one memo (ids, no hashing) and from texts read
/// separately (keys hashed, looked up by binary search) are the same table.
@Suite struct AnchorTableTests {
    static let english = [
        "The Council met on 14 October 2024 in Port-au-Prince (S/2024/765).", "Install version 1.2.53 from https://www.debian.org/ now?",
        "The government of Haiti approved 2,500 officers; the mission is legal!", "Chapter 3: packages, dependencies and the apt command",
    ]
    static let spanish = [
        "El Consejo se reunió el 14 de octubre de 2024 en Port-au-Prince (S/2024/765).", "¿Instale la versión 1.2.53 desde www.debian.org/ ahora?",
        "El gobierno de Haití aprobó 2.500 agentes; ¡la misión es legal!", "Capítulo 3: paquetes, dependencias y la orden apt",
    ]

    @Test func sharedMemoAndSeparateReadingsGiveTheSameTable() {
        let extractor = AnchorExtractor()
        var memo = WordMemo()
        let sharedEnglish = Self.english.map { extractor.features(of: Substring($0), language: .english, memo: &memo) }
        let sharedSpanish = Self.spanish.map { extractor.features(of: Substring($0), language: .spanish, memo: &memo) }
        let separateEnglish = Self.english.map { extractor.features(of: $0, language: .english) }
        let separateSpanish = Self.spanish.map { extractor.features(of: $0, language: .spanish) }
        let fast = AnchorTable(english: sharedEnglish, spanish: sharedSpanish, parameters: .standard)
        let slow = AnchorTable(english: separateEnglish, spanish: separateSpanish, parameters: .standard)
        #expect(fast.memo != nil && slow.memo == nil)
        #expect(fast.keys == slow.keys && fast.weights == slow.weights)
        #expect(!fast.keys.isEmpty)
        // Description order, and every key found where it is.
        #expect(fast.keys.map(\.description) == fast.keys.map(\.description).sorted())
        for (k, key) in fast.keys.enumerated() { #expect(fast.id(of: key) == Int32(k)) }
        #expect(fast.id(of: AnchorKey(kind: .word, value: "absent")) == nil)
        for (a, b) in zip(sharedEnglish + sharedSpanish, separateEnglish + separateSpanish) {
            #expect(fast.encode(a) == slow.encode(b))
            #expect(fast.encode(a) == fast.encode(b))
        }
    }

    /// A memo copied and then read further on both sides keeps its ids apart: the copy that
    /// gives a new id takes a new identity.
    @Test func divergingMemoCopiesDoNotShareIdentity() {
        let extractor = AnchorExtractor()
        var memo = WordMemo()
        _ = extractor.features(of: Substring("common words here"), language: .english, memo: &memo)
        var copy = memo
        let a = extractor.features(of: Substring("alpha beta"), language: .english, memo: &memo)
        let b = extractor.features(of: Substring("gamma delta"), language: .english, memo: &copy)
        #expect(a.anchors.memo !== b.anchors.memo)
        let table = AnchorTable(english: [a], spanish: [b], parameters: .standard)
        #expect(table.keys.isEmpty)  // nothing shared, whatever the ids
    }
}
