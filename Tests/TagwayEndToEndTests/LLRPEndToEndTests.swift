import Foundation
import Testing
import TagwayEmulators
import TagwayEventLog
import TagwayLLRP
import TagwayModel
import TagwaySimulator

/// `tagway run` against the LLRP reader emulator on 127.0.0.1: the real gateway, its SwiftNIO
/// connection, the conversation, the pipeline and the SQLite log, with the reader misbehaving as
/// fixed readers do (dropping the connection, going silent, refusing a ROSpec).
@Suite(.serialized) struct LLRPEndToEndTests {
    static let laptop = "3414257BF40000000000303A"
    static let pallet = "3074257BF7194E4000001A85"

    func config(_ dir: String, port: Int, settings: String = "") -> String {
        """
        gateway: { id: e2e, dataDir: "\(dir)", devicesDir: "\(repositoryDevices)" }
        debounce: { departAfter: 1500ms }
        readers:
          - { id: dock-llrp, profile: impinj/r700, host: 127.0.0.1, port: \(port), antennas: { 1: door-in, 2: door-out }\(settings) }
        zones:
          - { id: dock-1, door: { inside: [door-in], outside: [door-out] } }
        rules:
          - { id: laptops, match: { scheme: giai }, alertOn: [passed-out] }
        """
    }

    @Test func aDoorOnTwoAntennasLogsArrivalCrossingAlertAndDeparture() async throws {
        let dir = makeTemporaryDirectory("llrp-door")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Read inside, then outside, then gone: counted from the gateway's connection.
        let scenario = try Scenario.parse("""
            0.8 enter \(Self.laptop) antenna=1 rssi=-50
            2.3 enter \(Self.laptop) antenna=2 rssi=-44
            3.8 leave \(Self.laptop)
            """)
        let server = try await LLRPEmulatorServer.start(scenario: scenario, waitForClient: true)
        let gateway = try GatewayProcess(config: config(dir, port: server.port), dataDir: dir)
        #expect(try await gateway.waitForLog("reader dock-llrp: connected to 127.0.0.1"))
        let events = try await gateway.waitForEvents { $0.contains { $0.type == .departed } }
        let stderr = gateway.stop()
        await server.stop()
        let summary = events.map { "\($0.type.rawValue) \($0.to ?? $0.from ?? "-") \($0.direction?.rawValue ?? "") \($0.rule ?? "")" }
        #expect(summary == ["arrived dock-1  ", "passed dock-1 out ", "alert dock-1  laptops", "departed dock-1  "], "\(stderr)")
        #expect(events.first?.readPoint == "door-in")
        #expect(stderr.contains("Impinj"), "the reader's model is logged: \(stderr)")
    }

    @Test func aDroppedConnectionLosesAndDuplicatesNothing() async throws {
        let dir = makeTemporaryDirectory("llrp-drop")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The laptop stays in the field across the drop; the pallet arrives after it.
        let scenario = try Scenario.parse("""
            0.5 enter \(Self.laptop) antenna=1 rssi=-50
            3.5 enter \(Self.pallet) antenna=1 rssi=-52
            6.0 leave \(Self.laptop)
            6.0 leave \(Self.pallet)
            """)
        let server = try await LLRPEmulatorServer.start(scenario: scenario, waitForClient: true)
        let gateway = try GatewayProcess(config: config(dir, port: server.port), dataDir: dir)
        #expect(try await gateway.waitForLog("reader dock-llrp: connected to 127.0.0.1"))
        _ = try await gateway.waitForEvents { $0.contains { $0.type == .arrived } }
        await server.dropClient()
        let events = try await gateway.waitForEvents { $0.filter { $0.type == .departed }.count == 2 }
        let stderr = gateway.stop()
        await server.stop()
        let arrivals = events.filter { $0.type == .arrived }.map(\.asset.key)
        #expect(arrivals.count == 2, "one arrival per tag, none repeated after the reconnect: \(events) \(stderr)")
        #expect(Set(arrivals).count == 2)
        #expect(events.filter { $0.type == .departed }.count == 2)
        #expect(stderr.contains("reconnect") || stderr.contains("connected"), "\(stderr)")
    }

    @Test func aSilentReaderIsReconnectedAfterThreeKeepalivePeriods() async throws {
        let dir = makeTemporaryDirectory("llrp-silent")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var script = LLRPEmulatorScript()
        script.faults = .init(silentAfter: .milliseconds(500))
        script.faultyConnections = 1
        let scenario = try Scenario.parse("6.0 enter \(Self.pallet) antenna=1 rssi=-50\n")
        let server = try await LLRPEmulatorServer.start(emulator: LLRPReaderEmulator(script: script), scenario: scenario,
                                                        waitForClient: true)
        let gateway = try GatewayProcess(config: config(dir, port: server.port, settings: ", settings: { keepalive: 1s }"), dataDir: dir)
        #expect(try await gateway.waitForLog("taking it for dead and reconnecting"), "\(gateway.errors)")
        let events = try await gateway.waitForEvents { $0.contains { $0.type == .arrived } }
        let stderr = gateway.stop()
        await server.stop()
        #expect(events.map(\.type) == [.arrived], "\(stderr)")
    }

    @Test func aRejectedROSpecIsReportedWithItsStatusAndRetried() async throws {
        let dir = makeTemporaryDirectory("llrp-reject")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var script = LLRPEmulatorScript()
        script.faults = .init(rejectAddROSpec: LLRPStatus(code: LLRPStatusCode(rawValue: 301), errorDescription: "antenna busy"))
        script.faultyConnections = 1
        let scenario = try Scenario.parse("1.0 enter \(Self.pallet) antenna=1 rssi=-50\n")
        let server = try await LLRPEmulatorServer.start(emulator: LLRPReaderEmulator(script: script), scenario: scenario,
                                                        waitForClient: true)
        let gateway = try GatewayProcess(config: config(dir, port: server.port), dataDir: dir)
        #expect(try await gateway.waitForLog("antenna busy"), "\(gateway.errors)")
        let events = try await gateway.waitForEvents { $0.contains { $0.type == .arrived } }
        let stderr = gateway.stop()
        await server.stop()
        #expect(events.map(\.type) == [.arrived], "\(stderr)")
        #expect(stderr.contains("A_OutOfRange (301)"), "\(stderr)")
    }
    @Test func aReaderStallingMidMessageIsTakenForDeadAndItsNextConnectionRead() async throws {
        let dir = makeTemporaryDirectory("llrp-stall")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The first connection sends two reports, then half of the third and nothing more.
        var script = LLRPEmulatorScript()
        script.faults = .init(stallAfterReports: 2)
        script.faultyConnections = 1
        let scenario = try Scenario.parse("""
            0.3 enter \(Self.laptop) antenna=1 rssi=-50
            1.0 leave \(Self.laptop)
            6.0 enter \(Self.pallet) antenna=1 rssi=-52
            """)
        let server = try await LLRPEmulatorServer.start(emulator: LLRPReaderEmulator(script: script), scenario: scenario,
                                                        waitForClient: true)
        let gateway = try GatewayProcess(config: config(dir, port: server.port, settings: ", settings: { keepalive: 1s }"), dataDir: dir)
        #expect(try await gateway.waitForLog("taking it for dead and reconnecting"), "\(gateway.errors)")
        let events = try await gateway.waitForEvents { $0.contains { $0.type == .arrived && $0.asset.raw == Self.pallet } }
        let stderr = gateway.stop()
        await server.stop()
        // The half message goes with its connection; what came before it and after the reconnect is read.
        #expect(events.filter { $0.type == .arrived }.map(\.asset.raw) == [Self.laptop, Self.pallet], "\(stderr)")
    }
}
