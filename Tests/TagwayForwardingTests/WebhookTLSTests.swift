import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOSSL
import Testing
import TagwayEventLog
import TagwayModel
import TagwayOutbox
import TagwaySinks

/// The webhook over HTTPS to a server on 127.0.0.1 whose certificate is signed by a private CA
/// (fixtures in TLS/): trusted with `caFile`, refused (and retried, not delivered) without it.
@Suite(.serialized) struct WebhookTLSTests {
    static let tlsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("TLS").path
    let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    final class TLSServer: @unchecked Sendable {
        private let lock = NSLock()
        private var received = 0
        private(set) var port = 0
        private var task: Task<Void, Never>?

        var events: Int { lock.withLock { received } }

        func start() async throws {
            let certificates = try NIOSSLCertificate.fromPEMFile(WebhookTLSTests.tlsDirectory + "/server.pem")
            let key = try NIOSSLPrivateKey(file: WebhookTLSTests.tlsDirectory + "/server.key", format: .pem)
            let tls = TLSConfiguration.makeServerConfiguration(certificateChain: certificates.map { .certificate($0) },
                                                               privateKey: .privateKey(key))
            let router = Router()
            router.post("/hook") { request, _ -> Response in
                let body = try await request.body.collect(upTo: 16 << 20)
                let array = try JSONSerialization.jsonObject(with: Data(String(buffer: body).utf8)) as? [Any]
                self.lock.withLock { self.received += array?.count ?? 0 }
                return Response(status: .ok)
            }
            let ready = AsyncStream<Int>.makeStream()
            let app = Application(router: router, server: try .tls(.http1(), tlsConfiguration: tls),
                                  configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                  onServerRunning: { channel in ready.continuation.yield(channel.localAddress?.port ?? 0) })
            task = Task { try? await app.run() }
            for await bound in ready.stream {
                port = bound
                break
            }
        }

        func stop() { task?.cancel() }
    }

    func deliver(caFile: String?, board: SinkStatusBoard, log: EventLog, port: Int) async throws -> Bool {
        let sink = try WebhookSink(id: "tls", url: "https://127.0.0.1:\(port)/hook", secret: nil, caFile: caFile,
                                   timeout: .seconds(2), clock: wallClock)
        let policy = DeliveryPolicy(maxEvents: 50, linger: .milliseconds(10), retryInitial: .milliseconds(20), retryMax: .milliseconds(100))
        let forwarder = try Forwarder(log: log, sinks: [(sink, policy)], retention: RetentionPolicy(maxAge: nil), board: board,
                                      logger: logger, clock: wallClock)
        let running = Task { await forwarder.run() }
        let done = try await eventually(attempts: 100) { try log.cursor(sink: "tls") == log.lastSeq() }
        running.cancel()
        await running.value
        return done
    }

    @Test func aPrivateCAIsTrustedOnlyWhenConfigured() async throws {
        let dir = Fixture.temporaryDirectory("tls")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        try await Fixture.fill(log, count: 30)
        let server = TLSServer()
        try await server.start()
        defer { server.stop() }

        let refused = SinkStatusBoard()
        #expect(try await deliver(caFile: nil, board: refused, log: log, port: server.port) == false)
        #expect(server.events == 0)
        #expect(try log.cursor(sink: "tls") == 0, "an unverifiable certificate is not a delivery")
        #expect((refused.snapshot.first?.retried ?? 0) >= 1)
        #expect(refused.snapshot.first?.state != .stopped, "a TLS failure is retried, not a stop")

        let trusted = SinkStatusBoard()
        #expect(try await deliver(caFile: Self.tlsDirectory + "/ca.pem", board: trusted, log: log, port: server.port))
        #expect(server.events == 30)
    }
}
