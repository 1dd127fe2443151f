import TagwayModel

/// When the retention keeper runs its next pass: a pure machine, handed the time with each input.
///
/// A pass has two kinds of reason. The log changed: events were appended (the count bound may be
/// passed) or a sink's cursor moved (undelivered events kept by `block` may go now); the keeper
/// hears of both as a ring. Or time passed: the oldest event a pass kept crosses `maxAge`, at a
/// moment known when the pass ends. Between those the keeper sleeps with no deadline at all, so
/// an idle gateway whose log has nothing due is never woken (issue 16; it used to look every
/// 10 s). Passes stay at least `spacing` apart however often the log commits, so a busy
/// pipeline does not pay for a pass per transaction.
public struct RetentionSchedule: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        /// Run a pass now, then report `passed`.
        case pass
        /// Wait for a ring (`rung`) or the deadline (`timerFired`); nil: a ring only.
        case sleep(until: MonotonicInstant?)
    }

    /// The least time between the starts of two passes.
    public let spacing: Duration
    public private(set) var lastPass: MonotonicInstant?
    /// The log changed since the last pass.
    public private(set) var changed = false
    /// When the oldest kept event crosses `maxAge` (nil: none will, or age is not bounded).
    public private(set) var ageDue: MonotonicInstant?

    public init(spacing: Duration = .seconds(10)) {
        self.spacing = spacing
    }

    /// At start: a pass at once, for what the previous run left over the bounds.
    public mutating func start(now: MonotonicInstant) -> Action {
        changed = true
        return next(now: now)
    }

    /// A pass ended at `now`; the oldest event it kept crosses `maxAge` after `ageCrossingIn`
    /// (nil: no event will, see `RetentionPlan.ageCrossing`).
    public mutating func passed(ageCrossingIn: Duration?, now: MonotonicInstant) -> Action {
        lastPass = now
        changed = false
        ageDue = ageCrossingIn.map { now + max(.zero, $0) }
        return next(now: now)
    }

    /// Events were committed or a cursor moved.
    public mutating func rung(now: MonotonicInstant) -> Action {
        changed = true
        return next(now: now)
    }

    /// The deadline of the last `sleep` passed (or a stale one did: the rule is the same).
    public mutating func timerFired(now: MonotonicInstant) -> Action {
        next(now: now)
    }

    /// The earliest due reason, no sooner than `spacing` after the last pass.
    private func next(now: MonotonicInstant) -> Action {
        let earliest = lastPass.map { $0 + spacing } ?? now
        let reasons = [changed ? earliest : nil, ageDue.map { max($0, earliest) }].compactMap { $0 }
        guard let due = reasons.min() else { return .sleep(until: nil) }
        return now >= due ? .pass : .sleep(until: due)
    }
}
