import NIOCore
import NIOPosix

/// A listener on 127.0.0.1 on a port the OS picks, handing each accepted connection to the test:
/// the reader side of a TCP reader session, scripted by the test itself.
final class TCPPeer: Sendable {
    typealias Connection = NIOAsyncChannel<ByteBuffer, ByteBuffer>

    let port: Int
    private let accepted: AsyncStream<Connection>
    private let accepting: Task<Void, Never>

    init() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        port = server.channel.localAddress?.port ?? 0
        let (stream, continuation) = AsyncStream.makeStream(of: Connection.self)
        accepted = stream
        accepting = Task {
            try? await server.executeThenClose { inbound in
                for try await connection in inbound { continuation.yield(connection) }
            }
            continuation.finish()
        }
    }

    /// A port nothing listens on: bound by the OS, then closed.
    static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }

    /// The next connection a client made.
    func next() async -> Connection? {
        var iterator = accepted.makeAsyncIterator()
        return await iterator.next()
    }

    func close() { accepting.cancel() }
}

/// Reads a connection's bytes as lines.
struct LineReader {
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private var buffered: [UInt8] = []

    init(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>) {
        self.inbound = inbound.makeAsyncIterator()
    }

    /// The next line without its newline; nil at the end of the stream.
    mutating func next() async throws -> String? {
        while true {
            if let end = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffered[..<end], as: UTF8.self)
                buffered.removeSubrange(...end)
                return line
            }
            guard var chunk = try await inbound.next() else { return nil }
            buffered += chunk.readBytes(length: chunk.readableBytes) ?? []
        }
    }
}
