import Foundation
import NATSServerSupport
import Testing
import TagwayConfig
import TagwayModel
import TagwayOutbox
import TagwaySinks
import TagwayTestSupport
@testable import TagwayGateway

/// The `jetstream:` entry of a gateway file, built as `tagway run` builds it: `gateway.site` in
/// the subjects, the login's secret from the environment (a missing one stops the start, named),
/// and check-config's line for the sink.
@Suite(.serialized, .enabled(if: NATSServer.available, "nats-server is not installed (.ci/install-deps installs it)"))
final class JetStreamWiringTests {
    var servers: [NATSServer] = []
    let directory = NSTemporaryDirectory() + "tagway-jetstream-wiring-\(UUID().uuidString.prefix(8))"

    deinit {
        servers.forEach { $0.kill() }
        try? FileManager.default.removeItem(atPath: directory)
    }

    func config(port: Int) throws -> GatewayConfig {
        try GatewayConfigLoader.parse("""
            gateway: { id: dock-east, site: campus-north, dataDir: /tmp/x }
            readers:
              - { id: door3-uhf, profile: magicrf/m100, port: /dev/null }
            sinks:
              - id: fleet
                jetstream: { servers: ["nats://127.0.0.1:\(port)"], auth: { token: "env:TAGWAY_TEST_NATS_TOKEN" },
                             stream: { name: FLEET, subjects: ["tagway.campus-north.>"] } }
            """, file: "/etc/tagway/gw.yaml", devicesDir: TestPaths.repositoryDevices)
    }

    @Test func theConfiguredSinkPublishesOnTheSitesSubjects() async throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let server = NATSServer(directory: directory, extra: "authorization { token: t0ken }")
        servers.append(server)
        try server.start()
        let config = try config(port: server.port)
        #expect(config.checkReport(file: "gw.yaml").contains(
            "  sink fleet: jetstream to nats://127.0.0.1:\(server.port), subject tagway.{site}.{gateway}.{type} (site campus-north), stream FLEET (tagway.campus-north.>, R1)"))

        let built = try SinkFactory.make(config.sinks, gatewayID: config.gatewayID, site: config.siteName,
                                         environment: ["TAGWAY_TEST_NATS_TOKEN": "t0ken"], clock: { Timestamp(milliseconds: 0) },
                                         logID: "5f0c2a9e-1d7b-4c2e-9a51-3b8d6e0f4a17")
        let sink = try #require(built.first?.sink)
        #expect(sink.kind == "jetstream")
        let events = [JetStreamFixture.event(0, gateway: "dock-east"), JetStreamFixture.event(1, gateway: "dock-east", type: .departed)]
        #expect(await sink.deliver(events) == .delivered)
        await sink.shutdown()
        let messages = try StreamReader(servers: ["nats://t0ken@127.0.0.1:\(server.port)"]).messages("FLEET")
        #expect(messages.map(\.subject) == ["tagway.campus-north.dock-east.arrived", "tagway.campus-north.dock-east.departed"])
        #expect(messages.map(\.logID) == Array(repeating: "5f0c2a9e-1d7b-4c2e-9a51-3b8d6e0f4a17", count: 2), "the log's identity, as `tagway run` passes it")

        #expect(throws: SinkFactory.MissingSecret.self) {
            try SinkFactory.make(config.sinks, gatewayID: config.gatewayID, site: config.siteName, environment: [:],
                                 clock: { Timestamp(milliseconds: 0) })
        }
    }
}
