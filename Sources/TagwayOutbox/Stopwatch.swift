import TagwayRuntime

/// The outbox machine's instants on the worker's stopwatch (started with the worker), so the
/// machine's deadlines are plain numbers and the worker sleeps until them on the injected clock.
extension Stopwatch {
    var now: MonotonicInstant { MonotonicInstant(milliseconds: elapsed().wholeMilliseconds) }

    func sleep(until instant: MonotonicInstant) async -> Bool {
        await sleep(untilElapsed: .milliseconds(instant.milliseconds))
    }
}

extension Wakeup {
    /// Returns true after a ring, false once `deadline` on `stopwatch` passed (nil: no deadline)
    /// or on cancellation.
    func wait(until deadline: MonotonicInstant?, stopwatch: Stopwatch) async -> Bool {
        await wait(untilElapsed: deadline.map { .milliseconds($0.milliseconds) }, on: stopwatch)
    }
}
