import BitextCore
import BitextTestSupport
import Testing
@testable import BitextEntities

@Suite struct RobustnessTests {
    static let pieces = [
        "1", "22", "2024", ",", ".", "/", "-", "(", ")", " ", " ", "\n", "\u{00A0}", "\u{202F}", "º", "%", "$", "US$", "€",
        "@", ":", "S", "A/RES", "RES.", "de", "DE", "of", "the", "la", "Haití", "U.S.", "EE. UU.", "EE.", "UU", "MSS",
        "Misión", "Council", "Consejo", "resolution", "resolución", "November", "octubre", "Monday", "lunes", "30th",
        "http://", "www.", "x", "É", "ñ", "Ñ", "“", "”", "—", "^", "{", "}", "Mr", "Sra", "María", "millones", "dólares",
        "per", "cent", "por", "ciento", "and", "y", "'", "’", "\u{1F600}", "日本",
    ]

    @Test("Random text never traps and every range is a whole-character slice of its block")
    func randomText() {
        var rng = SplitMix64(seed: 42)
        let extractor = EntityExtractor()
        for _ in 0..<3000 {
            let count = Int.random(in: 0...60, using: &rng)
            let text = (0..<count).map { _ in Self.pieces.randomElement(using: &rng)! }.joined()
            let bytes = Array(text.utf8)
            for e in extractor.extract(text: text, language: Bool.random(using: &rng) ? .english : .spanish) {
                #expect(e.range.start < e.range.end && e.range.end <= bytes.count, "\(text)")
                #expect(bytes[e.range.start] & 0xC0 != 0x80, "\(text)")
                #expect(e.range.end == bytes.count || bytes[e.range.end] & 0xC0 != 0x80, "\(text)")
            }
        }
    }

    @Test("Entities stay inside their block")
    func blocksBoundEntities() {
        let text = "Kenya\n\n22 November\n\n2024 S/2024/\n\n765 (MSS)"
        let document = paragraphDocument(text)
        for e in EntityExtractor().extract(from: document) {
            #expect(document.blocks[e.block].range.contains(e.range))
        }
    }
}
