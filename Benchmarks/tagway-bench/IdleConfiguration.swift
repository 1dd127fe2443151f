import Foundation

/// The idle gateway of issue 16 item 4, as a configuration file: 8 serial barcode scanners on
/// ptys that never send a byte, 8 USB HID readers that are not plugged in (vendor/product ids
/// of real profiles, product ids nobody has), one webhook sink with nothing to send, and the
/// pull API on 127.0.0.1.
///
/// The sink is there so the outbox's idle behaviour is measured too: a gateway that forwards
/// is the normal case, and an idle sink must not look at the log on a timer.
struct IdleConfiguration {
    var dataDir: String
    var devicesDir: String
    var serialPorts: [String]
    var usbReaders = 8
    var apiPort: Int
    /// The environment variable the webhook's secret is read from (`env:`), set for the child.
    static let secretVariable = "TAGWAY_IDLE_BENCH_SECRET"

    var yaml: String {
        var lines = [
            "gateway: { id: idle-bench, dataDir: \"\(dataDir)\", devicesDir: \"\(devicesDir)\", durability: full }",
            "readers:",
        ]
        for (index, port) in serialPorts.enumerated() {
            lines.append("  - { id: scanner-\(index), profile: generic/serial-barcode, port: \"\(port)\", readPoint: desk-\(index), required: false }")
        }
        // Half HID POS, half keyboard wedge: both decoders' sessions wait for their device.
        for index in 0..<usbReaders {
            let profile = index % 2 == 0 ? "honeywell/xenon-1900-hidpos" : "zebra/ls2208-keyboard"
            let vendor = index % 2 == 0 ? "0x0c2e" : "0x05e0"
            lines.append("  - { id: usb-\(index), profile: \(profile), usb: { vendorId: \(vendor), productId: \(0x7f00 + index) }, "
                         + "readPoint: usb-point-\(index), required: false }")
        }
        lines += [
            "sinks:",
            "  - id: itam",
            "    webhook: { url: \"http://127.0.0.1:9/hook\", secret: \"env:\(Self.secretVariable)\" }",
            "retention: { maxEvents: 1000000, maxAge: 720h, policy: block }",
            "api: { listen: \"127.0.0.1:\(apiPort)\" }",
            "logging: { level: info }",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
