import BitextCore
import PropertyBased
import Testing

/// The alignment coverage checker (`Invariants.alignmentProblems`) on hand-built link
/// lists: it accepts every valid n–m alignment and rejects every broken one. The aligner's
/// own tests run it on real output.
@Suite struct AlignmentPropertyTests {
    /// A valid alignment: both sides cut into consecutive groups (0–3 paragraphs each, never
    /// both empty), read in order.
    static let validAlignment = Gen<Int>.int(in: 0...3).array(of: 1...40).map { sizes -> (links: [AlignmentLink], english: Int, spanish: Int) in
        var links: [AlignmentLink] = []
        var english = 0
        var spanish = 0
        for (i, size) in sizes.enumerated() {
            // Alternate which side gets `size`, so that 1–0, 0–1, 2–1… all occur.
            let e = i % 2 == 0 ? size : (size + i) % 3
            var s = i % 2 == 0 ? (size * 7 + i) % 3 : size
            if e == 0 && s == 0 { s = 1 }
            links.append(AlignmentLink(english: LinkPositions(english..<(english + e)), spanish: LinkPositions(spanish..<(spanish + s)), score: 1))
            english += e
            spanish += s
        }
        return (links, english, spanish)
    }

    @Test func validAlignmentsPass() async {
        await propertyCheck(count: 300, input: Self.validAlignment) { value in
            #expect(Invariants.alignmentProblems(value.links, englishCount: value.english, spanishCount: value.spanish) == [])
        }
    }

    @Test func everyKindOfDamageIsCaught() async {
        await propertyCheck(count: 300, input: Self.validAlignment, Gen<Int>.int(in: 0...4), Gen<Int>.int(in: 0...1000)) { value, damage, seed in
            var links = value.links
            var english = value.english
            let spanish = value.spanish
            let nonEmpty = links.indices.filter { !links[$0].english.isEmpty }
            switch damage {
            case 0:  // a paragraph dropped from its link
                guard let i = nonEmpty.isEmpty ? nil : nonEmpty[seed % nonEmpty.count] else { return }
                links[i].english.removeLast()
            case 1:  // a paragraph in two links
                guard let i = nonEmpty.isEmpty ? nil : nonEmpty[seed % nonEmpty.count] else { return }
                links.append(AlignmentLink(english: [links[i].english[0]], spanish: [], score: 0))
            case 2:  // two links crossing
                let withBoth = links.indices.filter { !links[$0].english.isEmpty }
                guard withBoth.count >= 2 else { return }
                let (a, b) = (withBoth[seed % withBoth.count], withBoth[(seed + 1) % withBoth.count])
                guard a != b else { return }
                links.swapAt(a, b)
            case 3:  // a side longer than the links say
                english += 1
            default:  // an empty link
                links.insert(AlignmentLink(english: [], spanish: [], score: 0), at: seed % (links.count + 1))
            }
            #expect(!Invariants.alignmentProblems(links, englishCount: english, spanishCount: spanish).isEmpty, "damage \(damage)")
        }
    }

    @Test func messagesNameWhatIsWrong() {
        let links = [AlignmentLink(english: [0], spanish: [0], score: 1), AlignmentLink(english: [0, 2], spanish: [1], score: 1)]
        let problems = Invariants.alignmentProblems(links, englishCount: 4, spanishCount: 2)
        #expect(problems.contains("english paragraphs in no link: [1, 3]"))
        #expect(problems.contains("english paragraphs in more than one link: [0]"))
    }
}
