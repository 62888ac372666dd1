import BitextCore

/// TMX 1.4b translation memory of the aligned pairs, for CAT tools (OmegaT, Trados, …).
///
/// One `<tu>` per sentence pair (or paragraph pair with `segtype: paragraph`), English
/// first, the link's score and flags as `<prop>`s. Links with an empty side are left out.
/// Text is escaped for XML 1.0: characters it cannot carry become U+FFFD.
public struct TMXWriter: OutputWriter {
    public typealias Options = BilingualWriterOptions
    public static let name: StageID = "tmx"
    public static let summary = "TMX 1.4b translation memory of the aligned sentence (or paragraph) pairs"
    public static let requires: Set<Layer> = [.paragraphAlignment]
    public static let fileExtension = "tmx"

    public let options: Options

    public init(options: Options) throws { self.options = try options.validated() }

    public func write(_ unit: WorkUnit, baseName: String) throws -> [OutputFile] {
        [OutputFile(relativePath: baseName + ".tmx", contents: render(unit))]
    }

    public func render(_ unit: WorkUnit) -> [UInt8] {
        let pairs = BilingualPairs(unit, segmentType: options.segmentType, minimumScore: options.minimumScore)
        var xml = XMLBuilder(capacity: 1024 + pairs.pairs.reduce(0) { $0 + $1.english.utf8.count + $1.spanish.utf8.count } * 2)
        xml.open("tmx", [("version", "1.4")])
        xml.open("header", [
            ("creationtool", "bitext"), ("creationtoolversion", BitextVersion.current), ("segtype", pairs.segmentType.rawValue),
            ("o-tmf", "bitext"), ("adminlang", "en"), ("srclang", "en"), ("datatype", "plaintext"), ("o-encoding", "UTF-8"),
        ])
        xml.element("prop", [("type", "x-unit")], text: unit.id)
        xml.close()
        xml.open("body")
        for (index, pair) in pairs.pairs.enumerated() {
            xml.open("tu", [("tuid", String(index + 1))])
            xml.element("prop", [("type", "x-score")], text: JSONWriter.format(pair.score, digits: 3))
            if !pair.flags.isEmpty { xml.element("prop", [("type", "x-flags")], text: pair.flags.joined(separator: " ")) }
            for (language, text) in [("en", pair.english), ("es", pair.spanish)] {
                xml.open("tuv", [("xml:lang", language)])
                xml.element("seg", text: text)
                xml.close()
            }
            xml.close()
        }
        xml.close()
        xml.close()
        return xml.bytes
    }
}
