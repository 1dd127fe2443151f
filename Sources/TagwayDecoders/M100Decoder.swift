import TagwayModel

/// Magic RF M100 / YRM100 / JRD-100 UHF modules (frame layout in `M100Frame`).
///
/// The start byte BB and the end byte 7E can both occur inside parameters, so neither alone
/// frames the stream: a frame is accepted only when its declared length lands on a 7E and the
/// checksum matches, and an inventory notification additionally when the tag's CRC-16/GENIBUS
/// over PC + EPC matches (the module forwards what it heard; a collided reply would otherwise
/// become a phantom asset).
///
/// Notifications become `.tag` with the RSSI as the signed dBm byte the vendor documents
/// (0xC9 = -55 dBm) and no antenna: the module has one port, the gateway maps the reader to its
/// read point. Responses become `.status`: `no-tag` for error 0x15, `error <code>` for other
/// error responses, `response <cmd>[:<params>]` otherwise.
public struct M100Decoder: ReaderDecoder {
    /// Longest parameter field accepted: a 496-bit EPC read with user memory fits with room to
    /// spare; a larger PL is far more likely line noise than a frame worth waiting for.
    public static let maximumParameterLength = 256

    public var maximumFrameLength: Int { Self.maximumParameterLength + 7 }

    public init() {}

    public mutating func decodeStep(_ buffer: inout ByteWindow) -> DecodeStep? {
        guard !buffer.isEmpty else { return nil }
        let header = M100Frame.header
        guard buffer[0] == header else { return dropGarbage(&buffer, upTo: header, from: 0) }
        guard buffer.count >= 5 else { return nil }
        guard buffer[1] <= M100Frame.FrameType.notification.rawValue else {
            return dropGarbage(&buffer, upTo: header)
        }
        let parameterLength = Int(buffer.uint16(at: 3))
        guard parameterLength <= Self.maximumParameterLength else {
            // Drop only the header that claims the length; what follows is looked at afresh.
            let next = buffer.firstIndex(of: header, from: 1, to: 5) ?? 5
            buffer.consume(next)
            return .dropped(.overlong, byteCount: next)
        }
        let length = parameterLength + 7
        guard buffer.count >= length else { return nil }
        guard buffer[length - 1] == M100Frame.end else {
            // A new frame started inside this one: the earlier one was cut short.
            if let next = buffer.firstIndex(of: header, from: 1, to: length) {
                buffer.consume(next)
                return .dropped(.truncated, byteCount: next)
            }
            return dropGarbage(&buffer, upTo: header)
        }
        guard buffer.byteSum(1, length - 3) == buffer[length - 2] else {
            // Never swallow a frame that may start inside this one.
            let next = buffer.firstIndex(of: header, from: 1, to: length) ?? length
            buffer.consume(next)
            return .dropped(.badChecksum, byteCount: next)
        }
        let step = interpret(buffer, parameterLength: parameterLength, frameLength: length)
        buffer.consume(length)
        return step
    }

    /// The meaning of a framed, checksummed message at the front of `buffer`.
    func interpret(_ buffer: ByteWindow, parameterLength: Int, frameLength: Int) -> DecodeStep {
        let command = buffer[2]
        switch M100Frame.FrameType(rawValue: buffer[1]) {
        case .notification where command == M100Frame.Command.singleInventory
            || command == M100Frame.Command.multipleInventory:
            return inventory(buffer, parameterLength: parameterLength, frameLength: frameLength)
        case .response where command == M100Frame.Command.error:
            guard parameterLength >= 1 else { return .dropped(.malformed, byteCount: frameLength) }
            let code = buffer[5]
            if code == M100Frame.noTagError { return .frame(.status(ReaderStatus(code: "no-tag"))) }
            return .frame(.status(ReaderStatus(code: "error", detail: HexCoding.encode([code]))))
        case .response, .notification:
            var detail = HexCoding.encode([command])
            if parameterLength > 0 { detail += ":" + buffer.hex(5, parameterLength) }
            return .frame(.status(ReaderStatus(code: buffer[1] == 1 ? "response" : "notification", detail: detail)))
        case .command, nil:
            // A host command read back (a looped-back or echoing port), not the reader talking.
            return .dropped(.malformed, byteCount: frameLength)
        }
    }

    /// RSSI(1) PC(2) EPC(2 × PC length field) CRC(2).
    func inventory(_ buffer: ByteWindow, parameterLength: Int, frameLength: Int) -> DecodeStep {
        guard parameterLength >= 5 else { return .dropped(.malformed, byteCount: frameLength) }
        let pc = buffer.uint16(at: 6)
        let epcLength = Int(pc >> 11) * 2
        guard epcLength > 0, parameterLength == 5 + epcLength else {
            return .dropped(.malformed, byteCount: frameLength)
        }
        var crc: UInt16 = 0xFFFF
        for offset in 6..<(8 + epcLength) { crc = CRC16.update(crc, buffer[offset]) }
        guard crc ^ 0xFFFF == buffer.uint16(at: 8 + epcLength) else {
            return .dropped(.badChecksum, byteCount: frameLength)
        }
        let rssi = Int(Int8(bitPattern: buffer[5]))
        let id = TagID(bytes: buffer.slice(8, epcLength))
        return .frame(.tag(TagObservation(technology: .epcGen2, id: id, antenna: nil, rssi: rssi, pc: pc)))
    }
}
