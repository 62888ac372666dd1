import BitextCore
import Testing
@testable import BitextEntities

@Test func dumpSamples() throws {
    for name in ["oas-haiti-peacekeeping-letter.en.txt", "bap-mss-statement.en-es.txt"] {
        let doc = paragraphDocument(try sample(name))
        for e in EntityExtractor().extract(from: doc) {
            print(e.block, e.kind, "|", doc.text(of: e.range), "|", e.normalized ?? "-", e.attributes.isEmpty ? "" : "\(e.attributes)")
        }
    }
}
