import Foundation
import Testing

extension USBEmulation {
    /// Serial readers on USB-serial bridges: the gateway's udev monitor tells the session its
    /// port is back, so it opens it at once instead of after the rest of its backoff.
    @Suite("Serial readers and udev")
    struct SerialHotplug {
        @Test func aSerialReaderIsOpenedWhenUdevAnnouncesItsPort() async throws {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tagway-serial-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            let devices = try GatewayUnderTestbed.devicesWithFTDIReader(in: scratch)
            let gateway = try GatewayUnderTestbed(readers: ["{ id: badge, profile: test/id12la-ftdi, port: /dev/ttyUSB0 }"],
                                                  devicesDir: devices)
            defer { gateway.remove() }
            let run = try await gateway.run([
                "device", "rfid", Testbed.device("ftdi-id12la"),
                "wait-output", "reader badge: /dev/ttyUSB0: no such device",
                "plug", "rfid",
                "wait-output", "reader badge: /dev/ttyUSB0 appeared; opening it",
                "wait-output", "reader badge: connected on /dev/ttyUSB0", "stop",
            ])
            #expect(run.exitCode == 0, "\(run.output)")
            #expect(!run.output.contains("unconfigured test/id12la-ftdi"), "the configured reader is not reported: \(run.output)")
        }
    }
}
