/// The Gen2 EPC bank's protocol-control word (StoredPC, EPC bank bits 10h-1Fh) and the
/// StoredCRC that protects PC + EPC (EPC UHF Gen2 Air Interface; TDS §15.1, §15.2).
public struct Gen2ProtocolControl: Hashable, Sendable {
    public let rawValue: UInt16

    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    /// EPC length in 16-bit words (bits 10h-14h).
    public var lengthInWords: Int { Int(rawValue >> 11) }
    /// User-memory indicator (bit 15h).
    public var userMemoryIndicator: Bool { rawValue & 0x0400 != 0 }
    /// An XPC word follows (bit 16h).
    public var extendedPC: Bool { rawValue & 0x0200 != 0 }
    /// Numbering system toggle (bit 17h): false = GS1 EPC, true = ISO 15961 AFI in bits 18h-1Fh.
    public var toggle: Bool { rawValue & 0x0100 != 0 }
    /// Bits 18h-1Fh: EPCglobal attribute bits when toggle is 0, the AFI when it is 1.
    public var attributeBits: UInt8 { UInt8(rawValue & 0xFF) }

    /// Checks that the PC describes `epc` as a GS1 EPC of that length (TDS §15.2.2 step 1-2).
    public func validate(epc: [UInt8]) throws(EPCError) {
        guard !toggle else { throw .isoApplicationFamily(afi: attributeBits) }
        guard epc.count % 2 == 0, lengthInWords == epc.count / 2 else {
            throw .pcLengthMismatch(pcWords: lengthInWords, epcWords: (epc.count + 1) / 2)
        }
    }

    /// Checks the StoredCRC a reader reports against CRC-16/GENIBUS over PC followed by the EPC.
    public func verify(epc: [UInt8], storedCRC: UInt16) throws(EPCError) {
        var crc = Gen2CRC16()
        crc.update([UInt8(rawValue >> 8), UInt8(rawValue & 0xFF)])
        crc.update(epc)
        guard crc.value == storedCRC else { throw .crcMismatch(stored: storedCRC, computed: crc.value) }
    }
}

/// CRC-16/GENIBUS (the Gen2 CRC-16): polynomial 0x1021, initial value 0xFFFF, no reflection,
/// final XOR 0xFFFF. Check value over "123456789" is 0xD64E.
public struct Gen2CRC16: Sendable {
    private var register: UInt16 = 0xFFFF

    public init() {}

    public mutating func update(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            register ^= UInt16(byte) << 8
            for _ in 0..<8 {
                register = register & 0x8000 != 0 ? (register << 1) ^ 0x1021 : register << 1
            }
        }
    }

    public var value: UInt16 { register ^ 0xFFFF }

    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc = Gen2CRC16()
        crc.update(bytes)
        return crc.value
    }
}
