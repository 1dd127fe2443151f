import TagwayModel

/// Settings from a device profile's `settings:` map, as the YAML scalars' text.
public typealias ProtocolSettings = [String: String]

/// One supported reader protocol, whatever carries it: everything the gateway, `check-config`,
/// the simulator, the tests and the fuzzer need to know about it, so nothing else switches on
/// protocol names (gpsd's `struct gps_type_t`).
public struct ProtocolDescriptor: Sendable {
    /// The name device profiles give in `protocol:`.
    public let id: String
    public let summary: String
    /// What the transport delivers and how this protocol turns it into frames.
    public let driver: ProtocolDriver
    /// The `settings:` keys the protocol reads; any other key is a configuration error.
    public let settings: SettingsSchema
    /// Known-good traffic and the frames it must decode to (the first check a new decoder gets).
    public let samples: [TrafficSample]
    /// What the completeness check tells the protocol's emulator to emit; its output must decode
    /// back to exactly that.
    public let emulation: EmulatorInput
    /// The folder under the decoder tests' `Fixtures/` holding captured traffic of this protocol.
    public let fixturesFolder: String

    public init(id: String, summary: String, driver: ProtocolDriver, settings: SettingsSchema,
                samples: [TrafficSample], emulation: EmulatorInput, fixturesFolder: String? = nil) {
        self.id = id
        self.summary = summary
        self.driver = driver
        self.settings = settings
        self.samples = samples
        self.emulation = emulation
        self.fixturesFolder = fixturesFolder ?? id
    }

    public var transport: ProtocolTransport { driver.transport }
}
