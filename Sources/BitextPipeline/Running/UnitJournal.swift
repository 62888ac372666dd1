import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What a supervised batch process tells its supervisor (`BatchSupervisor`) while it runs:
/// which units it has started and finished, and, for a unit in a group of its own, which stage it is in.
/// When the process dies from a signal, the units started and not finished are the ones that
/// could have caused it.
///
/// One line per event on a pipe: `S id` started, `F id` finished, `T stage id` entering a stage.
/// Ids are escaped (`\\`, `\n`) so that any file name fits on one line. A group's lines go in
/// one `write` (two system calls per group of units, not per unit); a lock keeps the lines of
/// concurrent workers whole.
public final class UnitJournal: @unchecked Sendable {
    private let descriptor: Int32
    private let lock = NSLock()

    /// Writes into `descriptor`, which the journal does not close.
    public init(descriptor: Int32) { self.descriptor = descriptor }

    public func started<Ids: Sequence<String>>(_ ids: Ids) { write(ids.map { "S " + Self.escape($0) + "\n" }.joined()) }
    public func finished<Ids: Sequence<String>>(_ ids: Ids) { write(ids.map { "F " + Self.escape($0) + "\n" }.joined()) }
    public func entering(stage: String, of id: String) { write("T " + stage + " " + Self.escape(id) + "\n") }

    private func write(_ text: String) {
        guard !text.isEmpty else { return }
        lock.withLock {
            var bytes = Array(text.utf8)[...]
            while !bytes.isEmpty {
                let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
                if written < 0 {
                    if errno == EINTR { continue }
                    return  // the supervisor is gone: nobody is left to tell
                }
                bytes = bytes.dropFirst(written)
            }
        }
    }

    static func escape(_ id: String) -> String {
        guard id.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\n") }) else { return id }
        return id.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func unescape(_ text: Substring) -> String {
        guard text.contains("\\") else { return String(text) }
        var result = ""
        var escaped = false
        for character in text {
            if escaped {
                result.append(character == "n" ? "\n" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}

/// The supervisor's reading of a journal: the units in flight, in the order they started, when
/// they started, and the stage the latest of them entered.
public struct UnitsInFlight: Sendable {
    public private(set) var ids: [String] = []
    /// When each of `ids` started, in the reader's clock (seconds).
    private var startTimes: [Double] = []
    /// The reading time of the bytes being read.
    private var now = 0.0
    /// The last stage entered, and by which unit (journaled only for units in a group of their own).
    public private(set) var stage: (id: String, name: String)?
    /// Bytes of a line not yet ended.
    private var partial: [UInt8] = []

    public init() {}

    /// Reads `bytes` from the journal, read at time `now` (seconds, any clock); a line cut
    /// between two reads waits for its end.
    public mutating func read(_ bytes: some Collection<UInt8>, at now: Double = 0) {
        self.now = now
        partial.append(contentsOf: bytes)
        var start = partial.startIndex
        while let end = partial[start...].firstIndex(of: UInt8(ascii: "\n")) {
            apply(String(decoding: partial[start..<end], as: UTF8.self))
            start = end + 1
        }
        partial.removeSubrange(..<start)
    }

    private mutating func apply(_ line: String) {
        guard line.count >= 2 else { return }
        let body = line.dropFirst(2)
        switch line.first {
        case "S":
            ids.append(UnitJournal.unescape(body))
            startTimes.append(now)
        case "F":
            let id = UnitJournal.unescape(body)
            if let index = ids.lastIndex(of: id) {
                ids.remove(at: index)
                startTimes.remove(at: index)
            }
            if stage?.id == id { stage = nil }
        case "T":
            guard let space = body.firstIndex(of: " ") else { return }
            stage = (UnitJournal.unescape(body[body.index(after: space)...]), String(body[..<space]))
        default:
            break
        }
    }

    /// The units in flight for more than `limit` seconds at time `now`.
    public func overdue(limit: Double, at now: Double) -> [String] {
        zip(ids, startTimes).filter { now - $0.1 > limit }.map(\.0)
    }

    /// The stage `id` was in, if it was journaled.
    public func stage(of id: String) -> String? { stage?.id == id ? stage?.name : nil }
}
