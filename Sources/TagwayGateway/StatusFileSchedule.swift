/// When status.json is written next: a pure machine, handed the monotonic time since start.
///
/// The file is rewritten when what it shows changed (a reader's health or counters, a sink, the
/// log's writes or last seq: the boards ring), at most once per `spacing` however busy the
/// gateway is, and a failed write is tried again after `spacing`. Nothing else wakes the writer:
/// an idle gateway's file stays as it is, and stays true (issue 16; it used to be rewritten
/// every 2 s). `tagway status` therefore judges staleness by the log, not the file's age alone.
public struct StatusFileSchedule: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        /// Write the file now, then report `wrote`.
        case write
        /// Nothing to write: wait for a change (`changed`).
        case waitForChange
        /// A write is due but the last was less than `spacing` ago: wait for the deadline
        /// (`timerFired`) and nothing else. A change adds nothing to a write already due, and
        /// the boards ring on every chunk a reader delivers: listening to them here woke the
        /// writer about 5,000 times a second at 10,000 reads/s, each a task group and a timer
        /// on the pipeline's core (read→durable p99 at 10,000 reads/s: 3.8–5.9 ms with it,
        /// 1.9–2.7 ms without).
        case sleep(until: Duration)
    }

    public let spacing: Duration
    public private(set) var lastWrite: Duration?
    /// Something changed since the last write, or the last write failed.
    public private(set) var due = true

    public init(spacing: Duration = .seconds(2)) {
        self.spacing = spacing
    }

    /// At start: the first write at once.
    public mutating func start(now: Duration) -> Action { next(now: now) }

    public mutating func wrote(succeeded: Bool, now: Duration) -> Action {
        lastWrite = now
        due = !succeeded
        return next(now: now)
    }

    public mutating func changed(now: Duration) -> Action {
        due = true
        return next(now: now)
    }

    public mutating func timerFired(now: Duration) -> Action { next(now: now) }

    private func next(now: Duration) -> Action {
        guard due else { return .waitForChange }
        guard let lastWrite, now < lastWrite + spacing else { return .write }
        return .sleep(until: lastWrite + spacing)
    }
}
