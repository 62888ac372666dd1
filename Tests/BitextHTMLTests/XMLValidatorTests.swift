import Foundation
import Testing
@testable import BitextHTML

@Suite struct XMLValidatorTests {
    /// Writes `contents` to a fresh temporary file and returns its path (removed by `removeTemporaryFile`).
    static func temporaryFile(_ name: String, _ contents: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bitext-xmlvalidator-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Removes a file made by `temporaryFile` and its directory.
    static func removeTemporaryFile(_ path: String) {
        try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent())
    }

    static let schema = """
        <?xml version="1.0"?>
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
          <xs:element name="units">
            <xs:complexType><xs:sequence>
              <xs:element name="unit" maxOccurs="unbounded">
                <xs:complexType><xs:simpleContent><xs:extension base="xs:string">
                  <xs:attribute name="lang" type="xs:language" use="required"/>
                </xs:extension></xs:simpleContent></xs:complexType>
              </xs:element>
            </xs:sequence></xs:complexType>
          </xs:element>
        </xs:schema>
        """

    static let dtd = """
        <!ELEMENT units (unit+)>
        <!ELEMENT unit (#PCDATA)>
        <!ATTLIST unit lang CDATA #REQUIRED>
        """

    static let relaxNG = """
        <element name="units" xmlns="http://relaxng.org/ns/structure/1.0">
          <oneOrMore><element name="unit"><attribute name="lang"/><text/></element></oneOrMore>
        </element>
        """

    static let valid = Array(#"<units><unit lang="en">Hello</unit><unit lang="es">Hola</unit></units>"#.utf8)
    static let invalid = Array("<units>\n<unit>Hello</unit>\n<other/></units>".utf8)
    static let malformed = Array("<units><unit lang='en'>Hello</units>".utf8)

    @Test func xmlSchema() throws {
        let path = try Self.temporaryFile("units.xsd", Self.schema)
        defer { Self.removeTemporaryFile(path) }
        #expect(XMLValidator.validate(xml: Self.valid, againstSchema: path).isEmpty)
        let errors = XMLValidator.validate(xml: Self.invalid, againstSchema: path)
        #expect(!errors.isEmpty)
        #expect(errors.contains { $0.hasPrefix("line 2:") && $0.contains("lang") })
        #expect(!XMLValidator.validate(xml: Self.malformed, againstSchema: path).isEmpty)
    }

    @Test func dtd() throws {
        let path = try Self.temporaryFile("units.dtd", Self.dtd)
        defer { Self.removeTemporaryFile(path) }
        #expect(XMLValidator.validate(xml: Self.valid, againstDTD: path).isEmpty)
        let errors = XMLValidator.validate(xml: Self.invalid, againstDTD: path)
        #expect(errors.contains { $0.contains("lang") })
        #expect(errors.contains { $0.contains("other") })
    }

    @Test func relaxNG() throws {
        let path = try Self.temporaryFile("units.rng", Self.relaxNG)
        defer { Self.removeTemporaryFile(path) }
        #expect(XMLValidator.validate(xml: Self.valid, againstRelaxNG: path).isEmpty)
        #expect(!XMLValidator.validate(xml: Self.invalid, againstRelaxNG: path).isEmpty)
    }

    @Test func missingSchemaIsReportedNotFatal() {
        #expect(!XMLValidator.validate(xml: Self.valid, againstSchema: "/nonexistent/x.xsd").isEmpty)
        #expect(!XMLValidator.validate(xml: Self.valid, againstDTD: "/nonexistent/x.dtd").isEmpty)
    }

    /// ../shared/specs/tmx14.dtd next to the repository, when this checkout has it.
    static let tmxDTD: String? = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                let dtd = url.deletingLastPathComponent().appendingPathComponent("shared/specs/tmx14.dtd").path
                return FileManager.default.fileExists(atPath: dtd) ? dtd : nil
            }
        }
        return nil
    }()

    @Test(.enabled(if: tmxDTD != nil, "../shared/specs/tmx14.dtd is not next to this checkout"))
    func tmx14() throws {
        let dtd = try #require(Self.tmxDTD)
        let tmx = """
            <?xml version="1.0" encoding="UTF-8"?>
            <tmx version="1.4">
              <header creationtool="bitext" creationtoolversion="0.1" segtype="sentence" o-tmf="bitext"
                adminlang="en" srclang="en" datatype="plaintext"/>
              <body>
                <tu><tuv xml:lang="en"><seg>Hello.</seg></tuv><tuv xml:lang="es"><seg>Hola.</seg></tuv></tu>
              </body>
            </tmx>
            """
        #expect(XMLValidator.validate(xml: Array(tmx.utf8), againstDTD: dtd) == [])
        let broken = tmx.replacingOccurrences(of: #" segtype="sentence""#, with: "")
            .replacingOccurrences(of: "<seg>Hola.</seg>", with: "")
        let errors = XMLValidator.validate(xml: Array(broken.utf8), againstDTD: dtd)
        #expect(errors.contains { $0.contains("segtype") })
        #expect(errors.contains { $0.contains("tuv") })
    }

    @Test func validatesConcurrently() async throws {
        let path = try Self.temporaryFile("units.xsd", Self.schema)
        defer { Self.removeTemporaryFile(path) }
        let results = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<32 {
                group.addTask {
                    let xml = i.isMultiple(of: 2) ? Self.valid : Self.invalid
                    return XMLValidator.validate(xml: xml, againstSchema: path).isEmpty
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 16)
    }
}
