/// An AIM symbology identifier (ISO/IEC 15424): `]`, a code character, a modifier character.
/// GS1 General Specifications §5.1.2 lists which ones carry GS1 data.
public struct AIMSymbology: Hashable, Sendable, CustomStringConvertible {
    /// The three characters, e.g. `]C1`.
    public let identifier: String

    public var description: String { identifier }

    /// Splits an identifier off the front of scanned data; nil when the data does not start with `]`.
    public static func split(_ data: [UInt8]) throws(GS1Error) -> (AIMSymbology?, ArraySlice<UInt8>) {
        guard data.first == UInt8(ascii: "]") else { return (nil, data[...]) }
        guard data.count >= 3, isLetter(data[1]), isAlphanumeric(data[2]) else {
            throw .malformedSymbology(String(decoding: data.prefix(3), as: UTF8.self))
        }
        return (AIMSymbology(identifier: String(decoding: data.prefix(3), as: UTF8.self)), data.dropFirst(3))
    }

    public init(identifier: String) { self.identifier = identifier }

    /// Data is a GS1 message with AIs: GS1-128 `]C1`, GS1 DataBar and Composite `]e0` `]e1` `]e2`,
    /// GS1 DataMatrix `]d2`, GS1 QR Code `]Q3`, GS1 DotCode `]J1`.
    public var carriesGS1Message: Bool {
        switch identifier {
        case "]C1", "]e0", "]e1", "]e2", "]d2", "]Q3", "]J1": true
        default: false
        }
    }

    /// Data is a bare GTIN: EAN-13/UPC-A/UPC-E `]E0`, EAN-8 `]E4`, ITF-14 `]I1`; `]E3` adds an
    /// add-on symbol after the 13 digits.
    public var carriesGTIN: Bool {
        switch identifier {
        case "]E0", "]E3", "]E4", "]I1": true
        default: false
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (65...90).contains(byte) || (97...122).contains(byte) }
    private static func isAlphanumeric(_ byte: UInt8) -> Bool { isLetter(byte) || (48...57).contains(byte) }
}

/// GTINs carried by EAN/UPC and ITF-14 symbols, as the AI (01) element they stand for.
enum GTINSymbol {
    static func element(symbology: AIMSymbology, data: ArraySlice<UInt8>) throws(GS1Error) -> GS1Element {
        let text = String(decoding: data, as: UTF8.self)
        guard Decimal64.isDigits(text) else { throw .notAGTIN(symbology: symbology.identifier, value: text) }
        var gtin: String
        switch (symbology.identifier, text.utf8.count) {
        case ("]E0", 13), ("]E0", 12), ("]I1", 14), ("]E4", 8):
            gtin = text
        case ("]E0", 8):
            gtin = try upcEExpanded(text, symbology: symbology)
        case ("]E3", 15), ("]E3", 18):
            gtin = String(text.prefix(13))
        default:
            throw .notAGTIN(symbology: symbology.identifier, value: text)
        }
        gtin = String(repeating: "0", count: 14 - gtin.utf8.count) + gtin
        guard GS1CheckDigit.isValid(gtin) else {
            throw .checkDigit(ai: "01", value: gtin, expected: GS1CheckDigit.compute(gtin.dropLast()) ?? 0)
        }
        return GS1Element(ai: "01", value: gtin)
    }

    /// UPC-E (number system 0 or 1, six digits, check digit) → the UPC-A it abbreviates
    /// (GS1 General Specifications §5.2.2.4.2, zero suppression).
    static func upcEExpanded(_ text: String, symbology: AIMSymbology) throws(GS1Error) -> String {
        let d = Array(text.utf8).map { Character(Unicode.Scalar($0)) }
        guard d[0] == "0" || d[0] == "1" else { throw .notAGTIN(symbology: symbology.identifier, value: text) }
        let body: String
        switch d[6] {
        case "0", "1", "2": body = String([d[1], d[2], d[6], "0", "0", "0", "0", d[3], d[4], d[5]])
        case "3": body = String([d[1], d[2], d[3], "0", "0", "0", "0", "0", d[4], d[5]])
        case "4": body = String([d[1], d[2], d[3], d[4], "0", "0", "0", "0", "0", d[5]])
        default: body = String([d[1], d[2], d[3], d[4], d[5], "0", "0", "0", "0", d[6]])
        }
        return String(d[0]) + body + String(d[7])
    }
}
