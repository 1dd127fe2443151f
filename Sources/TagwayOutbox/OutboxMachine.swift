import TagwayModel

/// The delivery decisions of one sink, as a pure state machine: time is passed in, and each call
/// returns what the I/O around it should do next (read a batch, wait, stop).
///
/// Keeping every decision here (when a batch is full or has lingered long enough, how far the
/// cursor moves, how long to back off, when to give up) lets the tests drive hours of outages
/// and odd server answers in microseconds, and leaves the worker that does the I/O trivially thin.
public struct OutboxMachine: Sendable {
    public enum Action: Sendable, Hashable {
        /// Read up to `limit` events after `after` from the log and deliver them.
        case fetch(after: Int64, limit: Int)
        /// Nothing to do until `until` (nil: until the log grows).
        case wait(until: Timestamp?)
        /// The sink stopped on a permanent error; its events stay in the log.
        case stopped(reason: String)
    }

    public let policy: DeliveryPolicy
    public private(set) var status: SinkStatus
    private var backoff: Backoff
    /// When the oldest undelivered event was first noticed (the linger clock).
    private var pendingSince: Timestamp?
    private var retryAt: Timestamp?
    private var attempts = 0
    private var inFlight: (first: Int64, last: Int64, count: Int)?

    public init(id: String, kind: String, policy: DeliveryPolicy, cursor: Int64) {
        self.policy = policy
        status = SinkStatus(id: id, kind: kind)
        status.cursor = cursor
        status.head = cursor
        backoff = Backoff(initial: policy.retryInitial, maximum: policy.retryMax)
    }

    public var cursor: Int64 { status.cursor }

    /// The log's newest seq is now `head`.
    public mutating func logAdvanced(to head: Int64, now: Timestamp) {
        if head > status.head { status.head = head }
        if status.head > status.cursor, pendingSince == nil { pendingSince = now }
    }

    /// What to do now.
    public mutating func next(now: Timestamp) -> Action {
        if status.state == .stopped { return .stopped(reason: status.lastError ?? "stopped") }
        if inFlight != nil { return .wait(until: nil) }
        if let retryAt {
            if now < retryAt { return .wait(until: retryAt) }
            return fetchAction(now: now)
        }
        guard status.head > status.cursor else {
            status.state = .idle
            pendingSince = nil
            return .wait(until: nil)
        }
        let since = pendingSince ?? now
        pendingSince = since
        let due = since + policy.linger
        if status.backlog >= Int64(policy.maxEvents) || now >= due { return fetchAction(now: now) }
        status.state = .lingering
        return .wait(until: due)
    }

    /// The log had nothing after the cursor (events dropped by retention, or a stale head).
    public mutating func fetchedNothing(now: Timestamp) {
        inFlight = nil
        status.head = status.cursor
        pendingSince = nil
        retryAt = nil
        status.state = .idle
    }

    /// A batch from `first` to `last` (`count` events) is being handed to the sink.
    public mutating func delivering(first: Int64, last: Int64, count: Int) {
        inFlight = (first, last, count)
        status.state = .delivering
        if last > status.head { status.head = last }
    }

    /// The sink answered for the batch in flight. Returns the new cursor to persist when the
    /// batch counts as delivered; the worker writes it before it fetches the next batch.
    public mutating func completed<R: RandomNumberGenerator>(_ outcome: DeliveryOutcome, now: Timestamp,
                                                            using rng: inout R) -> Int64? {
        guard let batch = inFlight else { return nil }
        inFlight = nil
        switch outcome {
        case .delivered, .alreadyDelivered:
            status.cursor = max(status.cursor, batch.last)
            status.delivered += batch.count
            status.lastSuccess = now
            status.nextAttempt = nil
            attempts = 0
            retryAt = nil
            backoff.reset()
            if status.head <= status.cursor {
                pendingSince = nil
                status.state = .idle
            }
            return status.cursor
        case .retry(let reason, let after):
            attempts += 1
            status.lastError = reason
            status.lastErrorTime = now
            if let maxAttempts = policy.maxAttempts, attempts >= maxAttempts {
                status.failed += batch.count
                stop("gave up after \(attempts) attempts: \(reason)", now: now)
                return nil
            }
            status.retried += 1
            var delay = backoff.next(using: &rng)
            if let after { delay = max(delay, min(after, policy.retryAfterCap)) }
            retryAt = now + delay
            status.nextAttempt = retryAt
            status.state = .retrying
            return nil
        case .rejected(let reason):
            status.failed += batch.count
            stop(reason, now: now)
            return nil
        }
    }

    private mutating func stop(_ reason: String, now: Timestamp) {
        status.state = .stopped
        status.lastError = reason
        status.lastErrorTime = now
        status.nextAttempt = nil
        retryAt = nil
    }

    private mutating func fetchAction(now: Timestamp) -> Action {
        status.state = .delivering
        return .fetch(after: status.cursor, limit: policy.maxEvents)
    }
}
