import BitextCore
import Foundation
import GRDB

/// One row of the index: an aligned paragraph or sentence pair, or an unlinked paragraph
/// (one side empty). Keys are the JSON Lines record ids (`unit#p3`, `unit#s12`, `unit#en7`).
public struct IndexedPair: Hashable, Sendable, Codable {
    public var key: String
    public var unit: String
    /// `paragraph_pair`, `sentence_pair` or `paragraph`.
    public var kind: String
    public var score: Double?
    public var flags: [String]
    public var english: String
    public var spanish: String
    /// `path bytes START-END` of each side in its source file ("" when the side is empty).
    public var englishLocation: String
    public var spanishLocation: String
    /// Text in any other language (or not identified yet, `und`), so that nothing goes unindexed.
    public var other: String = ""
    public var otherLanguage: String = ""
    public var otherLocation: String = ""
    /// Entity values in the pair (normalized and as written), searchable: `2023-10-02` finds
    /// both "2 October 2023" and "2 de octubre de 2023".
    public var entities: String = ""
}

/// A search hit: the pair, bm25 rank (lower is better, as SQLite reports it) and a snippet of
/// the matching side with the matched words between `highlight` markers.
public struct SearchHit: Sendable, Codable {
    public var pair: IndexedPair
    public var rank: Double
    /// The language the snippet is in (`en`, `es`, or the other text's language).
    public var matchedLanguage: String
    public var snippet: String
    /// The aligned counterpart's full text (the other side).
    public var counterpart: String
}

public struct IndexError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A SQLite FTS5 index of aligned pairs. Text is tokenized with `unicode61 remove_diacritics 2`,
/// so that `resolucion` finds `resolución` and `Peña` is found by `pena`.
public enum PairIndex {
    public static let schemaVersion = 1

    /// Builds a fresh index file at `path` (replacing any) from bitext-document JSON files' bytes.
    public static func build(at path: String, documents: [[UInt8]]) throws -> Int {
        try build(at: path, documentCount: documents.count) { OutputPieces(bytes: documents[$0]) }
    }

    /// Builds a fresh index file at `path` from `documentCount` bitext-document JSON files,
    /// asked for one at a time (`document(i)`) and read a piece at a time: a piece of one
    /// document's JSON and the members the rows are made from are in memory at once, however
    /// large the batch. The index is made beside `path` and renamed over it when complete: a
    /// document that fails leaves any earlier index in place.
    public static func build(at path: String, documentCount: Int, document: (Int) throws -> OutputPieces) throws -> Int {
        let partial = path + ".partial-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: partial) }
        var count = 0
        let queue = try DatabaseQueue(path: partial)
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE pairs (
                  id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, unit TEXT NOT NULL, kind TEXT NOT NULL,
                  score REAL, flags TEXT NOT NULL, en TEXT NOT NULL, es TEXT NOT NULL,
                  en_location TEXT NOT NULL, es_location TEXT NOT NULL,
                  other TEXT NOT NULL, other_lang TEXT NOT NULL, other_location TEXT NOT NULL,
                  entities TEXT NOT NULL);
                CREATE VIRTUAL TABLE pairs_fts USING fts5(
                  en, es, other, entities, content='pairs', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
                """)
            try db.execute(sql: "INSERT INTO meta VALUES ('format', 'bitext-index'), ('schema_version', ?), ('generator', ?)",
                           arguments: [String(schemaVersion), "bitext \(BitextVersion.current)"])
            let insert = try db.makeStatement(sql: """
                INSERT INTO pairs (key, unit, kind, score, flags, en, es, en_location, es_location, other, other_lang, other_location, entities)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            // (An array literal through `execute(arguments:)`, whose temporary bindings copy no
            // text: `setUncheckedArguments` with `DatabaseValue`s cost nearly twice as much, its strings
            // copied into C strings and its values mapped through a key path, unspecialized.)
            for index in 0..<documentCount {
                try BitextDocumentJSON.forEachPair(in: try document(index)) { p in
                    try insert.execute(arguments: [p.key, p.unit, p.kind, p.score, p.flags.joined(separator: " "), p.english, p.spanish, p.englishLocation, p.spanishLocation, p.other, p.otherLanguage, p.otherLocation, p.entities])
                    count += 1
                }
            }
            try db.execute(sql: "INSERT INTO pairs_fts(pairs_fts) VALUES ('rebuild')")
            try db.execute(sql: "INSERT INTO pairs_fts(pairs_fts) VALUES ('optimize')")
        }
        try queue.close()
        guard rename(partial, path) == 0 else { throw IndexError("cannot put the index in place at \(path): \(String(cString: strerror(errno)))") }
        return count
    }

    /// Ranked matches (bm25) of `query` (words, all required; `word*` for a prefix;
    /// `"a phrase"`), in one language's side or in both.
    public static func search(
        _ query: String, in path: String, language: LanguageCode? = nil, kind: String? = nil, limit: Int = 10,
        highlight: (String, String) = ("[", "]")
    ) throws -> [SearchHit] {
        guard FileManager.default.fileExists(atPath: path) else { throw IndexError("no index at \(path); build one with `bitext index OUT_DIR --db \(path)`") }
        guard let expression = matchExpression(query) else { return [] }
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        let column: Int
        let match: String
        switch language {
        case .some(.english): column = 0; match = "{en} : (\(expression))"
        case .some(.spanish): column = 1; match = "{es} : (\(expression))"
        case .some(let other): throw IndexError("the index holds en and es text, not '\(other)'")
        case .none: column = -1; match = expression
        }
        return try queue.read { db in
            var sql = """
                SELECT p.key, p.unit, p.kind, p.score, p.flags, p.en, p.es, p.en_location, p.es_location,
                       p.other, p.other_lang, p.other_location, p.entities,
                       bm25(pairs_fts) AS rank,
                       snippet(pairs_fts, 0, ?, ?, '…', 24) AS en_snippet,
                       snippet(pairs_fts, 1, ?, ?, '…', 24) AS es_snippet,
                       snippet(pairs_fts, 2, ?, ?, '…', 24) AS other_snippet
                FROM pairs_fts JOIN pairs p ON p.id = pairs_fts.rowid
                WHERE pairs_fts MATCH ?
                """
            var arguments: StatementArguments = [highlight.0, highlight.1, highlight.0, highlight.1, highlight.0, highlight.1, match]
            if let kind {
                sql += " AND p.kind = ?"
                _ = arguments.append(contentsOf: [kind])
            }
            sql += " ORDER BY rank, p.key LIMIT ?"
            _ = arguments.append(contentsOf: [limit])
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                var pair = IndexedPair(
                    key: row["key"], unit: row["unit"], kind: row["kind"], score: row["score"],
                    flags: (row["flags"] as String).split(separator: " ").map(String.init),
                    english: row["en"], spanish: row["es"], englishLocation: row["en_location"], spanishLocation: row["es_location"])
                pair.other = row["other"]
                pair.otherLanguage = row["other_lang"]
                pair.otherLocation = row["other_location"]
                pair.entities = row["entities"]
                let snippets: [(String, String, String)] = [
                    ("en", row["en_snippet"], pair.spanish), ("es", row["es_snippet"], pair.english), (pair.otherLanguage, row["other_snippet"], ""),
                ]
                // Which side matched: the one asked for, else the first whose snippet shows a highlight.
                let chosen = column >= 0 ? snippets[column] : (snippets.first { $0.1.contains(highlight.0) } ?? snippets[0])
                return SearchHit(pair: pair, rank: row["rank"], matchedLanguage: chosen.0, snippet: chosen.1, counterpart: chosen.2)
            }
        }
    }

    /// Turns user words into an FTS5 expression: every word quoted (so that punctuation and
    /// FTS5 keywords are plain text), `word*` kept as a prefix query, `"…"` kept as a phrase.
    static func matchExpression(_ query: String) -> String? {
        var terms: [String] = []
        var rest = Substring(query)
        while let first = rest.first {
            if first.isWhitespace {
                rest = rest.dropFirst()
            } else if first == "\"" {
                let body = rest.dropFirst()
                let end = body.firstIndex(of: "\"") ?? body.endIndex
                let phrase = body[..<end].trimmingCharacters(in: .whitespaces)
                if !phrase.isEmpty { terms.append(quote(phrase)) }
                rest = end < body.endIndex ? body[body.index(after: end)...] : ""
            } else {
                let end = rest.firstIndex(where: \.isWhitespace) ?? rest.endIndex
                var word = String(rest[..<end])
                rest = rest[end...]
                let prefix = word.hasSuffix("*")
                while word.hasSuffix("*") { word.removeLast() }
                guard word.contains(where: { $0.isLetter || $0.isNumber }) else { continue }
                terms.append(quote(word) + (prefix ? "*" : ""))
            }
        }
        return terms.isEmpty ? nil : terms.joined(separator: " ")
    }

    private static func quote(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
