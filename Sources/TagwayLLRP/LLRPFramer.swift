import TagwayDecoders

/// Cuts a reader's byte stream into messages by the header's length (LLRP 1.0.1 binary encoding: 3
/// reserved bits, 3 bits of version, a 10-bit type, a u32 length counting the 10-byte header,
/// a u32 message id, big-endian).
///
/// The header is judged as soon as its first 6 bytes arrive, before the body: a length of 0 or
/// 4 GB fails at once, so a caller that stops on a framing error never buffers more than
/// `maximumMessageLength` bytes plus one read. LLRP has no resync marker: after a framing error
/// the window is left as it is and the connection must be reopened.
public struct LLRPFramer: Sendable {
    public static let headerLength = 10
    public let maximumMessageLength: Int

    public init(maximumMessageLength: Int = 1 << 20) {
        self.maximumMessageLength = max(maximumMessageLength, LLRPFramer.headerLength)
    }

    /// The next whole message at the front of `buffer`, consumed; nil when more bytes are needed.
    public mutating func next(_ buffer: inout ByteWindow) throws(LLRPError) -> LLRPFrame? {
        guard buffer.count >= 6 else { return nil }
        let version = (buffer[0] >> 2) & 0x07
        guard version == 1 || version == 2 else {
            throw .header("version \(version) (this side speaks 1 and 2)")
        }
        let length = UInt32(buffer[2]) << 24 | UInt32(buffer[3]) << 16 | UInt32(buffer[4]) << 8 | UInt32(buffer[5])
        guard length >= UInt32(LLRPFramer.headerLength) else {
            throw .header("length \(length) is below the 10-byte header")
        }
        guard length <= UInt32(clamping: maximumMessageLength) else {
            throw .overlong(length: length, limit: maximumMessageLength)
        }
        let total = Int(length)
        guard buffer.count >= total else { return nil }
        let type = LLRPMessageType(rawValue: UInt16(buffer[0] & 0x03) << 8 | UInt16(buffer[1]))
        let id = UInt32(buffer[6]) << 24 | UInt32(buffer[7]) << 16 | UInt32(buffer[8]) << 8 | UInt32(buffer[9])
        let body = buffer.bytes(LLRPFramer.headerLength, total - LLRPFramer.headerLength)
        buffer.consume(total)
        return LLRPFrame(version: version, type: type, id: id, body: body)
    }
}
