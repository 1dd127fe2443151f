/// Why a hex EPC, an EPC URI or a Gen2 memory read could not be decoded or encoded.
///
/// Every case names the scheme (when known), the field and the offending value, so an operator
/// reading a log line can see what was wrong and what the standard expects.
public enum EPCError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The input was empty.
    case empty
    /// A character that is not a hexadecimal digit, at a 0-based position.
    case notHex(position: Int, character: String)
    /// Hex text with an odd number of digits (not whole bytes).
    case oddHexLength(digits: Int)
    /// The 8-bit header is not one of the GS1 schemes this decoder knows (TDS Table 14-1).
    case unknownHeader(UInt8)
    /// The bit string is not the length the header requires, rounded up to 16-bit words (TDS §15.1.1).
    case wrongLength(scheme: String, expectedBits: Int, expectedHexDigits: Int, actualHexDigits: Int)
    /// Bits after the encoding, up to the word boundary, must be zero (TDS §15.1.1 pads with zeros).
    case nonZeroPadding(scheme: String)
    /// Partition value 7 (or a company prefix length outside 6...12 in a URI).
    case invalidPartition(scheme: String, value: Int)
    /// A numeric field holds a value that does not fit its digits (TDS §14.4 "stop: not a legal encoding").
    case valueOverflow(scheme: String, field: String, value: String, limit: String)
    /// A field the coding table fixes to zero (SSCC-96/GSRN-96 reserved bits, a K=0 reference) is not zero.
    case reservedNotZero(scheme: String, field: String)
    /// A character not in GS1 AI encodable character set 82 (TDS Table A-1), or not allowed in this field.
    case invalidCharacter(scheme: String, field: String, character: String, position: Int)
    /// A 7-bit string field has non-zero bits after its terminating zero character.
    case dataAfterTerminator(scheme: String, field: String)
    /// A field is longer (digits or characters) than the scheme allows.
    case fieldTooLong(scheme: String, field: String, length: Int, maximum: Int)
    /// A field has the wrong number of digits.
    case fieldLength(scheme: String, field: String, length: Int, expected: Int)
    /// A field that must have at least one character is empty.
    case emptyField(scheme: String, field: String)
    /// A numeric serial written with leading zeros where the scheme encodes it as an integer (TDS §14.3.2).
    case leadingZero(scheme: String, field: String, value: String)
    /// The numeric-string field (SGCN serial) does not start with the marker digit 1 (TDS §14.4, "Numeric String" decoding).
    case numericStringMarker(scheme: String, field: String)
    /// A URI that is not `urn:epc:tag:<scheme>:...` of a known scheme, or has the wrong number of parts.
    case malformedURI(uri: String, reason: String)
    /// A URI scheme name this library does not encode.
    case unknownScheme(String)
    /// The filter value is not a single digit 0...7.
    case invalidFilter(scheme: String, value: String)
    /// The Gen2 PC word's length field disagrees with the EPC the reader delivered.
    case pcLengthMismatch(pcWords: Int, epcWords: Int)
    /// The Gen2 StoredCRC does not match CRC-16/GENIBUS over PC + EPC.
    case crcMismatch(stored: UInt16, computed: UInt16)
    /// The PC toggle bit is 1: bits 18h-1Fh are an ISO 15961 AFI and the EPC bank holds no GS1 EPC.
    case isoApplicationFamily(afi: UInt8)

    public var description: String {
        switch self {
        case .empty:
            return "empty input"
        case let .notHex(position, character):
            return "character \(Self.show(character)) at position \(position) is not a hexadecimal digit"
        case let .oddHexLength(digits):
            return "\(digits) hex digits is not a whole number of bytes"
        case let .unknownHeader(header):
            return "EPC header 0x\(HexText.byte(header)) is not a supported GS1 EPC scheme"
        case let .wrongLength(scheme, bits, hexDigits, actual):
            return "\(scheme) is \(bits) bits, stored as \(hexDigits) hex digits; got \(actual) hex digits"
        case let .nonZeroPadding(scheme):
            return "\(scheme): padding bits after the encoding must be zero"
        case let .invalidPartition(scheme, value):
            return "\(scheme): partition \(value) is not defined (valid: 0...6)"
        case let .valueOverflow(scheme, field, value, limit):
            return "\(scheme): \(field) value \(value) does not fit (must be below \(limit))"
        case let .reservedNotZero(scheme, field):
            return "\(scheme): \(field) must be zero"
        case let .invalidCharacter(scheme, field, character, position):
            return "\(scheme): \(field) has character \(Self.show(character)) at position \(position), not allowed"
        case let .dataAfterTerminator(scheme, field):
            return "\(scheme): \(field) has non-zero bits after its terminating zero character"
        case let .fieldTooLong(scheme, field, length, maximum):
            return "\(scheme): \(field) is \(length) long, at most \(maximum) allowed"
        case let .fieldLength(scheme, field, length, expected):
            return "\(scheme): \(field) has \(length) digits, expected \(expected)"
        case let .emptyField(scheme, field):
            return "\(scheme): \(field) must not be empty"
        case let .leadingZero(scheme, field, value):
            return "\(scheme): \(field) \(value) has a leading zero, not allowed for an integer field"
        case let .numericStringMarker(scheme, field):
            return "\(scheme): \(field) is not a valid numeric string (decimal value must start with 1)"
        case let .malformedURI(uri, reason):
            return "malformed EPC URI \(Self.show(uri)): \(reason)"
        case let .unknownScheme(name):
            return "EPC scheme \(Self.show(name)) is not supported"
        case let .invalidFilter(scheme, value):
            return "\(scheme): filter \(Self.show(value)) is not a digit 0...7"
        case let .pcLengthMismatch(pcWords, epcWords):
            return "PC word says the EPC is \(pcWords) words, the reader delivered \(epcWords)"
        case let .crcMismatch(stored, computed):
            return "StoredCRC 0x\(HexText.word(stored)) does not match CRC-16/GENIBUS 0x\(HexText.word(computed))"
        case let .isoApplicationFamily(afi):
            return "PC toggle bit set: ISO AFI 0x\(HexText.byte(afi)), not a GS1 EPC"
        }
    }

    static func show(_ text: String) -> String { JSONQuote.quote(text) }
}

/// Upper-case fixed-width hex for error messages.
enum HexText {
    static func byte(_ value: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(value >> 4)], digits[Int(value & 0xF)]])
    }

    static func word(_ value: UInt16) -> String {
        byte(UInt8(value >> 8)) + byte(UInt8(value & 0xFF))
    }
}

/// Quotes text for messages the same way JSON does, so control characters stay visible.
enum JSONQuote {
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out += "\\x" + HexText.byte(UInt8(scalar.value))
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
