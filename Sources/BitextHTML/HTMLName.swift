/// An element or attribute name, interned as a small integer.
///
/// Names the parser meets often have fixed ids shared by every tree (`HTMLName.p`,
/// `HTMLName.href`), so code compares integers instead of strings and a node copy retains
/// nothing. Any other name gets an id past `HTMLName.known`, private to its tree
/// (`HTMLTree.string(of:)` spells it).
public struct HTMLName: Hashable, Sendable, Comparable {
    public let id: UInt32
    @inlinable public init(id: UInt32) { self.id = id }

    /// The id of a known name, or nil.
    public init?(known name: String) {
        guard let id = Self.knownIndex[name] else { return nil }
        self.id = id
    }

    @inlinable public static func < (a: HTMLName, b: HTMLName) -> Bool { a.id < b.id }
    @inlinable public static func == (a: HTMLName, b: HTMLName) -> Bool { a.id == b.id }

    /// The name of text and comment nodes: equal to no element's.
    @inlinable public static var none: HTMLName { HTMLName(id: UInt32.max) }

    /// Whether the name is one of the fixed, shared names.
    @inlinable
    public var isKnown: Bool { id < Self.knownCount }

    /// `known.count`, as a literal.
    @inlinable public static var knownCount: UInt32 { 152 }

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
        // Attributes nothing asks about, common enough on real pages that spelling each one into
        // a new per-tree name (a `String` and copies of the name tables) for every page showed up.
        "for", "placeholder", "onclick", "onload", "tabindex", "accesskey", "autocomplete", "aria-label",
        "itemscope", "itemtype", "itemprop", "cellpadding", "cellspacing",
    ]

    static let knownIndex: [String: UInt32] = {
        var index: [String: UInt32] = [:]
        for (k, name) in known.enumerated() where index[name] == nil { index[name] = UInt32(k) }
        return index
    }()

    // Elements bitext's readers ask about, with literal ids; `HTMLNameTests` checks each against
    // `known`. Inlinable computed constants, not `static let`s: other modules read a `static let`
    // through its addressor and a `swift_once` check on every use (0.5% of a run on the
    // LibreOffice pages, mostly in `HTMLAnalysis`), while these fold into the comparisons.
    @inlinable public static var html: HTMLName { HTMLName(id: 0) }
    @inlinable public static var head: HTMLName { HTMLName(id: 1) }
    @inlinable public static var body: HTMLName { HTMLName(id: 2) }
    @inlinable public static var title: HTMLName { HTMLName(id: 3) }
    @inlinable public static var meta: HTMLName { HTMLName(id: 4) }
    @inlinable public static var link: HTMLName { HTMLName(id: 5) }
    @inlinable public static var base: HTMLName { HTMLName(id: 6) }
    @inlinable public static var script: HTMLName { HTMLName(id: 7) }
    @inlinable public static var style: HTMLName { HTMLName(id: 8) }
    @inlinable public static var noscript: HTMLName { HTMLName(id: 9) }
    @inlinable public static var template: HTMLName { HTMLName(id: 10) }
    @inlinable public static var input: HTMLName { HTMLName(id: 26) }
    @inlinable public static var div: HTMLName { HTMLName(id: 30) }
    @inlinable public static var section: HTMLName { HTMLName(id: 31) }
    @inlinable public static var article: HTMLName { HTMLName(id: 32) }
    @inlinable public static var main: HTMLName { HTMLName(id: 33) }
    @inlinable public static var header: HTMLName { HTMLName(id: 34) }
    @inlinable public static var footer: HTMLName { HTMLName(id: 35) }
    @inlinable public static var nav: HTMLName { HTMLName(id: 36) }
    @inlinable public static var aside: HTMLName { HTMLName(id: 37) }
    @inlinable public static var ul: HTMLName { HTMLName(id: 38) }
    @inlinable public static var ol: HTMLName { HTMLName(id: 39) }
    @inlinable public static var dl: HTMLName { HTMLName(id: 40) }
    @inlinable public static var menu: HTMLName { HTMLName(id: 41) }
    @inlinable public static var dir: HTMLName { HTMLName(id: 42) }
    @inlinable public static var table: HTMLName { HTMLName(id: 43) }
    @inlinable public static var tr: HTMLName { HTMLName(id: 47) }
    @inlinable public static var td: HTMLName { HTMLName(id: 76) }
    @inlinable public static var th: HTMLName { HTMLName(id: 77) }
    @inlinable public static var blockquote: HTMLName { HTMLName(id: 59) }
    @inlinable public static var p: HTMLName { HTMLName(id: 60) }
    @inlinable public static var h1: HTMLName { HTMLName(id: 61) }
    @inlinable public static var h2: HTMLName { HTMLName(id: 62) }
    @inlinable public static var h3: HTMLName { HTMLName(id: 63) }
    @inlinable public static var h4: HTMLName { HTMLName(id: 64) }
    @inlinable public static var h5: HTMLName { HTMLName(id: 65) }
    @inlinable public static var h6: HTMLName { HTMLName(id: 66) }
    @inlinable public static var li: HTMLName { HTMLName(id: 67) }
    @inlinable public static var dt: HTMLName { HTMLName(id: 68) }
    @inlinable public static var dd: HTMLName { HTMLName(id: 69) }
    @inlinable public static var pre: HTMLName { HTMLName(id: 70) }
    @inlinable public static var listing: HTMLName { HTMLName(id: 71) }
    @inlinable public static var xmp: HTMLName { HTMLName(id: 72) }
    @inlinable public static var plaintext: HTMLName { HTMLName(id: 73) }
    @inlinable public static var figcaption: HTMLName { HTMLName(id: 74) }
    @inlinable public static var caption: HTMLName { HTMLName(id: 75) }
    @inlinable public static var address: HTMLName { HTMLName(id: 78) }
    @inlinable public static var summary: HTMLName { HTMLName(id: 79) }
    @inlinable public static var legend: HTMLName { HTMLName(id: 80) }
    @inlinable public static var hr: HTMLName { HTMLName(id: 81) }
    @inlinable public static var br: HTMLName { HTMLName(id: 82) }
    @inlinable public static var a: HTMLName { HTMLName(id: 83) }
    @inlinable public static var sup: HTMLName { HTMLName(id: 95) }
    @inlinable public static var img: HTMLName { HTMLName(id: 98) }
    // Attributes.
    @inlinable public static var id_: HTMLName { HTMLName(id: 110) }
    @inlinable public static var class_: HTMLName { HTMLName(id: 111) }
    @inlinable public static var name_: HTMLName { HTMLName(id: 112) }
    @inlinable public static var href: HTMLName { HTMLName(id: 113) }
    @inlinable public static var role: HTMLName { HTMLName(id: 114) }
    @inlinable public static var lang: HTMLName { HTMLName(id: 115) }
    @inlinable public static var xmlLang: HTMLName { HTMLName(id: 116) }
    @inlinable public static var hidden: HTMLName { HTMLName(id: 117) }
    @inlinable public static var ariaHidden: HTMLName { HTMLName(id: 118) }
    @inlinable public static var type: HTMLName { HTMLName(id: 119) }
    @inlinable public static var rel: HTMLName { HTMLName(id: 120) }
    @inlinable public static var hreflang: HTMLName { HTMLName(id: 121) }
    @inlinable public static var epubType: HTMLName { HTMLName(id: 122) }
    @inlinable public static var reversed: HTMLName { HTMLName(id: 123) }
    @inlinable public static var start: HTMLName { HTMLName(id: 124) }
    @inlinable public static var value: HTMLName { HTMLName(id: 125) }
    @inlinable public static var colspan: HTMLName { HTMLName(id: 126) }
    @inlinable public static var rowspan: HTMLName { HTMLName(id: 127) }
}
