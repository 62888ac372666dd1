import BitextCore

/// Trims site chrome at the edges of pages that have no `main`/`article` element, with
/// jusText's signals (Pomikálek 2011): link density, length (`length_low` = 70 characters)
/// and stopword density. Conservatively: the leading zone is the longest run of blocks
/// from the top that all look like chrome (link-dense, short, or link-heavy with few
/// function words), cut back to its last *strongly* chrome block (more than half links, or
/// a legal notice); the trailing zone likewise from the bottom. Headings and footnotes in a
/// zone are kept. Everything between the zones is kept, so headings, short list items,
/// table cells and link-rich prose in the body survive (trafilatura dropped Spanish
/// headings and flattened tables; jusText's 0.2 link density dropped documentation
/// paragraphs that cite three URLs).
enum HTMLBoilerplate {
    static let lengthLow = 70
    static let lengthHigh = 200
    static let strongLinkDensity = 0.5
    static let maxLinkDensity = 0.2
    static let stopwordsLow = 0.30

    struct Signals {
        var chromeLike: Bool
        var strong: Bool
        var reason: String
    }

    static func signals(_ block: PendingBlock) -> Signals {
        let linkDensity = Double(block.linkBytes) / Double(max(1, block.bytes.count))
        if block.bytes.count > 4 * lengthHigh && linkDensity <= maxLinkDensity {  // long prose: no need to look closer
            return Signals(chromeLike: false, strong: false, reason: "")
        }
        var percent: String { "link_density \(Int((linkDensity * 100).rounded()))%" }
        if linkDensity > strongLinkDensity { return Signals(chromeLike: true, strong: true, reason: percent) }
        let length = HTMLText.characterCount(block.bytes)
        guard length < 300 else { return Signals(chromeLike: false, strong: false, reason: "") }
        let text = String(decoding: block.bytes, as: UTF8.self)
        if isLegalNotice(text) { return Signals(chromeLike: true, strong: true, reason: "copyright_notice") }
        if length < lengthLow { return Signals(chromeLike: true, strong: false, reason: "short, next to navigation") }
        if length < lengthHigh && linkDensity > maxLinkDensity && stopwordDensity(text) < stopwordsLow {
            return Signals(chromeLike: true, strong: false, reason: "\(percent), few function words")
        }
        return Signals(chromeLike: false, strong: false, reason: "")
    }

    static func isLegalNotice(_ text: String) -> Bool {
        // Every phrase below holds "©", "copyright" or "reserv", and no non-ASCII character
        // lower-cases into those ASCII words: text without them (ASCII case ignored) cannot match.
        var text = text
        let candidate = text.withUTF8 { bytes in
            containsIgnoringASCIICase(bytes, "copyright") || containsIgnoringASCIICase(bytes, "reserv")
                || containsIgnoringASCIICase(bytes, "\u{00A9}")
        }
        guard candidate else { return false }
        let lower = text.lowercased()
        return lower.hasPrefix("©") || lower.hasPrefix("copyright") || lower.contains("all rights reserved")
            || lower.contains("todos los derechos reservados") || lower.hasPrefix("derechos reservados")
    }

    /// Whether `bytes` contain `needle` (lower-case), ignoring ASCII case.
    static func containsIgnoringASCIICase(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: StaticString) -> Bool {
        let count = needle.utf8CodeUnitCount
        return needle.withUTF8Buffer { pattern in
            guard bytes.count >= count else { return false }
            let first = pattern[0]
            for start in 0...(bytes.count - count) {
                let b0 = bytes[start]
                guard (b0 >= 0x41 && b0 <= 0x5A ? b0 | 0x20 : b0) == first else { continue }
                var k = 1
                while k < count {
                    let b = bytes[start + k]
                    if (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) != pattern[k] { break }
                    k += 1
                }
                if k == count { return true }
            }
            return false
        }
    }

    static func stopwordDensity(_ text: String) -> Double {
        var words = 0
        var stop = 0
        for word in text.lowercased().split(whereSeparator: { !$0.isLetter }) {
            words += 1
            if stopwords.contains(String(word)) { stop += 1 }
        }
        return words == 0 ? 0 : Double(stop) / Double(words)
    }

    /// Indices of blocks to remove, with the reason, for a page without a main region.
    static func edgeRemovals(_ blocks: [PendingBlock]) -> [(index: Int, reason: String)] {
        var cache: [Int: Signals] = [:]
        func signal(_ k: Int) -> Signals {
            if let known = cache[k] { return known }
            let computed = Self.signals(blocks[k])
            cache[k] = computed
            return computed
        }
        func exempt(_ k: Int) -> Bool { blocks[k].kind == .heading || blocks[k].kind == .footnote }
        // Leading zone.
        var lastStrongTop = -1
        var k = 0
        while k < blocks.count, exempt(k) || signal(k).chromeLike {
            if !exempt(k) && signal(k).strong { lastStrongTop = k }
            k += 1
        }
        // Trailing zone.
        var firstStrongBottom = blocks.count
        k = blocks.count - 1
        while k > lastStrongTop, exempt(k) || signal(k).chromeLike {
            if !exempt(k) && signal(k).strong { firstStrongBottom = k }
            k -= 1
        }
        // One lone link is as likely a reference as a menu: a zone needs two strong
        // signals, or a legal notice.
        func convincing(_ range: Range<Int>) -> Bool {
            let strong = range.filter { !exempt($0) && signal($0).strong }
            return strong.count >= 2 || strong.contains { signal($0).reason == "copyright_notice" }
        }
        if lastStrongTop >= 0 && !convincing(0..<lastStrongTop + 1) { lastStrongTop = -1 }
        if firstStrongBottom < blocks.count && !convincing(firstStrongBottom..<blocks.count) { firstStrongBottom = blocks.count }
        var removals: [(Int, String)] = []
        for k in 0...max(0, lastStrongTop) where lastStrongTop >= 0 && !exempt(k) {
            removals.append((k, "edge_boilerplate: " + signal(k).reason))
        }
        for k in firstStrongBottom..<blocks.count where !exempt(k) {
            removals.append((k, "edge_boilerplate: " + signal(k).reason))
        }
        return removals
    }

    /// English and Spanish function words (written for bitext; the most frequent words of
    /// each language that carry no topic).
    static let stopwords: Set<String> = Set(
        """
        a about above after again against all also am an and any are as at be because been before being below between both \
        but by can could did do does doing down during each few for from further had has have having he her here hers him \
        his how i if in into is it its itself just me more most my no nor not now of off on once only or other our ours out \
        over own same she should so some such than that the their theirs them then there these they this those through to \
        too under until up very was we were what when where which while who whom why will with would you your yours \
        al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el ella ellas ellos en \
        entre era es esa esas ese eso esos esta estaba estado estas este esto estos fue fueron ha habia han hasta hay la las \
        le les lo los mas me mi mientras muy nada ni no nos nosotros o otra otras otro otros para pero poco por porque que \
        quien se sea ser si sido sin sobre son su sus tambien te tiene tienen todo todos tu un una uno unos y ya más \
        también qué cómo está había según será sí él
        """.split(separator: " ").map(String.init))
}
