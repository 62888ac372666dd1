import BitextCore
import Foundation

/// Pairs the English and Spanish versions of a document: across the batch by file names
/// and HTML `hreflang` alternates (before anything is read), and inside one file holding a
/// text followed by its translation.
public struct PairDocuments: Stage, BatchPlanning {
    public static let id: StageID = "pair.documents"
    public static let summary = "Pair English and Spanish versions: file-name conventions, a pattern, hreflang alternates, or one mixed file split in two."
    public static let requires: Set<Layer> = [.language]
    public static let produces: Set<Layer> = [.pairs]

    public struct Options: StageOptions, Hashable {
        /// A naming pattern such as `{name}.{lang}.{ext}`, tried before the built-in conventions.
        public var pattern: String?
        /// Pair HTML files through their `<link rel="alternate" hreflang>` tags.
        public var hreflang: Bool
        /// Split a file holding a text and its translation into its two sides.
        public var splitMixed: Bool

        public static let fields = [
            OptionField("pattern", "string", default: "null", "Naming pattern with {name}, {lang}, {ext}, {*}; tried before the built-in conventions."),
            OptionField("hreflang", "boolean", default: "true", "Pair HTML files through <link rel=\"alternate\" hreflang> tags."),
            OptionField("split_mixed", "boolean", default: "true", "Split one file holding a text followed by its translation into two sides."),
        ]
        enum CodingKeys: String, CodingKey { case pattern, hreflang, splitMixed = "split_mixed" }
        public init(pattern: String? = nil, hreflang: Bool = true, splitMixed: Bool = true) {
            self.pattern = pattern
            self.hreflang = hreflang
            self.splitMixed = splitMixed
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            pattern = try c.decodeIfPresent(String.self, forKey: .pattern)
            hreflang = try c.value(.hreflang, or: true)
            splitMixed = try c.value(.splitMixed, or: true)
        }
    }

    public let options: Options
    let conventions: FileNameConventions

    public init(options: Options) throws {
        self.options = options
        conventions = FileNameConventions(pattern: try options.pattern.map(PathPattern.init))
    }

    // MARK: Planning

    public func plan(_ inputs: [InputFile]) -> BatchPlan {
        plan(inputs, sniff: { HreflangSniffer.sniff(path: $0.path) })
    }

    /// Planning with an injectable sniffer (tests give bytes without files).
    public func plan(_ inputs: [InputFile], sniff: (InputFile) -> HTMLLanguageLinks?) -> BatchPlan {
        var notes: [Diagnostic] = []
        var inputs = inputs
        var partner = [Int?](repeating: nil, count: inputs.count)
        var ambiguous = Set<Int>()
        var missingAlternate: [Int: String] = [:]

        // 1. File names.
        let versions = inputs.map { conventions.version(of: $0.relativePath) }
        var byKey: [String: [Int]] = [:]
        for (i, version) in versions.enumerated() {
            if let version {
                byKey[version.key, default: []].append(i)
                if inputs[i].languageHint == nil { inputs[i].languageHint = version.language }
            }
        }
        for key in byKey.keys.sorted() {
            let members = byKey[key]!
            let english = members.filter { versions[$0]!.language == .english }
            let spanish = members.filter { versions[$0]!.language == .spanish }
            if english.count == 1 && spanish.count == 1 {
                partner[english[0]] = spanish[0]
                partner[spanish[0]] = english[0]
            } else if english.count > 1 || spanish.count > 1 {
                let names = members.map { inputs[$0].relativePath }.joined(separator: ", ")
                for i in members {
                    ambiguous.insert(i)
                    notes.append(Diagnostic(.warning, file: inputs[i].path, stage: Self.id.rawValue,
                        message: "ambiguous: several files claim the same document and language (\(names)); left unpaired"))
                }
            }
        }

        // 2. hreflang alternates, for HTML files the names did not pair.
        // (The path tables are made only when some HTML file is left to pair this way.)
        if options.hreflang, inputs.indices.contains(where: { inputs[$0].format == .html && partner[$0] == nil && !ambiguous.contains($0) }) {
            var byPath: [String: Int] = [:]
            var byName: [String: [Int]] = [:]
            for (i, input) in inputs.enumerated() {
                byPath[Self.normalize(input.relativePath)] = i
                byName[FileNameConventions.fileName(input.relativePath), default: []].append(i)
            }
            for i in inputs.indices where inputs[i].format == .html && partner[i] == nil && !ambiguous.contains(i) {
                guard let links = sniff(inputs[i]) else { continue }
                let own = links.language.flatMap { LanguageCode.pairLanguages.contains($0) ? $0 : nil } ?? inputs[i].languageHint
                if inputs[i].languageHint == nil, let own { inputs[i].languageHint = own }
                guard let own else { continue }
                let wanted: LanguageCode = own == .english ? .spanish : .english
                let candidates = Set(links.alternates.filter { $0.language == wanted }.flatMap { alternate -> [Int] in
                    Self.resolve(alternate.href, from: inputs[i].relativePath, byPath: byPath, byName: byName)
                }).filter { $0 != i }
                if candidates.isEmpty, let missing = links.alternates.first(where: { $0.language == wanted }) {
                    missingAlternate[i] = missing.href
                }
                if candidates.count > 1 {
                    let names = candidates.sorted().map { inputs[$0].relativePath }.joined(separator: ", ")
                    notes.append(Diagnostic(.warning, file: inputs[i].path, stage: Self.id.rawValue,
                        message: "ambiguous: hreflang alternate '\(wanted)' matches several inputs (\(names)); left unpaired"))
                    ambiguous.insert(i)
                } else if let j = candidates.first, partner[j] == nil, !ambiguous.contains(j) {
                    partner[i] = j
                    partner[j] = i
                    inputs[i].languageHint = own
                    if inputs[j].languageHint == nil { inputs[j].languageHint = wanted }
                }
            }
        }

        // 3. Units in input order; a pair sits where its first file was, English first.
        var units: [[InputFile]] = []
        var placed = Set<Int>()
        for i in inputs.indices where !placed.contains(i) {
            placed.insert(i)
            if let j = partner[i] {
                placed.insert(j)
                let pair = [inputs[i], inputs[j]]
                units.append(pair[0].languageHint == .spanish ? pair.reversed() : pair)
                continue
            }
            units.append([inputs[i]])
            guard !ambiguous.contains(i) else { continue }
            let message: String
            if FileNameConventions.isBilingualName(inputs[i].relativePath) {
                message = "unpaired: the name marks a file holding both versions; its parts are paired inside it if the text confirms it"
            } else if let version = versions[i] {
                message = "unpaired: no \(version.language == .english ? "Spanish" : "English") version found (\(version.convention))"
            } else {
                message = "unpaired: no language version in the file name\(inputs[i].format == .html && options.hreflang ? " or hreflang alternates" : "")"
            }
            let alternate = missingAlternate[i].map { "; its hreflang alternate '\($0)' is not among the inputs" } ?? ""
            notes.append(Diagnostic(.warning, file: inputs[i].path, stage: Self.id.rawValue, message: message + alternate))
        }
        return BatchPlan(units: units, notes: notes)
    }

    /// Inputs an href may point to: the path resolved against the linking file's directory,
    /// else every input with the same file name.
    static func resolve(_ href: String, from relativePath: String, byPath: [String: Int], byName: [String: [Int]]) -> [Int] {
        var target = href
        if let cut = target.firstIndex(where: { $0 == "#" || $0 == "?" }) { target = String(target[..<cut]) }
        if let scheme = target.range(of: "://") {  // absolute URL: drop scheme and host
            let afterHost = target[scheme.upperBound...].firstIndex(of: "/") ?? target.endIndex
            target = String(target[afterHost...])
        }
        target = target.removingPercentEncoding ?? target
        guard !target.isEmpty else { return [] }
        if !target.hasPrefix("/") {
            let directory = relativePath.split(separator: "/").dropLast().joined(separator: "/")
            if let index = byPath[normalize(directory.isEmpty ? target : directory + "/" + target)] { return [index] }
        } else if let index = byPath[normalize(String(target.dropFirst()))] {
            return [index]
        }
        let name = FileNameConventions.fileName(target)
        return byName[name] ?? []
    }

    /// Removes `.` and `..` components.
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }

    // MARK: Processing

    public func process(_ unit: inout WorkUnit, context: StageContext) throws {
        switch unit.documents.count {
        case 2: pairTwo(&unit)
        case 1: if options.splitMixed { splitOne(&unit) }
        default: break
        }
    }

    /// Two documents: sides from the identified languages, checked against the names.
    func pairTwo(_ unit: inout WorkUnit) {
        // Read in place: `documents.map` made a copy of each document (a retain and a release
        // of each of its arrays) to read one field.
        let identified = (0..<2).map { i in unit.documents[i].languages.first(where: LanguageCode.pairLanguages.contains) }
        let hinted = (0..<2).map { i in i < unit.inputs.count ? unit.inputs[i].languageHint : nil }
        func note(_ message: String, document: Int) {
            unit.diagnostics.append(Diagnostic(.warning, file: unit.documents[document].source.path, stage: Self.id.rawValue, message: message))
        }
        for i in 0..<2 {
            if let h = hinted[i], let t = identified[i], h != t {
                note("the file name says '\(h)' but the text reads as '\(t)'", document: i)
            }
        }
        var english: Int?
        if identified[0] != nil, identified[1] != nil, identified[0] != identified[1] {
            english = identified[0] == .english ? 0 : 1  // the text decides
        } else if let h0 = hinted[0], let h1 = hinted[1], h0 != h1, LanguageCode.pairLanguages.contains(h0), LanguageCode.pairLanguages.contains(h1) {
            english = h0 == .english ? 0 : 1
            note("both documents read as '\(identified[0] ?? identified[1] ?? .undetermined)'; sides follow the file names", document: english == 0 ? 1 : 0)
        }
        guard let english else {
            note("cannot tell which document is English and which Spanish; left unpaired", document: 0)
            return
        }
        let spanish = 1 - english
        unit.sides[.english] = Side(document: english, blocks: LinkPositions(unit.documents[english].blocks.indices))
        unit.sides[.spanish] = Side(document: spanish, blocks: LinkPositions(unit.documents[spanish].blocks.indices))
    }

    /// One document: split at the boundary between a text and its translation, if any.
    func splitOne(_ unit: inout WorkUnit) {
        let document = unit.documents[0]
        guard let split = BilingualSplit.find(in: document) else { return }
        let (first, second) = split.parts(blockCount: document.blocks.count)
        unit.sides[split.first] = Side(document: 0, blocks: LinkPositions(first))
        unit.sides[split.second] = Side(document: 0, blocks: LinkPositions(second))
    }
}
