import TagwayEmulators

/// Picks the emulator that speaks a profile's protocol, for `tagway simulate` and the demo.
public enum EmulatorFactory {
    public struct UnsupportedProtocol: Error, CustomStringConvertible, Sendable {
        public var protocolID: String
        public var description: String { "no simulator for protocol '\(protocolID)'" }
    }

    public static func make(protocolID: String, profileID: String, settings: [String: String]) throws(UnsupportedProtocol) -> any ReaderEmulator {
        switch protocolID {
        case "em4100-ascii":
            return EM4100Emulator(variant: profileID.contains("rdm6300") ? .rdm6300 : .idInnovations)
        case "barcode-serial":
            let suffix: BarcodeScannerEmulator.Suffix = switch settings["terminator"] {
            case "cr": .cr
            case "lf": .lf
            default: .crlf
            }
            return BarcodeScannerEmulator(suffix: suffix, sendsAIM: settings["aim"] != "no")
        case "magicrf-m100":
            return M100Emulator()
        case "pn532-hsu":
            return PN532Emulator()
        case "thingmagic-mercury":
            return MercuryEmulator()
        default:
            throw UnsupportedProtocol(protocolID: protocolID)
        }
    }
}
