import Foundation
import NATSServerSupport
import TagwayModel
import TagwaySite
import TagwayTestSupport
import Testing
@testable import TagwaySiteRunner

/// Two `tagway site` processes for one site: one takes the lease, the other stands by. The
/// active one is SIGKILLed mid-burst; the standby takes over from the bucket and the stream's
/// redeliveries. The picture and each asset's site events equal the pure view's, and each site
/// event is once in the site events stream.
@Suite(.serialized, .enabled(if: NATSServer.available)) final class SiteTakeoverTests {
    let site: SiteProcesses

    init() throws { site = try SiteProcesses("site-takeover") }

    @Test func aKilledSiteProcessIsTakenOverWithTheSameResult() async throws {
        let events = SiteScenario.events(assets: 600)
        let expected = SiteScenario.expected(events)
        let total = expected.events.values.joined().count
        let nats = try SiteScenario.connect([site.server.url])
        let file = site.directory + "/site.yaml"
        try """
            site: \(SiteScenario.site)
            nats: { servers: [\(site.server.url)] }
            bucket: { leaseTTL: 5s }
            view: { handoverWindow: 60s, reorderWindow: 2s, gapTimeout: 5s }
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let config = try SiteRunnerTests.configuration([site.server.url])

        // Published before either process starts, so each process gets them in one burst (a
        // backlog fetched in pieces more than reorderWindow apart could resolve a handover's
        // departure before its arrival, in the pure view as here: see the README).
        try SiteScenario.publish(events, to: nats)
        let first = try site.start(file, name: "first")
        var leased = false
        // From here to the kill the test never suspends: under a loaded test process a task that
        // sleeps may resume after the first process has finished its burst.
        for _ in 0..<10_000 where !leased {
            usleep(1_000)
            leased = (try? nats.openBucket(config.bucket.name, replicas: 1)) != nil && (try? nats.get(SiteBucketRows.leaseKey)) != nil
        }
        #expect(leased, "\(site.log("first"))")
        let second = try site.start(file, name: "second")

        var started = false
        // Polled without suspending, so the kill comes within a millisecond of the first site
        // event whatever else the test process runs.
        for _ in 0..<20_000 where !started {
            usleep(1_000)
            started = nats.messageCount(config.events.stream.name) > 0
        }
        // Site events still missing when the kill is sent: it lands mid-step.
        let killedAt = nats.messageCount(config.events.stream.name)
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()

        var written = try SiteRunnerTests.written(nats, config)
        for _ in 0..<600 where written.ids.count < total || written.picture != expected.picture || !site.log("second").contains("active") {
            try await Task.sleep(for: .milliseconds(100))
            written = try SiteRunnerTests.written(nats, config)
        }
        second.terminate()
        second.waitUntilExit()
        #expect(second.terminationReason == .exit && second.terminationStatus == 0, "SIGTERM stops cleanly")
        #expect(started)
        #expect(killedAt < UInt64(total), "the first process finished before it was killed")
        let differing = Set(written.events.keys).union(expected.events.keys).filter { written.events[$0] != expected.events[$0] }
        let got = nats.readStream(config.events.stream.name).compactMap { message -> MovementEvent? in
            if case .success(let event) = GatewayEventDecoder.decode(message.payload) { return event } else { return nil }
        }
        let detail = differing.sorted().map { key in
            "\(key): " + got.filter { $0.asset.key == key }.map { "\($0.type.rawValue) \($0.from ?? "-")->\($0.to ?? "-") \($0.time.milliseconds) [\($0.reason ?? "")]" }
                .joined(separator: "; ")
        }
        #expect(differing.isEmpty, "differing assets: \(detail)\nfirst: \(site.log("first"))\nsecond: \(site.log("second"))")
        #expect(written.events == expected.events, "first: \(site.log("first"))\nsecond: \(site.log("second"))")
        #expect(written.picture == expected.picture)
        #expect(written.ids.count == Set(written.ids).count && written.ids.count == total)
        #expect(site.log("second").contains("took the lease over"))
        // The burst's step was recorded in several parts (a bucket value is one NATS message).
        #expect(try nats.get(SiteStep.partKey(generation: 0, index: 1)) != nil || nats.get(SiteStep.partKey(generation: 1, index: 1)) != nil)
    }
}
