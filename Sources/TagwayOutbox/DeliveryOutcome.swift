/// What a sink says about one batch. The outbox decides what happens next from this alone, so
/// every sink (HTTP, MQTT) maps its own protocol to these four cases and nothing else.
public enum DeliveryOutcome: Sendable, Hashable {
    /// The store has the events (2xx, PUBACK): the cursor moves past the batch.
    case delivered
    /// The store already had them (HTTP 409 after a redelivery): as good as delivered.
    case alreadyDelivered
    /// Try the same batch again later; `after` is the server's `Retry-After`, when it gave one.
    case retry(reason: String, after: Duration?)
    /// The store refuses the batch and retrying will not help (e.g. 400, 401, 404): the sink stops
    /// and keeps its events until an operator fixes the cause and restarts.
    case rejected(reason: String)
}

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
