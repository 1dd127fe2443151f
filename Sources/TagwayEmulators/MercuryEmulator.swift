import TagwayModel
import TagwayDecoders

/// A ThingMagic M6e Nano on its serial port: answers Get Version, Set Tag Protocol and Read Tag
/// ID Single (0x21: the first tag in the field with the metadata asked for, or status 0x0400 "no
/// tags found"); any other opcode gets status 0x0101 "invalid opcode", as the module does.
///
/// Host bytes may arrive in any chunking; frames with a bad CRC are skipped byte by byte, the way
/// the module resynchronises on the next FF.
public struct MercuryEmulator: ReaderEmulator {
    private var input: [UInt8] = []

    public init() {}

    public mutating func unsolicited(field: [FieldTag], now: Timestamp) -> [UInt8] { [] }

    public mutating func respond(to bytes: [UInt8], field: [FieldTag], now: Timestamp) -> [UInt8] {
        input += bytes
        var out: [UInt8] = []
        while let command = nextCommand() {
            out += answer(command.opcode, command.data, field: field, now: now)
        }
        return out
    }

    /// The next complete host command with a valid CRC, consuming its bytes.
    mutating func nextCommand() -> (opcode: UInt8, data: [UInt8])? {
        while true {
            guard let start = input.firstIndex(of: MercuryFrame.header) else {
                input.removeAll()
                return nil
            }
            input.removeFirst(start)
            guard input.count >= 2 else { return nil }
            let length = Int(input[1]) + 5
            guard input.count >= length else { return nil }
            let crc = CRC16.mercury(input[1..<(length - 2)])
            guard crc == UInt16(input[length - 2]) << 8 | UInt16(input[length - 1]) else {
                input.removeFirst()
                continue
            }
            let command = (input[2], Array(input[3..<(length - 2)]))
            input.removeFirst(length)
            return command
        }
    }

    func answer(_ opcode: UInt8, _ data: [UInt8], field: [FieldTag], now: Timestamp) -> [UInt8] {
        switch opcode {
        case MercuryFrame.Opcode.version:
            return MercuryFrame.response(opcode, Self.version)
        case MercuryFrame.Opcode.setTagProtocol:
            return MercuryFrame.response(opcode)
        case MercuryFrame.Opcode.readTagIDSingle:
            guard data.count >= 3 else {
                return MercuryFrame.response(opcode, status: MercuryFrame.Status.invalidParameter)
            }
            let option = data[2]
            var metadata = MercuryFrame.Metadata()
            if option & MercuryFrame.metadataOption != 0 {
                guard data.count >= 5 else {
                    return MercuryFrame.response(opcode, status: MercuryFrame.Status.invalidParameter)
                }
                metadata = MercuryFrame.Metadata(rawValue: UInt16(data[3]) << 8 | UInt16(data[4]))
                guard MercuryFrame.Metadata.understood.isSuperset(of: metadata) else {
                    return MercuryFrame.response(opcode, status: MercuryFrame.Status.invalidParameter)
                }
            }
            guard let tag = field.first else {
                return MercuryFrame.response(opcode, status: MercuryFrame.Status.noTagsFound)
            }
            return Self.readTagSingleResponse(tag, option: option, metadata: metadata, now: now)
        default:
            return MercuryFrame.response(opcode, status: MercuryFrame.Status.invalidOpcode)
        }
    }

    /// Bootloader, hardware, firmware date, firmware version, supported protocols (Gen2 only).
    static let version: [UInt8] = [
        0x14, 0x12, 0x08, 0x00, 0x30, 0x00, 0x00, 0x02, 0x20, 0x24, 0x01, 0x15,
        0x01, 0x0B, 0x02, 0x00, 0x00, 0x00, 0x00, 0x10,
    ]

    /// The Read Tag ID Single answer for `tag`: option echoed, metadata flags and fields when the
    /// option asks for them, EPC (whole words), and the Gen2 CRC over PC + EPC.
    public static func readTagSingleResponse(
        _ tag: FieldTag, option: UInt8, metadata: MercuryFrame.Metadata, now: Timestamp
    ) -> [UInt8] {
        var epc = tag.id.bytes
        if epc.count % 2 == 1 { epc.append(0) }
        let pc = tag.pc ?? UInt16(truncatingIfNeeded: epc.count / 2) << 11
        var data: [UInt8] = [option]
        if option & MercuryFrame.metadataOption != 0 {
            data += [UInt8(metadata.rawValue >> 8), UInt8(metadata.rawValue & 0xFF)]
            data += fields(metadata, tag: tag, now: now)
        }
        data += epc
        let crc = CRC16.gen2(pcAndEPC: [UInt8(pc >> 8), UInt8(pc & 0xFF)] + epc)
        data += [UInt8(crc >> 8), UInt8(crc & 0xFF)]
        return MercuryFrame.response(MercuryFrame.Opcode.readTagIDSingle, data)
    }

    /// Metadata fields in flag order, with the values a single read on one antenna produces.
    static func fields(_ metadata: MercuryFrame.Metadata, tag: FieldTag, now: Timestamp) -> [UInt8] {
        var out: [UInt8] = []
        if metadata.contains(.readCount) { out.append(1) }
        if metadata.contains(.rssi) { out.append(UInt8(bitPattern: Int8(clamping: tag.rssi))) }
        if metadata.contains(.antenna) {
            let port = UInt8(truncatingIfNeeded: tag.antenna) & 0x0F
            out.append(port << 4 | port)
        }
        if metadata.contains(.frequency) { out += [0x0D, 0xF7, 0x32] }  // 915 250 kHz
        if metadata.contains(.timestamp) {
            let ms = UInt32(truncatingIfNeeded: now.milliseconds)
            out += [UInt8(ms >> 24), UInt8((ms >> 16) & 0xFF), UInt8((ms >> 8) & 0xFF), UInt8(ms & 0xFF)]
        }
        if metadata.contains(.phase) { out += [0x00, 0x00] }
        if metadata.contains(.protocolID) { out.append(MercuryFrame.gen2ProtocolID) }
        if metadata.contains(.data) { out += [0x00, 0x00] }
        if metadata.contains(.gpio) { out.append(0x00) }
        if metadata.contains(.gen2Q) { out.append(0x00) }
        if metadata.contains(.gen2LinkFrequency) { out.append(0x00) }
        if metadata.contains(.gen2Target) { out.append(0x00) }
        return out
    }
}
