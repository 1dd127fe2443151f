import Foundation
import Testing
import TagwayEmulators
import TagwayEventLog
import TagwayModel
import TagwaySimulator
#if canImport(Glibc)
import Glibc
#endif

/// Zones, doors and reloads through the real `tagway run` and simulated readers on ptys.
@Suite(.serialized) struct ZonesEndToEndTests {
    @Test func aDoorOnTwoAntennasReportsTheCrossingAndTheAlert() async throws {
        let dir = makeTemporaryDirectory("door")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = dir + "/door"
        let emulator = try EmulatorFactory.make(protocolID: "thingmagic-mercury", settings: [:])
        // A GIAI-tagged laptop read on the inside antenna, then on the outside one, then gone.
        let scenario = try Scenario.parse("""
            0.3 enter 3414257BF40000000000303A antenna=1 rssi=-50
            2.0 enter 3414257BF40000000000303A antenna=2 rssi=-44
            4.5 leave 3414257BF40000000000303A
            """)
        let reader = try SimulatedReader(path: port, emulator: emulator, scenario: scenario)
        defer { reader.stop() }
        let gateway = try GatewayProcess(config: """
            gateway: { id: e2e, dataDir: "\(dir)", devicesDir: "\(repositoryDevices)" }
            debounce: { departAfter: 1500ms }
            readers:
              - { id: dock-uhf, profile: thingmagic/m6e-nano, port: "\(port)", antennas: { 1: door-in, 2: door-out } }
            zones:
              - { id: dock-1, door: { inside: [door-in], outside: [door-out] } }
            rules:
              - { id: laptops, match: { scheme: giai }, alertOn: [passed-out] }
            """, dataDir: dir)
        #expect(try await gateway.waitForLog("reader dock-uhf: connected"))
        reader.start()
        let events = try await gateway.waitForEvents { $0.contains { $0.type == .departed } }
        let stderr = gateway.stop()
        let summary = events.map { "\($0.type.rawValue) \($0.to ?? $0.from ?? "-") \($0.direction?.rawValue ?? "") \($0.rule ?? "")" }
        #expect(summary == ["arrived dock-1  ", "passed dock-1 out ", "alert dock-1  laptops", "departed dock-1  "], "\(stderr)")
        #expect(events.first?.readPoint == "door-in")
        #expect(events.dropFirst().first?.readPoint == "door-out")
        #expect(events.first { $0.type == .alert }?.reason == "passed out through door dock-1")
    }

    @Test func reloadOnFileChangeAndSIGHUPKeepsTagsAndRejectsABadFile() async throws {
        let dir = makeTemporaryDirectory("reload")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let m100 = { try EmulatorFactory.make(protocolID: "magicrf-m100", settings: [:]) }
        let first = try SimulatedReader(path: dir + "/bay1", emulator: m100(),
                                        scenario: Scenario.parse("0.2 enter 3074257BF7194E4000001A85 rssi=-50\n"))
        let second = try SimulatedReader(path: dir + "/bay2", emulator: m100(),
                                         scenario: Scenario.parse("0.2 enter 3034257BF7194E4000001A86 rssi=-50\n"))
        defer { first.stop(); second.stop() }
        let base = """
            gateway: { id: e2e, dataDir: "\(dir)", devicesDir: "\(repositoryDevices)" }
            debounce: { departAfter: 30s }
            readers:
              - { id: r1, profile: magicrf/m100, port: "\(dir)/bay1", readPoint: bay-1 }
              - { id: r2, profile: magicrf/m100, port: "\(dir)/bay2", readPoint: bay-2 }

            """
        let gateway = try GatewayProcess(config: base, dataDir: dir)
        let file = dir + "/gateway.yaml"
        #expect(try await gateway.waitForLog("reader r2: connected"))
        first.start()
        _ = try await gateway.waitForEvents { $0.count >= 1 }

        // A broken file (a read point no reader has) is refused, with its line, on the change.
        try (base + "zones:\n  - { id: loading-bay, readPoints: [bay-1, bay-3] }\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try await gateway.waitForLog("the running configuration is kept"))
        #expect(try await gateway.waitForLog("gateway.yaml:7:44: zones[0].readPoints[1]: unknown read point 'bay-3'"))
        // A duration no timestamp can take (issue 10: this killed the gateway) is refused the same way.
        try (base + "movement: { holdoff: 1e30s }\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try await gateway.waitForLog("gateway.yaml:6:22: movement.holdoff: '1e30s' is too long"))
        #expect(gateway.process.isRunning)
        // A good one is taken on the change; SIGHUP reloads too.
        try (base + "zones:\n  - { id: loading-bay, readPoints: [bay-1, bay-2] }\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try await gateway.waitForLog("configuration reloaded (file change): 1 zone(s)"))
        kill(gateway.process.processIdentifier, SIGHUP)
        #expect(try await gateway.waitForLog("configuration reloaded (SIGHUP)"))
        second.start()
        let events = try await gateway.waitForEvents { $0.count >= 2 }
        try await Task.sleep(for: .milliseconds(500))
        let final = try EventLog.openExisting(directory: dir).events(after: 0, limit: 100)
        let stderr = gateway.stop()
        #expect(events.count == 2)
        // The first tag kept its presence across the reloads (no second arrival); the second
        // arrives in the new zone.
        #expect(final.map { "\($0.type.rawValue) \($0.asset.raw) \($0.to ?? "-")" } == [
            "arrived 3074257BF7194E4000001A85 bay-1",
            "arrived 3034257BF7194E4000001A86 loading-bay",
        ], "\(stderr)")
    }

    @Test func theDemoShowsCrossingsBothWaysAMoveAndAnAlert() throws {
        let dir = makeTemporaryDirectory("zones-demo")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let demo = try runTagway(["demo", "--duration", "14", "--data-dir", dir, "--devices", repositoryDevices])
        #expect(demo.status == 0, "\(demo.stderr)")
        let printed = demo.stdout.split(separator: "\n")
        #expect(printed.contains { $0.contains(" passed ") && $0.contains("out through dock-3") }, "\(demo.stdout)")
        #expect(printed.contains { $0.contains(" passed ") && $0.contains("in through dock-3") }, "\(demo.stdout)")
        #expect(printed.contains { $0.contains(" moved ") && $0.contains("it-storage → lab") }, "\(demo.stdout)")
        #expect(printed.contains { $0.contains(" alert ") && $0.contains("rule laptops-stay-inside") }, "\(demo.stdout)")
    }
}
