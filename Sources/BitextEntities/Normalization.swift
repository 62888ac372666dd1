// Pure normalization helpers: numbers in both conventions, ISO 8601 dates, weekdays.

/// A number read from its written form.
public struct NumberReading: Hashable, Sendable {
    /// Canonical decimal: no grouping, `.` as decimal mark, no superfluous zeros (`1234.5`).
    public var value: String
    /// The other reading when the separators are ambiguous (`1,234` → 1234 or 1.234).
    public var alternative: String?
}

public enum NumberNormalizer {
    /// Reads a number written with `,` `.` or (no-break/thin) space groups, in English
    /// (`1,234.5`) or Spanish/continental (`1.234,5`, `1 234,5`) convention. A single
    /// separator followed by exactly three digits is ambiguous: `language` picks the
    /// reading (English: `,` groups and `.` is decimal; Spanish: the reverse) and the
    /// other reading is kept as `alternative`.
    public static func read(_ text: some StringProtocol, spanish: Bool) -> NumberReading? {
        // One group of digits (most numbers: years, counts, article numbers) is its own value
        // without leading zeros: no arrays of groups and separators.
        let utf8 = text.utf8
        if !utf8.isEmpty, utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            let significant = utf8.drop(while: { $0 == 0x30 })
            return NumberReading(value: significant.isEmpty ? "0" : String(decoding: significant, as: UTF8.self))
        }
        // Split into digit groups and the separator that precedes each group.
        let bytes = Array(utf8)
        var i = 0
        var separator: UInt8 = 0
        var digits: [[UInt8]] = []
        var separators: [UInt8] = []
        while i < bytes.count {
            let b = bytes[i]
            if b >= 0x30 && b <= 0x39 {
                var j = i
                while j < bytes.count, bytes[j] >= 0x30, bytes[j] <= 0x39 { j += 1 }
                digits.append(Array(bytes[i..<j]))
                separators.append(separator)
                separator = 0
                i = j
            } else if b == 0x2C || b == 0x2E {
                separator = b
                i += 1
            } else if b == 0x20 || b >= 0x80 {
                separator = 0x20  // no-break, thin or narrow space grouping
                i += 1
            } else {
                return nil
            }
        }
        guard !digits.isEmpty else { return nil }
        if digits.count == 1 { return NumberReading(value: canonical(digits[0], [])) }
        let seps = Array(separators.dropFirst())
        let distinct = Set(seps)
        let tail = digits.dropFirst()
        func joined(_ parts: ArraySlice<[UInt8]>) -> [UInt8] { parts.flatMap { $0 } }
        if distinct.count >= 2 {
            // Mixed: the last separator is the decimal mark, the others group thousands.
            guard let last = seps.last, seps.dropLast().allSatisfy({ $0 != last }) else { return nil }
            let integer = joined(digits.dropLast()[...])
            return NumberReading(value: canonical(integer, digits.last!))
        }
        let sep = seps[0]
        let groupedByThree = tail.allSatisfy { $0.count == 3 } && digits[0].count <= 3
        if sep == 0x20 {
            guard groupedByThree else { return nil }
            return NumberReading(value: canonical(joined(digits[...]), []))
        }
        if seps.count >= 2 {
            // 1,234,567 or 1.234.567: only grouping makes sense.
            guard groupedByThree else { return nil }
            return NumberReading(value: canonical(joined(digits[...]), []))
        }
        let grouped = canonical(joined(digits[...]), [])
        let decimal = canonical(digits[0], digits[1])
        if digits[1].count != 3 || digits[0].count > 3 || (digits[0].count == 1 && digits[0][0] == 0x30) {
            return NumberReading(value: decimal)  // 3,5 / 12.75 / 0,125: a decimal mark
        }
        // One separator, three digits after it: ambiguous.
        let commaGroups = !spanish
        let groupingReading = (sep == 0x2C) == commaGroups
        return groupingReading
            ? NumberReading(value: grouped, alternative: decimal)
            : NumberReading(value: decimal, alternative: grouped)
    }

    /// `integer.fraction` without leading zeros in the integer part or trailing zeros in the fraction.
    static func canonical(_ integer: [UInt8], _ fraction: [UInt8]) -> String {
        var int = integer.drop(while: { $0 == 0x30 })
        if int.isEmpty { int = [0x30] }
        var frac = fraction[...]
        while frac.last == 0x30 { frac = frac.dropLast() }
        var s = String(decoding: int, as: UTF8.self)
        if !frac.isEmpty { s += "." + String(decoding: frac, as: UTF8.self) }
        return s
    }

    /// Multiplies a canonical decimal by 10^power, exactly.
    public static func scale(_ value: String, by power: Int) -> String {
        guard power > 0 else { return value }
        let parts = value.split(separator: ".", maxSplits: 1)
        var integer = String(parts[0])
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        for _ in 0..<power {
            if let first = fraction.first {
                integer.append(first)
                fraction.removeFirst()
            } else {
                integer.append("0")
            }
        }
        return canonical(Array(integer.utf8), Array(fraction.utf8))
    }
}

public enum DateNormalizer {
    /// ISO weekday (1 = Monday … 7 = Sunday) of a Gregorian date.
    public static func weekday(year: Int, month: Int, day: Int) -> Int {
        let offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
        let y = month < 3 ? year - 1 : year
        let sundayBased = (y + y / 4 - y / 100 + y / 400 + offsets[month - 1] + day) % 7  // 0 = Sunday
        return sundayBased == 0 ? 7 : sundayBased
    }

    public static func daysIn(month: Int, year: Int?) -> Int {
        switch month {
        case 2:
            guard let y = year else { return 29 }
            return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `2024-09-30`, `2024-09`, `--09-30` (ISO 8601 without year), or `2024`.
    public static func iso(year: Int?, month: Int?, day: Int?) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        func four(_ n: Int) -> String { String(repeating: "0", count: max(0, 4 - String(n).count)) + String(n) }
        switch (year, month, day) {
        case let (y?, m?, d?): return "\(four(y))-\(two(m))-\(two(d))"
        case let (y?, m?, nil): return "\(four(y))-\(two(m))"
        case let (nil, m?, d?): return "--\(two(m))-\(two(d))"
        case let (y?, nil, _): return four(y)
        default: return ""
        }
    }
}
