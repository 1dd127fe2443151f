/// What the pulse loop learned from the pipeline, and how fresh `/readyz` may take it: pure,
/// the monotonic time since start passed in.
///
/// The pipeline is an actor that does nothing unless called, so it can only be stuck on
/// something it is doing: an append that does not return (its answer to two questions in a row
/// is then false), or a call that never lets it answer (a question stays pending). A pipeline
/// that answered its last question and has none pending is therefore taken as alive now, and
/// nobody has to ask it on a clock; a pending question counts as a beat until it is `window`
/// old, so a busy pipeline is not called wedged the moment a probe asks.
public struct HeartbeatRecord: Sendable, Hashable {
    /// When the pipeline last answered that it is alive.
    public private(set) var lastBeat: Duration?
    /// When the question not answered yet was asked.
    public private(set) var pending: Duration?
    /// The last answer was "my log writes have not moved since the previous question".
    public private(set) var stalled = false

    public init() {}

    public mutating func asked(at now: Duration) {
        if pending == nil { pending = now }
    }

    public mutating func answered(alive: Bool, at now: Duration) {
        pending = nil
        stalled = !alive
        if alive { lastBeat = now }
    }

    /// The beat readiness compares with its window at `now`: after a stalled answer, the last
    /// beat (which ages, whatever is asked next); when a question is pending, the question (it
    /// is late only `window` after it was asked); `now` itself when the last answer was alive
    /// and nothing is pending. Nil: never answered and nothing asked.
    public func evidence(now: Duration) -> Duration? {
        if stalled { return lastBeat }
        if let pending { return max(lastBeat ?? pending, pending) }
        return lastBeat.map { _ in now }
    }
}
