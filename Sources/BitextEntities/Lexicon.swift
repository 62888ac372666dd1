import Foundation

/// What a gazetteer entry names.
enum GazetteerKind: UInt8, Sendable {
    case country, demonym, location, organization
}

struct GazetteerEntry: Sendable, Equatable {
    var kind: GazetteerKind
    /// ISO 3166 code (countries, demonyms, subdivisions) or canonical acronym (organizations).
    var code: String
    /// The canonical name (organizations: the English name).
    var canonical: String
    /// Whether the entry was written in lower case (Spanish demonyms): then it matches any case.
    var lowercaseForm: Bool
    /// Whether the name is written in capitals only (US, UN): then only capitals match.
    var requiresCapitals = false
}

/// Which entry a gazetteer key names, by how the text writes it (index into
/// `Lexicon.entries`, -1 for none): in lower case (only lower-case demonyms match), with a
/// capital, or all in capitals (all-capital names such as US, UN match only that).
struct GazetteerPick: Sendable, Equatable {
    var lowercase: Int32
    var capitalized: Int32
    var allCapitals: Int32
}

/// The gazetteers and word lists, loaded once from the module's resources.
/// A class, so that each document's scanner holds one reference rather than copying a dozen tables.
final class Lexicon: Sendable {
    /// Read from `lexicon.bin` (the text resources compiled, see `LexiconTables`); from the text
    /// files themselves if that is missing or unreadable.
    static let shared: Lexicon = {
        let compiled = LexiconTables.resource("lexicon", "bin").flatMap { try? LexiconTables(binary: $0) }
        return Lexicon(compiled ?? LexiconTables.fromText(), bloom: LexiconTables.resource("common-words", "bloom"))
    }()

    /// Every gazetteer entry; `names` points into it.
    let entries: [GazetteerEntry]
    /// Multi-token names keyed by the combined hashes of their tokens: which entry each
    /// kind of occurrence (lower case, capitalized, all capitals) takes.
    let names: HashMap64<GazetteerPick>
    /// Closed word classes and the first tokens of lower-case names, for the tokenizer.
    let vocabulary: Vocabulary
    /// The first tokens (folded hashes) of every name: a capitalized word that is none of them
    /// starts no gazetteer name.
    let nameStarts: ScreenedHashSet
    /// Combined hashes of every proper prefix of a name, to stop walking early.
    let prefixes: HashSet64
    let maxNameTokens: Int
    let firstNames: ScreenedHashSet
    let surnames: ScreenedHashSet
    /// ISO 4217 codes, keyed by the folded hash of the code.
    let currencyCodes: HashMap64<String>
    private let bloom: [UInt64]
    private let bloomBits: UInt64
    private let bloomHashes: UInt64

    static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
        (a ^ (b &+ 0x9E37_79B9_7F4A_7C15 &+ (a << 6) &+ (a >> 2))) &* 0xBF58_476D_1CE4_E5B9
    }

    init(_ tables: LexiconTables, bloom bloomData: Data?) {
        entries = tables.entries
        names = HashMap64(Array(zip(tables.pickKeys, tables.picks)))
        vocabulary = Vocabulary.words(lowercaseNameStarts: tables.lowercaseStarts)
        // One filter for the three: a capitalized word is looked up in each (see `ScreenedHashSet.family`).
        let screened = ScreenedHashSet.family([tables.starts, tables.firstNames, tables.surnames])
        nameStarts = screened[0]
        prefixes = HashSet64(tables.prefixes)
        firstNames = screened[1]
        surnames = screened[2]
        currencyCodes = HashMap64(Array(zip(tables.currencyHashes, tables.currencyCodes)))
        maxNameTokens = tables.maxNameTokens
        var bloom: [UInt64] = []
        var bloomBits: UInt64 = 0
        var bloomHashes: UInt64 = 0
        if let data = bloomData, data.count > 12 {
            data.withUnsafeBytes { raw in
                if raw.loadUnaligned(as: UInt32.self) == UInt32(littleEndian: 0x314D_4C42) {  // "BLM1"
                    bloomBits = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
                    bloomHashes = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
                    let count = Int(bloomBits / 64)
                    if 12 + count * 8 <= raw.count {
                        // 620 KB of words: copied as one block, not word by word.
                        bloom = [UInt64](unsafeUninitializedCapacity: count) { buffer, initialized in
                            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[12..<(12 + count * 8)]))
                            for i in 0..<count { buffer[i] = UInt64(littleEndian: buffer[i]) }
                            initialized = count
                        }
                    } else {
                        bloomBits = 0
                    }
                }
            }
        }
        self.bloom = bloom
        self.bloomBits = bloomBits
        self.bloomHashes = bloomHashes
    }

    /// Whether a folded word hash is a common (lower-case-only) dictionary word.
    func isCommonWord(_ hash: UInt64) -> Bool {
        guard bloomBits > 0 else { return false }
        let h1 = hash & 0xFFFF_FFFF
        let h2 = (hash >> 32) | 1
        for i in 0..<bloomHashes {
            // Lemire's range reduction of a 32-bit mix: no division.
            let bit = (((h1 &+ i &* h2) & 0xFFFF_FFFF) &* bloomBits) >> 32
            if bloom[Int(bit >> 6)] & (1 << (bit & 63)) == 0 { return false }
        }
        return true
    }
}

/// Closed word classes used by the rules, as folded hashes.
struct WordSet: Sendable {
    private var set: HashSet64
    init(_ words: [String]) { set = HashSet64(words.map { foldedHash($0) }) }
    func contains(_ hash: UInt64) -> Bool { set.contains(hash) }
}

struct WordMap<Value: Sendable>: Sendable {
    private var map: HashMap64<Value>
    init(_ pairs: [(String, Value)]) { map = HashMap64(pairs.map { (foldedHash($0.0), $0.1) }) }
    subscript(_ hash: UInt64) -> Value? { map[hash] }
}

enum Words {
    static let englishFunctionList: [String] = [
        "the", "of", "and", "to", "in", "is", "that", "for", "with", "on", "by", "as", "are", "was", "it", "this",
        "be", "at", "from", "or", "an", "which", "has", "have", "its", "we", "their", "not", "were", "will", "they",
        "but", "also", "been", "these", "those", "our", "would", "there", "into", "while", "any",
    ]
    static let englishFunction = WordSet(englishFunctionList)
    static let spanishFunctionList: [String] = [
        "el", "la", "de", "que", "y", "en", "los", "las", "del", "por", "para", "con", "una", "un", "se", "su",
        "al", "es", "como", "más", "lo", "sus", "ha", "han", "este", "esta", "sobre", "entre", "pero", "también",
        "fue", "son", "ser", "sin", "hay", "nos", "muy", "ya", "cuando", "desde", "todo", "contra", "sino",
        "qué", "cómo", "dónde", "cuándo", "cuál", "cuáles", "quién", "quiénes", "cuánto", "cuántos", "si", "no",
    ]
    static let spanishFunction = WordSet(spanishFunctionList)
    /// Lower-case words allowed inside a multi-word name ("Organization of American States").
    static let connectorsList: [String] = [
        "of", "the", "for", "on", "de", "del", "la", "las", "los", "el", "por", "para", "y", "e", "and", "in", "en", "a", "da", "do", "dos", "van", "von", "der", "di", "le", "du",
    ]
    static let connectors = WordSet(connectorsList)
    /// Connectors allowed only when the whole sequence is a gazetteer name or ends in an organization word.
    static let weakConnectorsList: [String] = ["and", "y", "e", "in", "en", "a", "on"]
    static let weakConnectors = WordSet(weakConnectorsList)
    static let personTitlesList: [String] = [
        "mr", "mrs", "ms", "miss", "dr", "sir", "lord", "lady", "madam", "madame", "ambassador", "president",
        "minister", "senator", "judge", "colonel", "captain", "king",
        "queen", "prince", "princess", "pope", "rev", "prof", "professor", "mayor", "governor", "chancellor",
        "sr", "sra", "srta", "don", "doña", "dña", "embajador", "embajadora", "presidente", "presidenta",
        "ministro", "ministra", "senador", "senadora", "juez", "jueza", "coronel", "capitán", "secretario",
        "secretaria", "rey", "reina", "príncipe", "princesa", "papa", "alcalde", "alcaldesa", "gobernador",
        "gobernadora", "canciller", "doctor", "doctora", "profesor", "profesora", "diputado", "diputada",
        "vicepresidente", "vicepresidenta", "excmo", "excma", "lic", "ing", "mons", "fray", "chargé", "deputy",
        "envoy", "director", "directora", "chair", "chairman", "chairperson", "chairwoman", "encargado",
        "encargada", "enviado", "enviada", "representante", "representative", "delegate", "delegado", "delegada",
        "commissioner", "comisionado", "comisionada", "rapporteur", "relator", "relatora", "spokesman",
        "spokeswoman", "spokesperson", "portavoz", "vocero", "vocera", "mrs", "señor", "señora", "señorita",
    ]
    static let personTitles = WordSet(personTitlesList)
    static let organizationHeadsList: [String] = [
        "council", "organization", "organisation", "nations", "union", "bank", "fund", "committee", "commission",
        "mission", "office", "agency", "ministry", "department", "alliance", "group", "team", "party",
        "association", "institute", "university", "corporation", "company", "inc", "ltd", "corp", "co", "police",
        "army", "court", "assembly", "secretariat", "programme", "program", "government", "federation",
        "society", "foundation", "club", "parliament", "congress", "senate", "board", "authority", "forces",
        "force", "network", "coalition", "movement", "front", "league", "church", "college", "school", "centre",
        "center", "times", "post", "news", "press", "airlines", "bureau", "service", "services", "trust",
        "consejo", "organización", "naciones", "unión", "banco", "fondo", "comité", "comisión", "misión",
        "oficina", "agencia", "ministerio", "departamento", "alianza", "grupo", "equipo", "partido",
        "asociación", "instituto", "universidad", "corporación", "compañía", "empresa", "policía", "ejército",
        "tribunal", "corte", "asamblea", "secretaría", "programa", "gobierno", "federación", "sociedad",
        "fundación", "parlamento", "congreso", "senado", "junta", "autoridad", "fuerzas", "fuerza", "red",
        "coalición", "movimiento", "frente", "liga", "iglesia", "colegio", "escuela", "centro", "diario",
        "servicio", "servicios", "sindicato", "confederación", "audiencia", "ayuntamiento", "generalitat",
        "cámara", "s.a", "sa", "sl", "telefónica", "caja", "operation", "operación", "council's",
    ]
    static let organizationHeads = WordSet(organizationHeadsList)
    static let locationHeadsList: [String] = [
        "city", "river", "mountain", "mountains", "island", "islands", "province", "street", "avenue", "ocean",
        "sea", "gulf", "lake", "valley", "bay", "coast", "desert", "county", "district", "region", "peninsula",
        "ciudad", "río", "isla", "islas", "provincia", "calle", "avenida", "océano", "mar", "golfo", "lago",
        "sierra", "cerro", "valle", "bahía", "costa", "desierto", "comarca", "región", "península", "plaza",
        "puerto", "monte", "cordillera", "barrio", "paseo",
    ]
    static let locationHeads = WordSet(locationHeadsList)
    /// Prepositions after which a lone unknown name is most often a place.
    static let locativePrepositionsList: [String] = [
        "in", "at", "from", "near", "across", "throughout", "en", "desde", "hacia", "hasta",
    ]
    static let locativePrepositions = WordSet(locativePrepositionsList)
    static let reportingVerbsList: [String] = [
        "said", "says", "told", "added", "stated", "declared", "explained", "noted", "dijo", "afirmó", "declaró",
        "explicó", "señaló", "añadió", "aseguró", "indicó", "manifestó", "comentó", "destacó", "subrayó",
    ]
    static let reportingVerbs = WordSet(reportingVerbsList)
    static let monthsList: [(String, Int)] = [
        ("january", 1), ("february", 2), ("march", 3), ("april", 4), ("may", 5), ("june", 6), ("july", 7),
        ("august", 8), ("september", 9), ("october", 10), ("november", 11), ("december", 12),
        ("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("jun", 6), ("jul", 7), ("aug", 8), ("sep", 9),
        ("sept", 9), ("oct", 10), ("nov", 11), ("dec", 12),
        ("enero", 1), ("febrero", 2), ("marzo", 3), ("abril", 4), ("mayo", 5), ("junio", 6), ("julio", 7),
        ("agosto", 8), ("septiembre", 9), ("setiembre", 9), ("octubre", 10), ("noviembre", 11), ("diciembre", 12),
        ("ene", 1), ("abr", 4), ("ago", 8), ("dic", 12),
    ]
    static let months = WordMap<Int>(monthsList)
    /// Month names written in full (abbreviations need a day or year beside them and a capital).
    static let fullSpanishMonthsList: [String] = [
        "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "setiembre",
        "octubre", "noviembre", "diciembre",
    ]
    static let fullSpanishMonths = WordSet(fullSpanishMonthsList)
    static let monthAbbreviationsList: [String] = [
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "ene", "abr", "ago", "dic",
    ]
    static let monthAbbreviations = WordSet(monthAbbreviationsList)
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    static let weekdaysList: [(String, Int)] = [
        ("monday", 1), ("tuesday", 2), ("wednesday", 3), ("thursday", 4), ("friday", 5), ("saturday", 6),
        ("sunday", 7), ("lunes", 1), ("martes", 2), ("miércoles", 3), ("miercoles", 3), ("jueves", 4),
        ("viernes", 5), ("sábado", 6), ("sabado", 6), ("domingo", 7),
    ]
    static let weekdays = WordMap<Int>(weekdaysList)
    static let ordinalSuffixesList: [String] = ["st", "nd", "rd", "th"]
    static let ordinalSuffixes = WordSet(ordinalSuffixesList)
    /// Scale words: power of ten.
    static let scalesList: [(String, Int)] = [
        ("thousand", 3), ("million", 6), ("millions", 6), ("billion", 9), ("billions", 9), ("trillion", 12),
        ("mil", 3), ("millón", 6), ("millon", 6), ("millones", 6), ("billón", 12), ("billones", 12),
        ("bn", 9), ("m", 6),
    ]
    static let scales = WordMap<Int>(scalesList)
    static let currencyWordsList: [(String, String)] = [
        ("dollar", "USD"), ("dollars", "USD"), ("dólar", "USD"), ("dólares", "USD"), ("dolares", "USD"),
        ("euro", "EUR"), ("euros", "EUR"), ("pound", "GBP"), ("pounds", "GBP"), ("libras", "GBP"),
        ("yen", "JPY"), ("yenes", "JPY"), ("pesetas", "ESP"), ("peseta", "ESP"), ("francs", "CHF"),
    ]
    static let currencyWords = WordMap<String>(currencyWordsList)
    static let resolutionWordsList: [String] = ["resolution", "resolutions", "resolución", "resoluciones", "resolucion"]
    static let resolutionWords = WordSet(resolutionWordsList)
    static let andWordsList: [String] = ["and", "y", "e"]
    static let andWords = WordSet(andWordsList)
    static let yearPrepositionsList: [String] = [
        "in", "since", "until", "by", "during", "before", "after", "en", "desde", "hasta", "durante", "año",
        "year", "antes", "después",
    ]
    static let yearPrepositions = WordSet(yearPrepositionsList)
}
