import Foundation
import Logging
import TagwayConfig
import TagwaySimulator
import TagwayTestSupport
import Testing
@testable import TagwayGateway

/// `Gateway.run` with an LLRP reader in its configuration, against the emulated reader on
/// 127.0.0.1: the conversation configures it, its reads become events at the configured read
/// points, its details reach the reader's health, and a dropped connection is made again.
@Suite struct LLRPGatewayTests {
    static let epc = "3074257BF7194E4000001A85"

    /// Polls `condition` every 20 ms for at most `seconds` (the gateway runs on the real clock).
    static func eventually(_ seconds: Int = 20, _ condition: () throws -> Bool) async throws -> Bool {
        for _ in 0..<(seconds * 50) {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try condition()
    }

    @Test func anLLRPReaderRunsInTheGateway() async throws {
        let scenario = try Scenario.parse("0.0 enter \(Self.epc) antenna=2 rssi=-50")
        let server = try await LLRPEmulatorServer.start(scenario: scenario)
        let dir = TestPaths.temporaryDirectory("llrp-gateway")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = try GatewayConfigLoader.parse("""
            gateway: { id: gw, dataDir: "\(dir)/data" }
            readers:
              - { id: dock3, profile: impinj/r700, host: 127.0.0.1, port: \(server.port),
                  antennas: { 1: dock3-out, 2: { readPoint: dock3-in, power: 25 } } }
            zones:
              - { id: dock, readPoints: [dock3-in, dock3-out] }
            """, file: dir + "/gw.yaml", devicesDir: TestPaths.repositoryDevices)
        var logger = Logger(label: "llrp-gateway-test")
        logger.logLevel = .critical
        let gateway = try Gateway(config: config, logger: logger)
        let running = Task { await gateway.run() }

        #expect(try await Self.eventually { try !gateway.log.events(after: 0, limit: 10).isEmpty })
        let arrived = try #require(try gateway.log.events(after: 0, limit: 10).first)
        #expect(arrived.type == .arrived)
        #expect(arrived.asset.raw == Self.epc)
        #expect(arrived.readPoint == "dock3-in", "antenna 2's read point")
        #expect(arrived.reader == "dock3")
        let health = try #require(gateway.health.snapshot.first)
        #expect(health.connected)
        #expect(health.path == "127.0.0.1:\(server.port)")
        #expect(health.details?.model == "Impinj R700")
        #expect(health.details?.antennaPorts == 4)

        await server.dropClient()
        #expect(try await Self.eventually { gateway.health.snapshot.first?.reconnects == 1 && gateway.health.snapshot.first?.connected == true },
                "\(gateway.health.snapshot)")
        running.cancel()
        _ = await running.value
        #expect(gateway.health.snapshot.first?.connected == false)
        await server.stop()
    }
}
