import TagwayModel

/// The tag-read layouts inside Mercury answers, walked in place in the frame.
///
/// Field order and sizes follow the Mercury API's `TMR_SR_parseMetadataFromMessage` and the
/// embedded-module developer's guide: metadata fields in flag-bit order, then for buffered and
/// streamed reads the EPC length in bits (PC + EPC + tag CRC), the PC word (plus XPC words when the
/// PC's XI bit says so), the EPC and the tag CRC. Read Tag ID Single answers carry the EPC and tag
/// CRC without a PC. The module reports only replies whose CRC it verified on the air and the
/// message CRC protects them on the wire, so the tag CRC is not checked again (a Read Tag ID Single
/// answer lacks the PC it covers anyway).
enum MercuryTagRecords {
    /// The per-read values the gateway keeps; the others are walked over.
    struct ReadMetadata {
        var rssi: Int?
        var antenna: Int?
        var protocolID: UInt8?
    }

    /// Walks the metadata fields `flags` announce from `offset`; nil when they run past `end`.
    /// Callers have already refused flags outside `MercuryFrame.Metadata.understood`.
    static func metadata(_ buffer: ByteWindow, flags: MercuryFrame.Metadata, offset: inout Int, end: Int) -> ReadMetadata? {
        var result = ReadMetadata()
        var index = offset
        var overran = false
        /// Claims `size` bytes for the next field; nil (and `overran`) when they are not there.
        func field(_ size: Int) -> Int? {
            guard index + size <= end else {
                overran = true
                return nil
            }
            defer { index += size }
            return index
        }
        if flags.contains(.readCount) { _ = field(1) }
        if flags.contains(.rssi), let at = field(1) { result.rssi = Int(Int8(bitPattern: buffer[at])) }
        if flags.contains(.antenna), let at = field(1) { result.antenna = antennaPort(buffer[at]) }
        if flags.contains(.frequency) { _ = field(3) }
        if flags.contains(.timestamp) { _ = field(4) }
        if flags.contains(.phase) { _ = field(2) }
        if flags.contains(.protocolID), let at = field(1) { result.protocolID = buffer[at] }
        if flags.contains(.data), let at = field(2) { _ = field((Int(buffer.uint16(at: at)) + 7) / 8) }
        if flags.contains(.gpio) { _ = field(1) }
        if flags.contains(.gen2Q) { _ = field(1) }
        if flags.contains(.gen2LinkFrequency) { _ = field(1) }
        if flags.contains(.gen2Target) { _ = field(1) }
        guard !overran else { return nil }
        offset = index
        return result
    }

    /// The antenna byte is TX port << 4 | RX port, 0 meaning port 16. A monostatic read (the
    /// normal case, and the only one on an M6e Nano) names one port; a bistatic pair has no single
    /// port number the gateway's antenna map could use, so it is reported as unknown.
    static func antennaPort(_ byte: UInt8) -> Int? {
        let tx = Int(byte >> 4), rx = Int(byte & 0x0F)
        guard tx == rx else { return nil }
        return tx == 0 ? 16 : tx
    }

    /// One Get Tag Buffer / streamed Read Tag ID Multiple record at `offset`; nil when malformed.
    static func bufferRecord(_ buffer: ByteWindow, flags: MercuryFrame.Metadata, offset: inout Int, end: Int) -> ReaderFrame? {
        guard let meta = metadata(buffer, flags: flags, offset: &offset, end: end) else { return nil }
        guard offset + 2 <= end else { return nil }
        let byteCount = (Int(buffer.uint16(at: offset)) + 7) / 8
        let start = offset + 2
        guard byteCount >= 2, start + byteCount <= end else { return nil }
        offset = start + byteCount
        let protocolID = meta.protocolID ?? MercuryFrame.gen2ProtocolID
        guard protocolID == MercuryFrame.gen2ProtocolID else {
            let detail = "protocol=" + HexCoding.encode([protocolID]) + " id=" + buffer.hex(start, byteCount - 2)
            return .status(ReaderStatus(code: "unsupported-tag", detail: detail))
        }
        guard byteCount >= 4 else { return nil }
        let pc = buffer.uint16(at: start)
        var pcLength = 2
        if pc & 0x0200 != 0 {
            // XI: an XPC_W1 word follows, and XPC_W2 after it when XPC_W1's top bit is set.
            guard byteCount >= 6 else { return nil }
            pcLength = buffer.uint16(at: start + 2) & 0x8000 != 0 ? 6 : 4
        }
        let epcLength = byteCount - pcLength - 2
        guard epcLength > 0 else { return nil }
        let id = TagID(bytes: buffer.slice(start + pcLength, epcLength))
        return .tag(TagObservation(technology: .epcGen2, id: id, antenna: meta.antenna, rssi: meta.rssi, pc: pc))
    }

    /// A Read Tag ID Single answer's data at `start..<end`: option, [metadata flags, metadata,]
    /// EPC, tag CRC. nil when malformed.
    static func singleRecord(_ buffer: ByteWindow, start: Int, end: Int) -> ReaderFrame? {
        guard start < end else { return nil }
        var offset = start + 1
        var meta = ReadMetadata()
        if buffer[start] & MercuryFrame.metadataOption != 0 {
            guard offset + 2 <= end else { return nil }
            let flags = MercuryFrame.Metadata(rawValue: buffer.uint16(at: offset))
            guard MercuryFrame.Metadata.understood.isSuperset(of: flags) else {
                return unsupportedMetadata(flags)
            }
            offset += 2
            guard let parsed = metadata(buffer, flags: flags, offset: &offset, end: end) else { return nil }
            meta = parsed
        }
        // EPCs are whole 16-bit words; an odd count means the layout was not what we think.
        let epcLength = end - offset - 2
        guard epcLength > 0, epcLength % 2 == 0 else { return nil }
        guard meta.protocolID == nil || meta.protocolID == MercuryFrame.gen2ProtocolID else {
            let detail = "protocol=" + HexCoding.encode([meta.protocolID ?? 0]) + " id=" + buffer.hex(offset, epcLength)
            return .status(ReaderStatus(code: "unsupported-tag", detail: detail))
        }
        let id = TagID(bytes: buffer.slice(offset, epcLength))
        return .tag(TagObservation(technology: .epcGen2, id: id, antenna: meta.antenna, rssi: meta.rssi, pc: nil))
    }

    static func unsupportedMetadata(_ flags: MercuryFrame.Metadata) -> ReaderFrame {
        .status(ReaderStatus(code: "unsupported-metadata", detail: String(flags.rawValue, radix: 16, uppercase: true)))
    }
}
