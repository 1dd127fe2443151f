import Foundation
import Testing
import TagwayEmulators
import TagwayEventLog
import TagwayLLRP
import TagwaySimulator

/// `tagway run` against the emulated LLRP reader on 127.0.0.1: a pallet read outside the door,
/// then inside, then gone is one arrival, one crossing inward and one departure, even though the
/// reader drops the first connection in the middle (the gateway reconnects, configures the
/// reader again and the tag's presence bridges the gap: nothing lost, nothing twice).
@Suite(.serialized) struct LLRPDoorEndToEndTests {
    @Test func aCrossingSurvivesADroppedConnection() async throws {
        let dir = makeTemporaryDirectory("llrp-door")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The scenario's clock starts when the gateway connects, however slowly it starts.
        let scenario = try Scenario.parse("""
            0.0 enter 3074257BF7194E4000001A85 antenna=1 rssi=-58
            4.0 enter 3074257BF7194E4000001A85 antenna=2 rssi=-47
            7.0 leave 3074257BF7194E4000001A85
            """)
        // The first connection drops after 30 reports (1.5 s of reads), while the pallet is outside.
        let emulator = LLRPReaderEmulator(script: LLRPEmulatorScript(faults: .init(dropAfterReports: 30), faultyConnections: 1))
        let server = try await LLRPEmulatorServer.start(emulator: emulator, scenario: scenario, waitForClient: true)
        let gateway = try GatewayProcess(config: """
            gateway: { id: e2e, dataDir: "\(dir)", devicesDir: "\(repositoryDevices)" }
            debounce: { departAfter: 2500ms }
            readers:
              - { id: dock, profile: impinj/r700, host: 127.0.0.1, port: \(server.port), antennas: { 1: door-out, 2: door-in } }
            zones:
              - { id: dock-1, door: { inside: [door-in], outside: [door-out] } }
            """, dataDir: dir)
        let events = try await gateway.waitForEvents(timeout: .seconds(60)) { $0.contains { $0.type == .departed } }
        let stderr = gateway.stop()
        await server.stop()
        let summary = events.map { "\($0.type.rawValue) \($0.to ?? $0.from ?? "-") \($0.direction?.rawValue ?? "")" }
        #expect(summary == ["arrived dock-1 ", "passed dock-1 in", "departed dock-1 "], "\(stderr)")
        #expect(events.first?.readPoint == "door-out")
        #expect(events.dropFirst().first?.readPoint == "door-in")
        // The drop happened and was recovered from: two connections to the reader.
        #expect(stderr.components(separatedBy: "reader dock: connected to").count - 1 == 2, "\(stderr)")
    }

    @Test func aReaderSilentPastThreeKeepalivesIsReconnected() async throws {
        let dir = makeTemporaryDirectory("llrp-silent")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let scenario = try Scenario.parse("""
            0.0 enter 3074257BF7194E4000001A85 antenna=1 rssi=-50
            9.0 leave 3074257BF7194E4000001A85
            """)
        // The first connection goes quiet 1.5 s in: no keepalives, no reports, the socket open.
        let emulator = LLRPReaderEmulator(script: LLRPEmulatorScript(faults: .init(silentAfter: .milliseconds(1500)), faultyConnections: 1))
        let server = try await LLRPEmulatorServer.start(emulator: emulator, scenario: scenario, waitForClient: true)
        let gateway = try GatewayProcess(config: """
            gateway: { id: e2e, dataDir: "\(dir)", devicesDir: "\(repositoryDevices)" }
            debounce: { departAfter: 6s }
            readers:
              - { id: dock, profile: impinj/r700, host: 127.0.0.1, port: \(server.port), readPoint: dock, settings: { keepalive: 1s } }
            """, dataDir: dir)
        let events = try await gateway.waitForEvents(timeout: .seconds(60)) { $0.contains { $0.type == .departed } }
        let stderr = gateway.stop()
        await server.stop()
        #expect(events.map(\.type.rawValue) == ["arrived", "departed"], "\(stderr)")
        // Taken for dead after three silent keepalive periods, and connected again.
        #expect(stderr.components(separatedBy: "reader dock: connected to").count - 1 == 2, "\(stderr)")
    }
}
