import BitextCore
import Foundation

/// The outcome of identifying one text: a language (or `und`) and how sure we are.
public struct Identification: Hashable, Sendable {
    /// `en`, `es`, another recognised language (`pt`, `ca`, `it`, `fr`, `gl`), or `und`.
    public var language: LanguageCode
    /// The posterior probability of the best language, in [0, 1]. For `und` it is the best
    /// language's probability, which fell short of the threshold (0 when there were no letters).
    public var confidence: Double
    /// The language that scored best, even when the answer is `und`.
    public var best: LanguageCode

    public init(language: LanguageCode, confidence: Double, best: LanguageCode) {
        self.language = language
        self.confidence = confidence
        self.best = best
    }
}

/// What a text says about its language, before any decision: summed costs per language
/// and the number of letters they came from. Evidence adds up, so a document's evidence
/// is the sum of its blocks'.
public struct LanguageEvidence: Hashable, Sendable {
    /// Quantized -ln p summed over the text's features, per model language (lower is better).
    public var costs: SIMD8<Int32>
    /// Letters (Unicode scalars inside words) the costs came from.
    public var letters: Int

    public init(costs: SIMD8<Int32> = .zero, letters: Int = 0) {
        self.costs = costs
        self.letters = letters
    }

    public static func + (a: LanguageEvidence, b: LanguageEvidence) -> LanguageEvidence {
        LanguageEvidence(costs: a.costs &+ b.costs, letters: a.letters + b.letters)
    }
    public static func += (a: inout LanguageEvidence, b: LanguageEvidence) { a = a + b }
}

/// Errors reading the model resource.
public struct LanguageModelError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "language model: \(message)" }
}

/// A character n-gram + word-evidence language identifier (the method of CLD, langid.py
/// and lingua), over UTF-8 bytes.
///
/// Features are the byte n-grams (1–5) of each word padded with spaces, after folding
/// ASCII and Latin-1 capitals; each has a quantized log-probability per language. The most
/// frequent words also carry their own probability, and their whole cost (n-grams + word)
/// is precomputed at load time, so a common word costs one hash lookup. The model is built
/// by `scripts/langid/build_model.py` from Debian-shipped text (see Resources/README.md).
public struct LanguageIdentifier: Sendable {
    /// The model's languages, in the order of `LanguageEvidence.costs`.
    public let languages: [LanguageCode]
    /// Weight of the word-probability term relative to the n-gram terms.
    public let wordWeight: Double
    /// Divides the summed costs before the softmax: n-grams of one word overlap, so their
    /// evidence is not independent.
    public let temperature: Double
    /// Below this posterior the answer is `und`.
    public let threshold: Double
    /// Texts with fewer letters than this are `und`.
    public let minimumLetters: Int
    /// Prior cost (nats) per language: the languages other than English and Spanish must
    /// beat the pair by this much, because a bitext batch is mostly English and Spanish.
    public let priorCost: [Double]
    private let languageCount: Int
    /// `priorCost[i] × scale` per model language and `scale × temperature`: the products
    /// `decision` made for every block, made once.
    private let scaledPriorCosts: SIMD8<Double>
    private let costDivisor: Double
    /// Per model language: English or Spanish.
    let isPairLanguage: [Bool]
    /// The lanes of `LanguageEvidence.costs` that hold a model language.
    private let modelLanes: SIMDMask<SIMD8<Int64>>

    private let ngrams: HashTable<SIMD8<UInt8>>
    let words: HashTable<SIMD8<UInt16>>
    /// The n-gram costs of words the word table lacks, kept from batch to batch.
    private let unknownWords = UnknownWordCosts()

    /// Costs are stored as round(-ln p × scale).
    static let scale = 8.0
    static let maxOrder = 5
    static let maxWordBytes = 64

    /// The model shipped in the module's resources, loaded once.
    public static let shared: LanguageIdentifier = {
        guard let url = Bundle.module.url(forResource: "langid", withExtension: "bin", subdirectory: "Resources") else {
            fatalError("BitextLanguage resource Resources/langid.bin is missing from the bundle")
        }
        do {
            return try LanguageIdentifier(contentsOf: url)
        } catch {
            fatalError("\(error)")
        }
    }()

    public init(contentsOf url: URL) throws {
        // Parsed from the file's bytes where Foundation read them (no copy into an array), and
        // those mapped from the page cache rather than copied into 1.3 MB of fresh pages.
        let data = try Data(contentsOf: url, options: .alwaysMapped)
        try self.init(data.withUnsafeBytes { try ParsedModel(bytes: $0.bindMemory(to: UInt8.self)) })
    }

    /// Reads the binary model written by `scripts/langid/model.py` (`Model.write`).
    public init(model bytes: [UInt8]) throws {
        try self.init(bytes.withUnsafeBufferPointer { try ParsedModel(bytes: $0) })
    }

    private init(_ model: ParsedModel) {
        languages = model.languages
        languageCount = model.languages.count
        isPairLanguage = model.languages.map { LanguageCode.pairLanguages.contains($0) }
        wordWeight = model.wordWeight
        temperature = model.temperature
        threshold = model.threshold
        minimumLetters = model.minimumLetters
        priorCost = model.priorCost
        var scaledPriorCosts = SIMD8<Double>.zero
        var modelLanes = SIMDMask<SIMD8<Int64>>(repeating: false)
        for i in model.languages.indices {
            scaledPriorCosts[i] = model.priorCost[i] * Self.scale
            modelLanes[i] = true
        }
        self.scaledPriorCosts = scaledPriorCosts
        self.modelLanes = modelLanes
        costDivisor = Self.scale * model.temperature
        ngrams = model.ngrams
        words = model.words
    }

    /// The fields of a model file, read straight from its bytes (no slice or copy per entry:
    /// this is most of the start-up of any command that identifies languages).
    private struct ParsedModel {
        var languages: [LanguageCode] = []
        var wordWeight = 0.0, temperature = 0.0, threshold = 0.0
        var minimumLetters = 0
        var priorCost: [Double] = []
        var ngrams: HashTable<SIMD8<UInt8>>
        var words: HashTable<SIMD8<UInt16>>

        init(bytes: UnsafeBufferPointer<UInt8>) throws {
            var reader = ByteReader(bytes: bytes)
            guard try reader.bytes(4).elementsEqual("BXLI".utf8) else { throw LanguageModelError("bad magic") }
            let version = try reader.u32()
            guard version == 1 || version == 2 else { throw LanguageModelError("unsupported version \(version)") }
            let count = Int(try reader.u8())
            guard count >= 2, count <= 8 else { throw LanguageModelError("bad language count \(count)") }
            for _ in 0..<count {
                languages.append(LanguageCode(String(decoding: try reader.bytes(2), as: UTF8.self)))
            }
            wordWeight = Double(try reader.f32())
            temperature = Double(try reader.f32())
            threshold = Double(try reader.f32())
            minimumLetters = Int(try reader.u32())
            for _ in 0..<count { priorCost.append(Double(try reader.f32())) }

            let ngramCount = Int(try reader.u32())
            ngrams = HashTable<SIMD8<UInt8>>(minimumCapacity: ngramCount)
            try ngrams.fill { insert in
                for _ in 0..<ngramCount {
                    let key = try reader.bytes(Int(try reader.u8()))
                    let costBytes = try reader.bytes(count)
                    // Copied into the vector's bytes (lane by lane, each lane took a dozen
                    // instructions: half of the fill).
                    var costs = SIMD8<UInt8>(repeating: 0)
                    withUnsafeMutableBytes(of: &costs) { $0.copyMemory(from: UnsafeRawBufferPointer(costBytes)) }
                    insert(LanguageIdentifier.hash(key), costs)
                }
            }

            let wordCount = Int(try reader.u32())
            words = HashTable<SIMD8<UInt16>>(minimumCapacity: wordCount)
            if version == 2 {
                // Each word comes with its total (n-grams + weighted word cost), computed when the
                // model was written: loading is then a table fill (version 1 computed it here, which
                // was most of the start-up of every command that identifies languages).
                try words.fill { insert in
                    for _ in 0..<wordCount {
                        let word = try reader.bytes(Int(try reader.u8()))
                        let totals = try reader.bytes(2 * count)
                        var total = SIMD8<UInt16>(repeating: 0)
                        #if _endian(little)
                        // The file's little-endian lanes are the vector's bytes.
                        withUnsafeMutableBytes(of: &total) { $0.copyMemory(from: UnsafeRawBufferPointer(totals)) }
                        #else
                        for i in 0..<count { total[i] = UInt16(totals[2 * i]) | UInt16(totals[2 * i + 1]) << 8 }
                        #endif
                        var h = (LanguageIdentifier.fnvOffset ^ 0x20) &* LanguageIdentifier.fnvPrime
                        for b in word { h = (h ^ UInt64(b)) &* LanguageIdentifier.fnvPrime }
                        h = (h ^ 0x20) &* LanguageIdentifier.fnvPrime
                        insert(h, total)
                    }
                }
            } else {
                var padded: [UInt8] = []
                for _ in 0..<wordCount {
                    let word = try reader.bytes(Int(try reader.u8()))
                    padded.removeAll(keepingCapacity: true)
                    padded.append(0x20)
                    padded.append(contentsOf: word)
                    padded.append(0x20)
                    var total = padded.withUnsafeBufferPointer { LanguageIdentifier.ngramCosts(ngrams, padded: $0) }
                    for i in 0..<count {
                        total[i] &+= Int32((wordWeight * Double(try reader.u8())).rounded())
                    }
                    // Only words whose cost fits the compact table; the rest take the n-gram path.
                    guard total.max() <= Int32(UInt16.max) else { continue }
                    words.insert(key: LanguageIdentifier.hash(padded[...]), value: SIMD8<UInt16>(truncatingIfNeeded: total))
                }
            }
        }
    }

    // MARK: Identification

    /// Identifies the language of a text.
    public func identify(_ text: some StringProtocol) -> Identification {
        decide(evidence(text))
    }

    /// Sums the evidence of a text.
    public func evidence(_ text: some StringProtocol) -> LanguageEvidence {
        if let result = text.utf8.withContiguousStorageIfAvailable({ evidence(utf8: $0) }) {
            return result
        }
        return Array(text.utf8).withUnsafeBufferPointer { evidence(utf8: $0) }
    }

    /// The posterior probability of each model language (in `languages` order). `extraPrior`
    /// adds prior log-odds in nats against a language (negative favours it: a hint).
    public func probabilities(_ evidence: LanguageEvidence, extraPrior: [LanguageCode: Double] = [:]) -> [Double] {
        var scores = [Double](repeating: 0, count: languages.count)
        for i in languages.indices {
            scores[i] = -(Double(evidence.costs[i]) + priorCost[i] * Self.scale) / (Self.scale * temperature)
                - (extraPrior[languages[i]] ?? 0)
        }
        let top = scores.max() ?? 0
        var sum = 0.0
        for i in scores.indices {
            scores[i] = exp(scores[i] - top)
            sum += scores[i]
        }
        return scores.map { $0 / sum }
    }

    /// Decides from evidence. First English/Spanish or neither: the other languages together
    /// must reach the threshold for the answer to be one of them (the best). Else English
    /// against Spanish: the better must reach the threshold of their two-way share, or the
    /// answer is `und`. Too few letters is `und` too. The confidence is the answer's
    /// posterior among all model languages (for `und`, the best language's).
    public func decide(_ evidence: LanguageEvidence, extraPrior: [LanguageCode: Double] = [:]) -> Identification {
        guard !extraPrior.isEmpty else { return decide(evidence, prior: nil) }
        var prior = SIMD8<Double>.zero
        for i in 0..<languageCount { prior[i] = extraPrior[languages[i]] ?? 0 }
        return decide(evidence, prior: prior)
    }

    /// The index of a model language in `languages` (and in evidence costs and priors).
    @inline(__always)
    func index(of language: LanguageCode) -> Int? {
        languages.firstIndex(of: language)
    }

    /// `decide(_:extraPrior:)` with the extra prior per model language (in `languages` order),
    /// nil for none: no dictionary made and searched for each block.
    func decide(_ evidence: LanguageEvidence, prior extraPrior: SIMD8<Double>?) -> Identification {
        decision(evidence, prior: extraPrior).identification
    }

    /// `decide(_:prior:)` with the answer's index in `languages` (-1 for `und`), which callers
    /// compare instead of the codes' strings.
    func decision(_ evidence: LanguageEvidence, prior extraPrior: SIMD8<Double>?) -> (identification: Identification, index: Int) {
        guard evidence.letters >= minimumLetters else {
            return (Identification(language: .undetermined, confidence: 0, best: .undetermined), -1)
        }
        // Same arithmetic as `probabilities`, lane by lane, without allocating: this runs once
        // or twice per block, and a pipeline's blocks are short (75 bytes on average in the
        // bench pairs), so its cost per block weighs as much as reading the block's words.
        var scores = -(SIMD8<Double>(evidence.costs) + scaledPriorCosts) / costDivisor
        if let extraPrior { scores -= extraPrior }
        scores.replace(with: -.infinity, where: .!modelLanes)
        let top = scores.max()
        let shifted = scores - top
        // The lanes in memory, each read and written at a varying index by one load or store
        // (a vector's lane at a varying index stored the whole vector first, at every read).
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 8) { lanes in
            let p = lanes.baseAddress!
            UnsafeMutableRawPointer(p).storeBytes(of: shifted, as: SIMD8<Double>.self)
            var sum = 0.0
            for i in 0..<languageCount {
                // exp of anything below -746 is 0 (under the least subnormal, 2^-1074 ≈ e^-744.4):
                // said here rather than found by `exp`'s underflow path, which is several times
                // dearer than the common one and is taken by most languages of any long block.
                // The best language's is exp(0), 1 exactly: no call for it.
                let s = p[i]
                let e = s < -746 ? 0 : s == 0 ? 1 : exp(s)
                p[i] = e
                sum += e
            }
            for i in 0..<languageCount { p[i] /= sum }
            // The leaders' probabilities kept beside their indices.
            var best = 0, bestPair = -1, bestOther = -1
            var pBest = p[0], pBestPair = 0.0, pBestOther = 0.0
            var others = 0.0
            for i in 0..<languageCount {
                let pi = p[i]
                if pi > pBest { (best, pBest) = (i, pi) }
                if isPairLanguage[i] {
                    if bestPair < 0 || pi > pBestPair { (bestPair, pBestPair) = (i, pi) }
                } else {
                    others += pi
                    if bestOther < 0 || pi > pBestOther { (bestOther, pBestOther) = (i, pi) }
                }
            }
            if bestOther >= 0 && others >= threshold {
                return (Identification(language: languages[bestOther], confidence: pBestOther, best: languages[best]), bestOther)
            }
            if bestPair >= 0 && others < 1 && pBestPair / (1 - others) >= threshold {
                return (Identification(language: languages[bestPair], confidence: pBestPair, best: languages[best]), bestPair)
            }
            return (Identification(language: .undetermined, confidence: pBest, best: languages[best]), -1)
        }
    }

    /// An extra prior that rules out every model language not in `allowed` (as langid.py's
    /// `set_languages`).
    public func exclusionPrior(keeping allowed: Set<LanguageCode>) -> [LanguageCode: Double] {
        var prior: [LanguageCode: Double] = [:]
        for language in languages where !allowed.contains(language) { prior[language] = 1e6 }
        return prior
    }

    // MARK: Features over UTF-8 bytes

    /// Walks the text once: folds case, splits words, and adds each word's cost.
    public func evidence(utf8 text: UnsafeBufferPointer<UInt8>) -> LanguageEvidence {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.maxWordBytes + 8) { buffer in
            var costs = SIMD8<Int32>.zero
            let word = buffer.baseAddress!
            let letters = Self.scanWords(text, into: word) { padded, hash in
                costs &+= wordCosts(padded, hash: hash)
                return word
            }
            return LanguageEvidence(costs: costs, letters: letters)
        }
    }

    /// The evidence of several texts (a document's blocks), equal to `evidence(utf8:)` of each.
    /// The words of all the texts are read first and looked up afterwards, many at a time: in a
    /// pipeline the model's tables are cold for every document, and lookups made one word after
    /// another wait for one cache miss after another, while a run of independent first probes
    /// lets the processor wait for many at once.
    public func evidences(utf8 texts: [UnsafeBufferPointer<UInt8>]) -> [LanguageEvidence] {
        evidences(count: texts.count) { texts[$0] }
    }

    /// `evidences(utf8:)` of the `count` texts `text(0)`, `text(1)`, …, without an array of
    /// them (an array of a standard type looks its metadata up at run time when it is made:
    /// once per document, as dear as a dozen blocks' decisions).
    func evidences(count: Int, _ text: (Int) -> UnsafeBufferPointer<UInt8>) -> [LanguageEvidence] {
        [LanguageEvidence](unsafeUninitializedCapacity: count) { buffer, initialized in
            evidences(count: count, into: buffer, text)
            initialized = count
        }
    }

    /// `evidences(count:_:)` written into `result` (at least `count` elements, uninitialized;
    /// the first `count` initialized after).
    func evidences(count: Int, into result: UnsafeMutableBufferPointer<LanguageEvidence>, _ text: (Int) -> UnsafeBufferPointer<UInt8>) {
        precondition(result.count >= count)
        result.baseAddress?.initialize(repeating: LanguageEvidence(), count: count)
        guard count > 0 else { return }
        LookupBatch.withScratch { batch in
            for index in 0..<count {
                // The scanner writes each word where the batch keeps it (no copy per word).
                result[index].letters = Self.scanWords(text(index), into: batch.nextWord) { padded, hash in
                    batch.append(length: padded.count, hash: hash, owner: index)
                    if batch.wordsAreFull { flush(&batch, into: result) }
                    return batch.nextWord
                }
            }
            flush(&batch, into: result)
        }
    }

    /// Looks up the batch's words (first probes for all, then the answers); a word the word
    /// table does not hold takes its cost from `unknownWords`, or else from its n-grams, looked
    /// up the same way and then kept there; adds every cost to its text.
    private func flush(_ batch: inout LookupBatch, into result: UnsafeMutableBufferPointer<LanguageEvidence>) {
        let pending = batch.words
        let count = batch.wordCount
        for i in 0..<count {
            let probe = words.firstProbe(pending[i].hash)
            pending[i].slot = probe.slot
            pending[i].seen = probe.seen
        }
        // The word table first, outside the cache's lock: its probes are the batch's cache
        // misses, and another job's thread would wait on them. (Costs add with wrapping, so the
        // order words reach their text's sum in changes nothing.)
        let unknown = batch.unknown
        var missCount = 0
        for i in 0..<count {
            let word = pending[i]
            if let known = words.resolve(word.hash, slot: word.slot, seen: word.seen) {
                result[Int(word.owner)].costs &+= SIMD8<Int32>(truncatingIfNeeded: known)
            } else {
                unknown[missCount] = Int32(truncatingIfNeeded: i)
                missCount += 1
            }
        }
        // Then the cache, for the misses only; what it lacks stays listed in `unknown`.
        var unknownCount = 0
        if missCount > 0 {
            unknownWords.withTable { table in
                for m in 0..<missCount {
                    let i = Int(unknown[m])
                    let word = pending[i]
                    if let costs = table.costs(of: word.hash, length: word.length) {
                        result[Int(word.owner)].costs &+= costs
                    } else {
                        unknown[unknownCount] = Int32(truncatingIfNeeded: i)
                        unknownCount += 1
                    }
                }
            }
        }
        guard unknownCount > 0 else {
            batch.wordCount = 0
            batch.byteCount = 0
            return
        }
        let wordCosts = batch.wordCosts
        for u in 0..<unknownCount {
            let i = Int(unknown[u])
            let word = pending[i]
            wordCosts[i] = .zero
            // The same n-grams as `ngramCosts`, in the same order.
            let padded = batch.bytes + Int(word.start)
            let n = Int(word.length)
            // At most `maxOrder` n-grams start at each byte: room for all of this word's.
            if batch.gramCount + Self.maxOrder * n > LookupBatch.gramCapacity { flushGrams(&batch) }
            let grams = batch.grams
            var gramCount = batch.gramCount
            for begin in 0..<n {
                var h = Self.fnvOffset
                for j in begin..<min(n, begin + Self.maxOrder) {
                    h = (h ^ UInt64(padded[j])) &* Self.fnvPrime
                    if j == begin && padded[j] == 0x20 { continue }  // the lone space is no feature
                    grams[gramCount] = PendingGram(hash: h, owner: Int32(truncatingIfNeeded: i))
                    gramCount += 1
                }
            }
            batch.gramCount = gramCount
        }
        flushGrams(&batch)
        // (Sums wrap as `ngramCosts`'s do: a word's sum added to its text's is the same total.)
        unknownWords.withTable { table in
            for u in 0..<unknownCount {
                let i = Int(unknown[u])
                let word = pending[i]
                result[Int(word.owner)].costs &+= wordCosts[i]
                table.keep(wordCosts[i], of: word.hash, length: word.length)
            }
        }
        batch.wordCount = 0
        batch.byteCount = 0
    }

    /// Adds the costs of the batch's n-grams to their words' (`LookupBatch.wordCosts`).
    private func flushGrams(_ batch: inout LookupBatch) {
        let grams = batch.grams
        let count = batch.gramCount
        for i in 0..<count {
            let probe = ngrams.firstProbe(grams[i].hash)
            grams[i].slot = probe.slot
            grams[i].seen = probe.seen
        }
        let wordCosts = batch.wordCosts
        for i in 0..<count {
            let gram = grams[i]
            if let costs = ngrams.resolve(gram.hash, slot: gram.slot, seen: gram.seen) {
                wordCosts[Int(gram.owner)] &+= SIMD8<Int32>(truncatingIfNeeded: costs)
            }
        }
        batch.gramCount = 0
    }

    /// Folds case and splits words exactly as identification reads them; writes each word,
    /// padded with spaces (" word "), at `word` and hands it and its `hash` to `body`, which
    /// returns where the next word goes (at least `maxWordBytes + 1` bytes); returns the
    /// number of letters.
    /// The hash is made as the bytes are written (a second pass over each word was a tenth of
    /// the stage inside the pipeline).
    @inline(__always)
    private static func scanWords(
        _ text: UnsafeBufferPointer<UInt8>, into word: UnsafeMutablePointer<UInt8>,
        _ body: (_ padded: UnsafeBufferPointer<UInt8>, _ hash: UInt64) -> UnsafeMutablePointer<UInt8>
    ) -> Int {
        var buffer = word
        var letters = 0
        // buffer[0] is the leading space; the word occupies 1..<length.
        buffer[0] = 0x20
        var length = 1
        // FNV-1a of buffer[0..<length], the leading space included.
        let leadingSpaceHash = (fnvOffset ^ 0x20) &* fnvPrime
        var wordHash = leadingSpaceHash
        var pendingApostrophe = false
        guard let base = text.baseAddress else { return 0 }
        let n = text.count
        var i = 0

        @inline(__always) func append(_ a: UInt8) {
            if length < Self.maxWordBytes {
                buffer[length] = a
                length += 1
                wordHash = (wordHash ^ UInt64(a)) &* fnvPrime
            }
        }
        @inline(__always) func endWord() {
            pendingApostrophe = false
            guard length > 1 else { return }
            buffer[length] = 0x20
            buffer = body(UnsafeBufferPointer(start: buffer, count: length + 1), (wordHash ^ 0x20) &* fnvPrime)
            buffer[0] = 0x20
            length = 1
            wordHash = leadingSpaceHash
        }

        while i < n {
            let b = base[i]
            // Most bytes are ASCII letters: a run of them is folded, written and hashed in a
            // loop of its own, whose state stays in registers (the general loop below kept the
            // hash on the stack, a store and a load per byte).
            if (b | 0x20) &- 0x61 < 26 {
                if pendingApostrophe { append(0x27); letters += 1; pendingApostrophe = false }
                var hash = wordHash
                var end = length
                var j = i
                // Eight bytes at a time while the text and the word have room for them: the
                // run's letters are found by one word test, written folded by one store and
                // hashed without a test per byte (a word has five letters on average: the byte
                // loop below took 18 instructions a letter). The bytes stored past the run lie
                // inside this word's room, and are written over before anything reads them.
                var runEnded = false
                while j &+ 8 <= n && end &+ 8 <= Self.maxWordBytes {
                    let chunk = UInt64(littleEndian: UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self))
                    let folded = chunk | Self.eachByte(0x20)
                    // A byte's top bit set when it is an ASCII letter (folded, in a–z). A sum carries
                    // out of a byte only at or past the run's first non-letter: the run and the
                    // byte that ends it are read right.
                    let isLetter = (folded &+ Self.eachByte(0x80 - 0x61)) & ~(folded &+ Self.eachByte(0x80 - 0x7B)) & ~chunk & Self.eachByte(0x80)
                    let run = (~isLetter & Self.eachByte(0x80)).trailingZeroBitCount &>> 3
                    UnsafeMutableRawPointer(buffer + end).storeBytes(of: folded.littleEndian, as: UInt64.self)
                    var rest = folded
                    for _ in 0..<run {
                        hash = (hash ^ (rest & 0xFF)) &* fnvPrime
                        rest &>>= 8
                    }
                    end &+= run
                    j &+= run
                    if run < 8 {
                        runEnded = true
                        break
                    }
                }
                if !runEnded {
                    while j < n {
                        let c = base[j]
                        guard (c | 0x20) &- 0x61 < 26 else { break }
                        let folded = c | 0x20
                        if end < Self.maxWordBytes {
                            buffer[end] = folded
                            end += 1
                            hash = (hash ^ UInt64(folded)) &* fnvPrime
                        }
                        j += 1
                    }
                }
                letters += j - i
                wordHash = hash
                length = end
                i = j
                continue
            }
            if b < 0x80 {
                if b == 0x27 && length > 1 && !pendingApostrophe {
                    pendingApostrophe = true
                } else {
                    endWord()
                }
                i += 1
                continue
            }
            // Any other scalar out of line (see `readNonASCII`).
            let read = Self.readNonASCII(
                base, at: i, count: n, into: buffer,
                WordProgress(length: length, hash: wordHash, letters: letters, pendingApostrophe: pendingApostrophe))
            guard read.width > 0 else { break }
            length = read.word.length
            wordHash = read.word.hash
            letters = read.word.letters
            pendingApostrophe = read.word.pendingApostrophe
            if read.endsWord { endWord() }
            i += read.width
        }
        endWord()
        return letters
    }

    /// The state of the word `scanWords` is reading: its padded length so far, the hash of its
    /// bytes, the text's letters, and whether an apostrophe waits for the next letter.
    private struct WordProgress {
        var length: Int
        var hash: UInt64
        var letters: Int
        var pendingApostrophe: Bool
    }

    /// Reads the scalar at `i`, whose first byte is not ASCII, into the word at `buffer` as
    /// `scanWords` does: a letter is appended (Latin-1 capitals folded), a typographic apostrophe
    /// inside a word waits for the next letter. Returns the word, the scalar's width (0: cut
    /// off by the end of the text) and whether the scalar ends the word (then the word is
    /// unchanged). Out of line: such scalars are rare, and their cases inlined into the
    /// scanner's loop made it copy its state to a dozen stack slots at every separator.
    @inline(never)
    private static func readNonASCII(
        _ base: UnsafePointer<UInt8>, at i: Int, count n: Int, into buffer: UnsafeMutablePointer<UInt8>, _ word: WordProgress
    ) -> (word: WordProgress, width: Int, endsWord: Bool) {
        var word = word
        let b = base[i]
        let width = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
        guard i + width <= n else { return (word, 0, false) }
        func append(_ a: UInt8) {
            if word.length < Self.maxWordBytes {
                buffer[word.length] = a
                word.length += 1
                word.hash = (word.hash ^ UInt64(a)) &* fnvPrime
            }
        }
        func letter(_ a: UInt8, _ b: UInt8, _ c: UInt8? = nil) {
            if word.pendingApostrophe { append(0x27); word.letters += 1; word.pendingApostrophe = false }
            append(a)
            append(b)
            if let c { append(c) }
            word.letters += 1
        }
        switch b {
        case 0xC3:
            let c = base[i + 1]
            if c == 0x97 || c == 0xB7 { return (word, width, true) }  // × ÷
            letter(0xC3, c >= 0x80 && c <= 0x9E ? c + 0x20 : c)
        case 0xC2:
            guard base[i + 1] == 0xB7 else { return (word, width, true) }
            letter(0xC2, 0xB7)  // Catalan l·l
        case 0xC4...0xDF:
            letter(b, base[i + 1])
        case 0xE2:
            // General punctuation and symbols; U+2019 is the typographic apostrophe.
            guard base[i + 1] == 0x80 && base[i + 2] == 0x99 && word.length > 1 && !word.pendingApostrophe else {
                return (word, width, true)
            }
            word.pendingApostrophe = true
        case 0xE0...0xEF:
            letter(b, base[i + 1], base[i + 2])
        default:  // emoji and other 4-byte symbols, stray continuation bytes
            return (word, width, true)
        }
        return (word, width, false)
    }

    /// Cost of one padded word (" word "): one lookup when it is a known word, else its n-grams.
    @inline(__always)
    private func wordCosts(_ padded: UnsafeBufferPointer<UInt8>, hash: UInt64) -> SIMD8<Int32> {
        if let known = words.lookup(hash) {
            return SIMD8<Int32>(truncatingIfNeeded: known)
        }
        return Self.ngramCosts(ngrams, padded: padded)
    }

    private static func ngramCosts(_ table: HashTable<SIMD8<UInt8>>, padded: UnsafeBufferPointer<UInt8>) -> SIMD8<Int32> {
        var total = SIMD8<Int32>.zero
        let n = padded.count
        for start in 0..<n {
            var h = fnvOffset
            let end = min(n, start + maxOrder)
            for j in start..<end {
                h = (h ^ UInt64(padded[j])) &* fnvPrime
                if j == start && padded[j] == 0x20 { continue }  // the lone space is no feature
                if let costs = table.lookup(h) { total &+= SIMD8<Int32>(truncatingIfNeeded: costs) }
            }
        }
        return total
    }

    /// `byte` in each of a word's eight bytes.
    @inline(__always)
    static func eachByte(_ byte: UInt64) -> UInt64 { byte &* 0x0101_0101_0101_0101 }

    static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325
    static let fnvPrime: UInt64 = 0x0000_0100_0000_01b3

    /// FNV-1a, 64 bits.
    static func hash<C: Collection<UInt8>>(_ bytes: C) -> UInt64 {
        var h = fnvOffset
        for b in bytes { h = (h ^ UInt64(b)) &* fnvPrime }
        return h
    }
}

/// Open addressing with linear probing, keyed by a 64-bit hash (0 marks an empty slot).
/// Each slot holds its key and its value side by side, so that a probe costs one cache line:
/// the tables are larger than the caches, and in a pipeline every stage finds them cold.
///
/// The slots start on a cache-line boundary (an array's elements start 16 bytes past a 32-byte
/// boundary at best, so half of the 32-byte slots of the word table straddled two cache lines:
/// two misses for one lookup). A table of 2 MiB or more starts on a 2 MiB boundary and asks the
/// kernel for huge pages there: a cold probe then misses the cache but not the TLB as well (a
/// page walk, a dear one in a VM), and filling the table takes one page fault per 2 MiB instead
/// of per 4 KiB.
struct HashTable<Value: SIMD & Sendable>: Sendable where Value.Scalar: FixedWidthInteger {
    struct Slot {
        var key: UInt64
        var value: Value
    }
    private static var stride: Int { MemoryLayout<Slot>.stride }
    private static var valueOffset: Int { MemoryLayout<Slot>.offset(of: \Slot.value)! }
    static var hugePage: Int { 2 << 20 }
    static var cacheLine: Int { 64 }

    private let storage: TableStorage
    /// Slots: any number (a key's first slot is found by a multiplication, not a mask), so that
    /// the table is sized to its entries rather than to the power of two at or above twice them.
    private let capacity: Int

    /// Slots per entry: at most 5/8 of the slots are taken. (A power of two at or above twice the
    /// entries left the model's tables 43% full: 4 MiB where 2.6 MB hold them.)
    static var slotsPerEntry: Double { 1.6 }

    init(minimumCapacity: Int) {
        // Whole cache lines of slots.
        let perLine = Self.cacheLine / Self.stride
        capacity = max(16, (Int((Double(minimumCapacity) * Self.slotsPerEntry).rounded(.up)) + perLine - 1) / perLine * perLine)
        storage = TableStorage(byteCount: capacity * Self.stride, hugePage: Self.hugePage, cacheLine: Self.cacheLine)
    }

    /// The slot a key's search starts at: the key's mixed bits scaled to the slot count.
    @inline(__always)
    private static func home(_ key: UInt64, capacity: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15).multipliedFullWidth(by: UInt64(truncatingIfNeeded: capacity)).high)
    }

    /// The slot after `slot`, the last one wrapping to the first.
    @inline(__always)
    private static func next(_ slot: Int, capacity: Int) -> Int {
        slot &+ 1 == capacity ? 0 : slot &+ 1
    }

    /// Runs `body` with the table's first byte.
    @inline(__always)
    private func withTable<R>(_ body: (UnsafeRawPointer) -> R) -> R {
        withExtendedLifetime(storage) { body(UnsafeRawPointer(storage.base)) }
    }

    @inline(__always)
    private static func key(_ table: UnsafeRawPointer, _ slot: Int) -> UInt64 {
        table.load(fromByteOffset: slot &* stride, as: UInt64.self)
    }

    @inline(__always)
    private static func value(_ table: UnsafeRawPointer, _ slot: Int) -> Value {
        table.load(fromByteOffset: slot &* stride &+ valueOffset, as: Value.self)
    }

    /// Inserts many entries through `body`'s `insert(key, value)`, with the slots held once
    /// (no uniqueness check per entry).
    mutating func fill(_ body: (_ insert: (UInt64, Value) -> Void) throws -> Void) rethrows {
        let capacity = capacity
        try withExtendedLifetime(storage) {
            let table = storage.base
            try body { rawKey, value in
                let key = rawKey == 0 ? 1 : rawKey
                var slot = Self.home(key, capacity: capacity)
                while true {
                    let k = Self.key(UnsafeRawPointer(table), slot)
                    if k == 0 || k == key { break }
                    slot = Self.next(slot, capacity: capacity)
                }
                table.storeBytes(of: key, toByteOffset: slot &* Self.stride, as: UInt64.self)
                table.storeBytes(of: value, toByteOffset: slot &* Self.stride &+ Self.valueOffset, as: Value.self)
            }
        }
    }

    mutating func insert(key: UInt64, value: Value) {
        fill { insert in insert(key, value) }
    }

    /// The slot a key's search starts at and the key found there: the one load that misses
    /// the cache when the table is cold. `resolve` finishes the search.
    @inline(__always)
    func firstProbe(_ rawKey: UInt64) -> (slot: Int, seen: UInt64) {
        let key = rawKey == 0 ? 1 : rawKey
        let slot = Self.home(key, capacity: capacity)
        return (slot, withTable { Self.key($0, slot) })
    }

    /// `lookup(rawKey)`, given `firstProbe(rawKey)`.
    @inline(__always)
    func resolve(_ rawKey: UInt64, slot start: Int, seen: UInt64) -> Value? {
        let key = rawKey == 0 ? 1 : rawKey
        if seen == 0 { return nil }
        let capacity = capacity
        return withTable { table in
            if seen == key { return Self.value(table, start) }
            var slot = Self.next(start, capacity: capacity)
            while true {
                let k = Self.key(table, slot)
                if k == key { return Self.value(table, slot) }
                if k == 0 { return nil }
                slot = Self.next(slot, capacity: capacity)
            }
        }
    }

    @inline(__always)
    func lookup(_ rawKey: UInt64) -> Value? {
        let key = rawKey == 0 ? 1 : rawKey
        let capacity = capacity
        var slot = Self.home(key, capacity: capacity)
        return withTable { table in
            while true {
                let k = Self.key(table, slot)
                if k == key { return Self.value(table, slot) }
                if k == 0 { return nil }
                slot = Self.next(slot, capacity: capacity)
            }
        }
    }
}

/// The memory of a `HashTable`: zeroed bytes from an aligned start, allocated to that
/// alignment rather than padded up to it inside an array, so that the room before the boundary
/// (up to 2 MiB per table, a page-aligned array's offset from a 2 MiB boundary being anywhere in
/// that range) is never written and never resident: it was zeroed with the array, 0–2 MiB of
/// resident memory per table, 2 MiB on average for the two, in every run that identifies languages.
///
/// Unchecked: written only while its table is filled, before the table is shared.
final class TableStorage: @unchecked Sendable {
    let base: UnsafeMutableRawPointer

    init(byteCount: Int, hugePage: Int, cacheLine: Int) {
        let alignment = byteCount >= hugePage ? hugePage : cacheLine
        base = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: alignment)
        if alignment == hugePage {
            // Before anything touches the table's pages (touched pages stay small); refused
            // advice changes nothing.
            #if os(Linux)
            _ = madvise(base, byteCount, MADV_HUGEPAGE)
            #endif
        }
        base.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
    }

    deinit { base.deallocate() }
}

/// A word waiting for its lookup in `LookupBatch`: where its padded bytes are, whose text it
/// belongs to, and (after the first probes) where its search starts and the key found there.
private struct PendingWord {
    var hash: UInt64
    var seen: UInt64 = 0
    var slot = 0
    var start: Int32
    var length: Int32
    var owner: Int32
}

/// An n-gram waiting for its lookup in `LookupBatch`; `owner` is its word's index in the batch.
private struct PendingGram {
    var hash: UInt64
    var seen: UInt64 = 0
    var slot = 0
    var owner: Int32
}

/// Scratch space of `LanguageIdentifier.evidences(utf8:)`: padded words waiting for their
/// lookup, then the n-grams of the words the word table lacks and those words' summed costs.
/// Fixed capacities bound its memory whatever the length of the texts; one allocation holds
/// it all (it was eleven per document).
private struct LookupBatch {
    static let wordCapacity = 256
    static let gramCapacity = 2048
    /// Room for one padded word: `maxWordBytes` bytes and the trailing space.
    static let wordRoom = LanguageIdentifier.maxWordBytes + 2

    let bytes: UnsafeMutablePointer<UInt8>
    let words: UnsafeMutablePointer<PendingWord>
    let grams: UnsafeMutablePointer<PendingGram>
    /// Per word of the batch that takes the n-gram path: its n-grams' summed costs.
    let wordCosts: UnsafeMutablePointer<SIMD8<Int32>>
    /// The indices of the words that take the n-gram path.
    let unknown: UnsafeMutablePointer<Int32>
    var wordCount = 0
    var byteCount = 0
    var gramCount = 0

    /// Runs `body` with a batch whose storage lives for the call.
    static func withScratch<R>(_ body: (inout LookupBatch) -> R) -> R {
        let wordsAt = 0
        let gramsAt = wordsAt + wordCapacity * MemoryLayout<PendingWord>.stride
        let costsAt = gramsAt + gramCapacity * MemoryLayout<PendingGram>.stride
        let unknownAt = costsAt + wordCapacity * MemoryLayout<SIMD8<Int32>>.stride
        let bytesAt = unknownAt + wordCapacity * MemoryLayout<Int32>.stride
        let size = bytesAt + wordCapacity * wordRoom
        let alignment = max(MemoryLayout<PendingWord>.alignment, MemoryLayout<PendingGram>.alignment, MemoryLayout<SIMD8<Int32>>.alignment)
        precondition(costsAt % MemoryLayout<SIMD8<Int32>>.alignment == 0)
        return withUnsafeTemporaryAllocation(byteCount: size, alignment: alignment) { raw in
            let base = raw.baseAddress!
            var batch = LookupBatch(
                bytes: (base + bytesAt).bindMemory(to: UInt8.self, capacity: wordCapacity * wordRoom),
                words: (base + wordsAt).bindMemory(to: PendingWord.self, capacity: wordCapacity),
                grams: (base + gramsAt).bindMemory(to: PendingGram.self, capacity: gramCapacity),
                wordCosts: (base + costsAt).bindMemory(to: SIMD8<Int32>.self, capacity: wordCapacity),
                unknown: (base + unknownAt).bindMemory(to: Int32.self, capacity: wordCapacity))
            return body(&batch)
        }
    }

    var wordsAreFull: Bool { wordCount == Self.wordCapacity }

    /// Where the scanner writes the next word.
    var nextWord: UnsafeMutablePointer<UInt8> { bytes + byteCount }

    /// Records the word the scanner wrote at `nextWord` (at most `maxWordBytes + 1` bytes:
    /// the word and its two spaces).
    @inline(__always)
    mutating func append(length: Int, hash: UInt64, owner: Int) {
        (words + wordCount).initialize(to: PendingWord(hash: hash, start: Int32(truncatingIfNeeded: byteCount), length: Int32(truncatingIfNeeded: length), owner: Int32(truncatingIfNeeded: owner)))
        byteCount += length
        wordCount += 1
    }
}

/// The summed n-gram costs of words the word table lacks, by the hash and length of the padded
/// word, shared by every text the identifier reads. In a batch of documents the same unknown
/// words (package names, commands, terms) come back document after document: in the 1,000
/// bench pairs, 82% of the unknown words had been seen before, and each costs about five
/// n-gram look-ups per byte, most of them cache misses. Direct-mapped: a word whose slot is
/// taken replaces the one there. A cached sum is the sum the n-grams give (same hash and
/// length: the word table already takes a 64-bit hash for its word).
///
/// Guarded by an `NSLock` (a pthread mutex) rather than `Mutex` (macOS 15 and up, and unseen by
/// ThreadSanitizer on Linux; see `BackgroundPublisher`); taken twice per batch of 256 words.
final class UnknownWordCosts: @unchecked Sendable {
    struct Entry {
        var key: UInt64
        /// 0 marks an empty slot (a padded word has at least three bytes).
        var length: Int32
        var costs: SIMD8<Int32>
    }

    /// The slots, seen through `withTable` while the lock is held.
    struct Table {
        fileprivate let entries: UnsafeMutablePointer<Entry>

        @inline(__always)
        private static func slot(_ key: UInt64) -> Int {
            // The hash's top bits: the word table indexes by its low ones.
            Int(truncatingIfNeeded: key >> (64 - UnknownWordCosts.slotBits))
        }

        @inline(__always)
        func costs(of key: UInt64, length: Int32) -> SIMD8<Int32>? {
            let entry = entries[Self.slot(key)]
            return entry.key == key && entry.length == length ? entry.costs : nil
        }

        @inline(__always)
        func keep(_ costs: SIMD8<Int32>, of key: UInt64, length: Int32) {
            entries[Self.slot(key)] = Entry(key: key, length: length, costs: costs)
        }
    }

    /// 4,096 slots of 48 bytes: 192 KiB.
    static let slotBits = 12
    private let lock = NSLock()
    private let entries: UnsafeMutablePointer<Entry>

    init() {
        let count = 1 << Self.slotBits
        entries = .allocate(capacity: count)
        entries.initialize(repeating: Entry(key: 0, length: 0, costs: .zero), count: count)
    }

    deinit {
        entries.deinitialize(count: 1 << Self.slotBits)
        entries.deallocate()
    }

    func withTable<R>(_ body: (Table) -> R) -> R {
        lock.withLock { body(Table(entries: entries)) }
    }
}

/// Little-endian reader over the model bytes (slices and scalars of the buffer: no copy or
/// reference count per field).
private struct ByteReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0

    @inline(__always)
    mutating func bytes(_ n: Int) throws -> UnsafeBufferPointer<UInt8> {
        guard n >= 0, offset + n <= bytes.count else { throw LanguageModelError("truncated at byte \(offset)") }
        defer { offset += n }
        return UnsafeBufferPointer(rebasing: bytes[offset..<(offset + n)])
    }
    @inline(__always)
    mutating func u8() throws -> UInt8 {
        guard offset < bytes.count else { throw LanguageModelError("truncated at byte \(offset)") }
        defer { offset += 1 }
        return bytes[offset]
    }
    mutating func u32() throws -> UInt32 {
        guard offset + 4 <= bytes.count else { throw LanguageModelError("truncated at byte \(offset)") }
        defer { offset += 4 }
        return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }
    mutating func f32() throws -> Float { Float(bitPattern: try u32()) }
}
