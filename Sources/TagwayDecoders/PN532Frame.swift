/// Frames of the NXP PN532 host interface as spoken over HSU (high-speed UART):
/// `00 00 FF LEN LCS TFI PD0..PDn DCS 00` with LEN + LCS ≡ 0 and TFI + PD + DCS ≡ 0 (mod 256),
/// TFI D4 host → PN532 and D5 PN532 → host; extended frames put `FF FF LENM LENL LCS` after the
/// start code. ACK is `00 00 FF 00 FF 00`, NACK `00 00 FF FF 00 00`.
public enum PN532Frame {
    public static let hostToPN532: UInt8 = 0xD4
    public static let pn532ToHost: UInt8 = 0xD5
    /// TFI of the application-level error frame `00 00 FF 01 FF 7F 81 00`.
    public static let errorTFI: UInt8 = 0x7F

    public enum Command {
        public static let getFirmwareVersion: UInt8 = 0x02
        public static let samConfiguration: UInt8 = 0x14
        public static let rfConfiguration: UInt8 = 0x32
        public static let inListPassiveTarget: UInt8 = 0x4A
    }

    public static let ack: [UInt8] = [0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00]
    public static let nack: [UInt8] = [0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00]
    public static let errorFrame: [UInt8] = [0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00]

    /// An information frame around `TFI + payload`; extended framing when it exceeds 255 bytes.
    public static func information(tfi: UInt8, _ payload: [UInt8]) -> [UInt8] {
        let length = payload.count + 1
        precondition(length <= 0xFFFF, "PN532 frames carry at most 65535 bytes")
        var out: [UInt8] = [0x00, 0x00, 0xFF]
        if length <= 0xFF {
            out += [UInt8(length), UInt8(truncatingIfNeeded: 0x100 - length)]
        } else {
            let high = UInt8(length >> 8), low = UInt8(length & 0xFF)
            out += [0xFF, 0xFF, high, low, 0 &- (high &+ low)]
        }
        out.append(tfi)
        out += payload
        let sum = payload.reduce(tfi, &+)
        out += [0 &- sum, 0x00]
        return out
    }

    /// A host command: `D4 command params` framed.
    public static func command(_ code: UInt8, _ params: [UInt8] = []) -> [UInt8] {
        information(tfi: hostToPN532, [code] + params)
    }

    /// A PN532 response: `D5 (command + 1) data` framed.
    public static func response(to code: UInt8, _ data: [UInt8] = []) -> [UInt8] {
        information(tfi: pn532ToHost, [code &+ 1] + data)
    }

    /// HSU wake-up: the PN532 sleeps after power-on and needs a long preamble (0x55 then zeros)
    /// before it listens to the first command.
    public static let wakeUp: [UInt8] = [0x55, 0x55] + [UInt8](repeating: 0x00, count: 14)

    /// SAMConfiguration normal mode (no secure module), timeout 0x14 × 50 ms, IRQ on.
    public static let samNormalMode = command(Command.samConfiguration, [0x01, 0x14, 0x01])

    /// RFConfiguration MaxRetries: ATR 0xFF, PSL 0x01, passive activation 0x01. Without it an
    /// InListPassiveTarget with no card in the field never answers, and the poll loop stalls.
    public static let limitPassiveRetries = command(Command.rfConfiguration, [0x05, 0xFF, 0x01, 0x01])

    /// InListPassiveTarget for one 106 kbps type A target (MIFARE, NTAG, ISO 14443-4 A cards).
    public static let listOneTypeA = command(Command.inListPassiveTarget, [0x01, 0x00])

    /// Wake, configure, then list one type A target every `pollIntervalMs` (default 200 ms: a
    /// card is presented by hand and stays for a second or more).
    public static func pollingPlan(_ options: ProtocolOptions) throws(ProtocolOptionError) -> PollingPlan {
        PollingPlan(
            startup: [wakeUp, samNormalMode, limitPassiveRetries],
            poll: listOneTypeA,
            interval: try options.pollInterval(default: 200))
    }
}
