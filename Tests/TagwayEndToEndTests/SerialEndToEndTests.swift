import Foundation
import Testing
import TagwayEmulators
import TagwayEventLog
import TagwayModel
import TagwaySimulator

/// Each serial protocol through a real pty into the real `tagway run`, checked in its SQLite log.
@Suite(.serialized) struct SerialEndToEndTests {
    struct Case: Sendable, CustomStringConvertible {
        var profile: String
        var protocolID: String
        var tag: String
        var expectedKey: String
        /// The profile's settings the emulator plays (the EM4100 variant).
        var settings: [String: String] = [:]
        var description: String { profile }
    }

    static let cases: [Case] = [
        Case(profile: "id-innovations/id-12la", protocolID: "em4100-ascii", tag: "0100E2850E", expectedKey: "em4100:0100E2850E"),
        Case(profile: "generic/rdm6300-ch340", protocolID: "em4100-ascii", tag: "1A00B3C4D5", expectedKey: "em4100:1A00B3C4D5",
             settings: ["variant": "rdm6300"]),
        Case(profile: "magicrf/m100", protocolID: "magicrf-m100", tag: "3074257BF7194E4000001A85",
             expectedKey: "urn:epc:id:sgtin:0614141.812345.6789"),
        Case(profile: "thingmagic/m6e-nano", protocolID: "thingmagic-mercury", tag: "3074257BF7194E4000001A85",
             expectedKey: "urn:epc:id:sgtin:0614141.812345.6789"),
        Case(profile: "elechouse/pn532-hsu", protocolID: "pn532-hsu", tag: "04A1B2C3D4E5F6", expectedKey: "iso14443a:04A1B2C3D4E5F6"),
    ]

    @Test(arguments: cases)
    func arrivalAndDepartureAreLogged(_ c: Case) async throws {
        let dir = makeTemporaryDirectory(c.protocolID)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = dir + "/reader"
        let emulator = try EmulatorFactory.make(protocolID: c.protocolID, settings: c.settings)
        let scenario = try Scenario.parse("0.3 enter \(c.tag)\n1.5 leave \(c.tag)\n")
        let reader = try SimulatedReader(path: port, emulator: emulator, scenario: scenario)
        defer { reader.stop() }
        let gateway = try GatewayProcess(config: """
            gateway: { id: e2e, dataDir: "\(dir)", devicesDir: "\(repositoryDevices)" }
            debounce: { departAfter: 1s }
            readers:
              - { id: r1, profile: \(c.profile), port: "\(port)", readPoint: door }
            """, dataDir: dir)
        #expect(try await gateway.waitForLog("reader r1: connected"))
        reader.start()
        let events = try await gateway.waitForEvents { $0.contains { $0.type == .departed } }
        let stderr = gateway.stop()
        #expect(events.map(\.type) == [.arrived, .departed], "\(stderr)")
        #expect(events.allSatisfy { $0.asset.key == c.expectedKey && $0.readPoint == "door" && $0.reader == "r1" },
                "\(events.map(\.json))")
        #expect(events.first?.to == "door")
        #expect(events.last?.from == "door")
        #expect(events.first.map { $0.reads ?? 0 >= 1 } == true)
    }

    @Test func barcodeScansAreObservedOnce() async throws {
        let dir = makeTemporaryDirectory("barcode")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = dir + "/scanner"
        let emulator = try EmulatorFactory.make(protocolID: "barcode-serial", settings: [:])
        let scenario = try Scenario.parse("""
            0.3 scan ]E04006381333931
            0.6 scan ]C0ASSET-004217
            0.9 scan ]C1<GS>8004061414112345
            """)
        let reader = try SimulatedReader(path: port, emulator: emulator, scenario: scenario)
        defer { reader.stop() }
        let gateway = try GatewayProcess(config: """
            gateway: { id: e2e, dataDir: "\(dir)", devicesDir: "\(repositoryDevices)" }
            readers:
              - { id: desk, profile: generic/serial-barcode, port: "\(port)", readPoint: helpdesk }
            """, dataDir: dir)
        #expect(try await gateway.waitForLog("reader desk: connected"))
        reader.start()
        let events = try await gateway.waitForEvents { $0.count >= 3 }
        try await Task.sleep(for: .milliseconds(300))
        let final = try EventLog.openExisting(directory: dir).events(after: 0, limit: 100)
        let stderr = gateway.stop()
        #expect(events.count == 3, "\(stderr)")
        #expect(final.count == 3)
        #expect(final.allSatisfy { $0.type == .observed && $0.readPoint == "helpdesk" })
        #expect(final.map(\.symbology) == ["]E0", "]C0", "]C1"])
        #expect(final[1].asset.key == "barcode:ASSET-004217")
    }

    @Test func unplugAndReplugMidStreamLosesAndDuplicatesNothing() async throws {
        let dir = makeTemporaryDirectory("replug")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = dir + "/uhf"
        let emulator = try EmulatorFactory.make(protocolID: "magicrf-m100", settings: [:])
        // A present before and after the outage (one presence), B arrives after the replug.
        let scenario = try Scenario.parse("""
            0.2 enter 3074257BF7194E4000001A85 rssi=-50
            1.0 unplug
            1.6 replug
            2.2 enter 3034257BF7194E4000001A86 rssi=-60
            3.0 leave 3074257BF7194E4000001A85
            3.0 leave 3034257BF7194E4000001A86
            """)
        let reader = try SimulatedReader(path: port, emulator: emulator, scenario: scenario)
        defer { reader.stop() }
        let gateway = try GatewayProcess(config: """
            gateway: { id: e2e, dataDir: "\(dir)", devicesDir: "\(repositoryDevices)" }
            debounce: { departAfter: 2s }
            readers:
              - { id: dock, profile: magicrf/m100, port: "\(port)" }
            """, dataDir: dir)
        #expect(try await gateway.waitForLog("reader dock: connected"))
        reader.start()
        let events = try await gateway.waitForEvents { $0.filter { $0.type == .departed }.count >= 2 }
        try await Task.sleep(for: .milliseconds(500))
        let final = try EventLog.openExisting(directory: dir).events(after: 0, limit: 100)
        let stderr = gateway.stop()
        #expect(events.count == 4, "\(stderr)")
        let summary = final.map { "\($0.type.rawValue) \($0.asset.raw)" }
        #expect(summary == [
            "arrived 3074257BF7194E4000001A85",
            "arrived 3034257BF7194E4000001A86",
            "departed 3074257BF7194E4000001A85",
            "departed 3034257BF7194E4000001A86",
        ], "\(stderr)")
        #expect(stderr.contains("device went away"), "the gateway noticed the unplug")
        #expect(Set(final.map(\.id)).count == final.count)
        #expect(final.map { $0.seq! } == Array(1...Int64(final.count)))
    }
}
