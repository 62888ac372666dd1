import BitextCore

/// `extract.entities`: fills `Document.entities` for every document of the unit.
public struct ExtractEntities: Stage {
    public static let id: StageID = "extract.entities"
    public static let summary = "Find dates, numbers, money, percentages, UN/OAS symbols, resolutions, acronyms, URLs, e-mails, persons, organizations, places and countries, normalized"
    public static let requires: Set<Layer> = [.blocks]
    public static let produces: Set<Layer> = [.entities]

    public struct Options: StageOptions, Hashable {
        public var kinds: [String]
        public var inferYears: Bool
        public var bilingualNames: Bool
        public static let fields: [OptionField] = [
            OptionField("kinds", "[string]", default: "[all]", "Entity kinds to report: \(EntityKind.allCases.map(\.rawValue).joined(separator: ", "))"),
            OptionField("infer_years", "boolean", default: "true", "Give a date without a year the document's year when that is safe (one year among the document's full dates, weekday consistent); marked year_inferred"),
            OptionField("bilingual_names", "boolean", default: "true", "In aligned pairs, keep capitalized sequences found in both the English and the Spanish paragraph as names"),
        ]
        enum CodingKeys: String, CodingKey {
            case kinds
            case inferYears = "infer_years"
            case bilingualNames = "bilingual_names"
        }
        public init(kinds: [String] = ["all"], inferYears: Bool = true, bilingualNames: Bool = true) {
            self.kinds = kinds
            self.inferYears = inferYears
            self.bilingualNames = bilingualNames
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            kinds = try c.value(.kinds, or: ["all"])
            inferYears = try c.value(.inferYears, or: true)
            bilingualNames = try c.value(.bilingualNames, or: true)
        }
    }

    public let options: Options
    let extractor: EntityExtractor

    public init(options: Options) throws {
        let known = Set(EntityKind.allCases.map(\.rawValue))
        var kinds = Set<String>()
        for kind in options.kinds {
            if kind == "all" {
                kinds.formUnion(known)
            } else if known.contains(kind) {
                kinds.insert(kind)
            } else {
                throw OptionError(option: "kinds", "unknown entity kind '\(kind)'; known: \(known.sorted().joined(separator: ", "))")
            }
        }
        self.options = options
        extractor = EntityExtractor(kinds: kinds, inferYears: options.inferYears)
    }

    public func process(_ unit: inout WorkUnit, context: StageContext) throws {
        if options.bilingualNames, let alignment = unit.alignment, let en = unit.sides[.english], let es = unit.sides[.spanish],
            unit.documents.indices.contains(en.document), unit.documents.indices.contains(es.document)
        {
            let entities = extractor.extractAligned(unit.documents, alignment: alignment, english: en, spanish: es)
            for index in unit.documents.indices { unit.documents[index].entities = entities[index] }
            return
        }
        for index in unit.documents.indices {
            unit.documents[index].entities = extractor.extract(from: unit.documents[index])
        }
    }
}

/// The bilingual signal: capitalized sequences that occur in both the English and the
/// Spanish paragraph of an aligned link are very likely names.
public enum BilingualSignal {
    /// The signal from the runs pass 1 collected (`CapitalizedRuns`); the same
    /// as `names(in:)`, without tokenizing the blocks again.
    static func names(_ alignment: [AlignmentLink], english en: Side, spanish es: Side,
                      runs: [CapitalizedRuns]) -> [Int: [Int: Set<UInt64>]] {
        var result: [Int: [Int: Set<UInt64>]] = [:]
        var englishList: [UInt64] = []
        // Each side's runs taken out once: `runs[document]` in the loops copied (retained and
        // released) their three arrays for every block of every link.
        let englishRuns = runs.indices.contains(en.document) ? runs[en.document] : CapitalizedRuns()
        let spanishRuns = runs.indices.contains(es.document) ? runs[es.document] : CapitalizedRuns()
        for link in alignment {
            let englishBlocks = link.english.compactMap { en.blocks[safe: $0] }
            let spanishBlocks = link.spanish.compactMap { es.blocks[safe: $0] }
            englishList.removeAll(keepingCapacity: true)
            for b in englishBlocks { englishRuns.forEach(ofBlock: b) { key, _ in englishList.append(key) } }
            if englishList.isEmpty { continue }
            // A paragraph has a few runs: a linear scan beats building a table, until it has many.
            let englishSet = englishList.count > 32 ? HashSet64(englishList) : nil
            var shared = Set<UInt64>()
            for b in spanishBlocks {
                spanishRuns.forEach(ofBlock: b) { key, word in
                    // A lone common word in both versions ("When", "No") is no name; the same
                    // key is the same word on both sides, so one test decides for both.
                    let inEnglish = englishSet?.contains(key) ?? englishList.contains(key)
                    if inEnglish, word.map({ !Lexicon.shared.isCommonWord($0) }) ?? true {
                        shared.insert(key)
                    }
                }
            }
            if shared.isEmpty { continue }
            for b in englishBlocks { result[en.document, default: [:]][b, default: []].formUnion(shared) }
            for b in spanishBlocks { result[es.document, default: [:]][b, default: []].formUnion(shared) }
        }
        return result
    }

    /// Per document index and block index, the folded hashes of such sequences (a sequence
    /// shared by one link says nothing about the same words elsewhere).
    public static func names(in unit: WorkUnit) -> [Int: [Int: Set<UInt64>]] {
        guard let alignment = unit.alignment, let en = unit.sides[.english], let es = unit.sides[.spanish] else { return [:] }
        var result: [Int: [Int: Set<UInt64>]] = [:]
        for link in alignment {
            let englishBlocks = link.english.compactMap { en.blocks[safe: $0] }
            let spanishBlocks = link.spanish.compactMap { es.blocks[safe: $0] }
            let shared = sequences(unit.documents[en.document], englishBlocks)
                .intersection(sequences(unit.documents[es.document], spanishBlocks))
            if shared.isEmpty { continue }
            for b in englishBlocks { result[en.document, default: [:]][b, default: []].formUnion(shared) }
            for b in spanishBlocks { result[es.document, default: [:]][b, default: []].formUnion(shared) }
        }
        return result
    }

    /// Every run of one to four consecutive capitalized words in the blocks, hashed like gazetteer keys.
    static func sequences(_ document: Document, _ blocks: [Int]) -> Set<UInt64> {
        var text = document.text
        var out = Set<UInt64>()
        text.withUTF8 { p in
            var tokens: [Token] = []
            for b in blocks where b < document.blocks.count {
                let r = document.blocks[b].range
                Tokenizer.tokenize(p, r.start, r.end, into: &tokens)
                Tokenizer.forEachCapitalizedRun(tokens) { key, first, single in
                    // A lone common word in both versions ("When", "No") is no name.
                    let h = tokens[first].hash
                    if !single || (tokens[first].length > 2 && !Words.englishFunction.contains(h)
                        && !Words.spanishFunction.contains(h) && !Lexicon.shared.isCommonWord(h))
                    {
                        out.insert(key)
                    }
                }
            }
        }
        return out
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
