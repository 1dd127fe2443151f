import TagwayModel

/// GS1 AI encodable character set 82 (GS1 General Specifications Figure 7.11-1; TDS Table A-1),
/// and the URI escapes TDS uses for the seven characters that are not legal in a URN.
enum GS1CharacterSet82 {
    /// Membership table for 7-bit ASCII.
    private static let members: [Bool] = {
        var table = [Bool](repeating: false, count: 128)
        for scalar in "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz".utf8 {
            table[Int(scalar)] = true
        }
        return table
    }()

    @inline(__always)
    static func contains(_ byte: UInt8) -> Bool { byte < 128 && members[Int(byte)] }

    /// True for the characters the EPC URI writes as `%XX` (TDS Table A-1 "URI Form").
    @inline(__always)
    static func needsEscape(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x22, 0x25, 0x26, 0x2F, 0x3C, 0x3E, 0x3F: true
        default: false
        }
    }

    /// The URI form of raw characters (all of which must be in the set).
    static func escape(_ raw: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(raw.count + 8)
        let digits = Array("0123456789ABCDEF".utf8)
        for byte in raw {
            if needsEscape(byte) {
                out.append(UInt8(ascii: "%"))
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0xF)])
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Raw characters of a URI component: `%XX` escapes (either hex case) of set-82 characters are
    /// decoded, every other character must be a set-82 character that needs no escape.
    static func unescape(_ component: Substring, scheme: String, field: String) throws(EPCError) -> [UInt8] {
        let utf8 = Array(component.utf8)
        var out = [UInt8]()
        out.reserveCapacity(utf8.count)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < utf8.count, let high = HexCoding.nibble(utf8[index + 1]),
                      let low = HexCoding.nibble(utf8[index + 2]), contains(high << 4 | low)
                else {
                    let end = min(index + 3, utf8.count)
                    throw .invalidCharacter(scheme: scheme, field: field,
                                            character: String(decoding: utf8[index..<end], as: UTF8.self), position: index)
                }
                out.append(high << 4 | low)
                index += 3
            } else {
                guard contains(byte), !needsEscape(byte) else {
                    throw .invalidCharacter(scheme: scheme, field: field,
                                            character: Self.character(at: index, in: component), position: index)
                }
                out.append(byte)
                index += 1
            }
        }
        return out
    }

    /// The whole character (possibly multi-byte) that starts at a UTF-8 offset, for messages.
    static func character(at offset: Int, in text: Substring) -> String {
        var consumed = 0
        for character in text {
            if consumed >= offset { return String(character) }
            consumed += character.utf8.count
        }
        return ""
    }
}

/// Small decimal helpers over UInt64 (every numeric EPC field is below 10^19).
enum Decimal64 {
    static let powersOfTen: [UInt64] = {
        var out: [UInt64] = [1]
        var power: UInt64 = 1
        for _ in 1...19 {
            power *= 10
            out.append(power)
        }
        return out
    }()

    /// `value` in decimal, left-padded with zeros to `width` digits.
    static func padded(_ value: UInt64, width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// The value of an all-digit string of at most 19 digits; nil for anything else.
    static func parse(_ text: Substring) -> UInt64? {
        guard !text.isEmpty, text.utf8.count <= 19 else { return nil }
        var value: UInt64 = 0
        for byte in text.utf8 {
            guard byte >= 48, byte <= 57 else { return nil }
            value = value * 10 + UInt64(byte - 48)
        }
        return value
    }

    static func isDigits(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }
}
