/// An element or attribute name, interned as a small integer.
///
/// Names the parser meets often have fixed ids shared by every tree (`HTMLName.p`,
/// `HTMLName.href`), so code compares integers instead of strings and a node copy retains
/// nothing. Any other name gets an id past `HTMLName.known`, private to its tree
/// (`HTMLTree.string(of:)` spells it).
public struct HTMLName: Hashable, Sendable, Comparable {
    public let id: UInt32
    public init(id: UInt32) { self.id = id }

    /// The id of a known name, or nil.
    public init?(known name: String) {
        guard let id = Self.knownIndex[name] else { return nil }
        self.id = id
    }

    public static func < (a: HTMLName, b: HTMLName) -> Bool { a.id < b.id }

    /// The name of text and comment nodes: equal to no element's.
    public static let none = HTMLName(id: UInt32.max)

    /// Whether the name is one of the fixed, shared names.
    @inline(__always)
    public var isKnown: Bool { id < Self.knownCount }

    /// `known.count`, as a literal.
    public static let knownCount: UInt32 = 139

    /// The spelling of a known name (nil for names private to a tree).
    public var knownString: String? { isKnown ? Self.known[Int(id)] : nil }

    /// Fixed names, in id order. Lower case, as libxml2 reports HTML names.
    public static let known: [String] = [
        // elements
        "html", "head", "body", "title", "meta", "link", "base", "script", "style", "noscript", "template",
        "svg", "math", "canvas", "iframe", "object", "embed", "applet", "video", "audio", "map", "frame",
        "frameset", "select", "textarea", "button", "input", "datalist", "option", "dialog", "div", "section",
        "article", "main", "header", "footer", "nav", "aside", "ul", "ol", "dl", "menu", "dir", "table", "thead",
        "tbody", "tfoot", "tr", "colgroup", "col", "figure", "form", "fieldset", "details", "center", "hgroup",
        "search", "noframes", "multicol", "blockquote", "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd",
        "pre", "listing", "xmp", "plaintext", "figcaption", "caption", "td", "th", "address", "summary", "legend",
        "hr", "br", "a", "b", "strong", "i", "em", "cite", "dfn", "code", "kbd", "samp", "tt", "var", "sup", "sub",
        "span", "img", "small", "big", "u", "s", "abbr", "acronym", "q", "font", "label", "wbr", "area",
        // attributes
        "id", "class", "name", "href", "role", "lang", "xml:lang", "hidden", "aria-hidden", "type", "rel",
        "hreflang", "epub:type", "reversed", "start", "value", "colspan", "rowspan", "charset", "content",
        "http-equiv", "src", "alt", "width", "height", "align", "valign", "border", "target",
    ]

    static let knownIndex: [String: UInt32] = {
        var index: [String: UInt32] = [:]
        for (k, name) in known.enumerated() where index[name] == nil { index[name] = UInt32(k) }
        return index
    }()

    // Elements bitext's readers ask about, with literal ids (statically initialised: no
    // lazy-global check on every use); `HTMLNameTests` checks each against `known`.
    public static let html = HTMLName(id: 0), head = HTMLName(id: 1), body = HTMLName(id: 2), title = HTMLName(id: 3)
    public static let meta = HTMLName(id: 4), link = HTMLName(id: 5), base = HTMLName(id: 6)
    public static let script = HTMLName(id: 7), style = HTMLName(id: 8), noscript = HTMLName(id: 9)
    public static let template = HTMLName(id: 10), input = HTMLName(id: 26)
    public static let div = HTMLName(id: 30), section = HTMLName(id: 31), article = HTMLName(id: 32), main = HTMLName(id: 33)
    public static let header = HTMLName(id: 34), footer = HTMLName(id: 35), nav = HTMLName(id: 36), aside = HTMLName(id: 37)
    public static let ul = HTMLName(id: 38), ol = HTMLName(id: 39), dl = HTMLName(id: 40), menu = HTMLName(id: 41), dir = HTMLName(id: 42)
    public static let table = HTMLName(id: 43), tr = HTMLName(id: 47), td = HTMLName(id: 76), th = HTMLName(id: 77)
    public static let blockquote = HTMLName(id: 59), p = HTMLName(id: 60)
    public static let h1 = HTMLName(id: 61), h2 = HTMLName(id: 62), h3 = HTMLName(id: 63), h4 = HTMLName(id: 64), h5 = HTMLName(id: 65), h6 = HTMLName(id: 66)
    public static let li = HTMLName(id: 67), dt = HTMLName(id: 68), dd = HTMLName(id: 69), pre = HTMLName(id: 70), listing = HTMLName(id: 71)
    public static let xmp = HTMLName(id: 72), plaintext = HTMLName(id: 73), figcaption = HTMLName(id: 74)
    public static let caption = HTMLName(id: 75), address = HTMLName(id: 78), summary = HTMLName(id: 79), legend = HTMLName(id: 80)
    public static let hr = HTMLName(id: 81), br = HTMLName(id: 82), a = HTMLName(id: 83), sup = HTMLName(id: 95), img = HTMLName(id: 98)
    // Attributes.
    public static let id_ = HTMLName(id: 110), class_ = HTMLName(id: 111), name_ = HTMLName(id: 112), href = HTMLName(id: 113)
    public static let role = HTMLName(id: 114), lang = HTMLName(id: 115), xmlLang = HTMLName(id: 116), hidden = HTMLName(id: 117)
    public static let ariaHidden = HTMLName(id: 118), type = HTMLName(id: 119), rel = HTMLName(id: 120), hreflang = HTMLName(id: 121)
    public static let epubType = HTMLName(id: 122), reversed = HTMLName(id: 123), start = HTMLName(id: 124), value = HTMLName(id: 125)
    public static let colspan = HTMLName(id: 126), rowspan = HTMLName(id: 127)
}
