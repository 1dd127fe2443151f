import TagwayModel

/// Why a decoder threw bytes away. Counted per reader and shown in its health, so a bad cable
/// (garbage), a mis-set baud rate (garbage, overlong) and a flaky tag (bad checksum) look different.
public enum DropReason: String, Sendable, Hashable, CaseIterable, Codable {
    /// Bytes that cannot start a frame: noise, a mid-frame start after a reconnect, wrong baud.
    case garbage
    /// A complete frame whose checksum or CRC did not match.
    case badChecksum = "bad-checksum"
    /// A frame that grew past the protocol's maximum length without ending.
    case overlong
    /// A frame that was cut short: a new start marker arrived before the end marker.
    case truncated
    /// A frame with correct framing and checksum but content the protocol does not allow.
    case malformed
}

/// One step of decoding: a frame, or some bytes dropped with the reason.
public enum DecodeStep: Sendable, Hashable {
    case frame(ReaderFrame)
    case dropped(DropReason, byteCount: Int)
}

/// A pure, single-step protocol decoder in the style of SwiftNIO's `NIOSingleStepByteToMessageDecoder`.
///
/// `decodeStep` looks at the front of `buffer`, and either consumes one frame (returning it), consumes
/// bytes it must drop (returning why), or returns nil to ask for more bytes, leaving the partial
/// frame in place. It must make progress whenever it returns non-nil, and must never return nil
/// while holding more than `maximumFrameLength` bytes that cannot become a frame; `FrameAssembler`
/// enforces that bound anyway.
public protocol ReaderDecoder: Sendable {
    /// The longest valid frame, in bytes. Anything longer is dropped as `overlong`.
    var maximumFrameLength: Int { get }
    mutating func decodeStep(_ buffer: inout ByteWindow) -> DecodeStep?
    /// Forgets any state carried between frames (a reconnect starts a new byte stream).
    mutating func reset()
}

extension ReaderDecoder {
    public mutating func reset() {}
}

extension ReaderDecoder {
    /// Drops the front bytes up to (not including) the next `marker`, or all bytes when there is
    /// none: the resync rule of gpsd's packet.c, "anything that cannot start a frame is garbage".
    public func dropGarbage(_ buffer: inout ByteWindow, upTo marker: UInt8, from: Int = 1) -> DecodeStep {
        let next = buffer.firstIndex(of: marker, from: from) ?? buffer.count
        buffer.consume(next)
        return .dropped(.garbage, byteCount: next)
    }
}
