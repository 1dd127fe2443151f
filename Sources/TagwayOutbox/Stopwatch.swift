import TagwayRuntime

/// The worker's monotonic clock, read as time since the worker started: the machine's
/// `MonotonicInstant`s are on it, and the worker sleeps until one of them.
///
/// It holds the clock opened once (whatever concrete `Clock` the `GatewayClock` carries: the
/// system's `ContinuousClock`, or a test's `TestClock`), so deadlines are absolute instants of
/// that clock: a test that advances the clock before the worker starts sleeping still fires it.
struct Stopwatch: Sendable {
    /// Time since the start, at the clock's full precision (batch durations are measured with it).
    let elapsed: @Sendable () -> Duration
    /// Sleeps until the start plus the duration; false when cancelled.
    private let sleepUntil: @Sendable (Duration) async -> Bool

    init(_ clock: any Clock<Duration>) {
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

    var now: MonotonicInstant { MonotonicInstant(milliseconds: elapsed().wholeMilliseconds) }

    func sleep(until instant: MonotonicInstant) async -> Bool {
        await sleepUntil(.milliseconds(instant.milliseconds))
    }
}

extension Wakeup {
    /// Returns true after a ring, false once `deadline` on `stopwatch` passed (nil: no deadline)
    /// or on cancellation. A ring that races the deadline still counts.
    func wait(until deadline: MonotonicInstant?, stopwatch: Stopwatch) async -> Bool {
        guard let deadline else { return await wait(timeout: nil) }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.wait(timeout: nil) }
            group.addTask {
                _ = await stopwatch.sleep(until: deadline)
                return false
            }
            var rang = await group.next() ?? false
            group.cancelAll()
            for await other in group { rang = rang || other }
            return rang
        }
    }
}
