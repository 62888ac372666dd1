import BitextCore
import Foundation

/// Moses-style parallel text: `NAME.en` and `NAME.es`, line k of one the translation of
/// line k of the other (sentence pairs, or paragraph pairs with `segtype: paragraph`).
/// Line breaks inside a segment become spaces; links with an empty side are left out.
public struct MosesWriter: OutputWriter {
    public typealias Options = BilingualWriterOptions
    public static let name: StageID = "moses"
    public static let summary = "Moses parallel text: NAME.en and NAME.es, one aligned segment per line"
    public static let requires: Set<Layer> = [.paragraphAlignment]
    public static let fileExtension = "en"
    public static let writesToStandardOutput = false

    public let options: Options

    public init(options: Options) throws { self.options = try options.validated() }

    public func write(_ unit: WorkUnit, baseName: String) throws -> [OutputFile] {
        let pairs = BilingualPairs(unit, segmentType: options.segmentType, minimumScore: options.minimumScore).pairs
        var english: [UInt8] = []
        var spanish: [UInt8] = []
        for pair in pairs {
            english.append(contentsOf: Self.line(pair.english).utf8)
            english.append(0x0A)
            spanish.append(contentsOf: Self.line(pair.spanish).utf8)
            spanish.append(0x0A)
        }
        return [OutputFile(relativePath: baseName + ".en", contents: english), OutputFile(relativePath: baseName + ".es", contents: spanish)]
    }

    /// One line: vertical white space and tabs as single spaces, trimmed.
    static func line(_ text: String) -> String {
        // Without a byte of any separator (tab, LF, VT, FF, CR; U+2028 and U+2029 start with
        // E2 80), the text is one piece: trimmed, not split Character by Character.
        if !text.utf8.contains(where: { ($0 >= 0x09 && $0 <= 0x0D) || $0 == 0xE2 }) { return text.trimmingCharacters(in: .whitespaces) }
        return text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\u{2028}" || $0 == "\u{2029}" || $0 == "\u{0B}" || $0 == "\u{0C}" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}
