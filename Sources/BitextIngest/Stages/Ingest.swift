import BitextCore
import Foundation

/// Reads every input of a unit from disk into a `Document`: plain text is decoded to NFC
/// text; HTML is parsed into blocks at once (its structure is the segmentation).
public struct Ingest: Stage {
    public static let id: StageID = "ingest"
    public static let summary = "Read plain-text and HTML files into documents (decoded, NFC, LF line ends)."
    public static let produces: Set<Layer> = [.document]

    public struct Options: StageOptions {
        /// Files larger than this are refused with an error for that file.
        public var maxBytes: Int
        /// `auto` decides by file extension; `text` or `html` forces one reader.
        public var format: String
        /// HTML only: drop navigation, headers, footers, banners… (`remove`) or keep them (`keep`).
        public var boilerplate: String

        public static let fields = [
            OptionField("max_bytes", "integer", default: "1073741824", "Largest input accepted, in bytes; larger files fail with an error."),
            OptionField("format", "auto|text|html", default: "auto", "How to read inputs: by extension, or all as one format."),
            OptionField("boilerplate", "remove|keep", default: "remove", "HTML: drop navigation, site headers and footers, banners, link lists (each reported in `removed`), or keep them."),
        ]
        enum CodingKeys: String, CodingKey { case maxBytes = "max_bytes", format, boilerplate }
        public init(maxBytes: Int = 1 << 30, format: String = "auto", boilerplate: String = "remove") {
            self.maxBytes = maxBytes
            self.format = format
            self.boilerplate = boilerplate
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            maxBytes = try c.value(.maxBytes, or: 1 << 30)
            format = try c.value(.format, or: "auto")
            boilerplate = try c.value(.boilerplate, or: "remove")
        }
    }

    public let options: Options

    public init(options: Options) throws {
        guard options.maxBytes > 0 else { throw OptionError(option: "max_bytes", "must be positive") }
        guard ["auto", "text", "html"].contains(options.format) else {
            throw OptionError(option: "format", "must be auto, text or html, not '\(options.format)'")
        }
        guard BoilerplatePolicy(rawValue: options.boilerplate) != nil else {
            throw OptionError(option: "boilerplate", "must be remove or keep, not '\(options.boilerplate)'")
        }
        self.options = options
    }

    public func process(_ unit: inout WorkUnit, context: StageContext) throws {
        // One document per input (appending them one by one regrew the array for the second).
        unit.documents.reserveCapacity(unit.documents.count + unit.inputs.count)
        for index in unit.inputs.indices {
            var input = unit.inputs[index]
            // The document keeps the decoded text: drop the bytes (read by the runner or
            // streamed in) so that they are not held until the unit is written, and take them
            // out of `input` too, so that the HTML reader can free them once decoded.
            unit.inputs[index].contents = nil
            unit.inputs[index].text = nil
            var file = input
            file.contents = nil  // the document keeps its text; don't carry the bytes twice
            file.text = nil
            if options.format != "auto" { file.format = SourceFormat(rawValue: options.format) ?? .text }
            if let text = input.text.take() {
                let byteCount = text.utf8.count
                guard byteCount <= options.maxBytes else {
                    throw InputError(file: input.path, stage: Self.id.rawValue, "content is \(byteCount) bytes, over the limit of \(options.maxBytes) (ingest option max_bytes)")
                }
                if file.format == .text {
                    append(PlainTextIngest.document(fromCleanText: text, file: file), hint: input.languageHint, to: &unit)
                    continue
                }
                // Read as text for another reader: hand the bytes over as usual.
                input.contents = Array(text.utf8)
            }
            let bytes: [UInt8]
            if let contents = input.contents.take() {
                guard contents.count <= options.maxBytes else {
                    throw InputError(file: input.path, stage: Self.id.rawValue, "content is \(contents.count) bytes, over the limit of \(options.maxBytes) (ingest option max_bytes)")
                }
                bytes = contents
            } else {
                bytes = try Self.read(input.path, limit: options.maxBytes)
            }
            let document: Document
            switch file.format {
            case .text:
                document = try PlainTextIngest.document(from: bytes, file: file)
            case .html:
                document = try HTMLIngest.document(
                    from: consume bytes, file: file,
                    // The size limit was enforced when reading.
                    options: HTMLIngestOptions(boilerplate: BoilerplatePolicy(rawValue: options.boilerplate) ?? .remove, maxBytes: Int.max))
            }
            append(document, hint: input.languageHint, to: &unit)
        }
    }

    private func append(_ document: consuming Document, hint: LanguageCode?, to unit: inout WorkUnit) {
        if let hint {
            var hinted = document
            hinted.languageHints.append(LanguageHint(source: .fileName, language: hint))
            unit.documents.append(hinted)
        } else {
            unit.documents.append(document)
        }
    }

    /// Reads a whole file, refusing what is over the limit or not a regular file, with
    /// messages that name the file.
    static func read(_ path: String, limit: Int) throws -> [UInt8] {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        } catch {
            let failure = error as NSError
            var reason = failure.localizedFailureReason ?? failure.localizedDescription
            // Foundation reports some causes (too many open files, for one) only as "unknown":
            // the system's own words name them.
            if failure.domain == NSCocoaErrorDomain, failure.code == CocoaError.fileReadUnknown.rawValue,
                let cause = openFailure(path) {
                reason = cause
            }
            throw InputError(file: path, stage: id.rawValue, "cannot open: \(reason)")
        }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()).map(Int.init) ?? 0
        guard size <= limit else {
            throw InputError(file: path, stage: id.rawValue, "file is \(size) bytes, over the limit of \(limit) (ingest option max_bytes)")
        }
        do {
            try handle.seek(toOffset: 0)
            return Array(try handle.readToEnd() ?? Data())
        } catch {
            throw InputError(file: path, stage: id.rawValue, "read failed: \((error as NSError).localizedDescription)")
        }
    }

    /// Why `open(2)` fails on `path` now, in the system's words (`strerror`); nil if it opens.
    static func openFailure(_ path: String) -> String? {
        let descriptor = path.withCString { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard descriptor < 0 else {
            close(descriptor)
            return nil
        }
        return String(cString: strerror(errno))
    }
}
