import BitextCore
import BitextTestSupport
import Testing

@testable import BitextEntities

/// Pass 1 walks a block's tokens in three loops (`DocumentScanner.walkBlockTokens`): what it
/// lists, counts and notes must be what reading the tokens one by one gives.
@Suite struct BlockWalkTests {
    @Test(arguments: [true, false])
    func walkNotesWhatEveryTokenShows(gatherLowercaseLater: Bool) {
        var generator = SplitMix64(seed: 4242)
        let pieces = [
            "Council", "council", "(", ")", "(MSS)", "$", "€", "22", "2024", "November", "lunes", "UN", "NASA", "the", "The",
            "and", "y", "de", "la", "La", "Área", "área", "Ωmega", "U.S.", "EE. UU.", "haitiano", "Ab", "ab", "a", "I", " ", " ",
            ". ", ", ", "\n", "-", "Multinational", "Security", "Support", "resolution", "secretary-general",
        ]
        var listed = 0
        for _ in 0..<150 {
            let document = paragraphDocument(randomParagraphs(pieces, blocks: 4, piecesPerBlock: 30, using: &generator))
            var text = document.text
            let inputs = EntityExtractor().inputs(document)
            text.withUTF8 { p in
                var scanner = DocumentScanner(p: p, lexicon: Lexicon.shared)
                for input in inputs {
                    scanner.buffers.tokens.replaceBlock(p, input.start, input.end, vocabulary: Lexicon.shared.vocabulary)
                    scanner.buffers.nameStarts.removeAll()
                    scanner.buffers.lowercaseWords.removeAll()
                    scanner.buffers.lowercaseSeen = HashSet64()
                    scanner.buffers.capitalizedSeen = HashSet64()
                    scanner.buffers.midCapitalized = HashSet64()
                    let (tally, firstOpenParen) = scanner.walkBlockTokens(gatherLowercaseLater: gatherLowercaseLater, collectSequences: false)
                    let tokens = Array(scanner.buffers.tokens)
                    let closedKindStarts = tokens.indices.filter { DocumentScanner.canStartClosedKind(tokens[$0]) }
                    let nameStarts = tokens.indices.filter { DocumentScanner.canStartName(tokens[$0]) }
                    listed += closedKindStarts.count + nameStarts.count
                    #expect(scanner.buffers.closedKindStarts.map { Int($0) } == closedKindStarts)
                    #expect(scanner.buffers.nameStarts.map { Int($0) } == nameStarts)
                    #expect(firstOpenParen == tokens.firstIndex { $0.kind == .punct && $0.scalar == .openParen })
                    let words = tokens.filter { $0.kind == .word }
                    let lowercase = words.filter { !$0.isCapitalized && $0.length >= 3 }.map(\.hash)
                    if gatherLowercaseLater {
                        #expect(scanner.buffers.lowercaseWords == lowercase)
                    } else {
                        #expect(scanner.buffers.lowercaseWords.isEmpty)
                        #expect(scanner.buffers.lowercaseSeen.count == Set(lowercase).count)
                        #expect(lowercase.allSatisfy { scanner.buffers.lowercaseSeen.contains($0) })
                    }
                    let long = words.filter { $0.length > 1 }
                    #expect(tally.englishFunctionWords == words.filter { $0.isA(.englishFunction) }.count)
                    #expect(tally.spanishFunctionWords == words.filter { $0.isA(.spanishFunction) }.count)
                    #expect(tally.words == long.count)
                    #expect(tally.caps == long.filter(\.isAllCaps).count)
                    #expect(tally.capitalized == long.filter(\.isCapitalized).count)
                    let capitalized = tokens.indices.filter { tokens[$0].kind == .word && tokens[$0].isCapitalized }
                    let midSentence = Set(capitalized.filter { !scanner.isSentenceStart($0) }.map { tokens[$0].hash })
                    #expect(scanner.buffers.midCapitalized.count == midSentence.count)
                    #expect(midSentence.allSatisfy { scanner.buffers.midCapitalized.contains($0) })
                    let capitalizedHashes = Set(capitalized.map { tokens[$0].hash })
                    #expect(scanner.buffers.capitalizedSeen.count == (gatherLowercaseLater ? capitalizedHashes.count : 0))
                }
                scanner.releaseBuffers()
            }
        }
        #expect(listed > 1000)
    }

    /// Claims mostly false (as in documents), so that whole groups of eight are skipped.
    @Test func sparseClaimsReadBackAsAppended() {
        var generator = SplitMix64(seed: 808)
        var claimed = ClaimedTokens()
        var reference: [Bool] = []
        for _ in 0..<200 {
            let block = (0..<generator.below(90)).map { _ in generator.below(23) == 0 }
            claimed.append(contentsOf: block)
            reference.append(contentsOf: block)
        }
        var back: [Bool] = []
        claimed.copy(0..<claimed.count, into: &back)
        #expect(back == reference)
    }

    /// `setAllFalse` grows past its run of falses, shrinks, and clears what it keeps.
    @Test func setAllFalseSetsLengthAndClears() {
        var flags = [true, true]
        for count in [5, 3, 9_000, 0, 4_096, 4_097, 1, 12] {
            flags.setAllFalse(count: count)
            #expect(flags.count == count)
            #expect(!flags.contains(true))
            for k in stride(from: 0, to: flags.count, by: 3) { flags[k] = true }
        }
    }
}
