import TagwayDecoders
import TagwayEmulators

/// A protocol spoken over a serial byte stream: a single-step decoder, for commanded readers the
/// commands to send, and the emulator `tagway simulate` and the tests put on a pty.
public struct SerialDriver: Sendable {
    public let makeDecoder: @Sendable (ProtocolSettings) throws(ProtocolOptionError) -> any ReaderDecoder
    /// Nil for passive readers, which report by themselves.
    public let polling: @Sendable (ProtocolSettings) -> PollingPlan?
    public let makeEmulator: @Sendable (ProtocolSettings) -> any ReaderEmulator
    /// A read-only question the reader answers (its firmware version), for `tagway devices
    /// --probe`: never a command that changes a setting. Nil for passive readers, which the probe
    /// only listens to.
    public let probeQuery: [UInt8]?

    public init(
        makeDecoder: @escaping @Sendable (ProtocolSettings) throws(ProtocolOptionError) -> any ReaderDecoder,
        polling: @escaping @Sendable (ProtocolSettings) -> PollingPlan? = { _ in nil },
        makeEmulator: @escaping @Sendable (ProtocolSettings) -> any ReaderEmulator,
        probeQuery: [UInt8]? = nil
    ) {
        self.makeDecoder = makeDecoder
        self.polling = polling
        self.makeEmulator = makeEmulator
        self.probeQuery = probeQuery
    }

    /// A commanded reader: its polling settings are checked when the decoder is made, so a bad
    /// value is a configuration error before the port is ever opened.
    public static func polled(
        plan: @escaping @Sendable (ProtocolSettings) throws(ProtocolOptionError) -> PollingPlan,
        decoder: @escaping @Sendable () -> any ReaderDecoder,
        emulator: @escaping @Sendable (ProtocolSettings) -> any ReaderEmulator,
        probeQuery: [UInt8]
    ) -> SerialDriver {
        SerialDriver(
            makeDecoder: { settings throws(ProtocolOptionError) in
                _ = try plan(settings)
                return decoder()
            },
            polling: { settings in try? plan(settings) },
            makeEmulator: emulator, probeQuery: probeQuery)
    }
}
