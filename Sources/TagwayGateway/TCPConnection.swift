import NIOCore
import NIOPosix
import TagwaySerial

/// One TCP connection to a reader, read only on demand: the socket is read when the bytes
/// already read fit the budget of `chunks`, so a session that falls behind leaves the rest in the
/// kernel's socket buffer, where TCP's window holds the reader back. Memory stays at the budget
/// plus one read (itself at most the budget), nothing is discarded, and each pause is counted
/// (`chunks.pauses`).
final class TCPConnection: Sendable {
    let address: TCPAddress
    let chunks: SerialChunks
    private let channel: any Channel

    private init(address: TCPAddress, chunks: SerialChunks, channel: any Channel) {
        self.address = address
        self.chunks = chunks
        self.channel = channel
    }

    /// Connects within `timeout`; throws NIO's errors (`TCPSessionFailure` names them).
    static func open(_ address: TCPAddress, timeout: Duration, budget: Int,
                     group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> TCPConnection {
        let chunks = SerialChunks(budget: budget)
        let milliseconds = min(max(timeout.wholeMilliseconds, 1), 3_600_000)
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.milliseconds(milliseconds))
            .channelOption(.autoRead, value: false)
            // One chunk per read, so a read refused by the budget is the only one in flight, and
            // no read larger than the budget.
            .channelOption(.maxMessagesPerRead, value: 1)
            .channelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(
                minimum: 64, initial: min(2048, max(64, budget)), maximum: min(65_536, max(64, budget))))
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .channelInitializer { channel in
                // Weak: the channel's pipeline holds the handler that holds `chunks`.
                chunks.attach(pause: {}, resume: { [weak channel] in
                    channel?.pipeline.fireUserInboundEventTriggered(DemandReadHandler.Resume())
                })
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DemandReadHandler(chunks: chunks))
                }
            }
            .connect(host: address.host, port: address.port).get()
        return TCPConnection(address: address, chunks: chunks, channel: channel)
    }

    /// Queues `bytes` for writing; a failed write shows as the end of `chunks`.
    func write(_ bytes: [UInt8]) {
        channel.writeAndFlush(ByteBuffer(bytes: bytes), promise: nil)
    }

    /// Stops reading and closes. Writes queued before are written first when the socket takes
    /// them at once (a farewell on a healthy connection); a peer that stopped reading loses them.
    func close() {
        chunks.releaseForCancel()
        channel.close(promise: nil)
    }
}

/// Reads the socket one chunk at a time, asking for the next only while `chunks` takes them.
/// Lives on the channel's event loop.
private final class DemandReadHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    /// `chunks` fell below half its budget: read again.
    struct Resume: Sendable {}

    private let chunks: SerialChunks
    private var paused = false

    init(chunks: SerialChunks) {
        self.chunks = chunks
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        if !chunks.push(bytes) { paused = true }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.fireChannelReadComplete()
        if !paused { context.read() }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is Resume else { return context.fireUserInboundEventTriggered(event) }
        paused = false
        context.read()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        chunks.finish(throwing: error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        chunks.finish()
        context.fireChannelInactive()
    }
}
