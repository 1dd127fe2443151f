import Foundation
import Testing

extension USBEmulation {
    /// A serial reader configured by its USB serial number: the gateway looks its tty up through
    /// udev at each open and opens it when udev adds a tty with that serial number, whatever the
    /// tty is called.
    @Suite("Serial readers by USB serial number")
    struct SerialUSBSerialNumber {
        @Test func theReaderFindsItsTtyByUSBSerialNumberWhenPlugged() async throws {
            let gateway = try GatewayUnderTestbed(readers: ["{ id: badge, profile: id-innovations/id-12la, usb: { serial: A10K3ZQ9 } }"])
            defer { gateway.remove() }
            let run = try await gateway.run([
                "device", "rfid", Testbed.device("ftdi-id12la"),
                "wait-output", "reader badge: no serial port with usb serial A10K3ZQ9 is attached",
                "plug", "rfid",
                "wait-output", "reader badge: usb serial A10K3ZQ9 appeared; opening it",
                "wait-output", "reader badge: connected on /dev/ttyUSB0", "stop",
            ])
            #expect(run.exitCode == 0, "\(run.output)")
            #expect(!run.output.contains("unconfigured"), "the tty is the configured reader: \(run.output)")
            #expect(try gateway.readerStatus("badge")?["path"] as? String == "/dev/ttyUSB0", "status shows the tty found")
        }
    }
}
