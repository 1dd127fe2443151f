import TagwayHID
import TagwayUSB

/// Command line of the probe: `watch --vid 05e0 --pid 1200 [--serial S] [--interface N]
/// [--decoder keyboard|pos|auto] [--keymap us] [--terminator enter|tab|none] [--timeout-ms N]
/// [--symbology-prefix]`, `list`, or `udev --count N`.
struct ProbeOptions {
    enum Command { case watch, list, udev }

    var command: Command = .watch
    var vendorID: UInt16 = 0
    var productID: UInt16 = 0
    var serial: String?
    var interface: Int?
    var decoder = "auto"
    var keyboard = KeyboardWedgeConfiguration()
    var count = 1

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init(_ arguments: [String]) throws(Failure) {
        var rest = arguments[...]
        switch rest.popFirst() {
        case "watch": command = .watch
        case "list": command = .list
        case "udev": command = .udev
        default: throw Failure(description: "usage: tagway-usb-probe watch|list|udev [options]")
        }
        var keymap = Keymap.us
        var terminator = ScanTerminator.enter
        var timeout = Duration.milliseconds(100)
        var prefix = false
        while let option = rest.popFirst() {
            if option == "--symbology-prefix" {
                prefix = true
                continue
            }
            guard let value = rest.popFirst() else { throw Failure(description: "\(option) needs a value") }
            switch option {
            case "--vid": vendorID = try Self.hex(value, option)
            case "--pid": productID = try Self.hex(value, option)
            case "--serial": serial = value
            case "--interface": interface = Int(value)
            case "--decoder": decoder = value
            case "--keymap":
                guard let named = Keymap.named(value) else { throw Failure(description: "unknown keymap \(value)") }
                keymap = named
            case "--terminator":
                guard let named = ScanTerminator(rawValue: value) else { throw Failure(description: "unknown terminator \(value)") }
                terminator = named
            case "--timeout-ms": timeout = .milliseconds(Int64(value) ?? 100)
            case "--count": count = Int(value) ?? 1
            default: throw Failure(description: "unknown option \(option)")
            }
        }
        keyboard = KeyboardWedgeConfiguration(keymap: keymap, terminator: terminator, interKeyTimeout: timeout, symbologyPrefix: prefix)
    }

    var configuration: HIDReaderConfiguration {
        let decoding: HIDDecoding
        switch decoder {
        case "keyboard": decoding = .keyboard(keyboard)
        case "pos": decoding = .pointOfSale
        default: decoding = .automatic(keyboard)
        }
        let match = USBDeviceMatch(vendorID: vendorID, productID: productID, serial: serial, interface: interface)
        return HIDReaderConfiguration(match: match, decoding: decoding)
    }

    private static func hex(_ text: String, _ option: String) throws(Failure) -> UInt16 {
        guard let value = UInt16(text.hasPrefix("0x") ? String(text.dropFirst(2)) : text, radix: 16) else {
            throw Failure(description: "\(option) wants a hex id, not \(text)")
        }
        return value
    }
}
