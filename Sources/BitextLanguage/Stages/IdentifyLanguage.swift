import BitextCore

/// Labels every block with its language and confidence, and each document with its
/// languages and runs of same-language blocks; flags blocks left in the other language.
public struct IdentifyLanguage: Stage {
    public static let id: StageID = "identify.language"
    public static let summary = "Identify each block's language (en, es, pt, ca, it, fr, gl or und) and each document's languages and runs."
    public static let requires: Set<Layer> = [.blocks]
    public static let produces: Set<Layer> = [.language]

    public struct Options: StageOptions, Hashable {
        /// Below this many letters a block's own evidence is thin, and the source's language
        /// hint (HTML `lang`, file name) is used as a prior.
        public var thinLetters: Int
        /// How strongly a hint favours its language when the evidence is thin, in nats.
        public var hintWeight: Double
        /// A block needs this many letters and this confidence to be flagged `untranslated`.
        public var untranslatedMinLetters: Int
        public var untranslatedMinConfidence: Double
        /// `und` blocks shorter than this (letters) join the surrounding run.
        public var absorbLetters: Int

        public static let fields = [
            OptionField("thin_letters", "integer", default: "40", "Blocks with fewer letters use the source's language hint as a prior."),
            OptionField("hint_weight", "number", default: "2.0", "Strength of a language hint on thin blocks, in nats of prior log-odds."),
            OptionField("untranslated_min_letters", "integer", default: "20", "Minimum letters for a block to be flagged untranslated."),
            OptionField("untranslated_min_confidence", "number", default: "0.9", "Minimum confidence for a block to be flagged untranslated."),
            OptionField("absorb_letters", "integer", default: "200", "Undetermined blocks with fewer letters join the surrounding run."),
        ]
        enum CodingKeys: String, CodingKey {
            case thinLetters = "thin_letters", hintWeight = "hint_weight"
            case untranslatedMinLetters = "untranslated_min_letters"
            case untranslatedMinConfidence = "untranslated_min_confidence"
            case absorbLetters = "absorb_letters"
        }
        public init(
            thinLetters: Int = 40, hintWeight: Double = 2.0, untranslatedMinLetters: Int = 20,
            untranslatedMinConfidence: Double = 0.9, absorbLetters: Int = 200
        ) {
            self.thinLetters = thinLetters
            self.hintWeight = hintWeight
            self.untranslatedMinLetters = untranslatedMinLetters
            self.untranslatedMinConfidence = untranslatedMinConfidence
            self.absorbLetters = absorbLetters
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Options()
            thinLetters = try c.value(.thinLetters, or: d.thinLetters)
            hintWeight = try c.value(.hintWeight, or: d.hintWeight)
            untranslatedMinLetters = try c.value(.untranslatedMinLetters, or: d.untranslatedMinLetters)
            untranslatedMinConfidence = try c.value(.untranslatedMinConfidence, or: d.untranslatedMinConfidence)
            absorbLetters = try c.value(.absorbLetters, or: d.absorbLetters)
        }
    }

    public let options: Options
    /// The shared model, read when the first document is identified rather than when the
    /// stage is made: `bitext validate` and pipelines that never get a document do not load it.
    var identifier: LanguageIdentifier { .shared }
    /// The prior that keeps thin blocks to English and Spanish (per model language).
    var pairOnly: SIMD8<Double> { Self.pairOnlyPrior }
    private static let pairOnlyPrior: SIMD8<Double> = {
        let identifier = LanguageIdentifier.shared
        let exclusion = identifier.exclusionPrior(keeping: Set(LanguageCode.pairLanguages))
        var pairOnly = SIMD8<Double>.zero
        for (i, language) in identifier.languages.enumerated() { pairOnly[i] = exclusion[language] ?? 0 }
        return pairOnly
    }()

    public init(options: Options) throws {
        guard options.thinLetters >= 0 else { throw OptionError(option: "thin_letters", "must not be negative") }
        guard options.hintWeight >= 0 else { throw OptionError(option: "hint_weight", "must not be negative") }
        guard options.untranslatedMinLetters >= 0 else { throw OptionError(option: "untranslated_min_letters", "must not be negative") }
        guard (0...1).contains(options.untranslatedMinConfidence) else {
            throw OptionError(option: "untranslated_min_confidence", "must be between 0 and 1")
        }
        guard options.absorbLetters >= 0 else { throw OptionError(option: "absorb_letters", "must not be negative") }
        self.options = options
    }

    public func process(_ unit: inout WorkUnit, context: StageContext) throws {
        // A document that comes with its other version in the unit is not a mixed file.
        for index in unit.documents.indices {
            identify(&unit.documents[index], mayHoldTranslation: unit.documents.count == 1)
        }
    }

    /// Identifies one document's blocks, languages and runs, and flags untranslated blocks.
    /// With `mayHoldTranslation`, a document that reads as a text followed by its translation
    /// (see `BilingualSplit`) gets no `untranslated` flags: it is a pair.
    public func identify(_ document: inout Document, mayHoldTranslation: Bool = true) {
        let identifier = self.identifier
        let count = document.blocks.count
        // Each block's letters and label (its language's index in `languages`, -1 for und),
        // compared as integers, not as the codes' strings (an unequal String comparison is a
        // call into the runtime).
        var letters: [Int] = []
        letters.reserveCapacity(count)
        var labels: [Int] = []
        labels.reserveCapacity(count)
        // The blocks that may be decided again with a prior (thin or und ones, with letters) and
        // their evidence's costs (their letters are in `letters`); the others' evidence is
        // dropped once they are decided. Reserved for every block: room never written is never
        // resident, and a third of a novel's paragraphs can be thin (dialogue).
        var reconsidered = Reconsidered()
        reconsidered.blocks.reserveCapacity(count)
        reconsidered.costs.reserveCapacity(count)
        // The blocks' evidence a chunk at a time, in a temporary allocation (on the stack for any
        // usual document; an array of it looked its storage's metadata up at run time, once per
        // document), and each block labelled at once: a document's evidence in whole was
        // 48 bytes a block, and its decisions 40 more, for the whole of the stage.
        withUnsafeTemporaryAllocation(of: LanguageEvidence.self, capacity: min(count, Self.evidenceChunk)) { evidences in
            var start = 0
            while start < count {
                let blocks = start..<min(count, start + evidences.count)
                Self.evidence(of: document, blocks: blocks, identifier, into: evidences)
                for (offset, index) in blocks.enumerated() {
                    let evidence = evidences[offset]
                    let decision = identifier.decision(evidence, prior: nil)
                    Self.label(&document.blocks[index], decision.identification)
                    letters.append(evidence.letters)
                    labels.append(decision.index)
                    if evidence.letters > 0 && (evidence.letters < options.thinLetters || decision.index < 0) {
                        reconsidered.blocks.append(index)
                        reconsidered.costs.append(evidence.costs)
                    }
                }
                UnsafeMutableBufferPointer(rebasing: evidences[..<blocks.count]).deinitialize()
                start = blocks.upperBound
            }
        }
        identify(&document, letters: letters, labels: &labels, reconsidered: reconsidered, mayHoldTranslation: mayHoldTranslation)
    }

    /// Blocks whose evidence is computed at a time (`identify(_:mayHoldTranslation:)`): 48 bytes
    /// each, so 192 KB, while a chunk's words still fill the identifier's lookup batches many
    /// times over (a block has a dozen words).
    static let evidenceChunk = 4096

    /// The blocks `identify` may decide again, with their evidence's costs (40 bytes a block;
    /// an array of (index, evidence) pairs took 64).
    struct Reconsidered {
        var blocks: [Int] = []
        var costs: [SIMD8<Int32>] = []
    }

    /// Sets a block's language and confidence (rounded to four decimals) from a decision.
    static func label(_ block: inout Block, _ identification: Identification) {
        block.language = identification.language
        block.languageConfidence = (identification.confidence * 10_000).rounded() / 10_000
    }

    /// `identify(_:mayHoldTranslation:)` given the blocks' letters and first labels, and the
    /// evidence of the blocks that a prior may decide again.
    private func identify(
        _ document: inout Document, letters: [Int], labels: inout [Int], reconsidered: Reconsidered,
        mayHoldTranslation: Bool
    ) {
        let documentHint = Self.documentHint(document.languageHints)
        var elementHints: [Int: LanguageCode] = [:]
        for hint in document.languageHints where hint.source == .elementAttribute {
            if let block = hint.block { elementHints[block] = Self.primary(hint.language) }
        }
        let identifier = self.identifier
        let pairOnly = self.pairOnly
        let languages = identifier.languages
        let isPair = identifier.isPairLanguage

        // The language of the document's substantial blocks. When it is English or Spanish
        // (or unknown), a thin block is not taken for a third language: one word such as
        // "Ambassador" in an English letter is no evidence of Portuguese.
        // (Letters per model language, in `languages` order: labels are model languages or und.
        // At most eight of them: a vector, not an array allocated per document.)
        var substantial = SIMD8<Int>(repeating: -1)
        for index in labels.indices where letters[index] >= options.thinLetters && labels[index] >= 0 {
            let l = labels[index]
            substantial[l] = max(substantial[l], 0) + letters[index]
        }
        // Most letters; on a tie, the first language in code order.
        var mainIndex: Int?
        for l in languages.indices where substantial[l] >= 0 {
            if let m = mainIndex, substantial[m] > substantial[l] || (substantial[m] == substantial[l] && languages[m] < languages[l]) { continue }
            mainIndex = l
        }
        let mainIsPairOrUnknown = mainIndex.map { isPair[$0] } ?? true

        // For thin blocks without a source hint: the language of the substantial blocks
        // around them, when those agree (a caption between two English paragraphs).
        // (Model language indices, -1 for none.)
        var context = [Int](repeating: -1, count: labels.count)
        var previous = -1
        for index in labels.indices {
            if letters[index] >= options.thinLetters && labels[index] >= 0 {
                previous = labels[index]
            } else {
                context[index] = previous
            }
        }
        var next = -1
        for index in labels.indices.reversed() {
            if letters[index] >= options.thinLetters && labels[index] >= 0 {
                next = labels[index]
            } else if context[index] != next {
                context[index] = context[index] < 0 ? next : (next < 0 ? context[index] : -1)
            }
        }

        // The blocks that may take a prior: those with letters, thin or und (the others keep
        // their first decision).
        for (index, costs) in zip(reconsidered.blocks, reconsidered.costs) {
            let evidence = LanguageEvidence(costs: costs, letters: letters[index])
            let thin = evidence.letters < options.thinLetters
            var prior: SIMD8<Double>?
            if thin && mainIsPairOrUnknown && (labels[index] < 0 || !isPair[labels[index]]) {
                prior = pairOnly
            }
            // A source hint first (its index, nil when not a model language), else the context.
            let sourceHint = elementHints[index] ?? document.blocks[index].attributes["lang_hint"].map { Self.primary(LanguageCode($0)) } ?? documentHint
            let h = sourceHint.map { identifier.index(of: $0) } ?? (context[index] >= 0 ? context[index] : nil)
            if let h {
                var p = prior ?? .zero
                p[h] -= options.hintWeight
                prior = p
            }
            if let prior {
                let decision = identifier.decision(evidence, prior: prior)
                Self.label(&document.blocks[index], decision.identification)
                labels[index] = decision.index
            }
        }

        // Languages by letters, most first; stray labels (under 5% and 300 letters) left out.
        var byLanguage = SIMD8<Int>(repeating: -1)
        for index in document.blocks.indices where labels[index] >= 0 {
            let l = labels[index]
            byLanguage[l] = max(byLanguage[l], 0) + letters[index]
        }
        let total = languages.indices.reduce(0) { $0 + max(byLanguage[$1], 0) }
        var kept = languages.indices.filter { byLanguage[$0] >= 0 && (byLanguage[$0] * 20 >= total || byLanguage[$0] >= 300) }
        kept.sort { byLanguage[$0] != byLanguage[$1] ? byLanguage[$0] > byLanguage[$1] : languages[$0] < languages[$1] }
        document.languages = kept.map { languages[$0] }

        // Over the labels' indices (the blocks' languages, compared as integers, not strings).
        document.languageRuns = Self.runs(labels: labels, undetermined: -1, letters: letters, absorbBelow: options.absorbLetters, shortLetters: options.untranslatedMinLetters) {
            $0 < 0 ? .undetermined : languages[$0]
        }

        // Untranslated: a block in the other pair language inside a one-language document
        // (a file holding a text and its translation is a pair instead, see BilingualSplit).
        guard let main = document.languages.first, LanguageCode.pairLanguages.contains(main),
            !mayHoldTranslation || BilingualSplit.find(in: document) == nil
        else { return }
        for index in document.blocks.indices {
            let block = document.blocks[index]
            guard let language = block.language, language != main, LanguageCode.pairLanguages.contains(language),
                letters[index] >= options.untranslatedMinLetters,
                (block.languageConfidence ?? 0) >= options.untranslatedMinConfidence,
                !block.flags.contains(Self.untranslatedFlag)
            else { continue }
            // One shared array for the blocks that had no flag (most): an array of its own for
            // each of them was 48 bytes (17,000 blocks on the long pair ×16's Spanish side).
            if document.blocks[index].flags.isEmpty {
                document.blocks[index].flags = Self.untranslatedFlags
            } else {
                document.blocks[index].flags.append(Self.untranslatedFlag)
            }
        }
    }

    public static let untranslatedFlag = "untranslated"
    static let untranslatedFlags = [untranslatedFlag]

    /// Each block's evidence, read from the document's bytes where the block's text is a plain
    /// slice of them (no excluded parts; a folded line break and a space end a word alike),
    /// without making the block's text.
    /// All the blocks go to the identifier together (`evidences(count:_:)`), which looks their
    /// words up in batches; a block with excluded parts is read from its own text.
    static func evidence(of document: Document, _ identifier: LanguageIdentifier) -> [LanguageEvidence] {
        [LanguageEvidence](unsafeUninitializedCapacity: document.blocks.count) { buffer, count in
            evidence(of: document, blocks: document.blocks.indices, identifier, into: buffer)
            count = buffer.count
        }
    }

    /// `evidence(of:_:)` of the blocks `blocks`, written into the first `blocks.count` elements
    /// of `result` (uninitialized; initialized after).
    static func evidence(
        of document: Document, blocks: Range<Int>, _ identifier: LanguageIdentifier, into result: UnsafeMutableBufferPointer<LanguageEvidence>
    ) {
        var text = document.text
        text.withUTF8 { p in
            document.blocks.withUnsafeBufferPointer { all in
                let first = blocks.lowerBound
                identifier.evidences(count: blocks.count, into: result) { offset in
                    // (Fields read in place: a copy of the block would retain two of them.)
                    guard all[first + offset].excluded.isEmpty else { return UnsafeBufferPointer(start: nil, count: 0) }
                    let range = all[first + offset].range
                    return UnsafeBufferPointer(rebasing: p[range.start..<range.end])
                }
            }
        }
        for index in blocks where !document.blocks[index].excluded.isEmpty {
            result[index - blocks.lowerBound] = identifier.evidence(document.text(ofBlock: index))
        }
    }

    /// The document-wide hint: an HTML `lang` attribute first, then the file name.
    static func documentHint(_ hints: [LanguageHint]) -> LanguageCode? {
        let first = hints.first { $0.source == .documentAttribute } ?? hints.first { $0.source == .fileName }
        return first.map { primary($0.language) }
    }

    /// `en-US` → `en`, `ES_mx` → `es`.
    static func primary(_ code: LanguageCode) -> LanguageCode {
        // Most hints are already a primary code (`en`): no lowercased copy to make.
        if code.rawValue.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) { return code }
        let raw = code.rawValue.lowercased()
        let end = raw.firstIndex(where: { $0 == "-" || $0 == "_" }) ?? raw.endIndex
        return LanguageCode(String(raw[..<end]))
    }

    /// Runs of consecutive blocks with the same label. `und` blocks with fewer than
    /// `absorbBelow` letters join the run before them (or after them, at the start); a
    /// labelled block with fewer than `shortLetters` letters between two blocks of another
    /// language joins their run.
    static func runs(labels: [LanguageCode], letters: [Int], absorbBelow: Int, shortLetters: Int = 20) -> [LanguageRun] {
        runs(labels: labels, undetermined: .undetermined, letters: letters, absorbBelow: absorbBelow, shortLetters: shortLetters) { $0 }
    }

    /// `runs(labels:letters:absorbBelow:shortLetters:)` over any labels (`undetermined` is
    /// und's), with `language` naming each run's label.
    static func runs<Label: Equatable>(
        labels: [Label], undetermined: Label, letters: [Int], absorbBelow: Int, shortLetters: Int,
        language: (Label) -> LanguageCode
    ) -> [LanguageRun] {
        var effective = labels
        // Fill absorbable und blocks from the previous labelled block, or the next one.
        var previous: Label?
        var fillable: [Int] = []
        for i in labels.indices {
            if labels[i] == undetermined && letters[i] < absorbBelow {
                if let previous { effective[i] = previous } else { fillable.append(i) }
            } else {
                previous = labels[i]
                if labels[i] != undetermined {
                    for j in fillable { effective[j] = labels[i] }
                    fillable = []
                }
            }
        }
        // A short labelled block ("Radio", a name) between two blocks of one other language
        // belongs to their run: one word is no change of language.
        for i in effective.indices.dropFirst().dropLast()
        where labels[i] != undetermined && letters[i] < shortLetters && effective[i - 1] == effective[i + 1] && effective[i] != effective[i - 1] {
            effective[i] = effective[i - 1]
        }
        var runs: [LanguageRun] = []
        var runLabel: Label?
        for i in effective.indices {
            if let runLabel, runLabel == effective[i] {
                runs[runs.count - 1].lastBlock = i
            } else {
                runs.append(LanguageRun(language: language(effective[i]), firstBlock: i, lastBlock: i))
                runLabel = effective[i]
            }
        }
        return runs
    }
}
