import TagwayModel
import TagwayDecoders

/// A Magic RF M100 / YRM100 UHF module: answers a single inventory (0x22) with one notification
/// per tag in the field, or the no-tag error response, and Get Module Info (0x03) with its
/// version strings. Other commands get no answer, as a module ignores what it does not parse.
///
/// Host bytes may arrive in any chunking; partial commands wait for the rest, and bytes that
/// cannot start a command are skipped the way the module's UART parser does.
public struct M100Emulator: ReaderEmulator {
    private var input: [UInt8] = []
    /// A command longer than this is not one the module knows; its bytes are skipped.
    static let maximumCommandLength = 64

    public init() {}

    public mutating func unsolicited(field: [FieldTag], now: Timestamp) -> [UInt8] { [] }

    public mutating func respond(to bytes: [UInt8], field: [FieldTag], now: Timestamp) -> [UInt8] {
        input += bytes
        var out: [UInt8] = []
        while let command = nextCommand() {
            out += answer(command, field: field)
        }
        return out
    }

    /// The next complete, valid host command (code, params), consuming its bytes.
    mutating func nextCommand() -> (code: UInt8, params: [UInt8])? {
        while true {
            guard let start = input.firstIndex(of: M100Frame.header) else {
                input.removeAll()
                return nil
            }
            input.removeFirst(start)
            guard input.count >= 5 else { return nil }
            let parameterLength = Int(input[3]) << 8 | Int(input[4])
            let length = parameterLength + 7
            guard input[1] == M100Frame.FrameType.command.rawValue, length <= Self.maximumCommandLength else {
                input.removeFirst()
                continue
            }
            guard input.count >= length else { return nil }
            let valid = input[length - 1] == M100Frame.end
                && input[1..<(length - 2)].reduce(0, &+) == input[length - 2]
            guard valid else {
                input.removeFirst()
                continue
            }
            let command = (input[2], Array(input[5..<(5 + parameterLength)]))
            input.removeFirst(length)
            return command
        }
    }

    func answer(_ command: (code: UInt8, params: [UInt8]), field: [FieldTag]) -> [UInt8] {
        switch command.code {
        case M100Frame.Command.singleInventory:
            guard !field.isEmpty else { return M100Frame.noTagResponse }
            return field.flatMap(Self.notification(for:))
        case M100Frame.Command.moduleInfo:
            let kind = command.params.first ?? 0
            let text: String
            switch kind {
            case 0x00: text = "M100 V1.00"
            case 0x01: text = "V1.0.0"
            default: text = "MagicRF"
            }
            return M100Frame.frame(.response, M100Frame.Command.moduleInfo, [kind] + Array(text.utf8))
        default:
            return []
        }
    }

    /// The notification frame for one tag. The PC is the tag's own when given, else derived from
    /// the EPC length; an odd-length id is padded with a zero byte, as Gen2 EPCs are whole words.
    public static func notification(for tag: FieldTag) -> [UInt8] {
        var epc = tag.id.bytes
        if epc.count % 2 == 1 { epc.append(0) }
        let pc = tag.pc ?? UInt16(truncatingIfNeeded: epc.count / 2) << 11
        let rssi = Int8(clamping: tag.rssi)
        return M100Frame.inventoryNotification(epc: epc, pc: pc, rssi: rssi)
    }
}
