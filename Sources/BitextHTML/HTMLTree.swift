/// An HTML document as libxml2 parsed it, copied into plain Swift values.
///
/// Nodes are stored flat, in document (pre-)order: an element's descendants are the
/// nodes `index + 1 ..< node.end`, so callers walk any depth with a loop instead of
/// recursion. Names are interned (`HTMLName`); text and attribute values live in one
/// byte arena, so a big page is a few allocations and a node is 28 bytes.
public struct HTMLTree: Sendable {
    public var nodes: [HTMLNode]
    public var attributes: [HTMLAttribute]
    /// UTF-8 bytes of every text node, comment and attribute value, back to back.
    public var text: [UInt8]
    /// Spellings of the names past `HTMLName.known`, in id order.
    public var extraNames: [String]
    /// What libxml2 reported while recovering (the last error it recorded).
    public var diagnostics: [HTMLDiagnostic]

    public init(
        nodes: [HTMLNode] = [], attributes: [HTMLAttribute] = [], text: [UInt8] = [], extraNames: [String] = [],
        diagnostics: [HTMLDiagnostic] = []
    ) {
        self.nodes = nodes
        self.attributes = attributes
        self.text = text
        self.extraNames = extraNames
        self.diagnostics = diagnostics
    }

    /// The spelling of a name.
    public func string(of name: HTMLName) -> String {
        if let known = name.knownString { return known }
        let extra = Int(name.id) - HTMLName.known.count
        return extra < extraNames.count ? extraNames[extra] : ""
    }

    /// The element name of node `index` ("" for text and comments).
    public func name(of index: Int) -> String {
        nodes[index].kind == .element ? string(of: nodes[index].name) : ""
    }

    /// The id this tree gives `name`, if the name occurs in it (or is a known name).
    public func interned(_ name: String) -> HTMLName? {
        if let known = HTMLName(known: name) { return known }
        return extraNames.firstIndex(of: name).map { HTMLName(id: UInt32(HTMLName.known.count + $0)) }
    }

    /// The UTF-8 bytes of a text or comment node (empty for elements).
    public func content(of index: Int) -> ArraySlice<UInt8> {
        let node = nodes[index]
        guard node.kind != .element else { return [] }
        let start = Int(node.first)
        return text[start..<start + Int(node.count)]
    }

    /// The attributes of an element.
    public func attributes(of index: Int) -> ArraySlice<HTMLAttribute> {
        let node = nodes[index]
        guard node.kind == .element else { return [] }
        let start = Int(node.first)
        return attributes[start..<start + Int(node.count)]
    }

    /// The UTF-8 bytes of an attribute's value.
    public func bytes(of attribute: HTMLAttribute) -> ArraySlice<UInt8> {
        let start = Int(attribute.valueStart)
        return text[start..<start + Int(attribute.valueCount)]
    }

    /// An attribute's value.
    public func value(of attribute: HTMLAttribute) -> String {
        String(decoding: bytes(of: attribute), as: UTF8.self)
    }

    /// The first attribute `name` of element `index`, if present.
    public func attributeEntry(_ name: HTMLName, of index: Int) -> HTMLAttribute? {
        let node = nodes[index]
        guard node.kind == .element, node.count > 0 else { return nil }
        var k = Int(node.first)
        let end = k + Int(node.count)
        while k < end {
            if attributes[k].name == name { return attributes[k] }
            k += 1
        }
        return nil
    }

    /// The value of attribute `name` on element `index`, if present.
    public func attribute(_ name: HTMLName, of index: Int) -> String? {
        attributeEntry(name, of: index).map(value(of:))
    }

    /// Whether element `index` has attribute `name`.
    public func hasAttribute(_ name: HTMLName, of index: Int) -> Bool { attributeEntry(name, of: index) != nil }

    /// The value of attribute `name` (lower-case) on element `index`, if present.
    public func attribute(_ name: String, of index: Int) -> String? {
        guard let interned = interned(name) else { return nil }
        return attribute(interned, of: index)
    }

    /// The indices of the children of node `index`, in order.
    public func children(of index: Int) -> Children { Children(tree: self, parent: index) }

    /// Index of the root element (`html`), if any.
    public var root: Int? { nodes.indices.first { nodes[$0].kind == .element && nodes[$0].parent < 0 } }

    public struct Children: Sequence {
        let tree: HTMLTree
        let parent: Int
        public func makeIterator() -> Iterator {
            Iterator(nodes: tree.nodes, position: parent + 1, end: Int(tree.nodes[parent].end))
        }
        public struct Iterator: IteratorProtocol {
            let nodes: [HTMLNode]
            var position: Int
            let end: Int
            public mutating func next() -> Int? {
                guard position < end else { return nil }
                defer { position = Int(nodes[position].end) }
                return position
            }
        }
    }
}

/// One node of an `HTMLTree` (28 bytes: a 51 MB page has millions of them).
public struct HTMLNode: Hashable, Sendable {
    public enum Kind: UInt8, Hashable, Sendable {
        case element, text, comment
    }
    public var kind: Kind
    /// Element name (see `HTMLTree.string(of:)`); unused for text and comments.
    public var name: HTMLName
    /// 1-based source line where libxml2 read the element (the end of its start tag) or text.
    public var line: Int32
    /// Index of the parent element, or -1 at the top level.
    public var parent: Int32
    /// One past the index of the last descendant.
    public var end: Int32
    /// Text and comments: where the bytes lie in `HTMLTree.text`. Elements: where the
    /// attributes lie in `HTMLTree.attributes`.
    public var first: Int32
    public var count: Int32

    public init(kind: Kind, name: HTMLName, line: Int32, parent: Int32, end: Int32, first: Int32, count: Int32) {
        self.kind = kind
        self.name = name
        self.line = line
        self.parent = parent
        self.end = end
        self.first = first
        self.count = count
    }

    public var isElement: Bool { kind == .element }
}

/// One attribute: an interned name and its value's bytes in `HTMLTree.text` (character
/// references decoded).
public struct HTMLAttribute: Hashable, Sendable {
    /// Lower-case name as written (`class`, `xml:lang`, `aria-hidden`).
    public var name: HTMLName
    public var valueStart: Int32
    public var valueCount: Int32
    public init(name: HTMLName, valueStart: Int32, valueCount: Int32) {
        self.name = name
        self.valueStart = valueStart
        self.valueCount = valueCount
    }
}

/// A libxml2 diagnostic copied out of C memory.
public struct HTMLDiagnostic: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var code: Int
    public var message: String
    /// libxml2 gave up at this point (for example at its nesting limit): what follows is lost.
    public var isFatal: Bool
    public init(line: Int, code: Int, message: String, isFatal: Bool = false) {
        self.line = line
        self.code = code
        self.message = message
        self.isFatal = isFatal
    }
    public var description: String { "line \(line): \(message) (libxml2 code \(code))" }
    /// Our own code (not libxml2's) for elements nested past the depth limit and flattened.
    public static let flattenedNesting = -1
}

public enum HTMLParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// libxml2 could not allocate a parser.
    case outOfMemory
    /// libxml2 returned no document at all.
    case unparseable(HTMLDiagnostic?)
    /// The input is larger than libxml2's `int` length can express.
    case tooLarge(bytes: Int)

    public var description: String {
        switch self {
        case .outOfMemory: "libxml2 could not allocate a parser"
        case .unparseable(let d): "libxml2 could not parse the page" + (d.map { ": \($0)" } ?? "")
        case .tooLarge(let bytes): "input of \(bytes) bytes is too large for libxml2"
        }
    }
}
