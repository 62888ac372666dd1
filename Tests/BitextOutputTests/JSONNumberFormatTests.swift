import BitextTestSupport
import Testing

@testable import BitextOutput

/// `JSONWriter.format` writes the digits of `String(Double)` for the rounded value without
/// formatting a Double (a fast path): the output must stay what the plain formulation gives.
@Suite struct JSONNumberFormatTests {
    /// The plain formulation: round, print with `String(Double)`, trim trailing zeros.
    static func reference(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return "null" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int(rounded)) }
        var text = String(rounded)
        if text.contains("e") { return text }
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    @Test(arguments: [0, 1, 2, 3, 4, 5, 6])
    func formatMatchesThePlainFormulation(digits: Int) {
        var generator = SplitMix64(seed: UInt64(digits) &+ 17)
        var values: [Double] = [0, -0.0, 0.5, -0.5, 0.00005, -0.00005, 0.00015, 0.99995, 1.00005, 123456789.12345, 999999999.99999, 1e9 + 0.5, 1e-5, 0.1 + 0.2, 2.675, .infinity, .nan]
        for _ in 0..<20_000 {
            let magnitude = [1.0, 10, 1000, 1e6, 1e9, 1e12][Int(generator.next() % 6)]
            values.append((Double(generator.next() % 2_000_001) / 1_000_000 - 1) * magnitude)
        }
        for value in values {
            #expect(JSONWriter.format(value, digits: digits) == Self.reference(value, digits: digits), "\(value)")
        }
    }
}

/// `JSONFields` writes a number's digits straight into memory: the bytes `format` gives.
@Suite struct JSONFieldsNumberTests {
    @Test(arguments: [0, 2, 4, 6])
    func composedNumbersAreTheFormattedOnes(digits: Int) {
        var generator = SplitMix64(seed: UInt64(digits) &+ 99)
        var values: [Double] = [0, -0.0, 0.5, -0.5, 0.00005, -0.99995, 1e9 - 0.00001, -1e9 + 0.5, 1e15, 1e20, .infinity, -.nan]
        for _ in 0..<5_000 {
            let magnitude = [1.0, 10, 1000, 1e6, 1e9, 1e12][Int(generator.next() % 6)]
            values.append((Double(generator.next() % 2_000_001) / 1_000_000 - 1) * magnitude)
        }
        for value in values {
            var writer = JSONWriter(pretty: false)
            writer.object { $0.value("n", value, digits: digits) }
            #expect(String(decoding: writer.bytes, as: UTF8.self) == "{\"n\":\(JSONWriter.format(value, digits: digits))}", "\(value)")
        }
    }
}
