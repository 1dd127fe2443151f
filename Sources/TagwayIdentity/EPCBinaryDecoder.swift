import TagwayModel

/// Binary EPC (as read from the Gen2 EPC bank, starting at bit 20h) → `EPC`, following the
/// decoding procedure of TDS §14.4 and the coding tables of §14.5.
///
/// Stricter than "decode what you can": the input must be exactly the scheme's length rounded up
/// to 16-bit words with zero padding (what TDS §15.1.1 writes), every numeric field must fit its
/// digits, fixed fields must be zero, strings must be set-82 characters followed only by zeros.
/// Anything else is an `EPCError`, never a best-effort answer.
public enum EPCBinaryDecoder {
    /// Decodes hex text (either case, no separators).
    public static func decode(hex: some StringProtocol) throws(EPCError) -> EPC {
        try decode(bytes: try parseHex(hex))
    }

    /// Bytes of hex text, with the position of the first bad character on failure.
    public static func parseHex(_ hex: some StringProtocol) throws(EPCError) -> [UInt8] {
        let utf8 = Array(hex.utf8)
        guard !utf8.isEmpty else { throw .empty }
        for (position, byte) in utf8.enumerated() where HexCoding.nibble(byte) == nil {
            throw .notHex(position: position, character: GS1CharacterSet82.character(at: position, in: Substring(hex)))
        }
        guard utf8.count % 2 == 0 else { throw .oddHexLength(digits: utf8.count) }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            out.append(HexCoding.nibble(utf8[index])! << 4 | HexCoding.nibble(utf8[index + 1])!)  // force-unwrap-ok: every byte was checked above
            index += 2
        }
        return out
    }

    public static func decode(bytes: [UInt8]) throws(EPCError) -> EPC {
        guard let first = bytes.first else { throw .empty }
        guard let scheme = EPCScheme(header: first) else { throw .unknownHeader(first) }
        guard bytes.count * 8 == scheme.storedBitLength else {
            throw .wrongLength(scheme: scheme.rawValue, expectedBits: scheme.bitLength,
                               expectedHexDigits: scheme.storedBitLength / 4, actualHexDigits: bytes.count * 2)
        }
        var reader = BitReader(bytes)
        reader.skip(8)
        let epc: EPC
        if scheme == .gid96 {
            epc = decodeGID(&reader)
        } else {
            epc = try decodeGS1(scheme, &reader)
        }
        guard reader.zeros(upTo: reader.bitCount) else { throw .nonZeroPadding(scheme: scheme.rawValue) }
        return epc
    }

    private static func decodeGID(_ reader: inout BitReader) -> EPC {
        let manager = reader.read(28)
        let objectClass = reader.read(24)
        let serial = reader.read(36)
        return EPC(scheme: .gid96, filter: nil, partition: nil, companyPrefix: String(manager),
                   reference: String(objectClass), serial: String(serial))
    }

    private static func decodeGS1(_ scheme: EPCScheme, _ reader: inout BitReader) throws(EPCError) -> EPC {
        let name = scheme.rawValue
        let filter = Int(reader.read(3))
        let partition = Int(reader.read(3))
        guard partition <= 6 else { throw .invalidPartition(scheme: name, value: partition) }
        let table = scheme.partitionTable
        let prefixDigits = table.companyPrefixDigits(partition)
        let prefix = reader.read(table.companyPrefixBits(partition))
        guard prefix < Decimal64.powersOfTen[prefixDigits] else {
            throw .valueOverflow(scheme: name, field: "company prefix", value: String(prefix),
                                 limit: "10^\(prefixDigits)")
        }
        let reference = try decodeReference(scheme, table, partition, &reader)
        let serial = try decodeSerial(scheme, &reader)
        return EPC(scheme: scheme, filter: filter, partition: partition,
                   companyPrefix: Decimal64.padded(prefix, width: prefixDigits), reference: reference, serial: serial)
    }

    private static func decodeReference(_ scheme: EPCScheme, _ table: EPCPartitionTable, _ partition: Int,
                                        _ reader: inout BitReader) throws(EPCError) -> String {
        let bits = table.referenceBits(partition)
        let digits = table.referenceDigits(partition)
        switch table.coding {
        case .padded:
            let value = reader.read(bits)
            if digits == 0 {
                guard value == 0 else { throw .reservedNotZero(scheme: scheme.rawValue, field: scheme.referenceName) }
                return ""
            }
            guard value < Decimal64.powersOfTen[digits] else {
                throw .valueOverflow(scheme: scheme.rawValue, field: scheme.referenceName, value: String(value),
                                     limit: "10^\(digits)")
            }
            return Decimal64.padded(value, width: digits)
        case .unpadded:
            // 2^N < 10^K for every GIAI-96 partition, so any N-bit value has at most K digits.
            return String(reader.read(bits))
        case .string:
            return try decodeString(&reader, bits: bits, maxCharacters: digits, scheme: scheme,
                                    field: scheme.referenceName)
        }
    }

    private static func decodeSerial(_ scheme: EPCScheme, _ reader: inout BitReader) throws(EPCError) -> String? {
        switch scheme.serialCoding {
        case let .integer(bits):
            return String(reader.read(bits))
        case let .string(bits, maxCharacters):
            return try decodeString(&reader, bits: bits, maxCharacters: maxCharacters, scheme: scheme,
                                    field: scheme.serialName)
        case let .numericString(bits, maxDigits):
            let value = reader.read(bits)
            let text = String(value)
            guard text.count >= 2, text.utf8.first == UInt8(ascii: "1") else {
                throw .numericStringMarker(scheme: scheme.rawValue, field: scheme.serialName)
            }
            guard text.count - 1 <= maxDigits else {
                throw .fieldTooLong(scheme: scheme.rawValue, field: scheme.serialName, length: text.count - 1,
                                    maximum: maxDigits)
            }
            return String(text.dropFirst())
        case let .reserved(bits):
            guard reader.read(bits) == 0 else { throw .reservedNotZero(scheme: scheme.rawValue, field: "reserved bits") }
            return nil
        case .none:
            return nil
        }
    }

    /// TDS §14.4 "String" decoding: 7-bit characters up to the first all-zero character; every
    /// remaining bit of the field must be zero; characters must be in Table A-1.
    private static func decodeString(_ reader: inout BitReader, bits: Int, maxCharacters: Int,
                                     scheme: EPCScheme, field: String) throws(EPCError) -> String {
        let end = reader.position + bits
        var raw = [UInt8]()
        raw.reserveCapacity(maxCharacters)
        while end - reader.position >= 7 {
            let character = UInt8(reader.read(7))
            if character == 0 { break }
            guard GS1CharacterSet82.contains(character) else {
                throw .invalidCharacter(scheme: scheme.rawValue, field: field,
                                        character: String(decoding: [character], as: UTF8.self), position: raw.count)
            }
            raw.append(character)
        }
        guard reader.zeros(upTo: end) else { throw .dataAfterTerminator(scheme: scheme.rawValue, field: field) }
        reader.skip(end - reader.position)
        guard !raw.isEmpty else { throw .emptyField(scheme: scheme.rawValue, field: field) }
        guard raw.count <= maxCharacters else {
            throw .fieldTooLong(scheme: scheme.rawValue, field: field, length: raw.count, maximum: maxCharacters)
        }
        return GS1CharacterSet82.escape(raw)
    }
}
