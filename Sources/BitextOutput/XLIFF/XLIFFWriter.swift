import BitextCore

/// XLIFF 2.0 (OASIS, core only) for CAT tools: one `<unit>` per paragraph link, one
/// `<segment>` per sentence pair inside it (or one per paragraph pair with `units: paragraphs`),
/// the link's score and flags as `<note>`s, entities as `<mrk>` markers whose ids correspond
/// across source and target. Unaligned units give source-only segments.
public struct XLIFFWriter: StreamingOutputWriter {
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

    public func stream(_ unit: WorkUnit, baseName: String, to sink: inout some OutputSink) throws {
        try StreamedOutput.streamXML(baseName + ".xlf", to: &sink) { try render(unit, into: &$0, flush: $1) }
    }

    /// The whole file at once.
    public func render(_ unit: WorkUnit) -> [UInt8] {
        var xml = XMLBuilder(capacity: 4096 + unit.documents.reduce(0) { $0 + $1.text.utf8.count } * 2)
        render(unit, into: &xml) { _ in }
        return xml.bytes
    }

    /// Writes the unit; `flush` is called after each `<unit>`. Records are made one link at a
    /// time (with its sentence pairs), never all at once.
    private func render(_ unit: WorkUnit, into xml: inout XMLBuilder, flush: (inout XMLBuilder) throws -> Void) rethrows {
        let view = UnitView(unit)
        let lists = PairRecords.UnitLists(view)
        let source = options.sourceLanguage
        let target: LanguageCode = source == .english ? .spanish : .english
        let paired = unit.isPaired && unit.alignment != nil
        // An unpaired unit: its first language's paragraphs, source only.
        let sourceKey = paired ? source : (view.languages.first(where: { $0 == source }) ?? view.languages.first ?? source)
        let sourceTag = Self.languageTag(sourceKey)
        xml.open("xliff", [
            ("xmlns", Self.namespace), ("version", "2.0"), ("srcLang", sourceTag), ("trgLang", paired ? target.rawValue : nil),
        ])
        let original = view.paragraphs[sourceKey]?.first.map { unit.documents[$0.document].source.path } ?? unit.inputs.first?.path
        xml.open("file", [("id", "f1"), ("original", original)])
        var wroteUnit = false
        if paired {
            // Each paragraph link's sentence links, by index, grouped with a counting sort (a
            // dictionary of arrays: its arrays alone took 6.9 MB on a 23 MB pair, heaptrack).
            let sentenceLinks = options.segments == .sentences
                ? UnitView.ParagraphGroups(paragraphs: (unit.sentenceAlignment ?? []).lazy.map(\.paragraphLink)) : UnitView.ParagraphGroups(paragraphs: [])
            // Records in outline (no text, no entities): a link's unit holds its sentence pairs,
            // and only a link without any needs the paragraphs' text.
            try PairRecords.forEachParagraphRecord(view, lists: lists, outline: true) { record in
                guard let sourceSide = record.side(source) else { return }  // target-only: nothing to translate
                var segments: [PairRecord] = []
                if let link = record.link {
                    segments = sentenceLinks.positions(of: link).map { PairRecords.sentenceRecord($0, view: view, lists: lists) }.filter { $0.side(source) != nil }
                }
                if segments.isEmpty { segments = [PairRecords.filled(record, view: view, lists: lists)] }
                writeUnit(record, segments: segments, fallbackSource: sourceSide, source: source, target: target, &xml)
                wroteUnit = true
                try flush(&xml)
            }
        } else {
            try PairRecords.forEachParagraphRecord(view, lists: lists) { record in
                guard let side = record.side(sourceKey) else { return }
                writeUnit(record, segments: [record], fallbackSource: side, source: sourceKey, target: target, &xml)
                wroteUnit = true
                try flush(&xml)
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
    }

    private func writeUnit(_ record: PairRecord, segments: [PairRecord], fallbackSource: PairRecord.Side, source: LanguageCode, target: LanguageCode, _ xml: inout XMLBuilder) {
        xml.begin("unit")
        xml.attribute("id", record.localID)
        xml.endOpen("unit")
        xml.open("notes")
        if let score = record.score { note("bitext-score", JSONWriter.format(score, digits: 4), &xml) }
        if !record.flags.isEmpty { note("bitext-flags", record.flags.joined(separator: " "), &xml) }
        note("bitext-location", "\(fallbackSource.sourcePath) bytes \(fallbackSource.sourceStart)-\(fallbackSource.sourceEnd)", &xml)
        xml.close()
        var markers = MarkerIDs()
        for segment in segments {
            let sourceSide = segment.side(source)
            let targetSide = segment.side(target)
            xml.begin("segment")
            xml.attribute("id", segment.kind == .sentencePair ? segment.localID : segment.localID + "-1")
            xml.attribute("state", targetSide == nil ? "initial" : "translated")
            xml.endOpen("segment")
            writeContent("source", sourceSide, isTarget: false, &markers, &xml)
            if let targetSide { writeContent("target", targetSide, isTarget: true, &markers, &xml) }
            xml.close()
        }
        xml.close()
    }

    private func note(_ category: String, _ text: String, _ xml: inout XMLBuilder) {
        xml.begin("note")
        xml.attribute("category", category)
        xml.endText("note", text)
    }

    /// Ids of `<mrk>` markers in one unit: unique in the source and in the target; a target
    /// marker takes the id of the source marker of the same entity (same `link`), which is how
    /// XLIFF says that two markers correspond.
    struct MarkerIDs {
        private var next = 0
        private var sourceIDs: [String: String] = [:]
        private var usedInSource: Set<String> = []
        private var usedInTarget: Set<String> = []

        mutating func id(link: String?, isTarget: Bool) -> String {
            if let link {
                if isTarget, let id = sourceIDs[link], !usedInTarget.contains(id) {
                    usedInTarget.insert(id)
                    return id
                }
                if !isTarget, sourceIDs[link] == nil {
                    next += 1
                    let id = "m\(next)"
                    sourceIDs[link] = id
                    usedInSource.insert(id)
                    return id
                }
            }
            next += 1
            let id = "m\(next)"
            if isTarget { usedInTarget.insert(id) } else { usedInSource.insert(id) }
            return id
        }
    }

    /// `<source>`/`<target>` with text; entity mentions as `<mrk type="bitext:KIND"
    /// value="NORMALIZED">`; characters XML cannot carry become `<cp hex="…"/>` (XLIFF's own
    /// escape); line breaks and runs of spaces keep `xml:space="preserve"`.
    private func writeContent(_ name: StaticString, _ side: PairRecord.Side?, isTarget: Bool, _ markers: inout MarkerIDs, _ xml: inout XMLBuilder) {
        // Read as bytes: `String.contains(String)` and a string built scalar by scalar went
        // through Foundation's search and cost more than the rest of the writer.
        let bytes = Array((side?.text ?? "").utf8)
        var content: [UInt8] = []
        content.reserveCapacity(bytes.count + 16)
        var cursor = 0
        if let side {
            let spans = zip(side.entities, side.entitySpans).compactMap { mention, span in span.map { ($0, mention) } }
                .sorted { $0.0.lowerBound != $1.0.lowerBound ? $0.0.lowerBound < $1.0.lowerBound : $0.0.upperBound > $1.0.upperBound }
            for (span, mention) in spans where span.lowerBound >= cursor {
                Self.appendInlineContent(bytes[cursor..<span.lowerBound], to: &content)
                content += "<mrk id=\"".utf8
                content += markers.id(link: mention.entity.link, isTarget: isTarget).utf8
                content += "\" type=\"bitext:".utf8
                content += PairRecords.xmlNameSafe(mention.entity.kind).utf8
                content += "\"".utf8
                if let normalized = mention.entity.normalized {
                    content += " value=\"".utf8
                    XMLEscaping.appendAttribute(normalized, to: &content)
                    content += "\"".utf8
                }
                content += ">".utf8
                Self.appendInlineContent(bytes[span], to: &content)
                content += "</mrk>".utf8
                cursor = span.upperBound
            }
        }
        Self.appendInlineContent(bytes[cursor...], to: &content)
        xml.begin(name)
        if Self.needsPreservedSpace(bytes) { xml.attribute("xml:space", "preserve") }
        xml.endRaw(name, content)
    }

    /// Whether white space in the text would change under XML's default handling: line
    /// breaks, tabs, runs of spaces, a space at either end.
    static func needsPreservedSpace(_ utf8: [UInt8]) -> Bool {
        if utf8.first == 0x20 || utf8.last == 0x20 { return true }
        var previous: UInt8 = 0
        for byte in utf8 {
            if byte == 0x0A || byte == 0x09 || (byte == 0x20 && previous == 0x20) { return true }
            previous = byte
        }
        return false
    }

    /// Text as XLIFF inline content: escaped, and the characters XML cannot carry (C0
    /// controls, CR, U+FFFE, U+FFFF) as `<cp hex="…"/>`.
    static func appendInlineContent(_ utf8: ArraySlice<UInt8>, to out: inout [UInt8]) {
        var runStart = utf8.startIndex
        var i = utf8.startIndex
        while i < utf8.endIndex {
            if utf8.endIndex - i >= 8 {
                // Eight bytes with no control and no 0xEF: none is a `<cp>` (the escaping
                // below reads the run again, as it reads every run).
                let word = utf8.withUnsafeBufferPointer { ByteWords.load($0, at: i - utf8.startIndex) }
                if !ByteWords.containsBelow(word, 0x20) && !ByteWords.contains(word, 0xEF) {
                    i += 8
                    continue
                }
            }
            let byte = utf8[i]
            let scalar: UInt32?
            if byte < 0x20 && byte != 0x09 && byte != 0x0A {
                scalar = UInt32(byte)
            } else if byte == 0xEF, i + 2 < utf8.endIndex, utf8[i + 1] == 0xBF, utf8[i + 2] == 0xBE || utf8[i + 2] == 0xBF {
                scalar = utf8[i + 2] == 0xBE ? 0xFFFE : 0xFFFF
            } else {
                scalar = nil
            }
            guard let scalar else {
                i += 1
                continue
            }
            XMLEscaping.appendText(utf8: utf8[runStart..<i], to: &out)
            let hex = String(scalar, radix: 16, uppercase: true)
            out += "<cp hex=\"\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex)\"/>".utf8
            i += scalar > 0xFF ? 3 : 1
            runStart = i
        }
        XMLEscaping.appendText(utf8: utf8[runStart..<utf8.endIndex], to: &out)
    }

    /// A BCP 47 tag for a view key: `en-2` (a second English document) is still `en`.
    static func languageTag(_ key: LanguageCode) -> String {
        // (Most keys have no `-`: given back without splitting, for every review row.)
        guard key.rawValue.utf8.contains(UInt8(ascii: "-")) else { return key.rawValue }
        let parts = key.rawValue.split(separator: "-")
        if parts.count == 2, Int(parts[1]) != nil { return String(parts[0]) }
        return key.rawValue
    }
}
