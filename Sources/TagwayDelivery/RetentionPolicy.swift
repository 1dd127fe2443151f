import TagwayModel

/// How much of the log is kept, and what happens when undelivered events exceed that.
public struct RetentionPolicy: Sendable, Hashable {
    public enum OverflowPolicy: String, Sendable, CaseIterable {
        /// Keep every undelivered event; raise a log line and a status flag.
        case block
        /// Delete the oldest events beyond the bound, counted and logged as an alert.
        case dropOldest = "drop-oldest"
    }

    /// Most events kept in the log (nil: no bound on the count).
    public var maxEvents: Int?
    /// Age after which delivered events are pruned, and beyond which undelivered ones are over the bound.
    public var maxAge: Duration?
    public var policy: OverflowPolicy

    public init(maxEvents: Int? = nil, maxAge: Duration? = .seconds(7 * 86_400), policy: OverflowPolicy = .block) {
        self.maxEvents = maxEvents
        self.maxAge = maxAge
        self.policy = policy
    }
}
