import Testing

@testable import BitextAlign

@Suite struct SentenceSegmenterTests {
    static func split(_ text: String, _ language: SentenceSegmenter.Language) -> [String] {
        let segmenter = SentenceSegmenter(language: language)
        let utf8 = Array(text.utf8)
        return segmenter.sentences(in: Substring(text)).map { String(decoding: utf8[$0], as: UTF8.self) }
    }

    static let english: [(String, [String])] = [
        ("Mr. Smith arrived. He sat down.", ["Mr. Smith arrived.", "He sat down."]),
        ("Dr. Jones met Mrs. Lee at 3.30 p.m. yesterday.", ["Dr. Jones met Mrs. Lee at 3.30 p.m. yesterday."]),
        ("The U.S. Army left. The U.S. is a country.", ["The U.S. Army left.", "The U.S. is a country."]),
        ("It left the U.S. The mission ended.", ["It left the U.S.", "The mission ended."]),
        ("See No. 5 of the list. Then stop.", ["See No. 5 of the list.", "Then stop."]),
        ("Use tools, e.g. hammers, i.e. simple ones. Done.", ["Use tools, e.g. hammers, i.e. simple ones.", "Done."]),
        ("J. R. R. Tolkien wrote it. It sold well.", ["J. R. R. Tolkien wrote it.", "It sold well."]),
        ("Growth was 2.5 percent. Prices rose.", ["Growth was 2.5 percent.", "Prices rose."]),
        ("Wait... what happened? Nothing!", ["Wait... what happened?", "Nothing!"]),
        ("He paused… Then he spoke.", ["He paused…", "Then he spoke."]),
        ("She said, \"Go home.\" He went.", ["She said, \"Go home.\"", "He went."]),
        ("Apples, pears, etc. The list goes on.", ["Apples, pears, etc.", "The list goes on."]),
        ("Apples, pears, etc. were sold.", ["Apples, pears, etc. were sold."]),
        ("The Council adopted CP/RES. 1268 today. It was unanimous.", ["The Council adopted CP/RES. 1268 today.", "It was unanimous."]),
        ("See art. 3 of the treaty. It applies.", ["See art. 3 of the treaty.", "It applies."]),
        ("Is it over? (Not yet.) We wait.", ["Is it over?", "(Not yet.)", "We wait."]),
    ]

    static let spanish: [(String, [String])] = [
        ("El Sr. García llegó. Se sentó.", ["El Sr. García llegó.", "Se sentó."]),
        ("La Sra. Pérez y la Dra. Ruiz hablaron. Luego se fueron.", ["La Sra. Pérez y la Dra. Ruiz hablaron.", "Luego se fueron."]),
        ("Fue financiada por EE. UU. y dirigida por Kenia.", ["Fue financiada por EE. UU. y dirigida por Kenia."]),
        ("Salió de EE.UU. La misión terminó.", ["Salió de EE.UU.", "La misión terminó."]),
        ("Véase el núm. 5 de la lista. Después, nada.", ["Véase el núm. 5 de la lista.", "Después, nada."]),
        ("Según el art. 3 de la ley. Se aplica.", ["Según el art. 3 de la ley.", "Se aplica."]),
        ("Creció un 2,5 por ciento. Los precios subieron.", ["Creció un 2,5 por ciento.", "Los precios subieron."]),
        ("¿Qué pasó? ¡Nada! Seguimos.", ["¿Qué pasó?", "¡Nada!", "Seguimos."]),
        ("Manzanas, peras, etc. La lista sigue.", ["Manzanas, peras, etc.", "La lista sigue."]),
        ("Dijo: «Vete a casa.» Él se fue.", ["Dijo: «Vete a casa.»", "Él se fue."]),
        ("Esperó... y luego habló. Fin.", ["Esperó... y luego habló.", "Fin."]),
        ("El Consejo aprobó la CP/RES. 1268 hoy. Fue unánime.", ["El Consejo aprobó la CP/RES. 1268 hoy.", "Fue unánime."]),
        ("Lo firmó J. Pérez. Nadie más.", ["Lo firmó J. Pérez.", "Nadie más."]),
    ]

    @Test("English sentences", arguments: english)
    func englishSentences(text: String, expected: [String]) {
        #expect(Self.split(text, .english) == expected)
    }

    @Test("Spanish sentences", arguments: spanish)
    func spanishSentences(text: String, expected: [String]) {
        #expect(Self.split(text, .spanish) == expected)
    }

    @Test func offsetsAreUTF8AndTrimmed() {
        let text = "  Señor Núñez llegó.   ¿Qué tal?  "
        let ranges = SentenceSegmenter(language: .spanish).sentences(in: Substring(text))
        let utf8 = Array(text.utf8)
        #expect(ranges.map { String(decoding: utf8[$0], as: UTF8.self) } == ["Señor Núñez llegó.", "¿Qué tal?"])
    }

    @Test func blankTextHasNoSentences() {
        #expect(SentenceSegmenter(language: .english).sentences(in: "   \n ").isEmpty)
    }
}
