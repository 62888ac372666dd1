internal import CLibXML2

/// libxml2 must be initialised once before concurrent use; a global `let` initialiser
/// runs exactly once, thread-safely.
let libxml2Initialized: Void = { xmlInitParser() }()

/// Parses HTML with libxml2's HTML parser and returns the tree as Swift values.
///
/// Every libxml2 pointer is created and freed inside `parse`; nothing C-typed escapes.
/// The parser runs with recovery on, network off, no entity substitution, blank text
/// nodes kept (spacing between inline elements matters) and libxml2's own nesting
/// limit in force (`HTML_PARSE_HUGE` is never set).
public enum HTMLParser {
    /// Parses UTF-8 bytes. The page's own charset declarations are ignored: callers
    /// decode to UTF-8 first, so that what libxml2 sees is what they measured.
    public static func parse(utf8 bytes: [UInt8], url: String? = nil) throws -> HTMLTree {
        _ = libxml2Initialized
        guard bytes.count < Int(Int32.max) else { throw HTMLParseError.tooLarge(bytes: bytes.count) }
        guard let ctxt = htmlNewParserCtxt() else { throw HTMLParseError.outOfMemory }
        defer { htmlFreeParserCtxt(ctxt) }

        let options = Int32(
            bitPattern: HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
                | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_IGNORE_ENC.rawValue)
        let doc: htmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                // An empty buffer may have no base address; libxml2 wants a valid pointer.
                var empty: CChar = 0
                let base = chars.baseAddress ?? withUnsafePointer(to: &empty) { $0 }
                return htmlCtxtReadMemory(ctxt, base, Int32(chars.count), url ?? "", "UTF-8", options)
            }
        }
        let last = diagnostic(from: xmlCtxtGetLastError(UnsafeMutableRawPointer(ctxt)))
        guard let doc else { throw HTMLParseError.unparseable(last) }
        defer { xmlFreeDoc(doc) }

        var tree = HTMLTree()
        tree.diagnostics = last.map { [$0] } ?? []
        copy(from: doc, into: &tree)
        return tree
    }

    /// Convenience for tests and small inputs.
    public static func parse(_ html: String, url: String? = nil) throws -> HTMLTree {
        try parse(utf8: Array(html.utf8), url: url)
    }

    static func diagnostic(from error: UnsafeMutablePointer<xmlError>?) -> HTMLDiagnostic? {
        guard let e = error?.pointee, e.code != 0 else { return nil }
        var message = e.message.map { String(cString: $0) } ?? ""
        while message.last?.isNewline == true { message.removeLast() }
        return HTMLDiagnostic(line: Int(e.line), code: Int(e.code), message: message, isFatal: e.level == XML_ERR_FATAL)
    }

    /// Copies the libxml2 tree in document order without recursion: descend to the
    /// first child, else move to the next sibling, else climb until a parent has one.
    private static func copy(from doc: htmlDocPtr, into tree: inout HTMLTree) {
        var open: [Int] = []  // indices of elements whose subtree is being copied
        var current: xmlNodePtr? = doc.pointee.children
        while let node = current {
            var descend = false
            switch node.pointee.type {
            case XML_ELEMENT_NODE:
                let index = tree.nodes.count
                let attributeStart = tree.attributes.count
                var attribute = node.pointee.properties
                while let a = attribute {
                    let name = a.pointee.name.map { String(cString: $0) } ?? ""
                    tree.attributes.append(HTMLAttribute(name: name, value: attributeValue(a)))
                    attribute = a.pointee.next
                }
                tree.nodes.append(
                    HTMLNode(
                        kind: .element, name: node.pointee.name.map { String(cString: $0) } ?? "",
                        line: Int32(truncatingIfNeeded: node.pointee.line), parent: Int32(open.last ?? -1),
                        end: Int32(index + 1), contentStart: 0, contentCount: 0,
                        attributeStart: Int32(attributeStart), attributeCount: Int32(tree.attributes.count - attributeStart)))
                if node.pointee.children != nil {
                    open.append(index)
                    descend = true
                }
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE, XML_COMMENT_NODE:
                appendContent(of: node, kind: node.pointee.type == XML_COMMENT_NODE ? .comment : .text, parent: open.last, into: &tree)
            case XML_ENTITY_REF_NODE:
                // The HTML parser keeps unknown references as text; should one arrive as
                // a reference node, keep it literally rather than expanding anything.
                let name = node.pointee.name.map { String(cString: $0) } ?? ""
                appendLiteral(Array("&\(name);".utf8), line: node.pointee.line, parent: open.last, into: &tree)
            default:
                break  // DTD nodes, processing instructions
            }
            if descend {
                current = node.pointee.children
                continue
            }
            var climb: xmlNodePtr? = node
            current = nil
            while let c = climb {
                if let next = c.pointee.next {
                    current = next
                    break
                }
                climb = c.pointee.parent
                if climb == nil || climb!.pointee.type == XML_HTML_DOCUMENT_NODE || climb!.pointee.type == XML_DOCUMENT_NODE {
                    break
                }
                if let closed = open.popLast() { tree.nodes[closed].end = Int32(tree.nodes.count) }
            }
        }
        while let closed = open.popLast() { tree.nodes[closed].end = Int32(tree.nodes.count) }
    }

    private static func appendContent(of node: xmlNodePtr, kind: HTMLNode.Kind, parent: Int?, into tree: inout HTMLTree) {
        let start = tree.text.count
        if let content = node.pointee.content {
            let length = Int(xmlStrlen(content))
            tree.text.append(contentsOf: UnsafeBufferPointer(start: content, count: length))
        }
        tree.nodes.append(
            HTMLNode(
                kind: kind, name: "", line: Int32(truncatingIfNeeded: node.pointee.line), parent: Int32(parent ?? -1),
                end: Int32(tree.nodes.count + 1), contentStart: Int32(start), contentCount: Int32(tree.text.count - start),
                attributeStart: 0, attributeCount: 0))
    }

    private static func appendLiteral(_ bytes: [UInt8], line: UInt16, parent: Int?, into tree: inout HTMLTree) {
        let start = tree.text.count
        tree.text.append(contentsOf: bytes)
        tree.nodes.append(
            HTMLNode(
                kind: .text, name: "", line: Int32(line), parent: Int32(parent ?? -1), end: Int32(tree.nodes.count + 1),
                contentStart: Int32(start), contentCount: Int32(bytes.count), attributeStart: 0, attributeCount: 0))
    }

    private static func attributeValue(_ attribute: xmlAttrPtr) -> String {
        // The common case is a single text child; anything else goes through libxml2.
        if let child = attribute.pointee.children, child.pointee.next == nil, child.pointee.type == XML_TEXT_NODE,
            let content = child.pointee.content
        {
            return String(cString: content)
        }
        guard let value = xmlNodeListGetString(attribute.pointee.doc, attribute.pointee.children, 1) else { return "" }
        defer { clibxml2_free(value) }
        return String(cString: value)
    }
}
