import BitextCore

/// Splits plain-text documents into blocks (HTML documents already have theirs from their
/// markup, and are left as they are).
public struct SegmentParagraphs: Stage {
    public static let id: StageID = "segment.paragraphs"
    public static let summary = "Split plain text into headings, paragraphs, list items, footnotes and signature blocks."
    public static let requires: Set<Layer> = [.document]
    public static let produces: Set<Layer> = [.blocks]

    public init(options: NoOptions) throws {}

    public func process(_ unit: inout WorkUnit, context: StageContext) throws {
        let segmenter = PlainTextSegmenter()
        for index in unit.documents.indices where unit.documents[index].source.format == .text {
            segmenter.segment(&unit.documents[index])
        }
    }
}
