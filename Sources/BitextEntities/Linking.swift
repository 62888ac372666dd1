import BitextCore
import Foundation

/// `link.entities`: in each aligned paragraph link, gives the English and Spanish mentions
/// of the same thing one link id, and flags what one version has and the other lacks.
public struct LinkEntities: Stage {
    public static let id: StageID = "link.entities"
    public static let summary = "Link English and Spanish entities of aligned paragraphs (same normalized value or cognate names); flag number, date and entity mismatches"
    public static let requires: Set<Layer> = [.entities, .paragraphAlignment]
    public static let produces: Set<Layer> = []

    public struct Options: StageOptions, Hashable {
        public var flags: Bool
        public var nameSimilarity: Double
        public static let fields: [OptionField] = [
            OptionField("flags", "boolean", default: "true", "Add number_mismatch, date_mismatch and entity_mismatch to alignment links"),
            OptionField("name_similarity", "number", default: "0.75", "Least character-bigram similarity (Dice, accents and case folded) for two names to be linked"),
        ]
        enum CodingKeys: String, CodingKey {
            case flags
            case nameSimilarity = "name_similarity"
        }
        public init(flags: Bool = true, nameSimilarity: Double = 0.75) {
            self.flags = flags
            self.nameSimilarity = nameSimilarity
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            flags = try c.value(.flags, or: true)
            nameSimilarity = try c.value(.nameSimilarity, or: 0.75)
        }
    }

    public let options: Options

    public init(options: Options) throws {
        guard options.nameSimilarity > 0, options.nameSimilarity <= 1 else {
            throw OptionError(option: "name_similarity", "must be in (0, 1]")
        }
        self.options = options
    }

    /// A mention: document index and entity index.
    struct Mention: Hashable {
        var document: Int
        var entity: Int
        /// One integer per mention, for `HashSet64` (Swift's `Set` re-hashes with SipHash);
        /// never 0 or 1, which that table keeps in one slot.
        var key: UInt64 { UInt64(truncatingIfNeeded: document + 1) << 32 | UInt64(UInt32(truncatingIfNeeded: entity)) }
    }

    public func process(_ unit: inout WorkUnit, context: StageContext) throws {
        guard var alignment = unit.alignment, let en = unit.sides[.english], let es = unit.sides[.spanish] else { return }
        // Taken out of the unit until the end, so that flagging a link changes the only copy
        // (else the first flag copied every link, retaining its arrays).
        unit.alignment = nil
        // Link ids are collected and written after the loop: matching reads the entities, never
        // their ids, and reading from a snapshot while writing the unit would copy every entity.
        var assignments: [(mention: Mention, id: String)] = []
        do {
            let documents = unit.documents
            let englishByBlock = EntitiesByBlock(documents[en.document].entities)
            let spanishByBlock = EntitiesByBlock(documents[es.document].entities)
            // Each link's blocks and mentions, in arrays kept from link to link (most links have a
            // few mentions: allocating these per link cost more than matching them).
            var englishBlocks: [Int] = []
            var spanishBlocks: [Int] = []
            var english: [Mention] = []
            var spanish: [Mention] = []
            var scratch = MatchScratch()
            // Links read in place: a copy of each would retain and release its four arrays.
            for linkIndex in alignment.indices {
                englishBlocks.removeAll(keepingCapacity: true)
                spanishBlocks.removeAll(keepingCapacity: true)
                for i in alignment[linkIndex].english where en.blocks.indices.contains(i) { englishBlocks.append(en.blocks[i]) }
                for i in alignment[linkIndex].spanish where es.blocks.indices.contains(i) { spanishBlocks.append(es.blocks[i]) }
                englishByBlock.mentions(of: englishBlocks, document: en.document, into: &english)
                spanishByBlock.mentions(of: spanishBlocks, document: es.document, into: &spanish)
                if english.isEmpty && spanish.isEmpty { continue }
                let result = english.isEmpty || spanish.isEmpty ? MatchResult() : match(english, spanish, in: documents, scratch: &scratch)
                var counter = 0
                for group in result.groups {
                    counter += 1
                    // Concatenated rather than interpolated: short strings stay inline, no buffer to build.
                    let id = "L" + String(linkIndex) + "-" + String(counter)
                    for m in group { assignments.append((m, id)) }
                }
                guard options.flags else { continue }
                // The other version's digits and folded text are read only when a mention is left unmatched.
                let unmatchedEnglish = result.unmatched(english)
                let unmatchedSpanish = result.unmatched(spanish)
                if unmatchedEnglish.isEmpty && unmatchedSpanish.isEmpty { continue }
                var flags = Set<String>()
                if !unmatchedEnglish.isEmpty {
                    var spanishSide = OtherSide(blocks: spanishBlocks)
                    for m in unmatchedEnglish {
                        if let flag = mismatchFlag(for: documents[m.document].entities[m.entity], in: documents[m.document],
                                                   other: &spanishSide, otherDocument: documents[es.document]) {
                            flags.insert(flag)
                        }
                    }
                }
                if !unmatchedSpanish.isEmpty {
                    var englishSide = OtherSide(blocks: englishBlocks)
                    for m in unmatchedSpanish {
                        if let flag = mismatchFlag(for: documents[m.document].entities[m.entity], in: documents[m.document],
                                                   other: &englishSide, otherDocument: documents[en.document]) {
                            flags.insert(flag)
                        }
                    }
                }
                for flag in flags.sorted() where !alignment[linkIndex].flags.contains(flag) {
                    alignment[linkIndex].flags.append(flag)
                }
            }
        }
        for (m, id) in assignments { unit.documents[m.document].entities[m.entity].link = id }
        unit.alignment = alignment
    }

    /// A document's entity indices grouped by block, in entity order within each block (what
    /// `Dictionary(grouping:)` gave, in two flat arrays: no table and no array per block).
    struct EntitiesByBlock {
        /// Entities of block `b`: `order[starts[b]..<starts[b + 1]]`.
        private var starts: [Int]
        private var order: [Int]

        init(_ entities: [Entity]) {
            // Only each entity's block is read, in place: `for e in entities` copied every entity
            // (retaining and releasing its strings and attributes) three times.
            var blockCount = 0
            for i in entities.indices where entities[i].block >= blockCount { blockCount = entities[i].block + 1 }
            starts = [Int](repeating: 0, count: blockCount + 1)
            for i in entities.indices where entities[i].block >= 0 { starts[entities[i].block + 1] += 1 }
            for b in 0..<blockCount { starts[b + 1] += starts[b] }
            order = [Int](repeating: 0, count: starts[blockCount])
            var next = starts
            for index in entities.indices where entities[index].block >= 0 {
                let block = entities[index].block
                order[next[block]] = index
                next[block] += 1
            }
        }

        /// The mentions of the entities of `blocks`, block by block.
        func mentions(of blocks: [Int], document: Int) -> [Mention] {
            var result: [Mention] = []
            mentions(of: blocks, document: document, into: &result)
            return result
        }

        /// Replaces `result` with the mentions of the entities of `blocks`, block by block.
        func mentions(of blocks: [Int], document: Int, into result: inout [Mention]) {
            result.removeAll(keepingCapacity: true)
            for b in blocks where b >= 0 && b + 1 < starts.count {
                for k in starts[b]..<starts[b + 1] { result.append(Mention(document: document, entity: order[k])) }
            }
        }
    }

    struct MatchResult {
        var groups: [[Mention]] = []
        var matched = HashSet64()
        func unmatched(_ mentions: [Mention]) -> [Mention] { mentions.filter { !matched.contains($0.key) } }
    }

    /// Arrays `match` fills and empties for every link, kept from link to link.
    struct MatchScratch {
        var spanishPairs: [(key: String, mention: Mention)] = []
        var englishPairs: [(key: String, mention: Mention)] = []
        var keyOrder: [String] = []
    }

    func match(_ english: [Mention], _ spanish: [Mention], in documents: [Document]) -> MatchResult {
        var scratch = MatchScratch()
        return match(english, spanish, in: documents, scratch: &scratch)
    }

    func match(_ english: [Mention], _ spanish: [Mention], in documents: [Document], scratch: inout MatchScratch) -> MatchResult {
        var result = MatchResult()
        func entity(_ m: Mention) -> Entity { documents[m.document].entities[m.entity] }
        func written(_ m: Mention) -> Substring {
            // Document.text(of:) without copying the document.
            let range = documents[m.document].entities[m.entity].range
            let text = documents[m.document].text
            let utf8 = text.utf8
            let lower = utf8.index(utf8.startIndex, offsetBy: range.start)
            return text[lower..<utf8.index(lower, offsetBy: range.length)]
        }
        // A link has a few mentions: scanning them beats building a table, until it has many.
        let englishSet = english.count > 16 ? HashSet64(english.map(\.key)) : nil
        func isEnglish(_ m: Mention) -> Bool { englishSet?.contains(m.key) ?? english.contains(m) }
        // 1. Same key (kind family + normalized value, or folded name): each side's (key,
        // mention) pairs in order, looked up by scanning them or, for many, through tables.
        scratch.spanishPairs.removeAll(keepingCapacity: true)
        for m in spanish {
            Self.forEachKey(entity(m), written: { written(m) }) { scratch.spanishPairs.append(($0, m)) }
        }
        scratch.englishPairs.removeAll(keepingCapacity: true)
        for m in english {
            Self.forEachKey(entity(m), written: { written(m) }) { scratch.englishPairs.append(($0, m)) }
        }
        let spanishPairs = scratch.spanishPairs
        let englishPairs = scratch.englishPairs
        let indexed = englishPairs.count + spanishPairs.count > 32
        // Sized for about one key per mention: grown from empty, the tables were rehashed
        // two or three times per link.
        var spanishByKey = [String: [Mention]](minimumCapacity: indexed ? spanishPairs.count : 0)
        var englishByKey = [String: [Mention]](minimumCapacity: indexed ? englishPairs.count : 0)
        var keyOrder = scratch.keyOrder  // English keys, first use first
        keyOrder.removeAll(keepingCapacity: true)
        defer { scratch.keyOrder = keyOrder }
        if indexed {
            for (key, m) in spanishPairs { spanishByKey[key, default: []].append(m) }
            for (key, m) in englishPairs {
                if englishByKey[key] == nil { keyOrder.append(key) }
                englishByKey[key, default: []].append(m)
            }
        } else {
            for (key, _) in englishPairs where !keyOrder.contains(key) { keyOrder.append(key) }
        }
        for key in keyOrder {
            // The key's English then Spanish mentions not matched yet, without building either list.
            var fresh: [Mention] = []
            if indexed {
                guard let others = spanishByKey[key], let mine = englishByKey[key] else { continue }
                for m in mine where !result.matched.contains(m.key) { fresh.append(m) }
                for m in others where !result.matched.contains(m.key) { fresh.append(m) }
            } else {
                guard spanishPairs.contains(where: { $0.key == key }) else { continue }
                for pair in englishPairs where pair.key == key && !result.matched.contains(pair.mention.key) { fresh.append(pair.mention) }
                for pair in spanishPairs where pair.key == key && !result.matched.contains(pair.mention.key) { fresh.append(pair.mention) }
            }
            guard fresh.contains(where: { isEnglish($0) }), fresh.contains(where: { !isEnglish($0) }) else { continue }
            result.groups.append(fresh)
            for m in fresh { result.matched.insert(m.key) }
        }
        // 2. Cognate names: "Kenya Defence Forces" / "Fuerzas de Defensa de Kenya" are not caught,
        //    but "Thomas-Greenfield" / "Thomas Greenfield" and "Andrés" / "Andres" are.
        func isUnmatchedName(_ m: Mention) -> Bool {
            !result.matched.contains(m.key) && EntityKind.of(entity(m).kind)?.isName == true
        }
        let englishNames = english.filter(isUnmatchedName)
        var spanishNames = spanish.filter(isUnmatchedName)
        var spanishFolded = spanishNames.map { Self.fold(written($0)) }
        for m in englishNames where !spanishNames.isEmpty {
            let a = Self.fold(written(m))
            var best: (Int, Double)?
            for (i, b) in spanishFolded.enumerated() {
                let s = Self.dice(a, b)
                if s >= options.nameSimilarity, s > (best?.1 ?? 0) { best = (i, s) }
            }
            if let (i, _) = best {
                result.groups.append([m, spanishNames[i]])
                result.matched.insert(m.key)
                result.matched.insert(spanishNames[i].key)
                spanishNames.remove(at: i)
                spanishFolded.remove(at: i)
            }
        }
        return result
    }

    /// Keys under which a mention can meet its translation.
    static func keys(_ e: Entity, written: () -> Substring) -> [String] {
        var keys: [String] = []
        forEachKey(e, written: written) { keys.append($0) }
        return keys
    }

    /// Calls `body` with each key under which a mention can meet its translation, in order
    /// (`keys`, without an array per mention).
    static func forEachKey(_ e: Entity, written: () -> Substring, _ body: (String) -> Void) {
        guard let kind = EntityKind.of(e.kind) else { return }
        let value = e.normalized ?? ""
        switch kind {
        case .number, .money, .percent:
            body("q:" + value)
            if let alternative = e.attributes["alternative"] {
                body("q:" + (kind == .money ? alternative + " " + (e.attributes["currency"] ?? "") : kind == .percent ? alternative + "%" : alternative))
            }
        case .date:
            // A date without a year meets a full date with the same month and day.
            if value.hasPrefix("--") {
                body("d:" + value)
            } else if value.count == 10 {
                body("d:" + value)
                body("d:--" + value.dropFirst(5))
            } else {
                body("d:" + value)
            }
        case .country:
            body("c:" + value)
        case .resolution:
            // "resolution 2751 (2024)" is the document S/RES/2751 (2024).
            body("resolution:" + value)
            if let symbol = e.attributes["symbol"] { body("document_symbol:" + symbol) }
        case .documentSymbol, .url, .email:
            body("\(kind.rawValue):" + value)
        case .acronym:
            body("o:" + value)
        case .organization, .location, .person:
            body("n:" + fold(written()))
            if !value.isEmpty, e.attributes["canonical"] != nil || e.attributes["acronym"] != nil || isCode(value) {
                body("o:" + value)
            }
        }
    }

    static func isCode(_ value: String) -> Bool {
        let utf8 = value.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: capitals, digits and hyphens are exactly the characters the general test accepts.
            return !utf8.isEmpty && utf8.count <= 12 && utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
        }
        return !value.isEmpty && value.count <= 12 && value.allSatisfy { $0.isUppercase || $0.isNumber || $0 == "-" }
    }

    static func fold(_ s: some StringProtocol) -> String { AlphanumericFold.fold(s) }

    static func dice(_ a: String, _ b: String) -> Double {
        let x = Array(a.unicodeScalars)
        let y = Array(b.unicodeScalars)
        guard x.count >= 2, y.count >= 2 else { return a == b ? 1 : 0 }
        // Below U+0300 two scalar pairs are equal as strings exactly when their scalars are:
        // count bigrams as integers. Beyond, canonical equivalence may join them: compare strings.
        if x.allSatisfy({ $0.value < 0x300 }) && y.allSatisfy({ $0.value < 0x300 }) {
            var bigrams: [UInt64] = []
            bigrams.reserveCapacity(x.count - 1)
            for i in 0..<(x.count - 1) { bigrams.append(UInt64(x[i].value) << 32 | UInt64(x[i + 1].value)) }
            bigrams.sort()
            var taken = [Bool](repeating: false, count: bigrams.count)
            var shared = 0
            for i in 0..<(y.count - 1) {
                let k = UInt64(y[i].value) << 32 | UInt64(y[i + 1].value)
                // First untaken occurrence of k.
                var lo = 0
                var hi = bigrams.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if bigrams[mid] < k { lo = mid + 1 } else { hi = mid }
                }
                while lo < bigrams.count, bigrams[lo] == k, taken[lo] { lo += 1 }
                if lo < bigrams.count, bigrams[lo] == k {
                    taken[lo] = true
                    shared += 1
                }
            }
            return 2 * Double(shared) / Double(x.count + y.count - 2)
        }
        var bigrams: [String: Int] = [:]
        for i in 0..<(x.count - 1) { bigrams["\(x[i])\(x[i + 1])", default: 0] += 1 }
        var shared = 0
        for i in 0..<(y.count - 1) {
            let k = "\(y[i])\(y[i + 1])"
            if let n = bigrams[k], n > 0 {
                shared += 1
                bigrams[k] = n - 1
            }
        }
        return 2 * Double(shared) / Double(x.count + y.count - 2)
    }

    /// What the other version of a paragraph link writes: its digit runs (an unmatched number
    /// whose digits appear there, inside a date or a symbol, is the same figure written another
    /// way) and its text folded (a name written there verbatim is not missing, only unextracted).
    struct OtherSide {
        let blocks: [Int]
        private var digitRuns: Set<String>?
        private var foldedText: String?

        init(blocks: [Int]) { self.blocks = blocks }

        /// Runs of ASCII digits in the blocks' text, leading zeros dropped.
        mutating func digits(_ document: Document) -> Set<String> {
            if let digitRuns { return digitRuns }
            var runs = Set<String>()
            func scan(_ p: UnsafeBufferPointer<UInt8>) {
                var i = 0
                while i < p.count {
                    guard p[i] >= 0x30 && p[i] <= 0x39 else {
                        i += 1
                        continue
                    }
                    var start = i
                    while i < p.count, p[i] >= 0x30, p[i] <= 0x39 { i += 1 }
                    while start < i, p[start] == 0x30 { start += 1 }
                    runs.insert(String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self))
                }
            }
            var text = document.text
            text.withUTF8 { p in
                for b in blocks where b < document.blocks.count {
                    let block = document.blocks[b]
                    if block.excluded.isEmpty {
                        scan(UnsafeBufferPointer(rebasing: p[block.range.start..<block.range.end]))
                    } else {
                        // The block's text without its excluded parts (digits on both sides of a cut join).
                        var content = document.text(ofBlock: b)
                        content.withUTF8 { scan($0) }
                    }
                }
            }
            digitRuns = runs
            return runs
        }

        /// The blocks' text (each followed by a space), folded.
        mutating func folded(_ document: Document) -> String {
            if let foldedText { return foldedText }
            var text = ""
            for b in blocks where b < document.blocks.count {
                text += document.text(ofBlock: b)
                text += " "
            }
            let result = LinkEntities.fold(text)
            foldedText = result
            return result
        }
    }

    func mismatchFlag(for e: Entity, in document: Document, other: inout OtherSide, otherDocument: Document) -> String? {
        guard let kind = EntityKind.of(e.kind) else { return nil }
        let written = document.text(of: e.range)
        switch kind {
        case .number, .money, .percent:
            // Digits as written, e.g. "1,234.5" → "1", "234", "5": all present on the other side means
            // the same figure written another way.
            let runs = written.split(whereSeparator: { !$0.isASCII || !$0.isNumber }).map { String($0.drop(while: { $0 == "0" })) }
            let digits = other.digits(otherDocument)
            if !runs.isEmpty, runs.allSatisfy({ digits.contains($0) }) { return nil }
            if let value = e.normalized?.split(separator: " ").first?.split(separator: ".").first, digits.contains(String(value)) {
                return nil
            }
            return "number_mismatch"
        case .date:
            return "date_mismatch"
        case .documentSymbol, .resolution, .url, .email:
            return other.folded(otherDocument).contains(Self.fold(written)) ? nil : "entity_mismatch"
        case .country:
            // Demonyms come and go in translation ("Haitian National Police" / "Policía Nacional de Haití").
            return e.attributes["form"] == "demonym" ? nil : "entity_mismatch"
        case .person:
            // Only full names (two words or more) whose words the other version does not all write.
            let words = written.split(whereSeparator: { $0 == " " || $0 == "-" })
            guard words.count >= 2 else { return nil }
            let folded = other.folded(otherDocument)
            return words.allSatisfy({ folded.contains(Self.fold($0)) }) ? nil : "entity_mismatch"
        case .organization, .acronym:
            // Only bodies the gazetteer knows in both languages (UN/ONU, OAS/OEA…).
            guard e.attributes["canonical"] != nil else { return nil }
            return other.folded(otherDocument).contains(Self.fold(written)) ? nil : "entity_mismatch"
        case .location:
            return nil
        }
    }
}
