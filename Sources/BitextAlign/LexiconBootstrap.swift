/// Word translations learned from the document itself, as hunalign does without a
/// dictionary: after a first alignment, English and Spanish words that keep appearing in the
/// same confident 1-1 links are taken as translations of each other and become anchors for
/// a second pass. Only pairs seen together at least `minimumCount` times, with a Dice
/// association of at least `minimumDice`, each word's single best partner, are kept.
struct LexiconBootstrap: Sendable {
    var minimumLinks = 20
    var minimumCount = 2
    var minimumDice = 0.6
    var minimumSimilarity = 0.25

    /// Spanish word → English word.
    func learn(english: [TextFeatures], spanish: [TextFeatures], links: [RawLink]) -> [String: String] {
        let confident = links.filter {
            $0.english.count == 1 && $0.spanish.count == 1 && $0.terms.similarity >= minimumSimilarity
        }
        guard confident.count >= minimumLinks else { return [:] }
        var englishFrequency: [String: Int] = [:]
        var spanishFrequency: [String: Int] = [:]
        var together: [String: [String: Int]] = [:]
        for link in confident {
            let a = english[link.english.lowerBound].words
            let b = spanish[link.spanish.lowerBound].words
            // Words spelled the same on both sides already match; learn the others.
            let onlyA = a.subtracting(b)
            let onlyB = b.subtracting(a)
            for e in onlyA { englishFrequency[e, default: 0] += 1 }
            for s in onlyB { spanishFrequency[s, default: 0] += 1 }
            guard onlyA.count * onlyB.count <= 4_000 else { continue }
            for s in onlyB {
                // In place: taking the row out and storing it back would copy it on every update.
                for e in onlyA { together[s, default: [:]][e, default: 0] += 1 }
            }
        }
        // Best English partner per Spanish word, then keep it only if the English word's best
        // partner is that Spanish word too.
        var best: [String: (english: String, dice: Double)] = [:]
        var bestForEnglish: [String: (spanish: String, dice: Double)] = [:]
        for (s, row) in together {
            for (e, count) in row where count >= minimumCount {
                let dice = 2 * Double(count) / Double(englishFrequency[e]! + spanishFrequency[s]!)
                guard dice >= minimumDice else { continue }
                if dice > best[s]?.dice ?? 0 || (dice == best[s]?.dice && e < best[s]!.english) { best[s] = (e, dice) }
                if dice > bestForEnglish[e]?.dice ?? 0 || (dice == bestForEnglish[e]?.dice && s < bestForEnglish[e]!.spanish) {
                    bestForEnglish[e] = (s, dice)
                }
            }
        }
        var lexicon: [String: String] = [:]
        for (s, pair) in best where bestForEnglish[pair.english]?.spanish == s { lexicon[s] = pair.english }
        return lexicon
    }

    /// Adds the learned pairs as anchors: the English word on its side, the same key on the
    /// Spanish side for its learned translation.
    static func apply(_ lexicon: [String: String], english: inout [TextFeatures], spanish: inout [TextFeatures]) {
        guard !lexicon.isEmpty else { return }
        let englishWords = Set(lexicon.values)
        for i in english.indices {
            for w in english[i].words where englishWords.contains(w) {
                english[i].anchors.insert(AnchorKey(kind: .learned, value: w))
            }
        }
        for j in spanish.indices {
            for w in spanish[j].words {
                if let e = lexicon[w] { spanish[j].anchors.insert(AnchorKey(kind: .learned, value: e)) }
            }
        }
    }
}
