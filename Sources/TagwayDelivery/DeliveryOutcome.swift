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
