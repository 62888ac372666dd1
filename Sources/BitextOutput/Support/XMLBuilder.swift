/// A minimal, deterministic XML emitter: attributes in the order given, two-space
/// indentation for element-only content, escaping by `XMLEscaping`.
public struct XMLBuilder {
    public private(set) var bytes: [UInt8] = []
    private var stack: [String] = []

    public init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
        bytes.append(contentsOf: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".utf8)
    }

    /// Hands the bytes built so far to `body` and empties the buffer, keeping its capacity
    /// (a streaming writer's output leaves in pieces; the open elements stay open).
    public mutating func drain(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        try bytes.withUnsafeBytes(body)
        bytes.removeAll(keepingCapacity: true)
    }

    /// `drain` once at least `size` bytes are waiting.
    public mutating func drain(ifOver size: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        if bytes.count >= size { try drain(body) }
    }

    private mutating func indent() { for _ in 0..<stack.count { bytes.append(0x20); bytes.append(0x20) } }

    private mutating func startTag(_ name: String, _ attributes: [(String, String?)]) {
        indent()
        bytes.append(UInt8(ascii: "<"))
        bytes.append(contentsOf: name.utf8)
        for (key, value) in attributes {
            guard let value else { continue }
            bytes.append(0x20)
            bytes.append(contentsOf: key.utf8)
            bytes.append(contentsOf: "=\"".utf8)
            XMLEscaping.appendAttribute(value, to: &bytes)
            bytes.append(UInt8(ascii: "\""))
        }
    }

    /// Opens an element whose content is other elements.
    public mutating func open(_ name: String, _ attributes: [(String, String?)] = []) {
        startTag(name, attributes)
        bytes.append(contentsOf: ">\n".utf8)
        stack.append(name)
    }

    public mutating func close() {
        let name = stack.removeLast()
        indent()
        endTag(name)
    }

    private mutating func endTag(_ name: String) {
        bytes.append(contentsOf: "</".utf8)
        bytes.append(contentsOf: name.utf8)
        bytes.append(contentsOf: ">\n".utf8)
    }

    /// An element with text content (or empty when `text` is nil).
    public mutating func element(_ name: String, _ attributes: [(String, String?)] = [], text: String? = nil) {
        startTag(name, attributes)
        guard let text else {
            bytes.append(contentsOf: "/>\n".utf8)
            return
        }
        bytes.append(UInt8(ascii: ">"))
        XMLEscaping.appendText(text, to: &bytes)
        endTag(name)
    }

    /// An element whose content is already-escaped XML (inline markup the caller built).
    public mutating func element(_ name: String, _ attributes: [(String, String?)], raw content: [UInt8]) {
        startTag(name, attributes)
        bytes.append(UInt8(ascii: ">"))
        bytes.append(contentsOf: content)
        endTag(name)
    }
}
