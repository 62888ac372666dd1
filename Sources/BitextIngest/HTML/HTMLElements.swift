import BitextCore
import BitextHTML

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
    /// Names outside `HTMLName.known` are inline.
    @inline(__always)
    static func role(of name: HTMLName) -> HTMLElementRole {
        name.isKnown ? roles[Int(name.id)] : .inline
    }

    /// Roles by known-name id.
    private static let roles: [HTMLElementRole] = HTMLName.known.map { table[$0] ?? .inline }

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

    static func headingLevel(_ name: HTMLName) -> Int? {
        switch name {
        case .h1: 1
        case .h2: 2
        case .h3: 3
        case .h4: 4
        case .h5: 5
        case .h6: 6
        default: nil
        }
    }

    @inline(__always)
    static func inlineMark(_ name: HTMLName) -> InlineMark.Kind? {
        name.isKnown ? marks[Int(name.id)] : nil
    }

    private static let marks: [InlineMark.Kind?] = HTMLName.known.map { name in
        switch name {
        case "b", "strong": .bold
        case "i", "em", "cite", "dfn": .italic
        case "code", "kbd", "samp", "tt", "var": .code
        default: nil
        }
    }
}
