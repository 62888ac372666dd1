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
    public static func document(from bytes: [UInt8], file: InputFile, options: HTMLIngestOptions) throws -> Document {
        guard bytes.count <= options.maxBytes else {
            throw InputError(
                file: file.path, byteOffset: options.maxBytes, stage: "ingest",
                "HTML file of \(bytes.count) bytes is over the limit of \(options.maxBytes) bytes (max_bytes)")
        }
        let declared = HTMLCharset.declared(in: bytes)
        let decoded = try TextDecoder.decode(bytes, file: file.path, declaredEncoding: declared)
        var diagnostics = decoded.warnings
        if let declared, HTMLCharset.family(declared) != HTMLCharset.family(decoded.encoding),
            !(HTMLCharset.family(declared) == "utf-8" && decoded.encoding.hasPrefix("utf-8"))
        {
            diagnostics.append(
                Diagnostic(
                    .warning, file: file.path, stage: "ingest",
                    message: "the page declares charset \(declared) but its bytes are \(decoded.encoding); read as \(decoded.encoding)"))
        }
        let utf8 = Array(decoded.text.utf8)
        let tree: HTMLTree
        do {
            tree = try HTMLParser.parse(utf8: utf8, url: file.path)
        } catch {
            throw InputError(file: file.path, stage: "ingest", "libxml2 could not parse the page: \(error)")
        }

        for problem in tree.diagnostics where problem.isFatal && !bytes.isEmpty {
            diagnostics.append(
                Diagnostic(
                    .warning, file: file.path, position: SourcePosition(line: max(1, problem.line), column: 1), stage: "ingest",
                    message: "libxml2 stopped reading here (\(problem.message)); the rest of the page is lost"))
        }
        let analysis = HTMLAnalysis(tree: tree)
        var build = makeBlocks(tree: tree, analysis: analysis, policy: options.boilerplate)
        if build.blocks.isEmpty && options.boilerplate == .remove {
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
            if let libxml = tree.diagnostics.first { reason += " (libxml2, line \(libxml.line): \(libxml.message))" }
            if !build.removals.isEmpty { reason += "; \(build.removals.count) element(s) dropped (scripts, hidden or boilerplate)" }
            throw InputError(file: file.path, byteOffset: bytes.isEmpty ? 0 : nil, stage: "ingest", reason)
        }
        return assemble(
            build, tree: tree, analysis: analysis, decoded: decoded, utf8: utf8, file: file, bytes: bytes,
            diagnostics: diagnostics)
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
        var blocks = builder.blocks
        var removedBlocks: [(PendingBlock, String)] = []
        if policy == .remove && analysis.mainElement == nil {
            let edges = HTMLBoilerplate.edgeRemovals(blocks)
            if !edges.isEmpty && edges.count < blocks.count {
                // Footnote bodies stay, even at the end of the page.
                let drop = Dictionary(uniqueKeysWithValues: edges.map { ($0.index, $0.reason) })
                var kept: [PendingBlock] = []
                for (k, block) in blocks.enumerated() {
                    if let reason = drop[k] { removedBlocks.append((block, reason)) } else { kept.append(block) }
                }
                blocks = kept
            }
        }
        return Built(blocks: blocks, removals: builder.removals, removedBlocks: removedBlocks, alternates: builder.alternates)
    }

    private static func assemble(
        _ build: Built, tree: HTMLTree, analysis: HTMLAnalysis, decoded: DecodedText, utf8: [UInt8], file: InputFile,
        bytes: [UInt8], diagnostics: [Diagnostic]
    ) -> Document {
        var paths = ElementPaths(tree: tree)
        // Start of each line in the decoded text, for source offsets.
        var lineStarts = [0]
        utf8.withUnsafeBufferPointer { buffer in
            for k in 0..<buffer.count where buffer[k] == 0x0A { lineStarts.append(k + 1) }
        }

        var text: [UInt8] = []
        text.reserveCapacity(build.blocks.reduce(0) { $0 + $1.bytes.count + 2 })
        var blocks: [Block] = []
        var marks: [InlineMark] = []
        var hints: [LanguageHint] = []
        var offsets = OffsetMap(checkpoints: [])
        var footnoteBlock: [Int: Int] = [:]
        var pendingReferences: [(mark: Int, target: Int)] = []

        for (index, pending) in build.blocks.enumerated() {
            if !text.isEmpty { text += [0x0A, 0x0A] }
            let start = text.count
            text += pending.bytes
            let line = max(1, pending.line)
            let lineStart = lineStarts[min(line, lineStarts.count) - 1]
            offsets.add(text: start, source: decoded.offsets.sourceOffset(of: lineStart))
            var attributes = pending.attributes
            attributes["element_path"] = paths.path(of: pending.element)
            if let language = pending.language { attributes["lang_hint"] = language }
            var block = Block(
                kind: pending.kind, range: TextRange(start, text.count), position: SourcePosition(line: line, column: 1),
                level: pending.level, marker: pending.marker, attributes: attributes)
            block.excluded = pending.excluded.map { TextRange(start + $0.lowerBound, start + $0.upperBound) }
            blocks.append(block)
            if let target = pending.footnoteTarget, pending.kind == .footnote, footnoteBlock[target] == nil {
                footnoteBlock[target] = index
            }
            for mark in pending.marks.sorted(by: { ($0.start, -$0.end) < ($1.start, -$1.end) }) {
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

        if let language = analysis.documentLanguage {
            hints.insert(LanguageHint(source: .documentAttribute, language: LanguageCode(language)), at: 0)
        }
        for alternate in build.alternates where alternate.language.lowercased() != "x-default" {
            if let language = HTMLAnalysis.primaryLanguage(alternate.language) {
                hints.append(LanguageHint(source: .alternate, language: LanguageCode(language), href: alternate.href))
            }
        }

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
                    ? String(decoding: tree.content(of: removal.element).prefix(120), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                    : String(decoding: excerpt, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines),
                characters: characters)
        }
        for (block, reason) in build.removedBlocks {
            let excerpt = String(decoding: block.bytes, as: UTF8.self)
            removed.append(
                RemovedContent(
                    reason: reason, position: SourcePosition(line: max(1, block.line), column: 1),
                    elementPath: paths.path(of: block.element), excerpt: String(excerpt.prefix(120)), characters: excerpt.count))
        }
        removed.sort { ($0.position.line, $0.elementPath ?? "") < ($1.position.line, $1.elementPath ?? "") }

        let source = SourceFile(path: file.path, format: .html, encoding: decoded.encoding, byteCount: bytes.count)
        var document = Document(source: source, text: String(decoding: text, as: UTF8.self), sourceOffsets: offsets, blocks: blocks)
        document.marks = marks
        document.languageHints = hints
        document.removed = removed
        document.diagnostics = diagnostics
        return document
    }
}

/// `body/main/article/p[3]`-style paths: element names from `body` down, with a 1-based
/// position among same-named siblings when there is more than one.
struct ElementPaths {
    let tree: HTMLTree
    private var components: [Int: String] = [:]
    private var paths: [Int: String] = [:]

    init(tree: HTMLTree) { self.tree = tree }

    mutating func path(of element: Int) -> String {
        guard element >= 0, element < tree.nodes.count else { return "" }
        if let cached = paths[element] { return cached }
        var chain: [Int] = []
        var k = element
        while k >= 0 && tree.nodes[k].name != "html" && paths[k] == nil {
            chain.append(k)
            k = Int(tree.nodes[k].parent)
        }
        var prefix = k >= 0 ? (paths[k] ?? "") : ""
        for e in chain.reversed() {
            prefix = prefix.isEmpty ? component(of: e) : prefix + "/" + component(of: e)
            paths[e] = prefix
        }
        return prefix
    }

    private mutating func component(of element: Int) -> String {
        if let cached = components[element] { return cached }
        let parent = Int(tree.nodes[element].parent)
        guard parent >= 0 else { return tree.nodes[element].name }
        var totals: [String: Int] = [:]
        for child in tree.children(of: parent) where tree.nodes[child].kind == .element { totals[tree.nodes[child].name, default: 0] += 1 }
        var seen: [String: Int] = [:]
        for child in tree.children(of: parent) where tree.nodes[child].kind == .element {
            let name = tree.nodes[child].name
            seen[name, default: 0] += 1
            components[child] = totals[name]! > 1 ? "\(name)[\(seen[name]!)]" : name
        }
        return components[element] ?? tree.nodes[element].name
    }
}
