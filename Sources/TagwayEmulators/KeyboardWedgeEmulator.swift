import TagwayHID
import TagwayModel

/// A keyboard-wedge reader: types each scan on its keymap, one press and one release report per
/// keystroke (a dead key then Space for accents the layout has only as dead keys), then the
/// terminator key.
public struct KeyboardWedgeEmulator: HIDReportEmulator {
    public var configuration: KeyboardWedgeConfiguration

    public init(configuration: KeyboardWedgeConfiguration = KeyboardWedgeConfiguration()) {
        self.configuration = configuration
    }

    /// HID 1.11 appendix B.1: modifiers, reserved byte, LEDs (output), six key slots.
    public var reportDescriptor: [UInt8] { Self.bootKeyboardDescriptor }

    public static let bootKeyboardDescriptor: [UInt8] = [
        0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x05, 0x07, 0x19, 0xE0, 0x29, 0xE7,
        0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x08, 0x81, 0x02, 0x95, 0x01, 0x75, 0x08, 0x81, 0x01,
        0x95, 0x05, 0x75, 0x01, 0x05, 0x08, 0x19, 0x01, 0x29, 0x05, 0x91, 0x02, 0x95, 0x01, 0x75, 0x03, 0x91, 0x01,
        0x95, 0x06, 0x75, 0x08, 0x15, 0x00, 0x25, 0x65, 0x05, 0x07, 0x19, 0x00, 0x29, 0x65, 0x81, 0x00, 0xC0,
    ]

    public static let release: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0]

    /// Characters the keymap cannot type are left out, as a real scanner set to the wrong layout
    /// would garble them; emulations that must round-trip use typeable text.
    public func reports(for scan: BarcodeScan) -> [[UInt8]] {
        var text = scan.text
        if configuration.symbologyPrefix, let symbology = scan.symbology { text = symbology + text }
        var reports: [[UInt8]] = []
        for scalar in text.unicodeScalars {
            for (modifiers, usage) in keystrokes(for: scalar) ?? [] {
                reports.append([modifiers, 0, usage, 0, 0, 0, 0, 0])
                reports.append(Self.release)
            }
        }
        let terminator: UInt8? = switch configuration.terminator {
        case .enter: 0x28
        case .tab: 0x2B
        case .none: nil
        }
        if let terminator {
            reports.append([0, 0, terminator, 0, 0, 0, 0, 0])
            reports.append(Self.release)
        }
        return reports
    }

    /// (modifier byte, usage) presses that type `scalar`.
    func keystrokes(for scalar: Unicode.Scalar) -> [(UInt8, UInt8)]? {
        if scalar == " " { return [(0, 0x2C)] }
        let keymap = configuration.keymap
        let modifiers: [UInt8] = [0x00, 0x02, 0x40, 0x42]   // plain, Shift, AltGr, Shift+AltGr
        for usage in keymap.mappedUsages {
            guard let entry = keymap.entry(for: usage) else { continue }
            for (level, output) in entry.levels.enumerated() where level < modifiers.count && output == .character(scalar) {
                return [(modifiers[level], usage)]
            }
        }
        for usage in keymap.mappedUsages {
            guard let entry = keymap.entry(for: usage) else { continue }
            for (level, output) in entry.levels.enumerated() where level < modifiers.count && output == .dead(scalar) {
                return [(modifiers[level], usage), (0, 0x2C)]
            }
        }
        return nil
    }
}
