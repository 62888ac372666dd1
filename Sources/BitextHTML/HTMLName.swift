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
    public var isKnown: Bool { id < UInt32(Self.known.count) }

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

    private static func named(_ name: String) -> HTMLName { HTMLName(id: knownIndex[name]!) }

    // Elements bitext's readers ask about.
    public static let html = named("html"), head = named("head"), body = named("body"), title = named("title")
    public static let meta = named("meta"), link = named("link"), base = named("base")
    public static let script = named("script"), style = named("style"), noscript = named("noscript")
    public static let template = named("template"), input = named("input")
    public static let div = named("div"), section = named("section"), article = named("article"), main = named("main")
    public static let header = named("header"), footer = named("footer"), nav = named("nav"), aside = named("aside")
    public static let ul = named("ul"), ol = named("ol"), dl = named("dl"), menu = named("menu"), dir = named("dir")
    public static let table = named("table"), tr = named("tr"), td = named("td"), th = named("th")
    public static let blockquote = named("blockquote"), p = named("p")
    public static let h1 = named("h1"), h2 = named("h2"), h3 = named("h3"), h4 = named("h4"), h5 = named("h5"), h6 = named("h6")
    public static let li = named("li"), dt = named("dt"), dd = named("dd"), pre = named("pre"), listing = named("listing")
    public static let xmp = named("xmp"), plaintext = named("plaintext"), figcaption = named("figcaption")
    public static let caption = named("caption"), address = named("address"), summary = named("summary"), legend = named("legend")
    public static let hr = named("hr"), br = named("br"), a = named("a"), sup = named("sup"), img = named("img")
    // Attributes.
    public static let id_ = named("id"), class_ = named("class"), name_ = named("name"), href = named("href")
    public static let role = named("role"), lang = named("lang"), xmlLang = named("xml:lang"), hidden = named("hidden")
    public static let ariaHidden = named("aria-hidden"), type = named("type"), rel = named("rel"), hreflang = named("hreflang")
    public static let epubType = named("epub:type"), reversed = named("reversed"), start = named("start"), value = named("value")
    public static let colspan = named("colspan"), rowspan = named("rowspan")
}
