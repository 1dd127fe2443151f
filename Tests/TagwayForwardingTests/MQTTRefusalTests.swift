import Foundation
import Logging
import Testing
import TagwayEventLog
import TagwayOutbox
import TagwaySinks

/// A broker that refuses the gateway's login is reported as such ("authentication refused by
/// the broker ..."), not as "connection lost (5)" (issue 10).
@Suite(.serialized, .enabled(if: MosquittoBroker.available, "mosquitto is not installed (apt-get install mosquitto); .ci/install-deps installs it"))
struct MQTTRefusalTests {
    @Test func aWrongPasswordIsReportedAsARefusedLogin() async throws {
        let dir = Fixture.temporaryDirectory("mqtt-auth")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try MosquittoBroker.writePasswordFile(in: dir, user: "gateway", password: "right-password")
        let authPort = Fixture.freePort()
        let broker = MosquittoBroker(directory: dir, extra: """
            listener \(authPort) 127.0.0.1
            allow_anonymous false
            password_file \(dir)/passwd
            """)
        try broker.start()
        defer { broker.stop() }
        let log = try EventLog(directory: dir, durability: .normal)
        try await Fixture.fill(log, count: 5)

        var options = MQTTOptions(host: "127.0.0.1", port: authPort, clientID: "tagway-auth-\(authPort)", ackTimeout: .seconds(2))
        options.username = "gateway"
        options.password = "wrong-password"
        let sink = MQTTSink(id: "bus", options: options)
        let policy = DeliveryPolicy(maxEvents: 50, linger: .milliseconds(10), retryInitial: .milliseconds(50), retryMax: .milliseconds(500))
        let board = SinkStatusBoard()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let forwarder = try Forwarder(log: log, sinks: [(sink, policy)], retention: RetentionPolicy(maxAge: nil), board: board,
                                      logger: logger, clock: wallClock)
        let running = Task { await forwarder.run() }
        // Several attempts: the text must survive the disconnect that follows each refusal.
        #expect(await eventually { board.snapshot.first?.retried ?? 0 >= 3 })
        running.cancel()
        await running.value
        let lastError = board.snapshot.first?.lastError ?? ""
        #expect(lastError.contains("authentication refused by the broker (not authorized: check user/password)"), "\(lastError)")
        #expect(!lastError.contains("connection lost"), "\(lastError)")
        #expect(try log.cursor(sink: "bus") == 0)
    }
}
