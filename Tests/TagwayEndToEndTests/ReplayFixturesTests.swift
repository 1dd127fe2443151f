import Foundation
import Testing
import TagwayTestSupport

/// Every committed capture fixture (live runs of each serial protocol's emulator, an LLRP reader
/// and an emulated USB HID scanner) through `tagway replay` with the configuration it was recorded
/// under: the events of the live run that recorded it (`<protocol>.events`), in order.
///
/// `CaptureReplayEndToEndTests` and `LLRPCaptureReplayTests` play the same files back on a pty
/// or a port into a running gateway; this is the offline path, and the only one a USB HID
/// capture has (its reports cannot be played on a pty).
@Suite struct ReplayFixturesTests {
    struct Case: Sendable, CustomStringConvertible {
        var fixture: String
        /// The configuration's `debounce:` and `readers:` (and `zones:`) as the live run had them.
        var body: String
        var description: String { fixture }
    }

    static func serial(_ protocolID: String, _ profile: String, departAfter: String = "1s") -> Case {
        Case(fixture: protocolID, body: """
            debounce: { departAfter: \(departAfter) }
            readers:
              - { id: r1, profile: \(profile), port: /dev/tagway/r1, readPoint: door }
            """)
    }

    static let cases: [Case] = [
        serial("em4100-ascii", "id-innovations/id-12la"),
        serial("magicrf-m100", "magicrf/m100", departAfter: "5s"),
        serial("thingmagic-mercury", "thingmagic/m6e-nano"),
        serial("pn532-hsu", "elechouse/pn532-hsu"),
        serial("barcode-serial", "generic/serial-barcode"),
        Case(fixture: "llrp", body: """
            debounce: { departAfter: 1500ms }
            readers:
              - { id: dock-llrp, profile: impinj/r700, host: 127.0.0.1, port: 5084, antennas: { 1: door-in, 2: door-out } }
            zones:
              - { id: dock-1, door: { inside: [door-in], outside: [door-out] } }
            """),
        Case(fixture: "hid-keyboard", body: """
            readers:
              - { id: desk-scan, profile: zebra/ls2208-keyboard, readPoint: helpdesk, settings: { interKeyTimeoutMs: 5000 } }
            """),
    ]

    /// The fixture's `.events` line for one printed event: type, asset, zones, read point, and
    /// the symbology of a scan or the direction of a door crossing.
    static func summary(_ line: Substring) -> String? {
        guard let event = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let type = event["type"] as? String, let asset = (event["asset"] as? [String: Any])?["key"] as? String else { return nil }
        let from = event["from"] as? String ?? "-", to = event["to"] as? String ?? "-"
        let tail = event["symbology"] as? String ?? event["direction"] as? String ?? ""
        return "\(type) \(asset) \(from)>\(to) \(event["readPoint"] as? String ?? "-") \(tail)"
    }

    @Test(arguments: cases)
    func aCommittedFixtureReplaysOfflineToTheLiveRunsEvents(_ c: Case) throws {
        let fixtures = try #require(Bundle.module.resourceURL?.appendingPathComponent("Fixtures").path)
        let expected = try String(contentsOfFile: "\(fixtures)/\(c.fixture).events", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let dir = TestPaths.temporaryDirectory("replay-fixture")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = dir + "/gateway.yaml"
        try """
            gateway: { id: e2e, dataDir: "\(dir)/data", devicesDir: "\(repositoryDevices)" }
            \(c.body)
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let run = try ExternalCommand.run(executable: TestPaths.tagwayExecutable,
                                          ["replay", "--config", config, "\(fixtures)/\(c.fixture).tcap"])
        #expect(run.status == 0, "\(run.transcript)")
        let lines = run.stdout.split(separator: "\n")
        let replayed = lines.compactMap(Self.summary)
        #expect(replayed.count == lines.count, "every line is an event: \(run.stdout)")
        #expect(replayed == expected, "\(run.transcript)")
    }
}
