import TagwayModel

/// Frames of the ThingMagic Mercury embedded-module serial protocol (M6e, M6e Nano, M7e):
/// host `FF LEN opcode data CRC(2)`, module `FF LEN opcode status(2) data CRC(2)`; LEN counts the
/// data bytes only, the CRC (big-endian) covers LEN through the data (`CRC16.mercury`).
public enum MercuryFrame {
    public static let header: UInt8 = 0xFF

    public enum Opcode {
        public static let version: UInt8 = 0x03
        public static let readTagIDSingle: UInt8 = 0x21
        public static let readTagIDMultiple: UInt8 = 0x22
        public static let getTagBuffer: UInt8 = 0x29
        public static let multiProtocolTagOp: UInt8 = 0x2F
        public static let setTagProtocol: UInt8 = 0x93
    }

    /// Status words the gateway tells apart.
    public enum Status {
        public static let success: UInt16 = 0x0000
        public static let invalidOpcode: UInt16 = 0x0101
        public static let invalidParameter: UInt16 = 0x0105
        public static let noTagsFound: UInt16 = 0x0400
    }

    /// Which per-read values a tag record carries (`TMR_TRD_MetadataFlag`); the fields follow in
    /// this bit order. Readers echo the flags in their answer, so records parse without knowing
    /// what was asked.
    public struct Metadata: OptionSet, Sendable, Hashable {
        public let rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        public static let readCount = Metadata(rawValue: 0x0001)       // 1 byte
        public static let rssi = Metadata(rawValue: 0x0002)            // 1 byte, signed dBm
        public static let antenna = Metadata(rawValue: 0x0004)         // 1 byte, TX port << 4 | RX port
        public static let frequency = Metadata(rawValue: 0x0008)       // 3 bytes, kHz
        public static let timestamp = Metadata(rawValue: 0x0010)       // 4 bytes, ms
        public static let phase = Metadata(rawValue: 0x0020)           // 2 bytes
        public static let protocolID = Metadata(rawValue: 0x0040)      // 1 byte, 5 = Gen2
        public static let data = Metadata(rawValue: 0x0080)            // 2-byte bit count + data
        public static let gpio = Metadata(rawValue: 0x0100)            // 1 byte
        public static let gen2Q = Metadata(rawValue: 0x0200)           // 1 byte
        public static let gen2LinkFrequency = Metadata(rawValue: 0x0400) // 1 byte
        public static let gen2Target = Metadata(rawValue: 0x0800)      // 1 byte

        /// Every flag whose field size is known; records with other flags cannot be walked.
        public static let understood = Metadata(rawValue: 0x0FFF)
    }

    /// Singulation option bit: metadata flags follow the option byte (request and answer).
    public static let metadataOption: UInt8 = 0x10
    /// `TMR_TAG_PROTOCOL_GEN2`.
    public static let gen2ProtocolID: UInt8 = 0x05

    /// A host command.
    public static func command(_ opcode: UInt8, _ data: [UInt8] = []) -> [UInt8] {
        precondition(data.count <= 0xFF, "Mercury frames carry at most 255 data bytes")
        var out: [UInt8] = [header, UInt8(data.count), opcode]
        out += data
        return appendingCRC(out)
    }

    /// A module response.
    public static func response(_ opcode: UInt8, status: UInt16 = Status.success, _ data: [UInt8] = []) -> [UInt8] {
        precondition(data.count <= 0xFF, "Mercury frames carry at most 255 data bytes")
        var out: [UInt8] = [header, UInt8(data.count), opcode, UInt8(status >> 8), UInt8(status & 0xFF)]
        out += data
        return appendingCRC(out)
    }

    static func appendingCRC(_ frame: [UInt8]) -> [UInt8] {
        let crc = CRC16.mercury(frame[1...])
        return frame + [UInt8(crc >> 8), UInt8(crc & 0xFF)]
    }

    /// `FF 00 03 1D 0C`.
    public static let getVersion = command(Opcode.version)

    /// Set Tag Protocol to Gen2; a module fresh from its bootloader may have none selected.
    public static let setGen2Protocol = command(Opcode.setTagProtocol, [0x00, gen2ProtocolID])

    /// Read Tag ID Single: search up to `timeoutMs` for one tag, answer with its EPC and the
    /// requested metadata (option 0x10, no select filter).
    public static func readTagSingle(timeoutMs: UInt16, metadata: Metadata = [.rssi, .antenna]) -> [UInt8] {
        var data: [UInt8] = [UInt8(timeoutMs >> 8), UInt8(timeoutMs & 0xFF)]
        if metadata.isEmpty {
            data.append(0x00)
        } else {
            data += [metadataOption, UInt8(metadata.rawValue >> 8), UInt8(metadata.rawValue & 0xFF)]
        }
        return command(Opcode.readTagIDSingle, data)
    }

    /// Get Version and select Gen2 once, then Read Tag ID Single (with `readTimeoutMs`, default
    /// 100 ms, RSSI and antenna) every `pollIntervalMs` (default 200 ms; it must exceed the read
    /// timeout or polls queue up behind the module's search).
    public static func pollingPlan(_ options: ProtocolOptions) throws(ProtocolOptionError) -> PollingPlan {
        let interval = try options.pollInterval(default: 200)
        let timeout = try options.integer("readTimeoutMs", default: 100, in: 10...65_535)
        guard Int64(timeout) < interval.wholeMilliseconds else {
            throw ProtocolOptionError(
                key: "readTimeoutMs", value: String(timeout),
                expected: "less than pollIntervalMs (\(interval.wholeMilliseconds))")
        }
        return PollingPlan(
            startup: [getVersion, setGen2Protocol],
            poll: readTagSingle(timeoutMs: UInt16(timeout)),
            interval: interval)
    }
}
