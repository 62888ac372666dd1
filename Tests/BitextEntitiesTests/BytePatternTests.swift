import BitextCore
import Testing

@testable import BitextEntities

/// URLs and e-mail addresses are looked for sixteen bytes at a time (`scanBytePatterns`),
/// a block's last bytes too when the text goes on past the block: one in a block's last
/// sixteen bytes is found whether more text follows or not.
@Suite struct BytePatternTests {
    @Test(arguments: ["see www.example.org", "write ab@example.org", "at https://x.org/a", "w@x.io", "plain words", "www"])
    func patternsAtBlockEndsAreFound(ending: String) {
        let alone = paragraphDocument("First words. \(ending)")
        let followed = paragraphDocument("First words. \(ending)\n\nMore text follows here, far more than sixteen bytes of it.")
        let found = EntityExtractor().extract(from: alone)
        #expect(EntityExtractor().extract(from: followed).filter { $0.block == 0 } == found)
        let patterns = found.filter { $0.kind == EntityKind.url.rawValue || $0.kind == EntityKind.email.rawValue }
        #expect(patterns.isEmpty == (ending == "plain words" || ending == "www"))
    }
}
