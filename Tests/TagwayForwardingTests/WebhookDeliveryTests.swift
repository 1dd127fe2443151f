import Foundation
import Logging
import Testing
import TagwayEventLog
import TagwayModel
import TagwayOutbox
import TagwaySinks

/// The outbox and the webhook sink against a real HTTP store on 127.0.0.1 that fails, stalls,
/// loses answers and recovers: every event arrives exactly once by id, in seq order.
@Suite(.serialized) struct WebhookDeliveryTests {
    static let secret = Array("s3cret".utf8)
    let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    func forwarder(_ log: EventLog, _ store: ScriptedStore, maxEvents: Int = 25, timeout: Duration = .milliseconds(400),
                   board: SinkStatusBoard = SinkStatusBoard()) throws -> Forwarder {
        let sink = try WebhookSink(id: "itam", url: store.url, secret: Self.secret, timeout: timeout, clock: wallClock)
        let policy = DeliveryPolicy(maxEvents: maxEvents, linger: .milliseconds(20), retryInitial: .milliseconds(20),
                                    retryMax: .milliseconds(300))
        return try Forwarder(log: log, sinks: [(sink, policy)], retention: RetentionPolicy(maxAge: nil), board: board,
                             logger: logger, clock: wallClock)
    }

    @Test func everyEventOnceInOrderThroughFailures() async throws {
        let dir = Fixture.temporaryDirectory("webhook")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        try await Fixture.fill(log, count: 300)
        let store = ScriptedStore(script: [
            .status(500), .status(429, retryAfter: "1"), .storeThenStall(.seconds(2)), .ok, .storeThenFail,
            .status(503), .ok, .status(502), .storeThenFail, .ok,
        ], secret: Self.secret)
        try await store.start()
        defer { store.stop() }
        let board = SinkStatusBoard()
        let forwarder = try forwarder(log, store, board: board)
        let running = Task { await forwarder.run() }
        // More events arrive while the store is misbehaving.
        for burst in 0..<4 {
            try await Fixture.fill(log, count: 50, start: 1000 + burst * 50)
            try await Task.sleep(for: .milliseconds(30))
        }
        let last = try log.lastSeq()
        let caughtUp = try await eventually { try log.cursor(sink: "itam") == last }
        running.cancel()
        await running.value
        #expect(caughtUp, "log at \(last); \(board.snapshot.map(\.json))")
        let logged = try log.events(after: 0, limit: 10_000)
        let stored = store.storedIDs
        #expect(stored == logged.map(\.id), "every event exactly once by id, in log order: \(firstDifference(stored, logged.map(\.id)))")
        #expect(store.storedSeqs == logged.compactMap(\.seq), "in seq order")
        #expect(store.duplicates >= 1, "a redelivered batch was answered 409 and counted as delivered")
        #expect(store.signatureFailures == 0)
        #expect(store.problems.isEmpty, "\(store.problems)")
        let status = try #require(board.snapshot.first)
        #expect(status.retried >= 6)
        #expect(status.delivered >= logged.count)
        #expect(status.failed == 0)
        #expect(status.lastSuccess != nil)
        #expect(status.backlog == 0)
    }

    @Test func aClientErrorStopsTheSinkAndKeepsTheEvents() async throws {
        let dir = Fixture.temporaryDirectory("webhook-400")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        try await Fixture.fill(log, count: 10)
        let store = ScriptedStore(script: [.status(401)], secret: Self.secret)
        try await store.start()
        defer { store.stop() }
        let board = SinkStatusBoard()
        let forwarder = try forwarder(log, store, board: board)
        let running = Task { await forwarder.run() }
        let stopped = await eventually { board.snapshot.first?.state == .stopped }
        try await Fixture.fill(log, count: 5, start: 100)
        try await Task.sleep(for: .milliseconds(200))
        running.cancel()
        await running.value
        #expect(stopped)
        let status = try #require(board.snapshot.first)
        #expect(status.lastError?.contains("HTTP 401") == true)
        #expect(status.failed == 10)
        #expect(store.requestCount == 1, "a stopped sink does not hammer the store")
        #expect(try log.cursor(sink: "itam") == 0)
        #expect(try log.extent().count == 15, "the events stay in the log")
    }

    /// A request that times out is sent again (at-least-once, with the same ids): a test of what
    /// the cursor alone prevents must not count those, so its requests never time out on a
    /// loaded machine (this one saw a 400 ms timeout and a duplicate under the full suite).
    static let patientTimeout = Duration.seconds(30)

    @Test func aRestartedForwarderResumesFromItsCursor() async throws {
        let dir = Fixture.temporaryDirectory("webhook-resume")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = ScriptedStore(secret: Self.secret)
        try await store.start()
        defer { store.stop() }
        do {
            let log = try EventLog(directory: dir, durability: .normal)
            try await Fixture.fill(log, count: 120)
            let forwarder = try forwarder(log, store, timeout: Self.patientTimeout)
            let running = Task { await forwarder.run() }
            #expect(try await eventually { try log.cursor(sink: "itam") == 120 })
            running.cancel()
            await running.value
        }
        let log = try EventLog(directory: dir, durability: .normal)
        try await Fixture.fill(log, count: 30, start: 500)
        let requestsBefore = store.requestCount
        let forwarder = try forwarder(log, store, timeout: Self.patientTimeout)
        let running = Task { await forwarder.run() }
        #expect(try await eventually { try log.cursor(sink: "itam") == 150 })
        running.cancel()
        await running.value
        let logged = try log.events(after: 0, limit: 1000).map(\.id)
        #expect(store.storedIDs == logged, "\(firstDifference(store.storedIDs, logged))")
        #expect(store.duplicates == 0, "nothing delivered before the restart was sent again")
        #expect(store.requestCount - requestsBefore == 2, "30 events in batches of 25")
    }

    @Test func eachSinkHasItsOwnCursor() async throws {
        let dir = Fixture.temporaryDirectory("webhook-two")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        try await Fixture.fill(log, count: 60)
        let healthy = ScriptedStore(secret: Self.secret)
        let broken = ScriptedStore(script: [.status(403)], secret: Self.secret)
        try await healthy.start()
        try await broken.start()
        defer {
            healthy.stop()
            broken.stop()
        }
        let policy = DeliveryPolicy(maxEvents: 25, linger: .milliseconds(10), retryInitial: .milliseconds(20), retryMax: .milliseconds(200))
        let sinks: [(sink: any Sink, policy: DeliveryPolicy)] = [
            (try WebhookSink(id: "healthy", url: healthy.url, secret: Self.secret, clock: wallClock), policy),
            (try WebhookSink(id: "broken", url: broken.url, secret: Self.secret, clock: wallClock), policy),
        ]
        let board = SinkStatusBoard()
        let forwarder = try Forwarder(log: log, sinks: sinks, retention: RetentionPolicy(maxAge: .seconds(1)), board: board,
                                      logger: logger, clock: wallClock)
        let running = Task { await forwarder.run() }
        let done = try await eventually { try log.cursor(sink: "healthy") == 60 && board.snapshot.contains { $0.state == .stopped } }
        running.cancel()
        await running.value
        #expect(done)
        #expect(healthy.storedIDs.count == 60)
        #expect(try log.cursor(sink: "broken") == 0)
        let keeper = RetentionKeeper(policy: RetentionPolicy(maxAge: .seconds(1)), sinkIDs: ["healthy", "broken"], log: log,
                                     board: board, logger: logger, clock: wallClock)
        try keeper.pass()
        #expect(try log.extent().count == 60, "the stopped sink's events are not pruned, however old")
        try RetentionKeeper(policy: RetentionPolicy(maxAge: .seconds(1)), sinkIDs: ["healthy"], log: log, board: board,
                            logger: logger, clock: wallClock).pass()
        #expect(try log.extent().count == 0, "without the stopped sink, all are delivered and old")
    }
}
