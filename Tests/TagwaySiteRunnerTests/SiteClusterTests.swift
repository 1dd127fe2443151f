import Foundation
import Logging
import NATSServerSupport
import TagwayConfig
import TagwaySite
import TagwayTestSupport
import Testing
@testable import TagwaySiteRunner

/// The site process on a 3-node JetStream cluster: the gateways' stream, the bucket and the site
/// events stream all R3; the picture and site events equal the pure view's.
@Suite(.serialized, .enabled(if: NATSServer.available)) final class SiteClusterTests {
    let directory = TestPaths.temporaryDirectory("site-cluster")
    let cluster: NATSCluster

    init() throws {
        cluster = NATSCluster(directory: directory)
        try cluster.start()
    }

    deinit {
        cluster.killAll()
        try? FileManager.default.removeItem(atPath: directory)
    }

    @Test func anR3SiteGivesThePureViewsPicture() async throws {
        let events = SiteScenario.events(assets: 20)
        let expected = SiteScenario.expected(events)
        var nats: SiteJetStream?
        // The cluster elects its JetStream meta leader a moment after the servers accept connections.
        for _ in 0..<100 where nats == nil {
            nats = try? SiteScenario.connect(cluster.urls, replicas: 3)
            if nats == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        let client = try #require(nats)
        try SiteScenario.publish(events, to: client)
        var config = try SiteRunnerTests.configuration(cluster.urls)
        config.bucket.replicas = 3
        config.events.stream.replicas = 3
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let runner = SiteRunner(config: config, logger: logger)
        let task = Task { await runner.run() }
        let total = expected.events.values.joined().count
        var written = try SiteRunnerTests.written(client, config)
        for _ in 0..<300 where written.ids.count < total || written.picture != expected.picture {
            try await Task.sleep(for: .milliseconds(100))
            written = (try? SiteRunnerTests.written(client, config)) ?? written
        }
        task.cancel()
        await task.value
        #expect(written.events == expected.events, "\(runner.counters)")
        #expect(written.picture == expected.picture)
        #expect(written.ids.count == total)
        // Every part of the site's state is replicated on the three nodes.
        #expect(client.replicas(ofStream: "KV_\(config.bucket.name)") == 3)
        #expect(client.replicas(ofStream: config.events.stream.name) == 3)
    }
}
