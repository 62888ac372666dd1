import ArgumentParser
import BitextCore
import BitextLanguage
import Foundation

extension BitextCommand {
    struct Identify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "identify",
            abstract: "Identify the language of each line read from standard input.",
            discussion: """
                Prints one line per input line: language code (en, es, pt, ca, it, fr, gl, or und \
                when the evidence is too thin), a tab, and the confidence in [0, 1].

                Examples:
                  echo "¿Dónde está la biblioteca?" | bitext identify
                  bitext identify --time < paragraphs.txt > labels.tsv
                """)

        @Option(help: "Restrict the decision to these languages (comma-separated, e.g. en,es).")
        var languages: String?

        @Flag(help: "Print the identification throughput (bytes of text per second, one core) to standard error.")
        var time = false

        /// CPU time of the calling thread: the throughput per core, even on a busy machine.
        static func threadCPUSeconds() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        }

        func run() throws {
            let input = FileHandle.standardInput.readDataToEndOfFile()
            let identifier = LanguageIdentifier.shared
            var exclusion: [LanguageCode: Double] = [:]
            if let languages {
                let allowed = Set(languages.split(separator: ",").map { LanguageCode(String($0)) })
                let unknown = allowed.subtracting(identifier.languages)
                guard unknown.isEmpty else {
                    throw ValidationError("unknown language(s) \(unknown.map(\.rawValue).sorted().joined(separator: ", ")); the model knows \(identifier.languages.map(\.rawValue).joined(separator: ", "))")
                }
                exclusion = identifier.exclusionPrior(keeping: allowed)
            }
            let lines = input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            var results: [Identification] = []
            results.reserveCapacity(lines.count)
            let start = DispatchTime.now().uptimeNanoseconds
            let cpuStart = Self.threadCPUSeconds()
            for line in lines {
                let evidence = line.withUnsafeBytes { raw in
                    identifier.evidence(utf8: raw.bindMemory(to: UInt8.self))
                }
                results.append(identifier.decide(evidence, extraPrior: exclusion))
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let cpuSeconds = Self.threadCPUSeconds() - cpuStart
            if input.last == UInt8(ascii: "\n") { results.removeLast() }
            var output = ""
            output.reserveCapacity(results.count * 12)
            for result in results {
                output += result.language.rawValue
                output += "\t"
                output += String(format: "%.4f", result.confidence)
                output += "\n"
            }
            FileHandle.standardOutput.write(Data(output.utf8))
            if time {
                let mb = Double(input.count) / 1e6
                let report = String(
                    format: "identified %d lines, %.2f MB in %.3f s wall (%.1f MB/s), %.3f s CPU: %.1f MB/s per core\n",
                    results.count, mb, seconds, mb / seconds, cpuSeconds, mb / max(cpuSeconds, 1e-9))
                FileHandle.standardError.write(Data(report.utf8))
            }
        }
    }
}
