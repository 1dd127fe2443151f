/// Frames of the Magic RF M100 serial protocol (also YRM100, JRD-100 and their clones):
/// `BB type cmd PL(2, big-endian) params checksum 7E`, checksum = low byte of the sum of type
/// through the last parameter. Type 00 is host → reader, 01 a response, 02 a notification.
///
/// The builders serve the polling plan, the emulator and the tests, so all three agree on bytes.
public enum M100Frame {
    public static let header: UInt8 = 0xBB
    public static let end: UInt8 = 0x7E

    public enum FrameType: UInt8, Sendable {
        case command = 0x00
        case response = 0x01
        case notification = 0x02
    }

    /// Command codes the gateway and the emulator use.
    public enum Command {
        public static let moduleInfo: UInt8 = 0x03
        public static let singleInventory: UInt8 = 0x22
        public static let multipleInventory: UInt8 = 0x27
        public static let stopMultipleInventory: UInt8 = 0x28
        /// The code of every error response; its one parameter is the error code.
        public static let error: UInt8 = 0xFF
    }

    /// Error code of the "no tag answered this inventory round" response.
    public static let noTagError: UInt8 = 0x15

    /// One frame of any type. Parameters longer than 65535 bytes cannot be framed.
    public static func frame(_ type: FrameType, _ command: UInt8, _ params: [UInt8] = []) -> [UInt8] {
        precondition(params.count <= 0xFFFF, "M100 parameters are at most 65535 bytes")
        var out: [UInt8] = [header, type.rawValue, command, UInt8(params.count >> 8), UInt8(params.count & 0xFF)]
        out += params
        out.append(out[1...].reduce(0, &+))
        out.append(end)
        return out
    }

    /// `BB 00 22 00 00 22 7E`: one inventory round; the reader answers with one notification per
    /// tag it singulated, or the no-tag error response.
    public static let singleInventory = frame(.command, Command.singleInventory)
    /// Module info, hardware version (parameter 0x00): read-only, answered with a version string.
    public static let hardwareVersionQuery = frame(.command, Command.moduleInfo, [0x00])

    /// `BB 01 FF 00 01 15 16 7E`.
    public static let noTagResponse = frame(.response, Command.error, [noTagError])

    /// The inventory notification for one tag: RSSI (signed dBm), PC, EPC, and the Gen2 CRC the
    /// tag backscattered (CRC-16/GENIBUS over PC + EPC).
    public static func inventoryNotification(epc: [UInt8], pc: UInt16, rssi: Int8) -> [UInt8] {
        var params: [UInt8] = [UInt8(bitPattern: rssi), UInt8(pc >> 8), UInt8(pc & 0xFF)]
        params += epc
        let crc = CRC16.gen2(pcAndEPC: params[1...])
        params += [UInt8(crc >> 8), UInt8(crc & 0xFF)]
        return frame(.notification, Command.singleInventory, params)
    }

    /// Single inventory every `pollIntervalMs` (default 100 ms: a door read point must see a tag
    /// carried past at walking speed several times).
    public static func pollingPlan(_ options: ProtocolOptions) throws(ProtocolOptionError) -> PollingPlan {
        PollingPlan(poll: singleInventory, interval: try options.pollInterval(default: 100))
    }
}
