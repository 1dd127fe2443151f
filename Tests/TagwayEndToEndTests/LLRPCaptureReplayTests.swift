import Foundation
import Testing
import TagwayCapture
import TagwayEventLog
import TagwayModel
import TagwaySimulator
import TagwayTestSupport

/// An LLRP reader's capture: `tagway run --capture` against the LLRP emulator records whole
/// messages (`llrp`) and the gateway's requests (`tx`); `tagway simulate --replay FILE --listen`
/// answers a fresh gateway with them, and the events are the live run's.
@Suite struct LLRPCaptureReplayTests {
    static let laptop = "3414257BF40000000000303A"

    static func config(_ dir: String, port: Int) -> String {
        """
        gateway: { id: e2e, dataDir: "\(dir)", devicesDir: "\(repositoryDevices)" }
        debounce: { departAfter: 1500ms }
        readers:
          - { id: dock-llrp, profile: impinj/r700, host: 127.0.0.1, port: \(port), antennas: { 1: door-in, 2: door-out } }
        zones:
          - { id: dock-1, door: { inside: [door-in], outside: [door-out] } }
        """
    }

    static func summary(_ events: [MovementEvent]) -> [String] {
        events.map { "\($0.type.rawValue) \($0.asset.key) \($0.from ?? "-")>\($0.to ?? "-") \($0.readPoint ?? "-") \($0.direction?.rawValue ?? "")" }
    }

    @Test func aReplayedLLRPCaptureGivesTheLiveRunsEvents() async throws {
        let dir = makeTemporaryDirectory("capture-llrp")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let scenario = try Scenario.parse("""
            0.8 enter \(Self.laptop) antenna=1 rssi=-50
            2.3 enter \(Self.laptop) antenna=2 rssi=-44
            3.8 leave \(Self.laptop)
            """)
        let server = try await LLRPEmulatorServer.start(scenario: scenario, waitForClient: true)
        let gateway = try GatewayProcess(config: Self.config(dir + "/live", port: server.port), dataDir: dir + "/live",
                                         arguments: ["--capture", dir + "/capture"])
        #expect(try await gateway.waitForLog("reader dock-llrp: connected to 127.0.0.1"))
        _ = try await gateway.waitForEvents { $0.contains { $0.type == .departed } }
        let stderr = gateway.stop()
        await server.stop()
        let live = Self.summary(try EventLog.openExisting(directory: dir + "/live").events(after: 0, limit: 100))
        #expect(live.count == 3, "\(live) \(stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/capture")
        #expect(files.count == 1, "\(files)")
        let file = dir + "/capture/" + (files.first ?? "none")
        let capture = try CaptureFile.read(file)
        #expect(capture.header.transport == "llrp")
        #expect(capture.records.first?.kind == .open)
        #expect(capture.records.contains { $0.kind == .tx })
        // Whole messages: each `llrp` record's length field is its size.
        let messages = capture.records.filter { $0.kind == .llrp }
        #expect(messages.count >= 3)
        #expect(messages.allSatisfy { $0.payload.count == Int($0.payload[2]) << 24 | Int($0.payload[3]) << 16 | Int($0.payload[4]) << 8 | Int($0.payload[5]) })
        #expect(!capture.records.contains { $0.kind == .rx })

        let replayed = try await Self.replay(file, dir: dir + "/replay", events: live.count)
        #expect(replayed == live)
        if ProcessInfo.processInfo.environment["TAGWAY_REGENERATE_CAPTURE_FIXTURES"] == "1" {
            let fixtures = TestPaths.repositoryRoot + "/Tests/TagwayEndToEndTests/Fixtures/"
            _ = try? FileManager.default.removeItem(atPath: fixtures + "llrp.tcap")
            try FileManager.default.copyItem(atPath: file, toPath: fixtures + "llrp.tcap")
            try (live.joined(separator: "\n") + "\n").write(toFile: fixtures + "llrp.events", atomically: true, encoding: .utf8)
        }
    }

    @Test func theCommittedLLRPFixtureReplaysToItsEvents() async throws {
        let fixtures = try #require(Bundle.module.resourceURL?.appendingPathComponent("Fixtures").path)
        let expected = try String(contentsOfFile: fixtures + "/llrp.events", encoding: .utf8).split(separator: "\n").map(String.init)
        let dir = makeTemporaryDirectory("fixture-llrp")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try await Self.replay(fixtures + "/llrp.tcap", dir: dir, events: expected.count) == expected)
    }

    static func replay(_ file: String, dir: String, events count: Int) async throws -> [String] {
        let simulator = Process()
        simulator.executableURL = GatewayProcess.executable
        simulator.arguments = ["simulate", "--replay", file, "--listen", "127.0.0.1:0"]
        let out = Pipe()
        simulator.standardOutput = out
        try simulator.run()
        defer { if simulator.isRunning { simulator.terminate() } }
        let first = await LineReader(out.fileHandleForReading).lines(upTo: 1).first ?? ""
        #expect(first.hasPrefix("replaying dock-llrp (LLRP) on 127.0.0.1:"), "\(first)")
        let port = try #require(first.split(separator: ":").last.flatMap { Int($0.prefix(while: \.isNumber)) })
        let gateway = try GatewayProcess(config: config(dir, port: port), dataDir: dir)
        #expect(try await gateway.waitForLog("reader dock-llrp: connected to 127.0.0.1"))
        _ = try await gateway.waitForEvents { $0.count >= count }
        let stderr = gateway.stop()
        simulator.interrupt()
        simulator.waitUntilExit()
        #expect(simulator.terminationStatus == 0)
        let events = try EventLog.openExisting(directory: dir).events(after: 0, limit: 100)
        #expect(events.count == count, "\(stderr)")
        return summary(events)
    }
}
