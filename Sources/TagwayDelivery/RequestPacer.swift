import TagwayModel

/// Spaces an asset store's requests so a per-minute API limit is never reached, instead of
/// finding the limit with 429s (Snipe-IT throttles its API at 120 requests a minute by default,
/// and one pallet of 200 tagged laptops is 200 audits).
///
/// Pure: `now` is the monotonic time of the caller's clock. Requests are spaced evenly, one every
/// `interval`, where `interval × limit` is just over a minute: then no 60-second window, open or
/// closed, aligned with the store's counter or not, ever holds more than `limit` request starts.
/// A burst allowance would finish a small batch sooner but would spend the store's budget that
/// other API clients share; even spacing never does.
///
/// The store may know better: a `Retry-After`, or an `X-RateLimit-Remaining: 0` with its reset,
/// holds every request until then (`holdOff`), so a store whose limit is lower than the
/// configured one is obeyed after its first answer, not fought.
public struct RequestPacer: Sendable, Hashable {
    public let requestsPerMinute: Int
    /// Between two request starts: ⌊60,000 / limit⌋ + 1 ms.
    public let interval: Duration
    /// The earliest start of the next request.
    public private(set) var nextStart: MonotonicInstant?
    /// Requests started, and the time spent waiting for a slot (status and metrics).
    public private(set) var started = 0
    public private(set) var waited: Duration = .zero

    public static let snipeITDefault = 120

    /// `requestsPerMinute` is clamped to 1...60,000 (the configuration checks its range first).
    public init(requestsPerMinute: Int) {
        let limit = min(max(requestsPerMinute, 1), 60_000)
        self.requestsPerMinute = limit
        interval = .milliseconds(60_000 / limit + 1)
    }

    /// How long to wait before the next request may start; the slot is taken, so the caller
    /// starts its request after that wait (a cancelled wait gives the slot back with `release`).
    public mutating func reserve(now: MonotonicInstant) -> Duration {
        let start = max(now, nextStart ?? now)
        nextStart = start + interval
        started = started.saturatingAdd(1)
        let wait = start - now
        waited += wait
        return wait
    }

    /// Gives back the slot of a request that was not sent (its wait was cancelled).
    public mutating func release(now: MonotonicInstant) {
        guard let next = nextStart else { return }
        let back = MonotonicInstant(milliseconds: next.milliseconds.saturatingSubtract(interval.wholeMilliseconds))
        nextStart = max(back, now)
        started = max(0, started - 1)
    }

    /// Holds every request until `until`: the store said when it takes requests again.
    public mutating func holdOff(until: MonotonicInstant) {
        if let next = nextStart, next >= until { return }
        nextStart = until
    }

    /// When the next request may start, if later than `now`.
    public func nextSlot(after now: MonotonicInstant) -> MonotonicInstant? {
        guard let next = nextStart, next > now else { return nil }
        return next
    }
}
