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
        // Arrays kept from link to link and, through a pool, from unit to unit.
        var buffers = LinkBuffers.pool.take()
        // The entities are taken out of the unit too, and each link's ids written into them as
        // soon as it is matched (matching reads the entities, never their ids): a snapshot of
        // the unit read while the unit was written would copy every entity, and the ids
        // collected to write after the loop took 16 to 32 bytes an entity.
        var entities: [[Entity]] = []
        entities.reserveCapacity(unit.documents.count)
        for d in unit.documents.indices {
            entities.append([])
            swap(&entities[d], &unit.documents[d].entities)
        }
        do {
            let documents = unit.documents
            buffers.englishByBlock.fill(entities[en.document])
            buffers.spanishByBlock.fill(entities[es.document])
            // Links read in place: a copy of each would retain and release its four arrays.
            for linkIndex in alignment.indices {
                buffers.englishBlocks.removeAll(keepingCapacity: true)
                buffers.spanishBlocks.removeAll(keepingCapacity: true)
                for i in alignment[linkIndex].english where en.blocks.indices.contains(i) { buffers.englishBlocks.append(en.blocks[i]) }
                for i in alignment[linkIndex].spanish where es.blocks.indices.contains(i) { buffers.spanishBlocks.append(es.blocks[i]) }
                buffers.englishByBlock.mentions(of: buffers.englishBlocks, document: en.document, into: &buffers.english)
                buffers.spanishByBlock.mentions(of: buffers.spanishBlocks, document: es.document, into: &buffers.spanish)
                let english = buffers.english
                let spanish = buffers.spanish
                if english.isEmpty && spanish.isEmpty { continue }
                if english.isEmpty || spanish.isEmpty {
                    buffers.match.clearResult(mentions: 0)
                } else {
                    match(english, spanish, in: documents, entities: entities, scratch: &buffers.match)
                }
                var groupStart = 0
                for (counter, groupEnd) in buffers.match.groupEnds.enumerated() {
                    for m in buffers.match.groupMentions[groupStart..<groupEnd] {
                        // "L<link>-<group>" (`Entity.linkID`), kept as its two numbers.
                        entities[m.document][m.entity].setLink(link: linkIndex, group: counter + 1)
                    }
                    groupStart = groupEnd
                }
                guard options.flags else { continue }
                // The other version's digits and folded text are read only when a mention is left unmatched.
                let unmatchedEnglish = buffers.match.unmatched(english)
                let unmatchedSpanish = buffers.match.unmatched(spanish)
                if unmatchedEnglish.isEmpty && unmatchedSpanish.isEmpty { continue }
                var flags = Set<String>()
                if !unmatchedEnglish.isEmpty {
                    var spanishSide = OtherSide(blocks: buffers.spanishBlocks)
                    for m in unmatchedEnglish {
                        if let flag = mismatchFlag(for: entities[m.document][m.entity], in: documents[m.document],
                                                   other: &spanishSide, otherDocument: documents[es.document]) {
                            flags.insert(flag)
                        }
                    }
                }
                if !unmatchedSpanish.isEmpty {
                    var englishSide = OtherSide(blocks: buffers.englishBlocks)
                    for m in unmatchedSpanish {
                        if let flag = mismatchFlag(for: entities[m.document][m.entity], in: documents[m.document],
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
        for d in unit.documents.indices { swap(&entities[d], &unit.documents[d].entities) }
        unit.alignment = alignment
        // Handed over, not copied: a copy retained and released each of its arrays.
        LinkBuffers.pool.giveBack(consume buffers)
    }

    /// A document's entity indices grouped by block, in entity order within each block (what
    /// `Dictionary(grouping:)` gave, in two flat arrays: no table and no array per block).
    /// 32-bit indices, and no `order` when the entities come in block order (as extraction
    /// leaves them): a long pair's were 16 bytes an entity.
    struct EntitiesByBlock {
        /// Entities of block `b`: `order[starts[b]..<starts[b + 1]]`, or those indices
        /// themselves when `order` is empty.
        private var starts: [Int32]
        private var order: [Int32]

        init(_ entities: [Entity]) {
            starts = []
            order = []
            fill(entities)
        }

        /// Empty, with no array allocated.
        init() {
            starts = []
            order = []
        }

        /// The larger array's room.
        var capacity: Int { max(starts.capacity, order.capacity) }

        /// Groups `entities` in place of what the arrays held (their room is kept).
        mutating func fill(_ entities: [Entity]) {
            // Only each entity's block is read, in place: `for e in entities` copied every entity
            // (retaining and releasing its strings and attributes) three times.
            precondition(entities.count < Int(Int32.max), "entity indices are held in 32 bits")
            var blockCount = 0
            // Every entity in a block, in block order (as extraction leaves them): each block's
            // entities are then a run of indices, and there is no order to keep.
            var inBlockOrder = true
            var previous = 0
            for i in entities.indices {
                let block = entities[i].block
                if block >= blockCount { blockCount = block + 1 }
                if block < previous { inBlockOrder = false }
                previous = block
            }
            starts.removeAll(keepingCapacity: true)
            starts.append(contentsOf: repeatElement(0, count: blockCount + 2))
            for i in entities.indices where entities[i].block >= 0 { starts[entities[i].block + 2] += 1 }
            // Counted one place further on: `starts[b + 1]` is where block b's entities go next
            // while placing them, and ends as their end.
            for b in 0..<blockCount { starts[b + 2] += starts[b + 1] }
            order.removeAll(keepingCapacity: true)
            if inBlockOrder {
                // `starts[b + 1]` is where block b's run begins.
                starts.removeFirst()
                return
            }
            order.append(contentsOf: repeatElement(0, count: Int(starts[blockCount + 1])))
            for index in entities.indices where entities[index].block >= 0 {
                let block = entities[index].block
                order[Int(starts[block + 1])] = Int32(index)
                starts[block + 1] += 1
            }
            starts.removeLast()
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
                for k in Int(starts[b])..<Int(starts[b + 1]) {
                    result.append(Mention(document: document, entity: order.isEmpty ? k : Int(order[k])))
                }
            }
        }
    }

    /// What `process` fills and empties for every link, kept from link to link and, through a
    /// pool, from unit to unit (in the pipeline most units are two documents of about 1 KB with
    /// a few links: growing these arrays from nothing for each unit cost more than matching).
    struct LinkBuffers: ReusableBuffers {
        static let pool = ReusePool<LinkBuffers>()

        /// Each side's entities by block.
        var englishByBlock = EntitiesByBlock()
        var spanishByBlock = EntitiesByBlock()
        /// The current link's blocks and mentions on each side.
        var englishBlocks: [Int] = []
        var spanishBlocks: [Int] = []
        var english: [Mention] = []
        var spanish: [Mention] = []
        var match = MatchScratch()

        mutating func empty() {
            englishBlocks.removeAll(keepingCapacity: true)
            spanishBlocks.removeAll(keepingCapacity: true)
            english.removeAll(keepingCapacity: true)
            spanish.removeAll(keepingCapacity: true)
        }

        var isSmallEnoughToKeep: Bool {
            let limit = ScannerBuffers.keptElements
            return english.capacity <= limit && spanish.capacity <= limit
                && englishByBlock.capacity <= limit && spanishByBlock.capacity <= limit
                && match.groupMentions.capacity <= limit && match.englishPairs.capacity <= limit
                && match.spanishPairs.capacity <= limit && match.keys.bytes.capacity <= 8 * limit
                && match.matched.slotCount <= 2 * limit && match.englishSet.slotCount <= 2 * limit
                && match.folded.scalars.capacity <= 8 * limit
        }
    }

    /// What `match` fills and empties for every link, kept from link to link (most links have
    /// a few mentions: allocating these per link cost more than matching them). After `match`:
    /// the link's groups, in order, and the mentions they hold.
    struct MatchScratch {
        /// Group `g` is `groupMentions[groupEnds[g - 1]..<groupEnds[g]]` (from 0 for the first).
        var groupMentions: [Mention] = []
        var groupEnds: [Int] = []
        var matched = HashSet64()

        var keys = LinkKeys()
        /// Each side's (key id, mention) pairs, mention by mention and each mention's keys in order.
        var englishPairs: [(key: Int32, mention: Mention)] = []
        var spanishPairs: [(key: Int32, mention: Mention)] = []
        /// Per English key id, its first English and first Spanish pair (-1: none); per pair,
        /// the next pair of its side with the same key (-1: none).
        var firstEnglish: [Int32] = []
        var firstSpanish: [Int32] = []
        var nextEnglish: [Int32] = []
        var nextSpanish: [Int32] = []
        /// Per mention of each side, its folded-name key (see `MentionKeys.name`).
        var englishNameKeys: [MentionKeys] = []
        var spanishNameKeys: [MentionKeys] = []
        var englishSet = HashSet64()
        /// Names left unmatched by the keys, for the cognate test, and their folded forms.
        var englishNames: [Mention] = []
        var spanishNames: [Mention] = []
        var englishFolded: [FoldedNames.Name] = []
        var spanishFolded: [FoldedNames.Name] = []
        var folded = FoldedNames()

        /// No group, nothing matched.
        mutating func clearResult(mentions: Int) {
            groupMentions.removeAll(keepingCapacity: true)
            groupEnds.removeAll(keepingCapacity: true)
            matched.reset(minimumCapacity: mentions)
        }

        func unmatched(_ mentions: [Mention]) -> [Mention] { mentions.filter { !matched.contains($0.key) } }
    }

    /// Folded names as Unicode scalar values end to end, for `LinkEntities.dice` without a
    /// string or an array per name.
    struct FoldedNames {
        /// A name's scalars in `scalars`; a name holding a scalar from U+0300 on also as its
        /// folded string, which `dice` compares as before (canonical equivalence).
        struct Name {
            var scalars: Range<Int>
            var string: String?
        }

        var scalars: [UInt32] = []
        var bigrams: [UInt64] = []
        var taken: [Bool] = []

        /// The folded name whose UTF-8 is `bytes`; `string()` gives it as a string, asked for
        /// when it holds a scalar from U+0300 on.
        mutating func add(_ bytes: ArraySlice<UInt8>, string: () -> String) -> Name {
            let start = scalars.count
            var beyond = false
            bytes.withUnsafeBufferPointer { p in
                var i = 0
                while i < p.count {
                    let (s, n) = Tokenizer.decode(p, i, p.count)
                    if s >= 0x300 { beyond = true }
                    scalars.append(s)
                    i += n
                }
            }
            return Name(scalars: start..<scalars.count, string: beyond ? string() : nil)
        }

        func string(_ name: Name) -> String {
            name.string ?? String(String.UnicodeScalarView(scalars[name.scalars].lazy.map { Unicode.Scalar($0)! }))
        }

        /// `LinkEntities.dice` of the two names.
        mutating func dice(_ a: Name, _ b: Name) -> Double {
            if a.string != nil || b.string != nil { return LinkEntities.dice(string(a), string(b)) }
            return LinkEntities.dice(scalars: scalars[a.scalars], scalars[b.scalars], bigrams: &bigrams, taken: &taken)
        }
    }

    /// Fills `scratch`'s groups: mentions of both sides that share a key, then cognate names.
    /// `entities`: each document's entities (`documents` may hold none of them).
    func match(_ english: [Mention], _ spanish: [Mention], in documents: [Document], entities: [[Entity]],
               scratch: inout MatchScratch) {
        scratch.clearResult(mentions: english.count + spanish.count)
        // A mention's entity read through its address (`pointee`): reading it through a
        // subscript, even a buffer pointer's, copied it out, retaining and releasing its
        // strings and attributes.
        func withEntity<R>(_ m: Mention, _ body: (UnsafePointer<Entity>) -> R) -> R {
            entities[m.document].withUnsafeBufferPointer { body($0.baseAddress! + m.entity) }
        }
        func written(_ m: Mention) -> Substring {
            // Document.text(of:) without copying the document, nor the entity.
            let range = withEntity(m) { $0.pointee.range }
            let text = documents[m.document].text
            let utf8 = text.utf8
            let lower = utf8.index(utf8.startIndex, offsetBy: range.start)
            return text[lower..<utf8.index(lower, offsetBy: range.length)]
        }
        func keys(_ m: Mention, into keys: inout LinkKeys) -> MentionKeys {
            withEntity(m) { Self.addKeys(at: $0, written: { written(m) }, to: &keys) }
        }
        func isName(_ m: Mention) -> Bool {
            withEntity(m) { EntityKind.of($0)?.isName == true }
        }
        // A link has a few mentions: scanning them beats building a table, until it has many.
        let manyEnglish = english.count > 16
        if manyEnglish {
            scratch.englishSet.reset(minimumCapacity: english.count)
            for m in english { scratch.englishSet.insert(m.key) }
        }

        // 1. Same key (kind family + normalized value, or folded name). English keys are
        // interned first, so that the English key ids are 0..<englishKeys in order of first use.
        // One side's (key id, mention) pairs and each mention's key ids, in place of the last link's.
        func addKeys(of mentions: [Mention], to linkKeys: inout LinkKeys, pairs: inout [(key: Int32, mention: Mention)],
                     nameKeys: inout [MentionKeys]) {
            pairs.removeAll(keepingCapacity: true)
            nameKeys.removeAll(keepingCapacity: true)
            for m in mentions {
                let ids = keys(m, into: &linkKeys)
                if ids.first >= 0 { pairs.append((ids.first, m)) }
                if ids.second >= 0 { pairs.append((ids.second, m)) }
                nameKeys.append(ids)
            }
        }
        scratch.keys.reset()
        addKeys(of: english, to: &scratch.keys, pairs: &scratch.englishPairs, nameKeys: &scratch.englishNameKeys)
        let englishKeys = scratch.keys.count
        addKeys(of: spanish, to: &scratch.keys, pairs: &scratch.spanishPairs, nameKeys: &scratch.spanishNameKeys)
        // Each English key's pairs on either side, chained in order (built back to front).
        scratch.firstEnglish.removeAll(keepingCapacity: true)
        scratch.firstEnglish.append(contentsOf: repeatElement(-1, count: englishKeys))
        scratch.firstSpanish.removeAll(keepingCapacity: true)
        scratch.firstSpanish.append(contentsOf: repeatElement(-1, count: englishKeys))
        scratch.nextEnglish.removeAll(keepingCapacity: true)
        scratch.nextEnglish.append(contentsOf: repeatElement(-1, count: scratch.englishPairs.count))
        scratch.nextSpanish.removeAll(keepingCapacity: true)
        scratch.nextSpanish.append(contentsOf: repeatElement(-1, count: scratch.spanishPairs.count))
        for p in scratch.englishPairs.indices.reversed() {
            let key = Int(scratch.englishPairs[p].key)
            scratch.nextEnglish[p] = scratch.firstEnglish[key]
            scratch.firstEnglish[key] = Int32(p)
        }
        for p in scratch.spanishPairs.indices.reversed() {
            let key = Int(scratch.spanishPairs[p].key)
            guard key < englishKeys else { continue }
            scratch.nextSpanish[p] = scratch.firstSpanish[key]
            scratch.firstSpanish[key] = Int32(p)
        }
        for key in 0..<englishKeys where scratch.firstSpanish[key] >= 0 {
            // The key's English then Spanish mentions not matched yet; a group when they hold
            // a mention of the English list and one of no English list.
            let start = scratch.groupMentions.count
            var p = Int(scratch.firstEnglish[key])
            while p >= 0 {
                let m = scratch.englishPairs[p].mention
                if !scratch.matched.contains(m.key) { scratch.groupMentions.append(m) }
                p = Int(scratch.nextEnglish[p])
            }
            var hasEnglish = scratch.groupMentions.count > start
            var hasOther = false
            p = Int(scratch.firstSpanish[key])
            while p >= 0 {
                let m = scratch.spanishPairs[p].mention
                if !scratch.matched.contains(m.key) {
                    scratch.groupMentions.append(m)
                    if manyEnglish ? scratch.englishSet.contains(m.key) : english.contains(m) {
                        hasEnglish = true
                    } else {
                        hasOther = true
                    }
                }
                p = Int(scratch.nextSpanish[p])
            }
            guard hasEnglish, hasOther else {
                scratch.groupMentions.removeSubrange(start...)
                continue
            }
            scratch.groupEnds.append(scratch.groupMentions.count)
            for k in start..<scratch.groupMentions.count { scratch.matched.insert(scratch.groupMentions[k].key) }
        }

        // 2. Cognate names: "Kenya Defence Forces" / "Fuerzas de Defensa de Kenya" are not caught,
        //    but "Thomas-Greenfield" / "Thomas Greenfield" and "Andrés" / "Andres" are.
        func folded(_ m: Mention, _ ids: MentionKeys) -> FoldedNames.Name {
            // The "n:" key without its prefix, unless a country (no such key) or put in NFC.
            if ids.name >= 0, !ids.nameWasCanonicalized {
                return scratch.folded.add(scratch.keys.bytes(of: Int(ids.name)).dropFirst(2)) { Self.fold(written(m)) }
            }
            let name = Self.fold(written(m))
            return scratch.folded.add(ArraySlice(name.utf8)) { name }
        }
        scratch.englishNames.removeAll(keepingCapacity: true)
        scratch.englishFolded.removeAll(keepingCapacity: true)
        scratch.folded.scalars.removeAll(keepingCapacity: true)
        for (i, m) in english.enumerated() where !scratch.matched.contains(m.key) && isName(m) {
            scratch.englishNames.append(m)
            scratch.englishFolded.append(folded(m, scratch.englishNameKeys[i]))
        }
        if scratch.englishNames.isEmpty { return }
        scratch.spanishNames.removeAll(keepingCapacity: true)
        scratch.spanishFolded.removeAll(keepingCapacity: true)
        for (i, m) in spanish.enumerated() where !scratch.matched.contains(m.key) && isName(m) {
            scratch.spanishNames.append(m)
            scratch.spanishFolded.append(folded(m, scratch.spanishNameKeys[i]))
        }
        for k in scratch.englishNames.indices where !scratch.spanishNames.isEmpty {
            let m = scratch.englishNames[k]
            var best: (Int, Double)?
            for i in scratch.spanishFolded.indices {
                let s = scratch.folded.dice(scratch.englishFolded[k], scratch.spanishFolded[i])
                if s >= options.nameSimilarity, s > (best?.1 ?? 0) { best = (i, s) }
            }
            if let (i, _) = best {
                scratch.groupMentions.append(m)
                scratch.groupMentions.append(scratch.spanishNames[i])
                scratch.groupEnds.append(scratch.groupMentions.count)
                scratch.matched.insert(m.key)
                scratch.matched.insert(scratch.spanishNames[i].key)
                scratch.spanishNames.remove(at: i)
                scratch.spanishFolded.remove(at: i)
            }
        }
    }

    /// The ids of a mention's keys in a link's `LinkKeys` (a mention has one or two; -1: none).
    struct MentionKeys {
        var first: Int32 = -1
        var second: Int32 = -1
        /// The folded-name key ("n:…") of an organization, location or person.
        var name: Int32 = -1
        var nameWasCanonicalized = false
    }

    /// Adds the keys under which a mention can meet its translation to `keys`, in order: the
    /// strings `forEachKey` would give, written as bytes (see `LinkKeys`).
    static func addKeys(_ e: Entity, written: () -> Substring, to keys: inout LinkKeys) -> MentionKeys {
        withUnsafePointer(to: e) { addKeys(at: $0, written: written, to: &keys) }
    }

    /// `addKeys` of the entity at `e`, read in place.
    static func addKeys(at e: UnsafePointer<Entity>, written: () -> Substring, to keys: inout LinkKeys) -> MentionKeys {
        var ids = MentionKeys()
        // Copied once, and its accessors read from the copy: an accessor of `Entity` (another
        // module's, not inlinable) called on `e.pointee` copied the whole entity for the call
        // (its strings and box retained and released), for the kind and again for each
        // attribute asked about (2.4 copies a mention on the 1,000 bench pairs).
        let entity = e.pointee
        guard let kind = EntityKind.of(e) else { return ids }
        func finish() {
            let id = Int32(keys.finishKey())
            if ids.first < 0 { ids.first = id } else { ids.second = id }
        }
        // Most entities have no attributes: no string to hash for the look-up then.
        func attribute(_ name: String) -> String? {
            let attributes = entity.attributes
            return attributes.isEmpty ? nil : attributes[name]
        }
        let value = entity.normalized ?? ""
        switch kind {
        case .number, .money, .percent:
            keys.append("q:")
            keys.append(value)
            finish()
            if let alternative = attribute("alternative") {
                keys.append("q:")
                keys.append(alternative)
                if kind == .money {
                    keys.append(" ")
                    keys.append(attribute("currency") ?? "")
                } else if kind == .percent {
                    keys.append("%")
                }
                finish()
            }
        case .date:
            // A date without a year meets a full date with the same month and day.
            keys.append("d:")
            keys.append(value)
            finish()
            if !value.hasPrefix("--"), value.count == 10 {
                keys.append("d:--")
                keys.append(value.dropFirst(5))
                finish()
            }
        case .country:
            keys.append("c:")
            keys.append(value)
            finish()
        case .resolution:
            // "resolution 2751 (2024)" is the document S/RES/2751 (2024).
            keys.append("resolution:")
            keys.append(value)
            finish()
            if let symbol = attribute("symbol") {
                keys.append("document_symbol:")
                keys.append(symbol)
                finish()
            }
        case .documentSymbol, .url, .email:
            keys.append(kind.rawValue)
            keys.append(":")
            keys.append(value)
            finish()
        case .acronym:
            keys.append("o:")
            keys.append(value)
            finish()
        case .organization, .location, .person:
            keys.append("n:")
            keys.appendFolded(written())
            finish()
            ids.name = ids.first
            ids.nameWasCanonicalized = keys.lastKeyWasCanonicalized
            if !value.isEmpty, attribute("canonical") != nil || attribute("acronym") != nil || isCode(value) {
                keys.append("o:")
                keys.append(value)
                finish()
            }
        }
        return ids
    }

    static func isCode(_ value: String) -> Bool {
        // ASCII (one pass over the bytes): capitals, digits and hyphens are exactly the
        // characters the general test accepts.
        var copy = value
        let (ascii, code) = copy.withUTF8 { bytes in
            var code = !bytes.isEmpty && bytes.count <= 12
            for b in bytes {
                if b >= 0x80 { return (false, false) }
                // Any other ASCII scalar, after ASCII only, starts a character that is neither a
                // capital, a digit nor a hyphen, marks or not: the general test fails as well.
                // (Names were read to their last byte: 3.22 M -> 1.69 M on the 1,000 bench pairs.)
                if !((b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x2D) { return (true, false) }
            }
            return (true, code)
        }
        if ascii { return code }
        return !value.isEmpty && value.count <= 12 && value.allSatisfy { $0.isUppercase || $0.isNumber || $0 == "-" }
    }

    static func fold(_ s: some StringProtocol) -> String { AlphanumericFold.fold(s) }

    /// Dice coefficient of the two strings' scalar bigrams (each bigram of `b` counted against
    /// one unused occurrence in `a`).
    static func dice(_ a: String, _ b: String) -> Double {
        let x = Array(a.unicodeScalars)
        let y = Array(b.unicodeScalars)
        guard x.count >= 2, y.count >= 2 else { return a == b ? 1 : 0 }
        // Below U+0300 two scalar pairs are equal as strings exactly when their scalars are:
        // count bigrams as integers. Beyond, canonical equivalence may join them: compare strings.
        if x.allSatisfy({ $0.value < 0x300 }) && y.allSatisfy({ $0.value < 0x300 }) {
            var bigrams: [UInt64] = []
            var taken: [Bool] = []
            return dice(scalars: x.map(\.value)[...], y.map(\.value)[...], bigrams: &bigrams, taken: &taken)
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

    /// `dice` of two strings whose scalars all lie below U+0300, given as scalar values
    /// (`bigrams` and `taken`: scratch arrays kept by the caller).
    static func dice(scalars x: ArraySlice<UInt32>, _ y: ArraySlice<UInt32>, bigrams: inout [UInt64], taken: inout [Bool]) -> Double {
        guard x.count >= 2, y.count >= 2 else { return x.elementsEqual(y) ? 1 : 0 }
        bigrams.removeAll(keepingCapacity: true)
        var previous = x.first!
        for s in x.dropFirst() {
            bigrams.append(UInt64(previous) << 32 | UInt64(s))
            previous = s
        }
        bigrams.sort()
        taken.removeAll(keepingCapacity: true)
        taken.append(contentsOf: repeatElement(false, count: bigrams.count))
        var shared = 0
        previous = y.first!
        for s in y.dropFirst() {
            let k = UInt64(previous) << 32 | UInt64(s)
            previous = s
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
            foldedIsASCII = result.utf8.allSatisfy { $0 < 0x80 }
            return result
        }
        private var foldedIsASCII = false

        /// Whether the blocks' folded text (`folded`) contains `needle`, a folded text: as
        /// `String.contains` answers (Foundation's search), by bytes when both are ASCII (there
        /// Foundation's search, through UTF-16, finds exactly the byte matches).
        mutating func foldedText(_ document: Document, contains needle: String) -> Bool {
            var haystack = folded(document)
            guard foldedIsASCII, !needle.isEmpty, needle.utf8.allSatisfy({ $0 < 0x80 }) else { return haystack.contains(needle) }
            var needle = needle
            return haystack.withUTF8 { h in
                needle.withUTF8 { n in
                    guard n.count <= h.count else { return false }
                    let first = n[0]
                    for start in 0...(h.count - n.count) where h[start] == first {
                        if memcmp(h.baseAddress! + start, n.baseAddress!, n.count) == 0 { return true }
                    }
                    return false
                }
            }
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
            return other.foldedText(otherDocument, contains: Self.fold(written)) ? nil : "entity_mismatch"
        case .country:
            // Demonyms come and go in translation ("Haitian National Police" / "Policía Nacional de Haití").
            return e.attributes["form"] == "demonym" ? nil : "entity_mismatch"
        case .person:
            // Only full names (two words or more) whose words the other version does not all write.
            let words = written.split(whereSeparator: { $0 == " " || $0 == "-" })
            guard words.count >= 2 else { return nil }
            return words.allSatisfy({ other.foldedText(otherDocument, contains: Self.fold($0)) }) ? nil : "entity_mismatch"
        case .organization, .acronym:
            // Only bodies the gazetteer knows in both languages (UN/ONU, OAS/OEA…).
            guard e.attributes["canonical"] != nil else { return nil }
            return other.foldedText(otherDocument, contains: Self.fold(written)) ? nil : "entity_mismatch"
        case .location:
            return nil
        }
    }
}
