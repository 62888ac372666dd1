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

        outputs:
          - write: json
          - write: xml

        """
}

extension PipelineLoader {
    /// Makes a writer with its default options (for `--format`).
    public func makeWriter(_ entry: Registry.Entry<any OutputWriter>) throws -> any OutputWriter {
        try entry.make(YAMLDecoder().decode(DecoderCapture.self, from: [:] as Node).decoder)
    }
}
