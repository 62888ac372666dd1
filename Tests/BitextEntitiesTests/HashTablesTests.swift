import Testing

@testable import BitextEntities

@Suite struct HashTablesTests {
    /// The filter in front of the table may only turn away keys the table does not hold: a
    /// screened set answers exactly as the plain one, for members (0 and 1 included, which the
    /// tables store alike) and for many keys that are not members.
    @Test(arguments: [0, 1, 100, 5_000, 20_000])
    func screenedSetAnswersAsThePlainSet(count: Int) {
        var generator = SystemRandomNumberGenerator()
        var keys = (0..<count).map { _ in UInt64.random(in: 2...UInt64.max, using: &generator) }
        if count >= 100 { keys += [0, 1, 1 << 63, UInt64.max] }
        let plain = HashSet64(keys)
        let screened = ScreenedHashSet(keys)
        #expect(screened.count == plain.count)
        for key in keys { #expect(screened.contains(key)) }
        var disagreements = 0
        var absent = 0
        for _ in 0..<100_000 {
            let key = UInt64.random(in: 0...UInt64.max, using: &generator)
            if screened.contains(key) != plain.contains(key) { disagreements += 1 }
            if !plain.contains(key) { absent += 1 }
        }
        #expect(disagreements == 0)
        #expect(absent > 99_000)
    }

    /// Sets whose filters are interleaved in one array answer each as its own plain set: a
    /// bit of one set's filter never lets another set's key through to a wrong answer.
    @Test(arguments: [1, 2, 3, 4])
    func screenedFamilyAnswersAsThePlainSets(members: Int) {
        var generator = SystemRandomNumberGenerator()
        let keyLists = (0..<members).map { m in (0..<(1_000 * (m + 1))).map { _ in UInt64.random(in: 0...UInt64.max, using: &generator) } }
        let family = ScreenedHashSet.family(keyLists)
        #expect(family.count == members)
        let probes = keyLists.joined() + (0..<20_000).map { _ in UInt64.random(in: 0...UInt64.max, using: &generator) }
        for (screened, keys) in zip(family, keyLists) {
            let plain = HashSet64(keys)
            #expect(screened.count == plain.count)
            #expect(probes.allSatisfy { screened.contains($0) == plain.contains($0) })
        }
    }

    /// The lexicon's screened sets hold every hash the compiled tables list.
    @Test func lexiconSetsHoldTheirTables() throws {
        let tables = LexiconTables.fromText()
        let lexicon = Lexicon.shared
        for h in tables.starts { #expect(lexicon.nameStarts.contains(h)) }
        for h in tables.firstNames { #expect(lexicon.firstNames.contains(h)) }
        for h in tables.surnames { #expect(lexicon.surnames.contains(h)) }
        #expect(lexicon.nameStarts.count == Set(tables.starts).count)
    }

    /// A set emptied for reuse (kept slots zeroed, or new ones) holds nothing of before and
    /// answers as a fresh set for whatever it holds next.
    @Test(arguments: [(500, 10), (500, 400), (500, 3_000), (5, 5_000)])
    func resetSetAnswersAsAFreshOne(before: Int, after: Int) {
        var generator = SystemRandomNumberGenerator()
        let old = (0..<before).map { _ in UInt64.random(in: 0...UInt64.max, using: &generator) }
        let new = (0..<after).map { _ in UInt64.random(in: 0...UInt64.max, using: &generator) } + [0, 1]
        var reused = HashSet64(old)
        reused.reset(minimumCapacity: after)
        #expect(reused.count == 0)
        #expect(old.allSatisfy { !reused.contains($0) })
        for key in new { reused.insert(key) }
        let fresh = HashSet64(new)
        #expect(reused.count == fresh.count)
        #expect(new.allSatisfy { reused.contains($0) })
        #expect(old.allSatisfy { reused.contains($0) == fresh.contains($0) })
    }
}
