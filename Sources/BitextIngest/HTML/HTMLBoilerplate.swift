import BitextCore

/// jusText-style classification of blocks by length, link density and stopword density
/// (Pomikálek 2011: `length_low` 70, `length_high` 200, `stopwords_low` 0.30,
/// `stopwords_high` 0.32, `max_link_density` 0.2), used only to trim site chrome at the
/// edges of pages that have no `main`/`article` element: blocks before the first and after
/// the last good block that are bad (or short between bad ones) are removed. Inside the
/// content span everything is kept, so headings, short list items and table cells survive
/// (trafilatura's failures on Spanish headings and on tables are what this avoids).
enum HTMLBoilerplate {
    enum Class: Equatable { case good, nearGood, short, bad }

    static let lengthLow = 70
    static let lengthHigh = 200
    static let stopwordsLow = 0.30
    static let stopwordsHigh = 0.32
    static let maxLinkDensity = 0.2

    static func classify(_ block: PendingBlock) -> (Class, String) {
        let text = String(decoding: block.bytes, as: UTF8.self)
        let length = text.count
        let linkDensity = Double(block.linkBytes) / Double(max(1, block.bytes.count))
        if linkDensity > maxLinkDensity { return (.bad, "link_density \(Int((linkDensity * 100).rounded()))%") }
        if isLegalNotice(text) { return (.bad, "copyright_notice") }
        let density = stopwordDensity(text)
        if length < lengthLow { return (.short, "short") }
        if density >= stopwordsHigh { return length > lengthHigh ? (.good, "") : (.nearGood, "") }
        if density >= stopwordsLow { return (.nearGood, "") }
        return (.bad, "few function words")
    }

    static func isLegalNotice(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("©") || lower.hasPrefix("copyright") || lower.contains("all rights reserved")
            || lower.contains("todos los derechos reservados") || lower.hasPrefix("derechos reservados")
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
        let classes = blocks.map(classify)
        guard let first = classes.firstIndex(where: { $0.0 == .good }),
            let last = classes.lastIndex(where: { $0.0 == .good })
        else { return [] }
        var removals: [(Int, String)] = []
        // Leading edge: walk back from the first good block; keep headings and
        // near-good/short blocks until a bad one, then drop the rest of the bad run.
        var sawBad = false
        var k = first - 1
        while k >= 0 {
            let (cls, why) = classes[k]
            if cls == .bad { sawBad = true }
            if sawBad && blocks[k].kind != .heading || cls == .bad && blocks[k].kind != .heading {
                removals.append((k, "edge_boilerplate: " + (why.isEmpty ? "before the main text" : why)))
            }
            k -= 1
        }
        sawBad = false
        k = last + 1
        while k < blocks.count {
            let (cls, why) = classes[k]
            if cls == .bad { sawBad = true }
            if (sawBad || cls == .bad) && blocks[k].kind != .footnote {
                removals.append((k, "edge_boilerplate: " + (why.isEmpty ? "after the main text" : why)))
            }
            k += 1
        }
        return removals.sorted { $0.0 < $1.0 }
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
