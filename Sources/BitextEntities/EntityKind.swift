import BitextCore

/// The kinds of entity the extractor finds (the `Entity.kind` strings).
public enum EntityKind: String, CaseIterable, Sendable {
    case person, organization, location, country, date, number, money, percent
    case documentSymbol = "document_symbol"
    case resolution, acronym, url, email

    /// The kind an `Entity.kind` string names: `init(rawValue:)` without the generic string
    /// switch (which compares the string with every case in turn), for per-mention use.
    static func of(_ s: String) -> EntityKind? {
        let candidate: EntityKind
        switch s.utf8.count {
        case 3: candidate = .url
        case 4: candidate = .date
        case 5: candidate = s.utf8.first == UInt8(ascii: "m") ? .money : .email
        case 6: candidate = s.utf8.first == UInt8(ascii: "p") ? .person : .number
        case 7:
            switch s.utf8.first {
            case UInt8(ascii: "c"): candidate = .country
            case UInt8(ascii: "p"): candidate = .percent
            default: candidate = .acronym
            }
        case 8: candidate = .location
        case 10: candidate = .resolution
        case 12: candidate = .organization
        case 15: candidate = .documentSymbol
        default: return nil
        }
        return candidate.rawValue == s ? candidate : nil
    }

    /// The kind of the entity at `e`, read through its common kind code (a table's element)
    /// where `of(e.pointee.kind)` made the kind's string and compared it, per mention when linking.
    static func of(_ e: UnsafePointer<Entity>) -> EntityKind? {
        let code = e.pointee.commonKindCode
        return code == 0 ? of(e.pointee.kind) : byCommonKindCode[Int(code)]
    }

    /// The kind each `Entity.commonKindCode` (0...255) stands for, if it is one of these.
    static let byCommonKindCode: [EntityKind?] = (0...UInt8.max).map { code in
        Entity.commonKindName(code: code).flatMap { name in of(name) }
    }

    /// Names: found from capitals, titles, context and gazetteers.
    public var isName: Bool { self == .person || self == .organization || self == .location || self == .country }
    /// Quantities whose absence on one side is a `number_mismatch`.
    public var isQuantity: Bool { self == .number || self == .money || self == .percent }
}

/// Folded hashes of words the rules test for.
enum H {
    static let http = foldedHash("http"), https = foldedHash("https"), ftp = foldedHash("ftp"), www = foldedHash("www")
    static let of = foldedHash("of"), de = foldedHash("de"), del = foldedHash("del"), the = foldedHash("the")
    static let administration = foldedHash("administration"), administracion = foldedHash("administración")
    static let el = foldedHash("el"), al = foldedHash("al"), to = foldedHash("to")
    static let no = foldedHash("no"), n = foldedHash("n"), numero = foldedHash("número"), number = foldedHash("number")
    static let us = foldedHash("us"), usd = foldedHash("usd")
    static let per = foldedHash("per"), cent = foldedHash("cent"), percent = foldedHash("percent")
    static let por = foldedHash("por"), ciento = foldedHash("ciento")
    static let mil = foldedHash("mil"), millones = foldedHash("millones")
    static let council = foldedHash("council"), consejo = foldedHash("consejo"), unsc = foldedHash("unsc")
    static let csnu = foldedHash("csnu"), security = foldedHash("security"), seguridad = foldedHash("seguridad")
    static let general = foldedHash("general"), assembly = foldedHash("assembly"), asamblea = foldedHash("asamblea")
    static let estadounidenses = foldedHash("estadounidenses"), a = foldedHash("a")
}

extension UInt32 {
    static let slash: UInt32 = 0x2F, dot: UInt32 = 0x2E, comma: UInt32 = 0x2C, hyphen: UInt32 = 0x2D
    static let openParen: UInt32 = 0x28, closeParen: UInt32 = 0x29, colon: UInt32 = 0x3A, at: UInt32 = 0x40
    static let percentSign: UInt32 = 0x25, dollar: UInt32 = 0x24, euro: UInt32 = 0x20AC, pound: UInt32 = 0xA3
    static let yen: UInt32 = 0xA5, caret: UInt32 = 0x5E, openBrace: UInt32 = 0x7B, ampersand: UInt32 = 0x26
    static let masculineOrdinal: UInt32 = 0xBA, feminineOrdinal: UInt32 = 0xAA, degree: UInt32 = 0xB0
    static let apostrophe: UInt32 = 0x27, rightSingleQuote: UInt32 = 0x2019
}
