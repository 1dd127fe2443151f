import Foundation
import Logging
import MetricsTestKit
import Testing
import TagwayEventLog
import TagwayModel
import TagwayOutbox
import TagwaySinks

/// The outbox's swift-metrics counters and gauges, read from a test metrics backend.
@Suite struct OutboxMetricsTests {
    let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    @Test func deliveriesRetriesAndTheRetentionBoundAreCounted() async throws {
        let dir = Fixture.temporaryDirectory("metrics")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        try await Fixture.fill(log, count: 30)
        let store = ScriptedStore(script: [.status(503), .status(500)])
        try await store.start()
        defer { store.stop() }
        let metrics = TestMetrics()
        // 30 undelivered events over a bound of 20: the bound is raised as a metric.
        try RetentionKeeper(policy: RetentionPolicy(maxEvents: 20, maxAge: nil), sinkIDs: ["itam"], log: log, board: SinkStatusBoard(),
                            logger: logger, metrics: OutboxMetrics(factory: metrics), clock: wallClock).pass()
        #expect(try metrics.expectGauge("tagway_retention_over_bound").lastValue == 1)
        let sink = try WebhookSink(id: "itam", url: store.url, secret: nil, clock: wallClock)
        let policy = DeliveryPolicy(maxEvents: 10, linger: .milliseconds(10), retryInitial: .milliseconds(10), retryMax: .milliseconds(50))
        let forwarder = try Forwarder(log: log, sinks: [(sink, policy)], retention: RetentionPolicy(maxAge: nil),
                                      logger: logger, metrics: OutboxMetrics(factory: metrics), clock: wallClock)
        let running = Task { await forwarder.run() }
        let done = try await eventually { try log.cursor(sink: "itam") == 30 }
        running.cancel()
        await running.value
        #expect(done)
        #expect(try metrics.expectCounter("tagway_sink_delivered_events_total", [("sink", "itam")]).totalValue == 30)
        #expect(try metrics.expectCounter("tagway_sink_retries_total", [("sink", "itam")]).totalValue == 2)
        #expect(try metrics.expectGauge("tagway_sink_backlog_events", [("sink", "itam")]).lastValue == 0)
        // Five attempts timed (two refused, three batches of 10 confirmed), the last success stamped.
        #expect(try metrics.expectTimer("tagway_sink_batch_duration_seconds", [("sink", "itam")]).values.count == 5)
        let success = try metrics.expectGauge("tagway_sink_last_success_timestamp_seconds", [("sink", "itam")]).lastValue
        let status = try #require(forwarder.board.snapshot.first { $0.id == "itam" })
        #expect(success == status.lastSuccess.map { Double($0.milliseconds) / 1000 })
        // The forwarder's own retention pass (no bound) cleared it.
        #expect(try metrics.expectGauge("tagway_retention_over_bound").lastValue == 0)
    }
}
