import Foundation
import HTTPReceiverSupport
import Logging
import NATSServerSupport
import TagwayConfig
import TagwayModel
import TagwayTestSupport
import Testing
@testable import TagwaySiteRunner

/// Site events into a webhook through the gateway's outbox code (issue 17): a real nats-server,
/// a real loopback HTTP receiver. Each site event reaches the webhook once per id and in the
/// stream's order; a receiver that is down then up loses nothing; each sink's cursor is in the
/// bucket. The server is killed in deinit, which runs even when a test fails.
@Suite(.serialized, .enabled(if: NATSServer.available)) final class SiteSinkTests {
    let fixture: NATSServerFixture
    var server: NATSServer { fixture.server }

    init() throws { fixture = try NATSServerFixture("site-sinks") }

    /// The delivered site events in the order the receiver got them: (id, asset key) per event.
    static func delivered(_ receiver: RecordingServer) -> [(id: String, asset: String)] {
        receiver.requests.flatMap { request -> [(id: String, asset: String)] in
            guard let list = try? JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [[String: Any]] else { return [] }
            return list.compactMap { object in
                guard let id = object["id"] as? String, let asset = (object["asset"] as? [String: Any])?["key"] as? String else { return nil }
                return (id, asset)
            }
        }
    }

    /// Each id's first delivery, in delivery order.
    static func firstDeliveries(_ delivered: [(id: String, asset: String)]) -> [String] {
        var seen = Set<String>()
        return delivered.map(\.id).filter { seen.insert($0).inserted }
    }

    static func configuration(_ servers: [String], hook: Int, retry: String = "{ initial: 100ms, max: 300ms }") throws -> SiteConfiguration {
        var config = try SiteConfigReader.parse("""
            site: \(SiteScenario.site)
            nats: { servers: [\(servers.joined(separator: ", "))] }
            bucket: { leaseTTL: 30s }
            view: { handoverWindow: 60s, reorderWindow: 2s, gapTimeout: 5s }
            sinks:
              - id: itam
                webhook: { url: "http://127.0.0.1:\(hook)/site", timeout: 5s }
                batch: { maxEvents: 7, linger: 0s }
                retry: \(retry)
            """, file: "site.yaml")
        config.view = SiteScenario.settings
        return config
    }

    func run(_ config: SiteConfiguration, until done: @escaping (SiteRunner) -> Bool) async throws -> (SiteRunner, Bool) {
        var options = SiteRunner.Options()
        options.ackWait = .seconds(5)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let runner = SiteRunner(config: config, options: options, logger: logger)
        let task = Task { await runner.run() }
        var finished = false
        for _ in 0..<400 where !finished {
            try await Task.sleep(for: .milliseconds(50))
            finished = done(runner)
        }
        task.cancel()
        await task.value
        return (runner, finished)
    }

    @Test func siteEventsReachAWebhookOnceEachInStreamOrder() async throws {
        let receiver = RecordingServer { _, _ in .init(status: 200) }
        try await receiver.start()
        defer { receiver.stop() }
        let events = SiteScenario.events(assets: 12)
        let total = SiteScenario.expected(events).events.values.joined().count
        let nats = try SiteScenario.connect([server.url])
        try SiteScenario.publish(events, to: nats)
        let config = try Self.configuration([server.url], hook: receiver.port)
        let (runner, finished) = try await run(config) { runner in
            Self.delivered(receiver).count >= total && runner.board.snapshot.first?.cursor == Int64(total)
        }
        #expect(finished, "delivered \(Self.delivered(receiver).count) of \(total); \(runner.counters); \(runner.board.snapshot)")
        let stream = SiteScenario.siteStream(nats, name: config.events.stream.name)
        let delivered = Self.delivered(receiver)
        #expect(stream.count == total)
        #expect(delivered.map(\.id) == stream.map(\.id), "once each, in the stream's order")
        #expect(receiver.requests.allSatisfy { $0.path == "/site" })
        // The cursor lives in the bucket (a standby resumes from it), at the stream's last seq.
        try nats.openBucket(config.bucket.name, replicas: config.bucket.replicas)
        let row = try #require(try nats.get(SiteBucketRows.cursorKey("itam")))
        let cursor = try JSONDecoder().decode(SiteEventStreamLog.CursorRow.self, from: Data(row.value))
        #expect(cursor.seq == Int64(total) && cursor.sink == "itam")
    }

    @Test func aReceiverDownThenUpLosesNothing() async throws {
        let receiver = RecordingServer { _, _ in .init(status: 200) }
        try await receiver.start()
        let port = receiver.port
        await receiver.stopAndWait()
        defer { receiver.stop() }
        let events = SiteScenario.events(assets: 12)
        let total = SiteScenario.expected(events).events.values.joined().count
        let nats = try SiteScenario.connect([server.url])
        try SiteScenario.publish(events, to: nats)
        let config = try Self.configuration([server.url], hook: port)
        var restarted = false
        let started = ContinuousClock.now
        let (runner, finished) = try await run(config) { runner in
            // Down until every site event is published and the sink has failed a while.
            if !restarted, runner.counters.published >= total, runner.board.snapshot.first?.retried ?? 0 > 0, ContinuousClock.now - started > .seconds(2) {
                restarted = true
                Task { try await receiver.start(port: port) }
            }
            return Self.delivered(receiver).count >= total && runner.board.snapshot.first?.cursor == Int64(total)
        }
        #expect(finished, "delivered \(Self.delivered(receiver).count) of \(total); \(runner.board.snapshot)")
        let stream = SiteScenario.siteStream(nats, name: config.events.stream.name)
        #expect(Self.firstDeliveries(Self.delivered(receiver)) == stream.map(\.id), "none lost, in the stream's order")
        #expect(runner.board.snapshot.first?.cursor == Int64(total))
    }
}

extension SiteSinkTests {
    /// A sink whose secret went missing after the process started (its start checks them): the
    /// view goes on, the sink shows as stopped with why, and once the secret is back the sink is
    /// built and forwards every site event from its cursor, without a restart.
    @Test func aSinkThatCannotBeBuiltAtTakeoverIsBuiltOnceItCanBe() async throws {
        let receiver = RecordingServer { _, _ in .init(status: 200) }
        try await receiver.start()
        defer { receiver.stop() }
        let events = SiteScenario.events(assets: 6)
        let total = SiteScenario.expected(events).events.values.joined().count
        let nats = try SiteScenario.connect([server.url])
        try SiteScenario.publish(events, to: nats)
        let secret = fixture.directory + "/hook-secret"
        // There when the file is read (the reader checks it), gone when the lease is taken.
        try "a-webhook-secret-0123456789abcdef".write(toFile: secret, atomically: true, encoding: .utf8)
        var config = try Self.configuration([server.url], hook: receiver.port)
        config.sinks = try SiteConfigReader.parse("""
            site: \(SiteScenario.site)
            nats: { servers: [\(server.url)] }
            sinks:
              - id: itam
                webhook: { url: "http://127.0.0.1:\(receiver.port)/site", timeout: 5s, secret: "file:\(secret)" }
                batch: { maxEvents: 7, linger: 0s }
                retry: { initial: 100ms, max: 300ms }
            """, file: "site.yaml").sinks
        try FileManager.default.removeItem(atPath: secret)
        var options = SiteRunner.Options()
        options.ackWait = .seconds(5)
        options.sinkRebuild = .milliseconds(200)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let runner = SiteRunner(config: config, options: options, logger: logger)
        let task = Task { await runner.run() }
        defer { task.cancel() }
        // The view applies everything while the sink cannot be built.
        var applied = false
        for _ in 0..<400 where !applied {
            try await Task.sleep(for: .milliseconds(50))
            applied = runner.counters.published >= total
        }
        #expect(applied)
        let stopped = runner.board.snapshot.first { $0.id == "itam" }
        #expect(stopped?.state == .stopped && stopped?.lastError?.contains("cannot be built") == true, "\(String(describing: stopped))")
        #expect(Self.delivered(receiver).isEmpty)

        try "a-webhook-secret-0123456789abcdef".write(toFile: secret, atomically: true, encoding: .utf8)
        var delivered: [String] = []
        for _ in 0..<400 where delivered.count < total {
            try await Task.sleep(for: .milliseconds(50))
            delivered = Self.firstDeliveries(Self.delivered(receiver))
        }
        let written = try SiteRunnerTests.written(nats, config).ids
        #expect(delivered == written)
        task.cancel()
        await task.value
    }
}
