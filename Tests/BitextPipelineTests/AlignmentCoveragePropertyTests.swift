import BitextCore
import Foundation
import PropertyBased
import Testing

@testable import BitextPipeline

/// The whole default pipeline on generated EN/ES pairs: every paragraph of both sides is in
/// exactly one alignment link and links are monotone (`Invariants.alignmentProblems`); every
/// document keeps its structure (sentences inside their blocks, entities on real blocks) and
/// loses no text.
@Suite struct AlignmentCoveragePropertyTests {
    static let english = [
        "The Council met on 5 March 2024.", "It adopted resolution 1268 by 15 votes.", "Mr. Smith, of the United States, spoke.",
        "The mission will last 12 months.", "Costs rose by 3.5 per cent.", "1. Member States shall report.", "# Annex",
        "The Secretary-General welcomed the decision.", "Haiti thanked the Organization of American States.",
    ]
    static let spanish = [
        "El Consejo se reunió el 5 de marzo de 2024.", "Aprobó la resolución 1268 por 15 votos.", "El Sr. Smith, de los Estados Unidos, habló.",
        "La misión durará 12 meses.", "Los costos aumentaron un 3,5 por ciento.", "1. Los Estados Miembros informarán.", "# Anexo",
        "El Secretario General acogió con beneplácito la decisión.", "Haití agradeció a la Organización de los Estados Americanos.",
    ]
    /// Two documents of 0–12 paragraphs each (independent lengths, so that 1–0, 0–1 and n–m
    /// links are needed), paragraphs of 1–3 sentences.
    static let pair = zip(
        Gen<Int>.int(in: 0..<english.count).array(of: 1...3).array(of: 0...12),
        Gen<Int>.int(in: 0..<spanish.count).array(of: 1...3).array(of: 0...12))

    @Test func everyParagraphOfBothSidesIsInExactlyOneLinkInOrder() async throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("pipelines/default.yaml"), encoding: .utf8)
        let runner = BatchRunner(plan: try PipelineLoader().load(yaml: text), pipelineText: text)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        await propertyCheck(count: 25, input: Self.pair) { en, es in
            let files = [("report.en.txt", en.map { $0.map { Self.english[$0] }.joined(separator: " ") }),
                         ("report.es.txt", es.map { $0.map { Self.spanish[$0] }.joined(separator: " ") })]
            var inputs: [InputFile] = []
            for (name, paragraphs) in files {
                let url = dir.appendingPathComponent(name)
                try Data((paragraphs.joined(separator: "\n\n") + "\n").utf8).write(to: url)
                inputs.append(InputFile(path: url.path, relativePath: name))
            }
            for var unit in runner.units(for: inputs).units {
                do {
                    try runner.process(&unit, context: StageContext())
                } catch {
                    // An empty side may be refused; anything else is a bug.
                    #expect(en.isEmpty || es.isEmpty, "\(error)")
                    continue
                }
                for document in unit.documents {
                    #expect(Invariants.structuralProblems(in: document) == [])
                    #expect(Invariants.unaccountedText(in: document).map(\.text) == [])
                }
                guard unit.isPaired, let english = unit.sides[.english], let spanish = unit.sides[.spanish] else { continue }
                let links = try #require(unit.alignment, "a paired unit is aligned")
                let problems = Invariants.alignmentProblems(links, englishCount: english.blocks.count, spanishCount: spanish.blocks.count)
                #expect(problems == [], "\(en.count) EN / \(es.count) ES paragraphs")
            }
        }
    }
}
