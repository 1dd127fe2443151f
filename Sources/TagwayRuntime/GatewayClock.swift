import TagwayModel

/// The one clock the gateway's shells are given: the wall clock for event timestamps, and a
/// monotonic clock for everything that waits (backoff, polling, lingering, timeouts).
///
/// Two clocks because they answer different questions: a timestamp must say when something
/// happened in the site's time, and must survive a restart; a timer must fire after the right
/// interval even when NTP steps the wall clock by an hour. Pure machines take neither: they are
/// handed `now` with each input, and return "sleep until" as an action that a shell executes
/// with this clock. Tests give a shell `GatewayClock(wall:monotonic:)` with a test clock and
/// advance it, so nothing sleeps and nothing polls the wall clock.
public struct GatewayClock: Sendable {
    /// Milliseconds since the Unix epoch, for events and health.
    public let wall: @Sendable () -> Timestamp
    /// The clock timers run on.
    public let monotonic: any Clock<Duration>

    public init(wall: @escaping @Sendable () -> Timestamp, monotonic: any Clock<Duration>) {
        self.wall = wall
        self.monotonic = monotonic
    }

    /// The machine's realtime clock and `ContinuousClock` (which keeps counting while suspended,
    /// so a reader's backoff measured across a suspend is not cut short).
    public static let system = GatewayClock(wall: { SystemClock.now() }, monotonic: ContinuousClock())

    /// Sleeps `duration` on the monotonic clock; false when the task was cancelled meanwhile.
    public func sleep(for duration: Duration) async -> Bool {
        await Self.sleep(monotonic, for: duration)
    }

    private static func sleep<C: Clock<Duration>>(_ clock: C, for duration: Duration) async -> Bool {
        do {
            try await clock.sleep(until: clock.now.advanced(by: duration), tolerance: nil)
            return true
        } catch {
            return false
        }
    }
}
