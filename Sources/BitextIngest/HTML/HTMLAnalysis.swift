import BitextCore
import BitextHTML
import Foundation

/// Facts about the whole page computed before blocks are built: text and link amounts
/// per element, footnote references and their targets, the main content region, and
/// which elements are boilerplate or hidden.
///
/// Every property is a `let`, set once in `init`: the block builder reads them for every
/// node, and reads of a class's `var`s each paid a dynamic exclusivity check.
final class HTMLAnalysis {
    let tree: HTMLTree
    /// Non-space text bytes under each element (for text nodes: their own).
    let textBytes: [Int32]
    /// Non-space text bytes inside `<a href>` under each element.
    let linkBytes: [Int32]
    let linkCounts: [Int32]
    /// Element with each `id` (first one wins) — also `<a name>` anchors. Only ids that
    /// some `href="#…"` of the page points to are recorded: nothing else asks.
    let ids: [String: Int]
    /// Reference element (`sup`, or the `a` itself) → the element its link points to.
    let footnoteReferences: [Int: Int]
    /// Footnote body element → the mark its reference shows ("1", "*").
    let footnoteTargets: [Int: String]
    /// `#id` values of the references, so that back links in the notes can be recognised.
    let referenceAnchors: Set<String>
    /// The single `main`, `[role=main]` or `article` element, when the page has one.
    let mainElement: Int?
    /// Per-node facts as bits (`Flag`), so the builder's questions are array reads.
    private let flags: [UInt8]
    private enum Flag {
        static let hidden: UInt8 = 1
        /// `main` and its ancestors: never removed as boilerplate.
        static let mainPath: UInt8 = 2
        /// Elements holding a footnote target: kept even in a footer or aside.
        static let footnoteHolder: UInt8 = 4
        static let role: UInt8 = 8
        static let language: UInt8 = 16
        static let chrome: UInt8 = 32
        static let href: UInt8 = 64
    }
    /// Per-element facts read from attributes in one pass (sparse: most elements have none).
    private let languages: [Int: String]
    private let roles: [Int: String]
    /// The chrome word found in an element's `class` or `id`, with its reason.
    private let chromeWords: [Int: String]
    let documentLanguage: String?
    let bodyTextBytes: Int32

    init(tree: HTMLTree) {
        self.tree = tree
        let nodes = tree.nodes
        let n = nodes.count
        var text = [Int32](repeating: 0, count: n)
        var links = [Int32](repeating: 0, count: n)
        var linkCounts = [Int32](repeating: 0, count: n)
        var flags = [UInt8](repeating: 0, count: n)
        // One pass over every attribute of every element; the builder then asks in O(1).
        var mains: [Int] = []
        var articles: [Int] = []
        var language: String?
        var body: Int?
        /// `id` and `<a name>` attributes in document order, resolved once the link targets are known.
        var anchors: [(element: Int, attribute: HTMLAttribute)] = []
        var fragments = Set<String>()
        var chromeWords: [Int: String] = [:]
        var roles: [Int: String] = [:]
        var languages: [Int: String] = [:]
        var ids: [String: Int] = [:]
        // Attributes and their values are read in place: slices of the tree's arrays retained
        // and released their storage for every element and attribute.
        tree.attributes.withUnsafeBufferPointer { attributes in
            tree.text.withUnsafeBufferPointer { text in
                @inline(__always) func bytes(of attribute: HTMLAttribute) -> UnsafeBufferPointer<UInt8> {
                    let start = Int(attribute.valueStart)
                    return UnsafeBufferPointer(rebasing: text[start..<start + Int(attribute.valueCount)])
                }
                @inline(__always) func value(of attribute: HTMLAttribute) -> String { String(decoding: bytes(of: attribute), as: UTF8.self) }
                for k in 0..<n where nodes[k].kind == .element {
                    let name = nodes[k].name
                    if name == .body, body == nil { body = k }
                    if name == .main { mains.append(k) }
                    if name == .article { articles.append(k) }
                    guard nodes[k].count > 0 else { continue }
                    for attribute in attributes[Int(nodes[k].first)..<Int(nodes[k].first) + Int(nodes[k].count)] {
                        switch attribute.name {
                        case .id_:
                            anchors.append((k, attribute))
                            if flags[k] & Flag.chrome == 0, let reason = Self.chromeWord(in: bytes(of: attribute)) {
                                chromeWords[k] = reason
                                flags[k] |= Flag.chrome
                            }
                        case .class_:
                            if flags[k] & Flag.chrome == 0, let reason = Self.chromeWord(in: bytes(of: attribute)) {
                                chromeWords[k] = reason
                                flags[k] |= Flag.chrome
                            }
                        case .name_:
                            if name == .a { anchors.append((k, attribute)) }
                        case .href:
                            flags[k] |= Flag.href
                            let value = bytes(of: attribute)
                            if value.count > 1, value.first == UInt8(ascii: "#") {
                                fragments.insert(String(decoding: value.dropFirst(), as: UTF8.self))
                            }
                        case .role:
                            let role = value(of: attribute).lowercased()
                            if role == "main" { mains.append(k) }
                            roles[k] = role
                            flags[k] |= Flag.role
                        case .lang, .xmlLang:
                            if let code = Self.primaryLanguage(value(of: attribute)) {
                                languages[k] = code
                                flags[k] |= Flag.language
                                if name == .html { language = code }
                            }
                        case .hidden:
                            flags[k] |= Flag.hidden
                        case .ariaHidden:
                            if Self.equalsIgnoringCase(bytes(of: attribute), "true") { flags[k] |= Flag.hidden }
                        case .style:
                            if Self.styleHides(bytes(of: attribute)) { flags[k] |= Flag.hidden }
                        case .type:
                            if name == .input && Self.equalsIgnoringCase(bytes(of: attribute), "hidden") { flags[k] |= Flag.hidden }
                        default:
                            break
                        }
                    }
                }
            }
        }
        if !fragments.isEmpty {
            for (element, attribute) in anchors {
                let value = tree.value(of: attribute)
                if fragments.contains(value), ids[value] == nil { ids[value] = element }
            }
        }
        // Children come after their parent, so one backward pass sums every subtree.
        tree.text.withUnsafeBufferPointer { buffer in
            var i = n - 1
            while i >= 0 {
                let node = nodes[i]
                switch node.kind {
                case .text:
                    text[i] = Int32(Self.nonSpaceCount(UnsafeBufferPointer(rebasing: buffer[Int(node.first)..<Int(node.first) + Int(node.count)])))
                case .comment:
                    break
                case .element:
                    switch node.name {
                    case .script, .style, .noscript, .template, .head:
                        text[i] = 0
                        links[i] = 0
                    case .a where flags[i] & Flag.href != 0:
                        links[i] = text[i]
                        linkCounts[i] += 1
                    default: break
                    }
                }
                let parent = Int(node.parent)
                if parent >= 0 {
                    text[parent] += text[i]
                    links[parent] += links[i]
                    linkCounts[parent] += linkCounts[i]
                }
                i -= 1
            }
        }
        textBytes = text
        linkBytes = links
        self.linkCounts = linkCounts
        self.chromeWords = chromeWords
        self.roles = roles
        self.languages = languages
        self.ids = ids

        documentLanguage = language
        bodyTextBytes = body.map { text[$0] } ?? text.first ?? 0
        let outermostMains = mains.filter { m in !mains.contains { other in other != m && Self.isAncestor(other, of: m, in: nodes) } }
        let outermostArticles = articles.filter { a in !articles.contains { other in other != a && Self.isAncestor(other, of: a, in: nodes) } }
        var mainElement: Int?
        if outermostMains.count == 1 {
            mainElement = outermostMains[0]
        } else if outermostMains.isEmpty && outermostArticles.count == 1 {
            mainElement = outermostArticles[0]
        }
        if let main = mainElement, text[main] > 0 {
            var k = main
            while k >= 0 {
                flags[k] |= Flag.mainPath
                k = Int(nodes[k].parent)
            }
        } else {
            mainElement = nil
        }
        self.mainElement = mainElement
        let footnotes = ids.isEmpty ? Footnotes() : Self.findFootnotes(tree: tree, ids: ids, textBytes: text, flags: &flags)
        footnoteReferences = footnotes.references
        footnoteTargets = footnotes.targets
        referenceAnchors = footnotes.anchors
        self.flags = flags
    }

    /// Bytes other than space, line feed, tab and CR, eight at a time (byte by byte, this
    /// count over every text node was half of the analysis).
    static func nonSpaceCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var count = 0
        var i = 0
        while i + 8 <= bytes.count {
            let word = WordBytes(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
            let spaces = word.equal(0x20) | word.equal(0x0A) | word.equal(0x09) | word.equal(0x0D)
            count += 8 - spaces.nonzeroBitCount
            i += 8
        }
        while i < bytes.count {
            let b = base[i]
            if !(b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D) { count += 1 }
            i += 1
        }
        return count
    }

    static func equalsIgnoringCase<Bytes: Collection<UInt8>>(_ bytes: Bytes, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        return lowercase.withUTF8Buffer { pattern in
            var k = 0
            for raw in bytes {
                let b = raw >= 0x41 && raw <= 0x5A ? raw | 0x20 : raw
                if b != pattern[k] { return false }
                k += 1
            }
            return true
        }
    }

    static func isAncestor(_ a: Int, of b: Int, in nodes: [HTMLNode]) -> Bool {
        a < b && b < Int(nodes[a].end)
    }

    static func primaryLanguage(_ tag: String) -> String? {
        let primary = tag.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map { $0.lowercased() } ?? ""
        guard (2...3).contains(primary.count), primary.allSatisfy({ $0.isLetter }) else { return nil }
        return primary
    }

    /// The language an element declares (`lang`, `xml:lang`), as a primary subtag.
    func language(of i: Int) -> String? { flags[i] & Flag.language == 0 ? nil : languages[i] }

    /// `display: none` or `visibility: hidden` in an inline style (spaces and case ignored).
    static func styleHides<Bytes: Collection<UInt8>>(_ style: Bytes) -> Bool {
        var compact: [UInt8] = []
        compact.reserveCapacity(style.count)
        for b in style where !(b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D) {
            compact.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
        }
        func contains(_ needle: StaticString) -> Bool {
            let n = needle.utf8CodeUnitCount
            guard compact.count >= n else { return false }
            return needle.withUTF8Buffer { pattern in
                (0...(compact.count - n)).contains { start in (0..<n).allSatisfy { compact[start + $0] == pattern[$0] } }
            }
        }
        return contains("display:none") || contains("visibility:hidden")
    }

    // MARK: footnotes

    /// A reference is a link to an element of the page that looks like a note call: inside
    /// `<sup>`, or marked as a note reference (`role="doc-noteref"`, `epub:type="noteref"`,
    /// classes like `footnote-ref`/`fnref`), or a short bracketed number (`[1]`).
    private struct Footnotes {
        var references: [Int: Int] = [:]
        var targets: [Int: String] = [:]
        var anchors: Set<String> = []
    }

    private static func findFootnotes(tree: HTMLTree, ids: [String: Int], textBytes: [Int32], flags: inout [UInt8]) -> Footnotes {
        var found = Footnotes()
        let nodes = tree.nodes
        for k in nodes.indices where nodes[k].kind == .element && nodes[k].name == .a && flags[k] & Flag.href != 0 {
            guard let href = tree.attribute(.href, of: k), href.hasPrefix("#"), href.count > 1,
                let target = ids[String(href.dropFirst())], target != k, !Self.isAncestor(target, of: k, in: nodes)
            else { continue }
            let text = HTMLText.trimmingWhitespace(String(decoding: subtreeText(in: tree, k, limit: 16), as: UTF8.self))
            guard !text.isEmpty, text.count <= 8 else { continue }
            var reference = k
            let parent = Int(nodes[k].parent)
            let inSup = parent >= 0 && nodes[parent].name == .sup && textBytes[parent] <= 12
            let grandparent = parent >= 0 ? Int(nodes[parent].parent) : -1
            let inSupTwo = !inSup && grandparent >= 0 && nodes[grandparent].name == .sup && textBytes[grandparent] <= 12
            let hints = [
                tree.attribute(.class_, of: k), tree.attribute(.role, of: k), tree.attribute(.epubType, of: k),
                tree.attribute(.rel, of: k), tree.attribute(.id_, of: k),
            ].compactMap { $0?.lowercased() }.joined(separator: " ")
            let marked = ["footnote", "fnref", "noteref", "endnote", "fn-ref", "note-ref", "footnote-ref"].contains { hints.contains($0) }
            let bracketed = text.hasPrefix("[") && text.hasSuffix("]") && text.dropFirst().dropLast().allSatisfy { $0.isNumber }
            if inSup {
                reference = parent
            } else if inSupTwo {
                reference = grandparent
            } else if !(marked || bracketed) {
                continue
            }
            // A target that is itself a reference is a back link, not a note.
            if found.references[target] != nil { continue }
            found.references[reference] = target
            if found.targets[target] == nil {
                found.targets[target] = text.trimmingCharacters(in: CharacterSet(charactersIn: "[]() \u{00A0}"))
            }
            for anchor in [tree.attribute(.id_, of: k), tree.attribute(.name_, of: k), tree.attribute(.id_, of: reference)] {
                if let anchor { found.anchors.insert(anchor) }
            }
            var holder = target
            while holder >= 0 {
                flags[holder] |= Flag.footnoteHolder
                holder = Int(nodes[holder].parent)
            }
        }
        return found
    }

    /// A link from a note back to its reference (`↩`, `^`, or the number).
    func isBackLink(_ href: String) -> Bool {
        !referenceAnchors.isEmpty && href.hasPrefix("#") && referenceAnchors.contains(String(href.dropFirst()))
    }

    /// Up to `limit` bytes of the text under node `i`, white space collapsed.
    func subtreeText(_ i: Int, limit: Int) -> [UInt8] { Self.subtreeText(in: tree, i, limit: limit) }

    private static func subtreeText(in tree: HTMLTree, _ i: Int, limit: Int) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(limit + 1)  // a space and a byte may go in at the limit; no regrowth
        let end = Int(tree.nodes[i].end)
        var k = i
        var space = false
        while k < end && result.count < limit {
            let node = tree.nodes[k]
            if node.kind == .element {
                switch HTMLElements.role(of: node.name) {
                case .dropped, .metadata:
                    k = Int(node.end)
                    continue
                case .container, .block, .separator, .lineBreak:
                    space = !result.isEmpty  // "Home", "Search" in separate items read as two words
                default: break
                }
            }
            if node.kind == .text {
                for b in tree.content(of: k) {
                    if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D {
                        space = !result.isEmpty
                    } else {
                        if space { result.append(0x20) }
                        space = false
                        result.append(b)
                        if result.count >= limit { break }
                    }
                }
            }
            k += 1
        }
        // Do not cut a UTF-8 sequence in half.
        while let last = result.last, last & 0xC0 == 0x80 || last >= 0xC0 {
            let lead = result.lastIndex { $0 & 0xC0 != 0x80 } ?? 0
            let length = result[lead] >= 0xF0 ? 4 : result[lead] >= 0xE0 ? 3 : result[lead] >= 0xC0 ? 2 : 1
            if result.count - lead == length { break }
            result.removeSubrange(lead...)
        }
        return result
    }

    // MARK: hidden and boilerplate

    func isHidden(_ i: Int) -> Bool { flags[i] & Flag.hidden != 0 }

    /// Why element `i` is boilerplate, or nil if it is (or may be) content.
    func boilerplateReason(_ i: Int) -> String? {
        if flags[i] & (Flag.mainPath | Flag.footnoteHolder) != 0 { return nil }
        let nodes = tree.nodes
        let name = nodes[i].name
        // Outside the page's single main region, everything is site chrome.
        if let main = mainElement, !Self.isAncestor(main, of: i, in: nodes), name != .body, name != .html {
            if textBytes[i] > 0 { return Self.structuralReason(name) ?? "outside_main" }
            return nil
        }
        if let reason = Self.structuralReason(name) {
            if name == .header || name == .footer {
                // An article's own header (title, byline) or footer is content.
                if !hasContentAncestor(i) { return reason }
            } else {
                return reason
            }
        }
        if flags[i] & Flag.role != 0, let role = roles[i], let reason = Self.roleReasons[role] {
            return reason
        }
        if flags[i] & Flag.chrome != 0, let reason = chromeWords[i] {
            // A footer class inside an article is its own footer (notes, dates): content.
            let contentFooter = reason == "site_footer" && hasContentAncestor(i)
            let longSkip = reason == "skip_link" && textBytes[i] > 80
            if !contentFooter && !longSkip { return reason }
        }
        if name == .a, flags[i] & Flag.href != 0, let href = tree.attributeEntry(.href, of: i),
            tree.bytes(of: href).first == UInt8(ascii: "#"), tree.value(of: href).hasPrefix("#")
        {
            let text = String(decoding: subtreeText(i, limit: 40), as: UTF8.self).lowercased()
            if Self.skipLinkPrefixes.contains(where: { text.hasPrefix($0) }) { return "skip_link" }
        }
        return nil
    }

    private func hasContentAncestor(_ i: Int) -> Bool {
        var k = Int(tree.nodes[i].parent)
        while k >= 0 {
            let name = tree.nodes[k].name
            if name == .article || name == .main || name == .section || (flags[k] & Flag.role != 0 && roles[k] == "main") { return true }
            k = Int(tree.nodes[k].parent)
        }
        return false
    }

    static func structuralReason(_ name: HTMLName) -> String? {
        switch name {
        case .nav: "navigation"
        case .aside: "aside"
        case .menu: "menu"
        case .header: "site_header"
        case .footer: "site_footer"
        default: nil
        }
    }

    static let roleReasons: [String: String] = [
        "navigation": "navigation", "banner": "site_header", "contentinfo": "site_footer",
        "complementary": "aside", "search": "search", "menu": "menu", "menubar": "menu",
        "dialog": "dialog", "alertdialog": "dialog", "toolbar": "toolbar",
    ]

    static let skipLinkPrefixes = [
        "skip to", "skip navigation", "skip main", "jump to", "saltar al", "saltar a", "ir al contenido",
        "pasar al contenido", "omitir",
    ]

    /// Words in `class` and `id` that name site chrome.
    static let classWords: [String: String] = {
        var words: [String: String] = [:]
        for w in ["cookie", "cookies", "consent", "gdpr", "cookiebanner", "cookienotice", "cookie_notice"] { words[w] = "cookie_banner" }
        for w in ["share", "sharing", "sociallinks", "socialshare", "sharethis", "addthis", "socialmedia", "share_buttons"] { words[w] = "share_widget" }
        for w in ["breadcrumb", "breadcrumbs", "crumbs"] { words[w] = "breadcrumbs" }
        for w in ["skiplink", "skiplinks", "skip"] { words[w] = "skip_link" }
        for w in [
            "nav", "navbar", "navigation", "navheader", "navfooter", "navlinks", "navmenu", "mainnav", "topnav",
            "subnav", "sidenav", "menu", "menubar", "mainmenu", "pagination", "pager",
        ] { words[w] = "navigation" }
        for w in ["sidebar", "sidebars"] { words[w] = "aside" }
        for w in ["masthead", "siteheader"] { words[w] = "site_header" }
        for w in ["sitefooter", "footer", "colophon"] { words[w] = "site_footer" }
        for w in ["ad", "ads", "advert", "adverts", "advertisement", "sponsor", "sponsored", "banner-ad"] { words[w] = "advertisement" }
        for w in ["related", "relatedposts", "related_links"] { words[w] = "related_links" }
        return words
    }()

    /// The reason for the first chrome word in a `class` or `id` value. Words are split at
    /// anything but letters and digits (`site-nav` → `site`, `nav`), and each
    /// space-separated name is also tried with `-` and `_` removed (`cookie-banner` →
    /// `cookiebanner`). Works on bytes, without allocating: this runs for every `class` and
    /// `id` of every page.
    static func chromeWord<Bytes: Collection<UInt8>>(in value: Bytes) -> String? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * (maxWord + 1)) { buffer in
            let word = UnsafeMutableBufferPointer(rebasing: buffer[0...maxWord])
            let joined = UnsafeMutableBufferPointer(rebasing: buffer[(maxWord + 1)...])
            var wordCount = 0
            var joinedCount = 0
            for raw in value {
                let b = raw >= 0x41 && raw <= 0x5A ? raw | 0x20 : raw
                let alphanumeric = (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b >= 0x80
                if alphanumeric {
                    if wordCount <= maxWord { word[min(wordCount, maxWord)] = b }
                    if joinedCount <= maxWord { joined[min(joinedCount, maxWord)] = b }
                    wordCount += 1
                    joinedCount += 1
                    continue
                }
                if let reason = lookUpChromeWord(word, count: wordCount) { return reason }
                wordCount = 0
                if b == 0x20 || b == 0x09 || b == 0x0A {
                    if let reason = lookUpChromeWord(joined, count: joinedCount) { return reason }
                    joinedCount = 0
                }
            }
            return lookUpChromeWord(word, count: wordCount) ?? lookUpChromeWord(joined, count: joinedCount)
        }
    }

    static func chromeWord(in value: String) -> String? { chromeWord(in: Array(value.utf8)[...]) }

    private static let maxWord = 24

    /// `classWords` bucketed by first byte and length.
    private static let chromeBuckets: [[(word: [UInt8], reason: String)]] = {
        var buckets = [[(word: [UInt8], reason: String)]](repeating: [], count: 32 * 32)
        for (word, reason) in classWords {
            let bytes = Array(word.utf8)
            guard bytes.count >= 2 && bytes.count <= maxWord else { continue }
            buckets[bucket(first: bytes[0], count: bytes.count)].append((bytes, reason))
        }
        return buckets
    }()

    @inline(__always)
    private static func bucket(first: UInt8, count: Int) -> Int { Int(first & 31) << 5 | count }

    private static func lookUpChromeWord(_ bytes: UnsafeMutableBufferPointer<UInt8>, count: Int) -> String? {
        guard count >= 2 && count <= maxWord else { return nil }
        for candidate in chromeBuckets[bucket(first: bytes[0], count: count)] {
            var k = 0
            while k < count && candidate.word[k] == bytes[k] { k += 1 }
            if k == count { return candidate.reason }
        }
        return nil
    }
}
