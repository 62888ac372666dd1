import BitextCore
import Foundation
import Testing
import BitextHTML

@testable import BitextOutput

/// Validates XML against an XSD with libxml2, through bitext's one libxml2 wrapper
/// (`BitextHTML.XMLValidator`). Returns libxml2's messages; empty means valid.
func xmlSchemaProblems(_ xml: [UInt8], schema: String) -> [String] {
    XMLValidator.validate(xml: xml, againstSchema: schema)
}

/// Validates JSON documents or JSON Lines files with Python's `jsonschema` (draft 2020-12)
/// through scripts/validate-json.py. nil when python3 or jsonschema is missing.
func jsonSchemaProblems(files: [String], schema: String) throws -> [String]? {
    let script = repositoryRoot.appendingPathComponent("scripts/validate-json.py").path
    guard let result = try runTool("python3", [script, schema] + files), result.status != 3 else { return nil }
    if result.status == 0 { return [] }
    return result.output.split(separator: "\n").map(String.init) + [result.error]
}

let xmlWriter = try! XMLDocumentWriter(options: NoOptions())

@Suite struct SchemaValidationTests {
    @Test func everyXMLDocumentValidatesAgainstTheSchema() throws {
        for unit in try testUnits() {
            let xml = xmlWriter.render(unit)
            #expect(xmlSchemaProblems(xml, schema: schemaPath("bitext-document.xsd")) == [], "\(unit.id)")
        }
    }

    @Test func theSchemaRejectsWhatTheFormatForbids() throws {
        var xml = String(decoding: xmlWriter.render(trickyUnit()), as: UTF8.self)
        xml = xml.replacingOccurrences(of: "kind=\"paragraph\"", with: "kind=\"chapter\"")
        #expect(xmlSchemaProblems(Array(xml.utf8), schema: schemaPath("bitext-document.xsd")).contains { $0.contains("chapter") })
        let undeclared = String(decoding: xmlWriter.render(trickyUnit()), as: UTF8.self)
            .replacingOccurrences(of: "<alignment>", with: "<alignment color=\"red\">")
        #expect(!xmlSchemaProblems(Array(undeclared.utf8), schema: schemaPath("bitext-document.xsd")).isEmpty)
    }

    @Test func xmlCarriesAnnotationsAndEscapes() throws {
        let xml = String(decoding: xmlWriter.render(trickyUnit()), as: UTF8.self)
        #expect(xml.contains("<bitext xmlns=\"urn:bitext:document:1\" xmlns:a=\"urn:bitext:attributes:1\""))
        #expect(xml.contains("a:element_path=\"/html/body/p[1]\""))
        #expect(xml.contains("a:_9bad_key=\"x&amp;y\""))
        #expect(xml.contains("Tom &amp; Jerry &lt;b&gt;\"quoted\"&lt;/b&gt;"))
        #expect(xml.contains("link=\"e-&quot;emoji&quot;&lt;&amp;&gt;\""))
        #expect(xml.contains("Control \u{FFFD} char and emoji 😀"))
        #expect(xml.contains("<explanation key=\"number_mismatch\" value=\"4 &lt; 5 &amp; &quot;6&quot; differ\"/>"))
        #expect(xml.contains("<mark kind=\"bold\" paragraph=\"0\""))
    }

    @Test func everyJSONDocumentValidatesAgainstTheSchema() throws {
        let directory = try artifactDirectory("json-schema")
        var files: [String] = []
        for (n, unit) in try testUnits().enumerated() {
            for writer in [try JSONDocumentWriter(options: JSONDocumentWriter.Options()), try JSONDocumentWriter(options: .init(includeText: true, pretty: false))] {
                let url = directory.appendingPathComponent("unit\(n)-\(writer.options.pretty).json")
                try Data(writer.render(unit)).write(to: url)
                files.append(url.path)
            }
        }
        guard let problems = try jsonSchemaProblems(files: files, schema: schemaPath("bitext-document.schema.json")) else {
            print("SKIPPED JSON Schema validation: python3 with jsonschema is not available (pip install jsonschema; `make deps` does it)")
            return
        }
        #expect(problems == [])
    }

    @Test func theJSONSchemaRejectsWhatTheFormatForbids() throws {
        let directory = try artifactDirectory("json-schema-negative")
        var json = String(decoding: try JSONDocumentWriter(options: JSONDocumentWriter.Options()).render(trickyUnit()), as: UTF8.self)
        json = json.replacingOccurrences(of: "\"offset_unit\": \"utf8\"", with: "\"offset_unit\": \"utf16\"")
        let url = directory.appendingPathComponent("bad.json")
        try Data(json.utf8).write(to: url)
        guard let problems = try jsonSchemaProblems(files: [url.path], schema: schemaPath("bitext-document.schema.json")) else { return }
        #expect(problems.contains { $0.contains("offset_unit") })
    }

    @Test func everyRecordValidatesAgainstTheRecordSchema() throws {
        let directory = try artifactDirectory("record-schema")
        var files: [String] = []
        for (n, unit) in try testUnits().enumerated() {
            let jsonl = directory.appendingPathComponent("unit\(n).jsonl")
            try Data(try JSONLinesWriter(options: JSONLinesWriter.Options()).render(unit)).write(to: jsonl)
            let bulk = directory.appendingPathComponent("unit\(n).bulk.ndjson")
            try Data(try BulkWriter(options: try .init()).render(unit)).write(to: bulk)
            files += [jsonl.path, bulk.path]
        }
        guard let problems = try jsonSchemaProblems(files: files, schema: schemaPath("bitext-record.schema.json")) else {
            print("SKIPPED JSON Schema validation of records: python3 with jsonschema is not available")
            return
        }
        #expect(problems == [])
    }
}
