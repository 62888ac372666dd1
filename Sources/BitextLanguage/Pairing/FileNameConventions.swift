import BitextCore

/// What a file's path says about its language and which document it is a version of.
public struct NamedVersion: Hashable, Sendable {
    /// The language the path names.
    public var language: LanguageCode
    /// The path with the language tag taken out: versions of one document share it.
    public var key: String
    /// The convention that matched, for messages.
    public var convention: String
}

/// File-name conventions for the English and Spanish versions of one document:
/// `name.en.txt`/`name.es.txt`, `name_en`/`name_es`, `name-EN`/`name-ES`, parallel `en/` and
/// `es/` directories, and a pattern set in the pipeline (`{name}.{lang}.{ext}`).
public struct FileNameConventions: Sendable {
    public var pattern: PathPattern?

    public init(pattern: PathPattern? = nil) { self.pattern = pattern }

    /// Tags that name English or Spanish (compared lower-case), with optional region:
    /// `en`, `en-US`, `en_GB`, `es-419`, `eng`, `spa`, `english`, `spanish`, `espanol`.
    public static func language(ofTag tag: some StringProtocol) -> LanguageCode? {
        let lower = tag.lowercased()
        switch lower {
        case "en", "eng", "english", "ingles", "inglés": return .english
        case "es", "spa", "esp", "spanish", "espanol", "español", "castellano": return .spanish
        default: break
        }
        // Language plus region: en-us, en_gb, es-419, es_mx.
        let parts = lower.split(whereSeparator: { $0 == "-" || $0 == "_" })
        if parts.count == 2, (2...3).contains(parts[1].count), parts[1].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            if parts[0] == "en" { return .english }
            if parts[0] == "es" { return .spanish }
        }
        return nil
    }

    /// Whether the name marks a file holding both versions (`x.en-es.txt`, `x_es_en.html`).
    public static func isBilingualName(_ relativePath: String) -> Bool {
        isBilingualASCIIName(relativePath) ?? isBilingualNameOfAnyText(relativePath)
    }

    static func isBilingualNameOfAnyText(_ relativePath: String) -> Bool {
        let name = fileName(relativePath).lowercased()
        for a in ["en", "es"] {
            let b = a == "en" ? "es" : "en"
            for sep in ["-", "_", "+"] {
                let tag = a + sep + b
                for before in [".", "_", "-"] where name.contains(before + tag + ".") || name.hasSuffix(before + tag) {
                    return true
                }
            }
        }
        return false
    }

    /// `isBilingualName` over the bytes of an ASCII path (nil for any other path): the same
    /// test without lower-casing a copy or searching the name eighteen times through
    /// Foundation, which made most of the cost of planning a batch of small files.
    static func isBilingualASCIIName(_ relativePath: String) -> Bool? {
        var path = relativePath
        return path.withUTF8 { p -> Bool? in
            let end = p.count
            // A path ending in "/" (or empty) names its file otherwise: leave it to the general test.
            guard end > 0, p[end - 1] != 0x2F else { return nil }
            var start = end
            while start > 0 && p[start - 1] != 0x2F { start -= 1 }
            @inline(__always) func isSeparator(_ b: UInt8) -> Bool { b == 0x2E || b == 0x5F || b == 0x2D }  // . _ -
            @inline(__always) func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
            var found = false
            for i in start..<end {
                if p[i] >= 0x80 { return nil }
                // ".en-es." / "_es_en" at the end: a separator, en or es, a joiner, the other one,
                // then "." or the end of the name.
                guard !found, isSeparator(p[i]), i + 6 <= end, i + 6 == end || p[i + 6] == 0x2E,
                    lower(p[i + 1]) == 0x65, lower(p[i + 4]) == 0x65,
                    p[i + 3] == 0x2D || p[i + 3] == 0x5F || p[i + 3] == 0x2B
                else { continue }
                let first = lower(p[i + 2]), second = lower(p[i + 5])
                found = (first == 0x6E && second == 0x73) || (first == 0x73 && second == 0x6E)
            }
            return found
        }
    }

    /// The language and key a path's name gives, by the first convention that matches.
    public func version(of relativePath: String) -> NamedVersion? {
        if let pattern, let match = pattern.match(relativePath) {
            return NamedVersion(language: match.language, key: "pattern:" + match.key, convention: "pattern \(pattern.template)")
        }
        if Self.isBilingualName(relativePath) { return nil }
        if let version = Self.versionOfASCIIPath(relativePath) { return version }
        return Self.versionOfAnyPath(relativePath)
    }

    /// The suffix and parallel-directory conventions of `version(of:)`, on any text.
    static func versionOfAnyPath(_ relativePath: String) -> NamedVersion? {
        // Suffix of the file's stem: x.en.txt, x_en.txt, x-EN.html, x.en (no extension).
        let components = relativePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let name = components.last ?? relativePath
        let directory = components.dropLast().joined(separator: "/")
        var stem = name
        var ext = ""
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            stem = String(name[..<dot])
            ext = String(name[dot...])
        }
        for candidate in [(stem, ext), (name, "")] {
            let (base, suffix) = candidate
            if let separator = base.lastIndex(where: { $0 == "." || $0 == "_" || $0 == "-" }), separator != base.startIndex {
                let tag = base[base.index(after: separator)...]
                // Region forms (en-US) have a separator inside the tag: try the longer tag first.
                if let regionStart = base[..<separator].lastIndex(where: { $0 == "." || $0 == "_" || $0 == "-" }),
                    regionStart != base.startIndex,
                    let language = Self.language(ofTag: base[base.index(after: regionStart)...]),
                    base[base.index(after: regionStart)...].count > 3
                {
                    let key = directory + "/" + base[..<regionStart] + "\u{1}" + suffix
                    return NamedVersion(language: language, key: key, convention: "file-name suffix")
                }
                if let language = Self.language(ofTag: tag) {
                    let key = directory + "/" + base[..<separator] + "\u{1}" + suffix
                    return NamedVersion(language: language, key: key, convention: "file-name suffix")
                }
            }
        }
        // Parallel directories: en/x/y.txt and es/x/y.txt (at any depth).
        for (index, component) in components.dropLast().enumerated() {
            if let language = Self.language(ofTag: component) {
                var keyed = components
                keyed[index] = "\u{1}"
                return NamedVersion(language: language, key: keyed.joined(separator: "/"), convention: "parallel directories")
            }
        }
        return nil
    }

    /// `versionOfAnyPath` over the bytes of a path of ASCII characters other than a carriage
    /// return (nil for any other path): there every character is one byte, so the same
    /// searches run on bytes, without splitting the path into strings by characters.
    /// (`.some(nil)`: such a path that names no version.)
    static func versionOfASCIIPath(_ relativePath: String) -> NamedVersion?? {
        var path = relativePath
        return path.withUTF8 { p -> NamedVersion?? in
            let n = p.count
            for b in p where b >= 0x80 || b == 0x0D { return nil }
            @inline(__always) func isSeparator(_ b: UInt8) -> Bool { b == 0x2E || b == 0x5F || b == 0x2D }  // . _ -
            func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: p[range]), as: UTF8.self) }
            /// The last index in `range` whose byte passes `test`.
            func last(in range: Range<Int>, _ test: (UInt8) -> Bool) -> Int? {
                var i = range.upperBound
                while i > range.lowerBound {
                    i -= 1
                    if test(p[i]) { return i }
                }
                return nil
            }
            let lastSlash = last(in: 0..<n) { $0 == 0x2F }
            let nameStart = lastSlash.map { $0 + 1 } ?? 0
            let directory = text(0..<(lastSlash ?? 0))
            var stemEnd = n
            if let dot = last(in: nameStart..<n, { $0 == 0x2E }), dot != nameStart { stemEnd = dot }
            // (stem, extension), then (name, nothing).
            for (baseEnd, suffix) in [(stemEnd, stemEnd..<n), (n, n..<n)] {
                let base = nameStart..<baseEnd
                guard let separator = last(in: base, isSeparator), separator != nameStart else { continue }
                // Region forms (en-US) have a separator inside the tag: try the longer tag first.
                if let regionStart = last(in: nameStart..<separator, isSeparator), regionStart != nameStart,
                    baseEnd - (regionStart + 1) > 3, let language = language(ofTag: text((regionStart + 1)..<baseEnd))
                {
                    let key = directory + "/" + text(nameStart..<regionStart) + "\u{1}" + text(suffix)
                    return NamedVersion(language: language, key: key, convention: "file-name suffix")
                }
                if let language = language(ofTag: text((separator + 1)..<baseEnd)) {
                    let key = directory + "/" + text(nameStart..<separator) + "\u{1}" + text(suffix)
                    return NamedVersion(language: language, key: key, convention: "file-name suffix")
                }
            }
            // Parallel directories: en/x/y.txt and es/x/y.txt (at any depth): the first
            // directory component that is a tag, replaced by the marker.
            var start = 0
            while let slash = p[start..<n].firstIndex(of: 0x2F) {
                if let language = language(ofTag: text(start..<slash)) {
                    return NamedVersion(language: language, key: text(0..<start) + "\u{1}" + text(slash..<n), convention: "parallel directories")
                }
                start = slash + 1
            }
            return .some(nil)
        }
    }

    static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

/// A pipeline-set naming pattern: literal text with placeholders `{name}` (any text),
/// `{lang}` (a language tag such as `en`, `ES`, `en-US`), `{ext}` (no `/` or `.`) and `{*}`
/// (any text that need not be equal between versions). Versions match when everything
/// but `{lang}` and `{*}` is equal. Example: `{name}.{lang}.{ext}`, `{lang}/{name}.html`,
/// `{name}[{lang}].txt`.
public struct PathPattern: Hashable, Sendable {
    public let template: String
    enum Piece: Hashable, Sendable {
        case literal(String)
        case name, lang, ext, any
    }
    let pieces: [Piece]

    public struct Match: Hashable, Sendable {
        public var language: LanguageCode
        public var key: String
    }

    public init(_ template: String) throws {
        self.template = template
        var pieces: [Piece] = []
        var literal = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            literal += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw OptionError(option: "pattern", "unclosed '{' in '\(template)'")
            }
            let placeholder = rest[rest.index(after: open)..<close]
            if !literal.isEmpty { pieces.append(.literal(literal)) }
            literal = ""
            switch placeholder {
            case "name": pieces.append(.name)
            case "lang": pieces.append(.lang)
            case "ext": pieces.append(.ext)
            case "*": pieces.append(.any)
            default: throw OptionError(option: "pattern", "unknown placeholder '{\(placeholder)}' (known: {name}, {lang}, {ext}, {*})")
            }
            rest = rest[rest.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        guard pieces.contains(.lang) else { throw OptionError(option: "pattern", "'\(template)' has no {lang} placeholder") }
        self.pieces = pieces
    }

    /// Matches the whole relative path (backtracking over placeholders).
    public func match(_ path: String) -> Match? {
        let chars = Array(path)
        var captures: [(Piece, String)] = []
        guard matchFrom(0, chars, 0, &captures) else { return nil }
        var language: LanguageCode?
        var key: [String] = []
        for (piece, text) in captures {
            switch piece {
            case .lang: language = FileNameConventions.language(ofTag: text)
            case .any: key.append("*")
            default: key.append(text)
            }
        }
        guard let language else { return nil }
        return Match(language: language, key: key.joined(separator: "\u{1}"))
    }

    private func matchFrom(_ pieceIndex: Int, _ chars: [Character], _ position: Int, _ captures: inout [(Piece, String)]) -> Bool {
        guard pieceIndex < pieces.count else { return position == chars.count }
        let piece = pieces[pieceIndex]
        if case .literal(let text) = piece {
            let literal = Array(text)
            guard position + literal.count <= chars.count, Array(chars[position..<(position + literal.count)]) == literal else { return false }
            captures.append((piece, text))
            if matchFrom(pieceIndex + 1, chars, position + literal.count, &captures) { return true }
            captures.removeLast()
            return false
        }
        var end = position + 1
        while end <= chars.count {
            let text = String(chars[position..<end])
            if piece == .ext && (text.contains("/") || text.contains(".")) { break }
            if piece == .lang && text.contains("/") { break }
            if piece != .lang || FileNameConventions.language(ofTag: text) != nil {
                captures.append((piece, text))
                if matchFrom(pieceIndex + 1, chars, end, &captures) { return true }
                captures.removeLast()
            }
            end += 1
        }
        return false
    }
}
