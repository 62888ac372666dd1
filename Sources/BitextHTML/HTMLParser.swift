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
    ///
    /// libxml2 runs as a SAX parser: it builds no tree of its own; our handlers append
    /// straight to the flat `HTMLTree` (half the work and memory of copying libxml2's tree).
    /// Implied elements (`html`, `body`), auto-closed tags and recovery behave exactly as in
    /// libxml2's tree, which is built by the same callbacks.
    public static func parse(utf8 bytes: [UInt8], url: String? = nil) throws -> HTMLTree {
        _ = libxml2Initialized
        guard bytes.count < Int(Int32.max) else { throw HTMLParseError.tooLarge(bytes: bytes.count) }
        guard let ctxt = htmlNewParserCtxt() else { throw HTMLParseError.outOfMemory }
        defer { htmlFreeParserCtxt(ctxt) }

        let builder = TreeBuilder(expectedBytes: bytes.count)
        let options = Int32(
            bitPattern: HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
                | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_IGNORE_ENC.rawValue)
        let doc: htmlDocPtr? = withExtendedLifetime(builder) {
            clibxml2_use_sax(
                ctxt, Unmanaged.passUnretained(builder).toOpaque(), saxStartElement, saxEndElement, saxCharacters, saxComment)
            return bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    // An empty buffer may have no base address; libxml2 wants a valid pointer.
                    var empty: CChar = 0
                    let base = chars.baseAddress ?? withUnsafePointer(to: &empty) { $0 }
                    return htmlCtxtReadMemory(ctxt, base, Int32(chars.count), url ?? "", "UTF-8", options)
                }
            }
        }
        if let doc { xmlFreeDoc(doc) }  // none is built without tree callbacks; free one if it ever is
        var tree = builder.finish()
        if let last = diagnostic(from: xmlCtxtGetLastError(UnsafeMutableRawPointer(ctxt))) { tree.diagnostics.insert(last, at: 0) }
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
}

/// Receives libxml2's SAX events during one `parse` call and appends to a flat tree.
/// Used synchronously, by that call only.
private final class TreeBuilder {
    /// libxml2's own limit (`xmlParserMaxDepth`) is enforced by its tree builder, which SAX
    /// parsing bypasses; we keep the same depth but flatten what lies deeper into the deepest
    /// kept element instead of stopping, so no text is lost and nothing grows without bound.
    static let maxDepth = 256

    var tree = HTMLTree()
    private var open: [Int] = []
    /// Start events beyond `maxDepth` not yet matched by their end event.
    private var skipped = 0
    private var flattened = 0
    private var firstFlattenedLine: Int32 = 0
    /// Index of the text node that the next characters event may extend.
    private var openText: Int?

    init(expectedBytes: Int) {
        tree.text.reserveCapacity(expectedBytes / 2)
        tree.nodes.reserveCapacity(expectedBytes / 24)
    }

    func startElement(name: UnsafePointer<UInt8>?, attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, line: Int32) {
        if open.count >= Self.maxDepth {
            if flattened == 0 { firstFlattenedLine = line }
            skipped += 1
            flattened += 1
            return
        }
        openText = nil
        let index = tree.nodes.count
        let attributeStart = tree.attributes.count
        if var pair = attributes {
            while let attributeName = pair.pointee {
                let value = (pair + 1).pointee.map { String(cString: $0) } ?? ""
                tree.attributes.append(HTMLAttribute(name: String(cString: attributeName), value: value))
                pair += 2
            }
        }
        tree.nodes.append(
            HTMLNode(
                kind: .element, name: name.map { String(cString: $0) } ?? "", line: line, parent: Int32(open.last ?? -1),
                end: Int32(index + 1), contentStart: 0, contentCount: 0, attributeStart: Int32(attributeStart),
                attributeCount: Int32(tree.attributes.count - attributeStart)))
        open.append(index)
    }

    func endElement() {
        if skipped > 0 {
            skipped -= 1
            return
        }
        openText = nil
        if let index = open.popLast() { tree.nodes[index].end = Int32(tree.nodes.count) }
    }

    func characters(_ bytes: UnsafePointer<UInt8>?, count: Int32, line: Int32) {
        guard let bytes, count > 0 else { return }
        let chunk = UnsafeBufferPointer(start: bytes, count: Int(count))
        if let text = openText {
            tree.text.append(contentsOf: chunk)
            tree.nodes[text].contentCount += count
            tree.nodes[text].line = line
            return
        }
        openText = tree.nodes.count
        appendLeaf(.text, chunk, line: line)
    }

    func comment(_ value: UnsafePointer<UInt8>?, line: Int32) {
        openText = nil
        guard let value else { return }
        appendLeaf(.comment, UnsafeBufferPointer(start: value, count: Int(xmlStrlen(value))), line: line)
    }

    private func appendLeaf(_ kind: HTMLNode.Kind, _ content: UnsafeBufferPointer<UInt8>, line: Int32) {
        let start = tree.text.count
        tree.text.append(contentsOf: content)
        tree.nodes.append(
            HTMLNode(
                kind: kind, name: "", line: line, parent: Int32(open.last ?? -1), end: Int32(tree.nodes.count + 1),
                contentStart: Int32(start), contentCount: Int32(content.count), attributeStart: 0, attributeCount: 0))
    }

    /// Closes what libxml2 left open (it stops at its nesting limit without end events).
    func finish() -> HTMLTree {
        while let index = open.popLast() { tree.nodes[index].end = Int32(tree.nodes.count) }
        if flattened > 0 {
            tree.diagnostics.append(
                HTMLDiagnostic(
                    line: Int(firstFlattenedLine), code: HTMLDiagnostic.flattenedNesting,
                    message: "nesting deeper than \(Self.maxDepth) elements: \(flattened) deeper element(s) flattened into their ancestor"))
        }
        return tree
    }
}

private func builder(_ ctx: UnsafeMutableRawPointer?) -> TreeBuilder? {
    guard let data = clibxml2_parser_ctxt_private(ctx) else { return nil }
    return Unmanaged<TreeBuilder>.fromOpaque(data).takeUnretainedValue()
}

private let saxStartElement: startElementSAXFunc = { ctx, name, attributes in
    builder(ctx)?.startElement(name: name, attributes: attributes, line: Int32(clibxml2_ctxt_line(ctx)))
}

private let saxEndElement: endElementSAXFunc = { ctx, _ in
    builder(ctx)?.endElement()
}

private let saxCharacters: charactersSAXFunc = { ctx, bytes, count in
    builder(ctx)?.characters(bytes, count: count, line: Int32(clibxml2_ctxt_line(ctx)))
}

private let saxComment: commentSAXFunc = { ctx, value in
    builder(ctx)?.comment(value, line: Int32(clibxml2_ctxt_line(ctx)))
}
