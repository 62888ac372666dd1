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
        if let reading = text.utf8.withContiguousStorageIfAvailable({ read(bytes: $0, spanish: spanish) }) { return reading }
        return Array(text.utf8).withUnsafeBufferPointer { read(bytes: $0, spanish: spanish) }
    }

    /// `read` over UTF-8 bytes. The digit groups are kept as byte ranges on the stack and the
    /// value is written once: the scanner reads every grouped or decimal number ("1.18", "2,5"),
    /// and arrays of groups and separators cost several allocations each.
    static func read(bytes: UnsafeBufferPointer<UInt8>, spanish: Bool) -> NumberReading? {
        typealias Group = (start: Int, end: Int, separator: UInt8)
        // Groups are separated by at least one byte: at most half the bytes (rounded up) start one.
        return withUnsafeTemporaryAllocation(of: Group.self, capacity: bytes.count / 2 + 1) { groups -> NumberReading? in
            // Split into digit groups and the separator that precedes each group.
            var count = 0
            var separator: UInt8 = 0
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b &- 0x30 < 10 {
                    var j = i + 1
                    while j < bytes.count, bytes[j] &- 0x30 < 10 { j += 1 }
                    groups[count] = (i, j, separator)
                    count += 1
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
            guard count > 0 else { return nil }
            func length(_ g: Int) -> Int { groups[g].end - groups[g].start }
            /// `integer.fraction`, the integer the digits of groups `0..<integerGroups`, the
            /// fraction those of group `fraction`: no leading zeros in the integer part (at least
            /// "0"), no trailing zeros in the fraction.
            func canonical(integerGroups: Int, fraction: Int?) -> String {
                var firstGroup = 0
                var firstDigit = groups[0].start
                var integerLength = 0
                var leading = true
                for g in 0..<integerGroups {
                    for k in groups[g].start..<groups[g].end {
                        if leading, bytes[k] == 0x30 { continue }
                        if leading {
                            leading = false
                            firstGroup = g
                            firstDigit = k
                        }
                        integerLength += 1
                    }
                }
                var fractionEnd = 0
                var fractionLength = 0
                if let f = fraction {
                    fractionEnd = groups[f].end
                    while fractionEnd > groups[f].start, bytes[fractionEnd - 1] == 0x30 { fractionEnd -= 1 }
                    fractionLength = fractionEnd - groups[f].start
                }
                let total = max(integerLength, 1) + (fractionLength > 0 ? 1 + fractionLength : 0)
                return String(unsafeUninitializedCapacity: total) { out in
                    var n = 0
                    if integerLength == 0 {
                        out[0] = 0x30
                        n = 1
                    } else {
                        for g in firstGroup..<integerGroups {
                            for k in (g == firstGroup ? firstDigit : groups[g].start)..<groups[g].end {
                                out[n] = bytes[k]
                                n += 1
                            }
                        }
                    }
                    if fractionLength > 0, let f = fraction {
                        out[n] = 0x2E
                        n += 1
                        for k in groups[f].start..<fractionEnd {
                            out[n] = bytes[k]
                            n += 1
                        }
                    }
                    return n
                }
            }
            if count == 1 { return NumberReading(value: canonical(integerGroups: 1, fraction: nil)) }
            // The separators between groups (`groups[1...]`): which occur, and how often the last one does.
            var commas = 0
            var dots = 0
            var spaces = 0
            var groupedByThree = length(0) <= 3
            for g in 1..<count {
                switch groups[g].separator {
                case 0x2C: commas += 1
                case 0x2E: dots += 1
                default: spaces += 1
                }
                if length(g) != 3 { groupedByThree = false }
            }
            let distinct = (commas > 0 ? 1 : 0) + (dots > 0 ? 1 : 0) + (spaces > 0 ? 1 : 0)
            if distinct >= 2 {
                // Mixed: the last separator is the decimal mark, the others group thousands.
                let last = groups[count - 1].separator
                guard (last == 0x2C ? commas : last == 0x2E ? dots : spaces) == 1 else { return nil }
                return NumberReading(value: canonical(integerGroups: count - 1, fraction: count - 1))
            }
            if groups[1].separator == 0x20 || count > 2 {
                // Spaces group thousands; so do two or more commas or dots (1,234,567 or 1.234.567).
                guard groupedByThree else { return nil }
                return NumberReading(value: canonical(integerGroups: count, fraction: nil))
            }
            let decimal = canonical(integerGroups: 1, fraction: 1)
            if length(1) != 3 || length(0) > 3 || (length(0) == 1 && bytes[groups[0].start] == 0x30) {
                return NumberReading(value: decimal)  // 3,5 / 12.75 / 0,125: a decimal mark
            }
            // One separator, three digits after it: ambiguous.
            let grouped = canonical(integerGroups: 2, fraction: nil)
            let commaGroups = !spanish
            let groupingReading = (groups[1].separator == 0x2C) == commaGroups
            return groupingReading
                ? NumberReading(value: grouped, alternative: decimal)
                : NumberReading(value: decimal, alternative: grouped)
        }
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
