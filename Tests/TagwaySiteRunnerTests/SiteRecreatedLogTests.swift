import Foundation
import Logging
import NATSServerSupport
import TagwayDelivery
import TagwayEventLog
import TagwayModel
import TagwayOutbox
import TagwayRuntime
import TagwaySinks
import TagwaySite
import TagwayTestSupport
import Testing
@testable import TagwaySiteRunner

/// A gateway whose event log is deleted and recreated numbers its events from 1 again (issue 17):
/// a real `EventLog` delivered by a real JetStream sink into a real nats-server, the site
/// process consuming. Before log identities, the site dropped the new log's events as
/// duplicates of the old log's first ones; now each is applied (picture and site events).
/// The server is killed in the fixture's deinit, the forwarders cancelled in each test's defer.
@Suite(.serialized, .enabled(if: NATSServer.available)) final class SiteRecreatedLogTests {
    let fixture: NATSServerFixture
    let directory: String
    var server: NATSServer { fixture.server }

    init() throws {
        fixture = try NATSServerFixture("site-recreated-log")
        directory = TestPaths.temporaryDirectory("site-recreated-log-gateway")
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    /// `count` arrivals at `dock-a`, an hour ago (every window closed, no clock looks ahead).
    static func arrivals(_ prefix: String, _ count: Int, zone: String) -> [MovementEvent] {
        var rng = SystemRandomNumberGenerator()
        let base = SystemClock.now().milliseconds - 3_600_000
        return (0..<count).map { i in
            let time = Timestamp(milliseconds: base + Int64(i) * 1_000)
            return MovementEvent(id: EventID.make(time: time, using: &rng), type: .arrived, time: time, gateway: "dock-a",
                                 asset: AssetRef(key: "urn:epc:id:giai:0614141.\(prefix)\(i)", scheme: "giai", raw: "\(prefix)\(i)"),
                                 to: zone)
        }
    }

    /// Appends `events` to the log and delivers them through a JetStream sink carrying the log's
    /// identity, as `tagway run` builds it; returns the events with their `seq`.
    func deliver(_ events: [MovementEvent], log: EventLog) async throws -> [MovementEvent] {
        let stored = try await log.append(events)
        var options = JetStreamOptions(servers: [server.url], site: SiteScenario.site,
                                       stream: JetStreamStreamSpec(name: "TAGWAY", subjects: ["tagway.>"]), maxInFlight: 16,
                                       ackTimeout: .seconds(3), clientName: "tagway-test")
        options.logID = log.identity
        let sink = JetStreamSink(id: "js", options: options)
        let policy = DeliveryPolicy(maxEvents: 100, linger: .milliseconds(10), retryInitial: .milliseconds(50), retryMax: .milliseconds(500))
        let forwarder = try Forwarder(log: log, sinks: [(sink, policy)], retention: RetentionPolicy(maxAge: nil),
                                      logger: Self.logger, clock: .system)
        let running = Task { await forwarder.run() }
        // Nothing throws until the forwarder is stopped and the sink shut down.
        var delivered = false
        for _ in 0..<200 where !delivered {
            delivered = (try? log.cursor(sink: "js")) == stored.last?.seq
            if !delivered { try? await Task.sleep(for: .milliseconds(50)) }
        }
        running.cancel()
        await running.value
        await sink.shutdown()
        #expect(delivered, "the sink delivered the log's events")
        return stored
    }

    @Test func everyEventOfARecreatedLogIsApplied() async throws {
        let nats = try SiteScenario.connect([server.url])
        var config = try SiteRunnerTests.configuration([server.url])
        // One process at a time here: the restarted one takes the stopped one's lease over after this.
        config.bucket.leaseTTL = .seconds(2)
        var options = SiteRunner.Options()
        options.ackWait = .seconds(5)
        let runner = SiteRunner(config: config, options: options, logger: Self.logger)
        let site = Task { await runner.run() }
        defer { site.cancel() }

        let first = try EventLog(directory: directory, durability: .normal)
        let oldIdentity = first.identity
        let old = try await deliver(Self.arrivals("old", 5, zone: "z1"), log: first)
        #expect(old.map(\.seq) == [1, 2, 3, 4, 5])
        var caughtUp = false
        for _ in 0..<400 where !caughtUp {
            try await Task.sleep(for: .milliseconds(50))
            caughtUp = runner.counters.published >= 5
        }
        #expect(caughtUp, "the old log's arrivals applied: \(runner.counters)")

        // The log is deleted (a new disk, `rm data/events.sqlite`): the new one numbers from 1.
        try first.close()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: directory + "/" + EventLog.fileName + suffix) }
        let second = try EventLog(directory: directory, durability: .normal)
        #expect(second.identity != oldIdentity)
        let new = try await deliver(Self.arrivals("new", 3, zone: "z2"), log: second)
        #expect(new.map(\.seq) == [1, 2, 3])

        var applied = false
        for _ in 0..<400 where !applied {
            try await Task.sleep(for: .milliseconds(50))
            applied = runner.counters.published >= 8
        }
        site.cancel()
        await site.value
        #expect(applied, "the new log's arrivals applied: \(runner.counters)")
        #expect(runner.counters.logsReplaced == 1)
        #expect(runner.counters.replacedLogEvents == 0)

        // A new site process resumes from the bucket: the new log is current, its next events
        // are applied, and nothing is taken for another log replacement.
        let later = try await deliver(Self.arrivals("later", 2, zone: "z3"), log: second)
        #expect(later.map(\.seq) == [4, 5])
        try second.close()
        let restarted = SiteRunner(config: config, options: options, logger: Self.logger)
        let resumed = Task { await restarted.run() }
        defer { resumed.cancel() }
        var resumedApplied = false
        for _ in 0..<400 where !resumedApplied {
            try await Task.sleep(for: .milliseconds(50))
            resumedApplied = restarted.counters.published >= 2
        }
        resumed.cancel()
        await resumed.value
        #expect(resumedApplied, "the restarted process applied the new log's later events: \(restarted.counters)")
        #expect(restarted.counters.logsReplaced == 0 && restarted.counters.problems == 0, "\(restarted.counters)")

        let written = try SiteRunnerTests.written(nats, config)
        for event in new {
            #expect(written.picture[event.asset.key]?.location == SiteLocation(gateway: "dock-a", zone: "z2"), "\(event.asset.key)")
            #expect(written.events[event.asset.key]?.count == 1, "one site arrival for \(event.asset.key)")
        }
        for event in later {
            #expect(written.picture[event.asset.key]?.location == SiteLocation(gateway: "dock-a", zone: "z3"), "\(event.asset.key)")
        }
        for event in old {
            #expect(written.picture[event.asset.key]?.location == SiteLocation(gateway: "dock-a", zone: "z1"), "\(event.asset.key)")
        }
        let positions = SiteBucketRows.decode(try nats.entries(prefix: "pos.")).positions
        #expect(positions[GatewayLog(gateway: "dock-a", log: oldIdentity)] == LogPosition(next: 6, generation: 0))
        #expect(positions[GatewayLog(gateway: "dock-a", log: second.identity)] == LogPosition(next: 6, generation: 1))
    }
}
