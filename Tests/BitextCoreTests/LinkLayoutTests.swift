import BitextCore
import Foundation
import Testing

/// `AlignmentLink` and `SentenceLink` in 32 bytes (`LinkFields`) are the plain structs they
/// replaced in every way a caller can see: values, equality, hashing, JSON.
@Suite struct LinkLayoutTests {
    /// The plain structs as they were (synthesized conformances), to compare JSON with.
    struct PlainAlignmentLink: Codable, Equatable {
        var english: [Int]
        var spanish: [Int]
        var score: Double
        var flags: [String]
        var explanation: [String: String]?
    }

    struct PlainSentenceLink: Codable, Equatable {
        var paragraphLink: Int
        var english: [Int]
        var spanish: [Int]
        var score: Double
        var flags: [String]
    }

    /// Positions, flags, explanations and paragraph links of every kind: none, compact, and each
    /// way a value falls back to the box (a list that is not a run, a run of 255 or more, an
    /// unknown flag, a fifth flag, a paragraph link outside `Int32` or equal to its minimum).
    static let positions: [[Int]] = [[], [0], [7, 8], [5, 3], Array(10..<265), Array(10..<264), [1 << 40], [Int(Int32.max)]]
    static let flags: [[String]] = [
        [], ["low_confidence"], ["omitted", "number_mismatch", "date_mismatch", "length_ratio"],
        ["untranslated", "punctuation", "low_confidence", "entity_mismatch", "omitted"], ["custom"], ["length_ratio", "custom"],
    ]
    static let explanations: [[String: String]?] = [nil, [:], ["anchors": "3", "cost": "0.25"]]
    static let paragraphLinks = [0, 41, Int(Int32.max), Int(Int32.min), -1, 1 << 40]

    static var alignmentLinks: [(AlignmentLink, PlainAlignmentLink)] {
        var result: [(AlignmentLink, PlainAlignmentLink)] = []
        for (k, english) in positions.enumerated() {
            for spanish in positions {
                let flags = Self.flags[k % Self.flags.count]
                let explanation = explanations[(k + spanish.count) % explanations.count]
                let score = Double(k) / 7
                result.append(
                    (AlignmentLink(english: LinkPositions(english), spanish: LinkPositions(spanish), score: score, flags: flags, explanation: explanation),
                     PlainAlignmentLink(english: english, spanish: spanish, score: score, flags: flags, explanation: explanation)))
            }
        }
        return result
    }

    static var sentenceLinks: [(SentenceLink, PlainSentenceLink)] {
        var result: [(SentenceLink, PlainSentenceLink)] = []
        for (k, english) in positions.enumerated() {
            for (j, flags) in flags.enumerated() {
                let spanish = positions[(k + j) % positions.count]
                let paragraph = paragraphLinks[(k + j) % paragraphLinks.count]
                result.append(
                    (SentenceLink(paragraphLink: paragraph, english: LinkPositions(english), spanish: LinkPositions(spanish), score: -0.5, flags: flags),
                     PlainSentenceLink(paragraphLink: paragraph, english: english, spanish: spanish, score: -0.5, flags: flags)))
            }
        }
        return result
    }

    /// Keys sorted: Foundation's encoder does not keep their order.
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }

    @Test func layout() {
        #expect(MemoryLayout<AlignmentLink>.size == 32)
        #expect(MemoryLayout<AlignmentLink>.stride == 32)
        #expect(MemoryLayout<SentenceLink>.size == 32)
        #expect(MemoryLayout<SentenceLink>.stride == 32)
    }

    @Test func alignmentLinksKeepEveryValueAndEncodeAsThePlainStruct() throws {
        for (link, plain) in Self.alignmentLinks {
            #expect(Array(link.english) == plain.english && Array(link.spanish) == plain.spanish)
            #expect(link.score == plain.score && link.flags == plain.flags && link.explanation == plain.explanation)
            let data = try Self.encoder.encode(link)
            #expect(data == (try Self.encoder.encode(plain)))
            #expect(try JSONDecoder().decode(AlignmentLink.self, from: data) == link)
        }
    }

    @Test func sentenceLinksKeepEveryValueAndEncodeAsThePlainStruct() throws {
        for (link, plain) in Self.sentenceLinks {
            #expect(link.paragraphLink == plain.paragraphLink)
            #expect(Array(link.english) == plain.english && Array(link.spanish) == plain.spanish)
            #expect(link.score == plain.score && link.flags == plain.flags)
            let data = try Self.encoder.encode(link)
            #expect(data == (try Self.encoder.encode(plain)))
            #expect(try JSONDecoder().decode(SentenceLink.self, from: data) == link)
        }
    }

    /// A value written to the box and then replaced by a compact one leaves the box stale:
    /// equality and hashing see only the public values.
    @Test func staleBoxedValuesAreIgnored() {
        var link = AlignmentLink(english: [1, 3], spanish: LinkPositions(0..<300), score: 1, flags: ["custom"], explanation: ["a": "b"])
        link.english = [2]
        link.spanish = [4, 5]
        link.flags = ["low_confidence"]
        link.explanation = nil
        let fresh = AlignmentLink(english: [2], spanish: [4, 5], score: 1, flags: ["low_confidence"])
        #expect(link == fresh)
        #expect(link.hashValue == fresh.hashValue)
        var sentence = SentenceLink(paragraphLink: 1 << 40, english: [], spanish: [9], score: 0)
        sentence.paragraphLink = 3
        #expect(sentence == SentenceLink(paragraphLink: 3, english: [], spanish: [9], score: 0))
    }

    /// Copies share a box until one is written: the other keeps its values.
    @Test func copiesAreIndependent() {
        let original = AlignmentLink(english: [3, 1], spanish: [2], score: 0.5, flags: ["custom"], explanation: ["k": "v"])
        var copy = original
        copy.english = [5, 4]
        copy.flags.append("omitted")
        copy.explanation?["k"] = "w"
        #expect(Array(original.english) == [3, 1] && original.flags == ["custom"] && original.explanation == ["k": "v"])
        #expect(Array(copy.english) == [5, 4] && copy.flags == ["custom", "omitted"] && copy.explanation == ["k": "w"])
        var sentence = SentenceLink(paragraphLink: 1 << 40, english: [1], spanish: [1], score: 0, flags: Array(repeating: "omitted", count: 5))
        let kept = sentence
        sentence.paragraphLink = (1 << 40) + 1
        sentence.flags.removeLast()
        #expect(kept.paragraphLink == 1 << 40 && kept.flags.count == 5)
        #expect(sentence.paragraphLink == (1 << 40) + 1 && sentence.flags.count == 4)
    }
}
