import TagwayDecoders
import TagwaySettings

/// One reader profile the probe can recognise on a serial port: its line settings, how its bytes
/// decode, and the harmless question it answers.
public struct ProbeCandidate: Sendable {
    public var profileID: String
    public var protocolID: String
    public var serial: SerialSettings
    /// A read-only query the reader answers (its firmware version): never one that changes a
    /// setting. Nil for passive readers, which are only listened to (a card or code presented).
    public var query: [UInt8]?
    public var makeDecoder: @Sendable () -> any ReaderDecoder

    public init(profileID: String, protocolID: String, serial: SerialSettings, query: [UInt8]?,
                makeDecoder: @escaping @Sendable () -> any ReaderDecoder) {
        self.profileID = profileID
        self.protocolID = protocolID
        self.serial = serial
        self.query = query
        self.makeDecoder = makeDecoder
    }
}

/// A profile whose protocol made sense of what the port said, and the evidence.
public struct ProbeMatch: Sendable, Hashable {
    public var profileID: String
    public var protocolID: String
    public var serial: SerialSettings
    /// What was heard: "answered the version query: …", or the first frame of a passive reader.
    public var evidence: String
    /// True when the reader answered a query; false when it spoke by itself.
    public var answered: Bool

    public init(profileID: String, protocolID: String, serial: SerialSettings, evidence: String, answered: Bool) {
        self.profileID = profileID
        self.protocolID = protocolID
        self.serial = serial
        self.evidence = evidence
        self.answered = answered
    }
}

/// One line setting tried, and what came back, so a "nothing matched" says what was tried.
public struct ProbeAttempt: Sendable, Hashable {
    public var serial: SerialSettings
    public var bytesHeard: Int
    public var matched: [String]
}
