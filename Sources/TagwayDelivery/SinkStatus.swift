import TagwayModel

/// What an operator reads about one sink in `tagway status` and the logs.
public struct SinkStatus: Sendable, Hashable {
    public enum State: String, Sendable {
        case idle, lingering, delivering, retrying, stopped
    }

    public var id: String
    public var kind: String
    public var state: State = .idle
    /// Last seq the sink confirmed.
    public var cursor: Int64 = 0
    /// Newest seq in the log when last looked at.
    public var head: Int64 = 0
    /// Events delivered, and batches re-attempted after a failure.
    public var delivered = 0
    public var retried = 0
    /// Events of batches the store rejected (kept in the log, not delivered).
    public var failed = 0
    public var lastSuccess: Timestamp?
    public var lastError: String?
    public var lastErrorTime: Timestamp?
    public var nextAttempt: Timestamp?

    public init(id: String, kind: String) {
        self.id = id
        self.kind = kind
    }

    /// Undelivered events (seqs are dense unless the log dropped events under `drop-oldest`).
    public var backlog: Int64 { max(0, head - cursor) }

    public var json: String {
        var w = JSONObjectWriter()
        w.string("id", id)
        w.string("kind", kind)
        w.string("state", state.rawValue)
        w.number("cursor", cursor)
        w.number("head", head)
        w.number("backlog", backlog)
        w.number("delivered", Int64(delivered))
        w.number("retried", Int64(retried))
        w.number("failed", Int64(failed))
        if let lastSuccess { w.string("lastSuccess", lastSuccess.iso8601) }
        if let lastError { w.string("lastError", lastError) }
        if let lastErrorTime { w.string("lastErrorTime", lastErrorTime.iso8601) }
        if let nextAttempt { w.string("nextAttempt", nextAttempt.iso8601) }
        return w.finish()
    }
}
