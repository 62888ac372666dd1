/// The aligner's resources, for a caller that wants them loaded before the first unit needs them.
public enum AlignResources {
    /// Loads the bilingual dictionary resource (what `align.paragraphs` reads on first use).
    /// Safe from any thread: concurrent first uses wait for this load rather than repeat it.
    public static func load() {
        _ = BilingualDictionary.shared.englishStems.count
    }
}
