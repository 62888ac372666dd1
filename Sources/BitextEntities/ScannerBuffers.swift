import BitextCore
import Foundation

/// What pass 2 needs of a block besides its tokens: where its tokens and claims start in the
/// document's kept arrays, how many there are, and the block's language and case.
typealias BlockFacts = (start: Int, count: Int, spanish: Bool, allCaps: Bool, titleCase: Bool)

/// The arrays a document's scanner fills and empties (tokens, claims, block facts, capitalized
/// runs, scratch, sets of words seen), handed from one document to the next rather than allocated for each: in the
/// pipeline most documents are small (1,000 pairs: 2,000 documents of about 1 KB), and growing
/// these arrays from nothing cost a dozen allocations per document, the token array's (twelve
/// bytes per byte of text) the dearest.
struct ScannerBuffers {
    /// The current block's tokens (see `TokenWindow`: every block's, in documents that keep them).
    var tokens = TokenWindow()
    /// Which of the current block's tokens an entity claimed.
    var used: [Bool] = []
    /// Every block's `used` after pass 1, end to end, for pass 2.
    var claimed = ClaimedTokens()
    /// Every block's facts, for a document whose tokens pass 2 reuses (`DocumentScanner.keepTokens`).
    var blockFacts: [BlockFacts] = []
    /// Capitalized runs of each block, when asked for.
    var runs = CapitalizedRuns()
    /// Scratch for `classifySegment`: the current segment's words.
    var segmentWords: [Int] = []
    /// The current block's share of the bilingual signal (see `DocumentScanner.namesPass`).
    var bilingual: [UInt64] = []
    var lowercaseSeen = HashSet64()
    /// Words written with a capital somewhere other than at a sentence start.
    var midCapitalized = HashSet64()
    /// Words written with a capital anywhere (see `DocumentScanner.gatherLowercaseSeen`).
    var capitalizedSeen = HashSet64()
    /// Lists pass 1's walk over a block's tokens makes, so that later steps visit only the
    /// tokens they can act on (see `DocumentScanner.closedPass`): the current block's tokens
    /// that can begin a closed kind; the lower-case words of three letters or more of every
    /// block; the tokens of every block that can begin a name, block `b`'s (indices within the
    /// block) ending at `nameStartEnds[b]` (in a document whose tokens are not kept, the
    /// current block's only, listed again in pass 2).
    var closedKindStarts: [Int32] = []
    var lowercaseWords: [UInt64] = []
    var nameStarts: [Int32] = []
    var nameStartEnds: [Int] = []

    /// Buffers past this many elements (a 100 KB document's tokens) are not kept: a long
    /// document's arrays would stay allocated for the rest of the run. Every array counts, not
    /// only `tokens`: a long document of many blocks keeps one block's tokens at a time but
    /// marks, block facts and runs for the whole document.
    static let keptElements = 1 << 15

    /// Whether every array and set is within `keptElements` (sets: twice, as their slots are
    /// at most half full).
    var isSmallEnoughToKeep: Bool {
        let limit = Self.keptElements
        return tokens.storage.capacity <= limit && used.capacity <= limit && claimed.capacity <= limit
            && blockFacts.capacity <= limit && segmentWords.capacity <= limit && bilingual.capacity <= limit
            && runs.keys.capacity <= limit && runs.starts.capacity <= limit
            && lowercaseSeen.slotCount <= 2 * limit && midCapitalized.slotCount <= 2 * limit
            && capitalizedSeen.slotCount <= 2 * limit
            && closedKindStarts.capacity <= limit && lowercaseWords.capacity <= limit && nameStarts.capacity <= limit
            && nameStartEnds.capacity <= limit
    }

    /// Empties the capitalized runs once the bilingual signal has read them; a long
    /// document's (too large for the pool) are let go rather than kept through pass 2.
    mutating func emptyRuns() {
        if runs.keys.capacity > Self.keptElements || runs.starts.capacity > Self.keptElements {
            runs = CapitalizedRuns()
        } else {
            runs.removeAll()
        }
    }

    mutating func empty() {
        tokens.removeAll()
        used.removeAll(keepingCapacity: true)
        claimed.removeAll(keepingCapacity: true)
        blockFacts.removeAll(keepingCapacity: true)
        runs.removeAll()
        segmentWords.removeAll(keepingCapacity: true)
        bilingual.removeAll(keepingCapacity: true)
        closedKindStarts.removeAll(keepingCapacity: true)
        lowercaseWords.removeAll(keepingCapacity: true)
        nameStarts.removeAll(keepingCapacity: true)
        nameStartEnds.removeAll(keepingCapacity: true)
    }
}

/// Which tokens of a document pass 1 claimed, one bit per token (a `[Bool]` took a byte: a
/// long document's claims are kept for pass 2 while the other version's pass 1 runs too).
struct ClaimedTokens {
    private var bits: [UInt64] = []
    private(set) var count = 0

    /// Room kept, in tokens.
    var capacity: Int { bits.capacity * 64 }

    mutating func reserveCapacity(_ tokens: Int) {
        bits.reserveCapacity((tokens + 63) / 64)
    }

    mutating func removeAll(keepingCapacity: Bool) {
        bits.removeAll(keepingCapacity: keepingCapacity)
        count = 0
    }

    /// Appends one block's claims. (The words are grown first and written through a pointer:
    /// appending and setting bit by bit checked the array's uniqueness for every token.)
    mutating func append(contentsOf claims: [Bool]) {
        let newCount = count + claims.count
        let words = (newCount + 63) >> 6
        if words > bits.count { bits.append(contentsOf: repeatElement(0, count: words - bits.count)) }
        let first = count
        bits.withUnsafeMutableBufferPointer { bits in
            claims.withUnsafeBufferPointer { claims in
                @inline(__always) func set(_ offset: Int) {
                    let k = first &+ offset
                    bits[k >> 6] |= 1 << UInt64(k & 63)
                }
                // Eight claims at a time (a `Bool` is a byte, 0 or 1): most tokens are claimed
                // by nothing, and eight unclaimed ones are one load and one test rather than
                // eight (the claims of every block, in pass 1, were 1.2% of the stage).
                var offset = 0
                if let base = claims.baseAddress {
                    let bytes = UnsafeRawPointer(base)
                    while offset &+ 8 <= claims.count {
                        if bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != 0 {
                            for k in offset..<(offset &+ 8) where claims[k] { set(k) }
                        }
                        offset &+= 8
                    }
                }
                for k in offset..<claims.count where claims[k] { set(k) }
            }
        }
        count = newCount
    }

    /// Replaces `claims` with the claims of tokens `range`: every claim false first, then the
    /// set bits written through a pointer (a claim appended per token checked the array's
    /// uniqueness for each; most tokens are claimed by nothing).
    func copy(_ range: Range<Int>, into claims: inout [Bool]) {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "claims out of range")
        claims.setAllFalse(count: range.count)
        guard !range.isEmpty else { return }
        let lower = range.lowerBound
        let upper = range.upperBound
        bits.withUnsafeBufferPointer { bits in
            claims.withUnsafeMutableBufferPointer { claims in
                var w = lower >> 6
                while w << 6 < upper {
                    // The word's bits that lie in `range`, read a set bit at a time.
                    var word = bits[w]
                    if w << 6 < lower { word &= ~0 << UInt64(lower & 63) }
                    if (w + 1) << 6 > upper { word &= (1 << UInt64(upper & 63)) &- 1 }
                    while word != 0 {
                        claims[(w << 6 | word.trailingZeroBitCount) - lower] = true
                        word &= word &- 1
                    }
                    w += 1
                }
            }
        }
    }
}

extension [Bool] {
    /// Makes the array `count` times `false`, keeping its storage: the length set first, then
    /// every element cleared at once. (Emptied and refilled with `repeatElement(false, …)`, it
    /// was written a byte at a time, ten instructions each, for every block in both passes.)
    ///
    /// Grown by copying falses from `Falses.run` (a `memcpy`): appended from `repeatElement`,
    /// the new elements were written one at a time, some 170 instructions for each block that
    /// has more tokens than the one before.
    mutating func setAllFalse(count: Int) {
        if self.count > count {
            removeLast(self.count - count)
        } else if self.count < count {
            var missing = count - self.count
            Falses.run.withUnsafeBufferPointer { falses in
                while missing > 0 {
                    let n = Swift.min(missing, falses.count)
                    append(contentsOf: UnsafeBufferPointer(rebasing: falses[..<n]))
                    missing -= n
                }
            }
        }
        withUnsafeMutableBufferPointer { $0.update(repeating: false) }
    }
}

/// A run of falses to copy from (see `setAllFalse`).
private enum Falses {
    static let run = [Bool](repeating: false, count: 4096)
}

/// What decides a block's language and case (see `DocumentScanner.setBlockFacts`), counted
/// over its words: function words of each language, and words of two letters or more, in
/// capitals and capitalized.
struct BlockTally {
    var englishFunctionWords = 0
    var spanishFunctionWords = 0
    var words = 0
    var caps = 0
    var capitalized = 0

    /// (Counted without branches: pass 1 counts every word of a block in a loop of its own.)
    @inline(__always) mutating func count(word t: Token) {
        englishFunctionWords &+= t.isA(.englishFunction) ? 1 : 0
        spanishFunctionWords &+= t.isA(.spanishFunction) ? 1 : 0
        let long = t.length > 1
        words &+= long ? 1 : 0
        caps &+= long && t.isAllCaps ? 1 : 0
        capitalized &+= long && t.isCapitalized ? 1 : 0
    }
}

/// Buffers that a document or a unit fills and empties, kept for the next one by a `ReusePool`.
protocol ReusableBuffers: Sendable {
    init()
    /// Empties every array, keeping its capacity.
    mutating func empty()
    /// Whether the buffers are small enough to keep for the rest of the run.
    var isSmallEnoughToKeep: Bool { get }
}

extension ScannerBuffers: ReusableBuffers {
    static let pool = ReusePool<ScannerBuffers>()
}

/// Idle buffers, one set per document or unit being worked on at once (`--jobs`), kept by
/// `IdleValues`. Which set a task gets changes nothing but allocation: each set is emptied
/// before use, and a set grown too large is not kept.
final class ReusePool<Buffers: ReusableBuffers>: Sendable {
    private let idle = IdleValues<Buffers>()

    /// A set of empty buffers, kept ones when there are.
    func take() -> Buffers {
        var buffers = idle.take() ?? Buffers()
        buffers.empty()
        return buffers
    }

    /// Keeps `buffers` for a later task, unless they grew too large.
    func giveBack(_ buffers: consuming Buffers) {
        guard buffers.isSmallEnoughToKeep else { return }
        idle.giveBack(consume buffers)
    }
}
