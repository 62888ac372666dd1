import BitextCore
import BitextIngest
import BitextPipeline
import Foundation

@testable import BitextOutput

/// The repository root, found from this file's path.
let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    fatalError("Package.swift not found above \(#filePath)")
}()

func schemaPath(_ name: String) -> String { repositoryRoot.appendingPathComponent("schemas").appendingPathComponent(name).path }

/// Every sample document (plain text and HTML).
let sampleNames: [String] = {
    let directory = repositoryRoot.appendingPathComponent("samples").path
    return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
        .filter { $0.hasSuffix(".txt") || $0.hasSuffix(".html") }.sorted()
}()

/// A sample run through the pipeline's existing stages (ingest, paragraphs): an unpaired unit.
func sampleUnit(_ name: String) throws -> WorkUnit {
    let path = repositoryRoot.appendingPathComponent("samples").appendingPathComponent(name).path
    var unit = WorkUnit(id: (name as NSString).deletingPathExtension, inputs: [InputFile(path: path, relativePath: name)])
    let context = StageContext(explain: false)
    try Ingest(options: Ingest.Options()).process(&unit, context: context)
    try SegmentParagraphs(options: NoOptions()).process(&unit, context: context)
    return unit
}

/// The bilingual sample annotated by hand the way the later stages annotate it: English and
/// Spanish sides (the file holds the statement then its translation), paragraph links 1–1 in
/// order with a length-based score (one link merged 2–1, one flagged), sentences split at
/// full stops, sentence links, and linked entities (years, `Haiti`/`Haití`, `UN`/`ONU`).
func annotatedSampleUnit() throws -> WorkUnit {
    var unit = try sampleUnit("bap-mss-statement.en-es.txt")
    unit.id = "bap-mss-statement.en-es"
    var document = unit.documents[0]
    let texts = document.blockTexts
    guard let firstSpanish = texts.firstIndex(where: { $0.hasPrefix("La Misión") }) else { fatalError("sample changed") }
    let english = Array(0..<firstSpanish)
    let spanish = Array(firstSpanish..<texts.count)
    for i in english { document.blocks[i].language = .english; document.blocks[i].languageConfidence = 0.98 }
    for i in spanish { document.blocks[i].language = .spanish; document.blocks[i].languageConfidence = 0.97 }
    document.languages = [.english, .spanish]
    document.languageRuns = [
        LanguageRun(language: .english, firstBlock: 0, lastBlock: firstSpanish - 1),
        LanguageRun(language: .spanish, firstBlock: firstSpanish, lastBlock: texts.count - 1),
    ]

    // Sentences: split each block's reader text after ". ", "! ", "? ".
    for block in document.blocks.indices {
        let content = document.content(ofBlock: block)
        let bytes = Array(content.text.utf8)
        var start = 0
        var i = 0
        while i < bytes.count {
            let end = i + 1
            if [UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "?")].contains(bytes[i]), end == bytes.count || bytes[end] == UInt8(ascii: " ") {
                document.sentences.append(Sentence(block: block, range: content.documentRange(of: start..<end)))
                start = end + 1
                i = end
            }
            i += 1
        }
        if start < bytes.count { document.sentences.append(Sentence(block: block, range: content.documentRange(of: start..<bytes.count))) }
    }

    // Entities: every occurrence of a few strings, linked across sides by link index.
    let patterns: [(String, String, String?)] = [
        ("2024", "date", "2024"), ("Haiti", "location", "HT"), ("Haití", "location", "HT"), ("UN", "organization", "UN"), ("ONU", "organization", "UN"),
        ("Kenya", "location", "KE"),
    ]
    var mentions: [(block: Int, entity: Entity)] = []
    for block in document.blocks.indices {
        let content = document.content(ofBlock: block)
        let text = Array(content.text.utf8)
        for (needle, kind, normalized) in patterns {
            let n = Array(needle.utf8)
            var i = 0
            while i + n.count <= text.count {
                let isWordStart = i == 0 || !(Character(UnicodeScalar(text[i - 1])).isLetter)
                let after = i + n.count
                let isWordEnd = after == text.count || !(text[after] < 0x80 && Character(UnicodeScalar(text[after])).isLetter)
                if Array(text[i..<after]) == n && isWordStart && isWordEnd {
                    mentions.append((block, Entity(kind: kind, range: content.documentRange(of: i..<after), block: block, normalized: normalized, attributes: kind == "date" ? ["granularity": "year"] : [:])))
                    i = after
                } else {
                    i += 1
                }
            }
        }
    }

    // Paragraph links: 1–1 in order with scores from the length ratio; then links 3 and 4
    // become a 2–1 link and a one-sided link, as aligners produce for merges and omissions.
    var links: [AlignmentLink] = []
    var e = 0
    var s = 0
    while e < english.count || s < spanish.count {
        let en: LinkPositions = e < english.count ? [e] : []
        let es: LinkPositions = s < spanish.count ? [s] : []
        let lengthEN = en.map { texts[english[$0]].utf8.count }.reduce(0, +)
        let lengthES = es.map { texts[spanish[$0]].utf8.count }.reduce(0, +)
        let ratio = Double(min(lengthEN, lengthES)) / Double(max(1, max(lengthEN, lengthES)))
        var flags: [String] = []
        if ratio < 0.75 { flags.append("length_ratio") }
        let explanation = flags.isEmpty ? nil : ["length_ratio": "English \(lengthEN) bytes, Spanish \(lengthES) bytes (ratio \(String(format: "%.2f", ratio)))"]
        links.append(AlignmentLink(english: en, spanish: es, score: ratio, flags: flags, explanation: explanation))
        e += max(1, en.count)
        s += max(1, es.count)
    }
    if links.count > 4 {
        let merged = AlignmentLink(english: links[3].english + links[4].english, spanish: links[3].spanish, score: 0.41, flags: ["many_to_one"])
        let omission = AlignmentLink(english: [], spanish: links[4].spanish, score: 0, flags: ["omission"])
        links.replaceSubrange(3...4, with: [merged, omission])
    }
    unit.documents[0] = document
    unit.sides = [.english: Side(document: 0, blocks: LinkPositions(english)), .spanish: Side(document: 0, blocks: LinkPositions(spanish))]
    unit.alignment = links

    // Sentence links inside each paragraph link: in order, the last sentences of the longer side merged.
    let englishSentences = unit.sentences(of: .english)
    let spanishSentences = unit.sentences(of: .spanish)
    func sentenceIndices(_ paragraphs: LinkPositions, _ list: [Int], _ side: [Int]) -> [Int] {
        let blocks = Set(paragraphs.map { side[$0] })
        return list.indices.filter { blocks.contains(document.sentences[list[$0]].block) }
    }
    var sentenceLinks: [SentenceLink] = []
    for (index, link) in links.enumerated() where !link.english.isEmpty && !link.spanish.isEmpty {
        let en = sentenceIndices(link.english, englishSentences, english)
        let es = sentenceIndices(link.spanish, spanishSentences, spanish)
        let pairs = min(en.count, es.count)
        for k in 0..<pairs {
            let last = k == pairs - 1
            let enPart = LinkPositions(last ? Array(en[k...]) : [en[k]])
            let esPart = LinkPositions(last ? Array(es[k...]) : [es[k]])
            sentenceLinks.append(SentenceLink(paragraphLink: index, english: enPart, spanish: esPart, score: last && enPart.count != esPart.count ? 0.6 : 0.9, flags: enPart.count != esPart.count ? ["merged"] : []))
        }
    }
    unit.sentenceAlignment = sentenceLinks

    // Link entities: the n-th mention of a value on each side of one paragraph link share a link id.
    let blockToLink: [Int: Int] = Dictionary(uniqueKeysWithValues: links.enumerated().flatMap { index, link in
        link.english.map { (english[$0], index) } + link.spanish.map { (spanish[$0], index) }
    })
    var seen: [String: Int] = [:]
    var linked: [Entity] = []
    for (block, var entity) in mentions.sorted(by: { $0.entity.range < $1.entity.range }) {
        let side = english.contains(block) ? "en" : "es"
        if let link = blockToLink[block], let value = entity.normalized {
            let key = "\(side)|\(link)|\(value)"
            let n = seen[key, default: 0]
            seen[key] = n + 1
            entity.link = "e\(link)-\(value)-\(n)"
        }
        linked.append(entity)
    }
    unit.documents[0].entities = linked
    return unit
}

/// A small pair whose text holds everything escaping must get right: markup characters,
/// quotes, a `</script>`, a control character, a character outside the BMP, and accents.
func trickyUnit() -> WorkUnit {
    let englishText = "Tom & Jerry <b>\"quoted\"</b> 'single' </script><script>alert(1)</script>\n\nControl \u{1} char and emoji 😀 at 5 < 6 > 4.\n"
    let spanishText = "Tom y Jerry <b>«citado»</b> 'simple' </script>\n\nCarácter de control \u{1} y emoji 😀: 5 < 6 > 4.\n"
    func document(_ text: String, path: String, language: LanguageCode) -> Document {
        var blocks: [Block] = []
        var start = 0
        for part in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            let offset = text.utf8.distance(from: text.utf8.startIndex, to: part.startIndex)
            start = offset
            var block = Block(kind: .paragraph, range: TextRange(start, start + part.count), position: SourcePosition(line: blocks.count * 2 + 1, column: 1), attributes: ["element_path": "/html/body/p[\(blocks.count + 1)]", "9bad key": "x&y"])
            block.language = language
            blocks.append(block)
        }
        var document = Document(source: SourceFile(path: path, format: .text, byteCount: text.utf8.count), text: text, blocks: blocks)
        document.languages = [language]
        for (index, block) in blocks.enumerated() { document.sentences.append(Sentence(block: index, range: block.range)) }
        let emoji = text.utf8.firstRange(of: "😀".utf8)!
        let lower = text.utf8.distance(from: text.utf8.startIndex, to: emoji.lowerBound)
        document.entities = [Entity(kind: "symbol", range: TextRange(lower, lower + 4), block: 1, normalized: "U+1F600", link: "e-\"emoji\"<&>", attributes: ["note": "a \"quoted\" <value>"])]
        document.marks = [InlineMark(kind: .bold, range: TextRange(blocks[0].range.start, blocks[0].range.start + 3))]
        return document
    }
    var unit = WorkUnit(id: "tricky & <odd> \"name\"", inputs: [InputFile(path: "en/tricky.txt"), InputFile(path: "es/tricky.txt")])
    unit.documents = [document(englishText, path: "en/tricky & <1>.txt", language: .english), document(spanishText, path: "es/tricky.txt", language: .spanish)]
    unit.sides = [.english: Side(document: 0, blocks: [0, 1]), .spanish: Side(document: 1, blocks: [0, 1])]
    unit.alignment = [
        AlignmentLink(english: [0], spanish: [0], score: 0.83, flags: []),
        AlignmentLink(english: [1], spanish: [1], score: 0.31, flags: ["number_mismatch"], explanation: ["number_mismatch": "4 < 5 & \"6\" differ"]),
    ]
    unit.sentenceAlignment = [
        SentenceLink(paragraphLink: 0, english: [0], spanish: [0], score: 0.83),
        SentenceLink(paragraphLink: 1, english: [1], spanish: [1], score: 0.31, flags: ["number_mismatch"]),
    ]
    return unit
}

// MARK: External tools

struct ToolResult {
    var status: Int32
    var output: String
    var error: String
}

/// Runs a program found on PATH; nil when it is not installed.
func runTool(_ name: String, _ arguments: [String], input: [UInt8]? = nil) throws -> ToolResult? {
    guard let path = which(name) else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let inPipe = Pipe()
    if input != nil { process.standardInput = inPipe } else { process.standardInput = FileHandle.nullDevice }
    try process.run()
    if let input {
        inPipe.fileHandleForWriting.write(Data(input))
        try inPipe.fileHandleForWriting.close()
    }
    // Read both pipes while the process runs, so that a full pipe cannot block it.
    // The group's wait orders the reader's write before our read (ThreadSanitizer sees it).
    nonisolated(unsafe) var errorData = Data()
    let errorRead = DispatchGroup()
    DispatchQueue.global().async(group: errorRead) { errorData = err.fileHandleForReading.readDataToEndOfFile() }
    let outputData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    errorRead.wait()
    return ToolResult(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self), error: String(decoding: errorData, as: UTF8.self))
}

func which(_ name: String) -> String? {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let path = "\(directory)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

/// A fresh directory for test artifacts under .build (kept after the run, not committed).
func artifactDirectory(_ name: String) throws -> URL {
    let url = repositoryRoot.appendingPathComponent(".build/test-artifacts").appendingPathComponent(name)
    try? FileManager.default.removeItem(at: url)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Every writer's output for the units the tests use: samples through the stages, the
/// hand-annotated sample, the escaping unit.
func testUnits() throws -> [WorkUnit] {
    try sampleNames.map(sampleUnit) + [annotatedSampleUnit(), trickyUnit()]
}

/// The samples through the complete default pipeline (language, pairing, alignment, entities),
/// processed in memory.
func completePipelineUnits() throws -> [WorkUnit] {
    let plan = try PipelineLoader().load(path: repositoryRoot.appendingPathComponent("pipelines/default.yaml").path)
    let runner = BatchRunner(plan: plan)
    let inputs = InputDiscovery.discover([repositoryRoot.appendingPathComponent("samples").path]).files
    return try runner.units(for: inputs).units.map { unit in
        var unit = unit
        try runner.process(&unit, context: StageContext(explain: true))
        return unit
    }
}
