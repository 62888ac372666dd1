/// Sentence omissions re-read as merges.
///
/// Inside a paragraph pair, a translator joins two sentences into one far more often than he
/// drops one (Gale and Church's priors: 2-1 at 0.089, 1-0 at 0.0099). The search cannot see it
/// when the joined part has no anchor the dictionary or cognates recognize ("It will be
/// disabled." in "No se pudo iniciar SSL, se desactivará."): that part then costs as much in a
/// 2-1 as when it is left out. What still shows a join is the clause it left behind: the single
/// sentence has a `;`, `:` or `,` more than the sentences it stands for, one per join. So a
/// lone 1-0 or 0-1 beside a 1-1 becomes a 2-1 or 1-2 with that 1-1 when the single side has
/// the extra clause marks and the merged link costs at most `slack` more than the two links.
struct SentenceMerges: Sendable {
    let aligner: Aligner
    /// How much more the merged link may cost than the 1-1 and the omission it replaces.
    var slack: Double

    /// `englishClauses[k]` / `spanishClauses[k]`: clause marks inside unit k (`clauseMarks`).
    func repair(
        _ links: [RawLink], english: Aligner.SideIndex, spanish: Aligner.SideIndex, table: AnchorTable,
        englishClauses: [Int], spanishClauses: [Int]
    ) -> [RawLink] {
        var links = links
        var k = 0
        while k < links.count {
            let skipped = links[k]
            guard skipped.english.isEmpty != skipped.spanish.isEmpty else {
                k += 1
                continue
            }
            // The better of the two neighbours that are 1-1 links and take the extra clause.
            var best: (neighbour: Int, link: RawLink, excess: Double)?
            for neighbour in [k - 1, k + 1] where links.indices.contains(neighbour) {
                let pair = links[neighbour]
                guard pair.english.count == 1, pair.spanish.count == 1 else { continue }
                let merged = RawLink(
                    english: Self.union(pair.english, skipped.english), spanish: Self.union(pair.spanish, skipped.spanish),
                    terms: LinkTerms(shape: LinkShape(english: 0, spanish: 0)))
                let single = skipped.english.isEmpty ? englishClauses[pair.english.lowerBound] : spanishClauses[pair.spanish.lowerBound]
                let parts = skipped.english.isEmpty
                    ? merged.spanish.reduce(0) { $0 + spanishClauses[$1] } : merged.english.reduce(0) { $0 + englishClauses[$1] }
                guard single >= parts + 1 else { continue }
                let shape = LinkShape(english: merged.english.count, spanish: merged.spanish.count)
                var terms = aligner.linkTerms(
                    shape: shape, enStart: merged.english.lowerBound, esStart: merged.spanish.lowerBound, en: english, es: spanish, table: table)
                terms.rivalSimilarity = max(pair.terms.rivalSimilarity, skipped.terms.rivalSimilarity)
                let excess = terms.total - (pair.terms.total + skipped.terms.total)
                if excess <= slack && excess < (best?.excess ?? .infinity) {
                    best = (neighbour, RawLink(english: merged.english, spanish: merged.spanish, terms: terms), excess)
                }
            }
            guard let best else {
                k += 1
                continue
            }
            let first = min(k, best.neighbour)
            links.replaceSubrange(first...first + 1, with: [best.link])
            k = first + 1
        }
        return links
    }

    static func union(_ a: Range<Int>, _ b: Range<Int>) -> Range<Int> {
        if a.isEmpty { return b }
        if b.isEmpty { return a }
        return min(a.lowerBound, b.lowerBound)..<max(a.upperBound, b.upperBound)
    }

    /// Clause marks inside a sentence: `;`, `:` and `,` followed by a space (not a decimal
    /// comma, a time or a URL's colon). A comma before a conjunction is left out: English
    /// writes one before the last item of a list ("a, b, and c") where Spanish writes none
    /// ("a, b y c"), so it marks no clause a translator could have joined.
    static func clauseMarks(_ text: Substring) -> Int {
        // ASCII without a carriage return (most sentences): each byte is a Character of its own.
        let ascii = text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.allSatisfy { $0 < 0x80 && $0 != 0x0D } ? clauseMarksASCII(bytes) : nil
        }
        if let ascii, let ascii { return ascii }
        return clauseMarksByCharacters(text)
    }

    /// `clauseMarksByCharacters` over ASCII bytes (no CR LF pair), without building Characters.
    private static func clauseMarksASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
        var count = 0
        for k in bytes.indices.dropFirst() where bytes[k] == 0x20 || bytes[k] == 0x0A {
            switch bytes[k - 1] {
            case UInt8(ascii: ";"), UInt8(ascii: ":"): count += 1
            case UInt8(ascii: ","):
                var end = k + 1
                while end < bytes.count, isLetter(bytes[end]) { end += 1 }
                // The conjunctions are short: a longer word is none of them, and needs no string.
                let length = end - (k + 1)
                if length > longestConjunction { count += 1; continue }
                let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[(k + 1)..<end]), as: UTF8.self)
                if !conjunctions.contains(word.lowercased()) { count += 1 }
            default: break
            }
        }
        return count
    }

    /// `clauseMarks` by Characters, whatever the text (tests compare the two).
    static func clauseMarksByCharacters(_ text: Substring) -> Int {
        let characters = Array(text)
        var count = 0
        for k in characters.indices.dropFirst() where characters[k] == " " || characters[k] == "\n" {
            switch characters[k - 1] {
            case ";", ":": count += 1
            case ",":
                var word = ""
                var next = k + 1
                while next < characters.count, characters[next].isLetter {
                    word.append(characters[next])
                    next += 1
                }
                if !conjunctions.contains(word.lowercased()) { count += 1 }
            default: break
            }
        }
        return count
    }

    static let conjunctions: Set<String> = ["and", "or", "nor", "y", "e", "o", "u", "ni"]
    static let longestConjunction = conjunctions.map(\.utf8.count).max() ?? 0
}
