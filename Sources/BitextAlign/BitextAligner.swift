import BitextCore
import Foundation

/// Aligns the English and Spanish sides of a work unit: paragraphs first, then sentences
/// inside each paragraph link. The stages `align.paragraphs` and `align.sentences` call it.
public struct BitextAligner: Sendable {
    let parameters: AlignmentParameters
    var scorer: LinkScorer
    public var thresholds: FlagThresholds
    var extractor: AnchorExtractor
    /// The aligner of sentences inside paragraph links (`sentenceParameters`), built once: its
    /// set-up (shape costs looked up by hashing, the search's constants) is the same for every pair.
    let sentenceAligner: Aligner
    /// The aligner of paragraphs, likewise built once rather than for every pair.
    let paragraphAligner: Aligner
    /// The sentence searches' buffers, handed from one pair to the next (see `SentenceSearches`).
    let idleSearches = IdleValues<SentenceSearches>()

    public init(bandHalfWidth: Int? = nil, thresholds: FlagThresholds = FlagThresholds()) {
        var parameters = AlignmentParameters.standard
        if let bandHalfWidth { parameters.bandHalfWidth = bandHalfWidth }
        self.parameters = parameters
        self.scorer = .calibrated
        self.thresholds = thresholds
        self.extractor = AnchorExtractor()
        sentenceAligner = Aligner(parameters: Self.sentenceParameters(parameters))
        paragraphAligner = Aligner(parameters: parameters)
    }

    init(parameters: AlignmentParameters, scorer: LinkScorer = .calibrated, thresholds: FlagThresholds = FlagThresholds(),
         extractor: AnchorExtractor = AnchorExtractor()) {
        self.parameters = parameters
        self.scorer = scorer
        self.thresholds = thresholds
        self.extractor = extractor
        sentenceAligner = Aligner(parameters: Self.sentenceParameters(parameters))
        paragraphAligner = Aligner(parameters: parameters)
    }

    /// The parameters sentences inside a paragraph link are aligned with.
    static func sentenceParameters(_ parameters: AlignmentParameters) -> AlignmentParameters {
        var sentenceParameters = parameters
        sentenceParameters.normalizeCoverage = false
        // Short sentences carry few anchors, so a true 2-1 ("Could not initialize SSL." + "It will be
        // disabled." = "No se pudo iniciar SSL, se desactivará.") always has a poorly covered part:
        // the paragraphs' merge-shortfall penalty made it 1-1 + 1-0 (message-catalog dev set, merged:
        // strict F1 0.9897 -> 0.9956; scripts/align/evaluate_sentences.py).
        sentenceParameters.mergeShortfallCost = 0
        return sentenceParameters
    }

    /// One side's blocks as the aligner sees them.
    struct SideView: Sendable {
        var texts: [Substring]
        var kinds: [BlockKind]
        var languages: [LanguageCode?]
        var features: [TextFeatures]
        /// List markers of the blocks (empty when unknown).
        var markers: [String?] = []
        /// Per block: table column, heading level, list depth (empty: none known).
        var structures: [UnitStructure] = []
        /// The blocks' chunks as `view` read them (empty when built otherwise), for their sentences.
        var chunks = ChunkStream(recording: false)
        /// Parts of units (the omission repair's edge words) are read with memos of their own,
        /// not with a store of the process's shared readings: set for the windows of a long side,
        /// which read alone (`sharedReadingLimit`) and would lease a store only for those few
        /// words. A store reserves room for `ReadingStore.capacity` readings (17 MB) and is kept
        /// for the process's life: the long pair ×4 peaked 3.7 MB higher up to align.sentences.
        var partsReadAlone = false
        var units: [AlignmentUnit] {
            // Over a range, whose count `map` knows: over `zip(...).enumerated()` it did not,
            // and grew the list by appends (a new buffer at each doubling).
            (0..<min(features.count, kinds.count)).map { k in
                AlignmentUnit(features: features[k], kind: kinds[k], structure: k < structures.count ? structures[k] : UnitStructure())
            }
        }
    }

    func view(of side: Side, in unit: WorkUnit, as language: LanguageKind) -> SideView {
        var memo = WordMemo()
        return view(of: side, in: unit, as: language, memo: &memo)
    }

    /// `memo` carries chunk and word readings from one call to the next (both sides of a pair,
    /// then their sentences). `textBytes`: about how many bytes the side's blocks hold, when they
    /// are a window of a long document (the room reserved for readings; default: the document's).
    func view(of side: Side, in unit: WorkUnit, as language: LanguageKind, memo: inout WordMemo, textBytes: Int? = nil) -> SideView {
        let document = unit.documents[side.document]
        let alone = document.text.utf8.count > Self.sharedReadingLimit
        let bytes = textBytes ?? document.text.utf8.count
        if alone {
            memo.readAlone()
            memo.reserve(aloneTextBytes: bytes)
        }
        // One pass over the blocks, each read in place (not copied out of the document with
        // its arrays and strings), into lists of the right size.
        let count = side.blocks.count
        var texts: [Substring] = []
        var kinds: [BlockKind] = []
        var languages: [LanguageCode?] = []
        // The blocks' features as rows of one table (`FeatureColumns`), not a box each.
        var columns = FeatureColumns(texts: count, ids: bytes / Self.textBytesPerReservedID)
        var markers: [String?] = []
        var structures: [UnitStructure] = []
        texts.reserveCapacity(count)
        kinds.reserveCapacity(count)
        languages.reserveCapacity(count)
        markers.reserveCapacity(count)
        structures.reserveCapacity(count)
        var stream = ChunkStream()
        // (A memo reading alone keeps no ids in the stream.)
        stream.reserve(texts: count, bytes: bytes, withIDs: !alone)
        document.blocks.withUnsafeBufferPointer { blocks in
            for b in side.blocks {
                precondition(blocks.indices.contains(b), "block index out of range")
                let block = blocks.baseAddress! + b
                let text = Self.readerText(of: block.pointee, in: document)
                texts.append(text)
                kinds.append(block.pointee.kind)
                languages.append(block.pointee.language)
                markers.append(block.pointee.marker)
                structures.append(UnitStructure(block: block.pointee))
                extractor.addFeatures(
                    of: text, language: LanguageKind(code: block.pointee.language, side: language), marker: block.pointee.marker,
                    memo: &memo, stream: &stream, to: &columns)
            }
        }
        let features = columns.finish(memo: memo)
        return SideView(
            texts: texts, kinds: kinds, languages: languages, features: features, markers: markers, structures: structures, chunks: stream)
    }

    /// A block's text as a reader sees it (`BlockContent.text`): a block that leaves nothing out
    /// and keeps its line breaks is its stretch of the document's text, sliced rather than copied.
    static func readerText(of block: borrowing Block, in document: borrowing Document) -> Substring {
        if block.excluded.isEmpty && !block.foldsLineBreaks { return document.text(of: block.range) }
        return Substring(BlockContent(block: block, in: document).text)
    }

    /// Room set aside in a side's feature columns: an anchor id and a word id per this many
    /// bytes of its document (about one of each per chunk; more grow the lists).
    static let textBytesPerReservedID = 8

    /// Documents longer than this (UTF-8 bytes) are read with their own memo only, not the
    /// process's shared readings (`WordMemo.readAlone`): a long document's chunks mostly recur
    /// within it, and nearly all of its distinct chunks are new to the store too, where each
    /// costs a shared look-up and a mapping on top of its reading (BENCHMARKS.md, session 16).
    static let sharedReadingLimit = 256 * 1024

    // MARK: - Paragraphs

    /// Paragraph links over positions in each side's block list, scored and flagged.
    /// `firstPassTable`: the table over the views as given (before learned anchors), the one
    /// sentence alignment weighs its anchors with; `firstPassIDs`: each paragraph's ids in it.
    func alignParagraphs(english: SideView, spanish: SideView, explain: Bool)
        -> (links: [AlignmentLink], table: AnchorTable, firstPassTable: AnchorTable, firstPassIDs: ParagraphIDs)
    {
        let (raw, table, firstPassTable, firstPassIDs) = alignRaw(english: english, spanish: spanish, listMatchedAnchors: explain)
        let links = raw.map { link($0, english: english, spanish: spanish, explain: explain) }
        return (links, table, firstPassTable, firstPassIDs)
    }

    /// The two-pass search: align, learn word translations from the confident links, add them
    /// as anchors (in the catalog's encoded units, not the views) and align again.
    /// `listMatchedAnchors`: keep each link's shared anchors (only explanations read them).
    func alignRaw(english: SideView, spanish: SideView, listMatchedAnchors: Bool = true)
        -> (links: [RawLink], table: AnchorTable, firstPassTable: AnchorTable, firstPassIDs: ParagraphIDs)
    {
        let aligner = paragraphAligner
        var catalog = AnchorCatalog(english: english.features, spanish: spanish.features)
        let englishUnits = english.units
        let spanishUnits = spanish.units
        var table: AnchorTable
        var first: Aligner.Pass
        // The first pass's ids are kept for sentence alignment, which weighs anchors with its table.
        let firstPassIDs: ParagraphIDs
        do {
            let tabled = catalog.table(parameters: parameters)
            table = tabled.table
            firstPassIDs = ParagraphIDs(english: tabled.english, spanish: tabled.spanish)
            first = aligner.search(english: englishUnits, spanish: spanishUnits, table: table, encoded: (tabled.english, tabled.spanish))
        }
        let firstPassTable = table
        // Rival similarities and shared anchors only for the pass that stands.
        guard parameters.learnLexicon else {
            return (repaired(aligner.finished(first, listMatchedAnchors: listMatchedAnchors), english, spanish, (englishUnits, spanishUnits), table), table, firstPassTable, firstPassIDs)
        }
        let learned = LexiconBootstrap().learnLexicon(english: english.features, spanish: spanish.features, links: first.links)
        let lexicon = learned.translations
        guard !lexicon.isEmpty else {
            return (repaired(aligner.finished(first, listMatchedAnchors: listMatchedAnchors), english, spanish, (englishUnits, spanishUnits), table), table, firstPassTable, firstPassIDs)
        }
        let previous = first.links
        first = Aligner.Pass(links: [], search: nil)  // its search's indexes are not needed any more
        // The second pass: only the learned anchors are new; the rest of the catalog stands.
        // They join the units' encoded ids, which the search and the repairs read (not their features).
        catalog.addLearned(learned, english: english.features, spanish: spanish.features)
        let second = catalog.table(parameters: parameters)
        catalog = AnchorCatalog(english: [], spanish: [])  // its lookup tables are not needed in the second search
        table = second.table
        let raw = aligner.align(english: englishUnits, spanish: spanishUnits, table: table, encoded: (second.english, second.spanish), previous: previous,
            listMatchedAnchors: listMatchedAnchors)
        return (repaired(raw, english, spanish, (englishUnits, spanishUnits), table, lexicon: lexicon, encoded: (second.english, second.spanish)), table, firstPassTable, firstPassIDs)
    }

    /// Hook (OmissionRepair.swift): facing omissions that are one loose translation.
    /// `units`: the views' units; `encoded`: their ids with their learned anchors (the views hold none).
    private func repaired(
        _ raw: [RawLink], _ english: SideView, _ spanish: SideView, _ units: (english: [AlignmentUnit], spanish: [AlignmentUnit]),
        _ table: AnchorTable, lexicon: [String: String] = [:],
        encoded: (english: EncodedUnits, spanish: EncodedUnits)? = nil
    ) -> [RawLink] {
        // Most pairs: nothing to repair, and no texts to gather (the extractor's copy, the lexicon's words).
        guard OmissionRepair.mayRepair(raw) else { return raw }
        return OmissionRepair(parameters: parameters, texts: UnitTexts(
            english: english.texts, spanish: spanish.texts, extractor: extractor, lexicon: lexicon,
            readsAlone: english.partsReadAlone || spanish.partsReadAlone))
            .apply(raw, english: units.english, spanish: units.spanish, table: table, encoded: encoded)
    }

    func link(_ raw: RawLink, english: SideView, spanish: SideView, explain: Bool) -> AlignmentLink {
        let enFeatures = english.features[raw.english]
        let esFeatures = spanish.features[raw.spanish]
        var length = 0
        for f in enFeatures { length += f.length }
        for f in esFeatures { length += f.length }
        let score = scorer.probability(raw.terms, length: length)
        // The closure holds the link's texts, not the views (capturing a view copied all its arrays).
        let enTexts = english.texts[raw.english]
        let esTexts = spanish.texts[raw.spanish]
        let flags = QAFlags.flags(
            english: enFeatures, spanish: esFeatures,
            englishLanguages: english.languages[raw.english], spanishLanguages: spanish.languages[raw.spanish],
            texts: { (Array(enTexts), Array(esTexts)) },
            terms: raw.terms, score: score, thresholds: thresholds)
        return AlignmentLink(
            english: LinkPositions(raw.english), spanish: LinkPositions(raw.spanish), score: (score * 1000).rounded() / 1000, flags: flags,
            explanation: explain ? Self.explanation(raw) : nil)
    }

    static func explanation(_ raw: RawLink) -> [String: String] {
        let t = raw.terms
        func f(_ x: Double) -> String { String(format: "%.3f", x) }
        var e: [String: String] = [
            "shape": "\(t.shape.english)-\(t.shape.spanish)",
            "cost_total": f(t.total),
            "cost_shape": f(t.shapeCost),
            "rival_similarity": f(t.rivalSimilarity),
        ]
        if !t.shape.isOmission {
            e["anchors"] = raw.matched.map(\.description).sorted().joined(separator: " ")
            e["similarity"] = f(t.similarity)
            e["length_z"] = f(t.lengthZ)
            e["cost_length"] = f(t.lengthCost)
            e["cost_content"] = f(t.contentCost)
            e["cost_kind"] = f(t.kindCost)
            if t.structureCost > 0 { e["cost_structure"] = f(t.structureCost) }
        }
        return e
    }

    // MARK: - Sentences

    /// Sentence links inside each paragraph link. `englishSentences[k]` are the ranges (in the
    /// side's document) of the k-th English sentence, with its block position in the side.
    /// `englishParagraphs`/`spanishParagraphs`, when given, lend their features to sentences
    /// that are a whole paragraph read the same way (same text, same language, no marker anchor),
    /// and `paragraphIDs`, when given (the paragraphs' ids in `table`), their ids.
    func alignSentences(
        paragraphLinks: [AlignmentLink], english: [(block: Int, text: Substring)], spanish: [(block: Int, text: Substring)],
        englishLanguages: [LanguageCode?], spanishLanguages: [LanguageCode?], table: AnchorTable,
        englishParagraphs: SideView? = nil, spanishParagraphs: SideView? = nil, paragraphIDs: ParagraphIDs? = nil, memo: inout WordMemo
    ) -> [SentenceLink] {
        let englishGroups = SentenceGroups(english)
        let spanishGroups = SentenceGroups(spanish)
        let englishRead = sentenceFeatures(english, language: .english, paragraphs: englishParagraphs, memo: &memo)
        let spanishRead = sentenceFeatures(spanish, language: .spanish, paragraphs: spanishParagraphs, memo: &memo)
        let enFeatures = englishRead.features
        let esFeatures = spanishRead.features
        let englishUnits = SentenceUnits(features: enFeatures, paragraph: englishRead.paragraph, paragraphIDs: paragraphIDs?.english)
        let spanishUnits = SentenceUnits(features: esFeatures, paragraph: spanishRead.paragraph, paragraphIDs: paragraphIDs?.spanish)
        let aligner = sentenceAligner
        let sentenceParameters = aligner.parameters
        var searches = idleSearches.take() ?? SentenceSearches(aligner: aligner)  // given back at the end
        // Slack 4: message-catalog dev set, 2 -> 4 -> 6 -> 8 gives merged strict F1 0.9985 / 1 / 1 / 1
        // and deleted (gold units) 0.9601 / 0.9601 / 0.9591 / 0.9582 (BENCHMARKS.md).
        let merges = SentenceMerges(aligner: aligner, slack: 4)
        var result: [SentenceLink] = []
        result.reserveCapacity(max(english.count, spanish.count))
        // Each sentence's language, looked up once: the flags read them several times per link,
        // and reading `english[k].block` copied the sentence's text (a retain and a release).
        let englishSentenceLanguages = english.map { englishLanguages[$0.block] }
        let spanishSentenceLanguages = spanish.map { spanishLanguages[$0.block] }
        var a: [Int] = []  // the link's sentences, each side, kept from one link to the next
        var b: [Int] = []
        // The link's sentence links: the one-to-one ones (most links) reuse the last link's
        // array (a new array of one element each was an allocation per link).
        var raw: [RawLink] = []
        for p in paragraphLinks.indices {  // (each link read in place, not copied with its arrays)
            a.removeAll(keepingCapacity: true)
            b.removeAll(keepingCapacity: true)
            for block in paragraphLinks[p].english { englishGroups.append(block, to: &a) }
            for block in paragraphLinks[p].spanish { spanishGroups.append(block, to: &b) }
            let linkScore = paragraphLinks[p].score
            if a.isEmpty && b.isEmpty { continue }
            if a.count == 1 && b.count == 1 && searches.pair.applies {
                if let z = searches.pair.certainOneToOneLengthZ(english: enFeatures[a[0]], spanish: esFeatures[b[0]]) {
                    // Most links: one sentence a side, linked by the length term whatever they
                    // share. Scored as the paragraph link (below), and of the terms the flags read the z only.
                    var terms = LinkTerms(shape: LinkShape(english: 1, spanish: 1))
                    terms.lengthZ = z
                    raw.removeAll(keepingCapacity: true)
                    raw.append(RawLink(english: 0..<1, spanish: 0..<1, terms: terms))
                } else {
                    raw = searches.pair.links(english: a[0], of: englishUnits, spanish: b[0], of: spanishUnits, table: table)
                }
            } else {
                if searches.search.applies(english: a.count, spanish: b.count) {
                    raw = searches.search.links(english: a, of: englishUnits, spanish: b, of: spanishUnits, table: table)
                } else {
                    raw = aligner.align(
                        english: a.map { AlignmentUnit(features: enFeatures[$0]) }, spanish: b.map { AlignmentUnit(features: esFeatures[$0]) },
                        table: table, listMatchedAnchors: false)
                }
                if a.count + b.count > 2, raw.contains(where: { $0.english.isEmpty != $0.spanish.isEmpty }) {
                    let enUnits = a.map { AlignmentUnit(features: enFeatures[$0]) }
                    let esUnits = b.map { AlignmentUnit(features: esFeatures[$0]) }
                    // The search's own view of the units (sentence alignment samples no chance coverage).
                    var en = Aligner.SideIndex(units: enUnits, table: table)
                    var es = Aligner.SideIndex(units: esUnits, table: table)
                    en.baseline = [Double](repeating: sentenceParameters.chanceCoverage, count: a.count)
                    es.baseline = [Double](repeating: sentenceParameters.chanceCoverage, count: b.count)
                    let enClauses = a.map { SentenceMerges.clauseMarks(english[$0].text) }
                    let esClauses = b.map { SentenceMerges.clauseMarks(spanish[$0].text) }
                    raw = merges.repair(raw, english: en, spanish: es, table: table, englishClauses: enClauses, spanishClauses: esClauses)
                }
            }
            let wholeLink = a.count == 1 && b.count == 1
            for r in raw {
                let ea = r.english.map { a[$0] }
                let eb = r.spanish.map { b[$0] }
                let fa = ea.lazy.map { enFeatures[$0] }
                let fb = eb.lazy.map { esFeatures[$0] }
                var score: Double
                if ea.count == 1 && eb.count == 1 && wholeLink {
                    score = linkScore  // the paragraph link's one sentence pair: no scoring needed
                } else {
                    var length = 0
                    for s in ea { length += enFeatures[s].length }
                    for s in eb { length += esFeatures[s].length }
                    score = scorer.probability(r.terms, length: length)
                    // A sentence pair is no more certain than the paragraph pair it lies in.
                    score = min(score, max(linkScore, 0))
                }
                let flags = QAFlags.flags(
                    english: fa, spanish: fb, englishLanguages: ea.lazy.map { englishSentenceLanguages[$0] },
                    spanishLanguages: eb.lazy.map { spanishSentenceLanguages[$0] },
                    texts: { (ea.map { english[$0].text }, eb.map { spanish[$0].text }) }, terms: r.terms, score: score, thresholds: thresholds)
                result.append(SentenceLink(paragraphLink: p, english: LinkPositions(ea), spanish: LinkPositions(eb), score: (score * 1000).rounded() / 1000, flags: flags))
            }
        }
        // Moved into the pool, not copied (a copy retained and then released its twenty buffers).
        if searches.isSmallEnoughToKeep { idleSearches.giveBack(consume searches) }
        return result
    }
}

extension BitextAligner {
    /// Features of each sentence, read in its block's language as the paragraph pass read the
    /// block (an English block on the Spanish side is read as English: read as Spanish, "2.100"
    /// was the number 2100 and flagged against the other side's 2.100), and per sentence the
    /// position of the paragraph whose features it took (the same text read the same way), or -1.
    func sentenceFeatures(
        _ sentences: [(block: Int, text: Substring)], language: LanguageKind, paragraphs: SideView?, memo: inout WordMemo
    ) -> (features: [TextFeatures], paragraph: [Int32]) {
        var paragraph = [Int32](repeating: -1, count: sentences.count)
        // Sentences read here are rows of one table (`FeatureColumns`), in order: sentence k is
        // the next row unless `paragraph[k]` names the block whose paragraph's features it takes.
        var columns = FeatureColumns(texts: 0, ids: 0)
        var unusedStream = ChunkStream(recording: false)
        var rowCount = 0
        // The view read in place (switched on, not unwrapped into a local or replaced by an
        // empty view: that copied it, retaining and then releasing its twenty-odd arrays).
        switch paragraphs {
        case .none:
            columns = FeatureColumns(texts: sentences.count, ids: 0)
            for sentence in sentences {
                extractor.addFeatures(
                    of: sentence.text, language: language, marker: nil, words: false, memo: &memo, stream: &unusedStream, to: &columns)
            }
            rowCount = sentences.count
        case .some(let paragraphs):
            // Sentences per block position (positions index the side's block list).
            var perBlock = [Int](repeating: 0, count: (sentences.map(\.block).max() ?? -1) + 1)
            for s in sentences { perBlock[s.block] += 1 }
            // The paragraphs' chunks, when read with this memo (or a copy made after).
            let hasStream = paragraphs.chunks.origin === memo.origin
            for (k, sentence) in sentences.enumerated() {
                let blockLanguage = sentence.block < paragraphs.languages.count
                    ? LanguageKind(code: paragraphs.languages[sentence.block], side: language) : language
                if perBlock[sentence.block] == 1, paragraphs.markers.indices.contains(sentence.block),
                    // A marker without letters or digits (a bullet) gives no anchor: the paragraph's
                    // features are those of its text alone (some 3,400 list items of the LibreOffice pages).
                    paragraphs.markers[sentence.block].flatMap(AnchorExtractor.normalizedMarker) == nil,
                    Self.sameUTF8(paragraphs.texts[sentence.block], sentence.text)
                {
                    paragraph[k] = Int32(sentence.block)  // the same text read the same way
                    continue
                }
                if rowCount == 0 { columns = FeatureColumns(texts: sentences.count - k, ids: 0) }  // (room from the first row read)
                rowCount += 1
                if hasStream, sentence.block < paragraphs.texts.count,
                    let chunks = paragraphs.chunks.chunks(
                        of: sentence.text, in: paragraphs.texts[sentence.block], at: sentence.block, language: blockLanguage)
                {
                    extractor.addFeatures(
                        of: sentence.text, language: blockLanguage, marker: nil, words: false, chunks: chunks, memo: &memo,
                        stream: &unusedStream, to: &columns)
                    continue
                }
                extractor.addFeatures(
                    of: sentence.text, language: blockLanguage, marker: nil, words: false, memo: &memo, stream: &unusedStream, to: &columns)
            }
        }
        let read = columns.finish(memo: memo)
        var features: [TextFeatures] = []
        features.reserveCapacity(sentences.count)
        var row = 0
        for k in sentences.indices {
            if paragraph[k] >= 0 {
                features.append(paragraphs!.features[Int(paragraph[k])])
            } else {
                features.append(read[row])
                row += 1
            }
        }
        return (features, paragraph)
    }
}

extension BitextAligner {
    /// `a.utf8.elementsEqual(b.utf8)`, by length and then memcmp when both are contiguous.
    static func sameUTF8(_ a: Substring, _ b: Substring) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        let compared = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in
                // (A sentence sliced from its paragraph's text: the same bytes, not compared.)
                x.isEmpty || x.baseAddress == y.baseAddress || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0
            }
        }
        return (compared ?? nil) ?? a.utf8.elementsEqual(b.utf8)
    }
}

/// A side's sentences grouped by block position, in their order: a counting sort into one
/// flat array instead of a dictionary of arrays.
struct SentenceGroups {
    /// Block position p's sentences are `order[starts[p] ..< starts[p + 1]]`.
    private var starts: [Int]
    private var order: [Int]

    init(_ sentences: [(block: Int, text: Substring)]) {
        var blocks = 0
        for s in sentences { blocks = max(blocks, s.block + 1) }
        var starts = [Int](repeating: 0, count: blocks + 1)
        for s in sentences { starts[s.block + 1] += 1 }
        for p in 0..<blocks { starts[p + 1] += starts[p] }
        var next = starts
        var order = [Int](repeating: 0, count: sentences.count)
        for (k, s) in sentences.enumerated() {
            order[next[s.block]] = k
            next[s.block] += 1
        }
        self.starts = starts
        self.order = order
    }

    /// Appends the sentences of block position `block` (none when it has none).
    @inline(__always)
    func append(_ block: Int, to out: inout [Int]) {
        guard block >= 0, block + 1 < starts.count else { return }
        out.append(contentsOf: order[starts[block]..<starts[block + 1]])
    }
}

/// The two sentence searches of `alignSentences`, kept from one pair to the next (a run's
/// pairs share one sentence aligner): most pairs are small, and each pair's searches grew some
/// twenty buffers from nothing. Each search empties or overwrites what it reads.
struct SentenceSearches: Sendable {
    var pair: SentencePairSearch
    var search: SentenceSearch

    init(aligner: Aligner) {
        pair = SentencePairSearch(aligner: aligner)
        search = SentenceSearch(aligner: aligner)
    }

    /// Buffers past this many elements are not kept: one long document's would stay allocated.
    static let keptElements = 1 << 16

    var isSmallEnoughToKeep: Bool { max(pair.largestBuffer, search.largestBuffer) <= Self.keptElements }
}

/// Both sides' paragraphs' ids in one anchor table (the first paragraph pass's), by position
/// in each side's block list.
struct ParagraphIDs: Sendable {
    var english: EncodedUnits
    var spanish: EncodedUnits
}

/// What `align.paragraphs` read from a pair, left on the unit (`WorkUnit.reusable`) for
/// `align.sentences`, which would otherwise read every paragraph again: both sides' views
/// before any learned anchor, the memo of their chunks and words, and the anchor table over
/// those views (anchor weights depend on the anchors' kinds and the views only).
/// A class: taken back out of `WorkUnit.reusable` by a pointer cast, each field then read in
/// place (as a struct, the cast copied its dozens of arrays out of the existential's box).
final class ParagraphReading: Sendable {
    static let key = "align.paragraphs.reading"
    let english: BitextAligner.SideView
    let spanish: BitextAligner.SideView
    let memo: WordMemo
    let table: AnchorTable
    /// Each paragraph's ids in `table`.
    let paragraphIDs: ParagraphIDs
    /// What the views were read from: each side, and its document's text and blocks.
    private let sources: [Source]

    private struct Source: Sendable, Equatable {
        var side: Side
        var text: String
        var blocks: [Block]
        init(_ side: Side, in unit: WorkUnit) {
            self.side = side
            text = unit.documents[side.document].text
            blocks = unit.documents[side.document].blocks
        }
    }

    init(
        english: BitextAligner.SideView, spanish: BitextAligner.SideView, memo: WordMemo, table: AnchorTable,
        paragraphIDs: ParagraphIDs, unit: WorkUnit, englishSide: Side, spanishSide: Side
    ) {
        self.english = english
        self.spanish = spanish
        self.memo = memo
        self.table = table
        self.paragraphIDs = paragraphIDs
        sources = [Source(englishSide, in: unit), Source(spanishSide, in: unit)]
    }

    /// Whether the unit's sides still read as they did (unchanged storage compares in constant time).
    func matches(_ unit: WorkUnit, englishSide: Side, spanishSide: Side) -> Bool {
        guard englishSide.document < unit.documents.count, spanishSide.document < unit.documents.count else { return false }
        return sources == [Source(englishSide, in: unit), Source(spanishSide, in: unit)]
    }
}

extension LanguageKind {
    /// The conventions to read a block with: its identified language when it is English or
    /// Spanish, else the side it sits on.
    init(code: LanguageCode?, side: LanguageKind) {
        switch code {
        case .english?: self = .english
        case .spanish?: self = .spanish
        default: self = side
        }
    }
}
