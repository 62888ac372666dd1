import BitextCore
import BitextHTML
import Foundation

/// What to do with site chrome (navigation, headers, footers, banners, link lists).
public enum BoilerplatePolicy: String, Hashable, Sendable, Codable, CaseIterable {
    /// Drop it and report each removal in `Document.removed` (the default).
    case remove
    /// Keep everything a reader could see.
    case keep
}

public struct HTMLIngestOptions: Hashable, Sendable {
    public var boilerplate: BoilerplatePolicy
    /// Larger inputs are refused with an `InputError` (the batch goes on).
    public var maxBytes: Int
    public init(boilerplate: BoilerplatePolicy = .remove, maxBytes: Int = 256 << 20) {
        self.boilerplate = boilerplate
        self.maxBytes = maxBytes
    }
}

/// HTML pages to documents: decoded, parsed with libxml2, and turned into blocks in
/// reading order with inline marks, footnote links, language hints and a record of
/// everything dropped.
///
/// The document text is the blocks' texts joined by blank lines ("\n\n"), so it holds
/// exactly the page's content, in order. Offsets into it are UTF-8; `sourceOffsets` maps
/// each block's start to the start of its source line.
public enum HTMLIngest {
    public static func document(from bytes: consuming [UInt8], file: InputFile, options: HTMLIngestOptions) throws -> Document {
        let byteCount = bytes.count
        guard byteCount <= options.maxBytes else {
            throw InputError(
                file: file.path, byteOffset: options.maxBytes, stage: "ingest",
                "HTML file of \(byteCount) bytes is over the limit of \(options.maxBytes) bytes (max_bytes)")
        }
        // Only the tree, the offset map and the line starts outlive `read`: a big page is not
        // held three times over while its blocks are built. The raw bytes go as soon as they
        // are decoded (when the caller hands them over), and the decoded text once parsed.
        var page = try read(consume bytes, file: file)
        var diagnostics = page.diagnostics
        let source = SourceFile(path: file.path, format: .html, encoding: page.encoding, byteCount: byteCount)
        // The tree (twice the page) and its analysis are gone before the document is assembled.
        let prepared = try prepare(
            tree: page.takeTree(), policy: options.boilerplate, file: file, byteCount: byteCount, diagnostics: &diagnostics)
        return assemble(prepared, sourceOffsets: page.sourceOffsets, lineStarts: page.lineStarts, source: source, diagnostics: diagnostics)
    }

    /// Everything the document needs from the tree: blocks, their element paths, removals.
    struct Prepared {
        var build: Built
        var blockPaths: [String]
        var removed: [RemovedContent]
        var documentLanguage: String?
    }

    private static func prepare(
        tree: HTMLTree, policy: BoilerplatePolicy, file: InputFile, byteCount: Int, diagnostics: inout [Diagnostic]
    ) throws -> Prepared {
        for problem in tree.diagnostics where problem.code == HTMLDiagnostic.flattenedNesting {
            diagnostics.append(
                Diagnostic(
                    .warning, file: file.path, position: SourcePosition(line: max(1, problem.line), column: 1), stage: "ingest",
                    message: problem.message))
        }
        for problem in tree.diagnostics where problem.isFatal && byteCount > 0 {
            diagnostics.append(
                Diagnostic(
                    .warning, file: file.path, position: SourcePosition(line: max(1, problem.line), column: 1), stage: "ingest",
                    message: "libxml2 stopped reading here (\(problem.message)); the rest of the page is lost"))
        }
        let analysis = HTMLAnalysis(tree: tree)
        var build = makeBlocks(tree: tree, analysis: analysis, policy: policy)
        if build.blocks.isEmpty && policy == .remove {
            let kept = makeBlocks(tree: tree, analysis: analysis, policy: .keep)
            if !kept.blocks.isEmpty {
                diagnostics.append(
                    Diagnostic(
                        .warning, file: file.path, stage: "ingest",
                        message: "everything on the page looked like boilerplate; kept it all instead"))
                build = kept
            }
        }
        guard !build.blocks.isEmpty else {
            var reason = "no text could be extracted from the HTML page"
            if let libxml = tree.diagnostics.first(where: { $0.code > 0 }) { reason += " (libxml2, line \(libxml.line): \(libxml.message))" }
            if !build.removals.isEmpty { reason += "; \(build.removals.count) element(s) dropped (scripts, hidden or boilerplate)" }
            throw InputError(file: file.path, byteOffset: byteCount == 0 ? 0 : nil, stage: "ingest", reason)
        }

        var paths = ElementPaths(tree: tree)
        let blockPaths = build.blocks.map { paths.path(of: $0.element) }
        var removed: [RemovedContent] = build.removals.map { removal in
            let excerpt = analysis.subtreeText(removal.element, limit: 120)
            let node = tree.nodes[removal.element]
            let characters =
                node.kind == .element
                ? Int(analysis.textBytes[removal.element]) : tree.content(of: removal.element).count
            return RemovedContent(
                reason: removal.reason, position: SourcePosition(line: max(1, Int(node.line)), column: 1),
                elementPath: node.kind == .element ? paths.path(of: removal.element) : paths.path(of: Int(node.parent)),
                excerpt: node.kind == .comment
                    ? HTMLText.trimmingWhitespace(String(decoding: tree.content(of: removal.element).prefix(120), as: UTF8.self))
                    : HTMLText.trimmingWhitespace(String(decoding: excerpt, as: UTF8.self)),
                characters: characters)
        }
        for (block, reason) in build.removedBlocks {
            let excerpt = String(decoding: block.bytes, as: UTF8.self)
            removed.append(
                RemovedContent(
                    reason: reason, position: SourcePosition(line: max(1, block.line), column: 1),
                    elementPath: paths.path(of: block.element), excerpt: String(excerpt.prefix(120)), characters: excerpt.count))
        }
        build.removedBlocks = []
        build.removals = []
        removed.sort { ($0.position.line, $0.elementPath ?? "") < ($1.position.line, $1.elementPath ?? "") }
        return Prepared(build: build, blockPaths: blockPaths, removed: removed, documentLanguage: analysis.documentLanguage)
    }

    private struct ReadPage {
        var encoding: String
        var sourceOffsets: OffsetMap
        var diagnostics: [Diagnostic]
        var lineStarts: [Int]
        var tree: HTMLTree

        /// Hands the tree over, leaving an empty one, so that its new owner decides when it dies.
        mutating func takeTree() -> HTMLTree {
            var taken = HTMLTree()
            swap(&taken, &tree)
            return taken
        }
    }

    private static func read(_ bytes: consuming [UInt8], file: InputFile) throws -> ReadPage {
        let declared = HTMLCharset.declared(in: bytes)
        let decoded = try TextDecoder.decode(bytes, file: file.path, declaredEncoding: declared)
        _ = consume bytes
        var diagnostics = decoded.warnings
        if let declared, HTMLCharset.family(declared) != HTMLCharset.family(decoded.encoding),
            !(HTMLCharset.family(declared) == "utf-8" && decoded.encoding.hasPrefix("utf-8"))
        {
            diagnostics.append(
                Diagnostic(
                    .warning, file: file.path, stage: "ingest",
                    message: "the page declares charset \(declared) but its bytes are \(decoded.encoding); read as \(decoded.encoding)"))
        }
        let lineStarts = Self.lineStarts(of: decoded.text)
        let tree: HTMLTree
        do {
            tree = try HTMLParser.parse(decoded.text, url: file.path)
        } catch {
            throw InputError(file: file.path, stage: "ingest", "libxml2 could not parse the page: \(error)")
        }
        return ReadPage(encoding: decoded.encoding, sourceOffsets: decoded.offsets, diagnostics: diagnostics, lineStarts: lineStarts, tree: tree)
    }

    /// UTF-8 offsets where each line of `text` starts.
    static func lineStarts(of text: String) -> [Int] {
        // The array is built inside the scan and returned, not captured by the closure: a
        // captured `var` is boxed, and every append paid a dynamic exclusivity check.
        let scan = { (buffer: UnsafeBufferPointer<UInt8>) -> [Int] in
            var starts = [0]
            guard let base = buffer.baseAddress else { return starts }
            var position = 0
            while position < buffer.count, let found = memchr(base + position, 0x0A, buffer.count - position) {
                position = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
                starts.append(position)
            }
            return starts
        }
        return text.utf8.withContiguousStorageIfAvailable(scan) ?? Array(text.utf8).withUnsafeBufferPointer(scan)
    }

    struct Built {
        var blocks: [PendingBlock]
        var removals: [PendingRemoval]
        /// Blocks removed after building (edge boilerplate), with their reasons.
        var removedBlocks: [(PendingBlock, String)]
        var alternates: [(language: String, href: String)]
    }

    static func makeBlocks(tree: HTMLTree, analysis: HTMLAnalysis, policy: BoilerplatePolicy) -> Built {
        var builder = HTMLBlockBuilder(tree: tree, analysis: analysis, boilerplate: policy)
        builder.build()
        var blocks = builder.takeBlocks()  // unshared, so the edits below copy nothing
        var removedBlocks: [(PendingBlock, String)] = []
        if policy == .remove && analysis.mainElement == nil {
            let edges = HTMLBoilerplate.edgeRemovals(blocks)
            if !edges.isEmpty && edges.count < blocks.count {
                // Footnote bodies stay, even at the end of the page.
                let drop = Dictionary(uniqueKeysWithValues: edges.map { ($0.index, $0.reason) })
                var kept: [PendingBlock] = []
                kept.reserveCapacity(blocks.count - edges.count)
                blocks.reverse()
                for k in 0..<blocks.count {
                    let block = blocks.removeLast()
                    if let reason = drop[k] { removedBlocks.append((block, reason)) } else { kept.append(block) }
                }
                blocks = kept
            }
        }
        return Built(blocks: blocks, removals: builder.removals, removedBlocks: removedBlocks, alternates: builder.alternates)
    }

    private static func assemble(
        _ prepared: consuming Prepared, sourceOffsets: OffsetMap, lineStarts: [Int], source: SourceFile, diagnostics: [Diagnostic]
    ) -> Document {
        // Taken out of `prepared`, so that moving blocks out of it copies nothing.
        var build = Built(blocks: [], removals: [], removedBlocks: [], alternates: [])
        swap(&build, &prepared.build)
        let blockPaths = prepared.blockPaths

        // The document text is written straight into the string's storage, and each block's
        // bytes are released once copied, so a big page is not held twice here.
        let total = build.blocks.reduce(0) { $0 + $1.bytes.count } + 2 * max(0, build.blocks.count - 1)
        var ranges: [TextRange] = []
        ranges.reserveCapacity(build.blocks.count)
        let documentText = String(unsafeUninitializedCapacity: max(1, total)) { buffer in
            var position = 0
            for k in build.blocks.indices {
                if k > 0 {
                    buffer[position] = 0x0A
                    buffer[position + 1] = 0x0A
                    position += 2
                }
                let start = position
                build.blocks[k].bytes.withUnsafeBufferPointer { source in
                    if let from = source.baseAddress, let to = buffer.baseAddress, source.count > 0 {
                        (to + position).update(from: from, count: source.count)
                    }
                    position += source.count
                }
                ranges.append(TextRange(start, position))
                build.blocks[k].bytes = []
            }
            return position
        }
        var blocks: [Block] = []
        blocks.reserveCapacity(build.blocks.count)
        var marks: [InlineMark] = []
        marks.reserveCapacity(build.blocks.reduce(0) { $0 + $1.marks.count })
        var hints: [LanguageHint] = []
        var offsets = OffsetMap(checkpoints: [])
        var footnoteBlock: [Int: Int] = [:]
        var pendingReferences: [(mark: Int, target: Int)] = []

        // Blocks are moved out one by one (reversed, then popped) rather than copied.
        let blockCount = build.blocks.count
        build.blocks.reverse()
        for index in 0..<blockCount {
            var pending = build.blocks.removeLast()
            let start = ranges[index].start
            let line = max(1, pending.line)
            let lineStart = lineStarts[min(line, lineStarts.count) - 1]
            offsets.add(text: start, source: sourceOffsets.sourceOffset(of: lineStart))
            pending.attributes["element_path"] = blockPaths[index]
            if let language = pending.language { pending.attributes["lang_hint"] = language }
            var block = Block(
                kind: pending.kind, range: ranges[index], position: SourcePosition(line: line, column: 1),
                level: pending.level, marker: pending.marker, attributes: pending.attributes)
            block.excluded = pending.excluded.map { TextRange(start + $0.lowerBound, start + $0.upperBound) }
            blocks.append(block)
            if let target = pending.footnoteTarget, pending.kind == .footnote, footnoteBlock[target] == nil {
                footnoteBlock[target] = index
            }
            if pending.marks.count > 1 { pending.marks.sort(by: { ($0.start, -$0.end) < ($1.start, -$1.end) }) }
            for mark in pending.marks {
                if mark.kind == .footnoteReference, let target = mark.targetElement {
                    pendingReferences.append((marks.count, target))
                }
                marks.append(
                    InlineMark(kind: mark.kind, range: TextRange(start + mark.start, start + mark.end), value: mark.value, href: mark.href))
            }
            if let language = pending.language {
                hints.append(LanguageHint(source: .elementAttribute, language: LanguageCode(language), block: index))
            }
        }
        for (mark, target) in pendingReferences { marks[mark].target = footnoteBlock[target] }

        if let language = prepared.documentLanguage {
            hints.insert(LanguageHint(source: .documentAttribute, language: LanguageCode(language)), at: 0)
        }
        for alternate in build.alternates where alternate.language.lowercased() != "x-default" {
            if let language = HTMLAnalysis.primaryLanguage(alternate.language) {
                hints.append(LanguageHint(source: .alternate, language: LanguageCode(language), href: alternate.href))
            }
        }

        var document = Document(source: source, text: documentText, sourceOffsets: offsets, blocks: blocks)
        document.marks = marks
        document.languageHints = hints
        document.removed = prepared.removed
        document.diagnostics = diagnostics
        return document
    }
}

/// `body/main/article/p[3]`-style paths: element names from `body` down, with a 1-based
/// position among same-named siblings when there is more than one.
///
/// Built on demand, for the elements blocks and removals name: siblings are numbered a
/// parent at a time into one integer array, and each path is its parent's path plus one
/// component.
struct ElementPaths {
    let tree: HTMLTree
    /// Per node: 0 = the only child of its name, n ≥ 1 = the nth, -1 = not numbered yet.
    private var ordinals: [Int32]
    /// The ancestors whose paths were built last, outermost first, with their paths. Blocks
    /// come in document order, so the next block's parent is nearly always on it (or a
    /// sibling of an entry): a stack, with no hashing (a dictionary of every ancestor's
    /// path was hashed and probed per block; a per-node array cost a 50 MB page 10 MiB of
    /// peak memory).
    private var chain: [(element: Int, path: String)] = []

    init(tree: HTMLTree) {
        self.tree = tree
        ordinals = Array(repeating: -1, count: tree.nodes.count)
    }

    mutating func path(of element: Int) -> String {
        guard element >= 0, element < tree.nodes.count else { return "" }
        // Paths start below `html` (at `body`, `head`).
        if tree.nodes[element].name == .html { return "" }
        let prefix = ancestorPath(of: Int(tree.nodes[element].parent))
        return Self.joined(prefix, component(of: element))
    }

    /// The path of `ancestor`, from the chain or built and pushed onto it (the chain is cut
    /// back to `ancestor`'s own ancestors first). Depth is bounded by the parser (256).
    private mutating func ancestorPath(of ancestor: Int) -> String {
        guard ancestor >= 0, ancestor < tree.nodes.count else { return "" }
        while let last = chain.last, !(last.element <= ancestor && ancestor < Int(tree.nodes[last.element].end)) {
            chain.removeLast()
        }
        if let last = chain.last, last.element == ancestor { return last.path }
        if tree.nodes[ancestor].name == .html { return "" }
        let prefix = ancestorPath(of: Int(tree.nodes[ancestor].parent))
        let path = Self.joined(prefix, component(of: ancestor))
        chain.append((ancestor, path))
        return path
    }

    /// `prefix/own`, in one allocation sized once (`prefix + "/" + own` grew a new string twice).
    private static func joined(_ prefix: String, _ own: String) -> String {
        guard !prefix.isEmpty else { return own }
        var result = ""
        result.reserveCapacity(prefix.utf8.count + 1 + own.utf8.count)
        result += prefix
        result += "/"
        result += own
        return result
    }

    private mutating func component(of element: Int) -> String {
        let node = tree.nodes[element]
        guard node.kind == .element else { return "" }
        let parent = Int(node.parent)
        guard parent >= 0 else { return tree.string(of: node.name) }
        if ordinals[element] < 0 { numberChildren(of: parent) }
        let name = tree.string(of: node.name)
        let n = ordinals[element]
        return n == 0 ? name : name + "[" + String(n) + "]"
    }

    /// Scratch space for `numberChildren`, kept between calls (a new array per parent was a
    /// quarter of the time spent on paths).
    private var children: [(name: UInt32, index: Int)] = []

    private mutating func numberChildren(of parent: Int) {
        children.removeAll(keepingCapacity: true)
        var k = parent + 1
        let end = Int(tree.nodes[parent].end)
        while k < end {
            if tree.nodes[k].kind == .element { children.append((tree.nodes[k].name.id, k)) }
            k = Int(tree.nodes[k].end)
        }
        children.sort { ($0.name, $0.index) < ($1.name, $1.index) }
        var start = 0
        while start < children.count {
            var stop = start + 1
            while stop < children.count && children[stop].name == children[start].name { stop += 1 }
            if stop - start == 1 {
                ordinals[children[start].index] = 0
            } else {
                for j in start..<stop { ordinals[children[j].index] = Int32(j - start + 1) }
            }
            start = stop
        }
    }
}
