import Foundation

/// Case- and accent-folded alphanumerics of a text: what Foundation's
/// `folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)` followed by a
/// `CharacterSet.alphanumerics` filter gives, without the trip through NSString for Latin
/// text (that trip was most of `link.entities`' time).
///
/// ASCII and U+0080–U+024F are read from a table that Foundation itself filled, one scalar
/// at a time (folding is per character there: no scalar of that range combines with its
/// neighbour); a text holding any other scalar is handed to Foundation whole.
enum AlphanumericFold {
    /// Scalars below this are folded from the table.
    static let tableLimit: UInt32 = 0x250

    /// The folded UTF-8 bytes of every scalar below `tableLimit`, filled by Foundation, end to
    /// end in one array: scalar v folds to `tableBytes[tableStarts[v]..<tableStarts[v + 1]]`
    /// (an array per scalar was one to retain and release per letter).
    private static let table: (bytes: [UInt8], starts: [Int]) = {
        var bytes: [UInt8] = []
        var starts = [0]
        for value in 0..<tableLimit {
            bytes += foundation(String(Character(Unicode.Scalar(value)!))).utf8
            starts.append(bytes.count)
        }
        return (bytes, starts)
    }()

    /// The most folded bytes one byte of text gives (a two-byte scalar may fold to more).
    private static let maxGrowth: Int = {
        var most = 1
        for value in 0x80..<Int(tableLimit) {
            most = max(most, (table.starts[value + 1] - table.starts[value] + 1) / 2)
        }
        return most
    }()

    /// The reference: Foundation's folding, then the alphanumerics filter.
    static func foundation(_ s: some StringProtocol) -> String {
        String(s).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(String.init).joined()
    }

    static func fold(_ s: some StringProtocol) -> String {
        if let folded = s.utf8.withContiguousStorageIfAvailable({ fold(bytes: $0) }) { return folded ?? foundation(s) }
        return Array(s.utf8).withUnsafeBufferPointer { fold(bytes: $0) } ?? foundation(s)
    }

    /// `fold` of valid UTF-8 written straight into the string (no array of bytes first); nil
    /// when a scalar lies beyond the table, for Foundation to fold the whole text.
    static func fold(bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var beyond = false
        let folded = String(unsafeUninitializedCapacity: bytes.count * maxGrowth) { out in
            guard let n = fold(bytes: bytes, into: out) else {
                beyond = true
                return 0
            }
            return n
        }
        return beyond ? nil : folded
    }

    /// Appends the folded bytes of valid UTF-8 to `out` (as `fold` writes them); false, with
    /// `out` as it was, when a scalar lies beyond the table.
    static func appendFolded(bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        let old = out.count
        let room = bytes.count * maxGrowth
        out.append(contentsOf: repeatElement(0, count: room))
        let n = out.withUnsafeMutableBufferPointer { all in
            fold(bytes: bytes, into: UnsafeMutableBufferPointer(rebasing: all[old..<(old + room)]))
        }
        out.removeLast(room - (n ?? 0))
        return n != nil
    }

    /// Writes the folded bytes of valid UTF-8 into `out` (room for `maxGrowth` bytes per byte)
    /// and returns how many; nil when a scalar lies beyond the table.
    private static func fold(bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        let (tableBytes, starts) = table
        var n = 0
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 {
                if b &- 0x41 < 26 {
                    out[n] = b | 0x20
                    n += 1
                } else if b &- 0x61 < 26 || b &- 0x30 < 10 {
                    out[n] = b
                    n += 1
                }
                i += 1
                continue
            }
            // Below U+0800 a scalar is two bytes; the table ends at U+0250.
            guard b < 0xE0, i + 1 < bytes.count else { return nil }
            let value = Int(b & 0x1F) << 6 | Int(bytes[i + 1] & 0x3F)
            guard value < Int(tableLimit) else { return nil }
            for k in starts[value]..<starts[value + 1] {
                out[n] = tableBytes[k]
                n += 1
            }
            i += 2
        }
        return n
    }
}
