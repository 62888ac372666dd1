import BitextCore
import Yams

/// The version of bitext.
public let version = BitextVersion.current

/// The built-in default pipeline, used by `bitext align` when no pipeline file is given.
/// A test keeps it identical to `pipelines/default.yaml`.
public enum DefaultPipeline {
    public static let yaml = """
        # The complete English/Spanish pipeline. `bitext stages` lists every stage and its options.
        name: en-es-default
        inputs:
          - samples
        stages:
          - use: ingest                # plain text and HTML, decoded to NFC text
          - use: segment.paragraphs    # headings, paragraphs, list items, footnotes…
          - use: identify.language     # en, es (pt, ca, it, fr, gl) or und per block; document languages and runs
          - use: pair.documents        # EN/ES versions by file name, pattern, hreflang, or inside one mixed file
          - use: segment.sentences     # sentences, aware of abbreviations in both languages
          - use: align.paragraphs      # n-m paragraph links with calibrated scores and QA flags
          - use: align.sentences       # sentence pairs inside each paragraph link
          - use: extract.entities      # dates, numbers, money, symbols, names… with normalized values
          - use: link.entities         # EN/ES entities linked; number/date/entity mismatch flags on links
        outputs:
          - write: json                # normalized JSON (schemas/bitext-document.schema.json)
          - write: xml                 # normalized XML (schemas/bitext-document.xsd)
          - write: tmx                 # TMX 1.4b sentence pairs for CAT tools
          - write: xliff               # XLIFF 2.0 bilingual files
          - write: jsonl               # JSON Lines records for search indexes
          - write: review              # side-by-side review pages for translators, and review.html over the batch
          - write: index               # SQLite FTS5 index for `bitext search` (out/index.sqlite)
        """
}

extension PipelineLoader {
    /// Makes a writer with its default options (for `--format`).
    public func makeWriter(_ entry: Registry.Entry<any OutputWriter>) throws -> any OutputWriter {
        try entry.make(YAMLDecoder().decode(DecoderCapture.self, from: [:] as Node).decoder)
    }
}
