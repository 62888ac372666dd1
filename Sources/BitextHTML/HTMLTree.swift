/// An HTML document as libxml2 parsed it, copied into plain Swift values.
///
/// Nodes are stored flat, in document (pre-)order: an element's descendants are the
/// nodes `index + 1 ..< node.end`, so callers walk any depth with a loop instead of
/// recursion. Text and attribute values live in shared arenas to keep a big page to a
/// few allocations.
public struct HTMLTree: Sendable {
    public var nodes: [HTMLNode]
    public var attributes: [HTMLAttribute]
    /// UTF-8 bytes of every text and comment node, back to back.
    public var text: [UInt8]
    /// What libxml2 reported while recovering (the last error it recorded).
    public var diagnostics: [HTMLDiagnostic]

    public init(nodes: [HTMLNode] = [], attributes: [HTMLAttribute] = [], text: [UInt8] = [], diagnostics: [HTMLDiagnostic] = []) {
        self.nodes = nodes
        self.attributes = attributes
        self.text = text
        self.diagnostics = diagnostics
    }

    /// The UTF-8 bytes of a text or comment node (empty for elements).
    public func content(of index: Int) -> ArraySlice<UInt8> {
        let node = nodes[index]
        let start = Int(node.contentStart)
        return text[start..<start + Int(node.contentCount)]
    }

    /// The attributes of an element.
    public func attributes(of index: Int) -> ArraySlice<HTMLAttribute> {
        let node = nodes[index]
        let start = Int(node.attributeStart)
        return attributes[start..<start + Int(node.attributeCount)]
    }

    /// The value of attribute `name` (lower-case) on element `index`, if present.
    public func attribute(_ name: String, of index: Int) -> String? {
        for attribute in attributes(of: index) where attribute.name == name { return attribute.value }
        return nil
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

/// One node of an `HTMLTree`.
public struct HTMLNode: Hashable, Sendable {
    public enum Kind: UInt8, Hashable, Sendable {
        case element, text, comment
    }
    public var kind: Kind
    /// Lower-case element name; empty for text and comments.
    public var name: String
    /// 1-based source line libxml2 recorded (saturates at 65535 in libxml2 2.9).
    public var line: Int32
    /// Index of the parent element, or -1 at the top level.
    public var parent: Int32
    /// One past the index of the last descendant.
    public var end: Int32
    /// Where a text or comment node's bytes lie in `HTMLTree.text`.
    public var contentStart: Int32
    public var contentCount: Int32
    /// Where an element's attributes lie in `HTMLTree.attributes`.
    public var attributeStart: Int32
    public var attributeCount: Int32

    public var isElement: Bool { kind == .element }
}

public struct HTMLAttribute: Hashable, Sendable {
    /// Lower-case name as written (`class`, `xml:lang`, `aria-hidden`).
    public var name: String
    /// The value with character references decoded.
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
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
