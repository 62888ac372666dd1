import BitextCore

/// Bytes a streaming writer gathers before handing them to the sink: few calls into it, and a
/// buffer that stays this small however long the unit (held whole, a long pair's XML, XLIFF,
/// JSON Lines or review page took 2 to 4 times its size in memory while it grew).
enum StreamedOutput {
    static let flushSize = 1 << 20

    /// Hands `bytes` to the sink and empties them (capacity kept) once `flushSize` wait, or
    /// whatever waits when `final`.
    static func drain(_ bytes: inout [UInt8], to sink: inout some OutputSink, final: Bool = false) throws {
        guard final || bytes.count >= flushSize else { return }
        try bytes.withUnsafeBytes { try sink.append($0) }
        bytes.removeAll(keepingCapacity: true)
    }

    /// Opens `relativePath` on the sink and streams into it what `render` builds: `render`
    /// calls its flush between elements, and the bytes leave once `flushSize` wait.
    static func streamXML(
        _ relativePath: String, to sink: inout some OutputSink,
        _ render: (inout XMLBuilder, _ flush: (inout XMLBuilder) throws -> Void) throws -> Void
    ) throws {
        try sink.open(relativePath: relativePath)
        var xml = XMLBuilder(capacity: flushSize + (1 << 16))
        try render(&xml) { xml in try xml.drain(ifOver: flushSize) { try sink.append($0) } }
        try xml.drain { try sink.append($0) }
    }
}
