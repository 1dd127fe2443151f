import TagwayDecoders
import TagwayEmulators
import TagwaySessions

/// What a conversation needs to know of the reader's configuration besides its settings: the
/// antennas the configuration names (the inventory runs on exactly these) and the transmit power
/// asked for each, in dBm.
public struct ConversationContext: Sendable, Hashable {
    public var antennas: [Int]
    public var transmitPowerDBm: [Int: Double]

    public init(antennas: [Int], transmitPowerDBm: [Int: Double] = [:]) {
        self.antennas = antennas
        self.transmitPowerDBm = transmitPowerDBm
    }
}

/// A protocol spoken as a conversation over a network connection (LLRP over TCP): the
/// conversation the session machine runs on each connection, the port readers listen on, and the
/// emulator `tagway simulate --listen` and the tests put on a socket.
public struct ConversationDriver: Sendable {
    /// Checks the settings (a bad value is a configuration error before any connection is made).
    public let makeConversation: @Sendable (ProtocolSettings, ConversationContext) throws(ProtocolOptionError) -> any ReaderConversation
    public let makeEmulator: @Sendable (ProtocolSettings) -> any ConnectionEmulator
    /// The TCP port readers of this protocol listen on (LLRP: 5084).
    public let defaultPort: Int

    public init(makeConversation: @escaping @Sendable (ProtocolSettings, ConversationContext) throws(ProtocolOptionError) -> any ReaderConversation,
                makeEmulator: @escaping @Sendable (ProtocolSettings) -> any ConnectionEmulator, defaultPort: Int) {
        self.makeConversation = makeConversation
        self.makeEmulator = makeEmulator
        self.defaultPort = defaultPort
    }
}
