/// Capped exponential backoff with full jitter, for reconnecting readers and retrying sinks.
///
/// Full jitter (a uniform pick between zero and the capped exponential) spreads out gateways
/// that lost the same thing at the same moment, so they do not all come back in lockstep.
public struct Backoff: Sendable, Hashable {
    public var initial: Duration
    public var maximum: Duration
    public private(set) var attempt = 0

    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(10)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The delay before the next attempt; each call doubles the ceiling up to `maximum`.
    public mutating func next<R: RandomNumberGenerator>(using rng: inout R) -> Duration {
        let initialMs = max(1, initial.wholeMilliseconds)
        let shift = min(attempt, 30)
        let ceiling = min(maximum.wholeMilliseconds, initialMs << shift)
        attempt += 1
        let floor = min(initialMs, ceiling)
        return .milliseconds(Int64.random(in: floor...max(floor, ceiling), using: &rng))
    }

    public mutating func reset() { attempt = 0 }
}
