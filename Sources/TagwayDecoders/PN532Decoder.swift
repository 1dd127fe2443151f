import TagwayModel

/// NXP PN532 NFC controllers on HSU (breakout boards, Elechouse/Adafruit modules) answering the
/// gateway's InListPassiveTarget polls (frame layout in `PN532Frame`).
///
/// The start code `00 FF` is two common byte values, so a frame is accepted only when both the
/// length checksum and the data checksum hold; zero runs (the preamble, idle line) are skipped.
/// Preamble and postamble are optional. A frame is handed up as soon as its checksum byte is in,
/// and the `00` after it is taken as its postamble only once the next byte shows it does not
/// start the next frame's start code: the answer to a poll is never held back waiting for a
/// byte that may not come, and back-to-back frames never lose a start code to a postamble.
///
/// Output: each listed 14443-A target → `.tag` with its UID; NbTg 0 → `status no-tag`;
/// ACK/NACK → `status ack`/`status nack`; the error frame → `status error 7F`; any other
/// response → `status response <cmd>[:<data>]`. A frame with the host's TFI D4 is a command read
/// back, not the reader: dropped as malformed.
public struct PN532Decoder: ReaderDecoder {
    /// Extended frames may carry more than the PN532's 264-byte buffer ever fills; anything
    /// longer is noise.
    public static let maximumExtendedLength = 300

    /// Preamble, start code, extended length field, TFI + data, DCS, and the two bytes looked at
    /// after a frame whose checksum failed.
    public var maximumFrameLength: Int { 1 + 2 + 5 + Self.maximumExtendedLength + 1 + 2 }

    /// The second target of a two-target answer, handed out on the next step.
    private var pending: ReaderFrame?
    /// A frame just ended: a following `00` not followed by FF is its postamble.
    private var postambleDue = false

    public init() {}

    public mutating func decodeStep(_ buffer: inout ByteWindow) -> DecodeStep? {
        if let next = pending {
            pending = nil
            return .frame(next)
        }
        if postambleDue {
            guard !buffer.isEmpty else { return nil }
            if buffer[0] == 0x00 {
                guard buffer.count >= 2 else { return nil }
                if buffer[1] != 0xFF { buffer.consume(1) }
            }
            postambleDue = false
        }
        guard !buffer.isEmpty else { return nil }
        guard buffer[0] == 0x00 else { return dropGarbage(&buffer, upTo: 0x00, from: 0) }

        // Zero run: at most a preamble and the start code's 00 precede FF.
        var zeros = 1
        while zeros < buffer.count, buffer[zeros] == 0x00 { zeros += 1 }
        if zeros > 2 {
            buffer.consume(zeros - 2)
            return .dropped(.garbage, byteCount: zeros - 2)
        }
        guard zeros < buffer.count else { return nil }
        guard buffer[zeros] == 0xFF else {
            buffer.consume(zeros)
            return .dropped(.garbage, byteCount: zeros)
        }
        let lengthIndex = zeros + 1
        guard buffer.count >= lengthIndex + 2 else { return nil }
        let length = buffer[lengthIndex], lengthCheck = buffer[lengthIndex + 1]

        if (length == 0x00 && lengthCheck == 0xFF) || (length == 0xFF && lengthCheck == 0x00) {
            buffer.consume(lengthIndex + 2)
            postambleDue = true
            return .frame(.status(ReaderStatus(code: length == 0 ? "ack" : "nack")))
        }

        let dataStart: Int, dataLength: Int
        if length == 0xFF && lengthCheck == 0xFF {
            guard buffer.count >= lengthIndex + 5 else { return nil }
            guard buffer.byteSum(lengthIndex + 2, 3) == 0 else { return dropStartCode(&buffer, zeros) }
            dataLength = Int(buffer.uint16(at: lengthIndex + 2))
            guard dataLength <= Self.maximumExtendedLength else {
                buffer.consume(lengthIndex + 5)
                return .dropped(.overlong, byteCount: lengthIndex + 5)
            }
            dataStart = lengthIndex + 5
        } else {
            guard length &+ lengthCheck == 0 else { return dropStartCode(&buffer, zeros) }
            dataLength = Int(length)
            dataStart = lengthIndex + 2
        }
        // LEN 0 with LCS 0 passes the length check but cannot hold a TFI.
        guard dataLength > 0 else { return dropStartCode(&buffer, zeros) }
        let checksumIndex = dataStart + dataLength
        guard buffer.count > checksumIndex else { return nil }
        let frameLength = checksumIndex + 1
        guard buffer.byteSum(dataStart, dataLength + 1) == 0 else {
            // A start code inside the span means this frame was cut short by the next one. The
            // next frame's preamble and start code may straddle the span's end, so look at the
            // two bytes after it as well (a failed frame is worth that wait; a good one is not).
            guard buffer.count > frameLength + 1 else { return nil }
            if let next = nextStartCode(buffer, from: zeros + 1, to: frameLength + 2) {
                buffer.consume(next)
                return .dropped(.truncated, byteCount: next)
            }
            buffer.consume(frameLength)
            postambleDue = true
            return .dropped(.badChecksum, byteCount: frameLength)
        }
        let step = interpret(buffer, dataStart: dataStart, dataLength: dataLength, frameLength: frameLength)
        buffer.consume(frameLength)
        postambleDue = true
        return step
    }

    /// Forgets a queued second target and a due postamble, as after a reconnect.
    public mutating func reset() {
        pending = nil
        postambleDue = false
    }

    /// The offset of the first `00 FF` lying in `from..<to`, with its preamble 00 if any.
    func nextStartCode(_ buffer: ByteWindow, from: Int, to: Int) -> Int? {
        var index = from
        while index + 1 < to {
            if buffer[index] == 0x00 && buffer[index + 1] == 0xFF {
                return index > from && buffer[index - 1] == 0x00 ? index - 1 : index
            }
            index += 1
        }
        return nil
    }

    /// `00 FF` followed by a length that fails its check: not a frame start.
    func dropStartCode(_ buffer: inout ByteWindow, _ zeros: Int) -> DecodeStep {
        buffer.consume(zeros + 1)
        return .dropped(.garbage, byteCount: zeros + 1)
    }

    /// The meaning of a checksummed frame whose TFI sits at `dataStart`.
    mutating func interpret(_ buffer: ByteWindow, dataStart: Int, dataLength: Int, frameLength: Int) -> DecodeStep {
        let tfi = buffer[dataStart]
        if tfi == PN532Frame.errorTFI, dataLength == 1 {
            return .frame(.status(ReaderStatus(code: "error", detail: "7F")))
        }
        guard tfi == PN532Frame.pn532ToHost, dataLength >= 2 else { return .dropped(.malformed, byteCount: frameLength) }
        let code = buffer[dataStart + 1]
        if code == PN532Frame.Command.inListPassiveTarget + 1 {
            return targets(buffer, from: dataStart + 2, end: dataStart + dataLength, frameLength: frameLength)
        }
        var detail = HexCoding.encode([code])
        if dataLength > 2 { detail += ":" + buffer.hex(dataStart + 2, dataLength - 2) }
        return .frame(.status(ReaderStatus(code: "response", detail: detail)))
    }

    /// InListPassiveTarget's answer for 106 kbps type A: NbTg, then per target
    /// Tg SENS_RES(2) SEL_RES NFCIDLength NFCID [ATS, length-prefixed, when SEL_RES says ISO 14443-4].
    mutating func targets(_ buffer: ByteWindow, from start: Int, end: Int, frameLength: Int) -> DecodeStep {
        guard start < end else { return .dropped(.malformed, byteCount: frameLength) }
        let count = Int(buffer[start])
        guard count > 0 else { return .frame(.status(ReaderStatus(code: "no-tag"))) }
        guard count <= 2 else { return .dropped(.malformed, byteCount: frameLength) }
        var first: ReaderFrame?, second: ReaderFrame?
        var offset = start + 1
        for index in 0..<count {
            guard offset + 5 <= end else { return .dropped(.malformed, byteCount: frameLength) }
            let selRes = buffer[offset + 3]
            let uidLength = Int(buffer[offset + 4])
            offset += 5
            guard uidLength > 0, offset + uidLength <= end else { return .dropped(.malformed, byteCount: frameLength) }
            let uid = TagID(bytes: buffer.slice(offset, uidLength))
            offset += uidLength
            if selRes & 0x20 != 0, offset < end {
                let atsLength = Int(buffer[offset])
                guard atsLength > 0, offset + atsLength <= end else { return .dropped(.malformed, byteCount: frameLength) }
                offset += atsLength
            }
            let frame = ReaderFrame.tag(TagObservation(technology: .iso14443a, id: uid))
            if index == 0 { first = frame } else { second = frame }
        }
        guard offset == end, let first else { return .dropped(.malformed, byteCount: frameLength) }
        pending = second
        return .frame(first)
    }
}
