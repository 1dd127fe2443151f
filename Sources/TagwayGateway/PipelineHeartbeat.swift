import Foundation
import Synchronization
import TagwayRuntime

/// Monotonic time since the process started: what the watchdog and readiness measure ages in,
/// so a wall clock set at boot (a gateway without an RTC meets NTP late) never looks like a
/// pipeline silent for years.
public enum ServiceClock {
    private static let origin = ContinuousClock.now

    public static func now() -> Duration { ContinuousClock.now - origin }

    public static func elapsed(at instant: ContinuousClock.Instant) -> Duration { instant - origin }

    /// CLOCK_MONOTONIC in microseconds, which systemd asks for with `RELOADING=1`.
    public static func monotonicMicroseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000 &+ UInt64(ts.tv_nsec / 1000)
    }
}

/// The pipeline's proofs of life, written by the pulse loop and read by the watchdog and
/// `/readyz` without waiting on the pipeline, which may be the thing that is stuck.
///
/// The pulse loop asks on a clock only when systemd's watchdog wants keep-alives (it restarts a
/// `WatchdogSec=` service that stops sending them: a periodic wake-up that is the point).
/// Without a watchdog it asks when a readiness probe does, so an idle gateway is not woken to
/// prove itself to nobody (issue 16); `HeartbeatRecord` says how fresh that leaves the proof.
public final class PipelineHeartbeat: Sendable {
    private let record = Mutex(HeartbeatRecord())
    private let questions = Wakeup()
    /// How often the pulse loop asks with a watchdog (a quarter of it, so two keep-alives fit in
    /// its half); nil without one: the loop asks when `requestPulse()` rings.
    public let pulseInterval: Duration?
    /// The watchdog interval, or how long a question may go unanswered (two state intervals and
    /// a second) before `/readyz` calls the pipeline wedged.
    public let window: Duration

    public init(watchdog: Duration?, stateInterval: Duration) {
        pulseInterval = watchdog.map { max(.milliseconds(10), $0 / 4) }
        window = watchdog ?? (min(stateInterval, .seconds(5)) * 2 + .seconds(1))
    }

    public func asked(at now: Duration) { record.withLock { $0.asked(at: now) } }

    public func answered(alive: Bool, at now: Duration) { record.withLock { $0.answered(alive: alive, at: now) } }

    /// The last time the pipeline answered that it is alive: the watchdog's keep-alive condition.
    public var lastBeat: Duration? { record.withLock { $0.lastBeat } }

    /// The beat `/readyz` judges the pipeline by at `now` (see `HeartbeatRecord.evidence`).
    public func evidence(now: Duration) -> Duration? { record.withLock { $0.evidence(now: now) } }

    /// Asks the pulse loop for a question now (a readiness probe came).
    public func requestPulse() { questions.ring() }

    /// Until the next `requestPulse()` (or cancellation).
    func waitForRequest() async { _ = await questions.wait(timeout: nil) }
}
