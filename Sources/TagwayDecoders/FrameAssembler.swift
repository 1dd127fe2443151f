import TagwayModel

/// Drives a `ReaderDecoder` over a stream of chunks: buffers, frames, counts drops, bounds memory.
///
/// The same bytes give the same frames however they are chunked (one byte at a time, all at once,
/// or in random pieces); the tests check that for every decoder.
public struct FrameAssembler: Sendable {
    public private(set) var decoder: any ReaderDecoder
    private var buffer = ByteWindow()
    /// Bytes dropped, by reason, since the assembler was made.
    public private(set) var drops: [DropReason: Int] = [:]
    /// Drop events (not bytes), by reason.
    public private(set) var dropEvents: [DropReason: Int] = [:]
    public private(set) var framesDecoded = 0

    public init(_ decoder: any ReaderDecoder) {
        self.decoder = decoder
    }

    /// Bytes held waiting for the rest of a frame; never more than twice the maximum frame length.
    public var bufferedByteCount: Int { buffer.count }

    /// Feeds one chunk and returns the frames it completed, in order.
    public mutating func feed<C: Collection>(_ chunk: C) -> [ReaderFrame] where C.Element == UInt8 {
        var frames: [ReaderFrame] = []
        feed(chunk) { frames.append($0) }
        return frames
    }

    /// Feeds one chunk, calling `onFrame` for each frame it completes; `onDrop` hears each drop.
    public mutating func feed<C: Collection>(
        _ chunk: C,
        onDrop: (DropReason, Int) -> Void = { _, _ in },
        onFrame: (ReaderFrame) -> Void
    ) where C.Element == UInt8 {
        buffer.append(contentsOf: chunk)
        while let step = decoder.decodeStep(&buffer) {
            switch step {
            case .frame(let frame):
                framesDecoded += 1
                onFrame(frame)
            case .dropped(let reason, let count):
                record(reason, count)
                onDrop(reason, count)
            }
        }
        // A decoder that waits for more bytes may not hold more than one frame's worth.
        if buffer.count > decoder.maximumFrameLength {
            let excess = buffer.count
            buffer.consume(excess)
            record(.overlong, excess)
            onDrop(.overlong, excess)
        }
    }

    /// Forgets any partial frame, as after a reconnect: bytes from the old session cannot
    /// complete a frame from the new one.
    public mutating func reset() {
        decoder.reset()
        if !buffer.isEmpty {
            record(.truncated, buffer.count)
            buffer.consume(buffer.count)
        }
    }

    private mutating func record(_ reason: DropReason, _ count: Int) {
        guard count > 0 else { return }
        drops[reason, default: 0] += count
        dropEvents[reason, default: 0] += 1
    }
}
