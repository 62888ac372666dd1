import BitextCore
import CFuzzerDriver
import Foundation

/// Hands control to libFuzzer, which calls `body` with each input. Never returns.
///
/// SwiftPM links executables with their own `main`, so libFuzzer's is not used: each
/// harness defines `LLVMFuzzerTestOneInput` (libFuzzer's archive refers to it) and calls
/// this from `main.swift`.
public func runFuzzer(_ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
}

/// The input as bytes.
public func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
}

/// Stops the fuzzer with a report (libFuzzer saves the input as a crash) when an
/// invariant does not hold: a wrong answer is a finding, like a crash.
public func require(_ problems: [String], _ what: String) {
    guard !problems.isEmpty else { return }
    FileHandle.standardError.write(Data("invariant broken (\(what)):\n  \(problems.prefix(20).joined(separator: "\n  "))\n".utf8))
    abort()
}

/// Checks a document's structure and that every non-blank character is in a block (or is
/// a recorded marker or pure markup), and reads every block's text.
public func checkDocument(_ document: Document) {
    require(Invariants.structuralProblems(in: document), "structure")
    require(Invariants.unaccountedText(in: document).map { "text outside every block at \($0.range): \($0.text.debugDescription)" }, "conservation")
    for index in document.blocks.indices {
        let content = document.content(ofBlock: index)
        let mapped = content.documentRange(of: 0..<content.text.utf8.count)
        if !content.range.contains(mapped) { require(["block \(index): content maps to \(mapped), outside \(content.range)"], "offset map") }
    }
}

/// Checks that a writer's JSON parses.
public func checkJSON(_ bytes: [UInt8], _ what: String) {
    do {
        _ = try JSONSerialization.jsonObject(with: Data(bytes))
    } catch {
        require(["\(what) wrote invalid JSON: \(error)"], "json")
    }
}
