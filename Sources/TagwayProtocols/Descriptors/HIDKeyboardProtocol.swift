import TagwayEmulators
import TagwayHID
import TagwayModel

/// Keyboard-wedge readers: barcode scanners in keyboard mode and 125 kHz readers that type the
/// card number.
enum HIDKeyboardProtocol {
    static let id = "hid-keyboard"

    /// Boot reports typing `0100E2850E` then Enter on the US layout.
    static let typedCard: [[UInt8]] = {
        let keys: [(UInt8, UInt8)] = [(0, 0x27), (0, 0x1E), (0, 0x27), (0, 0x27), (0x02, 0x08), (0, 0x1F),
                                      (0, 0x25), (0, 0x22), (0, 0x27), (0x02, 0x08), (0, 0x28)]
        return keys.flatMap { [[$0.0, 0, $0.1, 0, 0, 0, 0, 0], KeyboardWedgeEmulator.release] }
    }()

    static let descriptor = ProtocolDescriptor(
        id: id,
        summary: "USB HID keyboard wedge: scanners and RFID readers that type what they read",
        driver: .hidReports(HIDReportDriver(
            makeDecoding: { settings throws(HIDSettingError) in .keyboard(try KeyboardWedgeConfiguration(settings: settings)) },
            makeEmulator: { settings in
                KeyboardWedgeEmulator(configuration: (try? KeyboardWedgeConfiguration(settings: settings)) ?? KeyboardWedgeConfiguration())
            })),
        settings: .hid([
            .init("keymap", expects: Keymap.all.map(\.name).joined(separator: ", ")),
            .init("terminator", expects: "enter, tab or none"),
            .init("interKeyTimeoutMs", expects: "a whole number from 1 to 10000"),
            .init("timeoutEndsScan", expects: "true or false"),
            .init("symbologyPrefix", expects: "true or false"),
            .init("maximumScanLength", expects: "a whole number from 1 to 1000000"),
        ]) { settings throws(HIDSettingError) in _ = try KeyboardWedgeConfiguration(settings: settings) },
        samples: [
            TrafficSample("EM4100 card typed on the US layout", .reports(typedCard),
                          frames: [.barcode(BarcodeScan(data: Array("0100E2850E".utf8)))]),
            TrafficSample("scan typed on the German layout (Y and Z swapped)",
                          .reports([[0x02, 0, 0x1D, 0, 0, 0, 0, 0], KeyboardWedgeEmulator.release,
                                    [0x02, 0, 0x1C, 0, 0, 0, 0, 0], KeyboardWedgeEmulator.release,
                                    [0, 0, 0x28, 0, 0, 0, 0, 0], KeyboardWedgeEmulator.release]),
                          frames: [.barcode(BarcodeScan(data: Array("YZ".utf8)))], settings: ["keymap": "de"]),
        ],
        emulation: .scan(BarcodeScan(data: Array("ABC-123 xyz".utf8))))
}
