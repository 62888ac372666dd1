import BitextCore
import Testing

@testable import BitextPipeline

@Suite struct StreamRecordTests {
    @Test func pathRecordNamesOneFile() throws {
        let record = try StreamRecord.parse(#"{"id": "a", "path": "corpus/a.en.html"}"#, lineNumber: 1).get()
        #expect(record.id == .string("a"))
        #expect(record.inputs.map(\.path) == ["corpus/a.en.html"])
        #expect(record.inputs[0].format == .html)
        #expect(record.inputs[0].languageHint == nil)
        #expect(record.inputs[0].contents == nil)
    }

    @Test func pairRecordHintsTheLanguages() throws {
        let record = try StreamRecord.parse(#"{"id": 12, "en": "x/b.en.txt", "es": "x/b.es.txt", "format": "html"}"#, lineNumber: 1).get()
        #expect(record.id == .number(12))
        #expect(record.isPair)
        #expect(record.inputs.map(\.languageHint) == [.english, .spanish])
        #expect(record.inputs.map(\.format) == [.html, .html], "format overrides the extension")
    }

    @Test func inlineRecordsCarryTheirBytes() throws {
        let record = try StreamRecord.parse(#"{"id": "d", "en_text": "Hello\nworld", "es_text": "Hola ñandú"}"#, lineNumber: 4).get()
        #expect(record.inputs.map(\.contents) == [Array("Hello\nworld".utf8), Array("Hola ñandú".utf8)])
        #expect(record.inputs.map(\.format) == [.text, .text])
        #expect(record.inputs.map(\.path) == ["inline:d.en", "inline:d.es"])
        let html = try StreamRecord.parse(#"{"text": "<p>x</p>", "format": "html"}"#, lineNumber: 9).get()
        #expect(html.id == .string("9"), "inline text without an id is named by its line")
        #expect(html.inputs[0].format == .html)
    }

    @Test func recordsWithoutAnIdAreNamedAsBitextRunNamesThem() throws {
        let single = try StreamRecord.parse(#"{"path": "/data/corpus/letter.en.txt"}"#, lineNumber: 1).get()
        #expect(single.id == .string("letter.en"))
        let pair = try StreamRecord.parse(#"{"en": "/data/letter.en.txt", "es": "/data/letter.es.txt"}"#, lineNumber: 1).get()
        #expect(pair.id == .string("letter.en-es"))
    }

    @Test(arguments: [
        ("not json", RecordID.number(3), "not valid JSON"),
        // A raw carriage return or tab inside a string is not JSON (RFC 8259): said so, where.
        ("{\"id\": \"x\", \"text\": \"a\rb\"}", .number(3), "not valid JSON (Unescaped control character around character 22): "),
        ("{\"id\": \"x\", \"path\": [\"a\tb\"]}", .number(3), "not valid JSON (Unescaped control character"),
        ("[1, 2]", .number(3), "a record must be a JSON object"),
        (#"{"id": true, "path": "a"}"#, .number(3), "'id' must be a string or an integer, not a boolean (true)"),
        (#"{"id": 1.5, "path": "a"}"#, .number(3), "'id' must be a string or an integer, not a fractional number"),
        (#"{"id": "x", "en": "a.txt"}"#, .string("x"), "'en' needs 'es': a pair has an English and a Spanish version"),
        (#"{"id": "x", "es_text": "hola"}"#, .string("x"), "'es_text' needs 'en_text'"),
        (#"{"id": "x", "path": "a", "text": "b"}"#, .string("x"), "give one of"),
        (#"{"id": "x"}"#, .string("x"), "a record needs 'path'"),
        (#"{"id": "x", "pth": "a"}"#, .string("x"), "unknown key 'pth'"),
        (#"{"id": "x", "path": 3}"#, .string("x"), "'path' must be a string, not a number"),
        (#"{"id": "x", "path": ["a"]}"#, .string("x"), "'path' must be a string, not an array"),
        (#"{"id": "x", "path": ""}"#, .string("x"), "'path' is empty"),
        (#"{"id": "x", "path": "a", "format": "pdf"}"#, .string("x"), "'format' must be text, html or auto, not 'pdf'"),
    ])
    func badRecordsSayWhatIsWrong(line: String, id: RecordID, message: String) {
        switch StreamRecord.parse(line, lineNumber: 3) {
        case .success(let record): Issue.record("parsed \(record)")
        case .failure(let error):
            #expect(error.id == id)
            #expect(error.message.hasPrefix(message), "\(error.message)")
        }
    }
}

@Suite struct StreamRecordRootTests {
    @Test func pathsUnderARootKeepTheirRelativePathForPairing() throws {
        let record = try StreamRecord.parse(#"{"root": "/data/corpus", "en": "en/guide/c.html", "es": "es/guide/c.html"}"#, lineNumber: 1).get()
        #expect(record.inputs.map(\.path) == ["/data/corpus/en/guide/c.html", "/data/corpus/es/guide/c.html"])
        #expect(record.inputs.map(\.relativePath) == ["en/guide/c.html", "es/guide/c.html"])
        #expect(record.id == .string("guide/c.en-es"), "named as bitext run names the pair")
        // Without a root only the file name counts, as for files named on bitext run's command line:
        // the directories of an absolute path say nothing about the language.
        let plain = try StreamRecord.parse(#"{"path": "/home/es/corpus/letter.txt"}"#, lineNumber: 1).get()
        #expect(plain.inputs[0].relativePath == "letter.txt")
    }

    @Test(arguments: [
        (#"{"root": "/data", "text": "x"}"#, "'root' goes with file paths"),
        (#"{"root": "", "path": "x.txt"}"#, "'root' is empty"),
        (#"{"root": "/data", "path": "/abs/x.txt"}"#, "'path' must be relative to 'root'"),
    ])
    func rootMisuse(line: String, message: String) {
        guard case .failure(let error) = StreamRecord.parse(line, lineNumber: 1) else {
            Issue.record("parsed")
            return
        }
        #expect(error.message.hasPrefix(message), "\(error.message)")
    }

    @Test func listedRecordsCarryTheRootTheFilesWereFoundUnder() {
        #expect(StreamRecordLister.root(InputFile(path: "/data/corpus/en/x.txt", relativePath: "en/x.txt")) == "/data/corpus")
        #expect(StreamRecordLister.root(InputFile(path: "samples/x.txt", relativePath: "x.txt")) == "samples")
        #expect(StreamRecordLister.root(InputFile(path: "x.txt", relativePath: "x.txt")) == nil)
    }
}
