import TagwayModel

/// The delivery decisions of one sink, as a pure state machine in the style of async-http-client's
/// `HTTP1ConnectionStateMachine`: every input (with the time, passed in) returns the one action
/// the worker around it executes next, and the worker's result comes back as the next input.
///
/// Every decision lives here (when a batch is full or has lingered long enough, how far the
/// cursor moves, how long to back off after a failed delivery, read or cursor write, when to give
/// up, that an idle sink waits for the log without a deadline), so tests drive hours of outages and odd server
/// answers in microseconds, and the worker is only I/O. An input the current state cannot have
/// (an answer with nothing in flight) is a bug in the worker, and stops the process with the
/// state and the input named: `accepts` says which inputs a state takes.
public struct OutboxMachine: Sendable {
    public enum State: Sendable, Hashable {
        /// Before `started`: the cursor is not known yet.
        case created
        /// Caught up; asleep until the log grows. No deadline: every append goes through this
        /// process's `EventLog`, whose commit rings the worker, so a timed look at the log would
        /// only wake an idle gateway for nothing (issue 16: no wake-ups when nothing happens).
        case idle
        /// Undelivered events wait for company until `due` (the linger started at `since`).
        case lingering(Backlog)
        /// One piece of I/O is out; its result is the only input accepted.
        case inFlight(InFlight, Backlog)
        /// Waiting until `until`, then `then`.
        case retrying(Retry)
        /// The sink stopped on a permanent error; its events stay in the log until a restart.
        case stopped(reason: String)
        /// The worker was told to stop; no input is accepted any more.
        case finished
    }

    /// When the oldest undelivered event was first noticed, the linger's clock: it keeps
    /// running through deliveries, so the rest of a backlog does not linger a second time.
    public struct Backlog: Sendable, Hashable {
        public var since: MonotonicInstant
        /// Failed attempts of the batch at the cursor (reset by a confirmed delivery).
        public var attempts: Int

        public init(since: MonotonicInstant, attempts: Int = 0) {
            self.since = since
            self.attempts = attempts
        }
    }

    public enum InFlight: Sendable, Hashable {
        /// Reading up to `maxEvents` after the cursor.
        case reading
        /// The sink has the batch.
        case sending(Batch)
        /// The confirmed cursor is being written; the next batch waits for it, so a crash
        /// redelivers at most one batch. `failures` counts failed writes of this cursor.
        case persisting(cursor: Int64, failures: Int)
    }

    public struct Batch: Sendable, Hashable {
        public var first: Int64
        public var last: Int64
        public var count: Int

        public init(first: Int64, last: Int64, count: Int) {
            self.first = first
            self.last = last
            self.count = count
        }
    }

    public struct Retry: Sendable, Hashable {
        public enum Next: Sendable, Hashable {
            /// Read the batch at the cursor again (after a failed delivery or read).
            case read
            /// Write the confirmed cursor again (after a failed write).
            case persist(cursor: Int64, failures: Int)
        }

        public var until: MonotonicInstant
        public var then: Next
        public var backlog: Backlog
    }

    public enum Input: Sendable, Hashable {
        /// The worker read the sink's cursor from the log.
        case started(cursor: Int64)
        /// The wake-up rang: the log may have grown.
        case rung
        /// The log's newest seq; nil when the log could not say.
        case headRead(Int64?)
        case batchRead(Batch)
        /// Nothing after the cursor (a stale head, or events dropped by retention).
        case readEmpty
        case readFailed(reason: String)
        /// The sink's answer for the batch in flight.
        case answered(DeliveryOutcome)
        case cursorPersisted
        case cursorPersistFailed(reason: String)
        /// The deadline of the last `sleep` passed.
        case timerFired
        /// The worker is being shut down.
        case stop
    }

    public enum Action: Sendable, Hashable {
        /// Read the log's newest seq and hand it back as `headRead`.
        case readHead
        /// Read up to `limit` events after `after`; hand back `batchRead`, `readEmpty` or `readFailed`.
        case read(after: Int64, limit: Int)
        /// Deliver the batch just read; hand back `answered`.
        case send(Batch)
        /// Store the cursor; hand back `cursorPersisted` or `cursorPersistFailed`.
        case persistCursor(Int64)
        /// Wait for a ring (`rung`) or the deadline (`timerFired`); nil: a ring only.
        case sleep(until: MonotonicInstant?)
        /// Wait for the deadline (`timerFired`) and nothing else: a ring meanwhile is remembered
        /// by the worker's wake-up and seen at the next `sleep` (see `headRefresh`).
        case pause(until: MonotonicInstant)
        /// The sink just stopped for good: report `reason` once, then wait for rings as `sleep(until: nil)`.
        case halt(reason: String)
        /// The worker's run ends.
        case finish
    }

    /// How often a sink that only waits (a retry's backoff, stopped) reads the log's head for its
    /// backlog while commits ring it. The log rings every commit, hundreds a second at a busy dock,
    /// and each look is a query and a wake-up; an asset store down for hours would have had its
    /// sink look at the log on every commit, for a backlog figure nobody reads that often.
    public static let headRefresh: Duration = .seconds(1)

    /// Backoff of a failed cursor write: short, since nothing moves until it sticks.
    static let persistInitial: Duration = .milliseconds(100)
    static let persistMax: Duration = .seconds(5)

    public let policy: DeliveryPolicy
    public internal(set) var state: State = .created
    /// What `tagway status` shows; updated with every transition.
    public internal(set) var status: SinkStatus
    /// The delay of failed deliveries and reads (one sequence: a read that fails between failed
    /// deliveries keeps backing off), reset by a confirmed delivery.
    var backoff: Backoff
    var persistBackoff = Backoff(initial: persistInitial, maximum: persistMax)
    /// The jitter's source; seeded by the worker, fixed by tests.
    var rng: SplitMix64
    /// When the head was last read, and whether a ring came since that was not looked at.
    var headReadAt: MonotonicInstant?
    var headStale = false

    public init(id: String, kind: String, policy: DeliveryPolicy, seed: UInt64) {
        self.policy = policy
        status = SinkStatus(id: id, kind: kind)
        backoff = Backoff(initial: policy.retryInitial, maximum: policy.retryMax)
        rng = SplitMix64(seed: seed)
    }

    public var cursor: Int64 { status.cursor }

    /// Whether the current state takes `input`. `handle` traps on any other input.
    public func accepts(_ input: Input) -> Bool {
        switch (state, input) {
        case (.created, .started), (.created, .stop):
            return true
        case (.idle, .rung), (.idle, .headRead), (.idle, .timerFired), (.idle, .stop),
             (.lingering, .rung), (.lingering, .headRead), (.lingering, .timerFired), (.lingering, .stop),
             (.retrying, .rung), (.retrying, .headRead), (.retrying, .timerFired), (.retrying, .stop),
             (.stopped, .rung), (.stopped, .headRead), (.stopped, .timerFired), (.stopped, .stop):
            return true
        case (.inFlight(.reading, _), .batchRead), (.inFlight(.reading, _), .readEmpty),
             (.inFlight(.reading, _), .readFailed),
             // A stop before the read: nothing was delivered, nothing is lost.
             (.inFlight(.reading, _), .stop):
            return true
        case (.inFlight(.sending, _), .answered):
            return true
        case (.inFlight(.persisting, _), .cursorPersisted), (.inFlight(.persisting, _), .cursorPersistFailed):
            return true
        default:
            return false
        }
    }

    /// Applies `input` at `now` and returns what the worker does next.
    public mutating func handle(_ input: Input, now: OutboxNow) -> Action {
        guard accepts(input) else {
            preconditionFailure("OutboxMachine \(status.id): input \(input) is invalid in state \(state)")
        }
        if case .headRead = input {
            headReadAt = now.monotonic
            headStale = false
        }
        switch (state, input) {
        case (.created, .started(let cursor)):
            status.cursor = cursor
            status.head = cursor
            state = .idle
            return .readHead
        case (_, .stop):
            state = .finished
            return .finish
        case (.retrying(let retry), .rung):
            return headOrPause(until: retry.until, now: now)
        case (.stopped, .rung):
            return headOrPause(until: nil, now: now)
        case (_, .rung):
            return .readHead
        case (.idle, .headRead(let head)):
            advanceHead(head)
            guard status.head > status.cursor else { return .sleep(until: nil) }
            return lingerOrRead(Backlog(since: now.monotonic), now: now)
        case (.idle, .timerFired):
            // Only a deadline set before the sink went idle (a linger or backoff whose work a
            // ring already did): look once, then sleep without one.
            return .readHead
        case (.lingering(let backlog), .headRead(let head)):
            advanceHead(head)
            return lingerOrRead(backlog, now: now)
        case (.lingering(let backlog), .timerFired):
            return lingerOrRead(backlog, now: now)
        case (.inFlight(.reading, let backlog), _):
            return handleRead(input, backlog: backlog, now: now)
        case (.inFlight(.sending(let batch), let backlog), .answered(let outcome)):
            return handleAnswer(outcome, batch: batch, backlog: backlog, now: now)
        case (.inFlight(.persisting(let cursor, let failures), let backlog), _):
            return handlePersist(input, cursor: cursor, failures: failures, backlog: backlog, now: now)
        case (.retrying(let retry), .headRead(let head)):
            advanceHead(head)
            return .sleep(until: retry.until)
        case (.retrying(let retry), .timerFired):
            return retryIsDue(retry, now: now)
        case (.stopped, .headRead(let head)):
            advanceHead(head)
            return .sleep(until: nil)
        case (.stopped, .timerFired):
            return .readHead
        default:
            preconditionFailure("OutboxMachine \(status.id): accepted input \(input) has no transition in state \(state)")
        }
    }
}
