// Sentence segmentation (English and Spanish rules): ranges in order, disjoint, on character
// boundaries, trimmed, and together covering every non-blank character (its contract).
import BitextAlign
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: bytes(data, size), as: UTF8.self)
    let utf8 = Array(text.utf8)
    for language in [SentenceSegmenter.Language.english, .spanish] {
        let ranges = SentenceSegmenter(language: language).sentences(in: text[...])
        var problems: [String] = []
        var covered = [Bool](repeating: false, count: utf8.count)
        var previousEnd = 0
        for range in ranges {
            if range.lowerBound < previousEnd || range.upperBound > utf8.count || range.isEmpty {
                problems.append("range \(range) out of order, empty or outside \(utf8.count) bytes")
                continue
            }
            for offset in [range.lowerBound, range.upperBound] where offset < utf8.count && utf8[offset] & 0xC0 == 0x80 {
                problems.append("range \(range) cuts a character at \(offset)")
            }
            for i in range { covered[i] = true }
            previousEnd = range.upperBound
        }
        let scalars = Array(text.unicodeScalars)
        var offset = 0
        for scalar in scalars {
            let width = UTF8.width(scalar)
            if !scalar.properties.isWhitespace && !covered[offset] {
                problems.append("\(language): character \(scalar.escaped(asASCII: true)) at byte \(offset) is in no sentence")
            }
            offset += width
        }
        require(problems, "sentences")
    }
    return 0
}

runFuzzer(testOneInput)
