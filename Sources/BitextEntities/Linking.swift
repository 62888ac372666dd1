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
    }

    public func process(_ unit: inout WorkUnit, context: StageContext) throws {
        guard var alignment = unit.alignment, let en = unit.sides[.english], let es = unit.sides[.spanish] else { return }
        let englishByBlock = Dictionary(grouping: unit.documents[en.document].entities.indices) {
            unit.documents[en.document].entities[$0].block
        }
        let spanishByBlock = Dictionary(grouping: unit.documents[es.document].entities.indices) {
            unit.documents[es.document].entities[$0].block
        }
        for (linkIndex, link) in alignment.enumerated() {
            let englishBlocks = link.english.compactMap { en.blocks[safe: $0] }
            let spanishBlocks = link.spanish.compactMap { es.blocks[safe: $0] }
            let english = englishBlocks.flatMap { englishByBlock[$0] ?? [] }.map { Mention(document: en.document, entity: $0) }
            let spanish = spanishBlocks.flatMap { spanishByBlock[$0] ?? [] }.map { Mention(document: es.document, entity: $0) }
            let result = match(english, spanish, in: unit)
            var counter = 0
            for group in result.groups {
                counter += 1
                let id = "L\(linkIndex)-\(counter)"
                for m in group { unit.documents[m.document].entities[m.entity].link = id }
            }
            guard options.flags else { continue }
            let englishSide = OtherSide(unit.documents[en.document], englishBlocks)
            let spanishSide = OtherSide(unit.documents[es.document], spanishBlocks)
            var flags = Set<String>()
            for (m, other) in result.unmatched(english).map({ ($0, spanishSide) }) + result.unmatched(spanish).map({ ($0, englishSide) }) {
                if let flag = mismatchFlag(for: unit.documents[m.document].entities[m.entity], in: unit.documents[m.document], other: other) {
                    flags.insert(flag)
                }
            }
            for flag in flags.sorted() where !alignment[linkIndex].flags.contains(flag) {
                alignment[linkIndex].flags.append(flag)
            }
        }
        unit.alignment = alignment
    }

    struct MatchResult {
        var groups: [[Mention]] = []
        var matched = Set<Mention>()
        func unmatched(_ mentions: [Mention]) -> [Mention] { mentions.filter { !matched.contains($0) } }
    }

    func match(_ english: [Mention], _ spanish: [Mention], in unit: WorkUnit) -> MatchResult {
        var result = MatchResult()
        func entity(_ m: Mention) -> Entity { unit.documents[m.document].entities[m.entity] }
        // 1. Same key (kind family + normalized value, or folded name).
        var spanishByKey: [String: [Mention]] = [:]
        for m in spanish {
            for key in Self.keys(entity(m), unit.documents[m.document]) { spanishByKey[key, default: []].append(m) }
        }
        var englishByKey: [String: [Mention]] = [:]
        var keyOrder: [String] = []
        for m in english {
            for key in Self.keys(entity(m), unit.documents[m.document]) {
                if englishByKey[key] == nil { keyOrder.append(key) }
                englishByKey[key, default: []].append(m)
            }
        }
        for key in keyOrder {
            guard let others = spanishByKey[key], let mine = englishByKey[key] else { continue }
            let fresh = (mine + others).filter { !result.matched.contains($0) }
            guard fresh.contains(where: { english.contains($0) }), fresh.contains(where: { !english.contains($0) }) else { continue }
            result.groups.append(fresh)
            result.matched.formUnion(fresh)
        }
        // 2. Cognate names: "Kenya Defence Forces" / "Fuerzas de Defensa de Kenya" are not caught,
        //    but "Thomas-Greenfield" / "Thomas Greenfield" and "Andrés" / "Andres" are.
        let englishNames = result.unmatched(english).filter { EntityKind(rawValue: entity($0).kind)?.isName == true }
        var spanishNames = result.unmatched(spanish).filter { EntityKind(rawValue: entity($0).kind)?.isName == true }
        for m in englishNames {
            let a = Self.fold(unit.documents[m.document].text(of: entity(m).range))
            var best: (Int, Double)?
            for (i, n) in spanishNames.enumerated() {
                let b = Self.fold(unit.documents[n.document].text(of: entity(n).range))
                let s = Self.dice(a, b)
                if s >= options.nameSimilarity, s > (best?.1 ?? 0) { best = (i, s) }
            }
            if let (i, _) = best {
                result.groups.append([m, spanishNames[i]])
                result.matched.insert(m)
                result.matched.insert(spanishNames[i])
                spanishNames.remove(at: i)
            }
        }
        return result
    }

    /// Keys under which a mention can meet its translation.
    static func keys(_ e: Entity, _ document: Document) -> [String] {
        guard let kind = EntityKind(rawValue: e.kind) else { return [] }
        let value = e.normalized ?? ""
        switch kind {
        case .number, .money, .percent:
            var keys = ["q:" + value]
            if let alternative = e.attributes["alternative"] {
                keys.append("q:" + (kind == .money ? alternative + " " + (e.attributes["currency"] ?? "") : kind == .percent ? alternative + "%" : alternative))
            }
            return keys
        case .date:
            // A date without a year meets a full date with the same month and day.
            if value.hasPrefix("--") { return ["d:" + value] }
            if value.count == 10 { return ["d:" + value, "d:--" + value.dropFirst(5)] }
            return ["d:" + value]
        case .country:
            return ["c:" + value]
        case .resolution:
            // "resolution 2751 (2024)" is the document S/RES/2751 (2024).
            return ["resolution:" + value] + (e.attributes["symbol"].map { ["document_symbol:" + $0] } ?? [])
        case .documentSymbol, .url, .email:
            return ["\(kind.rawValue):" + value]
        case .acronym:
            return ["o:" + value]
        case .organization, .location, .person:
            var keys = ["n:" + fold(document.text(of: e.range))]
            if !value.isEmpty, e.attributes["canonical"] != nil || e.attributes["acronym"] != nil || isCode(value) {
                keys.append("o:" + value)
            }
            return keys
        }
    }

    static func isCode(_ value: String) -> Bool {
        !value.isEmpty && value.count <= 12 && value.allSatisfy { $0.isUppercase || $0.isNumber || $0 == "-" }
    }

    static func fold(_ s: some StringProtocol) -> String {
        String(s).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(String.init).joined()
    }

    static func dice(_ a: String, _ b: String) -> Double {
        let x = Array(a.unicodeScalars)
        let y = Array(b.unicodeScalars)
        guard x.count >= 2, y.count >= 2 else { return a == b ? 1 : 0 }
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
        var digits = Set<String>()
        var folded = ""

        init(_ document: Document, _ blocks: [Int]) {
            var text = ""
            for b in blocks where b < document.blocks.count {
                let block = document.text(ofBlock: b)
                text += block
                text += " "
                var current = ""
                for ch in block.unicodeScalars {
                    if ch.value >= 0x30 && ch.value <= 0x39 {
                        current.unicodeScalars.append(ch)
                    } else if !current.isEmpty {
                        digits.insert(String(current.drop(while: { $0 == "0" })))
                        current = ""
                    }
                }
                if !current.isEmpty { digits.insert(String(current.drop(while: { $0 == "0" }))) }
            }
            folded = LinkEntities.fold(text)
        }
    }

    func mismatchFlag(for e: Entity, in document: Document, other: OtherSide) -> String? {
        guard let kind = EntityKind(rawValue: e.kind) else { return nil }
        let written = document.text(of: e.range)
        switch kind {
        case .number, .money, .percent:
            // Digits as written, e.g. "1,234.5" → "1", "234", "5": all present on the other side means
            // the same figure written another way.
            let runs = written.split(whereSeparator: { !$0.isASCII || !$0.isNumber }).map { String($0.drop(while: { $0 == "0" })) }
            if !runs.isEmpty, runs.allSatisfy({ other.digits.contains($0) }) { return nil }
            if let value = e.normalized?.split(separator: " ").first?.split(separator: ".").first, other.digits.contains(String(value)) {
                return nil
            }
            return "number_mismatch"
        case .date:
            return "date_mismatch"
        case .documentSymbol, .resolution, .url, .email:
            return other.folded.contains(Self.fold(written)) ? nil : "entity_mismatch"
        case .country:
            // Demonyms come and go in translation ("Haitian National Police" / "Policía Nacional de Haití").
            return e.attributes["form"] == "demonym" ? nil : "entity_mismatch"
        case .person:
            // Only full names (two words or more) whose words the other version does not all write.
            let words = written.split(whereSeparator: { $0 == " " || $0 == "-" })
            guard words.count >= 2 else { return nil }
            return words.allSatisfy({ other.folded.contains(Self.fold($0)) }) ? nil : "entity_mismatch"
        case .organization, .acronym:
            // Only bodies the gazetteer knows in both languages (UN/ONU, OAS/OEA…).
            guard e.attributes["canonical"] != nil else { return nil }
            return other.folded.contains(Self.fold(written)) ? nil : "entity_mismatch"
        case .location:
            return nil
        }
    }
}
