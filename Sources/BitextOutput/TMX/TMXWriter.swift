import BitextCore

/// TMX 1.4b translation memory of the aligned pairs, for CAT tools (OmegaT, Trados, …).
///
/// One `<tu>` per sentence pair (or paragraph pair with `segtype: paragraph`), English
/// first, the link's score and flags as `<prop>`s. Links with an empty side are left out.
/// Text is escaped for XML 1.0: characters it cannot carry become U+FFFD.
public struct TMXWriter: StreamingOutputWriter {
    public typealias Options = BilingualWriterOptions
    public static let name: StageID = "tmx"
    public static let summary = "TMX 1.4b translation memory of the aligned sentence (or paragraph) pairs"
    public static let requires: Set<Layer> = [.paragraphAlignment]
    public static let fileExtension = "tmx"

    public let options: Options

    public init(options: Options) throws { self.options = try options.validated() }

    public func stream(_ unit: WorkUnit, baseName: String, to sink: inout some OutputSink) throws {
        try StreamedOutput.streamXML(baseName + ".tmx", to: &sink) { try render(unit, into: &$0, flush: $1) }
    }

    /// The whole file at once.
    public func render(_ unit: WorkUnit) -> [UInt8] {
        var xml = XMLBuilder()
        render(unit, into: &xml) { _ in }
        return xml.bytes
    }

    /// Writes the unit; `flush` is called after each `<tu>`.
    private func render(_ unit: WorkUnit, into xml: inout XMLBuilder, flush: (inout XMLBuilder) throws -> Void) rethrows {
        let pairs = BilingualPairs(unit, segmentType: options.segmentType, minimumScore: options.minimumScore)
        xml.open("tmx", [("version", "1.4")])
        xml.open("header", [
            ("creationtool", "bitext"), ("creationtoolversion", BitextVersion.current), ("segtype", pairs.segmentType.rawValue),
            ("o-tmf", "bitext"), ("adminlang", "en"), ("srclang", "en"), ("datatype", "plaintext"), ("o-encoding", "UTF-8"),
        ])
        xml.element("prop", [("type", "x-unit")], text: unit.id)
        xml.close()
        xml.open("body")
        var index = 0
        try pairs.forEach { pair in
            index += 1
            xml.begin("tu")
            xml.attribute("tuid", index)
            xml.endOpen("tu")
            xml.begin("prop")
            xml.attribute("type", "x-score")
            xml.endText("prop", JSONWriter.format(pair.score, digits: 3))
            if !pair.flags.isEmpty {
                xml.begin("prop")
                xml.attribute("type", "x-flags")
                xml.endText("prop", pair.flags.joined(separator: " "))
            }
            writeVariant("en", pair.english, &xml)
            writeVariant("es", pair.spanish, &xml)
            xml.close()
            try flush(&xml)
        }
        xml.close()
        xml.close()
    }

    /// `<tuv xml:lang="…"><seg>text</seg></tuv>`.
    private func writeVariant(_ language: String, _ text: String, _ xml: inout XMLBuilder) {
        xml.begin("tuv")
        xml.attribute("xml:lang", language)
        xml.endOpen("tuv")
        xml.begin("seg")
        xml.endText("seg", text)
        xml.close()
    }
}
