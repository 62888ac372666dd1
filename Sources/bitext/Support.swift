import ArgumentParser
import BitextPipeline
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

enum BitextInfo {
    static let version = BitextPipeline.version
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Loads a pipeline file or exits with status 2 after printing every positioned error.
func loadPlan(_ path: String) throws -> (PipelinePlan, String) {
    do {
        let plan = try PipelineLoader().load(path: path)
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return (plan, text)
    } catch let errors as PipelineErrors {
        printError(errors.description)
        throw ExitCode(2)
    }
}

/// The supervision this process runs under (`BatchSupervisor`, `StreamSupervisor`), nil when
/// it is not supervised; exits with status 2 when the supervisor's hand-over is unusable.
func supervisionFromEnvironment() throws -> Supervision? {
    do {
        return try Supervision.fromEnvironment()
    } catch {
        printError("error: \(error)")
        throw ExitCode(2)
    }
}
