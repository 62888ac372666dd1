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
    /// Parses UTF-8 text. The page's own charset declarations are ignored: callers decode
    /// to UTF-8 first, so that what libxml2 sees is what they measured.
    ///
    /// libxml2 runs as a SAX parser: it builds no tree of its own; our handlers append
    /// straight to the flat `HTMLTree` (half the work and memory of copying libxml2's tree).
    /// Implied elements (`html`, `body`), auto-closed tags and recovery behave exactly as in
    /// libxml2's tree, which is built by the same callbacks. libxml2 reads the string's
    /// storage in place, as UTF-8, without a copy or a conversion pass. `url` is accepted for
    /// callers' clarity; diagnostics carry lines, not file names.
    public static func parse(_ text: String, url: String? = nil) throws -> HTMLTree {
        var text = text
        let count = text.utf8.count
        guard count < Int(Int32.max) else { throw HTMLParseError.tooLarge(bytes: count) }
        // A native string's storage is contiguous UTF-8: `withCString` hands it over without
        // a copy of our own.
        text.makeContiguousUTF8()  // a no-op for the native strings decoding produces
        // A native string's storage is valid UTF-8 and ends in a NUL: libxml2 reads it in place.
        return try text.withCString { try parse(cString: $0, count: count, inPlace: true) }
    }

    /// Parses UTF-8 bytes.
    public static func parse(utf8 bytes: [UInt8], url: String? = nil) throws -> HTMLTree {
        guard bytes.count < Int(Int32.max) else { throw HTMLParseError.tooLarge(bytes: bytes.count) }
        // An empty array may have no storage; libxml2 wants a valid pointer.
        if bytes.isEmpty { return try parse("") }
        return try bytes.withUnsafeBufferPointer { buffer in
            // Copied by libxml2: the bytes may not be UTF-8, and no NUL follows them.
            try buffer.withMemoryRebound(to: CChar.self) { try parse(cString: $0.baseAddress!, count: $0.count, inPlace: false) }
        }
    }

    /// `inPlace`: libxml2 reads `base` without copying it (valid UTF-8, NUL at `base[count]`).
    static func parse(cString base: UnsafePointer<CChar>, count: Int, inPlace: Bool) throws -> HTMLTree {
        _ = libxml2Initialized
        guard let ctxt = htmlNewParserCtxt() else { throw HTMLParseError.outOfMemory }
        defer { htmlFreeParserCtxt(ctxt) }

        // The builder is a struct the callbacks reach through a pointer: no class, so no
        // reference counting or dynamic exclusivity checks on every SAX event.
        let builder = UnsafeMutablePointer<TreeBuilder>.allocate(capacity: 1)
        builder.initialize(to: TreeBuilder(expectedBytes: count))
        defer {
            builder.deinitialize(count: 1)
            builder.deallocate()
        }
        let options = Int32(
            bitPattern: HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
                | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_IGNORE_ENC.rawValue)
        clibxml2_use_sax(ctxt, UnsafeMutableRawPointer(builder), saxStartElement, saxEndElement, saxCharacters, saxComment)
        let doc: htmlDocPtr? =
            inPlace
            ? clibxml2_html_read_utf8_in_place(ctxt, base, Int32(count), options)
            : clibxml2_html_read_utf8(ctxt, base, Int32(count), options)
        if let doc { xmlFreeDoc(doc) }  // none is built without tree callbacks; free one if it ever is
        var tree = builder.pointee.finish()
        if let last = diagnostic(from: xmlCtxtGetLastError(UnsafeMutableRawPointer(ctxt))) { tree.diagnostics.insert(last, at: 0) }
        return tree
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
private struct TreeBuilder {
    /// libxml2's own limit (`xmlParserMaxDepth`) is enforced by its tree builder, which SAX
    /// parsing bypasses; we keep the same depth but flatten what lies deeper into the deepest
    /// kept element instead of stopping, so no text is lost and nothing grows without bound.
    static let maxDepth = 256

    var tree = HTMLTree()
    private var open: [Int32] = []
    /// Start events beyond `maxDepth` not yet matched by their end event.
    private var skipped = 0
    private var flattened = 0
    private var firstFlattenedLine: Int32 = 0
    /// Index of the text node that the next characters event may extend.
    private var openText: Int?
    /// libxml2 hands names over as strings interned in its dictionary (or as constants), so
    /// the same pointer comes back for the same name: a small direct-mapped cache from
    /// pointer to id skips hashing the name for nearly every element and attribute. A hit is
    /// still checked byte for byte, so a reused address cannot give a wrong name.
    private var cachePointers = [UnsafePointer<UInt8>?](repeating: nil, count: 1024)
    private var cacheNames = [HTMLName](repeating: HTMLName(id: 0), count: 1024)
    /// Behind the cache: every name spelled so far (the known ones, then this tree's), by
    /// its bytes, in an open-addressed table of `id + 1` (0: empty), at most half full. A
    /// name missing from the cache is found by hashing its bytes: a `String` is made only
    /// for a name new to the tree (a `String` and two dictionaries per name and page were
    /// 1.2% of a run on the LibreOffice help pages).
    private var nameTable = Self.knownNameTable
    private var nameCount = Int(HTMLName.knownCount)
    /// UTF-8 bytes of every name by id (`HTMLName.known`, then this tree's), back to back, for
    /// checking cache hits: one flat array, so a check reads bytes in place (an array per
    /// name was retained and released at every start tag and attribute).
    private var spellings = Self.knownSpellings
    /// Where each id's spelling starts in `spellings`, and one past the last.
    private var spellingStarts = Self.knownSpellingStarts
    private static let knownSpellings: [UInt8] = HTMLName.known.flatMap { Array($0.utf8) }
    private static let knownSpellingStarts: [Int] = HTMLName.known.reduce(into: [0]) { $0.append($0.last! + $1.utf8.count) }
    /// Slots in a fresh `nameTable`: room for the known names and as many again.
    private static let initialNameTableSize = 512
    private static let knownNameTable: [UInt32] = {
        var table = [UInt32](repeating: 0, count: initialNameTableSize)
        for id in 0..<Int(HTMLName.knownCount) {
            knownSpellings.withUnsafeBufferPointer { bytes in
                let spelling = UnsafeBufferPointer(rebasing: bytes[knownSpellingStarts[id]..<knownSpellingStarts[id + 1]])
                insert(id: UInt32(id), hash: nameHash(spelling), into: &table)
            }
        }
        return table
    }()

    init(expectedBytes: Int) {
        // Untouched capacity costs address space, not memory: reserve for markup-dense pages.
        tree.text.reserveCapacity(expectedBytes)
        tree.nodes.reserveCapacity(expectedBytes / 16 + 16)
    }

    private mutating func intern(_ pointer: UnsafePointer<UInt8>) -> HTMLName {
        // libxml2 packs its dictionary's strings a few bytes apart: keep the low bits.
        let address = UInt(bitPattern: pointer)
        let slot = Int(truncatingIfNeeded: address ^ (address >> 10)) & 1023
        if cachePointers[slot] == pointer {
            let name = cacheNames[slot]
            if spells(pointer, name) { return name }
        }
        let name = internSlow(pointer)
        cachePointers[slot] = pointer
        cacheNames[slot] = name
        return name
    }

    /// Whether the NUL-terminated name at `pointer` is spelled as `name`. (Inlined: it runs for
    /// every element and attribute.)
    @inline(__always)
    private func spells(_ pointer: UnsafePointer<UInt8>, _ name: HTMLName) -> Bool {
        let start = spellingStarts[Int(name.id)]
        let count = spellingStarts[Int(name.id) + 1] - start
        return spellings.withUnsafeBufferPointer { bytes in
            for k in 0..<count where pointer[k] != bytes[start + k] { return false }
            return pointer[count] == 0
        }
    }

    /// FNV-1a over a name's bytes.
    private static func nameHash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hash: UInt32 = 2_166_136_261
        for b in bytes { hash = (hash ^ UInt32(b)) &* 16_777_619 }
        return Int(hash)
    }

    private static func insert(id: UInt32, hash: Int, into table: inout [UInt32]) {
        let mask = table.count - 1
        var slot = hash & mask
        while table[slot] != 0 { slot = (slot + 1) & mask }
        table[slot] = id + 1
    }

    private mutating func internSlow(_ pointer: UnsafePointer<UInt8>) -> HTMLName {
        let bytes = UnsafeBufferPointer(start: pointer, count: Int(xmlStrlen(pointer)))
        return lookUp(bytes) ?? intern(String(decoding: bytes, as: UTF8.self))
    }

    /// The name spelled `bytes`, if the table has it (a known name, or one of this tree's).
    private func lookUp(_ bytes: UnsafeBufferPointer<UInt8>) -> HTMLName? {
        let mask = nameTable.count - 1
        var slot = Self.nameHash(bytes) & mask
        while nameTable[slot] != 0 {
            let id = Int(nameTable[slot] - 1)
            let start = spellingStarts[id]
            let matches = spellingStarts[id + 1] - start == bytes.count
                && spellings.withUnsafeBufferPointer { $0[start..<start + bytes.count].elementsEqual(bytes) }
            if matches { return HTMLName(id: UInt32(id)) }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// The id of `string`, a new one if the tree has not named it yet.
    private mutating func intern(_ string: String) -> HTMLName {
        var string = string
        if let name = string.withUTF8({ lookUp($0) }) { return name }
        let id = UInt32(HTMLName.known.count + tree.extraNames.count)
        tree.extraNames.append(string)
        spellings.append(contentsOf: string.utf8)
        spellingStarts.append(spellings.count)
        nameCount += 1
        if 2 * nameCount > nameTable.count {
            // Rebuilt twice as large, so that probes stay short.
            var table = [UInt32](repeating: 0, count: 2 * nameTable.count)
            for old in nameTable where old != 0 { Self.insert(id: old - 1, hash: hash(of: old - 1), into: &table) }
            nameTable = table
        }
        Self.insert(id: id, hash: hash(of: id), into: &nameTable)
        return HTMLName(id: id)
    }

    private func hash(of id: UInt32) -> Int {
        spellings.withUnsafeBufferPointer { bytes in
            Self.nameHash(UnsafeBufferPointer(rebasing: bytes[spellingStarts[Int(id)]..<spellingStarts[Int(id) + 1]]))
        }
    }

    mutating func startElement(name: UnsafePointer<UInt8>?, attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, line: Int32) {
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
                let valueStart = tree.text.count
                if let value = (pair + 1).pointee {
                    tree.text.append(contentsOf: UnsafeBufferPointer(start: value, count: Int(xmlStrlen(value))))
                }
                tree.attributes.append(
                    HTMLAttribute(
                        name: intern(attributeName), valueStart: Int32(valueStart), valueCount: Int32(tree.text.count - valueStart)))
                pair += 2
            }
        }
        let interned = if let name { intern(name) } else { intern("") }
        tree.nodes.append(
            HTMLNode(
                kind: .element, name: interned, line: line,
                parent: open.last ?? -1, end: Int32(index + 1), first: Int32(attributeStart),
                count: Int32(tree.attributes.count - attributeStart)))
        open.append(Int32(index))
    }

    mutating func endElement() {
        if skipped > 0 {
            skipped -= 1
            return
        }
        openText = nil
        if let index = open.popLast() { tree.nodes[Int(index)].end = Int32(tree.nodes.count) }
    }

    mutating func characters(_ bytes: UnsafePointer<UInt8>?, count: Int32, line: Int32) {
        guard let bytes, count > 0 else { return }
        let chunk = UnsafeBufferPointer(start: bytes, count: Int(count))
        if let text = openText {
            tree.text.append(contentsOf: chunk)
            tree.nodes[text].count += count
            tree.nodes[text].line = line
            return
        }
        openText = tree.nodes.count
        appendLeaf(.text, chunk, line: line)
    }

    mutating func comment(_ value: UnsafePointer<UInt8>?, line: Int32) {
        openText = nil
        guard let value else { return }
        appendLeaf(.comment, UnsafeBufferPointer(start: value, count: Int(xmlStrlen(value))), line: line)
    }

    private mutating func appendLeaf(_ kind: HTMLNode.Kind, _ content: UnsafeBufferPointer<UInt8>, line: Int32) {
        let start = tree.text.count
        tree.text.append(contentsOf: content)
        tree.nodes.append(
            HTMLNode(
                kind: kind, name: .none, line: line, parent: open.last ?? -1, end: Int32(tree.nodes.count + 1),
                first: Int32(start), count: Int32(content.count)))
    }

    /// Closes what libxml2 left open (it stops at its nesting limit without end events).
    mutating func finish() -> HTMLTree {
        while let index = open.popLast() { tree.nodes[Int(index)].end = Int32(tree.nodes.count) }
        if flattened > 0 {
            tree.diagnostics.append(
                HTMLDiagnostic(
                    line: Int(firstFlattenedLine), code: HTMLDiagnostic.flattenedNesting,
                    message: "nesting deeper than \(Self.maxDepth) elements: \(flattened) deeper element(s) flattened into their ancestor"))
        }
        return tree
    }
}

private func builder(_ ctx: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<TreeBuilder>? {
    clibxml2_parser_ctxt_private(ctx)?.assumingMemoryBound(to: TreeBuilder.self)
}

private let saxStartElement: startElementSAXFunc = { ctx, name, attributes in
    builder(ctx)?.pointee.startElement(name: name, attributes: attributes, line: Int32(clibxml2_ctxt_line(ctx)))
}

private let saxEndElement: endElementSAXFunc = { ctx, _ in
    builder(ctx)?.pointee.endElement()
}

private let saxCharacters: charactersSAXFunc = { ctx, bytes, count in
    builder(ctx)?.pointee.characters(bytes, count: count, line: Int32(clibxml2_ctxt_line(ctx)))
}

private let saxComment: commentSAXFunc = { ctx, value in
    builder(ctx)?.pointee.comment(value, line: Int32(clibxml2_ctxt_line(ctx)))
}
