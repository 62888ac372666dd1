import BitextCore
import Foundation
import Testing

@testable import BitextOutput

/// XLIFF is validated (libxml2, through XMLValidator) against schemas/xliff-core-2.0.xsd, a schema the project wrote from the
/// OASIS XLIFF 2.0 core specification's structural rules (the official OASIS file is not
/// available offline here; see the comment at the top of the schema), and separately checked
/// for well-formedness by xmllint.
@Suite struct XLIFFWriterTests {
    let writer = try! XLIFFWriter(options: XLIFFWriter.Options())

    private func xpath(_ xml: [UInt8], _ expression: String) throws -> String? {
        try runTool("xmllint", ["--nonet", "--xpath", expression, "-"], input: xml).map { $0.output.hasSuffix("\n") ? String($0.output.dropLast()) : $0.output }
    }

    @Test func everyXLIFFFileIsWellFormedAndValidatesAgainstTheCoreSchema() throws {
        let paragraphs = try XLIFFWriter(options: .init(segments: .paragraphs))
        let spanishSource = try XLIFFWriter(options: .init(sourceLanguage: .spanish))
        for unit in try testUnits() {
            for w in [writer, paragraphs, spanishSource] {
                let xml = w.render(unit)
                guard let wellFormed = try runTool("xmllint", ["--noout", "--nonet", "-"], input: xml) else {
                    Issue.record("xmllint is not installed (apt-get install libxml2-utils)")
                    return
                }
                #expect(wellFormed.status == 0, "\(unit.id): \(wellFormed.error)")
                let problems = xmlSchemaProblems(xml, schema: schemaPath("xliff-core-2.0.xsd"))
                #expect(problems == [], "\(unit.id) \(w.options.segments) \(w.options.sourceLanguage)")
            }
        }
    }

    @Test func theSchemaCatchesStructuralMistakes() throws {
        let good = String(decoding: writer.render(trickyUnit()), as: UTF8.self)
        let mistakes = [
            good.replacingOccurrences(of: "version=\"2.0\"", with: "version=\"1.2\""),
            good.replacingOccurrences(of: "<unit id=\"p0\">", with: "<unit id=\"p 0\">"),
            good.replacingOccurrences(of: "state=\"translated\"", with: "state=\"done\""),
            good.replacingOccurrences(of: "<source>", with: "<target>").replacingOccurrences(of: "</source>", with: "</target>"),
        ]
        for bad in mistakes {
            #expect(!xmlSchemaProblems(Array(bad.utf8), schema: schemaPath("xliff-core-2.0.xsd")).isEmpty)
        }
    }

    @Test func sentencePairsBecomeSegmentsInUnitsPerParagraphLink() throws {
        let unit = try annotatedSampleUnit()
        let xml = writer.render(unit)
        let text = String(decoding: xml, as: UTF8.self)
        #expect(text.contains("<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\" srcLang=\"en\" trgLang=\"es\">"))
        let withSource = try #require(unit.sentenceAlignment).filter { !$0.english.isEmpty }.count
        let segments = try #require(try xpath(xml, "count(//*[local-name()='segment'])"))
        // One segment per sentence link, plus one per paragraph link with no sentence links (one-sided).
        let linksWithoutSentences = try #require(unit.alignment).enumerated().filter { index, link in
            !link.english.isEmpty && !(unit.sentenceAlignment ?? []).contains { $0.paragraphLink == index }
        }.count
        #expect(Int(segments) == withSource + linksWithoutSentences)
        #expect(text.contains("<note category=\"bitext-score\">"))
        #expect(text.contains("<note category=\"bitext-flags\">length_ratio</note>") || text.contains("<note category=\"bitext-flags\">many_to_one</note>"))
    }

    @Test func idsAreUniqueNMTokens() throws {
        for unit in try testUnits() {
            let xml = writer.render(unit)
            let units = try #require(try xpath(xml, "//*[local-name()='unit']/@id")).split(separator: "\n")
            let segments = try #require(try xpath(xml, "//*[local-name()='segment']/@id")).split(separator: "\n")
            for ids in [units, segments] {
                #expect(Set(ids).count == ids.count, "\(unit.id)")
                #expect(ids.allSatisfy { $0.wholeMatch(of: /\s*id="[A-Za-z0-9._:-]+"/) != nil }, "\(ids.prefix(3))")
            }
        }
    }

    @Test func textRoundTripsThroughAnXMLParser() throws {
        let xml = writer.render(trickyUnit())
        let source = try #require(try xpath(xml, "string((//*[local-name()='segment'])[1]/*[local-name()='source'])"))
        let target = try #require(try xpath(xml, "string((//*[local-name()='segment'])[1]/*[local-name()='target'])"))
        #expect(source == "Tom & Jerry <b>\"quoted\"</b> 'single' </script><script>alert(1)</script>")
        #expect(target == "Tom y Jerry <b>«citado»</b> 'simple' </script>")
        // A control character XML cannot hold becomes XLIFF's <cp>.
        let text = String(decoding: xml, as: UTF8.self)
        #expect(text.contains("Control <cp hex=\"0001\"/> char and emoji 😀 at 5 &lt; 6 &gt; 4."))
    }

    @Test func unpairedUnitsGiveSourceOnlySegments() throws {
        let unit = try sampleUnit("oas-haiti-peacekeeping-letter.en.txt")
        let xml = writer.render(unit)
        let text = String(decoding: xml, as: UTF8.self)
        #expect(!text.contains("trgLang"))
        #expect(!text.contains("<target"))
        #expect(try xpath(xml, "count(//*[local-name()='segment'])").flatMap { Int($0) } == unit.documents[0].blocks.count)
    }

    @Test func paragraphGranularityAndDirection() throws {
        let unit = try annotatedSampleUnit()
        let paragraphs = try XLIFFWriter(options: .init(segments: .paragraphs)).render(unit)
        let withEnglish = try #require(unit.alignment).filter { !$0.english.isEmpty }.count
        #expect(try xpath(paragraphs, "count(//*[local-name()='segment'])").flatMap { Int($0) } == withEnglish)
        let reversed = String(decoding: try XLIFFWriter(options: .init(sourceLanguage: .spanish)).render(unit), as: UTF8.self)
        #expect(reversed.contains("srcLang=\"es\" trgLang=\"en\""))
        #expect(reversed.contains("<source>La Misión Multinacional"))
        #expect(throws: OptionError.self) { try XLIFFWriter.Options(sourceLanguage: "fr") }
    }
}
