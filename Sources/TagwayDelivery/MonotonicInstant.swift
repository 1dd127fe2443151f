import TagwayModel

/// A point on the outbox worker's monotonic clock: milliseconds since the worker started.
///
/// The machine's deadlines (linger, backoff, idle poll) are kept on this clock rather than as
/// wall-clock `Timestamp`s, so an NTP step of the wall clock neither fires a retry early nor parks
/// a sink for an hour; the wall clock is only used for what an operator reads (`lastSuccess`,
/// `nextAttempt`). Counting from the worker's start keeps the value a plain, comparable number
/// that tests write down, whatever `Clock` the worker runs on.
public struct MonotonicInstant: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public static let start = MonotonicInstant(milliseconds: 0)

    public static func < (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Bool { lhs.milliseconds < rhs.milliseconds }

    /// Saturating: a configured delay too long to count makes the deadline "never", not a trap.
    public static func + (lhs: MonotonicInstant, rhs: Duration) -> MonotonicInstant {
        MonotonicInstant(milliseconds: lhs.milliseconds.saturatingAdd(rhs.wholeMilliseconds))
    }

    /// How long from `rhs` until `lhs` (negative when `lhs` has passed).
    public static func - (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Duration {
        .milliseconds(lhs.milliseconds.saturatingSubtract(rhs.milliseconds))
    }

    public var description: String { "+\(milliseconds) ms" }
}

/// One reading of both clocks, handed to the machine with every input.
public struct OutboxNow: Hashable, Sendable {
    /// For the status an operator reads.
    public var wall: Timestamp
    /// For deadlines.
    public var monotonic: MonotonicInstant

    public init(wall: Timestamp, monotonic: MonotonicInstant) {
        self.wall = wall
        self.monotonic = monotonic
    }
}
