/// Bounds on what the pipeline holds when the log refuses events (a full disk): memory for at
/// most `maxHeldEvents` events, and at most `stopRetries` of final attempts at a stop.
public struct HoldingPolicy: Sendable, Hashable {
    /// Events held in memory before new reads are dropped (counted per reader).
    public var maxHeldEvents: Int
    /// How long a stop keeps trying to write held events before giving up and saying how many.
    public var stopRetries: Duration

    public init(maxHeldEvents: Int = 10_000, stopRetries: Duration = .seconds(3)) {
        self.maxHeldEvents = max(1, maxHeldEvents)
        self.stopRetries = max(.zero, stopRetries)
    }
}
