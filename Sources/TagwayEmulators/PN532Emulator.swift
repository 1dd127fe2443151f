import TagwayModel
import TagwayDecoders

/// An NXP PN532 on HSU: ACKs every well-formed host command, then answers SAMConfiguration,
/// RFConfiguration, GetFirmwareVersion and InListPassiveTarget (type A, up to two cards from the
/// field, or NbTg 0 as when its retry limit runs out with no card). Unknown commands get the
/// application-level error frame; a NACK from the host repeats the last answer.
///
/// The wake-up preamble (0x55, zeros) and any other bytes before a start code are skipped.
public struct PN532Emulator: ReaderEmulator {
    private var input: [UInt8] = []
    private var lastAnswer: [UInt8] = []
    static let maximumCommandLength = 270

    public init() {}

    public mutating func unsolicited(field: [FieldTag], now: Timestamp) -> [UInt8] { [] }

    public mutating func respond(to bytes: [UInt8], field: [FieldTag], now: Timestamp) -> [UInt8] {
        input += bytes
        var out: [UInt8] = []
        while let frame = nextFrame() {
            switch frame {
            case .ack:
                break
            case .nack:
                out += lastAnswer
            case .command(let code, let params):
                lastAnswer = answer(code, params, field: field)
                out += PN532Frame.ack + lastAnswer
            }
        }
        return out
    }

    enum HostFrame {
        case ack, nack
        case command(UInt8, [UInt8])
    }

    /// The next complete host frame, consuming it; bytes that cannot be one are skipped.
    mutating func nextFrame() -> HostFrame? {
        while true {
            guard let start = startCode() else {
                // Keep a trailing 00: it may be the first half of the next start code.
                input = input.last == 0x00 ? [0x00] : []
                return nil
            }
            input.removeFirst(start)
            guard input.count >= 4 else { return nil }
            let length = input[2], check = input[3]
            if length == 0x00 && check == 0xFF { input.removeFirst(4); return .ack }
            if length == 0xFF && check == 0x00 { input.removeFirst(4); return .nack }
            let total = Int(length) + 5
            guard length &+ check == 0, length >= 2, total <= Self.maximumCommandLength else {
                input.removeFirst(2)
                continue
            }
            guard input.count >= total else { return nil }
            let body = input[4..<(4 + Int(length))]
            guard body.first == PN532Frame.hostToPN532, body.reduce(input[4 + Int(length)], &+) == 0 else {
                input.removeFirst(2)
                continue
            }
            let code = body[body.startIndex + 1]
            let params = Array(body.dropFirst(2))
            input.removeFirst(total)
            return .command(code, params)
        }
    }

    /// The offset of the next `00 FF`.
    func startCode() -> Int? {
        var index = 0
        while index + 1 < input.count {
            if input[index] == 0x00 && input[index + 1] == 0xFF { return index }
            index += 1
        }
        return nil
    }

    func answer(_ code: UInt8, _ params: [UInt8], field: [FieldTag]) -> [UInt8] {
        switch code {
        case PN532Frame.Command.getFirmwareVersion:
            // IC PN532, firmware 1.6, supports ISO 14443-A, -B and ISO 18092.
            return PN532Frame.response(to: code, [0x32, 0x01, 0x06, 0x07])
        case PN532Frame.Command.samConfiguration, PN532Frame.Command.rfConfiguration:
            return PN532Frame.response(to: code)
        case PN532Frame.Command.inListPassiveTarget:
            let maxTargets = Int(params.first ?? 1)
            let typeA = params.count >= 2 && params[1] == 0x00
            guard typeA, (1...2).contains(maxTargets) else { return PN532Frame.errorFrame }
            return Self.inListResponse(uids: field.prefix(maxTargets).map(\.id))
        default:
            return PN532Frame.errorFrame
        }
    }

    /// InListPassiveTarget's answer for type A cards with these UIDs (none: NbTg 0). SENS_RES and
    /// SEL_RES follow the UID size as real cards do: 4 bytes MIFARE Classic 1K (00 04 / 08),
    /// 7 bytes Ultralight/NTAG (00 44 / 00), 10 bytes triple size (00 84 / 00).
    public static func inListResponse(uids: [TagID]) -> [UInt8] {
        var data: [UInt8] = [UInt8(uids.count)]
        for (index, uid) in uids.enumerated() {
            let bytes = uid.bytes
            let sensRes: UInt8, selRes: UInt8
            switch bytes.count {
            case 7: (sensRes, selRes) = (0x44, 0x00)
            case 10: (sensRes, selRes) = (0x84, 0x00)
            default: (sensRes, selRes) = (0x04, 0x08)
            }
            data += [UInt8(index + 1), 0x00, sensRes, selRes, UInt8(bytes.count)] + bytes
        }
        return PN532Frame.response(to: PN532Frame.Command.inListPassiveTarget, data)
    }
}
