internal import CLibXML2
import Foundation

/// Validates XML produced by bitext's writers against a schema, through libxml2.
///
/// Every message is collected through callbacks attached to the contexts of this one
/// call (never libxml2's process-wide handlers), so validations may run concurrently.
/// An empty result means valid. Messages read `line N: text` when libxml2 knows the line.
public enum XMLValidator {
    /// Validates against a W3C XML Schema (XSD) file.
    public static func validate(xml: [UInt8], againstSchema schemaPath: String) -> [String] {
        _ = libxml2Initialized
        let collector = MessageCollector()
        return withExtendedLifetime(collector) {
            let sink = Unmanaged.passUnretained(collector).toOpaque()
            guard FileManager.default.isReadableFile(atPath: schemaPath), let parser = xmlSchemaNewParserCtxt(schemaPath) else { return ["cannot read schema \(schemaPath)"] }
            defer { xmlSchemaFreeParserCtxt(parser) }
            xmlSchemaSetParserStructuredErrors(parser, collectStructuredError, sink)
            guard let schema = xmlSchemaParse(parser) else {
                return ["schema \(schemaPath) is not usable"] + collector.messages
            }
            defer { xmlSchemaFree(schema) }
            return withParsedDocument(xml, collector: collector) { doc in
                guard let validator = xmlSchemaNewValidCtxt(schema) else { return }
                defer { xmlSchemaFreeValidCtxt(validator) }
                xmlSchemaSetValidStructuredErrors(validator, collectStructuredError, sink)
                let result = xmlSchemaValidateDoc(validator, doc)
                if result != 0 && collector.messages.isEmpty { collector.messages.append("invalid (libxml2 code \(result))") }
            }
        }
    }

    /// Validates against a RELAX NG schema (XML syntax).
    public static func validate(xml: [UInt8], againstRelaxNG schemaPath: String) -> [String] {
        _ = libxml2Initialized
        let collector = MessageCollector()
        return withExtendedLifetime(collector) {
            let sink = Unmanaged.passUnretained(collector).toOpaque()
            guard FileManager.default.isReadableFile(atPath: schemaPath), let parser = xmlRelaxNGNewParserCtxt(schemaPath) else { return ["cannot read schema \(schemaPath)"] }
            defer { xmlRelaxNGFreeParserCtxt(parser) }
            xmlRelaxNGSetParserStructuredErrors(parser, collectStructuredError, sink)
            guard let schema = xmlRelaxNGParse(parser) else {
                return ["schema \(schemaPath) is not usable"] + collector.messages
            }
            defer { xmlRelaxNGFree(schema) }
            return withParsedDocument(xml, collector: collector) { doc in
                guard let validator = xmlRelaxNGNewValidCtxt(schema) else { return }
                defer { xmlRelaxNGFreeValidCtxt(validator) }
                xmlRelaxNGSetValidStructuredErrors(validator, collectStructuredError, sink)
                let result = xmlRelaxNGValidateDoc(validator, doc)
                if result != 0 && collector.messages.isEmpty { collector.messages.append("invalid (libxml2 code \(result))") }
            }
        }
    }

    /// Validates against a DTD file, whatever DOCTYPE the document itself declares.
    public static func validate(xml: [UInt8], againstDTD dtdPath: String) -> [String] {
        _ = libxml2Initialized
        let collector = MessageCollector()
        return withExtendedLifetime(collector) {
            guard FileManager.default.isReadableFile(atPath: dtdPath), let dtd = xmlParseDTD(nil, dtdPath) else { return ["cannot read DTD \(dtdPath)"] }
            defer { xmlFreeDtd(dtd) }
            return withParsedDocument(xml, collector: collector) { doc in
                guard let validator = xmlNewValidCtxt() else { return }
                defer { xmlFreeValidCtxt(validator) }
                var sink = clibxml2_message_sink(callback: collectMessage, context: Unmanaged.passUnretained(collector).toOpaque())
                withUnsafeMutablePointer(to: &sink) { sinkPointer in
                    clibxml2_valid_ctxt_set_sink(validator, sinkPointer)
                    if xmlValidateDtd(validator, doc, dtd) != 1 && collector.messages.isEmpty {
                        collector.messages.append("invalid")
                    }
                    clibxml2_valid_ctxt_set_sink(validator, nil)
                }
            }
        }
    }

    /// Parses `xml` (network off, no entity substitution, no external DTD loading),
    /// runs `body` on the document, frees it, and returns every message collected.
    private static func withParsedDocument(
        _ xml: [UInt8], collector: MessageCollector, _ body: (xmlDocPtr) -> Void
    ) -> [String] {
        guard xml.count < Int(Int32.max) else { return ["document too large"] }
        guard let ctxt = xmlNewParserCtxt() else { return ["out of memory"] }
        defer { xmlFreeParserCtxt(ctxt) }
        clibxml2_parser_ctxt_set_structured_errors(ctxt, collectParserError, Unmanaged.passUnretained(collector).toOpaque())
        let options = Int32(bitPattern: XML_PARSE_NONET.rawValue)
        let doc: xmlDocPtr? = xml.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                var empty: CChar = 0
                let base = chars.baseAddress ?? withUnsafePointer(to: &empty) { $0 }
                return xmlCtxtReadMemory(ctxt, base, Int32(chars.count), "", nil, options)
            }
        }
        guard let doc else {
            return collector.messages.isEmpty ? ["document is not well-formed XML"] : collector.messages
        }
        defer { xmlFreeDoc(doc) }
        if ctxt.pointee.wellFormed == 0 {
            if collector.messages.isEmpty { collector.messages.append("document is not well-formed XML") }
            return collector.messages
        }
        body(doc)
        return collector.messages
    }
}

/// Messages from one validation call. Used synchronously, on one thread, by that call only.
private final class MessageCollector {
    var messages: [String] = []

    func append(_ error: UnsafeMutablePointer<xmlError>?) {
        guard let e = error?.pointee else { return }
        var message = e.message.map { String(cString: $0) } ?? "error \(e.code)"
        while message.last?.isNewline == true || message.last == " " { message.removeLast() }
        messages.append(e.line > 0 ? "line \(e.line): \(message)" : message)
    }
}

private let collectStructuredError: xmlStructuredErrorFunc = { userData, error in
    guard let userData else { return }
    Unmanaged<MessageCollector>.fromOpaque(userData).takeUnretainedValue().append(error)
}

/// libxml2 passes the parser context; our collector sits in its `_private`.
private let collectParserError: xmlStructuredErrorFunc = { ctxt, error in
    guard let data = clibxml2_parser_ctxt_private(ctxt) else { return }
    Unmanaged<MessageCollector>.fromOpaque(data).takeUnretainedValue().append(error)
}

private let collectMessage: clibxml2_message_callback = { context, message in
    guard let context, let message else { return }
    let collector = Unmanaged<MessageCollector>.fromOpaque(context).takeUnretainedValue()
    var text = String(cString: message)
    while text.last?.isNewline == true || text.last == " " { text.removeLast() }
    if !text.isEmpty { collector.messages.append(text) }
}
