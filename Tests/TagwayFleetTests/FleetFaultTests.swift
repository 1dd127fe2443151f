import Foundation
import NATSServerSupport
import TagwayConfig
import TagwayDelivery
import TagwayEmulators
import TagwayModel
import TagwaySimulator
import TagwaySite
import TagwayTestSupport
import Testing
@testable import TagwaySiteRunner

/// Issue 17's "Done when": a real 3-node JetStream cluster with an R3 stream, three real
/// `tagway run` gateways on simulated readers (assets move from one gateway to the next), two
/// `tagway site` processes. Mid-burst the stream leader's nats-server is SIGKILLed, then the
/// active site process, then a gateway (restarted on the same data dir). Afterwards the stream
/// holds every gateway event exactly once (by `Nats-Msg-Id`, against each gateway's SQLite log),
/// and the site's bucket and site events equal the pure `SiteView` over the gateways' logs, the
/// same scenario without faults, cross-gateway moves included.
///
/// It runs on its own in `make test` (after the parallel suite, beside the kill -9 stress test):
/// its timing margins (see `FleetScenario`) are seconds, not the minutes a shared, loaded
/// machine can take. The class's deinit kills every process and server, whether the test passed.
@Suite(.serialized, .enabled(if: NATSServer.available, "nats-server is not installed (.ci/install-deps installs it)"))
final class FleetFaultTests {
    let directory = TestPaths.temporaryDirectory("fleet-fault")
    let cluster: NATSCluster
    var readers: [SimulatedReader] = []
    var gateways: [String: FleetProcess] = [:]
    var sites: [FleetProcess] = []

    init() throws {
        cluster = NATSCluster(directory: directory)
        try cluster.start()
    }

    deinit {
        readers.forEach { $0.stop() }
        sites.forEach { $0.kill9() }
        gateways.values.forEach { $0.kill9() }
        cluster.killAll()
        try? FileManager.default.removeItem(atPath: directory)
    }

    static let assets = 48

    /// Polls without suspending the test's thread for long, until `condition` or `timeout`.
    func waitFor(_ timeout: Duration, _ condition: () throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try condition()
    }

    func sleep(until scenarioSeconds: Double, from start: ContinuousClock.Instant) async throws {
        let at = start + .milliseconds(Int64(scenarioSeconds * 1000))
        if at > ContinuousClock.now { try await Task.sleep(until: at) }
    }

    var gatewayLogs: String { FleetScenario.gateways.compactMap { gateways[$0]?.allLogs }.joined(separator: "\n") }
    var siteLogs: String { sites.map(\.allLogs).joined(separator: "\n") }

    @Test func leaderSiteAndGatewayKillsLoseAndDoubleNothing() async throws {
        let scenario = FleetScenario(assets: Self.assets)
        // The gateways' R3 stream, made once the cluster has its JetStream meta leader (the
        // gateways would each make it otherwise, and find it made).
        var client: SiteJetStream?
        for _ in 0..<150 where client == nil {
            client = try? FleetReadBack.connect(cluster.urls)
            try? client?.ensureStream(JetStreamStreamSpec(name: "TAGWAY", subjects: ["tagway.>"], replicas: 3, duplicateWindow: .seconds(120)))
            if client.map({ FleetReadBack.leader(of: "TAGWAY", $0) == nil }) ?? true {
                client = nil
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        let nats = try #require(client, "no JetStream cluster: \(cluster.servers.map(\.logText))")

        for gateway in FleetScenario.gateways {
            let dir = directory + "/" + gateway
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            readers.append(try SimulatedReader(path: dir + "/dock", emulator: EmulatorFactory.make(protocolID: "magicrf-m100", settings: [:]),
                                               scenario: Scenario.parse(scenario.script(gateway), file: gateway)))
            let file = dir + "/gateway.yaml"
            try FleetScenario.gatewayConfig(gateway, dir: dir, devices: TestPaths.repositoryDevices, servers: cluster.urls)
                .write(toFile: file, atomically: true, encoding: .utf8)
            let process = FleetProcess(name: gateway, arguments: ["run", "--config", file, "--log-level", "info"], directory: directory)
            gateways[gateway] = process
            try process.start()
        }
        for gateway in gateways.values {
            let ready = try await waitFor(.seconds(60)) { gateway.log.contains("reader r-dock: connected") }
            #expect(ready, "\(gateway.allLogs)")
        }

        let siteFile = directory + "/site.yaml"
        let siteText = FleetScenario.siteConfig(servers: cluster.urls)
        try siteText.write(toFile: siteFile, atomically: true, encoding: .utf8)
        let config = try SiteConfigReader.parse(siteText, file: siteFile)
        for name in ["site-1", "site-2"] {
            let site = FleetProcess(name: name, arguments: ["site", "--config", siteFile, "--ack-wait", "2", "--log-level", "info"],
                                    directory: directory)
            sites.append(site)
            try site.start()
            // The first takes the lease before the second starts, so the one to kill is known.
            let settled = try await waitFor(.seconds(30)) { site.log.contains(": active") || site.log.contains("standing by") }
            #expect(settled, "\(site.allLogs)")
        }
        #expect(sites[0].log.contains(": active"), "\(siteLogs)")
        // (The leader's kill below may drop the active process's connection for longer than the
        // lease: then the standby takes over there, and the process killed later is that one.)

        // The burst. Each fault comes while events are flowing: arrivals from 1 s to 12.75 s,
        // departures from 10 s, second arrivals from 17 s to 28.75 s. The site's first events come
        // about `reorderWindow` after the first arrivals, so the site process is killed after them.
        let start = ContinuousClock.now
        for reader in readers { reader.start() }

        try await sleep(until: 8, from: start)
        let leaderName = try #require(FleetReadBack.leader(of: "TAGWAY", nats))
        let leader = try #require(cluster.server(named: leaderName))
        let storedAtLeaderKill = nats.messageCount("TAGWAY")
        leader.kill()
        let survivors = cluster.servers.filter { $0 !== leader }.map(\.url)

        // The active site process, once it has published site events (its first come about
        // `reorderWindow` after the first arrivals, later when the leader's kill made the standby
        // take over): the one the lease row names. Killed without suspending after the look-up.
        try await sleep(until: 20, from: start)
        var reader = try FleetReadBack.connect(survivors)
        let publishing = try await waitFor(.seconds(30)) { reader.messageCount(config.events.stream.name) > 0 }
        #expect(publishing, "\(siteLogs)")
        let holder = try FleetReadBack.leaseHolder(reader, config)
        let active = try #require(sites.first { $0.pid != nil && $0.pid == holder }, "lease held by \(String(describing: holder))\n\(siteLogs)")
        let standby = try #require(sites.first { $0 !== active })
        let siteEventsAtSiteKill = reader.messageCount(config.events.stream.name)
        active.kill9()

        try await sleep(until: 24, from: start)
        let killedGateway = "gw-b"
        let loggedAtGatewayKill = try FleetReadBack.logged(directory + "/" + killedGateway).count
        let gateway = try #require(gateways[killedGateway])
        gateway.kill9()
        try gateway.start()
        let restarted = try await waitFor(.seconds(60)) { gateway.log.contains("reader r-dock: connected") }
        #expect(restarted, "\(gateway.allLogs)")

        // Every scripted step done, and every departure it causes logged.
        try await sleep(until: scenario.lastStep + Double(FleetScenario.departAfter) + 3, from: start)
        reader = try FleetReadBack.connect(survivors)
        var logs: [String: [MovementEvent]] = [:]
        var stream = FleetReadBack.streamIDs(reader)
        let delivered = try await waitFor(.seconds(60)) {
            for name in FleetScenario.gateways { logs[name] = try FleetReadBack.logged(directory + "/" + name) }
            stream = FleetReadBack.streamIDs(reader)
            return FleetScenario.gateways.allSatisfy { Set(stream.byGateway[$0] ?? []).isSuperset(of: (logs[$0] ?? []).map(\.id)) }
        }
        #expect(delivered, "\(gatewayLogs)")

        // The site: the same picture and site events as the pure view over the gateways' logs,
        // once the last departure's handover window has passed on the site's clock.
        let expected = FleetReadBack.expected(FleetScenario.gateways.map { logs[$0] ?? [] }, settings: config.view)
        let total = expected.events.values.joined().count
        var written = FleetReadBack.Written()
        let converged = try await waitFor(.seconds(Int64(FleetScenario.handoverWindow + 2 * FleetScenario.reorderWindow + 30))) {
            written = (try? FleetReadBack.written(reader, config)) ?? written
            return written.ids.count >= total && written.picture == expected.picture && written.events == expected.events
        }

        for reader in readers { reader.stop() }
        for name in FleetScenario.gateways { #expect(gateways[name]?.stop() == true, "\(name) stops cleanly on SIGTERM") }
        #expect(standby.stop(), "the standby, now active, stops cleanly on SIGTERM: \(standby.allLogs)")

        // The faults came mid-burst.
        let loggedInAll = logs.values.map(\.count).reduce(0, +)
        #expect(storedAtLeaderKill > 0 && storedAtLeaderKill < UInt64(loggedInAll), "leader killed at \(storedAtLeaderKill) of \(loggedInAll)")
        #expect(siteEventsAtSiteKill > 0 && siteEventsAtSiteKill < UInt64(total), "site killed at \(siteEventsAtSiteKill) of \(total)\n\(siteLogs)")
        #expect(loggedAtGatewayKill > 0 && loggedAtGatewayKill < logs[killedGateway]?.count ?? 0)
        #expect(standby.log.contains("took the lease over"), "\(siteLogs)")

        // The stream: every gateway event exactly once, each gateway's in log order.
        #expect(stream.withoutID == 0)
        for name in FleetScenario.gateways {
            let ids = stream.byGateway[name] ?? []
            #expect(ids == (logs[name] ?? []).map(\.id), "\(name): \(ids.count) in the stream, \(logs[name]?.count ?? 0) logged, \(ids.count - Set(ids).count) twice")
        }
        // Cross-gateway moves are part of what is compared.
        let handovers = expected.events.values.joined().count - expected.picture.count
        #expect(handovers > Self.assets / 2)

        let differing = Set(written.events.keys).union(expected.events.keys).filter { written.events[$0] != expected.events[$0] }
        #expect(converged, "differing assets: \(differing.sorted())\n\(siteLogs)")
        #expect(written.events == expected.events)
        #expect(written.picture == expected.picture, "\(Set(written.picture.keys).symmetricDifference(expected.picture.keys))")
        #expect(written.ids.count == Set(written.ids).count && written.ids.count == total, "every site event once")
    }
}
