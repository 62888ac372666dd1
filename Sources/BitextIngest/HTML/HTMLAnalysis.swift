import BitextCore
import BitextHTML
import Foundation

/// Facts about the whole page computed before blocks are built: text and link amounts
/// per element, footnote references and their targets, the main content region, and
/// which elements are boilerplate or hidden.
final class HTMLAnalysis {
    let tree: HTMLTree
    /// Non-space text bytes under each element (for text nodes: their own).
    private(set) var textBytes: [Int32]
    /// Non-space text bytes inside `<a href>` under each element.
    private(set) var linkBytes: [Int32]
    private(set) var linkCounts: [Int32]
    /// Element with each `id` (first one wins) — also `<a name>` anchors.
    private(set) var ids: [String: Int] = [:]
    /// Reference element (`sup`, or the `a` itself) → the element its link points to.
    private(set) var footnoteReferences: [Int: Int] = [:]
    /// Footnote body element → the mark its reference shows ("1", "*").
    private(set) var footnoteTargets: [Int: String] = [:]
    /// `#id` values of the references, so that back links in the notes can be recognised.
    private(set) var referenceAnchors: Set<String> = []
    /// The single `main`, `[role=main]` or `article` element, when the page has one.
    private(set) var mainElement: Int?
    /// `main` and its ancestors: never removed as boilerplate.
    private(set) var mainPath: Set<Int> = []
    /// Elements holding a footnote target: kept even in a footer or aside.
    private(set) var footnoteHolders: Set<Int> = []
    let documentLanguage: String?
    let bodyTextBytes: Int32

    init(tree: HTMLTree) {
        self.tree = tree
        let nodes = tree.nodes
        let n = nodes.count
        var text = [Int32](repeating: 0, count: n)
        var links = [Int32](repeating: 0, count: n)
        var linkCounts = [Int32](repeating: 0, count: n)
        // Children come after their parent, so one backward pass sums every subtree.
        var i = n - 1
        while i >= 0 {
            let node = nodes[i]
            switch node.kind {
            case .text:
                let start = Int(node.contentStart)
                let end = start + Int(node.contentCount)
                text[i] = tree.text.withUnsafeBufferPointer { buffer in
                    var count: Int32 = 0
                    for k in start..<end {
                        let b = buffer[k]
                        if !(b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D) { count += 1 }
                    }
                    return count
                }
            case .comment:
                break
            case .element:
                switch node.name {
                case "script", "style", "noscript", "template", "head":
                    text[i] = 0
                    links[i] = 0
                case "a" where tree.attribute("href", of: i) != nil:
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
        textBytes = text
        linkBytes = links
        self.linkCounts = linkCounts

        var mains: [Int] = []
        var articles: [Int] = []
        var language: String?
        var body: Int?
        for k in 0..<n where nodes[k].kind == .element {
            let name = nodes[k].name
            if name == "html" {
                language = (tree.attribute("lang", of: k) ?? tree.attribute("xml:lang", of: k)).flatMap(Self.primaryLanguage)
            }
            if name == "body", body == nil { body = k }
            if let id = tree.attribute("id", of: k), ids[id] == nil { ids[id] = k }
            if name == "a", let anchor = tree.attribute("name", of: k), ids[anchor] == nil { ids[anchor] = k }
            if name == "main" || tree.attribute("role", of: k)?.lowercased() == "main" { mains.append(k) }
            if name == "article" { articles.append(k) }
        }
        documentLanguage = language
        bodyTextBytes = body.map { text[$0] } ?? text.first ?? 0
        let outermostMains = mains.filter { m in !mains.contains { other in other != m && Self.isAncestor(other, of: m, in: nodes) } }
        let outermostArticles = articles.filter { a in !articles.contains { other in other != a && Self.isAncestor(other, of: a, in: nodes) } }
        if outermostMains.count == 1 {
            mainElement = outermostMains[0]
        } else if outermostMains.isEmpty && outermostArticles.count == 1 {
            mainElement = outermostArticles[0]
        }
        if let main = mainElement, text[main] > 0 {
            var k = main
            while k >= 0 {
                mainPath.insert(k)
                k = Int(nodes[k].parent)
            }
        } else {
            mainElement = nil
        }
        findFootnotes()
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
    func language(of i: Int) -> String? {
        guard let value = tree.attribute("lang", of: i) ?? tree.attribute("xml:lang", of: i) else { return nil }
        return Self.primaryLanguage(value)
    }

    // MARK: footnotes

    /// A reference is a link to an element of the page that looks like a note call: inside
    /// `<sup>`, or marked as a note reference (`role="doc-noteref"`, `epub:type="noteref"`,
    /// classes like `footnote-ref`/`fnref`), or a short bracketed number (`[1]`).
    private func findFootnotes() {
        let nodes = tree.nodes
        for k in nodes.indices where nodes[k].kind == .element && nodes[k].name == "a" {
            guard let href = tree.attribute("href", of: k), href.hasPrefix("#"), href.count > 1,
                let target = ids[String(href.dropFirst())], target != k, !Self.isAncestor(target, of: k, in: nodes)
            else { continue }
            let text = String(decoding: subtreeText(k, limit: 16), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty, text.count <= 8 else { continue }
            var reference = k
            let parent = Int(nodes[k].parent)
            let inSup = parent >= 0 && nodes[parent].name == "sup" && textBytes[parent] <= 12
            let grandparent = parent >= 0 ? Int(nodes[parent].parent) : -1
            let inSupTwo = !inSup && grandparent >= 0 && nodes[grandparent].name == "sup" && textBytes[grandparent] <= 12
            let hints = [
                tree.attribute("class", of: k), tree.attribute("role", of: k), tree.attribute("epub:type", of: k),
                tree.attribute("rel", of: k), tree.attribute("id", of: k),
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
            if footnoteReferences[target] != nil { continue }
            footnoteReferences[reference] = target
            if footnoteTargets[target] == nil {
                footnoteTargets[target] = text.trimmingCharacters(in: CharacterSet(charactersIn: "[]() \u{00A0}"))
            }
            for anchor in [tree.attribute("id", of: k), tree.attribute("name", of: k), tree.attribute("id", of: reference)] {
                if let anchor { referenceAnchors.insert(anchor) }
            }
            var holder = target
            while holder >= 0 {
                footnoteHolders.insert(holder)
                holder = Int(nodes[holder].parent)
            }
        }
    }

    /// A link from a note back to its reference (`↩`, `^`, or the number).
    func isBackLink(_ href: String) -> Bool {
        href.hasPrefix("#") && referenceAnchors.contains(String(href.dropFirst()))
    }

    /// Up to `limit` bytes of the text under node `i`, white space collapsed.
    func subtreeText(_ i: Int, limit: Int) -> [UInt8] {
        var result: [UInt8] = []
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

    func isHidden(_ i: Int) -> Bool {
        for attribute in tree.attributes(of: i) {
            switch attribute.name {
            case "hidden": return true
            case "aria-hidden": if attribute.value.lowercased() == "true" { return true }
            case "style":
                let style = attribute.value.lowercased().filter { !$0.isWhitespace }
                if style.contains("display:none") || style.contains("visibility:hidden") { return true }
            case "type":
                if tree.nodes[i].name == "input", attribute.value.lowercased() == "hidden" { return true }
            default: break
            }
        }
        return false
    }

    /// Why element `i` is boilerplate, or nil if it is (or may be) content.
    func boilerplateReason(_ i: Int) -> String? {
        if mainPath.contains(i) || footnoteHolders.contains(i) { return nil }
        let nodes = tree.nodes
        let name = nodes[i].name
        // Outside the page's single main region, everything is site chrome.
        if let main = mainElement, !Self.isAncestor(main, of: i, in: nodes), name != "body", name != "html" {
            if textBytes[i] > 0 { return Self.structuralReason(name) ?? "outside_main" }
            return nil
        }
        if let reason = Self.structuralReason(name) {
            if name == "header" || name == "footer" {
                // An article's own header (title, byline) or footer is content.
                if !hasContentAncestor(i) { return reason }
            } else {
                return reason
            }
        }
        if let role = tree.attribute("role", of: i)?.lowercased(), let reason = Self.roleReasons[role] {
            return reason
        }
        if let reason = classReason(i) { return reason }
        if name == "a", let href = tree.attribute("href", of: i), href.hasPrefix("#") {
            let text = String(decoding: subtreeText(i, limit: 40), as: UTF8.self).lowercased()
            if Self.skipLinkPrefixes.contains(where: { text.hasPrefix($0) }) { return "skip_link" }
        }
        return nil
    }

    private func hasContentAncestor(_ i: Int) -> Bool {
        var k = Int(tree.nodes[i].parent)
        while k >= 0 {
            let name = tree.nodes[k].name
            if name == "article" || name == "main" || name == "section" || tree.attribute("role", of: k) == "main" { return true }
            k = Int(tree.nodes[k].parent)
        }
        return false
    }

    static func structuralReason(_ name: String) -> String? {
        switch name {
        case "nav": "navigation"
        case "aside": "aside"
        case "menu": "menu"
        case "header": "site_header"
        case "footer": "site_footer"
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

    private func classReason(_ i: Int) -> String? {
        for attribute in tree.attributes(of: i) where attribute.name == "class" || attribute.name == "id" {
            let value = attribute.value.lowercased()
            if value.isEmpty { continue }
            var words = value.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
            words += value.split(whereSeparator: { $0 == " " }).map { $0.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "") }
            for word in words {
                if let reason = Self.classWords[word] {
                    // A footer class inside an article is its own footer (notes, dates): content.
                    if reason == "site_footer" && hasContentAncestor(i) { continue }
                    if reason == "skip_link" && textBytes[i] > 80 { continue }
                    return reason
                }
            }
        }
        return nil
    }
}
