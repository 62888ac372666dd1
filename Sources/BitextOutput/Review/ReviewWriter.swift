import BitextCore
import Foundation

/// A review page for translators: one self-contained HTML file per unit (inline CSS and
/// script, no external assets, works from `file://`) and, after the batch, an index page
/// over every unit. Side-by-side aligned paragraphs; score as colour; flags as badges with
/// their reasons; sentences and entities linked across the two sides; a filter for flagged
/// links (`#flagged` in the URL turns it on); `j`/`n` and `k`/`p` move between flagged links.
public struct ReviewWriter: BatchOutputWriter, StreamingOutputWriter {
    public static let name: StageID = "review"
    public static let summary = "Review page: self-contained HTML per pair (side by side, scores, flags, linked entities) and an index page."
    public static let fileExtension = "review.html"
    public static let writesToStandardOutput = false

    public struct Options: StageOptions {
        public var indexPage: String
        public var threshold: Double
        public static let fields = [
            OptionField("index_page", "string", default: "review.html", "The batch's index page, relative to the output directory."),
            OptionField("threshold", "number", default: "0.5", "Links scoring below this are marked for review like flagged ones."),
        ]
        enum CodingKeys: String, CodingKey { case indexPage = "index_page", threshold }
        public init(indexPage: String = "review.html", threshold: Double = 0.5) throws {
            guard !indexPage.isEmpty, !indexPage.hasPrefix("/"), !indexPage.split(separator: "/").contains("..") else {
                throw OptionError(option: "index_page", "must be a relative path inside the output directory, not '\(indexPage)'")
            }
            guard threshold.isFinite else { throw OptionError(option: "threshold", "must be a number") }
            self.indexPage = indexPage
            self.threshold = threshold
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            try self.init(indexPage: try c.value(.indexPage, or: "review.html"), threshold: try c.value(.threshold, or: 0.5))
        }
    }

    public let options: Options
    public init(options: Options) throws { self.options = options }

    public func stream(_ unit: WorkUnit, baseName: String, to sink: inout some OutputSink) throws {
        try sink.open(relativePath: baseName + ".review.html")
        var html = HTML(capacity: StreamedOutput.flushSize + (1 << 16))
        try render(unit, into: &html) { html in try StreamedOutput.drain(&html.bytes, to: &sink) }
        try StreamedOutput.drain(&html.bytes, to: &sink, final: true)
    }

    // MARK: One unit

    /// What the index page shows of a unit; embedded in the unit's page as JSON.
    struct Summary {
        var id: String
        var sources: [String]
        var paragraphs: [(String, Int)]
        var links: Int
        var review: Int
        var meanScore: Double?
    }

    /// The whole page at once.
    public func render(_ unit: WorkUnit) -> [UInt8] {
        var html = HTML()
        render(unit, into: &html) { _ in }
        return html.bytes
    }

    /// Writes the page; `flush` is called after each row. The summary at the top is counted
    /// first from the records' outlines; the rows' records are made one at a time.
    private func render(_ unit: WorkUnit, into html: inout HTML, flush: (inout HTML) throws -> Void) rethrows {
        let view = UnitView(unit)
        let lists = PairRecords.UnitLists(view)
        // Read from the links in place (a copied list of them was 1.4 MB on a long pair).
        let alignment = unit.alignment ?? []
        var (records, linked, needsReview, scoreSum, scores) = (0, 0, 0, 0.0, 0)
        PairRecords.forEachParagraphRecord(view, lists: lists, outline: true) { record in
            records += 1
            if isForReview(record) { needsReview += 1 }
            guard record.kind == .paragraphPair else { return }
            linked += 1
            if let score = record.score {
                scoreSum += score
                scores += 1
            }
        }
        let summary = Summary(
            id: unit.id, sources: unit.inputs.map(\.path),
            paragraphs: view.languages.map { ($0.rawValue, view.paragraphs[$0]?.count ?? 0) },
            links: linked, review: needsReview, meanScore: scores == 0 ? nil : scoreSum / Double(scores))
        let columns: [LanguageCode] = unit.isPaired ? [.english, .spanish] : view.languages

        html.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        html.raw(Self.contentSecurityPolicy)
        html.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        html.raw("<meta name=\"generator\" content=\"bitext \(BitextVersion.current)\">\n<title>")
        html.text("Review: \(unit.id)")
        html.raw("</title>\n<style>\(Self.style)</style>\n")
        html.raw("<script type=\"application/json\" id=\"bitext-summary\">")
        html.raw(Self.summaryJSON(summary))
        html.raw("</script>\n</head>\n<body>\n<header>\n<h1>")
        html.text(unit.id)
        html.raw("</h1>\n<p class=\"sources\">")
        html.text(unit.inputs.map(\.path).joined(separator: " · "))
        html.raw("</p>\n<p class=\"stats\">")
        var stats = summary.paragraphs.map { "\($0.1) \($0.0) paragraphs" }
        stats.append(unit.alignment == nil ? "not aligned" : "\(summary.links) links")
        stats.append("\(summary.review) to review")
        if let mean = summary.meanScore { stats.append("mean score \(JSONWriter.format(mean, digits: 2))") }
        html.text(stats.joined(separator: " · "))
        html.raw("</p>\n<div class=\"controls\"><label><input type=\"checkbox\" id=\"only-flagged\"> Only links to review</label>")
        html.raw(" <span class=\"help\">j / n: next to review · k / p: previous · click an entity to pin its counterpart</span>")
        html.raw(" <span id=\"position\" aria-live=\"polite\"></span></div>\n</header>\n")
        html.raw("<table id=\"links\">\n<thead><tr><th>#</th><th>score</th>")
        for language in columns { html.raw("<th lang=\"\(HTML.attribute(language.rawValue))\">"); html.text(language.rawValue); html.raw("</th>") }
        html.raw("<th>flags</th></tr></thead>\n<tbody>\n")
        let sentenceLinks = SentenceLinks(unit)
        // Grouped once for the page: grouped per side of each row, it cost every row a pass over
        // all the side's sentences (a side of 200,000 one-word paragraphs was still being written after 8 minutes).
        let sentences = view.sentences.mapValues(SentencesByParagraph.init)
        try PairRecords.forEachParagraphRecord(view, lists: lists) { record in
            writeRow(record, view: view, sentences: sentences, columns: columns, sentenceLinks: sentenceLinks, explanation: record.link.flatMap { alignment.indices.contains($0) ? alignment[$0].explanation : nil }, &html)
            try flush(&html)
        }
        html.raw("</tbody>\n</table>\n")
        if records == 0 { html.raw("<p class=\"empty\">No paragraphs.</p>\n") }
        html.raw("<script>\(Self.script)</script>\n</body>\n</html>\n")
    }

    private func isForReview(_ record: PairRecord) -> Bool {
        guard record.kind == .paragraphPair else { return record.kind == .paragraph && record.sides.count == 1 && !record.flags.isEmpty }
        return !record.flags.isEmpty || (record.score ?? 1) < options.threshold || record.sides.count < 2
    }

    private func writeRow(
        _ record: PairRecord, view: UnitView, sentences: [LanguageCode: SentencesByParagraph], columns: [LanguageCode],
        sentenceLinks: SentenceLinks, explanation: [String: String]?, _ html: inout HTML
    ) {
        // Written piece by piece: the rows' strings made by interpolation (and the numbers' in
        // them) cost a fifth of the writer.
        let review = isForReview(record)
        html.raw("<tr id=\"")
        html.attributeValue(record.localID)
        html.raw(record.kind == .paragraphPair ? "\" class=\"link" : "\" class=\"unlinked")
        html.raw(review ? " flagged\" data-flagged=\"true\"" : "\" data-flagged=\"false\"")
        if let score = record.score {
            html.raw(" data-score=\"")
            html.raw(JSONWriter.format(score, digits: 4))
            html.raw("\"")
        }
        html.raw(">")
        html.raw("<td class=\"num\">")
        if let link = record.link { html.number(link) } else { html.raw("–") }
        html.raw("</td>")
        if let score = record.score {
            html.raw("<td class=\"score\" style=\"background:hsl(")
            html.number(Int((min(max(score, 0), 1) * 120).rounded()))
            html.raw(",70%,82%)\" title=\"alignment score\">")
            html.text(JSONWriter.format(score, digits: 2))
        } else {
            html.raw("<td class=\"score none\" title=\"no alignment link\">")
        }
        html.raw("</td>")
        for language in columns {
            html.raw("<td class=\"side\" lang=\"")
            html.attributeValue(Self.htmlLanguage(language))
            html.raw("\">")
            if let side = record.side(language) {
                writeSide(side, view: view, sentences: sentences[language] ?? SentencesByParagraph([]), sentenceLinks: sentenceLinks, &html)
            }
            html.raw("</td>")
        }
        html.raw("<td class=\"flags\">")
        var reasons = record.flags.map { flag in (flag, Self.reason(for: flag, record: record, explanation: explanation)) }
        if record.kind == .paragraphPair, let score = record.score, score < options.threshold, record.flags.isEmpty {
            reasons.append(("low_score", "score \(JSONWriter.format(score, digits: 2)) is below the review threshold \(JSONWriter.format(options.threshold, digits: 2))"))
        }
        if record.kind == .paragraphPair, record.sides.count < 2, record.flags.isEmpty {
            reasons.append(("one_sided", "this link has text on one side only: an omission or an addition"))
        }
        for (flag, reason) in reasons {
            html.raw("<span class=\"badge\" title=\"\(HTML.attribute(reason))\">")
            html.text(flag)
            html.raw("</span><span class=\"reason\">")
            html.text(reason)
            html.raw("</span>")
        }
        if let explanation, !explanation.isEmpty {
            // `--explain`: the aligner's cost terms and anchors, folded away.
            html.raw("<details class=\"explain\"><summary>why</summary><dl>")
            for key in explanation.keys.sorted() {
                html.raw("<dt>")
                html.text(key)
                html.raw("</dt><dd>")
                html.text(explanation[key]!)
                html.raw("</dd>")
            }
            html.raw("</dl></details>")
        }
        html.raw("</td></tr>\n")
    }

    /// Where each sentence went: per language, sentence index → sentence link index (an array
    /// by sentence, -1 for none: a dictionary took some 40 bytes a sentence).
    struct SentenceLinks {
        var links: [SentenceLink]
        private var english: [Int32] = []
        private var spanish: [Int32] = []
        init(_ unit: WorkUnit) {
            links = unit.sentenceAlignment ?? []
            func mark(_ sentence: Int, _ link: Int, in map: inout [Int32]) {
                if sentence >= map.count { map += repeatElement(-1, count: sentence + 1 - map.count) }
                map[sentence] = Int32(link)
            }
            for (index, link) in links.enumerated() {
                for s in link.english where s >= 0 { mark(s, index, in: &english) }
                for s in link.spanish where s >= 0 { mark(s, index, in: &spanish) }
            }
        }

        func link(of sentence: Int, in language: LanguageCode) -> Int? {
            let map = language == .english ? english : language == .spanish ? spanish : []
            guard sentence >= 0, sentence < map.count, map[sentence] >= 0 else { return nil }
            return Int(map[sentence])
        }
    }

    /// A language's sentences grouped by paragraph, each group in list order.
    struct SentencesByParagraph {
        let sentences: UnitView.Sentences
        private let groups: UnitView.ParagraphGroups

        init(_ sentences: UnitView.Sentences) {
            self.sentences = sentences
            groups = UnitView.ParagraphGroups(paragraphs: sentences.paragraphOfEach)
        }

        /// The sentences of `paragraph`, in list order.
        func of(_ paragraph: Int) -> some Sequence<UnitView.Sentence> {
            groups.positions(of: paragraph).lazy.map { [sentences] in sentences[$0] }
        }
    }

    /// A side's paragraphs: sentences as `<span class="sent" data-sl="N">` (N: the sentence
    /// link, shared with the aligned sentences on the other side) and entity mentions as
    /// `<mark>` inside them, `data-link` tying the English and Spanish mentions of one thing.
    /// `sentences`: the side's sentences by paragraph.
    private func writeSide(
        _ side: PairRecord.Side, view: UnitView, sentences: SentencesByParagraph, sentenceLinks: SentenceLinks, _ html: inout HTML
    ) {
        guard let list = view.paragraphs[side.language] else { return }
        for (n, index) in side.paragraphs.enumerated() where list.indices.contains(index) {
            let paragraph = list[index]
            if n > 0 { html.raw("<br>") }
            let block = paragraph.info
            html.raw("<span class=\"para ")
            html.attributeValue(block.kind.rawValue)
            html.raw("\" data-index=\"")
            html.number(index)
            html.raw("\">")
            let text = Array(paragraph.text.utf8)
            let mentions = side.entities.filter { $0.paragraph == index }.sorted { $0.entity.range < $1.entity.range }.compactMap { mention -> (Int, Int, EntityMention)? in
                let start = Self.localOffset(mention.entity.range.start, in: block)
                let end = Self.localOffset(mention.entity.range.end, in: block)
                return end > start && end <= text.count ? (start, end, mention) : nil
            }
            var cursor = 0
            for sentence in sentences.of(index) {
                let start = Self.localOffset(sentence.range.start, in: block)
                let end = min(Self.localOffset(sentence.range.end, in: block), text.count)
                guard start >= cursor, end > start else { continue }
                writeRun(text, cursor, start, mentions, &html)
                html.raw("<span class=\"sent")
                if let link = sentenceLinks.link(of: sentence.index, in: side.language) {
                    let sentenceLink = sentenceLinks.links[link]
                    if !sentenceLink.flags.isEmpty { html.raw(" sflag") }
                    html.raw("\" data-sl=\"")
                    html.number(link)
                    html.raw("\" title=\"sentence pair ")
                    html.number(link)
                    html.raw(", score ")
                    html.raw(JSONWriter.format(sentenceLink.score, digits: 2))
                    for flag in sentenceLink.flags {
                        html.raw(", ")
                        html.attributeValue(flag)
                    }
                    html.raw("\">")
                } else {
                    html.raw(" unaligned\" title=\"no sentence link\">")
                }
                writeRun(text, start, end, mentions, &html)
                html.raw("</span>")
                cursor = end
            }
            writeRun(text, cursor, text.count, mentions, &html)
            html.raw("</span>")
        }
    }

    typealias EntityMention = UnitView.EntityMention

    /// Text from `from` to `to` with the entity mentions that lie wholly inside it as marks
    /// (a mention across a sentence boundary stays plain text).
    private func writeRun(_ text: [UInt8], _ from: Int, _ to: Int, _ mentions: [(Int, Int, EntityMention)], _ html: inout HTML) {
        var cursor = from
        for (start, end, mention) in mentions where start >= cursor && end <= to {
            html.text(utf8: text[cursor..<start])
            let entity = mention.entity
            let kind = entity.kind
            html.raw("<mark class=\"ent\" data-kind=\"")
            html.attributeValue(kind)
            html.raw("\"")
            if let link = entity.link {
                html.raw(" data-link=\"")
                html.attributeValue(link)
                html.raw("\"")
            }
            html.raw(" title=\"")
            html.attributeValue(kind)
            if let normalized = entity.normalized {
                html.raw(": ")
                html.attributeValue(normalized)
            }
            html.raw("\">")
            html.text(utf8: text[start..<end])
            html.raw("</mark>")
            cursor = end
        }
        if cursor < to { html.text(utf8: text[cursor..<to]) }
    }

    /// See `UnitView.localOffset(_:in:)`.
    static func localOffset(_ documentOffset: Int, in block: Block) -> Int { UnitView.localOffset(documentOffset, in: block) }

    static func htmlLanguage(_ key: LanguageCode) -> String { XLIFFWriter.languageTag(key) }

    /// A reason for a flag, said with the link's own data where the flag is about data: which
    /// numbers, dates or entities one side has and the other lacks, the two lengths. The
    /// aligner's explanation (`--explain`) adds its figures; unknown flags are named in words.
    static func reason(for flag: String, record: PairRecord, explanation: [String: String]?) -> String {
        if let explanation {
            for key in [flag, "flag.\(flag)", "flags.\(flag)", "\(flag)_reason"] { if let text = explanation[key] { return text } }
        }
        let english = record.side(.english)
        let spanish = record.side(.spanish)
        switch flag {
        case "number_mismatch":
            let a = numbers(in: english?.text ?? "")
            let b = numbers(in: spanish?.text ?? "")
            var parts: [String] = []
            let onlyEnglish = a.subtracting(b).sorted(by: numericOrder)
            let onlySpanish = b.subtracting(a).sorted(by: numericOrder)
            if !onlyEnglish.isEmpty { parts.append("only in English: " + onlyEnglish.prefix(8).joined(separator: ", ")) }
            if !onlySpanish.isEmpty { parts.append("only in Spanish: " + onlySpanish.prefix(8).joined(separator: ", ")) }
            return parts.isEmpty ? "the numbers differ between the two sides" : "numbers differ — " + parts.joined(separator: "; ")
        case "date_mismatch", "entity_mismatch":
            // Kinds the entity linker compares across languages (places are not flagged: names
            // of places differ too often between English and Spanish).
            let kinds: (String) -> Bool = flag == "date_mismatch" ? { $0 == "date" } : { !["date", "number", "money", "percent", "location"].contains($0) }
            var parts: [String] = []
            for side in [english, spanish].compactMap({ $0 }) {
                var seen = Set<String>()
                let unmatched = side.entities.filter { $0.entity.link == nil && kinds($0.entity.kind) }.map(\.text).filter { seen.insert($0).inserted }
                if !unmatched.isEmpty { parts.append("unmatched in \(side.language == .english ? "English" : "Spanish"): " + unmatched.prefix(6).joined(separator: ", ")) }
            }
            let what = flag == "date_mismatch" ? "a date" : "a name, code or reference"
            return parts.isEmpty ? "\(what) on one side has no counterpart on the other" : parts.joined(separator: "; ")
        case "length_ratio":
            let a = english?.text.count ?? 0
            let b = spanish?.text.count ?? 0
            var text = "English \(a) characters, Spanish \(b)"
            if a > 0 { text += " (Spanish/English \(JSONWriter.format(Double(b) / Double(a), digits: 2)); translations into Spanish usually run 1.0–1.3)" }
            if let z = explanation?["length_z"] { text += ", z = \(z)" }
            return text
        case "low_confidence", "low_score":
            return "the aligner's confidence is low (score \(record.score.map { JSONWriter.format($0, digits: 2) } ?? "?"))"
        default:
            return knownFlags[flag] ?? flag.replacingOccurrences(of: "_", with: " ")
        }
    }

    /// Digit runs as they are written, leading zeros dropped (`2,699` → `2`, `699`).
    static func numbers(in text: String) -> Set<String> {
        var result = Set<String>()
        var run = ""
        for character in text + " " {
            if character.isASCII && character.isNumber {
                run.append(character)
            } else if !run.isEmpty {
                let trimmed = run.drop { $0 == "0" }
                result.insert(trimmed.isEmpty ? "0" : String(trimmed))
                run = ""
            }
        }
        return result
    }

    private static func numericOrder(_ a: String, _ b: String) -> Bool { a.count != b.count ? a.count < b.count : a < b }

    static let knownFlags: [String: String] = [
        "omitted": "text on one side has no counterpart on the other: an omission or an addition",
        "omission": "text on one side has no counterpart on the other",
        "addition": "text on one side has no counterpart on the other",
        "untranslated": "both sides are in the same language: the text was not translated",
        "punctuation": "a Spanish question or exclamation lacks its opening ¿ or ¡ (or its closing mark)",
        "many_to_one": "several paragraphs are aligned with one",
        "one_to_many": "one paragraph is aligned with several",
        "reordered": "the link crosses other links: the order differs between the sides",
        "merged": "several sentences on one side match fewer on the other",
    ]

    // MARK: Batch index page

    public func finish(units: [BatchUnitSummary], outputs: OutputReader, to sink: inout some OutputSink) throws {
        var html = HTML()
        html.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        html.raw(Self.contentSecurityPolicy)
        html.raw("<meta name=\"generator\" content=\"bitext \(BitextVersion.current)\">\n<title>bitext review</title>\n<style>\(Self.style)</style>\n</head>\n<body>\n")
        html.raw("<header><h1>Review</h1><p class=\"stats\">")
        html.text("\(units.count) units · \(units.filter { $0.status == "failed" }.count) failed")
        html.raw("</p></header>\n<table id=\"units\">\n<thead><tr><th>unit</th><th>paragraphs</th><th>links</th><th>to review</th><th>mean score</th><th>sources</th></tr></thead>\n<tbody>\n")
        let base = Array(options.indexPage.split(separator: "/").dropLast())
        for unit in units {
            let page = unit.outputs.first { $0.hasSuffix(".review.html") }
            let summary = page.flatMap(outputs.open).flatMap(Self.summary(readingHeadOf:))
            // `ok` and `skipped` (current from an earlier run) look the same: the page must not
            // change when a run resumes.
            html.raw(unit.status == "failed" ? "<tr class=\"unit failed\"" : "<tr class=\"unit\"")
            if let summary, summary.review > 0 { html.raw(" data-flagged=\"true\"") }
            html.raw("><td>")
            if let page {
                html.raw("<a href=\"\(HTML.attribute(Self.relativeLink(from: base, to: page)))\">")
                html.text(unit.id)
                html.raw("</a>")
            } else {
                html.text(unit.id)
                html.raw(" <span class=\"badge\">")
                html.text(unit.status)
                html.raw("</span>")
            }
            html.raw("</td>")
            if let summary {
                html.raw("<td>")
                html.text(summary.paragraphs.map { "\($0.1) \($0.0)" }.joined(separator: " / "))
                html.raw("</td><td>\(summary.links)</td><td class=\"review\">\(summary.review)</td><td class=\"score\"")
                if let mean = summary.meanScore {
                    html.raw(" style=\"background:hsl(\(Int((min(max(mean, 0), 1) * 120).rounded())),70%,82%)\">\(JSONWriter.format(mean, digits: 2))")
                } else {
                    html.raw(">")
                }
                html.raw("</td><td class=\"sources\">")
                html.text(summary.sources.joined(separator: " · "))
                html.raw("</td>")
            } else {
                html.raw("<td></td><td></td><td></td><td></td><td></td>")
            }
            html.raw("</tr>\n")
        }
        html.raw("</tbody>\n</table>\n</body>\n</html>\n")
        try sink.open(relativePath: options.indexPage)
        try html.bytes.withUnsafeBytes { try sink.append($0) }
    }

    /// A link from a page in `directory` to `path` (both relative to the output directory).
    static func relativeLink(from directory: [Substring], to path: String) -> String {
        var target = path.split(separator: "/")
        var from = directory
        while let a = from.first, let b = target.first, a == b, target.count > 1 {
            from.removeFirst()
            target.removeFirst()
        }
        let up = Array(repeating: "..", count: from.count)
        return (up + target.map(String.init)).map { $0.addingPercentEncodingForPath() }.joined(separator: "/")
    }

    static func summaryJSON(_ summary: Summary) -> String {
        var json = JSONWriter(pretty: false)
        json.beginObject()
        json.value("id", summary.id)
        json.array("sources", summary.sources)
        json.beginObject("paragraphs")
        for (language, count) in summary.paragraphs { json.value(language, count) }
        json.endObject()
        json.value("links", summary.links)
        json.value("review", summary.review)
        if let mean = summary.meanScore { json.value("mean_score", mean) }
        json.endObject()
        // `</` cannot appear inside a script element; `<\/` is the same JSON string.
        return String(decoding: json.bytes, as: UTF8.self).replacingOccurrences(of: "</", with: "<\\/")
    }

    /// Reads the summary back from the head of a unit's page, where the page puts it: a
    /// long unit's page (40 MB) is not read whole for it.
    static func summary(readingHeadOf page: OutputPieces) -> Summary? {
        var head: [UInt8] = []
        let headEnd = Array("</head>".utf8)
        while let piece = try? page.next(maxCount: 1 << 16), !piece.isEmpty {
            // Searched again from a little before the new piece, in case a marker straddles.
            let from = max(0, head.count - 80)
            head += piece
            if head[from...].firstRange(of: headEnd) != nil { break }
        }
        return summary(inPage: head)
    }

    /// Reads the summary back from a unit's page (for the index page, also after `--resume`).
    static func summary(inPage bytes: [UInt8]) -> Summary? {
        // Found in the bytes: made a String and searched with Foundation, a long unit's page
        // (40 MB) was converted whole and indexed in UTF-16 to find a summary in its head.
        guard let start = bytes.firstRange(of: Array("<script type=\"application/json\" id=\"bitext-summary\">".utf8))?.upperBound,
              let end = bytes[start...].firstRange(of: Array("</script>".utf8))?.lowerBound
        else { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes[start..<end])) as? [String: Any],
              let id = object["id"] as? String
        else { return nil }
        let paragraphs = (object["paragraphs"] as? [String: Any] ?? [:]).compactMap { key, value in (value as? Int).map { (key, $0) } }
        return Summary(
            id: id, sources: object["sources"] as? [String] ?? [],
            paragraphs: paragraphs.sorted { a, b in UnitView.languageOrder(LanguageCode(a.0), LanguageCode(b.0)) },
            links: object["links"] as? Int ?? 0, review: object["review"] as? Int ?? 0, meanScore: (object["mean_score"] as? NSNumber)?.doubleValue)
    }

    // MARK: Assets (inline: the page must work offline and from file://)

    static let contentSecurityPolicy = """
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">

        """

    static let style = """
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
        header{position:sticky;top:0;background:#fff;border-bottom:1px solid #ddd;padding:.6em 1em;z-index:2}
        h1{font-size:1.15em;margin:0 0 .2em}
        .sources,.stats,.help{color:#555;font-size:.9em;margin:.1em 0}
        .controls{margin-top:.3em}
        #position{margin-left:1em;font-weight:600}
        table{border-collapse:collapse;width:100%;table-layout:fixed}
        th,td{border-bottom:1px solid #e3e3e3;padding:.45em .6em;vertical-align:top;text-align:left}
        th{background:#f0f0f0;font-weight:600;position:sticky;top:0}
        #links th:nth-child(1),#links td.num{width:3em;color:#777;text-align:right}
        #links th:nth-child(2),#links td.score{width:4em;text-align:center;font-variant-numeric:tabular-nums}
        #links th:last-child,#links td.flags{width:16em}
        td.score.none{background:#eee}
        td.side{white-space:pre-wrap;overflow-wrap:anywhere}
        .para.heading{font-weight:700}
        tr.flagged td.num{border-left:4px solid #d9822b}
        tr.unlinked td.side:empty{background:repeating-linear-gradient(45deg,#f4f4f4,#f4f4f4 6px,#ececec 6px,#ececec 12px)}
        tr.current{outline:3px solid #1a73e8;outline-offset:-3px}
        .badge{display:inline-block;background:#d9822b;color:#fff;border-radius:3px;padding:0 .4em;font-size:.8em;margin:0 .3em .2em 0}
        .reason{display:block;color:#6b4a1f;font-size:.8em;margin-bottom:.3em}
        details.explain{font-size:.8em;color:#555}details.explain dl{margin:.2em 0;display:grid;grid-template-columns:auto 1fr;gap:0 .5em}
        details.explain dt{font-weight:600}details.explain dd{margin:0;overflow-wrap:anywhere}
        .sent[data-sl]:hover,.sent.shl{background:#e7f4e4;border-radius:2px}
        .sent.sflag{text-decoration:underline dotted rgba(217,130,43,.7);text-underline-offset:3px}
        mark.ent{background:#e6f0ff;border-bottom:2px solid #7aa7e8;border-radius:2px;cursor:pointer;padding:0 1px}
        mark.ent[data-link]{border-bottom-style:solid}
        mark.ent:not([data-link]){border-bottom-style:dotted;background:#f1f1f1}
        mark.ent.hl{background:#ffe066;border-bottom-color:#c9a000}
        mark.ent.pinned{background:#ffc94d}
        tr.failed td{color:#a00}
        @media (prefers-color-scheme:dark){body{background:#161616;color:#e6e6e6}header,th{background:#222}th,td{border-color:#333}
        .sources,.stats,.help{color:#aaa}td.score{color:#111}mark.ent{background:#2a3b55;color:#e6e6e6}mark.ent.hl{background:#806a00}.reason{color:#e0b27a}}
        """

    /// Filter (checkbox, `#flagged`), keyboard navigation over flagged rows, entity linking.
    static let script = """
        (function(){
        "use strict";
        var rows=Array.prototype.slice.call(document.querySelectorAll("#links tbody tr"));
        var flagged=rows.filter(function(r){return r.dataset.flagged==="true";});
        var box=document.getElementById("only-flagged");
        var position=document.getElementById("position");
        var current=-1;
        function applyFilter(on){
          box.checked=on;
          document.body.classList.toggle("only-flagged",on);
          rows.forEach(function(r){ r.hidden=on&&r.dataset.flagged!=="true"; });
        }
        function fromHash(){ applyFilter(/(^|[#&])flagged($|&)/.test(location.hash)); }
        box.addEventListener("change",function(){
          var on=box.checked;
          if(history.replaceState){history.replaceState(null,"",on?"#flagged":location.pathname+location.search);}
          applyFilter(on);
        });
        window.addEventListener("hashchange",fromHash);
        function go(step){
          if(!flagged.length){position.textContent="nothing to review";return;}
          if(current>=0){flagged[current].classList.remove("current");}
          current=(current+step+flagged.length)%flagged.length;
          var row=flagged[current];
          row.classList.add("current");
          row.scrollIntoView({block:"center"});
          position.textContent=(current+1)+" / "+flagged.length;
        }
        document.addEventListener("keydown",function(e){
          if(e.target&&(e.target.tagName==="INPUT"||e.target.tagName==="TEXTAREA")&&e.target.type!=="checkbox"){return;}
          if(e.ctrlKey||e.metaKey||e.altKey){return;}
          if(e.key==="j"||e.key==="n"){go(1);e.preventDefault();}
          else if(e.key==="k"||e.key==="p"){go(-1);e.preventDefault();}
          else if(e.key==="f"){box.checked=!box.checked;box.dispatchEvent(new Event("change"));}
        });
        function partners(mark){
          var link=mark.getAttribute("data-link");
          if(!link){return [mark];}
          return Array.prototype.slice.call(document.querySelectorAll('mark.ent[data-link="'+link.replace(/["\\\\]/g,"\\\\$&")+'"]'));
        }
        function sentences(span){ return document.querySelectorAll('.sent[data-sl="'+span.getAttribute("data-sl")+'"]'); }
        document.addEventListener("mouseover",function(e){
          if(!e.target.closest){return;}
          var m=e.target.closest("mark.ent"); if(m){ partners(m).forEach(function(x){x.classList.add("hl");}); }
          var s=e.target.closest(".sent[data-sl]"); if(s){ sentences(s).forEach(function(x){x.classList.add("shl");}); }
        });
        document.addEventListener("mouseout",function(e){
          if(!e.target.closest){return;}
          var m=e.target.closest("mark.ent"); if(m){ partners(m).forEach(function(x){x.classList.remove("hl");}); }
          var s=e.target.closest(".sent[data-sl]"); if(s){ sentences(s).forEach(function(x){x.classList.remove("shl");}); }
        });
        document.addEventListener("click",function(e){
          var m=e.target.closest&&e.target.closest("mark.ent"); if(!m){return;}
          var on=!m.classList.contains("pinned");
          document.querySelectorAll("mark.ent.pinned").forEach(function(x){x.classList.remove("pinned");});
          if(on){partners(m).forEach(function(x){x.classList.add("pinned");});
            var other=partners(m).filter(function(x){return x.closest("td")!==m.closest("td");})[0];
            if(other){other.scrollIntoView({block:"nearest"});}}
        });
        fromHash();
        document.documentElement.setAttribute("data-ready","true");
        })();
        """
}

/// Escaping for HTML text and attribute values.
struct HTML {
    var bytes: [UInt8] = []
    init(capacity: Int = 16_384) { bytes.reserveCapacity(capacity) }
    /// Markup as it is. (Through the string's contiguous bytes: appending its `utf8` view
    /// went through the generic sequence path, some 170 instructions a call.)
    mutating func raw(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }
    mutating func text(_ text: String) {
        var text = text
        text.withUTF8 { HTML.appendEscaped($0, attribute: false, to: &bytes) }
    }
    /// Text given as UTF-8 bytes (a slice of a paragraph's text: no string is made of it).
    mutating func text(utf8: ArraySlice<UInt8>) {
        utf8.withUnsafeBufferPointer { HTML.appendEscaped($0, attribute: false, to: &bytes) }
    }
    /// `text` escaped for an attribute value, in place (`attribute(_:)` without the string).
    mutating func attributeValue(_ text: String) {
        var text = text
        text.withUTF8 { HTML.appendEscaped($0, attribute: true, to: &bytes) }
    }
    mutating func number(_ value: Int) { bytes.appendDecimal(value) }
    static func attribute(_ text: String) -> String {
        var text = text
        var out: [UInt8] = []
        text.withUTF8 { appendEscaped($0, attribute: true, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Escapes byte by byte, copying the runs between the characters escaped (a string built
    /// scalar by scalar cost a fifth of the review writer).
    static func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>, attribute: Bool, to out: inout [UInt8]) {
        var runStart = 0
        var i = 0
        while i < utf8.count {
            if utf8.count - i >= 8 {
                // Eight bytes none of which is escaped (quotes only in attributes, but a word
                // holding one goes to the byte test either way).
                if ByteWords.isPlainMarkupText(ByteWords.load(utf8, at: i), below: 1, extra: UInt8(ascii: "'")) {
                    i += 8
                    continue
                }
            }
            let escaped: StaticString
            switch utf8[i] {
            case UInt8(ascii: "&"): escaped = "&amp;"
            case UInt8(ascii: "<"): escaped = "&lt;"
            case UInt8(ascii: ">"): escaped = "&gt;"
            case UInt8(ascii: "\"") where attribute: escaped = "&quot;"
            case UInt8(ascii: "'") where attribute: escaped = "&#39;"
            case 0: escaped = "\u{FFFD}"
            default:
                i += 1
                continue
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
            escaped.withUTF8Buffer { out.append(contentsOf: $0) }
            i += 1
            runStart = i
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
    }
}

extension String {
    /// Percent-encodes what a relative URL path segment cannot hold (`%`, `?`, `#`, space, …).
    func addingPercentEncodingForPath() -> String {
        var out = ""
        for byte in utf8 {
            let c = Character(UnicodeScalar(byte))
            if byte < 0x80 && (c.isLetter || c.isNumber || "-._~!$&'()*+,;=:@".contains(c)) {
                out.append(c)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }
    fileprivate func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
