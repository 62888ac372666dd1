import Foundation

/// What the gazetteer resources compile to: the tables `Lexicon` is made of, in a fixed order
/// (keys and hash lists sorted), so that the compiled form can be compared with the text files.
///
/// `Resources/lexicon.bin` holds them (`binary()`): reading it at start-up is a fraction of
/// tokenizing and grouping the 5,800 places and organizations and hashing 13,000 names again
/// in every process. `LexiconTablesTests` checks that it matches the text resources and
/// rewrites it when asked (`scripts/entities/build_lexicon.sh`).
struct LexiconTables: Sendable, Equatable {
    var maxNameTokens = 1
    /// Gazetteer entries, in the order of the picks that point into them.
    var entries: [GazetteerEntry] = []
    /// Name keys (sorted) and, for each, which entry each kind of occurrence takes.
    var pickKeys: [UInt64] = []
    var picks: [GazetteerPick] = []
    /// Sorted, distinct hash lists.
    var starts: [UInt64] = []
    var lowercaseStarts: [UInt64] = []
    var prefixes: [UInt64] = []
    var firstNames: [UInt64] = []
    var surnames: [UInt64] = []
    /// ISO 4217 codes in file order, with the folded hash of each.
    var currencyHashes: [UInt64] = []
    var currencyCodes: [String] = []

    init() {}

    static func resource(_ name: String, _ ext: String) -> Data? {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Resources") else { return nil }
        // Mapped: the tables and the bloom filter are copied out of the bytes once, so a read into
        // fresh pages first was a second copy (and its page faults) in every process.
        return try? Data(contentsOf: url, options: .alwaysMapped)
    }

    // MARK: From the text resources

    /// The tables built from places.tsv, organizations.tsv, person-names.txt and currencies.txt.
    static func fromText() -> LexiconTables {
        var tables = LexiconTables()
        var nameTable: [UInt64: [GazetteerEntry]] = [:]
        var starts: Set<UInt64> = []
        var lowercaseStarts: Set<UInt64> = []
        var prefixes: Set<UInt64> = []
        var tokens: [Token] = []
        func add(_ name: String, _ entry: GazetteerEntry) {
            Self.add(name, entry, to: &nameTable, prefixes: &prefixes, starts: &starts, lowercaseStarts: &lowercaseStarts,
                     maxTokens: &tables.maxNameTokens, tokens: &tokens)
        }
        // The resources are split on bytes (tab, newline, space), not Characters: no separator
        // in them is followed by a combining mark (scripts/entities/build_gazetteers.py writes NFC).
        func lines(_ text: String) -> [Substring] {
            text.utf8.split(separator: 0x0A).map { Substring($0) }
        }
        func fields(_ line: Substring, _ separator: UInt8, omittingEmpty: Bool) -> [Substring] {
            line.utf8.split(separator: separator, omittingEmptySubsequences: omittingEmpty).map { Substring($0) }
        }
        if let data = resource("places", "tsv"), let text = String(data: data, encoding: .utf8) {
            for line in lines(text) where !line.hasPrefix("#") {
                let f = fields(line, 0x09, omittingEmpty: false)
                guard f.count >= 3 else { continue }
                let kind: GazetteerKind =
                    switch f[0] {
                    case "country": .country
                    case "demonym": .demonym
                    default: .location
                    }
                let name = String(f[1])
                // An ASCII first letter is lower case exactly when it is a–z.
                let first = name.utf8.first ?? 0
                let lowercaseForm = first < 0x80 ? (first >= 0x61 && first <= 0x7A) : (name.first?.isLowercase ?? false)
                add(name, GazetteerEntry(kind: kind, code: String(f[2]), canonical: name, lowercaseForm: lowercaseForm))
            }
        }
        if let data = resource("organizations", "tsv"), let text = String(data: data, encoding: .utf8) {
            for line in lines(text) where !line.hasPrefix("#") {
                let f = fields(line, 0x09, omittingEmpty: true).map(String.init)
                guard f.count >= 2 else { continue }
                let acronym = f[0]
                let canonical = f[1]
                for variant in [acronym] + f.dropFirst() {
                    add(variant, GazetteerEntry(kind: .organization, code: acronym, canonical: canonical, lowercaseForm: false))
                }
            }
        }
        if let data = resource("person-names", "txt"), let text = String(data: data, encoding: .utf8) {
            // Folded hashes of the words: "# first" and "# last" open the two lists.
            var section = 0
            var first: Set<UInt64> = []
            var last: Set<UInt64> = []
            for line in lines(text) {
                if line.hasPrefix("# first") {
                    section = 1
                } else if line.hasPrefix("# last") {
                    section = 2
                } else {
                    for word in fields(line, 0x20, omittingEmpty: true) {
                        if section == 1 { first.insert(foldedHash(word)) } else if section == 2 { last.insert(foldedHash(word)) }
                    }
                }
            }
            tables.firstNames = first.sorted()
            tables.surnames = last.sorted()
        }
        if let data = resource("currencies", "txt"), let text = String(data: data, encoding: .utf8) {
            for code in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
                tables.currencyHashes.append(foldedHash(code))
                tables.currencyCodes.append(String(code))
            }
        }
        for key in nameTable.keys.sorted() {
            let group = nameTable[key]!
            // Where each of the group's entries went in `entries` (each is stored once).
            var stored = [Int32](repeating: -1, count: group.count)
            // The pick of the first kind in this order among the entries the case allows.
            func pick(_ allowed: (GazetteerEntry) -> Bool) -> Int32 {
                for kind in [GazetteerKind.organization, .country, .location, .demonym] {
                    if let i = group.firstIndex(where: { $0.kind == kind && allowed($0) }) {
                        if stored[i] < 0 {
                            tables.entries.append(group[i])
                            stored[i] = Int32(tables.entries.count - 1)
                        }
                        return stored[i]
                    }
                }
                return -1
            }
            tables.pickKeys.append(key)
            tables.picks.append(GazetteerPick(
                lowercase: pick { $0.lowercaseForm && $0.kind == .demonym },
                capitalized: pick { !$0.lowercaseForm && !$0.requiresCapitals },
                allCapitals: pick { !$0.lowercaseForm }))
        }
        tables.starts = starts.sorted()
        tables.lowercaseStarts = lowercaseStarts.sorted()
        tables.prefixes = prefixes.sorted()
        return tables
    }

    private static func add(_ name: String, _ entry: GazetteerEntry, to names: inout [UInt64: [GazetteerEntry]],
                            prefixes: inout Set<UInt64>, starts: inout Set<UInt64>, lowercaseStarts: inout Set<UInt64>,
                            maxTokens maxNameTokens: inout Int, tokens: inout [Token]) {
        var entry = entry
        if name.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: what uppercasing changes is a–z, and the letters are A–Z and a–z.
            entry.requiresCapitals = !name.utf8.contains { $0 >= 0x61 && $0 <= 0x7A } && name.utf8.contains { $0 >= 0x41 && $0 <= 0x5A }
        } else {
            entry.requiresCapitals = name == name.uppercased() && name.contains(where: \.isLetter)
        }
        var copy = name
        copy.withUTF8 { p in Tokenizer.tokenize(p, 0, p.count, into: &tokens) }
        guard !tokens.isEmpty else { return }
        starts.insert(tokens[0].hash)
        if entry.lowercaseForm && entry.kind == .demonym { lowercaseStarts.insert(tokens[0].hash) }
        var key: UInt64 = 0
        for i in tokens.indices {
            key = Lexicon.combine(key, tokens[i].hash)
            if i < tokens.count - 1 { prefixes.insert(key) }
        }
        maxNameTokens = max(maxNameTokens, tokens.count)
        // Keep one entry per kind; an organization or country outranks a subdivision.
        if !names[key, default: []].contains(where: { $0.kind == entry.kind }) { names[key, default: []].append(entry) }
    }

    // MARK: Compiled form

    /// Magic and version of `lexicon.bin`.
    static let magic: [UInt8] = Array("BXLX".utf8)
    static let version: UInt32 = 1

    /// The tables as bytes (little-endian): magic, version, the longest name in tokens, the
    /// entries (kind, flags, code and canonical name with 16-bit lengths), the picks (key and
    /// three 32-bit entry indices), then the hash lists and the currencies, each after its count.
    func binary() -> [UInt8] {
        var out = Self.magic
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        func string(_ s: String) {
            let bytes = Array(s.utf8)
            withUnsafeBytes(of: UInt16(bytes.count).littleEndian) { out.append(contentsOf: $0) }
            out.append(contentsOf: bytes)
        }
        func list(_ hashes: [UInt64]) {
            u32(UInt32(hashes.count))
            for h in hashes { u64(h) }
        }
        u32(Self.version)
        u32(UInt32(maxNameTokens))
        u32(UInt32(entries.count))
        for e in entries {
            out.append(e.kind.rawValue)
            out.append((e.lowercaseForm ? 1 : 0) | (e.requiresCapitals ? 2 : 0))
            string(e.code)
            string(e.canonical)
        }
        u32(UInt32(pickKeys.count))
        for (key, pick) in zip(pickKeys, picks) {
            u64(key)
            u32(UInt32(bitPattern: pick.lowercase))
            u32(UInt32(bitPattern: pick.capitalized))
            u32(UInt32(bitPattern: pick.allCapitals))
        }
        for hashes in [starts, lowercaseStarts, prefixes, firstNames, surnames] { list(hashes) }
        u32(UInt32(currencyCodes.count))
        for (hash, code) in zip(currencyHashes, currencyCodes) {
            u64(hash)
            string(code)
        }
        return out
    }

    struct FormatError: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads what `binary()` wrote.
    init(binary data: Data) throws {
        self = try data.withUnsafeBytes { raw in
            var reader = Reader(raw: raw)
            guard try reader.bytes(4).elementsEqual(Self.magic) else { throw FormatError(description: "lexicon.bin: bad magic") }
            guard try reader.u32() == Self.version else { throw FormatError(description: "lexicon.bin: unsupported version") }
            var tables = LexiconTables()
            tables.maxNameTokens = Int(try reader.u32())
            let entryCount = Int(try reader.u32())
            tables.entries.reserveCapacity(entryCount)
            for _ in 0..<entryCount {
                guard let kind = GazetteerKind(rawValue: try reader.u8()) else { throw FormatError(description: "lexicon.bin: bad kind") }
                let flags = try reader.u8()
                let code = try reader.string()
                let canonical = try reader.string()
                tables.entries.append(GazetteerEntry(kind: kind, code: code, canonical: canonical, lowercaseForm: flags & 1 != 0, requiresCapitals: flags & 2 != 0))
            }
            let pickCount = Int(try reader.u32())
            tables.pickKeys.reserveCapacity(pickCount)
            tables.picks.reserveCapacity(pickCount)
            for _ in 0..<pickCount {
                tables.pickKeys.append(try reader.u64())
                let pick = GazetteerPick(
                    lowercase: Int32(bitPattern: try reader.u32()), capitalized: Int32(bitPattern: try reader.u32()),
                    allCapitals: Int32(bitPattern: try reader.u32()))
                for index in [pick.lowercase, pick.capitalized, pick.allCapitals] where index >= entryCount {
                    throw FormatError(description: "lexicon.bin: entry index \(index) out of range")
                }
                tables.picks.append(pick)
            }
            tables.starts = try reader.list()
            tables.lowercaseStarts = try reader.list()
            tables.prefixes = try reader.list()
            tables.firstNames = try reader.list()
            tables.surnames = try reader.list()
            let currencyCount = Int(try reader.u32())
            for _ in 0..<currencyCount {
                tables.currencyHashes.append(try reader.u64())
                tables.currencyCodes.append(try reader.string())
            }
            guard reader.offset == raw.count else { throw FormatError(description: "lexicon.bin: trailing bytes") }
            return tables
        }
    }

    private struct Reader {
        let raw: UnsafeRawBufferPointer
        var offset = 0

        mutating func bytes(_ n: Int) throws -> UnsafeRawBufferPointer {
            guard n >= 0, offset + n <= raw.count else { throw FormatError(description: "lexicon.bin: truncated at byte \(offset)") }
            defer { offset += n }
            return UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + n)])
        }
        mutating func u8() throws -> UInt8 { try bytes(1)[0] }
        mutating func u16() throws -> UInt16 { UInt16(littleEndian: try bytes(2).loadUnaligned(as: UInt16.self)) }
        mutating func u32() throws -> UInt32 { UInt32(littleEndian: try bytes(4).loadUnaligned(as: UInt32.self)) }
        mutating func u64() throws -> UInt64 { UInt64(littleEndian: try bytes(8).loadUnaligned(as: UInt64.self)) }
        mutating func string() throws -> String {
            let count = Int(try u16())
            return String(decoding: try bytes(count), as: UTF8.self)
        }
        mutating func list() throws -> [UInt64] {
            let count = Int(try u32())
            guard count <= (raw.count - offset) / 8 else { throw FormatError(description: "lexicon.bin: truncated list at byte \(offset)") }
            let block = try bytes(count * 8)
            return (0..<count).map { UInt64(littleEndian: block.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) }
        }
    }
}
