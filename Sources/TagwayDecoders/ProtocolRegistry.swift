import TagwayModel

/// Commands the gateway must send for a reader that only reports when asked (M100 inventory,
/// PN532 polling, Mercury tag reads). Passive readers have none.
public struct PollingPlan: Sendable {
    /// Sent once after every (re)open, in order: wake-up, configuration.
    public var startup: [[UInt8]]
    /// Sent every `interval` while the port is open.
    public var poll: [UInt8]
    public var interval: Duration

    public init(startup: [[UInt8]] = [], poll: [UInt8], interval: Duration) {
        self.startup = startup
        self.poll = poll
        self.interval = interval
    }
}

/// Settings from a device profile's `settings:` map that a protocol understands.
public typealias ProtocolOptions = [String: String]

/// One supported reader protocol: a decoder and, for commanded readers, what to send.
public struct ProtocolDescriptor: Sendable {
    public let id: String
    public let summary: String
    /// Option keys the protocol reads from a profile; others are a configuration error.
    public let optionKeys: Set<String>
    public let makeDecoder: @Sendable (ProtocolOptions) throws(ProtocolOptionError) -> any ReaderDecoder
    public let polling: @Sendable (ProtocolOptions) -> PollingPlan?
    /// A read-only question the reader answers (its firmware version), for `tagway devices
    /// --probe`: never a command that changes a setting. Nil for passive readers.
    public let probeQuery: [UInt8]?

    public init(
        id: String, summary: String, optionKeys: Set<String> = [],
        makeDecoder: @escaping @Sendable (ProtocolOptions) throws(ProtocolOptionError) -> any ReaderDecoder,
        polling: @escaping @Sendable (ProtocolOptions) -> PollingPlan? = { _ in nil },
        probeQuery: [UInt8]? = nil
    ) {
        self.id = id
        self.summary = summary
        self.optionKeys = optionKeys
        self.makeDecoder = makeDecoder
        self.polling = polling
        self.probeQuery = probeQuery
    }
}

extension ProtocolDescriptor {
    /// A commanded reader: its polling options are checked when the decoder is made, so a bad
    /// value is a configuration error before the port is ever opened.
    static func polled(
        id: String, summary: String, optionKeys: Set<String>,
        plan: @escaping @Sendable (ProtocolOptions) throws(ProtocolOptionError) -> PollingPlan,
        decoder: @escaping @Sendable () -> any ReaderDecoder, probeQuery: [UInt8]
    ) -> ProtocolDescriptor {
        ProtocolDescriptor(
            id: id, summary: summary, optionKeys: optionKeys,
            makeDecoder: { options throws(ProtocolOptionError) in
                _ = try plan(options)
                return decoder()
            },
            polling: { options in try? plan(options) }, probeQuery: probeQuery)
    }
}

/// A protocol option with a value the protocol does not accept.
public struct ProtocolOptionError: Error, Sendable, CustomStringConvertible {
    public var key: String
    public var value: String
    public var expected: String

    public init(key: String, value: String, expected: String) {
        self.key = key
        self.value = value
        self.expected = expected
    }

    public var description: String { "setting '\(key)' is '\(value)'; expected \(expected)" }
}

/// Every protocol Tagway speaks, in one table (gpsd's `drivers.c`). A new reader protocol is one
/// decoder file plus one line here; a new reader model speaking a known protocol is one profile.
public enum ProtocolRegistry {
    public static let all: [ProtocolDescriptor] = [
        ProtocolDescriptor(
            id: "em4100-ascii",
            summary: "EM4100 125 kHz ASCII output (ID Innovations ID-12LA/ID-20LA, RDM6300)",
            makeDecoder: { _ in EM4100Decoder() }
        ),
        ProtocolDescriptor(
            id: "barcode-serial",
            summary: "Barcode scanner in serial mode: one scan per CR/LF line, optional AIM identifier",
            optionKeys: ["terminator", "aim", "maxLength"],
            makeDecoder: { options throws(ProtocolOptionError) in try SerialBarcodeDecoder(options: options) }
        ),
        .polled(id: "magicrf-m100", summary: "Magic RF M100 / YRM100 / JRD-100 UHF module, polled single inventory",
                optionKeys: ["pollIntervalMs"], plan: M100Frame.pollingPlan, decoder: { M100Decoder() },
                probeQuery: M100Frame.hardwareVersionQuery),
        .polled(id: "pn532-hsu", summary: "NXP PN532 NFC over HSU, polled InListPassiveTarget for ISO 14443-A cards",
                optionKeys: ["pollIntervalMs"], plan: PN532Frame.pollingPlan, decoder: { PN532Decoder() },
                probeQuery: PN532Frame.wakeUp + PN532Frame.command(PN532Frame.Command.getFirmwareVersion)),
        .polled(id: "thingmagic-mercury", summary: "ThingMagic Mercury serial (M6e, M6e Nano, M7e), polled Read Tag ID Single",
                optionKeys: ["pollIntervalMs", "readTimeoutMs"], plan: MercuryFrame.pollingPlan, decoder: { MercuryDecoder() },
                probeQuery: MercuryFrame.getVersion),
    ]

    public static func descriptor(for id: String) -> ProtocolDescriptor? {
        all.first { $0.id == id }
    }
}
