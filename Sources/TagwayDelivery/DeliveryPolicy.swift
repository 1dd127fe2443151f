/// Batching and retry settings of one sink.
public struct DeliveryPolicy: Sendable, Hashable {
    /// Most events in one delivery.
    public var maxEvents: Int
    /// How long a smaller batch waits for company before it is sent anyway.
    public var linger: Duration
    /// Backoff between retries: starts at `retryInitial`, doubles, capped at `retryMax`, jittered.
    public var retryInitial: Duration
    public var retryMax: Duration
    /// Attempts of one batch before the sink stops; nil retries forever (the default).
    public var maxAttempts: Int?
    /// The longest `Retry-After` honoured, so a wrong header cannot park a sink for days.
    public var retryAfterCap: Duration

    public init(maxEvents: Int = 500, linger: Duration = .milliseconds(200), retryInitial: Duration = .milliseconds(500),
                retryMax: Duration = .seconds(60), maxAttempts: Int? = nil, retryAfterCap: Duration = .seconds(3600)) {
        self.maxEvents = max(1, maxEvents)
        self.linger = linger
        self.retryInitial = retryInitial
        self.retryMax = retryMax
        self.maxAttempts = maxAttempts
        self.retryAfterCap = retryAfterCap
    }
}
