import TagwayEmulators
import TagwayProtocols

/// The emulator that speaks a profile's protocol, for `tagway simulate`, the demo, the tests and
/// the benchmarks: a lookup in the protocol registry, which says how each protocol is emulated.
public enum EmulatorFactory {
    public struct UnsupportedProtocol: Error, CustomStringConvertible, Sendable {
        public var protocolID: String
        public var description: String { "no simulator for protocol '\(protocolID)'" }
    }

    /// `settings` are the profile's (and reader's) `settings:`; the EM4100 variant, a barcode
    /// scanner's terminator and AIM mode come from them.
    public static func make(protocolID: String, settings: [String: String] = [:]) throws(UnsupportedProtocol) -> any ReaderEmulator {
        guard let driver = ProtocolRegistry.descriptor(for: protocolID)?.serial else {
            throw UnsupportedProtocol(protocolID: protocolID)
        }
        return driver.makeEmulator(settings)
    }
}
