import NIOCore
import NIOPosix
import TagwayEmulators

/// An emulated LLRP reader on a TCP port: `tagway simulate --listen`, the demo's LLRP door and the
/// end-to-end tests run it on 127.0.0.1. One client at a time, as a fixed reader serves; the
/// scenario's field is read every tick (50 ms: finer than any debounce window, coarse enough
/// that a laptop runs several).
public final class LLRPEmulatorServer: Sendable {
    public let host: String
    /// The port bound (the OS's choice when asked for 0).
    public let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let listener: any Channel
    private let state: LLRPEmulatorHost
    private let ticker: RepeatedTask

    private init(host: String, port: Int, group: MultiThreadedEventLoopGroup, listener: any Channel, state: LLRPEmulatorHost,
                 ticker: RepeatedTask) {
        self.host = host
        self.port = port
        self.group = group
        self.listener = listener
        self.state = state
        self.ticker = ticker
    }

    /// Binds `host:port` and starts the reader. With `waitForClient` the scenario's clock starts
    /// when the first client connects (a test then does not race a slow gateway's start).
    /// `report` hears connections come and go (the simulator prints them); `onStep` hears each
    /// scenario step applied.
    public static func start(host: String = "127.0.0.1", port: Int = 0, emulator: LLRPReaderEmulator = LLRPReaderEmulator(),
                             scenario: Scenario = Scenario(steps: []), loop: Bool = false, waitForClient: Bool = false,
                             tick: Duration = .milliseconds(50), report: @escaping @Sendable (String) -> Void = { _ in },
                             onStep: (@Sendable (Scenario.Step) -> Void)? = nil) async throws -> LLRPEmulatorServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let eventLoop = group.next()
        let state = LLRPEmulatorHost(loop: eventLoop, emulator: emulator, scenario: scenario, loops: loop,
                                     waitForClient: waitForClient, report: report, onStep: onStep)
        let listener: any Channel
        do {
            listener = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(LLRPEmulatorConnection(state: state))
                    }
                }
                .bind(host: host, port: port).get()
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        let milliseconds = max(1, tick.wholeMilliseconds)
        let ticker = eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(milliseconds)) { _ in state.tick() }
        return LLRPEmulatorServer(host: host, port: listener.localAddress?.port ?? port, group: group, listener: listener,
                                  state: state, ticker: ticker)
    }

    /// Closes the client's connection now (the reader rebooted, the cable was pulled); the next
    /// client is served as usual.
    public func dropClient() async {
        let state = state
        try? await state.loop.submit { state.dropClient() }.get()
    }

    /// Returns when the scenario has ended (an `end` step without `loop`) or the server stopped.
    public func waitUntilEnded() async {
        try? await state.ended.futureResult.get()
    }

    /// Ends the run from any thread (a signal handler): the client is dropped and
    /// `waitUntilEnded` returns; `stop` then releases the port.
    public func end() {
        let state = state
        state.loop.execute { state.stop() }
    }

    public func stop() async {
        let state = state
        ticker.cancel()
        try? await listener.close()
        try? await state.loop.submit { state.stop() }.get()
        try? await group.shutdownGracefully()
    }
}

/// One accepted connection's handler: hands everything to the host on the loop.
private final class LLRPEmulatorConnection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let state: LLRPEmulatorHost

    init(state: LLRPEmulatorHost) { self.state = state }

    func channelActive(context: ChannelHandlerContext) {
        state.connected(context.channel)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        state.received(bytes, from: context.channel)
    }

    func channelInactive(context: ChannelHandlerContext) {
        state.disconnected(context.channel)
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { state.writable(context.channel) }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
