import TagwayZones

/// One entry of a filter's `include:` or `exclude:` list. Every condition given must hold (they
/// are ANDed, like a rule's `match`); an entry lists at least one.
///
/// The conditions that a tag's bytes answer (`epcPrefix`, `scheme`, `filterValue`,
/// `companyPrefix`, and a `keyPrefix` that names only a scheme and a company prefix) are tested
/// on the EPC's bits without parsing the identity; `pattern` and any other `keyPrefix` need the
/// asset key, which costs a parse (see `CompiledTagMatch`).
public struct TagMatch: Sendable, Hashable {
    /// Leading bits of the tag's id: the EPC for Gen2 tags, the card number or UID otherwise.
    public var epcPrefix: BitPrefix?
    /// The asset key starts with this (`urn:epc:id:giai:0614141.`).
    public var keyPrefix: String?
    /// An EPC family (`sgtin`, `giai` …) by the EPC's header, `epc-raw`, `em4100`, `iso14443a`,
    /// and for barcodes `gs1` or `barcode`.
    public var scheme: String?
    /// The 3-bit filter value of a GS1 EPC binary encoding (0...7).
    public var filterValue: Int?
    /// A GS1 Company Prefix (6 to 12 digits), from the EPC's partition and bits.
    public var companyPrefix: String?
    /// A regular expression searched in the asset key (the `asset.key` of events).
    public var pattern: Pattern?

    public init(epcPrefix: BitPrefix? = nil, keyPrefix: String? = nil, scheme: String? = nil, filterValue: Int? = nil,
                companyPrefix: String? = nil, pattern: Pattern? = nil) {
        self.epcPrefix = epcPrefix
        self.keyPrefix = keyPrefix
        self.scheme = scheme
        self.filterValue = filterValue
        self.companyPrefix = companyPrefix
        self.pattern = pattern
    }

    public var isEmpty: Bool {
        epcPrefix == nil && keyPrefix == nil && scheme == nil && filterValue == nil && companyPrefix == nil && pattern == nil
    }
}

/// Leading bits of a tag id: hex digits, optionally cut to a bit count (`3034/14`: the header
/// and the filter value's first 6 bits), at most 128 bits so it is two word compares.
public struct BitPrefix: Sendable, Hashable, CustomStringConvertible {
    public static let maxBits = 128
    /// The prefix's bits from the top of the first word (byte 0 in the top byte), the rest zero.
    public let words: (UInt64, UInt64)
    public let bits: Int

    /// Nil when `hex` is empty, not hex, longer than 128 bits, or `bits` exceeds the digits given.
    public init?(hex: some StringProtocol, bits: Int? = nil) {
        let digits = Array(hex.utf8)
        guard !digits.isEmpty, digits.count * 4 <= Self.maxBits else { return nil }
        let length = bits ?? digits.count * 4
        guard length > 0, length <= digits.count * 4 else { return nil }
        var w0: UInt64 = 0, w1: UInt64 = 0
        for (index, digit) in digits.enumerated() {
            guard let nibble = Self.nibble(digit) else { return nil }
            let shift = UInt64(60 - (index & 15) * 4)
            if index < 16 { w0 |= UInt64(nibble) << shift } else { w1 |= UInt64(nibble) << shift }
        }
        let masks = Self.masks(bits: length)
        words = (w0 & masks.0, w1 & masks.1)
        self.bits = length
        text = String(decoding: digits, as: UTF8.self) + (bits.map { "/\($0)" } ?? "")
    }

    private let text: String
    public var description: String { text }

    /// The masks keeping the first `bits` bits of two words.
    static func masks(bits: Int) -> (UInt64, UInt64) {
        let first = min(bits, 64), second = max(0, min(bits - 64, 64))
        let m0: UInt64 = first == 0 ? 0 : (first == 64 ? .max : ~(UInt64.max >> UInt64(first)))
        let m1: UInt64 = second == 0 ? 0 : (second == 64 ? .max : ~(UInt64.max >> UInt64(second)))
        return (m0, m1)
    }

    private static func nibble(_ ascii: UInt8) -> UInt8? {
        switch ascii {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): ascii - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): ascii - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): ascii - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    public static func == (lhs: BitPrefix, rhs: BitPrefix) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.bits == rhs.bits
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(bits)
    }
}
