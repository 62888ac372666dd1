import BitextCore

/// Aligned pairs as flat records: one per paragraph link, one per sentence link, and one per
/// paragraph that no link covers (so that nothing is lost when a unit is unpaired or a block
/// was left out of the alignment). JSON Lines, bulk, XLIFF and the review page all read these.
public struct PairRecord: Sendable {
    public enum Kind: String, Sendable {
        case paragraphPair = "paragraph_pair"
        case sentencePair = "sentence_pair"
        /// A paragraph outside every link: one side only.
        case paragraph
    }

    /// One language's half of a record.
    public struct Side: Sendable {
        public var language: LanguageCode
        /// Paragraph indices (positions in the language's list).
        public var paragraphs: [Int]
        /// Sentence indices, for sentence pairs.
        public var sentences: [Int]?
        /// The text: paragraphs joined by a line break, sentences by a space.
        public var text: String
        public var sourcePath: String
        /// UTF-8 range in the document text, from the first unit's start to the last one's end.
        public var start: Int
        public var end: Int
        /// Byte offsets of that range in the source file.
        public var sourceStart: Int
        public var sourceEnd: Int
        public var entities: [UnitView.EntityMention]
        /// Where each of `entities` lies in `text` (UTF-8 offsets), parallel to it; nil when a
        /// mention does not map cleanly (it crosses excluded markup).
        public var entitySpans: [Range<Int>?] = []
    }

    /// Stable: the unit id and the link's position (`#p3`, `#s12`) or the paragraph's (`#en7`).
    public var id: String
    /// The id's local part, a valid XML NMTOKEN (`p3`, `s12`, `en7`).
    public var localID: String
    public var kind: Kind
    public var unit: String
    /// Paragraph link index (for sentence pairs: the link the sentences lie in).
    public var link: Int?
    public var sentenceLink: Int?
    public var score: Double?
    public var flags: [String]
    /// English first, then Spanish; one side for `paragraph` records (or a link with an empty side).
    public var sides: [Side]

    public func side(_ language: LanguageCode) -> Side? { sides.first { $0.language == language } }
}

public enum PairRecords {
    /// Records of a unit in a fixed order: paragraph pairs in link order with each unlinked
    /// paragraph after the link before it (reading order), then sentence pairs.
    public static func make(_ view: UnitView, paragraphs: Bool = true, sentences: Bool = true) -> [PairRecord] {
        var records: [PairRecord] = []
        forEach(view, paragraphs: paragraphs, sentences: sentences) { records.append($0) }
        return records
    }

    /// `make`'s records handed to `body` one at a time, as they are made: a long pair's
    /// records (each with its text and entities) are never all held at once.
    public static func forEach(_ view: UnitView, paragraphs: Bool = true, sentences: Bool = true, _ body: (PairRecord) throws -> Void) rethrows {
        let lists = UnitLists(view)
        if paragraphs { try forEachParagraphRecord(view, lists: lists, body) }
        if sentences { try forEachSentenceRecord(view, lists: lists, body) }
    }

    public static func paragraphRecords(_ view: UnitView) -> [PairRecord] {
        var records: [PairRecord] = []
        forEachParagraphRecord(view, lists: UnitLists(view)) { records.append($0) }
        return records
    }

    public static func sentenceRecords(_ view: UnitView) -> [PairRecord] {
        var records: [PairRecord] = []
        forEachSentenceRecord(view, lists: UnitLists(view)) { records.append($0) }
        return records
    }

    /// `outline`: records without their sides' text and entities (kind, score, flags, which
    /// sides and paragraphs), for a caller that counts before it writes.
    static func forEachParagraphRecord(_ view: UnitView, lists: UnitLists, outline: Bool = false, _ body: (PairRecord) throws -> Void) rethrows {
        let unitID = view.unit.id
        guard let alignment = view.unit.alignment, view.unit.isPaired else {
            for language in view.languages {
                for paragraph in view.paragraphs[language] ?? [] { try body(unlinked(paragraph, view: view, lists: lists, outline: outline)) }
            }
            return
        }
        // Linked paragraphs, a flag per paragraph (sets of indices took ~20 bytes a paragraph).
        var covered: [LanguageCode: [Bool]] = [:]
        for language in [LanguageCode.english, .spanish] {
            var flags = [Bool](repeating: false, count: view.paragraphs[language]?.count ?? 0)
            for link in alignment {
                for index in language == .english ? link.english : link.spanish where index >= 0 && index < flags.count { flags[index] = true }
            }
            covered[language] = flags
        }
        // Paragraphs outside every link go where a reader meets them: after the last link
        // that holds an earlier paragraph of their language. One sweep over the paragraphs in
        // index order, passing the links by the last paragraph they hold (a search back
        // through the links for each paragraph was quadratic; a sorted list of the links'
        // ends took 16 bytes a link, 6 MB on a long pair, where this takes 4 a paragraph).
        var after: [Int: [UnitView.Paragraph]] = [:]
        for language in view.languages {
            let flags = covered[language] ?? []
            let count = view.paragraphs[language]?.count ?? 0
            // The highest link whose last paragraph is at each index, -1 for none; links
            // whose paragraphs are all negative (none) are passed before the first paragraph.
            var lastLinkEndingAt = [Int32](repeating: -1, count: count)
            var anchor = -1
            for (index, link) in alignment.enumerated() {
                let indices = language == .english ? link.english : language == .spanish ? link.spanish : []
                guard let last = indices.max() else { continue }
                if last < 0 {
                    anchor = max(anchor, index)
                } else if last < count {
                    lastLinkEndingAt[last] = max(lastLinkEndingAt[last], Int32(index))
                }
            }
            var passed = 0
            for paragraph in view.paragraphs[language] ?? [] where !(paragraph.index < flags.count && flags[paragraph.index]) {
                while passed < min(paragraph.index, count) {
                    anchor = max(anchor, Int(lastLinkEndingAt[passed]))
                    passed += 1
                }
                after[anchor, default: []].append(paragraph)
            }
        }
        for paragraph in after[-1] ?? [] { try body(unlinked(paragraph, view: view, lists: lists, outline: outline)) }
        for (index, link) in alignment.enumerated() {
            var sides: [PairRecord.Side] = []
            for (language, indices) in [(LanguageCode.english, link.english), (.spanish, link.spanish)] where !indices.isEmpty {
                if let side = paragraphSide(language, indices, view: view, lists: lists, outline: outline) { sides.append(side) }
            }
            try body(PairRecord(
                id: "\(unitID)#p\(index)", localID: "p\(index)", kind: .paragraphPair, unit: unitID, link: index,
                sentenceLink: nil, score: link.score, flags: link.flags, sides: sides))
            for paragraph in after[index] ?? [] { try body(unlinked(paragraph, view: view, lists: lists, outline: outline)) }
        }
    }

    /// A paragraph record made in outline (`forEachParagraphRecord(outline: true)`) with its
    /// sides' text and entities: the record the full pass makes at its place.
    static func filled(_ outline: PairRecord, view: UnitView, lists: UnitLists) -> PairRecord {
        var record = outline
        record.sides = outline.sides.compactMap { paragraphSide($0.language, $0.paragraphs, view: view, lists: lists, outline: false) }
        return record
    }

    static func forEachSentenceRecord(_ view: UnitView, lists: UnitLists, _ body: (PairRecord) throws -> Void) rethrows {
        guard let links = view.unit.sentenceAlignment, view.unit.isPaired else { return }
        for index in links.indices { try body(sentenceRecord(index, view: view, lists: lists)) }
    }

    /// The record of sentence link `index` (of a paired unit with sentence alignment).
    static func sentenceRecord(_ index: Int, view: UnitView, lists: UnitLists) -> PairRecord {
        let link = view.unit.sentenceAlignment![index]
        let unitID = view.unit.id
        var sides: [PairRecord.Side] = []
        for (language, indices) in [(LanguageCode.english, link.english), (.spanish, link.spanish)] where !indices.isEmpty {
            if let side = sentenceSide(language, indices, view: view, lists: lists) { sides.append(side) }
        }
        return PairRecord(
            id: "\(unitID)#s\(index)", localID: "s\(index)", kind: .sentencePair, unit: unitID, link: link.paragraphLink,
            sentenceLink: index, score: link.score, flags: link.flags, sides: sides)
    }

    /// What building a record reads of each language, looked up once per unit: its paragraphs,
    /// sentences and entity mentions, the mentions grouped by paragraph so that a record costs
    /// what its own paragraphs hold, not the whole document's entities. (Looked up in the
    /// view's dictionaries for every side, the language codes' hashing cost more than some
    /// records' own work.)
    struct UnitLists {
        struct Lists {
            var paragraphs: UnitView.Paragraphs?
            var sentences: UnitView.Sentences?
            var mentions: UnitView.EntityMentions?
            var groups = UnitView.ParagraphGroups(paragraphs: [])

            /// The mentions in `paragraphs`, in that order, each paragraph's in list order.
            func mentions(in paragraphs: [Int]) -> [UnitView.EntityMention] {
                guard let mentions else { return [] }
                var found: [UnitView.EntityMention] = []
                for paragraph in paragraphs {
                    for position in groups.positions(of: paragraph) { found.append(mentions[position]) }
                }
                return found
            }
        }
        private var english = Lists()
        private var spanish = Lists()
        private var others: [LanguageCode: Lists] = [:]

        init(_ view: UnitView) {
            for language in Set(view.paragraphs.keys).union(view.sentences.keys).union(view.entities.keys) {
                var lists = Lists(paragraphs: view.paragraphs[language], sentences: view.sentences[language], mentions: view.entities[language])
                if let mentions = lists.mentions { lists.groups = UnitView.ParagraphGroups(paragraphs: mentions.paragraphOfEach) }
                if language == .english { english = lists } else if language == .spanish { spanish = lists } else { others[language] = lists }
            }
        }

        subscript(language: LanguageCode) -> Lists {
            language == .english ? english : language == .spanish ? spanish : others[language] ?? Lists()
        }

    }

    private static func unlinked(_ paragraph: UnitView.Paragraph, view: UnitView, lists: UnitLists, outline: Bool) -> PairRecord {
        let language = paragraph.language
        let local = "\(xmlNameSafe(language.rawValue))\(paragraph.index)"
        return PairRecord(
            id: "\(view.unit.id)#\(local)", localID: local, kind: .paragraph, unit: view.unit.id, link: nil, sentenceLink: nil,
            score: nil, flags: paragraph.info.flags, sides: paragraphSide(language, [paragraph.index], view: view, lists: lists, outline: outline).map { [$0] } ?? [])
    }

    private static func paragraphSide(_ language: LanguageCode, _ indices: some Collection<Int>, view: UnitView, lists: UnitLists, outline: Bool) -> PairRecord.Side? {
        let languageLists = lists[language]
        guard let list = languageLists.paragraphs else { return nil }
        let chosenIndices = validSorted(indices, in: list.indices)
        let chosen = chosenIndices.map { list[$0] }
        guard let first = chosen.first, let last = chosen.last else { return nil }
        // Each paragraph's text is made once (it is composed from the document each time asked).
        let texts = outline ? [] : chosen.map(\.text)
        var side = PairRecord.Side(
            language: language, paragraphs: chosenIndices, sentences: nil,
            text: outline ? "" : joined(texts, separator: "\n"), sourcePath: view.unit.documents[first.document].source.path,
            start: first.info.range.start, end: last.info.range.end, sourceStart: first.sourceStart, sourceEnd: last.sourceEnd,
            entities: outline ? [] : languageLists.mentions(in: chosenIndices))
        guard !outline else { return side }
        // Each paragraph's reader text starts after the previous ones and a line break.
        var offsets: [Int] = []
        offsets.reserveCapacity(texts.count)
        var offset = 0
        for text in texts {
            offsets.append(offset)
            offset += text.utf8.count + 1
        }
        side.entitySpans = side.entities.map { mention in
            // The last of the chosen paragraphs with the mention's index (they are sorted).
            var low = 0
            var high = chosenIndices.count
            while low < high {
                let mid = (low + high) / 2
                if chosenIndices[mid] <= mention.paragraph { low = mid + 1 } else { high = mid }
            }
            guard low > 0, chosenIndices[low - 1] == mention.paragraph else { return nil }
            let block = chosen[low - 1].info
            let start = offsets[low - 1] + UnitView.localOffset(mention.entity.range.start, in: block)
            let end = offsets[low - 1] + UnitView.localOffset(mention.entity.range.end, in: block)
            return span(start..<end, of: mention.text, in: side.text)
        }
        return side
    }

    /// The indices that lie in `valid`, sorted (one array; a link's one or two indices).
    private static func validSorted(_ indices: some Collection<Int>, in valid: Range<Int>) -> [Int] {
        var kept = indices.filter { valid.contains($0) }
        if kept.count > 1 { kept.sort() }
        return kept
    }

    /// `texts.joined(separator:)`, a single text given back as it is (not copied).
    private static func joined(_ texts: [String], separator: String) -> String {
        texts.count == 1 ? texts[0] : texts.joined(separator: separator)
    }

    /// `range` if the side's text holds exactly `expected` there.
    private static func span(_ range: Range<Int>, of expected: String, in text: String) -> Range<Int>? {
        let utf8 = text.utf8
        guard range.lowerBound >= 0, range.upperBound <= utf8.count, !range.isEmpty else { return nil }
        let lower = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        let upper = utf8.index(lower, offsetBy: range.count)
        return utf8[lower..<upper].elementsEqual(expected.utf8) ? range : nil
    }

    private static func sentenceSide(_ language: LanguageCode, _ indices: some Collection<Int>, view: UnitView, lists: UnitLists) -> PairRecord.Side? {
        let languageLists = lists[language]
        guard let list = languageLists.sentences, let paragraphs = languageLists.paragraphs else { return nil }
        let chosenIndices = validSorted(indices, in: list.indices)
        let chosen = chosenIndices.map { list[$0] }
        guard let first = chosen.first, let last = chosen.last, paragraphs.indices.contains(first.paragraph) else { return nil }
        // The side's document, read in place (a copy of the `Document` retained and released
        // each of its lists, for every record).
        let documents = view.unit.documents
        let document = paragraphs[first.paragraph].document
        let ranges = chosen.map(\.range)
        // The sentences' paragraphs, sorted and each once.
        var sentenceParagraphs = chosen.map(\.paragraph)
        sentenceParagraphs.sort()
        var kept = 0
        for i in sentenceParagraphs.indices where kept == 0 || sentenceParagraphs[kept - 1] != sentenceParagraphs[i] {
            sentenceParagraphs[kept] = sentenceParagraphs[i]
            kept += 1
        }
        sentenceParagraphs.removeLast(sentenceParagraphs.count - kept)
        // Each sentence's text is made once (it is composed from the document each time asked).
        let texts = chosen.map(\.text)
        var side = PairRecord.Side(
            language: language, paragraphs: sentenceParagraphs, sentences: chosenIndices,
            text: joined(texts, separator: " "), sourcePath: documents[document].source.path,
            start: first.range.start, end: last.range.end,
            sourceStart: documents[document].sourceOffsets.sourceOffset(of: first.range.start),
            sourceEnd: documents[document].sourceOffsets.sourceOffset(of: last.range.end),
            entities: languageLists.mentions(in: sentenceParagraphs).filter { mention in
                ranges.contains { $0.contains(mention.entity.range) }
            })
        // Each sentence's text starts after the previous ones and a space.
        var starts: [Int] = []
        starts.reserveCapacity(texts.count)
        var offset = 0
        for text in texts {
            starts.append(offset)
            offset += text.utf8.count + 1
        }
        side.entitySpans = side.entities.map { mention in
            guard let k = ranges.firstIndex(where: { $0.contains(mention.entity.range) }), paragraphs.indices.contains(chosen[k].paragraph) else { return nil }
            // The sentence's block is its paragraph's (`UnitView.Sentence.block`).
            let block = documents[document].blocks[chosen[k].block]
            let sentenceStart = UnitView.localOffset(chosen[k].range.start, in: block)
            let start = starts[k] + UnitView.localOffset(mention.entity.range.start, in: block) - sentenceStart
            let end = starts[k] + UnitView.localOffset(mention.entity.range.end, in: block) - sentenceStart
            return span(start..<end, of: mention.text, in: side.text)
        }
        return side
    }

    /// Letters, digits, `-`, `_`, `.` kept; anything else becomes `_` (language keys are
    /// already safe; this guards ids built from them).
    static func xmlNameSafe(_ text: String) -> String {
        String(text.unicodeScalars.map { scalar -> Character in
            let ok = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9") || "-_.".unicodeScalars.contains(scalar)
            return ok ? Character(scalar) : "_"
        })
    }
}
