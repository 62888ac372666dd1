extension Array where Element == UInt8 {
    /// Appends `value` in decimal, as `String(value)` writes it, without making the string
    /// (a string per number was a large part of what the XML and HTML writers spent).
    mutating func appendDecimal(_ value: Int) {
        var magnitude = value.magnitude
        if value < 0 { append(UInt8(ascii: "-")) }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 20 digits, filled from the end
        Swift.withUnsafeMutableBytes(of: &digits) { buffer in
            var at = buffer.count
            repeat {
                at -= 1
                buffer[at] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[at...]))
        }
    }
}
