import BitextCore

/// How block building treats each HTML element. Anything not listed is inline.
enum HTMLElementRole: Hashable {
    /// Dropped with its content and reported (scripts, styles, embedded objects, form controls).
    case dropped(reason: String)
    /// Dropped silently: metadata, not content (`head`, `title`).
    case metadata
    /// Holds blocks; its own loose text becomes a block of the enclosing kind.
    case container
    /// Produces a block of its own.
    case block
    /// Ends the current block (`hr`).
    case separator
    /// A line break inside the block (`br`).
    case lineBreak
    case inline
}

enum HTMLElements {
    static func role(of name: String) -> HTMLElementRole {
        table[name] ?? .inline
    }

    private static let table: [String: HTMLElementRole] = {
        var t: [String: HTMLElementRole] = [:]
        for (name, reason) in [
            ("script", "script"), ("style", "style"), ("noscript", "noscript"), ("template", "template"),
            ("svg", "embedded"), ("math", "embedded"), ("canvas", "embedded"), ("iframe", "embedded"),
            ("object", "embedded"), ("embed", "embedded"), ("applet", "embedded"), ("video", "embedded"),
            ("audio", "embedded"), ("map", "embedded"), ("frame", "embedded"), ("frameset", "embedded"),
            ("select", "form_control"), ("textarea", "form_control"), ("button", "form_control"),
            ("input", "form_control"), ("datalist", "form_control"), ("option", "form_control"),
            ("dialog", "dialog"),
        ] { t[name] = .dropped(reason: reason) }
        for name in ["head", "title", "meta", "link", "base"] { t[name] = .metadata }
        for name in [
            "html", "body", "div", "section", "article", "main", "header", "footer", "nav", "aside", "ul", "ol",
            "dl", "menu", "dir", "table", "thead", "tbody", "tfoot", "tr", "colgroup", "col", "figure", "form",
            "fieldset", "details", "center", "hgroup", "search", "noframes", "multicol", "blockquote",
        ] { t[name] = .container }
        for name in [
            "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "pre", "listing", "xmp", "plaintext",
            "figcaption", "caption", "td", "th", "address", "summary", "legend",
        ] { t[name] = .block }
        t["hr"] = .separator
        t["br"] = .lineBreak
        return t
    }()

    /// Lists whose nesting gives list items their level.
    static let lists: Set<String> = ["ul", "ol", "menu", "dir"]

    static func headingLevel(_ name: String) -> Int? {
        guard name.utf8.count == 2, name.utf8.first == UInt8(ascii: "h"), let last = name.utf8.last,
            (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(last)
        else { return nil }
        return Int(last - UInt8(ascii: "0"))
    }

    static func inlineMark(_ name: String) -> InlineMark.Kind? {
        switch name {
        case "b", "strong": .bold
        case "i", "em", "cite", "dfn": .italic
        case "code", "kbd", "samp", "tt", "var": .code
        default: nil
        }
    }
}
