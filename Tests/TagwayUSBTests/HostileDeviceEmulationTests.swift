import Foundation
import Testing

extension USBEmulation {
    /// A USB device whose report descriptor overflows Report Size x Report Count
    /// (Devices/hostile-descriptor.umockdev) plugged into a gateway that reads only a serial
    /// reader: every attached device's descriptor is parsed at start, so it must be named and
    /// skipped, never crash the gateway or `tagway devices`.
    @Suite("Hostile USB devices")
    struct HostileDevices {
        private static let attached = [
            "device", "rfid", Testbed.device("ftdi-id12la"), "device", "hostile", Testbed.device("hostile-descriptor"),
            "plug", "rfid", "plug", "hostile",
        ]

        @Test func gatewayWithASerialReaderKeepsRunningAndNamesTheBadDescriptor() async throws {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tagway-hostile-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            let devices = try GatewayUnderTestbed.devicesWithFTDIReader(in: scratch)
            let gateway = try GatewayUnderTestbed(readers: ["{ id: badge, profile: test/id12la-ftdi, port: /dev/ttyUSB0 }"],
                                                  devicesDir: devices)
            defer { gateway.remove() }
            // The serial reader's port appears only after the bad descriptor was reported, so the
            // two log lines come in this order and the gateway is shown to read on after it.
            let run = try await gateway.run([
                "device", "rfid", Testbed.device("ftdi-id12la"), "device", "hostile", Testbed.device("hostile-descriptor"),
                "plug", "hostile",
                "wait-output", "descriptor unreadable", "plug", "rfid",
                "wait-output", "reader badge: connected on /dev/ttyUSB0", "stop",
            ])
            #expect(run.exitCode == 0, "\(run.output)")
            let line = try #require(run.output.split(separator: "\n").first { $0.contains("descriptor unreadable") })
            #expect(line.contains("/dev/bus/usb/001/003") && line.contains("1209:0001") && line.contains("(Report Size)"), "\(line)")
        }

        @Test func devicesAllExitsZeroNamingTheBadDescriptor() async throws {
            let run = try await Testbed.run(Self.attached, command: [GatewayUnderTestbed.tagway, "devices", "--all"])
            #expect(run.exitCode == 0, "\(run.log)")
            let line = try #require(run.output.split(separator: "\n").first { $0.contains("1209:0001") }, "\(run.output)")
            #expect(line.contains("hid 0:other") && line.contains("interface 0 descriptor unreadable: HID report descriptor, byte 0 (Report Size)"),
                    "\(line)")
            #expect(run.output.contains("/dev/ttyUSB0"), "the other devices are still listed: \(run.output)")

            let json = try await Testbed.run(Self.attached, command: [GatewayUnderTestbed.tagway, "devices", "--all", "--json"])
            #expect(json.exitCode == 0, "\(json.log)")
            let entry = try #require(json.output.split(separator: "\n").first { $0.contains("1209:0001") })
            let object = try JSONSerialization.jsonObject(with: Data(entry.utf8)) as? [String: Any]
            #expect((object?["descriptorError"] as? String)?.contains("Report Size") == true, "\(entry)")
        }
    }
}
