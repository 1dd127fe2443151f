import Foundation
import Synchronization
import Testing
import TagwayCapture
import TagwayEmulators
import TagwayEventLog
import TagwayModel
import TagwaySimulator
import TagwayTestSupport

/// `tagway run --capture` against each serial protocol's emulator, then the capture played with
/// `tagway simulate --replay` into a fresh `tagway run`: the same events, in the same order.
///
/// `TAGWAY_REGENERATE_CAPTURE_FIXTURES=1 swift test --filter CaptureReplayEndToEndTests` also
/// writes each live run's capture and events to Fixtures/ (the committed ones `fixturesReplay` plays).
@Suite struct CaptureReplayEndToEndTests {
    struct Case: Sendable, CustomStringConvertible {
        var profile: String
        var protocolID: String
        var scenario: String
        var events: Int
        var departAfter = "1s"
        var description: String { protocolID }
    }

    static let cases: [Case] = [
        Case(profile: "id-innovations/id-12la", protocolID: "em4100-ascii", scenario: "0.3 enter 0100E2850E\n1.5 leave 0100E2850E\n", events: 2),
        // Unplugged and plugged back mid-stream: the replay unplugs and replugs its pty too. The
        // gateway reconnects after its own (random) backoff, so a replay's outage can be longer
        // than the recorded one: departAfter is well above any of them.
        Case(profile: "magicrf/m100", protocolID: "magicrf-m100", scenario: """
            0.2 enter 3074257BF7194E4000001A85 rssi=-50
            1.0 unplug
            1.6 replug
            2.2 enter 3034257BF7194E4000001A86 rssi=-60
            3.0 leave 3074257BF7194E4000001A85
            3.0 leave 3034257BF7194E4000001A86
            """, events: 4, departAfter: "5s"),
        Case(profile: "thingmagic/m6e-nano", protocolID: "thingmagic-mercury",
             scenario: "0.3 enter 3074257BF7194E4000001A85\n1.5 leave 3074257BF7194E4000001A85\n", events: 2),
        Case(profile: "elechouse/pn532-hsu", protocolID: "pn532-hsu", scenario: "0.3 enter 04A1B2C3D4E5F6\n1.5 leave 04A1B2C3D4E5F6\n", events: 2),
        Case(profile: "generic/serial-barcode", protocolID: "barcode-serial", scenario: """
            0.3 scan ]E04006381333931
            0.6 scan ]C0ASSET-004217
            0.9 scan ]C1<GS>8004061414112345
            """, events: 3),
    ]

    static func config(_ c: Case, dir: String, port: String) -> String {
        """
        gateway: { id: e2e, dataDir: "\(dir)", devicesDir: "\(repositoryDevices)" }
        debounce: { departAfter: \(c.departAfter) }
        readers:
          - { id: r1, profile: \(c.profile), port: "\(port)", readPoint: door }
        """
    }

    /// What must be the same between a live run and its replay: ids and times may differ.
    static func summary(_ events: [MovementEvent]) -> [String] {
        events.map { "\($0.type.rawValue) \($0.asset.key) \($0.from ?? "-")>\($0.to ?? "-") \($0.readPoint ?? "-") \($0.symbology ?? "")" }
    }

    @Test(arguments: cases)
    func aReplayedCaptureGivesTheLiveRunsEvents(_ c: Case) async throws {
        let dir = makeTemporaryDirectory("capture-" + c.protocolID)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (live, file) = try await Self.liveRun(c, dir: dir + "/live")
        #expect(live.count == c.events, "\(live)")
        let capture = try CaptureFile.read(file)
        #expect(capture.header.reader == "r1")
        #expect(capture.header.protocolID == c.protocolID)
        #expect(capture.header.transport == "serial")
        #expect(capture.records.first?.kind == .open)
        #expect(capture.records.contains { $0.kind == .rx })
        #expect(capture.records.last?.kind == .close)
        let replayed = try await Self.replay(file, c, dir: dir + "/replay")
        #expect(replayed == live)
        if ProcessInfo.processInfo.environment["TAGWAY_REGENERATE_CAPTURE_FIXTURES"] == "1" {
            let fixtures = TestPaths.repositoryRoot + "/Tests/TagwayEndToEndTests/Fixtures/"
            _ = try? FileManager.default.removeItem(atPath: fixtures + c.protocolID + ".tcap")
            try FileManager.default.copyItem(atPath: file, toPath: fixtures + c.protocolID + ".tcap")
            try (live.joined(separator: "\n") + "\n").write(toFile: fixtures + c.protocolID + ".events", atomically: true, encoding: .utf8)
        }
    }

    @Test(arguments: cases)
    func aCommittedFixtureReplaysToItsEvents(_ c: Case) async throws {
        let fixtures = try #require(Bundle.module.resourceURL?.appendingPathComponent("Fixtures").path)
        let expected = try String(contentsOfFile: fixtures + "/" + c.protocolID + ".events", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let dir = makeTemporaryDirectory("fixture-" + c.protocolID)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let replayed = try await Self.replay(fixtures + "/" + c.protocolID + ".tcap", c, dir: dir)
        #expect(replayed == expected)
    }

    /// The emulator plays `c.scenario` into `tagway run --capture`; the events and the one capture file.
    static func liveRun(_ c: Case, dir: String) async throws -> ([String], String) {
        let port = dir + "/reader"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let emulator = try EmulatorFactory.make(protocolID: c.protocolID, settings: [:])
        let reader = try SimulatedReader(path: port, emulator: emulator, scenario: try Scenario.parse(c.scenario))
        defer { reader.stop() }
        let gateway = try GatewayProcess(config: config(c, dir: dir, port: port), dataDir: dir, arguments: ["--capture", dir + "/capture"])
        #expect(try await gateway.waitForLog("reader r1: connected"))
        reader.start()
        _ = try await gateway.waitForEvents { $0.count >= c.events }
        let stderr = gateway.stop()
        let events = try EventLog.openExisting(directory: dir).events(after: 0, limit: 100)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/capture")
        #expect(files.count == 1 && files[0].hasPrefix("r1-") && files[0].hasSuffix(".tcap"), "\(files)\n\(stderr)")
        return (summary(events), dir + "/capture/" + (files.first ?? "none"))
    }

    /// `tagway simulate --replay file` into a fresh `tagway run`, until the replay has played
    /// and the events it makes are in; those events.
    static func replay(_ file: String, _ c: Case, dir: String) async throws -> [String] {
        let port = dir + "/reader"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let simulator = Process()
        simulator.executableURL = GatewayProcess.executable
        simulator.arguments = ["simulate", "--replay", file, "--link", port]
        let out = Pipe()
        simulator.standardOutput = out
        try simulator.run()
        defer { if simulator.isRunning { simulator.terminate() } }
        let lines = LineReader(out.fileHandleForReading)
        let first = await lines.lines(upTo: 1).first ?? ""
        #expect(first.hasPrefix("replaying r1 (\(c.profile)"), "\(first)")
        let gateway = try GatewayProcess(config: config(c, dir: dir, port: port), dataDir: dir)
        #expect(try await gateway.waitForLog("reader r1: connected"))
        _ = try await gateway.waitForEvents { $0.count >= c.events }
        // Every open is behind us once the events are in: what is left to play ends by itself.
        let played = await lines.lines(upTo: 2)
        #expect(played.last?.contains("played to its end") == true, "\(played)")
        let stderr = gateway.stop()
        simulator.interrupt()
        simulator.waitUntilExit()
        #expect(simulator.terminationStatus == 0)
        let events = try EventLog.openExisting(directory: dir).events(after: 0, limit: 100)
        #expect(events.count == c.events, "\(stderr)")
        return summary(events)
    }
}
