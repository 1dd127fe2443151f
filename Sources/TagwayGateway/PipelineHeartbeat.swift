import Foundation
import Synchronization

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

/// The last time the pipeline proved alive (answered its pulse with its log writes moving),
/// written by the pulse loop and read by the watchdog and `/readyz` without waiting on the
/// pipeline, which may be the thing that is stuck.
public final class PipelineHeartbeat: Sendable {
    private let last = Mutex<Duration?>(nil)
    /// How often the pulse loop asks the pipeline; a beat older than `window` means wedged.
    public let pulseInterval: Duration
    /// The watchdog interval, or two pulses and a second when there is no watchdog.
    public let window: Duration

    public init(watchdog: Duration?, stateInterval: Duration) {
        let pulse = min(stateInterval, watchdog.map { max(.milliseconds(10), $0 / 4) } ?? stateInterval, .seconds(5))
        pulseInterval = pulse
        window = watchdog ?? (pulse * 2 + .seconds(1))
    }

    public func beat(at now: Duration) { last.withLock { $0 = now } }

    public var lastBeat: Duration? { last.withLock { $0 } }
}
