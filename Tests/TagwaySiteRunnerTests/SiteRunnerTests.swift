import Foundation
import Logging
import NATSServerSupport
import TagwayConfig
import TagwayDelivery
import TagwayModel
import TagwayRuntime
import TagwaySite
import TagwayTestSupport
import Testing
@testable import TagwaySiteRunner

/// The site process against a real nats-server: two gateways' events (cross-gateway moves among
/// them, and a message that is not an event) go into the gateways' stream as the JetStream sink
/// publishes them; the bucket's picture and the site events stream then equal the pure view's.
/// The server is killed in deinit, which runs even when a test fails.
@Suite(.serialized, .enabled(if: NATSServer.available)) final class SiteRunnerTests {
    let fixture: NATSServerFixture
    var server: NATSServer { fixture.server }

    init() throws { fixture = try NATSServerFixture("site-runner") }

    static func configuration(_ servers: [String]) throws -> SiteConfiguration {
        var config = try SiteConfigReader.parse("""
            site: \(SiteScenario.site)
            nats: { servers: [\(servers.joined(separator: ", "))] }
            bucket: { leaseTTL: 30s }
            view: { handoverWindow: 60s, reorderWindow: 2s, gapTimeout: 5s }
            """, file: "site.yaml")
        config.view = SiteScenario.settings
        return config
    }

    /// What the site wrote: per asset the site events' ids in the stream, and the bucket's picture.
    static func written(_ nats: SiteJetStream, _ config: SiteConfiguration) throws -> (events: [String: [String]], picture: [String: SiteAssetState], ids: [String]) {
        let stream = SiteScenario.siteStream(nats, name: config.events.stream.name)
        try nats.openBucket(config.bucket.name, replicas: config.bucket.replicas)
        let rows = SiteBucketRows.decode(try nats.entries())
        let picture = Dictionary(uniqueKeysWithValues: rows.assets.map { ($0.asset.key, $0) })
        return (Dictionary(grouping: stream, by: \.asset).mapValues { $0.map(\.id) }, picture, stream.map(\.id))
    }

    @Test func theBucketAndSiteEventsEqualThePureViews() async throws {
        let events = SiteScenario.events(assets: 12)
        let expected = SiteScenario.expected(events)
        #expect(expected.events.values.joined().count > 12)
        let nats = try SiteScenario.connect([server.url])
        try SiteScenario.publish(events, to: nats)
        try nats.publish(subject: "tagway.campus.dock-a.arrived", payload: Array("not an event".utf8), id: "garbage-1")
        let config = try Self.configuration([server.url])
        var options = SiteRunner.Options()
        options.ackWait = .seconds(5)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let runner = SiteRunner(config: config, options: options, logger: logger)
        let task = Task { await runner.run() }
        let total = expected.events.values.joined().count
        var done = false
        for _ in 0..<400 where !done {
            try await Task.sleep(for: .milliseconds(50))
            done = runner.counters.published >= total && runner.counters.notEvents == 1
        }
        task.cancel()
        await task.value
        #expect(done, "published \(runner.counters.published) of \(total); \(runner.counters)")
        let written = try Self.written(nats, config)
        #expect(written.events == expected.events)
        #expect(written.picture == expected.picture)
        #expect(runner.counters.notEvents == 1)
    }
}
