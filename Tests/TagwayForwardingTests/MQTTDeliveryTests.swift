import Foundation
import Logging
import Testing
import TagwayEventLog
import TagwayModel
import TagwayOutbox
import TagwaySinks

/// The MQTT sink against a real mosquitto broker on 127.0.0.1: every event on its topic, and a
/// broker outage during which nothing counts as delivered.
@Suite(.serialized, .enabled(if: MosquittoBroker.available, "mosquitto is not installed (apt-get install mosquitto); .ci/install-deps installs it"))
struct MQTTDeliveryTests {
    let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    func mixedEvents(_ log: EventLog, count: Int, start: Int) async throws -> [MovementEvent] {
        try await log.append((start..<(start + count)).map { i in
            i % 3 == 0 ? Fixture.event(i, type: .departed, to: nil, from: "dock-3") : Fixture.event(i)
        })
    }

    func forwarder(_ log: EventLog, port: Int, board: SinkStatusBoard, configure: (inout MQTTOptions) -> Void = { _ in }) throws -> Forwarder {
        var options = MQTTOptions(host: "127.0.0.1", port: port, clientID: "tagway-test-\(port)", ackTimeout: .seconds(2))
        configure(&options)
        let sink = MQTTSink(id: "bus", options: options)
        let policy = DeliveryPolicy(maxEvents: 50, linger: .milliseconds(10), retryInitial: .milliseconds(50), retryMax: .milliseconds(500))
        return try Forwarder(log: log, sinks: [(sink, policy)], retention: RetentionPolicy(maxAge: nil), board: board,
                             logger: logger, clock: wallClock)
    }

    /// Distinct event ids received, each checked against the topic it came on.
    func receivedIDs(_ subscriber: MQTTTestSubscriber, wrongTopics: inout [String]) -> Set<String> {
        var ids: Set<String> = []
        for (topic, payload) in subscriber.received {
            guard let object = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any],
                  let id = object["id"] as? String, let type = object["type"] as? String else {
                wrongTopics.append("unreadable payload on \(topic)")
                continue
            }
            if topic != "tagway/test-gw/events/\(type)" { wrongTopics.append("\(type) on \(topic)") }
            ids.insert(id)
        }
        return ids
    }

    @Test func everyEventOnItsTopic() async throws {
        let dir = Fixture.temporaryDirectory("mqtt")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let broker = MosquittoBroker(directory: dir)
        try broker.start()
        defer { broker.stop() }
        let subscriber = MQTTTestSubscriber(port: broker.port, clientID: "test-sub", filter: "tagway/#")
        defer { subscriber.close() }
        #expect(await eventually { subscriber.subscribed >= 1 })
        let log = try EventLog(directory: dir, durability: .normal)
        let events = try await mixedEvents(log, count: 240, start: 0)
        let board = SinkStatusBoard()
        let forwarder = try forwarder(log, port: broker.port, board: board)
        let running = Task { await forwarder.run() }
        let delivered = try await eventually { try log.cursor(sink: "bus") == 240 }
        var wrong: [String] = []
        let complete = await eventually { receivedIDs(subscriber, wrongTopics: &wrong).count == 240 }
        running.cancel()
        await running.value
        #expect(delivered, "\(board.snapshot.map(\.json))")
        #expect(complete)
        wrong = []
        #expect(receivedIDs(subscriber, wrongTopics: &wrong) == Set(events.map(\.id)))
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
    }

    @Test func nothingCountsAsDeliveredWhileTheBrokerIsDown() async throws {
        let dir = Fixture.temporaryDirectory("mqtt-outage")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let broker = MosquittoBroker(directory: dir)
        try broker.start()
        defer { broker.stop() }
        let subscriber = MQTTTestSubscriber(port: broker.port, clientID: "test-sub-outage", filter: "tagway/#")
        defer { subscriber.close() }
        #expect(await eventually { subscriber.subscribed >= 1 })
        let log = try EventLog(directory: dir, durability: .normal)
        var events = try await mixedEvents(log, count: 100, start: 0)
        let board = SinkStatusBoard()
        let forwarder = try forwarder(log, port: broker.port, board: board)
        let running = Task { await forwarder.run() }
        #expect(try await eventually { try log.cursor(sink: "bus") == 100 })

        broker.stop()
        events += try await mixedEvents(log, count: 100, start: 1000)
        let retrying = await eventually { board.snapshot.first?.retried ?? 0 >= 2 }
        #expect(retrying, "\(board.snapshot.map(\.json))")
        #expect(try log.cursor(sink: "bus") == 100, "no acknowledgement, no delivery")

        // The broker comes back with its persistent sessions; the sink reconnects by itself.
        try broker.start()
        let delivered = try await eventually(attempts: 1200) { try log.cursor(sink: "bus") == 200 }
        var wrong: [String] = []
        let complete = await eventually { receivedIDs(subscriber, wrongTopics: &wrong).count == 200 }
        running.cancel()
        await running.value
        #expect(delivered, "\(board.snapshot.map(\.json))")
        #expect(complete, "subscriber has \(receivedIDs(subscriber, wrongTopics: &wrong).count) of 200")
        #expect(receivedIDs(subscriber, wrongTopics: &wrong) == Set(events.map(\.id)))
        #expect(board.snapshot.first?.lastSuccess != nil)
    }

    @Test func tlsWithAPrivateCAAndAPassword() async throws {
        let dir = Fixture.temporaryDirectory("mqtt-tls")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try MosquittoBroker.writePasswordFile(in: dir, user: "gateway", password: "right-password")
        let tlsPort = Fixture.freePort()
        let tls = WebhookTLSTests.tlsDirectory
        let broker = MosquittoBroker(directory: dir, extra: """
            listener \(tlsPort) 127.0.0.1
            certfile \(tls)/server.pem
            keyfile \(tls)/server.key
            allow_anonymous false
            password_file \(dir)/passwd
            """)
        try broker.start()
        defer { broker.stop() }
        let subscriber = MQTTTestSubscriber(port: broker.port, clientID: "test-sub-tls", filter: "tagway/#")
        defer { subscriber.close() }
        #expect(await eventually { subscriber.subscribed >= 1 })
        let log = try EventLog(directory: dir, durability: .normal)
        let events = try await mixedEvents(log, count: 60, start: 0)

        let refused = SinkStatusBoard()
        let wrong = try forwarder(log, port: tlsPort, board: refused) { options in
            options.tls = true
            options.caFile = tls + "/ca.pem"
            options.username = "gateway"
            options.password = "wrong-password"
        }
        var running = Task { await wrong.run() }
        #expect(await eventually { refused.snapshot.first?.retried ?? 0 >= 1 })
        running.cancel()
        await running.value
        #expect(try log.cursor(sink: "bus") == 0, "a refused login delivers nothing")
        #expect(refused.snapshot.first?.lastError?.contains("not connected") == true, "\(refused.snapshot.map(\.json))")

        let board = SinkStatusBoard()
        let right = try forwarder(log, port: tlsPort, board: board) { options in
            options.tls = true
            options.caFile = tls + "/ca.pem"
            options.username = "gateway"
            options.password = "right-password"
        }
        running = Task { await right.run() }
        let delivered = try await eventually { try log.cursor(sink: "bus") == 60 }
        var misrouted: [String] = []
        let complete = await eventually { receivedIDs(subscriber, wrongTopics: &misrouted).count == 60 }
        running.cancel()
        await running.value
        #expect(delivered, "\(board.snapshot.map(\.json))")
        #expect(complete)
        #expect(receivedIDs(subscriber, wrongTopics: &misrouted) == Set(events.map(\.id)))
    }
}
