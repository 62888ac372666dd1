import BitextCore
import Foundation

/// Writes `bitext`'s normalized XML, in the namespace `urn:bitext:document:1`: the same
/// content as the JSON, element for object. Described by `schemas/bitext-document.xsd`.
public struct XMLDocumentWriter: StreamingOutputWriter {
    public static let name: StageID = "xml"
    public static let summary = "Normalized XML (namespace urn:bitext:document:1): the JSON's content as elements."
    public static let fileExtension = "xml"
    public static let namespace = "urn:bitext:document:1"

    public init(options: NoOptions) throws {}

    public func stream(_ unit: WorkUnit, baseName: String, to sink: inout some OutputSink) throws {
        try StreamedOutput.streamXML(baseName + ".xml", to: &sink) { try render(unit, into: &$0, flush: $1) }
    }

    /// Kind-specific facts (block and entity `attributes`) as attributes in their own namespace,
    /// so that the schema can accept any key there and still check every other attribute.
    public static let attributesNamespace = "urn:bitext:attributes:1"

    static func extra(_ map: [String: String]) -> [(String, String?)] {
        map.keys.sorted().map { key in
            var name = PairRecords.xmlNameSafe(key)
            if let first = name.unicodeScalars.first, !(first == "_" || (first >= "a" && first <= "z") || (first >= "A" && first <= "Z")) { name = "_" + name }
            return ("a:" + name, map[key])
        }
    }

    private static func number(_ value: Double?) -> String? { value.map { JSONWriter.format($0, digits: 4) } }

    /// The whole document at once.
    public func render(_ unit: WorkUnit) -> [UInt8] {
        var xml = XMLBuilder(capacity: 2048 + unit.documents.reduce(0) { $0 + $1.text.utf8.count } * 2)
        render(unit, into: &xml) { _ in }
        return xml.bytes
    }

    /// Writes the unit; `flush` is called after each element of the long lists (paragraphs,
    /// sentences, links, entities), so that a streaming caller can pass the bytes on.
    private func render(_ unit: WorkUnit, into xml: inout XMLBuilder, flush: (inout XMLBuilder) throws -> Void) rethrows {
        let view = UnitView(unit)
        xml.open("bitext", [
            ("xmlns", Self.namespace), ("xmlns:a", Self.attributesNamespace), ("format-version", "1"), ("generator", "bitext \(BitextVersion.current)"),
            ("id", unit.id), ("offset-unit", "utf8"), ("paired", unit.isPaired ? "true" : "false"),
        ])
        xml.open("documents")
        for (index, document) in unit.documents.enumerated() {
            let attributes: [(String, String?)] = [
                ("index", String(index)), ("path", document.source.path), ("format", document.source.format.rawValue),
                ("encoding", document.source.encoding), ("bytes", String(document.source.byteCount)),
                ("languages", document.languages.map(\.rawValue).joined(separator: " ")),
            ]
            guard !document.languageRuns.isEmpty || !document.languageHints.isEmpty else {
                xml.element("document", attributes)
                continue
            }
            xml.open("document", attributes)
            for run in document.languageRuns {
                xml.element("language-run", [("lang", run.language.rawValue), ("first-block", String(run.firstBlock)), ("last-block", String(run.lastBlock))])
            }
            for hint in document.languageHints {
                xml.element("language-hint", [("source", hint.source.rawValue), ("lang", hint.language.rawValue), ("href", hint.href), ("block", hint.block.map(String.init))])
            }
            xml.close()
        }
        xml.close()
        for language in view.languages {
            xml.open("paragraphs", [("lang", language.rawValue)])
            for p in view.paragraphs[language] ?? [] {
                let info = p.info
                xml.begin("p")
                xml.attribute("index", p.index)
                xml.attribute("document", p.document)
                xml.attribute("block", p.block)
                xml.attribute("kind", info.kind.rawValue)
                xml.attribute("level", info.level)
                xml.attribute("marker", info.marker)
                xml.attribute("start", info.range.start)
                xml.attribute("end", info.range.end)
                xml.attribute("source-start", p.sourceStart)
                xml.attribute("source-end", p.sourceEnd)
                xml.attribute("line", info.position.line)
                xml.attribute("column", info.position.column)
                xml.attribute("lang", info.language?.rawValue)
                xml.attribute("lang-confidence", Self.number(info.languageConfidence))
                if !info.flags.isEmpty { xml.attribute("flags", words: info.flags) }
                let extra = info.attributes
                if !extra.isEmpty { xml.attributes(Self.extra(extra)) }
                xml.endText("p", p.text)
                try flush(&xml)
            }
            xml.close()
        }
        if view.sentences.values.contains(where: { !$0.isEmpty }) {
            for language in view.languages {
                xml.open("sentences", [("lang", language.rawValue)])
                for s in view.sentences[language] ?? [] {
                    xml.begin("s")
                    xml.attribute("index", s.index)
                    xml.attribute("paragraph", s.paragraph)
                    xml.attribute("start", s.range.start)
                    xml.attribute("end", s.range.end)
                    xml.attribute("source-start", s.sourceStart)
                    xml.attribute("source-end", s.sourceEnd)
                    xml.endText("s", s.text)
                    try flush(&xml)
                }
                xml.close()
            }
        }
        if let alignment = unit.alignment {
            xml.open("alignment")
            for link in alignment {
                xml.begin("link")
                xml.attribute("en", list: link.english)
                xml.attribute("es", list: link.spanish)
                xml.attribute("score", Self.number(link.score))
                xml.attribute("flags", words: link.flags)
                guard let explanation = link.explanation, !explanation.isEmpty else {
                    xml.endEmpty()
                    try flush(&xml)
                    continue
                }
                xml.endOpen("link")
                for key in explanation.keys.sorted() { xml.element("explanation", [("key", key), ("value", explanation[key])]) }
                xml.close()
                try flush(&xml)
            }
            xml.close()
        }
        if let sentenceAlignment = unit.sentenceAlignment {
            xml.open("sentence-alignment")
            for link in sentenceAlignment {
                xml.begin("link")
                xml.attribute("paragraph-link", link.paragraphLink)
                xml.attribute("en", list: link.english)
                xml.attribute("es", list: link.spanish)
                xml.attribute("score", Self.number(link.score))
                xml.attribute("flags", words: link.flags)
                xml.endEmpty()
                try flush(&xml)
            }
            xml.close()
        }
        if view.entities.values.contains(where: { !$0.isEmpty }) {
            for language in view.languages {
                xml.open("entities", [("lang", language.rawValue)])
                for m in view.entities[language] ?? [] {
                    let entity = m.entity
                    xml.begin("entity")
                    xml.attribute("kind", entity.kind)
                    xml.attribute("paragraph", m.paragraph)
                    xml.attribute("start", entity.range.start)
                    xml.attribute("end", entity.range.end)
                    xml.attribute("normalized", entity.normalized)
                    xml.attribute("link", entity.link)
                    let extra = entity.attributes
                    if !extra.isEmpty { xml.attributes(Self.extra(extra)) }
                    xml.endText("entity", m.text)
                    try flush(&xml)
                }
                xml.close()
            }
        }
        if view.marks.values.contains(where: { !$0.isEmpty }) {
            for language in view.languages {
                xml.open("marks", [("lang", language.rawValue)])
                for m in view.marks[language] ?? [] {
                    xml.begin("mark")
                    xml.attribute("kind", m.mark.kind.rawValue)
                    xml.attribute("paragraph", m.paragraph)
                    xml.attribute("start", m.mark.range.start)
                    xml.attribute("end", m.mark.range.end)
                    xml.attribute("value", m.mark.value)
                    xml.attribute("href", m.mark.href)
                    xml.attribute("target", m.targetParagraph)
                    xml.endEmpty()
                    try flush(&xml)
                }
                xml.close()
            }
        }
        let removed = unit.documents.enumerated().flatMap { index, document in document.removed.map { (index, $0) } }
        if !removed.isEmpty {
            xml.open("removed")
            for (document, item) in removed {
                xml.element("item", [
                    ("document", String(document)), ("reason", item.reason), ("line", String(item.position.line)),
                    ("element-path", item.elementPath), ("characters", String(item.characters)),
                ], text: item.excerpt)
                try flush(&xml)
            }
            xml.close()
        }
        let diagnostics = unit.documents.flatMap(\.diagnostics) + unit.diagnostics
        if !diagnostics.isEmpty {
            xml.open("diagnostics")
            for d in diagnostics {
                xml.element("diagnostic", [
                    ("severity", d.severity.rawValue), ("file", d.file), ("line", d.position.map { String($0.line) }),
                    ("column", d.position.map { String($0.column) }), ("byte", d.byteOffset.map(String.init)), ("stage", d.stage),
                ], text: d.message)
                try flush(&xml)
            }
            xml.close()
        }
        xml.close()
    }
}
