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
