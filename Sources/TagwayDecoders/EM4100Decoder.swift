import TagwayModel

/// EM4100 125 kHz readers with an ASCII serial output: ID Innovations ID-12LA / ID-20LA
/// (`02` 10 hex digits, 2 hex checksum digits, `0D 0A`, `03`) and the RDM6300 module (the same
/// without CR LF). Both variants are accepted on one port, because boards sold as "RDM6300"
/// sometimes carry ID-12-style firmware.
///
/// The 10 digits are 5 bytes: a version/customer byte and the 32-bit card number; the checksum
/// is the XOR of those 5 bytes (`0100E2850E` → `68`).
public struct EM4100Decoder: ReaderDecoder {
    static let stx: UInt8 = 0x02
    static let etx: UInt8 = 0x03
    static let shortLength = 14      // STX + 12 + ETX
    static let longLength = 16       // STX + 12 + CR LF + ETX

    public var maximumFrameLength: Int { Self.longLength }

    public init() {}

    public mutating func decodeStep(_ buffer: inout ByteWindow) -> DecodeStep? {
        guard !buffer.isEmpty else { return nil }
        guard buffer[0] == Self.stx else { return dropGarbage(&buffer, upTo: Self.stx, from: 0) }

        // Twelve hex digits after STX; a new STX among them means the previous frame was cut short.
        var index = 1
        while index <= 12 {
            guard index < buffer.count else { return nil }
            let byte = buffer[index]
            if byte == Self.stx {
                buffer.consume(index)
                return .dropped(.truncated, byteCount: index)
            }
            guard HexCoding.nibble(byte) != nil else {
                return dropGarbage(&buffer, upTo: Self.stx)
            }
            index += 1
        }
        guard buffer.count > 13 else { return nil }
        let frameLength: Int
        switch buffer[13] {
        case Self.etx:
            frameLength = Self.shortLength
        case 0x0D:
            guard buffer.count >= Self.longLength else { return nil }
            guard buffer[14] == 0x0A, buffer[15] == Self.etx else { return dropGarbage(&buffer, upTo: Self.stx) }
            frameLength = Self.longLength
        case Self.stx:
            buffer.consume(13)
            return .dropped(.truncated, byteCount: 13)
        default:
            return dropGarbage(&buffer, upTo: Self.stx)
        }

        var bytes = [UInt8](repeating: 0, count: 6)
        for i in 0..<6 {
            // force-unwrap-ok: the scan above returned unless bytes 1...12 were all hex digits
            bytes[i] = HexCoding.nibble(buffer[1 + 2 * i])! << 4 | HexCoding.nibble(buffer[2 + 2 * i])!
        }
        let checksum = bytes[0] ^ bytes[1] ^ bytes[2] ^ bytes[3] ^ bytes[4]
        buffer.consume(frameLength)
        guard checksum == bytes[5] else { return .dropped(.badChecksum, byteCount: frameLength) }
        return .frame(.tag(TagObservation(technology: .em4100, id: TagID(bytes: bytes[0..<5]))))
    }
}
