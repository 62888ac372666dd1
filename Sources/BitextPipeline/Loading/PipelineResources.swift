import BitextAlign
import BitextCore
import BitextEntities
import BitextLanguage
import Dispatch
import Foundation

/// Loads, in the background, the resources the plan's stages would otherwise load inside
/// the first unit that needs them (language model, bilingual dictionary, entity lexicon), so
/// that this happens while the inputs are discovered and paired rather than while the first
/// units wait. Only the stages the plan uses: a plan without alignment never reads the dictionary.
///
/// Each resource is a `static let`: a unit reaching it while it loads waits for this load
/// (no second copy), and one loaded first by a unit makes this a no-op. Nothing is cancelled:
/// every resource loaded is one a stage of the plan uses.
public enum PipelineResources {
    enum Resource: Sendable, Equatable {
        /// `identify.language`'s model.
        case languageModel
        /// `align.paragraphs`' bilingual dictionary.
        case dictionary
        /// `extract.entities`' gazetteers and word lists.
        case lexicon
        /// `link.entities`' folding table.
        case folding

        func load() {
            switch self {
            case .languageModel: _ = LanguageIdentifier.shared
            case .dictionary: AlignResources.load()
            case .lexicon: EntityResources.loadLexicon()
            case .folding: EntityResources.loadFolding()
            }
        }
    }

    /// The resources `plan` uses, in the order its stages meet them.
    static func resources(for plan: PipelinePlan) -> [Resource] {
        plan.stages.compactMap { planned -> Resource? in
            switch planned.stage {
            case is IdentifyLanguage: .languageModel
            case is AlignParagraphs: .dictionary
            case is ExtractEntities: .lexicon
            case is LinkEntities: .folding
            default: nil
            }
        }
    }

    /// Starts loading what `plan` uses in the background, each resource as a block of its own
    /// on the global queue, so that they load side by side on an idle core (one after another
    /// on one worker they took ~13 ms). The global queue rather than threads of our own: on
    /// Linux the units' tasks run on dispatch's pool of threads too, and four new threads
    /// measured 1–2 ms more CPU per run. Returns at once.
    public static func loadInBackground(for plan: PipelinePlan) {
        for resource in resources(for: plan) {
            DispatchQueue.global().async { resource.load() }
        }
    }
}
