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

    /// The folded UTF-8 bytes of every scalar below `tableLimit`, filled by Foundation.
    private static let table: [[UInt8]] = (0..<tableLimit).map { value in
        Array(foundation(String(Character(Unicode.Scalar(value)!))).utf8)
    }

    /// The reference: Foundation's folding, then the alphanumerics filter.
    static func foundation(_ s: some StringProtocol) -> String {
        String(s).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(String.init).joined()
    }

    static func fold(_ s: some StringProtocol) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var fast = true
        var scalars = s.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            let v = scalar.value
            if v < 0x80 {
                let b = UInt8(v)
                if b >= 0x41 && b <= 0x5A {
                    out.append(b | 0x20)
                } else if (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) {
                    out.append(b)
                }
            } else if v < tableLimit {
                out.append(contentsOf: table[Int(v)])
            } else {
                fast = false
                break
            }
        }
        return fast ? String(decoding: out, as: UTF8.self) : foundation(s)
    }
}
