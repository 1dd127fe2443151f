import AsyncHTTPClient
import Foundation
import HTTPReceiverSupport
import NATSServerSupport
import TagwayModel
import TagwayTestSupport
import Testing
@testable import TagwaySiteRunner

/// Two `tagway site` processes with a slow webhook: the active one is SIGKILLed while its sink
/// is waiting on the webhook; the standby takes the lease over and its sink resumes from the
/// cursor in the bucket. The webhook sees every site event, a repeat only with the same id, each
/// event's first delivery in the stream's order (so each asset's too). Each process serves the
/// site's API (`api:`): the standby answers as a standby before the kill, as the active process
/// after, with the same site events.
@Suite(.serialized, .enabled(if: NATSServer.available)) final class SiteSinkTakeoverTests {
    let site: SiteProcesses

    init() throws { site = try SiteProcesses("site-sink-takeover") }

    /// The lease is 5 s, as in `SiteTakeoverTests`: a 2 s lease could pass to the standby before
    /// the kill when the parallel suite starves the active process's renewal, and two active
    /// processes' sinks deliver many events twice (a takeover by load, not by the kill).
    @Test func aKilledSiteProcessesSinkIsResumedByTheStandby() async throws {
        // Each request is answered 200 ms late: the kill lands while one is in flight.
        let receiver = RecordingServer(delay: .milliseconds(200)) { _, _ in .init(status: 200) }
        try await receiver.start()
        defer { receiver.stop() }
        let events = SiteScenario.events(assets: 40)
        let total = SiteScenario.expected(events).events.values.joined().count
        let nats = try SiteScenario.connect([site.server.url])
        try SiteScenario.publish(events, to: nats)
        let ports = (first: LoopbackPort.free(), second: LoopbackPort.free())
        let file = site.directory + "/site.yaml"
        try """
            site: \(SiteScenario.site)
            nats: { servers: [\(site.server.url)] }
            bucket: { leaseTTL: 5s }
            view: { handoverWindow: 60s, reorderWindow: 2s, gapTimeout: 5s }
            sinks:
              - id: itam
                webhook: { url: "http://127.0.0.1:\(receiver.port)/site", timeout: 10s }
                batch: { maxEvents: 4, linger: 0s }
                retry: { initial: 100ms, max: 500ms }
            """.write(toFile: file, atomically: true, encoding: .utf8)
        // The two processes run on one machine here: each its own API port.
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try (text + "\napi: { listen: \"127.0.0.1:\(ports.first)\" }\n").write(toFile: file + ".first", atomically: true, encoding: .utf8)
        try (text + "\napi: { listen: \"127.0.0.1:\(ports.second)\" }\n").write(toFile: file + ".second", atomically: true, encoding: .utf8)
        let first = try site.start(file + ".first", name: "first")
        var leased = false
        for _ in 0..<200 where !leased {
            try await Task.sleep(for: .milliseconds(50))
            leased = (try? nats.openBucket("tagway-site-\(SiteScenario.site)", replicas: 1)) != nil
                && (try? nats.get(SiteBucketRows.leaseKey)) != nil
        }
        #expect(leased, "\(site.log("first"))")
        let second = try site.start(file + ".second", name: "second")
        // Listening (a refused connection is not retried by HTTP calls that take seconds each).
        for _ in 0..<100 where !LoopbackPort.accepts(ports.second) { try await Task.sleep(for: .milliseconds(50)) }
        #expect(try await Self.status(ports.second)["role"] as? String == "standby", "\(site.log("second"))")
        // A few batches delivered, the next one waiting on the webhook: kill.
        for _ in 0..<400 where receiver.requests.count < 3 { try await Task.sleep(for: .milliseconds(10)) }
        let deliveredAtKill = SiteSinkTests.delivered(receiver).count
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()

        var delivered = SiteSinkTests.delivered(receiver)
        for _ in 0..<600 where Set(delivered.map(\.id)).count < total {
            try await Task.sleep(for: .milliseconds(100))
            delivered = SiteSinkTests.delivered(receiver)
        }
        let after = try await Self.status(ports.second)
        let served = try await Self.get("http://127.0.0.1:\(ports.second)/v1/events?limit=10000")
        second.terminate()
        second.waitUntilExit()
        #expect(after["role"] as? String == "active")
        let servedIDs = (try JSONSerialization.jsonObject(with: Data(served.utf8)) as? [[String: Any]])?.compactMap { $0["id"] as? String }
        let stream = SiteScenario.siteStream(nats, name: "TAGWAY_SITE_\(SiteScenario.site)")
        #expect(deliveredAtKill < total, "the sink had finished before the kill")
        #expect(stream.count == total && Set(stream.map(\.id)).count == total)
        #expect(Set(delivered.map(\.id)) == Set(stream.map(\.id)), "none lost\nfirst: \(site.log("first"))\nsecond: \(site.log("second"))")
        #expect(SiteSinkTests.firstDeliveries(delivered) == stream.map(\.id), "in the stream's order")
        let streamAsset = Dictionary(stream.map { ($0.id, $0.asset) }, uniquingKeysWith: { a, _ in a })
        #expect(delivered.allSatisfy { streamAsset[$0.id] == $0.asset }, "a repeat is the same event")
        // The standby resumed from the cursor in the bucket, not from the start: at most the
        // batch in flight and one confirmed but not yet stored (maxEvents 4 each) come twice.
        #expect(delivered.count - Set(delivered.map(\.id)).count <= 8, "\(delivered.count) deliveries of \(total) events")
        #expect(deliveredAtKill >= 8, "killed before the first sink confirmed enough to tell a resume from a restart")
        #expect(site.log("second").contains("took the lease over"))
        #expect(servedIDs == stream.map(\.id), "the new active process serves every site event")
    }

    @Test func aSinkSecretThatIsNotSetStopsTheStart() throws {
        let file = site.directory + "/unset.yaml"
        try """
            site: \(SiteScenario.site)
            nats: { servers: [\(site.server.url)] }
            sinks:
              - id: itam
                webhook: { url: "http://127.0.0.1:9/site", secret: "env:TAGWAY_TEST_SITE_SECRET_UNSET" }
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let process = try site.start(file, name: "unset")
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(site.log("unset").contains("TAGWAY_TEST_SITE_SECRET_UNSET"), "\(site.log("unset"))")
    }

    static func get(_ url: String) async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
        return String(buffer: try await response.body.collect(upTo: 16 << 20))
    }

    static func status(_ port: Int) async throws -> [String: Any] {
        let body = try await get("http://127.0.0.1:\(port)/v1/status")
        return try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] ?? [:]
    }
}
