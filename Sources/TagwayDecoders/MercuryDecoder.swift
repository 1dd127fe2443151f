import TagwayModel

/// ThingMagic Mercury modules (M6e, M6e Nano, M7e) answering the gateway's polls, and streaming
/// in continuous-read mode (frame layout in `MercuryFrame`, record layouts in `MercuryTagRecords`).
///
/// FF starts a frame but is common inside data (metadata flags 0x01FF, EPCs), and there is no end
/// marker, so a failed CRC cannot say whether the frame was corrupted or never was one. The
/// decoder therefore drops only up to the next FF inside the failed span and tries again from
/// there: a real frame that follows a cut-short one is never swallowed with it.
///
/// Output: Read Tag ID Single (0x21), streamed Read Tag ID Multiple (0x22) and Get Tag Buffer
/// (0x29) records → `.tag` (several per Get Tag Buffer answer); status 0x0400 → `status no-tag`;
/// other non-zero status → `status error <op>:<status>`; anything else →
/// `status response <op>[:<data>]`.
public struct MercuryDecoder: ReaderDecoder {
    /// `FF LEN op status(2) data(LEN ≤ 255) CRC(2)`.
    public var maximumFrameLength: Int { 255 + 7 }

    /// Further records of a multi-tag answer, handed out one per step.
    private var pending: [ReaderFrame] = []
    private var pendingIndex = 0

    public init() {}

    public mutating func decodeStep(_ buffer: inout ByteWindow) -> DecodeStep? {
        if pendingIndex < pending.count {
            defer {
                pendingIndex += 1
                if pendingIndex == pending.count { reset() }
            }
            return .frame(pending[pendingIndex])
        }
        guard !buffer.isEmpty else { return nil }
        let header = MercuryFrame.header
        guard buffer[0] == header else { return dropGarbage(&buffer, upTo: header, from: 0) }
        guard buffer.count >= 2 else { return nil }
        let dataLength = Int(buffer[1])
        let length = dataLength + 7
        guard buffer.count >= length else { return nil }

        var crc: UInt16 = 0xFFFF
        for offset in 1..<(length - 2) { crc = CRC16.updateAugmented(crc, buffer[offset]) }
        guard crc == buffer.uint16(at: length - 2) else {
            let next = buffer.firstIndex(of: header, from: 1, to: length) ?? length
            buffer.consume(next)
            return .dropped(.badChecksum, byteCount: next)
        }
        let step = interpret(buffer, dataLength: dataLength, frameLength: length)
        buffer.consume(length)
        return step
    }

    /// Forgets queued records, as after a reconnect.
    public mutating func reset() {
        pending.removeAll(keepingCapacity: true)
        pendingIndex = 0
    }

    /// The meaning of a CRC-checked response at the front of `buffer`.
    mutating func interpret(_ buffer: ByteWindow, dataLength: Int, frameLength: Int) -> DecodeStep {
        let opcode = buffer[2]
        let status = buffer.uint16(at: 3)
        let dataEnd = 5 + dataLength
        if status == MercuryFrame.Status.noTagsFound {
            return .frame(.status(ReaderStatus(code: "no-tag")))
        }
        guard status == MercuryFrame.Status.success else {
            let detail = HexCoding.encode([opcode]) + ":" + HexCoding.encode([UInt8(status >> 8), UInt8(status & 0xFF)])
            return .frame(.status(ReaderStatus(code: "error", detail: detail)))
        }
        switch opcode {
        case MercuryFrame.Opcode.readTagIDSingle:
            guard let frame = MercuryTagRecords.singleRecord(buffer, start: 5, end: dataEnd) else {
                return .dropped(.malformed, byteCount: frameLength)
            }
            return .frame(frame)
        case MercuryFrame.Opcode.getTagBuffer:
            // Metadata flags(2), read options(1), tag count(1), records.
            guard dataLength >= 4 else { return .dropped(.malformed, byteCount: frameLength) }
            return records(buffer, flagsAt: 5, countAt: 8, end: dataEnd, frameLength: frameLength)
        case MercuryFrame.Opcode.readTagIDMultiple
            where dataLength > 6 && buffer[5] & MercuryFrame.metadataOption != 0 && buffer[10] == 1:
            // Streaming: option(1), search flags(2), metadata flags(2), one record.
            let step = records(buffer, flagsAt: 8, countAt: 10, end: dataEnd, frameLength: frameLength)
            if case .frame = step { return step }
            return response(buffer, opcode: opcode, dataLength: dataLength)
        default:
            return response(buffer, opcode: opcode, dataLength: dataLength)
        }
    }

    func response(_ buffer: ByteWindow, opcode: UInt8, dataLength: Int) -> DecodeStep {
        var detail = HexCoding.encode([opcode])
        if dataLength > 0 { detail += ":" + buffer.hex(5, dataLength) }
        return .frame(.status(ReaderStatus(code: "response", detail: detail)))
    }

    /// `count` buffered-read records after the flags; the first is returned, the rest queued.
    mutating func records(_ buffer: ByteWindow, flagsAt: Int, countAt: Int, end: Int, frameLength: Int) -> DecodeStep {
        let flags = MercuryFrame.Metadata(rawValue: buffer.uint16(at: flagsAt))
        guard MercuryFrame.Metadata.understood.isSuperset(of: flags) else {
            return .frame(MercuryTagRecords.unsupportedMetadata(flags))
        }
        let count = Int(buffer[countAt])
        guard count > 0 else { return .frame(.status(ReaderStatus(code: "no-tag"))) }
        var offset = countAt + 1
        guard let first = MercuryTagRecords.bufferRecord(buffer, flags: flags, offset: &offset, end: end) else {
            return .dropped(.malformed, byteCount: frameLength)
        }
        if count > 1 {
            reset()
            for _ in 1..<count {
                guard let next = MercuryTagRecords.bufferRecord(buffer, flags: flags, offset: &offset, end: end) else {
                    reset()
                    return .dropped(.malformed, byteCount: frameLength)
                }
                pending.append(next)
            }
        }
        guard offset == end else {
            reset()
            return .dropped(.malformed, byteCount: frameLength)
        }
        return .frame(first)
    }
}
