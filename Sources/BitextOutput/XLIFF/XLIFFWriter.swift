import BitextCore

/// XLIFF 2.0 (OASIS, core only) for CAT tools: one `<unit>` per paragraph link, one
/// `<segment>` per sentence pair inside it (or one per paragraph pair with `units: paragraphs`),
/// the link's score and flags as `<note>`s. Unaligned units give source-only segments.
public struct XLIFFWriter: OutputWriter {
    public static let name: StageID = "xliff"
    public static let summary = "XLIFF 2.0 bilingual file: sentence pairs as segments, grouped in units per paragraph link."
    public static let fileExtension = "xlf"
    public static let namespace = "urn:oasis:names:tc:xliff:document:2.0"

    public enum Granularity: String, Sendable, Decodable { case sentences, paragraphs }

    public struct Options: StageOptions {
        public var segments: Granularity
        public var sourceLanguage: LanguageCode
        public static let fields = [
            OptionField("segments", "sentences|paragraphs", default: "sentences", "Segment per sentence pair (paragraph pairs when the unit has no sentence alignment), or per paragraph pair."),
            OptionField("source", "en|es", default: "en", "The source language; the other one is the target."),
        ]
        enum CodingKeys: String, CodingKey { case segments, source }
        public init(segments: Granularity = .sentences, sourceLanguage: LanguageCode = .english) throws {
            guard LanguageCode.pairLanguages.contains(sourceLanguage) else {
                throw OptionError(option: "source", "must be en or es, not '\(sourceLanguage)'")
            }
            self.segments = segments
            self.sourceLanguage = sourceLanguage
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let raw = try c.value(.segments, or: "sentences")
            guard let segments = Granularity(rawValue: raw) else {
                throw OptionError(option: "segments", "must be sentences or paragraphs, not '\(raw)'")
            }
            try self.init(segments: segments, sourceLanguage: LanguageCode(try c.value(.source, or: "en")))
        }
    }

    public let options: Options
    public init(options: Options) throws { self.options = options }

    public func write(_ unit: WorkUnit, baseName: String) throws -> [OutputFile] {
        [OutputFile(relativePath: baseName + ".xlf", contents: render(unit))]
    }

    public func render(_ unit: WorkUnit) -> [UInt8] {
        let view = UnitView(unit)
        let source = options.sourceLanguage
        let target: LanguageCode = source == .english ? .spanish : .english
        let paired = unit.isPaired && unit.alignment != nil
        // An unpaired unit: its first language's paragraphs, source only.
        let sourceKey = paired ? source : (view.languages.first(where: { $0 == source }) ?? view.languages.first ?? source)
        let sourceTag = Self.languageTag(sourceKey)
        var xml = XMLBuilder(capacity: 4096 + unit.documents.reduce(0) { $0 + $1.text.utf8.count } * 2)
        xml.open("xliff", [
            ("xmlns", Self.namespace), ("version", "2.0"), ("srcLang", sourceTag), ("trgLang", paired ? target.rawValue : nil),
        ])
        let original = view.paragraphs[sourceKey]?.first.map { unit.documents[$0.document].source.path } ?? unit.inputs.first?.path
        xml.open("file", [("id", "f1"), ("original", original)])
        var wroteUnit = false
        if paired {
            let sentenceLinks = Dictionary(grouping: PairRecords.sentenceRecords(view), by: { $0.link ?? -1 })
            for record in PairRecords.paragraphRecords(view) {
                guard let sourceSide = record.side(source) else { continue }  // target-only: nothing to translate
                var segments = [record]
                if options.segments == .sentences, let link = record.link,
                   let sentences = sentenceLinks[link]?.filter({ $0.side(source) != nil }), !sentences.isEmpty {
                    segments = sentences
                }
                writeUnit(record, segments: segments, fallbackSource: sourceSide, source: source, target: target, &xml)
                wroteUnit = true
            }
        } else {
            for record in PairRecords.paragraphRecords(view) {
                guard let side = record.side(sourceKey) else { continue }
                writeUnit(record, segments: [record], fallbackSource: side, source: sourceKey, target: target, &xml)
                wroteUnit = true
            }
        }
        if !wroteUnit {
            // XLIFF requires at least one unit per file: an empty document gives one empty segment.
            xml.open("unit", [("id", "empty")])
            xml.open("segment", [("id", "empty")])
            xml.element("source", [], text: "")
            xml.close()
            xml.close()
        }
        xml.close()
        xml.close()
        return xml.bytes
    }

    private func writeUnit(_ record: PairRecord, segments: [PairRecord], fallbackSource: PairRecord.Side, source: LanguageCode, target: LanguageCode, _ xml: inout XMLBuilder) {
        xml.open("unit", [("id", record.localID)])
        var notes: [(String, String)] = []
        if let score = record.score { notes.append(("bitext-score", JSONWriter.format(score, digits: 4))) }
        if !record.flags.isEmpty { notes.append(("bitext-flags", record.flags.joined(separator: " "))) }
        notes.append(("bitext-location", "\(fallbackSource.sourcePath) bytes \(fallbackSource.sourceStart)-\(fallbackSource.sourceEnd)"))
        xml.open("notes")
        for (category, text) in notes { xml.element("note", [("category", category)], text: text) }
        xml.close()
        for segment in segments {
            let sourceSide = segment.side(source)
            let targetSide = segment.side(target)
            let state = targetSide == nil ? "initial" : "translated"
            xml.open("segment", [("id", segment.kind == .sentencePair ? segment.localID : "\(segment.localID)-1"), ("state", state)])
            writeContent("source", sourceSide?.text ?? "", &xml)
            if let targetSide { writeContent("target", targetSide.text, &xml) }
            xml.close()
        }
        xml.close()
    }

    /// `<source>`/`<target>` with text; characters XML cannot carry become `<cp hex="…"/>`
    /// (XLIFF's own escape); line breaks and runs of spaces keep `xml:space="preserve"`.
    private func writeContent(_ name: String, _ text: String, _ xml: inout XMLBuilder) {
        let preserve = text.contains("\n") || text.contains("  ") || text.hasPrefix(" ") || text.hasSuffix(" ") || text.contains("\t")
        xml.element(name, [("xml:space", preserve ? "preserve" : nil)], raw: Self.inlineContent(text))
    }

    static func inlineContent(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        var run = ""
        for scalar in text.unicodeScalars {
            let v = scalar.value
            let forbidden = (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || v == 0xFFFE || v == 0xFFFF
            if forbidden || v == 0x0D {
                XMLEscaping.appendText(run, to: &out)
                run = ""
                let hex = String(v, radix: 16, uppercase: true)
                out += Array("<cp hex=\"\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex)\"/>".utf8)
            } else {
                run.unicodeScalars.append(scalar)
            }
        }
        XMLEscaping.appendText(run, to: &out)
        return out
    }

    /// A BCP 47 tag for a view key: `en-2` (a second English document) is still `en`.
    static func languageTag(_ key: LanguageCode) -> String {
        let parts = key.rawValue.split(separator: "-")
        if parts.count == 2, Int(parts[1]) != nil { return String(parts[0]) }
        return key.rawValue
    }
}
