/// The entity stages' resources, for a caller that wants them loaded before the first unit needs them.
public enum EntityResources {
    /// The gazetteers and word lists `extract.entities` reads on first use.
    /// Safe from any thread: concurrent first uses wait for this load rather than repeat it.
    public static func loadLexicon() {
        _ = Lexicon.shared.maxNameTokens
    }

    /// The folding table `link.entities` fills on first use (from Foundation, one scalar at a time).
    public static func loadFolding() {
        _ = AlphanumericFold.fold("é")
    }
}
