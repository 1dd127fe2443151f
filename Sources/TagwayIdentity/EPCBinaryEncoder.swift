/// `EPC` → binary EPC (TDS §14.3), padded with zero bits to whole 16-bit words (§15.1.1).
/// Validates every component on the way, so an `EPC` built by hand or parsed from a URI either
/// encodes exactly or fails with the field that is wrong.
public enum EPCBinaryEncoder {
    public static func encode(_ epc: EPC) throws(EPCError) -> [UInt8] {
        var writer = BitWriter(capacityBits: epc.scheme.storedBitLength)
        writer.write(UInt64(epc.scheme.header), bits: 8)
        if epc.scheme == .gid96 {
            try encodeGID(epc, &writer)
        } else {
            try encodeGS1(epc, &writer)
        }
        precondition(writer.bitCount == epc.scheme.bitLength, "coding table bit count")
        writer.pad(toMultipleOf: 16)
        return writer.bytes
    }

    private static func encodeGID(_ epc: EPC, _ writer: inout BitWriter) throws(EPCError) {
        let name = epc.scheme.rawValue
        guard epc.filter == nil, epc.partition == nil else {
            throw .malformedURI(uri: epc.tagURI, reason: "gid-96 has no filter or partition")
        }
        let manager = try integer(epc.companyPrefix, bits: 28, scheme: name, field: "general manager number")
        let objectClass = try integer(epc.reference, bits: 24, scheme: name, field: "object class")
        let serial = try integer(epc.serial ?? "", bits: 36, scheme: name, field: "serial")
        writer.write(manager, bits: 28)
        writer.write(objectClass, bits: 24)
        writer.write(serial, bits: 36)
    }

    private static func encodeGS1(_ epc: EPC, _ writer: inout BitWriter) throws(EPCError) {
        let scheme = epc.scheme
        let name = scheme.rawValue
        guard let filter = epc.filter, (0...7).contains(filter) else {
            throw .invalidFilter(scheme: name, value: epc.filter.map(String.init) ?? "")
        }
        guard !epc.companyPrefix.isEmpty else { throw .emptyField(scheme: name, field: "company prefix") }
        guard Decimal64.isDigits(epc.companyPrefix) else {
            throw .invalidCharacter(scheme: name, field: "company prefix", character: firstNonDigit(epc.companyPrefix),
                                    position: firstNonDigitPosition(epc.companyPrefix))
        }
        let prefixDigits = epc.companyPrefix.utf8.count
        guard (6...12).contains(prefixDigits) else { throw .invalidPartition(scheme: name, value: 12 - prefixDigits) }
        let companyPrefix = try digits(epc.companyPrefix, maxDigits: 12, scheme: name, field: "company prefix")
        let partition = 12 - prefixDigits
        if let given = epc.partition, given != partition {
            throw .invalidPartition(scheme: name, value: given)
        }
        let table = scheme.partitionTable
        writer.write(UInt64(filter), bits: 3)
        writer.write(UInt64(partition), bits: 3)
        writer.write(companyPrefix, bits: table.companyPrefixBits(partition))
        try encodeReference(epc, table, partition, &writer)
        try encodeSerial(epc, &writer)
    }

    private static func encodeReference(_ epc: EPC, _ table: EPCPartitionTable, _ partition: Int,
                                        _ writer: inout BitWriter) throws(EPCError) {
        let name = epc.scheme.rawValue
        let field = epc.scheme.referenceName
        let bits = table.referenceBits(partition)
        let digits = table.referenceDigits(partition)
        let reference = epc.reference
        switch table.coding {
        case .padded:
            guard reference.isEmpty || Decimal64.isDigits(reference) else {
                throw .invalidCharacter(scheme: name, field: field, character: firstNonDigit(reference),
                                        position: firstNonDigitPosition(reference))
            }
            guard reference.utf8.count == digits else {
                throw .fieldLength(scheme: name, field: field, length: reference.utf8.count, expected: digits)
            }
            writer.write(digits == 0 ? 0 : try Self.digits(reference, maxDigits: digits, scheme: name, field: field), bits: bits)
        case .unpadded:
            writer.write(try integer(reference, bits: bits, scheme: name, field: field), bits: bits)
        case .string:
            try writeString(reference, bits: bits, maxCharacters: digits, scheme: name, field: field, &writer)
        }
    }

    private static func encodeSerial(_ epc: EPC, _ writer: inout BitWriter) throws(EPCError) {
        let name = epc.scheme.rawValue
        let field = epc.scheme.serialName
        switch epc.scheme.serialCoding {
        case let .integer(bits):
            writer.write(try integer(epc.serial ?? "", bits: bits, scheme: name, field: field), bits: bits)
        case let .string(bits, maxCharacters):
            try writeString(epc.serial ?? "", bits: bits, maxCharacters: maxCharacters, scheme: name, field: field,
                            &writer)
        case let .numericString(bits, maxDigits):
            let serial = epc.serial ?? ""
            let value = try digits(serial, maxDigits: maxDigits, scheme: name, field: field)
            // The marker digit 1 written before the digits keeps their leading zeros.
            writer.write(Decimal64.powersOfTen[serial.utf8.count] + value, bits: bits)
        case let .reserved(bits):
            guard epc.serial == nil else {
                throw .malformedURI(uri: epc.tagURI, reason: "\(name) has no serial component")
            }
            writer.write(0, bits: bits)
        case .none:
            guard epc.serial == nil else {
                throw .malformedURI(uri: epc.tagURI, reason: "\(name) has no serial component")
            }
        }
    }

    /// A decimal integer component: digits, no leading zero (TDS §14.3.1), below 2^bits.
    static func integer(_ text: String, bits: Int, scheme: String, field: String) throws(EPCError) -> UInt64 {
        guard !text.isEmpty else { throw .emptyField(scheme: scheme, field: field) }
        guard Decimal64.isDigits(text) else {
            throw .invalidCharacter(scheme: scheme, field: field, character: firstNonDigit(text),
                                    position: firstNonDigitPosition(text))
        }
        guard text.utf8.count == 1 || text.utf8.first != UInt8(ascii: "0") else {
            throw .leadingZero(scheme: scheme, field: field, value: text)
        }
        guard let value = Decimal64.parse(Substring(text)), value < (UInt64(1) << UInt64(bits)) else {
            throw .valueOverflow(scheme: scheme, field: field, value: text, limit: "2^\(bits)")
        }
        return value
    }

    /// An all-digit field of at most `maxDigits` (at most 19) as a number; leading zeros are the
    /// caller's (it fixes the width). Each way it can fail is the error of the field that is
    /// wrong, never a trap: an `EPC` is a public value anyone can build.
    static func digits(_ text: String, maxDigits: Int, scheme: String, field: String) throws(EPCError) -> UInt64 {
        guard !text.isEmpty else { throw .emptyField(scheme: scheme, field: field) }
        guard Decimal64.isDigits(text) else {
            throw .invalidCharacter(scheme: scheme, field: field, character: firstNonDigit(text),
                                    position: firstNonDigitPosition(text))
        }
        guard text.utf8.count <= maxDigits, let value = Decimal64.parse(Substring(text)) else {
            throw .fieldTooLong(scheme: scheme, field: field, length: text.utf8.count, maximum: Swift.min(maxDigits, 19))
        }
        return value
    }

    /// TDS §14.3 "String": each set-82 character as 7 bits, then zeros to fill the field.
    private static func writeString(_ uriForm: String, bits: Int, maxCharacters: Int, scheme: String, field: String,
                                    _ writer: inout BitWriter) throws(EPCError) {
        let raw = try GS1CharacterSet82.unescape(Substring(uriForm), scheme: scheme, field: field)
        guard !raw.isEmpty else { throw .emptyField(scheme: scheme, field: field) }
        guard raw.count <= maxCharacters else {
            throw .fieldTooLong(scheme: scheme, field: field, length: raw.count, maximum: maxCharacters)
        }
        for byte in raw { writer.write(UInt64(byte), bits: 7) }
        var remaining = bits - raw.count * 7
        while remaining > 0 {
            let chunk = min(remaining, 64)
            writer.write(0, bits: chunk)
            remaining -= chunk
        }
    }

    private static func firstNonDigitPosition(_ text: String) -> Int {
        text.utf8.firstIndex { $0 < 48 || $0 > 57 }.map { text.utf8.distance(from: text.utf8.startIndex, to: $0) } ?? 0
    }

    private static func firstNonDigit(_ text: String) -> String {
        GS1CharacterSet82.character(at: firstNonDigitPosition(text), in: Substring(text))
    }
}
