import BitextCore

/// Settings of the omission post-pass.
struct OmissionRepairParameters: Sendable {
    /// Re-link facing omissions whose anchor similarity (weighted Dice) reaches this.
    /// On maint-guide (`scripts/align/tune.py '{"repairSimilarity":[0.15,0.25,0.35,0.5]}'`)
    /// 0.15–0.35 gave the same result and 0.5 undid it: the middle of the plateau.
    var minimumSimilarity = 0.25
    /// …and share at least this many distinct anchors: in a short document one shared function
    /// word can make a high Dice between two unrelated paragraphs.
    var minimumSharedAnchors = 3
    var enabled = true
    /// Re-place omissions inside a run of 1-1 links and omissions when another placement gives
    /// the run's 1-1 links this much more similarity in total (0 = off).
    var replaceMargin = 0.075
    /// Longest run considered, in links.
    var maximumRun = 8
    /// A re-placement may not pair more units of different kinds than the search did.
    var keepKinds = true
    /// Re-link as 1-1 links a stretch where an omission sits beside a merge (0-1 next to a
    /// 2-1…) when every diagonal pair holds this much of its shorter unit's anchors (0 = off).
    /// Every pair must also share `minimumSharedAnchors`. Chosen on maint-guide: in its 5
    /// candidate stretches (both variants) the shorter texts hold 0.70–0.86 where the one-to-one
    /// reading is right (`update`, `start`) and 0.14 / 0.36 where it is not: 0.5 is the middle
    /// of the gap (`tune.py '{"diagonalContainment":[0.3,…,0.8]}'`: same F1 from 0.3 to 0.7).
    var diagonalContainment = 0.5
    /// …and the diagonal covers the stretch's units better in total (per-unit coverage) by more
    /// than this. Not tuned: on maint-guide the accepted stretches win by 0.64–0.95.
    var diagonalMargin = 0.0
    /// Longest stretch considered, in links.
    var diagonalWindow = 4
    /// Split a merge (1-2, 2-1, 1-3, 3-1) whose single unit is a verbatim copy of the first or
    /// last unit of the other side into that identical 1-1 link and omissions (BENCHMARKS.md).
    var splitIdentical = true
    /// Split a 1-2 / 2-1 merge into a 1-1 link and an omission when the best cut of the single
    /// unit gains at most this share of the shorter end unit's anchor weight over giving the
    /// whole single unit to the other unit (negative = off). See `separateUnevidenced`.
    var absorbedEvidence = 0.0
    /// Cuts are tried within the short unit's expected length in the other language times this…
    var edgeFactor = 2.0
    /// …plus this many characters (a short heading's translation may be a longer phrase).
    var edgeSlack = 12
}

/// The units' texts and the reader of their anchors, for the repairs that look at part of a
/// unit (the edge of a merge).
struct UnitTexts: Sendable {
    var english: [Substring]
    var spanish: [Substring]
    var extractor: AnchorExtractor
    /// Word translations learned from the document (LexiconBootstrap), Spanish → English: the
    /// units carry them as anchors, so a part of a unit must too.
    let lexicon: [String: String]
    /// The lexicon's English words.
    private var learnedEnglish: Set<String>
    /// Parts are read without the process's shared readings (`SideView.partsReadAlone`).
    let readsAlone: Bool

    init(english: [Substring], spanish: [Substring], extractor: AnchorExtractor, lexicon: [String: String] = [:], readsAlone: Bool = false) {
        self.english = english
        self.spanish = spanish
        self.extractor = extractor
        self.lexicon = lexicon
        self.learnedEnglish = Set(lexicon.values)
        self.readsAlone = readsAlone
    }

    /// The anchors of part of a unit, learned ones included.
    func features(of text: Substring, language: LanguageKind) -> TextFeatures {
        var memo = WordMemo()
        if readsAlone { memo.readAlone() }
        var features = extractor.features(of: text, language: language, memo: &memo)
        guard !lexicon.isEmpty else { return features }
        let learned: [AnchorKey]
        if language == .english {
            learned = features.words.filter { learnedEnglish.contains($0) }.map { AnchorKey(kind: .learned, value: $0) }
        } else {
            learned = features.words.compactMap { lexicon[$0] }.map { AnchorKey(kind: .learned, value: $0) }
        }
        features.formAnchorUnion(learned)
        return features
    }

    /// How much anchor weight the best cut of `single` gains over giving it all to `kept`: the
    /// part at the facing edge (`shortAtEnd`: its end) goes to `short`, the rest to `kept`, and
    /// each unit is credited with the anchors its part holds, counted per word (a single unit
    /// that says texto twice pays for two texts, not one). nil when `short` shares no anchor
    /// with `single` (no evidence either way). Cuts lie between words, the short part within
    /// `reach` characters of the edge (always at least its last word).
    func cutGain(
        short: Substring, kept: Substring, single: Substring, singleIsEnglish: Bool, shortAtEnd: Bool, reach: Int, table: AnchorTable
    ) -> Double? {
        let (singleLanguage, otherLanguage): (LanguageKind, LanguageKind) = singleIsEnglish ? (.english, .spanish) : (.spanish, .english)
        func counts(_ words: ArraySlice<[Int32]>) -> [Int32: Int] {
            var out: [Int32: Int] = [:]
            for ids in words { for id in ids { out[id, default: 0] += 1 } }
            return out
        }
        func matched(_ a: [Int32: Int], _ b: [Int32: Int]) -> Double {
            var total = 0.0
            // In id order: a sum in hash order differs in the last bit from run to run.
            for id in a.keys.sorted() { if let m = b[id] { total += Double(min(a[id]!, m)) * table.weights[Int(id)] } }
            return total
        }
        let shortCounts = counts(wordAnchors(of: short, language: otherLanguage, table: table)[...])
        let keptCounts = counts(wordAnchors(of: kept, language: otherLanguage, table: table)[...])
        let words = single.split(whereSeparator: \.isWhitespace)
        let anchors = words.map { table.encode(features(of: $0, language: singleLanguage)) }
        guard matched(shortCounts, counts(anchors[...])) > 0 else { return nil }
        let baseline = matched(keptCounts, counts(anchors[...]))
        // A one-word single unit cannot hold two translations: no cut, no gain.
        var best = -Double.infinity
        var taken = 0
        for size in 1..<words.count {
            let word = shortAtEnd ? words[words.count - size] : words[size - 1]
            taken += word.count + (size > 1 ? 1 : 0)
            if size > 1 && taken > reach { break }
            let (keptPart, shortPart) = shortAtEnd
                ? (anchors[..<(words.count - size)], anchors[(words.count - size)...]) : (anchors[size...], anchors[..<size])
            best = max(best, matched(keptCounts, counts(keptPart)) + matched(shortCounts, counts(shortPart)) - baseline)
        }
        return best
    }

    private func wordAnchors(of text: Substring, language: LanguageKind, table: AnchorTable) -> [[Int32]] {
        text.split(whereSeparator: \.isWhitespace).map { table.encode(features(of: $0, language: language)) }
    }
}

/// Each unit's sorted table ids (`AnchorTable.encode`), encoded the first time a repair asks
/// for them: the repairs look at the same units again and again (every window of a run, every
/// neighbour of a pair), and encoding sorts.
final class UnitIDs {
    private let english: [AlignmentUnit]
    private let spanish: [AlignmentUnit]
    private let table: AnchorTable
    private var englishIDs: [[Int32]?]
    private var spanishIDs: [[Int32]?]
    private let encoded: (english: EncodedUnits, spanish: EncodedUnits)?

    /// `encoded`: each unit's sorted table ids when the caller has them (`AnchorCatalog.table`),
    /// the units' anchors included or not: the catalog may hold anchors the units' features lack
    /// (learned ones).
    init(english: [AlignmentUnit], spanish: [AlignmentUnit], table: AnchorTable, encoded: (english: EncodedUnits, spanish: EncodedUnits)? = nil) {
        (self.english, self.spanish, self.table, self.encoded) = (english, spanish, table, encoded)
        if let encoded {
            precondition(
                encoded.english.starts.count == english.count + 1 && encoded.spanish.starts.count == spanish.count + 1,
                "encoded units do not match the units")
        }
        englishIDs = [[Int32]?](repeating: nil, count: english.count)
        spanishIDs = [[Int32]?](repeating: nil, count: spanish.count)
    }

    func english(_ i: Int) -> [Int32] {
        if let ids = englishIDs[i] { return ids }
        let ids = encoded.map { Array($0.english[i]) } ?? table.encode(english[i].features)
        englishIDs[i] = ids
        return ids
    }

    func spanish(_ j: Int) -> [Int32] {
        if let ids = spanishIDs[j] { return ids }
        let ids = encoded.map { Array($0.spanish[j]) } ?? table.encode(spanish[j].features)
        spanishIDs[j] = ids
        return ids
    }
}

/// A post-pass over the search's links: an English paragraph left unlinked next to a Spanish
/// paragraph left unlinked in the same gap ("1-0" beside "0-1") are two claims that something
/// was not translated. When the two share anchors well beyond chance and neither matches a
/// nearby paragraph better, the likelier story is one loose or incomplete translation (a
/// Spanish paragraph that drops a sentence, an older translation): the search only split them
/// because a large length mismatch cost more than two skips. A translator is better served by
/// one link flagged `length_ratio` than by two `omitted` flags, and the omission report stays
/// about paragraphs that really have no counterpart.
struct OmissionRepair: Sendable {
    var parameters: AlignmentParameters
    /// Without texts, the repairs that read part of a unit are skipped.
    var texts: UnitTexts? = nil

    /// `encoded`: the units' sorted table ids when the caller has them (learned anchors included).
    func apply(
        _ links: [RawLink], english: [AlignmentUnit], spanish: [AlignmentUnit], table: AnchorTable,
        encoded: (english: EncodedUnits, spanish: EncodedUnits)? = nil
    ) -> [RawLink] {
        let settings = parameters.repair
        guard settings.enabled, links.count >= 2, Self.mayRepair(links) else { return links }
        let unitIDs = UnitIDs(english: english, spanish: spanish, table: table, encoded: encoded)
        var out: [RawLink] = []
        out.reserveCapacity(links.count)
        var k = 0
        var links = settings.replaceMargin > 0 ? replaceInRuns(links, english: english, spanish: spanish, table: table, unitIDs: unitIDs) : links
        if settings.diagonalContainment > 0 { links = rediagonalize(links, english: english, spanish: spanish, table: table, unitIDs: unitIDs) }
        if settings.splitIdentical { links = splitIdenticalMerges(links, english: english, spanish: spanish, table: table, unitIDs: unitIDs) }
        if settings.absorbedEvidence >= 0, let texts { links = separateUnevidenced(links, english: english, spanish: spanish, table: table, unitIDs: unitIDs, texts: texts) }
        while k < links.count {
            if k + 1 < links.count, let (i, j) = facingPair(links[k], links[k + 1]) {
                let ids = (unitIDs.english(i), unitIDs.spanish(j))
                let similarity = dice(ids.0, ids.1, table: table)
                if similarity >= settings.minimumSimilarity,
                    sharedCount(ids.0, ids.1) >= settings.minimumSharedAnchors,
                    english[i].kindClass == spanish[j].kindClass,
                    StructuralCost.cost(english[i..<i + 1], spanish[j..<j + 1], weights: parameters.structure) == 0
                {
                    let rival = rivalSimilarity(i, j, english: english, spanish: spanish, table: table, unitIDs: unitIDs)
                    if similarity > rival {
                        out.append(link(i, j, ids: ids, rival: rival, english: english, spanish: spanish, table: table))
                        k += 2
                        continue
                    }
                }
            }
            out.append(links[k])
            k += 1
        }
        return out
    }

    /// Whether any repair can change `links`. Each one starts from a link with more units on
    /// one side than on the other: an omission (the runs, the diagonal stretches, the facing
    /// pairs) or a merge of one unit with several (the verbatim copies, the unevidenced merges).
    /// Links that all pair as many units on each side (1-1, 2-2) come back as they are.
    static func mayRepair(_ links: [RawLink]) -> Bool {
        links.contains { $0.english.count != $0.spanish.count }
    }

    // MARK: - A merge holding a verbatim copy

    /// A merge whose single unit is a verbatim copy of one end of the other side (an
    /// untranslated paragraph, a code line, a name left as it is) says "these two paragraphs
    /// were translated as this one", yet the copy alone is the whole of it: nothing of the
    /// other paragraph is in the single unit, it was not translated. (A real merge's single
    /// unit holds both texts, so it is never a copy of one.) The copy is linked 1-1 and the
    /// rest left unlinked. The search cannot see this: it has anchors and lengths, not texts,
    /// and a short neighbour (`Modo de inserción`, `Edit Mode`) costs less to absorb than to skip.
    private func splitIdenticalMerges(_ links: [RawLink], english: [AlignmentUnit], spanish: [AlignmentUnit], table: AnchorTable, unitIDs: UnitIDs) -> [RawLink] {
        var out: [RawLink] = []
        out.reserveCapacity(links.count)
        for l in links {
            let englishSingle = l.english.count == 1 && l.spanish.count > 1
            let spanishSingle = l.spanish.count == 1 && l.english.count > 1
            guard englishSingle || spanishSingle else {
                out.append(l)
                continue
            }
            let single = englishSingle ? english[l.english.lowerBound] : spanish[l.spanish.lowerBound]
            let many = englishSingle ? l.spanish : l.english
            let units = englishSingle ? spanish : english
            let copy = [many.lowerBound, many.upperBound - 1].first { Self.isVerbatimCopy(single.features, units[$0].features) }
            guard let copy else {
                out.append(l)
                continue
            }
            let (i, j) = englishSingle ? (l.english.lowerBound, copy) : (copy, l.spanish.lowerBound)
            let ids = (unitIDs.english(i), unitIDs.spanish(j))
            let pair = link(i, j, ids: ids, rival: rivalSimilarity(i, j, english: english, spanish: spanish, table: table, unitIDs: unitIDs),
                english: english, spanish: spanish, table: table)
            func omission(_ unit: Int) -> RawLink {
                var terms = LinkTerms(shape: englishSingle ? LinkShape(english: 0, spanish: 1) : LinkShape(english: 1, spanish: 0))
                terms.shapeCost = parameters.shapeCost[terms.shape] ?? 0
                terms.total = terms.shapeCost + parameters.skipCost
                // Omissions sit at the other side's current position, as the search leaves them.
                let cursor = unit < copy ? (englishSingle ? i : j) : (englishSingle ? i + 1 : j + 1)
                return englishSingle
                    ? RawLink(english: cursor..<cursor, spanish: unit..<unit + 1, terms: terms)
                    : RawLink(english: unit..<unit + 1, spanish: cursor..<cursor, terms: terms)
            }
            for unit in many where unit < copy { out.append(omission(unit)) }
            out.append(pair)
            for unit in many where unit > copy { out.append(omission(unit)) }
        }
        return out
    }

    /// Same words, numbers and length (white space aside): the same text, as far as features
    /// tell. At least one word, so that two lone symbols or numbers are not taken for copies.
    static func isVerbatimCopy(_ a: TextFeatures, _ b: TextFeatures) -> Bool {
        !a.words.isEmpty && a.length == b.length && Set(a.words) == Set(b.words) && a.numbers == b.numbers
            && a.letterCount == b.letterCount
    }

    // MARK: - A merge whose short unit has no counterpart

    /// A 1-2 / 2-1 merge claims that the single unit translates both units of the other side.
    /// Its shorter end unit (a heading "Copiar", a menu name, a table cell) is cheap to absorb by
    /// length, so the search merges it whenever skipping costs more; only content tells a merge
    /// from a deletion. In a merge the single unit reads as the long unit's translation followed
    /// (or preceded) by the short unit's, so some cut near its facing edge gives each unit its own
    /// anchors. When no cut gives the short unit anything the long unit does not lose, the short
    /// unit's words in the single unit are the long unit's: "Copiar" after "Copia la selección…"
    /// against "Copies the selection to the clipboard." (copy is there, at the start, as the
    /// neighbour's); "Options" after "Recalculation options" against "Recalcular opciones"
    /// (one opciones for two options). Whole-unit anchor sets cannot see this: LibreOffice's
    /// headings are named in the paragraphs beside them. A short unit that shares no anchor
    /// with the single unit gives no evidence (the dictionary may just lack its words) and
    /// keeps the search's choice.
    private func separateUnevidenced(
        _ links: [RawLink], english: [AlignmentUnit], spanish: [AlignmentUnit], table: AnchorTable, unitIDs: UnitIDs, texts: UnitTexts
    ) -> [RawLink] {
        let settings = parameters.repair
        var out: [RawLink] = []
        out.reserveCapacity(links.count)
        for l in links {
            let englishSingle = l.english.count == 1 && l.spanish.count == 2
            let spanishSingle = l.spanish.count == 1 && l.english.count == 2
            guard englishSingle || spanishSingle else {
                out.append(l)
                continue
            }
            let singleIndex = englishSingle ? l.english.lowerBound : l.spanish.lowerBound
            let many = englishSingle ? l.spanish : l.english
            let units = englishSingle ? spanish : english
            let (first, last) = (many.lowerBound, many.upperBound - 1)
            // The shorter end unit is the candidate (ties: the last, a heading glued at the end).
            let short = units[first].features.length < units[last].features.length ? first : last
            let kept = short == first ? last : first
            let shortWeight = weight(englishSingle ? unitIDs.spanish(short) : unitIDs.english(short), table: table)
            let singleText = englishSingle ? texts.english[singleIndex] : texts.spanish[singleIndex]
            let shortText = englishSingle ? texts.spanish[short] : texts.english[short]
            let keptText = englishSingle ? texts.spanish[kept] : texts.english[kept]
            // Cuts within the facing edge: about the short unit's expected length, widened.
            let ratio = englishSingle ? 1 / parameters.lengthRatio : parameters.lengthRatio
            let reach = Int(Double(units[short].features.length) * ratio * settings.edgeFactor) + settings.edgeSlack
            guard shortWeight > 0,
                let gain = texts.cutGain(
                    short: shortText, kept: keptText, single: singleText, singleIsEnglish: englishSingle, shortAtEnd: short > kept,
                    reach: reach, table: table)
            else {
                out.append(l)
                continue
            }
            // (A tolerance: the gain is a difference of sums of the same weights.)
            guard gain <= settings.absorbedEvidence * shortWeight + 1e-9 else {
                out.append(l)
                continue
            }
            let (i, j) = englishSingle ? (singleIndex, kept) : (kept, singleIndex)
            let pairIDs = (unitIDs.english(i), unitIDs.spanish(j))
            let pair = link(i, j, ids: pairIDs, rival: rivalSimilarity(i, j, english: english, spanish: spanish, table: table, unitIDs: unitIDs),
                english: english, spanish: spanish, table: table)
            var terms = LinkTerms(shape: englishSingle ? LinkShape(english: 0, spanish: 1) : LinkShape(english: 1, spanish: 0))
            terms.shapeCost = parameters.shapeCost[terms.shape] ?? 0
            terms.total = terms.shapeCost + parameters.skipCost
            terms.rivalSimilarity = max(0, gain)
            // Omissions sit at the other side's current position, as the search leaves them.
            let cursor = short < kept ? (englishSingle ? i : j) : (englishSingle ? i + 1 : j + 1)
            let omission = englishSingle
                ? RawLink(english: cursor..<cursor, spanish: short..<short + 1, terms: terms)
                : RawLink(english: short..<short + 1, spanish: cursor..<cursor, terms: terms)
            if short < kept { out.append(contentsOf: [omission, pair]) } else { out.append(contentsOf: [pair, omission]) }
        }
        return out
    }

    // MARK: - Omission beside a merge

    /// An omission next to a merge (a 0-1 beside a 2-1, …) in a stretch with as many English as
    /// Spanish units makes two claims: one paragraph was not translated and two were translated
    /// as one. When the plain one-to-one reading of the stretch pairs every paragraph with one
    /// that holds its anchors, the simpler story is one translation that grew (a translator's
    /// note, an added explanation): the search took the omission only because a large length
    /// mismatch costs more than a skip and a merge. The link keeps its `length_ratio` flag.
    private func rediagonalize(_ links: [RawLink], english: [AlignmentUnit], spanish: [AlignmentUnit], table: AnchorTable, unitIDs: UnitIDs) -> [RawLink] {
        let settings = parameters.repair
        var out: [RawLink] = []
        var k = 0
        // Links from `untouched` on are in `out` one for one (a window never reaches back into
        // one already replaced).
        var untouched = 0
        while k < links.count {
            guard links[k].english.isEmpty != links[k].spanish.isEmpty,
                let (start, end, pairs) = diagonalWindow(
                    around: k, from: untouched, in: links, english: english, spanish: spanish, table: table, unitIDs: unitIDs, settings: settings)
            else {
                out.append(links[k])
                k += 1
                continue
            }
            // Links of the window already emitted are dropped and replaced.
            out.removeLast(k - start)
            out.append(contentsOf: pairs)
            k = end
            untouched = end
        }
        return out
    }

    /// The window [start, end) of links around the omission at `k` and its diagonal links, or nil.
    /// The smallest balanced stretch holding a merge decides: if one of its pairs fails, no
    /// wider stretch is tried.
    private func diagonalWindow(
        around k: Int, from first: Int, in links: [RawLink], english: [AlignmentUnit], spanish: [AlignmentUnit], table: AnchorTable,
        unitIDs: UnitIDs, settings: OmissionRepairParameters
    ) -> (Int, Int, [RawLink])? {
        let width = settings.diagonalWindow
        guard width >= 2 else { return nil }
        for size in 2...width {
            for start in max(first, k - size + 1)...k where start + size <= links.count {
                let window = links[start..<start + size]
                // From the units the links hold (an omission's empty range says nothing).
                let englishUnits = window.flatMap { $0.english }
                let spanishUnits = window.flatMap { $0.spanish }
                guard let firstEnglish = englishUnits.first, let firstSpanish = spanishUnits.first else { continue }
                let englishRange = firstEnglish..<firstEnglish + englishUnits.count
                let spanishRange = firstSpanish..<firstSpanish + spanishUnits.count
                guard englishRange.count == spanishRange.count,
                    window.contains(where: { $0.english.count + $0.spanish.count > 2 && !$0.english.isEmpty && !$0.spanish.isEmpty })
                else { continue }
                // Per-unit coverage of the current links (an omitted unit covers nothing).
                var current = 0.0
                for link in window {
                    let a = union(link.english.map { unitIDs.english($0) })
                    let b = union(link.spanish.map { unitIDs.spanish($0) })
                    for i in link.english { current += coverage(unitIDs.english(i), by: b, table: table) }
                    for j in link.spanish { current += coverage(unitIDs.spanish(j), by: a, table: table) }
                }
                var diagonal = 0.0
                var pairs: [RawLink] = []
                for (i, j) in zip(englishRange, spanishRange) {
                    let ids = (unitIDs.english(i), unitIDs.spanish(j))
                    guard english[i].kindClass == spanish[j].kindClass,
                        StructuralCost.cost(english[i..<i + 1], spanish[j..<j + 1], weights: parameters.structure) == 0
                    else { return nil }
                    let forward = coverage(ids.0, by: ids.1, table: table)
                    let backward = coverage(ids.1, by: ids.0, table: table)
                    // The shorter text must be held by the longer one, on enough shared anchors
                    // (only anchors found on both sides are counted: one shared "the" would
                    // make any paragraph "contained").
                    let contained = Double(english[i].features.length) * parameters.lengthRatio <= Double(spanish[j].features.length) ? forward : backward
                    guard contained >= settings.diagonalContainment, sharedCount(ids.0, ids.1) >= settings.minimumSharedAnchors else { return nil }
                    diagonal += forward + backward
                    pairs.append(link(i, j, ids: ids, rival: rivalSimilarity(i, j, english: english, spanish: spanish, table: table, unitIDs: unitIDs), english: english, spanish: spanish, table: table))
                }
                guard diagonal > current + settings.diagonalMargin else { return nil }
                return (start, start + size, pairs)
            }
        }
        return nil
    }

    private func union(_ lists: [[Int32]]) -> [Int32] {
        Array(Set(lists.joined())).sorted()
    }

    private func coverage(_ own: [Int32], by other: [Int32], table: AnchorTable) -> Double {
        let w = weight(own, table: table)
        return w > 0 ? min(1, shared(own, other, table: table) / w) : parameters.neutralCoverage
    }

    // MARK: - Runs

    /// A run of consecutive links that are 1-1 or omissions of the same side (a gap where one
    /// side has more units than the other) says which units of the longer side are missing.
    /// The search chose them with the length term too; when another monotone placement gives
    /// the run's links clearly more shared anchors (and keeps kinds and structure), take it:
    /// a paragraph translated freely (longer, shorter) should not lose its partner to a
    /// neighbour that shares nothing with it.
    private func replaceInRuns(_ links: [RawLink], english: [AlignmentUnit], spanish: [AlignmentUnit], table: AnchorTable, unitIDs: UnitIDs) -> [RawLink] {
        var out = links
        for spanishLonger in [true, false] {
            var result: [RawLink] = []
            var k = 0
            while k < out.count {
                var end = k
                var pairs = 0
                var skips = 0
                while end < out.count, end - k < parameters.repair.maximumRun {
                    let l = out[end]
                    if l.english.count == 1 && l.spanish.count == 1 {
                        pairs += 1
                    } else if spanishLonger ? (l.english.isEmpty && l.spanish.count == 1) : (l.spanish.isEmpty && l.english.count == 1) {
                        skips += 1
                    } else {
                        break
                    }
                    end += 1
                }
                if pairs > 0 && skips > 0,
                    let replaced = replace(Array(out[k..<end]), spanishLonger: spanishLonger, english: english, spanish: spanish, table: table, unitIDs: unitIDs)
                {
                    result.append(contentsOf: replaced)
                    k = end
                } else {
                    result.append(out[k])
                    k += 1
                }
            }
            out = result
        }
        return out
    }

    /// The run with its pairs re-placed, or nil to keep it.
    private func replace(
        _ run: [RawLink], spanishLonger: Bool, english: [AlignmentUnit], spanish: [AlignmentUnit], table: AnchorTable, unitIDs: UnitIDs
    ) -> [RawLink]? {
        // Short side: the units in 1-1 links; long side: every unit of the run.
        let short = run.compactMap { spanishLonger ? ($0.english.isEmpty ? nil : $0.english.lowerBound) : ($0.spanish.isEmpty ? nil : $0.spanish.lowerBound) }
        let long = run.map { spanishLonger ? $0.spanish.lowerBound : $0.english.lowerBound }
        let shortIDs = short.map { (spanishLonger ? unitIDs.english($0) : unitIDs.spanish($0)) }
        let longIDs = long.map { (spanishLonger ? unitIDs.spanish($0) : unitIDs.english($0)) }
        // Anchors decide; kind and structure only break ties (identical one-word cells): the
        // search already weighed them, and plain text's kinds are guesses.
        func value(_ a: Int, _ b: Int) -> Double {
            let (i, j) = spanishLonger ? (short[a], long[b]) : (long[b], short[a])
            var v = dice(shortIDs[a], longIDs[b], table: table)
            if english[i].kindClass != spanish[j].kindClass { v -= 0.001 }
            if StructuralCost.cost(english[i..<i + 1], spanish[j..<j + 1], weights: parameters.structure) > 0 { v -= 0.001 }
            return v
        }
        var current = 0.0
        var a = 0
        for (b, link) in run.enumerated() where (spanishLonger ? link.english.count : link.spanish.count) == 1 {
            current += value(a, b)
            a += 1
        }
        // Best monotone placement of the short units among the long ones.
        let n = short.count
        let m = long.count
        var best = [[Double]](repeating: [Double](repeating: -.infinity, count: m + 1), count: n + 1)
        var took = [[Bool]](repeating: [Bool](repeating: false, count: m + 1), count: n + 1)
        for b in 0...m { best[0][b] = 0 }
        for a in 1...n {
            for b in a...m {
                let skip = best[a][b - 1]
                let take = best[a - 1][b - 1] + value(a - 1, b - 1)
                if take > skip { best[a][b] = take; took[a][b] = true } else { best[a][b] = skip }
            }
        }
        guard best[n][m] > current + parameters.repair.replaceMargin else { return nil }
        var partner = [Int?](repeating: nil, count: m)
        var x = n
        var y = m
        while x > 0 {
            if took[x][y] { partner[y - 1] = x - 1; x -= 1 }
            y -= 1
        }
        // Kinds break ties in the placement, and the search weighed them: a placement that pairs
        // more units of different kinds (a heading with a paragraph) than the search's does not
        // win on anchors alone (an untranslated paragraph repeating its heading's words).
        if parameters.repair.keepKinds {
            func mismatches(_ pairs: [(Int, Int)]) -> Int {
                pairs.filter { english[$0.0].kindClass != spanish[$0.1].kindClass }.count
            }
            let before = run.filter { $0.english.count == 1 && $0.spanish.count == 1 }.map { ($0.english.lowerBound, $0.spanish.lowerBound) }
            let after = (0..<m).compactMap { b in partner[b].map { a in spanishLonger ? (short[a], long[b]) : (long[b], short[a]) } }
            if mismatches(after) > mismatches(before) { return nil }
        }
        // Omissions sit at the short side's current position, as the search leaves them.
        var cursor = spanishLonger ? run[0].english.lowerBound : run[0].spanish.lowerBound
        return (0..<m).map { b in
            if let a = partner[b] {
                let (i, j) = spanishLonger ? (short[a], long[b]) : (long[b], short[a])
                let ids = spanishLonger ? (shortIDs[a], longIDs[b]) : (longIDs[b], shortIDs[a])
                let rival = rivalSimilarity(i, j, english: english, spanish: spanish, table: table, unitIDs: unitIDs)
                cursor = short[a] + 1
                return link(i, j, ids: ids, rival: rival, english: english, spanish: spanish, table: table)
            }
            let unit = long[b]
            var terms = LinkTerms(shape: spanishLonger ? LinkShape(english: 0, spanish: 1) : LinkShape(english: 1, spanish: 0))
            terms.shapeCost = parameters.shapeCost[terms.shape] ?? 0
            terms.total = terms.shapeCost + parameters.skipCost
            terms.rivalSimilarity = short.indices.map { value($0, b) }.max() ?? 0
            return spanishLonger
                ? RawLink(english: cursor..<cursor, spanish: unit..<unit + 1, terms: terms)
                : RawLink(english: unit..<unit + 1, spanish: cursor..<cursor, terms: terms)
        }
    }

    /// (English unit, Spanish unit) when `a` and `b` are a 1-0 and a 0-1 in either order.
    private func facingPair(_ a: RawLink, _ b: RawLink) -> (Int, Int)? {
        if a.english.count == 1 && a.spanish.isEmpty && b.english.isEmpty && b.spanish.count == 1 {
            return (a.english.lowerBound, b.spanish.lowerBound)
        }
        if a.english.isEmpty && a.spanish.count == 1 && b.english.count == 1 && b.spanish.isEmpty {
            return (b.english.lowerBound, a.spanish.lowerBound)
        }
        return nil
    }

    /// Best similarity either unit reaches with another unit within two places of its partner.
    private func rivalSimilarity(_ i: Int, _ j: Int, english: [AlignmentUnit], spanish: [AlignmentUnit], table: AnchorTable, unitIDs: UnitIDs) -> Double {
        let a = unitIDs.english(i)
        let b = unitIDs.spanish(j)
        var best = 0.0
        for other in max(0, j - 2)...min(spanish.count - 1, j + 2) where other != j {
            best = max(best, dice(a, unitIDs.spanish(other), table: table))
        }
        for other in max(0, i - 2)...min(english.count - 1, i + 2) where other != i {
            best = max(best, dice(unitIDs.english(other), b, table: table))
        }
        return best
    }

    private func shared(_ a: [Int32], _ b: [Int32], table: AnchorTable) -> Double {
        var x = 0
        var y = 0
        var total = 0.0
        while x < a.count && y < b.count {
            if a[x] == b[y] {
                total += table.weights[Int(a[x])]
                x += 1
                y += 1
            } else if a[x] < b[y] { x += 1 } else { y += 1 }
        }
        return total
    }

    private func sharedCount(_ a: [Int32], _ b: [Int32]) -> Int {
        var x = 0
        var y = 0
        var count = 0
        while x < a.count && y < b.count {
            if a[x] == b[y] {
                count += 1
                x += 1
                y += 1
            } else if a[x] < b[y] { x += 1 } else { y += 1 }
        }
        return count
    }

    private func weight(_ ids: [Int32], table: AnchorTable) -> Double { ids.reduce(0) { $0 + table.weights[Int($1)] } }

    private func dice(_ a: [Int32], _ b: [Int32], table: AnchorTable) -> Double {
        let total = weight(a, table: table) + weight(b, table: table)
        return total > 0 ? 2 * shared(a, b, table: table) / total : 0
    }

    /// The 1-1 link with its cost terms computed as the search computes them (per-unit
    /// coverage, Gale–Church length, structure), so its score and flags mean the same.
    private func link(
        _ i: Int, _ j: Int, ids: ([Int32], [Int32]), rival: Double,
        english: [AlignmentUnit], spanish: [AlignmentUnit], table: AnchorTable
    ) -> RawLink {
        var terms = LinkTerms(shape: LinkShape(english: 1, spanish: 1))
        let common = shared(ids.0, ids.1, table: table)
        func coverage(_ own: [Int32]) -> Double {
            let w = weight(own, table: table)
            return w > 0 ? min(1, common / w) : parameters.neutralCoverage
        }
        let coverages = (coverage(ids.0), coverage(ids.1))
        terms.similarity = (coverages.0 + coverages.1) / 2
        terms.lengthZ = GaleChurch.z(
            english: english[i].features.length, spanish: spanish[j].features.length, ratio: parameters.lengthRatio,
            variance: parameters.lengthVariance)
        terms.lengthCost = parameters.lengthWeight * GaleChurch.cost(z: terms.lengthZ)
        terms.contentCost = parameters.contentWeight * ((1 - coverages.0) + (1 - coverages.1)) / 2
        terms.shapeCost = parameters.shapeCost[terms.shape] ?? 0
        terms.total = terms.shapeCost + terms.lengthCost + terms.contentCost
        terms.rivalSimilarity = rival
        var matched: [AnchorKey] = []
        var x = 0
        var y = 0
        while x < ids.0.count && y < ids.1.count {
            if ids.0[x] == ids.1[y] {
                matched.append(table.keys[Int(ids.0[x])])
                x += 1
                y += 1
            } else if ids.0[x] < ids.1[y] { x += 1 } else { y += 1 }
        }
        return RawLink(english: i..<i + 1, spanish: j..<j + 1, terms: terms, matched: matched)
    }
}
