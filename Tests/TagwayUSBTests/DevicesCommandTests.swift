import Foundation
import Testing

extension USBEmulation {
    /// `tagway devices` run against emulated USB devices and a USB-serial reader: the profile
    /// each matches, its path, and whether the configuration uses it.
    @Suite("tagway devices")
    struct DevicesCommand {
        private static let attached = [
            "device", "scanner", Testbed.device("zebra-ls2208"), "plug", "scanner",
            "device", "pos", Testbed.device("honeywell-hidpos"), "plug", "pos",
            "device", "rfid", Testbed.device("ftdi-id12la"), "plug", "rfid",
        ]

        @Test func jsonListsReadersWithProfilePathAndConfiguration() async throws {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tagway-devices-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            let devices = try GatewayUnderTestbed.devicesWithFTDIReader(in: scratch)
            let config = scratch + "/gateway.yaml"
            try """
                gateway: { id: t, dataDir: \(scratch)/data }
                readers:
                  - { id: desk-scan, profile: zebra/ls2208-keyboard }
                  - { id: badge, profile: test/id12la-ftdi, port: /dev/ttyUSB0 }
                """.write(toFile: config, atomically: true, encoding: .utf8)
            let run = try await Testbed.run(Self.attached, command: [
                GatewayUnderTestbed.tagway, "devices", "--json", "--config", config, "--devices", devices,
            ])
            #expect(run.exitCode == 0, "\(run.log)")
            let lines = run.output.split(separator: "\n").filter { $0.hasPrefix("{\"subsystem\"") }
            let entries = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
            func entry(_ path: String) -> [String: Any]? { entries.first { $0["path"] as? String == path } }
            #expect(entries.count == 3, "the FTDI bridge's USB device is not a reader: \(run.output)")
            let scanner = try #require(entry("/dev/bus/usb/001/002"))
            #expect(scanner["profile"] as? String == "zebra/ls2208-keyboard")
            #expect(scanner["configured"] as? Bool == true)
            #expect(scanner["reader"] as? String == "desk-scan")
            #expect(scanner["hid"] as? String == "0:keyboard")
            let pos = try #require(entry("/dev/bus/usb/001/003"))
            #expect(pos["profile"] as? String == "honeywell/xenon-1900-hidpos")
            #expect(pos["configured"] as? Bool == false)
            #expect(pos["hid"] as? String == "0:hid-pos")
            let tty = try #require(entry("/dev/ttyUSB0"))
            #expect(tty["profile"] as? String == "test/id12la-ftdi")
            #expect(tty["reader"] as? String == "badge")
            #expect(tty["device"] as? String == "0403:6001")
        }

        @Test func textWithoutAConfigAndAllDevices() async throws {
            let run = try await Testbed.run(Self.attached, command: [GatewayUnderTestbed.tagway, "devices", "--all"])
            #expect(run.exitCode == 0, "\(run.log)")
            let lines = run.output.split(separator: "\n").map(String.init)
            let scanner = try #require(lines.first { $0.contains("05e0:1200") })
            #expect(scanner.contains("/dev/bus/usb/001/002") && scanner.contains("profile zebra/ls2208-keyboard")
                    && scanner.contains("hid 0:keyboard") && scanner.contains("(no --config given)"), "\(scanner)")
            #expect(lines.contains { $0.contains("/dev/ttyUSB0") && $0.contains("no profile") },
                    "an FTDI cable without a matching profile is listed, unclaimed: \(run.output)")
        }
    }
}
