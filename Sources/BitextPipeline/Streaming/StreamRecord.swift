import BitextCore
import Foundation

/// One line of `bitext stream`'s input: a unit to process, named by files or carried inline.
///
/// ```
/// {"id": "a", "path": "corpus/a.en.txt"}
/// {"id": "b", "en": "corpus/b.en.html", "es": "corpus/b.es.html"}
/// {"id": "en/c.en-es", "root": "/data/corpus", "en": "en/c.html", "es": "es/c.html"}
/// {"id": "c", "text": "One document, any language.", "format": "text"}
/// {"id": "d", "en_text": "<p>Hello</p>", "es_text": "<p>Hola</p>", "format": "html"}
/// ```
public struct StreamRecord: Sendable, Equatable {
    public var id: RecordID
    public var inputs: [InputFile]
    /// Whether the record names an English and a Spanish version.
    public var isPair: Bool { inputs.count == 2 }

    public static let keys = ["id", "root", "path", "en", "es", "text", "en_text", "es_text", "format"]

    public init(id: RecordID, inputs: [InputFile]) {
        self.id = id
        self.inputs = inputs
    }

    /// Parses one input line (`lineNumber` is 1-based). A record without an `id` takes the
    /// name `bitext run` would give its files, or its line number when it carries inline text.
    public static func parse(_ line: String, lineNumber: Int) -> Result<StreamRecord, RecordError> {
        let fields: [String: RawValue]
        do {
            fields = try JSONDecoder().decode([String: RawValue].self, from: Data(line.utf8))
        } catch {
            let message = (try? JSONDecoder().decode(RawValue.self, from: Data(line.utf8))) != nil
                ? "a record must be a JSON object" : "not valid JSON\(Self.reason(line)): \(Self.excerpt(line))"
            return .failure(RecordError(id: .number(lineNumber), message: message))
        }
        var id: RecordID?
        switch fields["id"] {
        case nil: id = nil
        case .string(let text)?: id = .string(text)
        case .integer(let number)?: id = .number(number)
        case .other(let kind)?:
            return .failure(RecordError(id: .number(lineNumber), message: "'id' must be a string or an integer, not \(kind)"))
        }
        func fail(_ message: String) -> Result<StreamRecord, RecordError> {
            .failure(RecordError(id: id ?? .number(lineNumber), message: message))
        }
        if let unknown = fields.keys.sorted().first(where: { !keys.contains($0) }) {
            return fail("unknown key '\(unknown)'; a record has \(keys.map { "'\($0)'" }.joined(separator: ", "))")
        }
        var strings: [String: String] = [:]
        for (key, value) in fields where key != "id" {
            switch value {
            case .string(let text): strings[key] = text
            case .integer: return fail("'\(key)' must be a string, not a number")
            case .other(let kind): return fail("'\(key)' must be a string, not \(kind)")
            }
        }
        var format: SourceFormat?
        if let name = strings["format"], name != "auto" {
            guard let known = SourceFormat(rawValue: name) else { return fail("'format' must be text, html or auto, not '\(name)'") }
            format = known
        }
        let shapes: [(keys: [String], inline: Bool)] = [(["path"], false), (["en", "es"], false), (["text"], true), (["en_text", "es_text"], true)]
        let present = shapes.filter { shape in shape.keys.contains { strings[$0] != nil } }
        guard present.count == 1, let shape = present.first else {
            return fail(present.isEmpty
                ? "a record needs 'path', 'en' and 'es', 'text', or 'en_text' and 'es_text'"
                : "give one of 'path', 'en'/'es', 'text', 'en_text'/'es_text', not several")
        }
        let root = strings["root"]
        if let root {
            guard !shape.inline else { return fail("'root' goes with file paths, not inline text") }
            guard !root.isEmpty else { return fail("'root' is empty") }
        }
        if let missing = shape.keys.first(where: { strings[$0] == nil }) {
            return fail("'\(shape.keys.first { $0 != missing }!)' needs '\(missing)': a pair has an English and a Spanish version")
        }
        let languages: [LanguageCode?] = shape.keys.count == 2 ? [.english, .spanish] : [nil]
        var inputs: [InputFile] = []
        for (key, language) in zip(shape.keys, languages) {
            let value = strings[key]!
            if shape.inline {
                let name = (id ?? .number(lineNumber)).text + (language.map { ".\($0.rawValue)" } ?? "")
                let inlineFormat = format ?? .text
                inputs.append(InputFile(
                    path: "inline:" + name, relativePath: name + (inlineFormat == .html ? ".html" : ".txt"),
                    format: inlineFormat, languageHint: language, contents: Array(value.utf8)))
            } else {
                guard !value.isEmpty else { return fail("'\(key)' is empty") }
                // What the pairing stage reads conventions from (`en/x.html`, patterns): the
                // path under the root, as `bitext run ROOT` sees it; else the file's name, as for
                // a file named on `bitext run`'s command line.
                if let root {
                    guard !value.hasPrefix("/") else { return fail("'\(key)' must be relative to 'root', not absolute") }
                    inputs.append(InputFile(path: (root as NSString).appendingPathComponent(value), relativePath: value, format: format, languageHint: language))
                } else {
                    inputs.append(InputFile(path: value, relativePath: (value as NSString).lastPathComponent, format: format, languageHint: language))
                }
            }
        }
        if id == nil { id = .string(UnitNaming.baseName(inputs)) }
        return .success(StreamRecord(id: id!, inputs: inputs))
    }

    /// Where and why the line is not JSON, as JSONSerialization says it (" (Unescaped control
    /// character around character 22)"); empty when it does not. `JSONDecoder` says only "not
    /// valid", and a raw tab or carriage return inside a string is easy to miss in a line.
    private static func reason(_ line: String) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
            return ""
        } catch {
            guard let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String, !detail.isEmpty else { return "" }
            return " (" + (detail.hasSuffix(".") ? String(detail.dropLast()) : detail) + ")"
        }
    }

    /// The start of a bad line, for the message.
    private static func excerpt(_ line: String) -> String {
        line.count <= 60 ? line : String(line.prefix(60)) + "…"
    }
}

/// A record's `id`, written back as it came: a string or an integer.
public enum RecordID: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case number(Int)

    /// The id as a unit name.
    public var text: String {
        switch self {
        case .string(let text): return text
        case .number(let number): return String(number)
        }
    }
    public var description: String { text }
}

/// A line that is not a usable record.
public struct RecordError: Error, Sendable, Equatable {
    public var id: RecordID
    public var message: String
}

/// A JSON value as far as records care: strings, integers, or something else (named for messages).
enum RawValue: Decodable, Equatable {
    case string(String)
    case integer(Int)
    case other(String)

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let text = try? c.decode(String.self) {
            self = .string(text)
        } else if let flag = try? c.decode(Bool.self) {
            self = .other("a boolean (\(flag))")
        } else if let number = try? c.decode(Int.self) {
            self = .integer(number)
        } else if (try? c.decode(Double.self)) != nil {
            self = .other("a fractional number")
        } else if c.decodeNil() {
            self = .other("null")
        } else if (try? c.decode([RawValue].self)) != nil {
            self = .other("an array")
        } else {
            // Decoded as an object, or thrown: a string the decoder refuses (an unescaped
            // control character) fails every decoding above and must not read as an object.
            _ = try c.decode([String: RawValue].self)
            self = .other("an object")
        }
    }
}
