import Foundation
import PropertyBased
import Testing
@testable import BitextIngest

@Suite struct HTMLTextTests {
    @Test func integerAttributesParseAsWithFoundationTrimming() {
        var values = ["", " ", "\t", "2", " 3 ", "\t14\t", "+5", "-1", "1 2", "x", "0x10", "\n7", "7\u{0B}", "\u{A0}9", "9\u{3000}", "٣", " \u{200B}4"]
        for byte in UInt8(0)..<0x80 {
            let c = String(decoding: [byte], as: UTF8.self)
            values += [c + "12", "12" + c, c]
        }
        for value in values {
            #expect(HTMLText.integer(value) == Int(value.trimmingCharacters(in: .whitespaces)), "\(value.debugDescription)")
        }
    }

    @Test func trimmingMatchesFoundationForEveryBMPScalar() {
        var mismatches: [UInt32] = []
        for value in UInt32(0)..<0x10000 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "a" + String(scalar) + "b"
            let padded = String(scalar) + text + String(scalar)
            if HTMLText.trimmingWhitespace(padded) != padded.trimmingCharacters(in: .whitespacesAndNewlines) { mismatches.append(value) }
        }
        #expect(mismatches.isEmpty)
    }

    @Test(arguments: ["", "   ", " a ", "\u{00A0}x\u{3000}", "e\u{301}", "ascii only", "año\n", "\u{301} x"])
    func trimmingAndCountingAgreeWithFoundation(text: String) {
        #expect(HTMLText.trimmingWhitespace(text) == text.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(HTMLText.characterCount(Array(text.utf8)) == text.count)
    }
}

@Suite struct HTMLBoilerplateNoticeTests {
    @Test(arguments: [
        ("© 2024 Example", true), ("Copyright 2024", true), ("COPYRIGHT © x", true), ("All Rights Reserved.", true),
        ("Todos los derechos RESERVADOS", true), ("Derechos reservados 2020", true), ("A reserved seat", false),
        ("Nothing here", false), ("copyrİght", false), ("", false),
    ])
    func legalNotices(text: String, expected: Bool) {
        #expect(HTMLBoilerplate.isLegalNotice(text) == expected)
    }
}

@Suite struct HTMLCharsetScanTests {
    @Test(arguments: [
        (String(repeating: "<link rel=x>", count: 300) + #"<meta name="a"><meta charset='KOI8-R'>"#, "koi8-r"),
        (#"<html><head><meta http-equiv="Content-Type" content="text/html; charset = windows-1252">"#, "windows-1252"),
        (String(repeating: " ", count: 8185) + "<meta charset=utf-8>", nil),
        ("<meta", nil), ("", nil), (#"<?xml version="1.0"?><meta charset="latin1">"#, "latin1"),
    ] as [(String, String?)])
    func declaredCharsetIsFoundWhereBrowsersLook(head: String, expected: String?) {
        #expect(HTMLCharset.declared(in: Array(head.utf8)) == expected)
    }
}

@Suite struct HTMLAnalysisCountTests {
    @Test func wordCountMatchesTheByteLoop() async {
        let bytes = Gen.element(of: [0x20, 0x0A, 0x09, 0x0D, 0x0C, 0x41, 0xC3, 0xA0, 0x00, 0x8A, 0xFF, 0x2A] as [UInt8]).array(of: 0...70).map { $0.compactMap { $0 } }
        await propertyCheck(count: 400, input: bytes) { bytes in
            let expected = bytes.filter { !($0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D) }.count
            #expect(bytes.withUnsafeBufferPointer { HTMLAnalysis.nonSpaceCount($0) } == expected)
        }
    }
}

@Suite struct HTMLLineStartsTests {
    @Test func wordScanMatchesTheByteLoop() async {
        let pieces = Gen.element(of: ["\n", "a", "ñ", "\n\n", "12345678", "🔎", "\r\n", " "]).array(of: 0...60).map { $0.compactMap { $0 }.joined() }
        await propertyCheck(count: 400, input: pieces) { text in
            let bytes = Array(text.utf8)
            let expected = [0] + bytes.indices.filter { bytes[$0] == 0x0A }.map { $0 + 1 }
            #expect(HTMLIngest.lineStarts(of: text) == expected)
        }
    }
}
