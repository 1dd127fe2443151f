/// A `GatewayClock`'s monotonic clock, read as time since the stopwatch started.
///
/// It holds the clock opened once (whatever concrete `Clock` the `GatewayClock` carries: the
/// system's `ContinuousClock`, or a test's `TestClock`), so deadlines are absolute instants of
/// that clock: a test that advances the clock before a shell starts sleeping still fires it, and
/// a bounded wait ("at most stopTimeout") is measured on the same clock the shell sleeps on.
public struct Stopwatch: Sendable {
    /// Time since the start, at the clock's full precision.
    public let elapsed: @Sendable () -> Duration
    private let sleepUntil: @Sendable (Duration) async -> Bool

    public init(_ clock: any Clock<Duration>) {
        self = Self.opened(clock)
    }

    private init(elapsed: @escaping @Sendable () -> Duration, sleepUntil: @escaping @Sendable (Duration) async -> Bool) {
        self.elapsed = elapsed
        self.sleepUntil = sleepUntil
    }

    private static func opened<C: Clock<Duration>>(_ clock: C) -> Stopwatch {
        let origin = clock.now
        return Stopwatch(elapsed: { origin.duration(to: clock.now) }, sleepUntil: { offset in
            do {
                try await clock.sleep(until: origin.advanced(by: offset), tolerance: nil)
                return true
            } catch {
                return false
            }
        })
    }

    /// Sleeps until `offset` after the start; false when cancelled.
    public func sleep(untilElapsed offset: Duration) async -> Bool {
        await sleepUntil(offset)
    }
}

extension GatewayClock {
    /// A stopwatch on the monotonic clock, started now.
    public func stopwatch() -> Stopwatch { Stopwatch(monotonic) }
}

extension Wakeup {
    /// Returns true after a ring, false once `offset` on `stopwatch` passed (nil: no deadline) or
    /// on cancellation. A ring that races the deadline still counts.
    public func wait(untilElapsed offset: Duration?, on stopwatch: Stopwatch) async -> Bool {
        guard let offset else { return await wait(orUntil: nil) }
        return await wait(orUntil: { @Sendable in _ = await stopwatch.sleep(untilElapsed: offset) })
    }
}
