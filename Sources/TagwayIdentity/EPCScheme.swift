/// The EPC binary coding schemes this library decodes and encodes (GS1 EPC Tag Data Standard,
/// Table 14-1 headers and §14.5 coding tables). The raw value is the tag-URI scheme name.
public enum EPCScheme: String, CaseIterable, Hashable, Sendable {
    case sgtin96 = "sgtin-96", sgtin198 = "sgtin-198"
    case sscc96 = "sscc-96"
    case sgln96 = "sgln-96", sgln195 = "sgln-195"
    case grai96 = "grai-96", grai170 = "grai-170"
    case giai96 = "giai-96", giai202 = "giai-202"
    case gsrn96 = "gsrn-96", gsrnp96 = "gsrnp-96"
    case gdti96 = "gdti-96", gdti174 = "gdti-174"
    case sgcn96 = "sgcn-96"
    case gid96 = "gid-96"

    /// The 8-bit header that starts the binary encoding.
    public var header: UInt8 {
        switch self {
        case .sgtin96: 0x30
        case .sgtin198: 0x36
        case .sscc96: 0x31
        case .sgln96: 0x32
        case .sgln195: 0x39
        case .grai96: 0x33
        case .grai170: 0x37
        case .giai96: 0x34
        case .giai202: 0x38
        case .gsrn96: 0x2D
        case .gsrnp96: 0x2E
        case .gdti96: 0x2C
        case .gdti174: 0x3E
        case .sgcn96: 0x3F
        case .gid96: 0x35
        }
    }

    /// The scheme whose binary encoding starts with `header`, if any.
    public init?(header: UInt8) {
        switch header {
        case 0x30: self = .sgtin96
        case 0x36: self = .sgtin198
        case 0x31: self = .sscc96
        case 0x32: self = .sgln96
        case 0x39: self = .sgln195
        case 0x33: self = .grai96
        case 0x37: self = .grai170
        case 0x34: self = .giai96
        case 0x38: self = .giai202
        case 0x2D: self = .gsrn96
        case 0x2E: self = .gsrnp96
        case 0x2C: self = .gdti96
        case 0x3E: self = .gdti174
        case 0x3F: self = .sgcn96
        case 0x35: self = .gid96
        default: return nil
        }
    }

    /// Number of bits of the encoding, header included.
    public var bitLength: Int {
        switch self {
        case .sgtin198: 198
        case .sgln195: 195
        case .grai170: 170
        case .giai202: 202
        case .gdti174: 174
        default: 96
        }
    }

    /// The length as stored in the EPC bank: rounded up to whole 16-bit words (TDS §15.1.1).
    public var storedBitLength: Int { (bitLength + 15) / 16 * 16 }

    /// The pure-identity scheme name (`urn:epc:id:<family>:`).
    public var family: String {
        switch self {
        case .sgtin96, .sgtin198: "sgtin"
        case .sscc96: "sscc"
        case .sgln96, .sgln195: "sgln"
        case .grai96, .grai170: "grai"
        case .giai96, .giai202: "giai"
        case .gsrn96: "gsrn"
        case .gsrnp96: "gsrnp"
        case .gdti96, .gdti174: "gdti"
        case .sgcn96: "sgcn"
        case .gid96: "gid"
        }
    }

    /// Whether the encoding has a 3-bit filter and a partition (every scheme but GID).
    public var hasFilter: Bool { self != .gid96 }

    /// How the field after the company prefix and reference is coded.
    var serialCoding: SerialCoding {
        switch self {
        case .sgtin96, .grai96: .integer(bits: 38)
        case .sgln96, .gdti96: .integer(bits: 41)
        case .sgtin198, .sgln195: .string(bits: 140, maxCharacters: 20)
        case .grai170: .string(bits: 112, maxCharacters: 16)
        case .gdti174: .string(bits: 119, maxCharacters: 17)
        case .sgcn96: .numericString(bits: 41, maxDigits: 12)
        case .sscc96, .gsrn96, .gsrnp96: .reserved(bits: 24)
        case .giai96, .giai202, .gid96: .none
        }
    }

    /// The partition table of the company prefix and the reference that follows it.
    var partitionTable: EPCPartitionTable {
        switch self {
        case .sgtin96, .sgtin198: .sgtin
        case .sscc96: .sscc
        case .sgln96, .sgln195, .gdti96, .gdti174, .sgcn96: .gln
        case .grai96, .grai170: .grai
        case .giai96: .giai96
        case .giai202: .giai202
        case .gsrn96, .gsrnp96: .gsrn
        case .gid96: .gsrn // unused: GID has no partition
        }
    }

    /// Name of the reference field, for error messages.
    var referenceName: String {
        switch self {
        case .sgtin96, .sgtin198: "indicator and item reference"
        case .sscc96: "extension digit and serial reference"
        case .sgln96, .sgln195: "location reference"
        case .grai96, .grai170: "asset type"
        case .giai96, .giai202: "individual asset reference"
        case .gsrn96, .gsrnp96: "service reference"
        case .gdti96, .gdti174: "document type"
        case .sgcn96: "coupon reference"
        case .gid96: "object class"
        }
    }

    /// Name of the serial field, for error messages.
    var serialName: String {
        switch self {
        case .sgln96, .sgln195: "extension"
        default: "serial"
        }
    }
}

/// How the last field of an encoding is coded (TDS §14.3 coding methods).
enum SerialCoding {
    /// Unsigned integer, written in the URI in decimal without leading zeros.
    case integer(bits: Int)
    /// 7-bit characters from TDS Table A-1, zero-terminated and zero-padded.
    case string(bits: Int, maxCharacters: Int)
    /// Digits with a leading `1` marker, as one integer (SGCN-96).
    case numericString(bits: Int, maxDigits: Int)
    /// Bits fixed to zero, no serial component (SSCC-96, GSRN-96).
    case reserved(bits: Int)
    /// No field after the partitioned part.
    case none
}
