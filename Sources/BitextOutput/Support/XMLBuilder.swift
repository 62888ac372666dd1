/// A minimal, deterministic XML emitter: attributes in the order given, two-space
/// indentation for element-only content, escaping by `XMLEscaping`.
public struct XMLBuilder {
    public private(set) var bytes: [UInt8] = []
    private var stack: [String] = []

    public init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
        put("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
    }

    /// Hands the bytes built so far to `body` and empties the buffer, keeping its capacity
    /// (a streaming writer's output leaves in pieces; the open elements stay open).
    public mutating func drain(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        try bytes.withUnsafeBytes(body)
        bytes.removeAll(keepingCapacity: true)
    }

    /// `drain` once at least `size` bytes are waiting.
    public mutating func drain(ifOver size: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        if bytes.count >= size { try drain(body) }
    }

    /// A literal's bytes (appending a `String`'s `utf8` view went through the generic
    /// sequence path: some 170 instructions for two bytes).
    private mutating func put(_ literal: StaticString) { literal.withUTF8Buffer { bytes.append(contentsOf: $0) } }
    private mutating func put(string: String) {
        var string = string
        string.withUTF8 { bytes.append(contentsOf: $0) }
    }

    private mutating func indent() { for _ in 0..<stack.count { bytes.append(0x20); bytes.append(0x20) } }

    private mutating func startTag(_ name: String, _ attributes: [(String, String?)]) {
        indent()
        bytes.append(UInt8(ascii: "<"))
        put(string: name)
        self.attributes(attributes)
    }

    /// Opens an element whose content is other elements.
    public mutating func open(_ name: String, _ attributes: [(String, String?)] = []) {
        startTag(name, attributes)
        put(">\n")
        stack.append(name)
    }

    public mutating func close() {
        let name = stack.removeLast()
        indent()
        endTag(name)
    }

    private mutating func endTag(_ name: String) {
        put("</")
        put(string: name)
        put(">\n")
    }

    /// An element with text content (or empty when `text` is nil).
    public mutating func element(_ name: String, _ attributes: [(String, String?)] = [], text: String? = nil) {
        startTag(name, attributes)
        guard let text else {
            put("/>\n")
            return
        }
        bytes.append(UInt8(ascii: ">"))
        XMLEscaping.appendText(text, to: &bytes)
        endTag(name)
    }

    // MARK: Elements written attribute by attribute

    // The writers' long lists (paragraphs, sentences, links, entities, translation units) go
    // through these: built as a list of attribute pairs, with a string for every number in
    // it, an element cost twice what writing it does (the XML writer's own instructions halved).

    /// Starts an element: `<name`; its attributes follow, then `endEmpty`, `endOpen` or `endText`.
    public mutating func begin(_ name: StaticString) {
        indent()
        bytes.append(UInt8(ascii: "<"))
        put(name)
    }

    /// An attribute, left out when `value` is nil.
    public mutating func attribute(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        startAttribute(key)
        XMLEscaping.appendAttribute(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A number attribute (as `String(value)` writes it), left out when `value` is nil.
    public mutating func attribute(_ key: StaticString, _ value: Int?) {
        guard let value else { return }
        startAttribute(key)
        bytes.appendDecimal(value)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Numbers separated by spaces (`"0 1"`; `""` for none).
    public mutating func attribute(_ key: StaticString, list values: some Sequence<Int>) {
        startAttribute(key)
        var first = true
        for value in values {
            if !first { bytes.append(0x20) }
            first = false
            bytes.appendDecimal(value)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Words separated by spaces (`""` for none), each escaped.
    public mutating func attribute(_ key: StaticString, words: [String]) {
        startAttribute(key)
        for (k, word) in words.enumerated() {
            if k > 0 { bytes.append(0x20) }
            XMLEscaping.appendAttribute(word, to: &bytes)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Attributes whose names are made at run time (escaped values; nil values left out).
    public mutating func attributes(_ pairs: [(String, String?)]) {
        for (key, value) in pairs {
            guard let value else { continue }
            bytes.append(0x20)
            put(string: key)
            put("=\"")
            XMLEscaping.appendAttribute(value, to: &bytes)
            bytes.append(UInt8(ascii: "\""))
        }
    }

    /// Ends a started element with no content: `/>`.
    public mutating func endEmpty() { put("/>\n") }

    /// Ends a started element's tag; its content is elements, and `close` ends it.
    public mutating func endOpen(_ name: StaticString) {
        put(">\n")
        stack.append(name.description)
    }

    /// Ends a started element with `text` (escaped) as its content.
    public mutating func endText(_ name: StaticString, _ text: String) {
        bytes.append(UInt8(ascii: ">"))
        XMLEscaping.appendText(text, to: &bytes)
        endTag(name)
    }

    /// Ends a started element with already-escaped content.
    public mutating func endRaw(_ name: StaticString, _ content: [UInt8]) {
        bytes.append(UInt8(ascii: ">"))
        bytes.append(contentsOf: content)
        endTag(name)
    }

    private mutating func startAttribute(_ key: StaticString) {
        bytes.append(0x20)
        put(key)
        put("=\"")
    }

    private mutating func endTag(_ name: StaticString) {
        put("</")
        put(name)
        put(">\n")
    }

    /// An element whose content is already-escaped XML (inline markup the caller built).
    public mutating func element(_ name: String, _ attributes: [(String, String?)], raw content: [UInt8]) {
        startTag(name, attributes)
        bytes.append(UInt8(ascii: ">"))
        bytes.append(contentsOf: content)
        endTag(name)
    }
}
