import CNATS
import Foundation
import Logging
import NATSServerSupport
import TagwayConfig
import TagwayTestSupport
import Testing
@testable import TagwaySiteRunner

/// A site session that ends frees its libnats objects (`SiteJetStream.close`), and freeing the
/// durable pull subscription must not delete the durable consumer (`natsSubscription_Unsubscribe`
/// would, for the session that created it). On a real nats-server: a first process creates the
/// consumer and stops (SIGTERM, the server up); the consumer is still there, and a second process
/// resumes from it, through two sessions ended by killing the server and starting it again, the
/// gateways publishing more events after each. The bucket and the site events stream equal the
/// pure view's, the consumer has acked every message, and each message was received about once:
/// nothing lost, nothing applied twice, no session started the stream over.
@Suite(.serialized, .enabled(if: NATSServer.available)) final class SiteSessionEndTests {
    let fixture: NATSServerFixture
    var server: NATSServer { fixture.server }

    init() throws { fixture = try NATSServerFixture("site-session-end") }

    /// The durable consumer's creation time and how far it has acked (nil when it does not exist).
    static func consumer(_ nats: SiteJetStream, stream: String, name: String) -> (created: Int64, ackFloor: UInt64, pending: UInt64)? {
        var info: UnsafeMutablePointer<jsConsumerInfo>?
        var code = jsErrCode(0)
        guard js_GetConsumerInfo(&info, nats.js, stream, name, nil, &code) == NATS_OK, let info else { return nil }
        defer { jsConsumerInfo_Destroy(info) }
        return (info.pointee.Created, info.pointee.AckFloor.Stream, info.pointee.NumPending)
    }

    /// Polls every 50 ms, at most 30 s; whether `condition` came to hold.
    static func eventually(_ condition: () throws -> Bool) async throws -> Bool {
        for _ in 0..<600 {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try condition()
    }

    @Test func theDurableConsumerOutlivesEverySessionAndTheSiteResumesFromIt() async throws {
        let events = SiteScenario.events(assets: 40)
        // Four parts, each ten whole assets in order (so each gateway's seqs go on from one part
        // to the next without a gap), published one after another with a session end in between.
        let perAsset = Dictionary(grouping: events.indices, by: { events[$0].asset.key })
        let cuts = (1..<4).map { part in perAsset["urn:epc:id:giai:0614141.\(part * 10)"]?.min() ?? 0 }
        let bounds = [0] + cuts + [events.count]
        let parts = (0..<4).map { Array(events[bounds[$0]..<bounds[$0 + 1]]) }
        #expect(parts.map(\.count).reduce(0, +) == events.count && parts.allSatisfy { !$0.isEmpty })
        let expected = SiteScenario.expected(events)
        var config = try SiteRunnerTests.configuration([server.url])
        config.bucket.leaseTTL = .seconds(2)  // a new session waits out its own previous lease
        var options = SiteRunner.Options()
        options.ackWait = .seconds(5)
        options.retryDelay = .milliseconds(200)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        func start() -> (runner: SiteRunner, task: Task<Void, Never>) {
            let runner = SiteRunner(config: config, options: options, logger: logger)
            return (runner, Task { await runner.run() })
        }
        var gateways = try SiteScenario.connect([server.url])
        func publish(_ part: Int, _ runner: SiteRunner) async throws {
            try SiteScenario.publish(parts[part], to: gateways)
            // What the pure view makes of every part so far (a part alone starts at a gap).
            let siteEvents = SiteScenario.expected(Array(events[..<bounds[part + 1]])).events.values.joined().count
            #expect(try await Self.eventually { gateways.messageCount(config.events.stream.name) == siteEvents },
                    "part \(part): \(gateways.messageCount(config.events.stream.name)) of \(siteEvents); \(runner.counters)")
        }

        // The first process creates the consumer; its session ends with the server up (SIGTERM):
        // the subscription is freed while the server hears it, and the consumer stays.
        let first = start()
        defer { first.task.cancel() }
        try await publish(0, first.runner)
        first.task.cancel()
        await first.task.value
        let kept = try #require(Self.consumer(gateways, stream: config.stream, name: config.consumer), "the durable consumer was deleted")
        #expect(kept.pending == 0 && kept.ackFloor == UInt64(parts[0].count), "\(kept)")

        // The next process resumes from it, through two sessions ended by the server's death.
        let second = start()
        defer { second.task.cancel() }
        try await publish(1, second.runner)
        for part in 2...3 {
            // The session has acked what it applied before the server dies, so what the kill can
            // take back is only what the server had not written of those acks yet.
            let published = UInt64(bounds[part])
            #expect(try await Self.eventually { Self.consumer(gateways, stream: config.stream, name: config.consumer)?.ackFloor == published },
                    "part \(part - 1) not acked before the kill")
            let failures = second.runner.counters.failures
            gateways.close()
            gateways.connection.close()
            let nats = server
            await onOwnThread { nats.kill() }
            #expect(try await Self.eventually { second.runner.counters.failures > failures })
            try await onOwnThread { try nats.start() }
            gateways = try SiteScenario.connect([server.url])
            try await publish(part, second.runner)
        }
        second.task.cancel()
        await second.task.value
        defer {
            gateways.close()
            gateways.connection.close()
        }

        let written = try SiteRunnerTests.written(gateways, config)
        #expect(written.events == expected.events)
        #expect(written.picture == expected.picture)
        #expect(written.ids.count == Set(written.ids).count, "a site event stored twice")
        let last = try #require(Self.consumer(gateways, stream: config.stream, name: config.consumer))
        #expect(last.pending == 0 && last.ackFloor == UInt64(events.count), "\(last)")
        // A restarted server reads the creation time back from its store, a few microseconds off
        // what it first said (75 µs seen); one created again would be a session later, seconds on.
        #expect(abs(last.created - kept.created) < 1_000_000_000, "the durable consumer was created again: \(kept.created) → \(last.created)")
        // Each gateway message is received about once. A SIGKILLed server may forget acks it had
        // not written yet (the acks of the part before each kill, and the first kill's part again
        // if its redelivery was not written before the second): at most p1 + (p1 + p2) more. A
        // consumer created again for each session would deliver the stream from its start each
        // time: 3·p0 + 2·p1 + p2 more, which is always more than that.
        let received = first.runner.counters.received + second.runner.counters.received
        let mostRedelivered = parts[1].count * 2 + parts[2].count
        #expect(received >= events.count && received <= events.count + mostRedelivered,
                "received \(received) of \(events.count), at most \(mostRedelivered) again")
    }
}
