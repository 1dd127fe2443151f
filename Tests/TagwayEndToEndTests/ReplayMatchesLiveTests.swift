import Foundation
import Testing
import TagwayCapture
import TagwayEventLog
import TagwayModel
import TagwaySimulator
import TagwayTestSupport

/// Issue 18's promise: the capture of a live session, replayed, gives the live run's events.
/// Each serial protocol's emulator plays a scenario on a pty to the real `tagway run` while the
/// test writes down what passed on the line (a capture); `tagway replay` of that capture with the
/// same configuration must make the same events (the times aside: the live gateway stamps a read
/// when it reads the pty, a few milliseconds after the capture's record).
@Suite(.serialized) struct ReplayMatchesLiveTests {
    struct Case: Sendable, CustomStringConvertible {
        var profile: String
        var protocolID: String
        var settings: [String: String] = [:]
        var scenario: String
        /// The live run is over once it has logged this many events of this type.
        var events: Int
        var last = EventType.departed
        /// The reader's `antennas:` map, for readers that report one.
        var antennas = ""
        var description: String { profile }
    }

    static let epc1 = "3074257BF7194E4000001A85"
    static let cases: [Case] = [
        Case(profile: "generic/rdm6300-ch340", protocolID: "em4100-ascii", settings: ["variant": "rdm6300"],
             scenario: "0.3 enter 1A00B3C4D5\n0.6 enter 0100E2850E\n1.2 leave 1A00B3C4D5\n1.6 leave 0100E2850E\n", events: 2),
        Case(profile: "id-innovations/id-12la", protocolID: "em4100-ascii", scenario: "0.3 enter 0100E2850E\n1.5 leave 0100E2850E\n", events: 1),
        Case(profile: "magicrf/m100", protocolID: "magicrf-m100", scenario: "0.3 enter \(epc1) rssi=-48\n1.5 leave \(epc1)\n", events: 1),
        Case(profile: "thingmagic/m6e-nano", protocolID: "thingmagic-mercury",
             scenario: "0.3 enter \(epc1) antenna=2 rssi=-51\n1.0 enter \(epc1) antenna=1\n1.8 leave \(epc1)\n", events: 1,
             antennas: ", antennas: { 1: door-in, 2: door-out }"),
        Case(profile: "elechouse/pn532-hsu", protocolID: "pn532-hsu", scenario: "0.3 enter 04A1B2C3D4E5F6\n1.5 leave 04A1B2C3D4E5F6\n", events: 1),
        Case(profile: "generic/serial-barcode", protocolID: "barcode-serial",
             scenario: "0.3 scan ]C0ASSET-004217\n0.6 scan ]E04006381333931\n", events: 2, last: .observed),
    ]

    /// What must agree: everything but the id, the seq-independent times and the gateway's clock.
    /// Read from the event's JSON line, as `tagway run --print-events` and `tagway replay` print it.
    static func essence(_ line: some StringProtocol) -> String? {
        guard let e = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
        let asset = (e["asset"] as? [String: Any])?["key"]
        return [e["type"], asset, e["readPoint"], e["reader"], e["from"], e["to"], e["rssi"], e["symbology"]]
            .map { $0.map { "\($0)" } ?? "-" }.joined(separator: " ")
    }

    @Test(arguments: cases)
    func theReplayOfALiveSessionGivesItsEvents(_ c: Case) async throws {
        let dir = makeTemporaryDirectory("replay-live")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = dir + "/reader"
        let emulator = try EmulatorFactory.make(protocolID: c.protocolID, settings: c.settings)
        let session = try RecordedEmulatorSession(path: port, emulator: emulator, scenario: try Scenario.parse(c.scenario))
        let gateway = try GatewayProcess(config: """
            gateway: { id: e2e, dataDir: "\(dir)", devicesDir: "\(repositoryDevices)" }
            debounce: { departAfter: 1s }
            readers:
              - { id: r1, profile: \(c.profile), port: "\(port)", readPoint: door\(c.antennas) }
            """, dataDir: dir)
        #expect(try await gateway.waitForLog("reader r1: connected"))
        session.start()
        let live = try await gateway.waitForEvents { $0.filter { $0.type == c.last }.count >= c.events }
        let records = session.stop()
        let stderr = gateway.stop()
        #expect(live.filter { $0.type == c.last }.count == c.events, "\(live.map(\.json))\n\(stderr)")

        let capture = dir + "/r1.tcap"
        try RecordedEmulatorSession.write(records, header: CaptureHeader(reader: "r1", profile: c.profile, protocolID: c.protocolID,
                                                                          transport: "serial"), to: capture)
        let replay = try ExternalCommand.run(executable: TestPaths.tagwayExecutable,
                                             ["replay", "--config", dir + "/gateway.yaml", capture])
        #expect(replay.status == 0, "\(replay.transcript)")
        let replayed = replay.stdout.split(separator: "\n").compactMap { Self.essence($0) }
        #expect(replayed.count == replay.stdout.split(separator: "\n").count, "every line is an event: \(replay.stdout)")
        #expect(replayed == live.compactMap { Self.essence($0.json) }, "\(replay.transcript)\nlive:\n\(live.map(\.json).joined(separator: "\n"))")
    }
}
