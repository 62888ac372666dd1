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
/// Each resource is loaded once, by whoever needs it first (this background load or a unit),
/// and the others wait for that load asleep (`ensureLoaded`). Nothing is cancelled: every
/// resource loaded is one a stage of the plan uses.
public enum PipelineResources {
    enum Resource: Int, Sendable, Equatable, CaseIterable {
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
        plan.stages.compactMap { resource(of: $0.stage) }
    }

    /// The resource `stage` reads, if any.
    static func resource(of stage: any Stage) -> Resource? {
        switch stage {
        case is IdentifyLanguage: .languageModel
        case is AlignParagraphs: .dictionary
        case is ExtractEntities: .lexicon
        case is LinkEntities: .folding
        default: nil
        }
    }

    /// Loads `resource` unless that is done or under way, in which case this waits for it.
    static func ensureLoaded(_ resource: Resource) {
        gate.ensure(resource.rawValue) { resource.load() }
    }

    private static let gate = LoadGate(count: Resource.allCases.count)

    /// Starts loading what `plan` uses in the background, each resource as a block of its own
    /// on the global queue, so that they load side by side on an idle core (one after another
    /// on one worker they took ~13 ms). The global queue rather than threads of our own: on
    /// Linux the units' tasks run on dispatch's pool of threads too, and four new threads
    /// measured 1–2 ms more CPU per run. Returns at once.
    public static func loadInBackground(for plan: PipelinePlan) {
        for resource in resources(for: plan) {
            DispatchQueue.global().async { ensureLoaded(resource) }
        }
    }
}

/// Loads done once each, by whoever asks first, while the others wait for them asleep.
/// Asleep matters: every resource is a `static let`, and a thread that reaches one while
/// another runs its initializer waits in the Swift runtime's lock, on Linux a
/// priority-inheritance futex, on which the kernel spins for as long as the loading thread
/// runs. The units that started while the background load ran burnt a core each that way
/// (BENCHMARKS.md, "Session 33").
final class LoadGate: @unchecked Sendable {
    private let lock = NSLock()
    /// Each load's group, made and entered by its first caller, left when the load is done.
    private var loads: [DispatchGroup?]

    init(count: Int) {
        loads = [DispatchGroup?](repeating: nil, count: count)
    }

    /// Runs `load` if no caller has started load `index` yet; else waits until that load is done.
    func ensure(_ index: Int, load: () -> Void) {
        let (group, first) = lock.withLock { () -> (DispatchGroup, Bool) in
            if let group = loads[index] { return (group, false) }
            let group = DispatchGroup()
            group.enter()
            loads[index] = group
            return (group, true)
        }
        if first {
            load()
            group.leave()
        } else {
            group.wait()
        }
    }
}
