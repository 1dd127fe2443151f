/// What to tell systemd and when, decided without I/O or a clock of its own (`now` is monotonic
/// time since start, passed in by the caller).
///
/// systemd restarts a `Type=notify` service whose `WATCHDOG=1` stops arriving, so the keep-alive
/// must prove the gateway works, not that some timer fires: it is sent only while the
/// pipeline's own heartbeat is recent. A wedged pipeline stops the keep-alives and systemd
/// restarts the gateway after `WatchdogSec`.
public struct ServiceNotifyMachine: Sendable {
    /// `WATCHDOG_USEC` when the watchdog is on for this process; keep-alives go at half of it.
    public let watchdog: Duration?
    /// How often `STATUS=` is repeated even when nothing changed.
    public let statusInterval: Duration
    private(set) var phase = Phase.starting
    private var lastWatchdog: Duration?
    private var lastStatus: (text: String, at: Duration)?

    enum Phase: Equatable { case starting, running, reloading, stopping }

    public init(watchdog: Duration?, statusInterval: Duration = .seconds(5)) {
        self.watchdog = watchdog.flatMap { $0 > .zero ? $0 : nil }
        self.statusInterval = statusInterval
    }

    /// The log is open, the asset state restored, the readers started and the API bound.
    public mutating func ready(status: String, now: Duration) -> [String] {
        guard phase == .starting else { return [] }
        phase = .running
        lastStatus = (status, now)
        lastWatchdog = nil
        return ["READY=1\nSTATUS=\(status)"]
    }

    /// A reload ended (applied or refused): ready again. Nothing before the first READY, so a
    /// reload during a long start does not announce the gateway early.
    public mutating func reloaded(status: String, now: Duration) -> [String] {
        guard phase == .reloading else { return [] }
        phase = .running
        lastStatus = (status, now)
        return ["READY=1\nSTATUS=\(status)"]
    }

    /// A reload begins; `reloaded(status:now:)` ends it. `monotonicMicroseconds` is CLOCK_MONOTONIC,
    /// which systemd wants with `RELOADING=1` (for `Type=notify-reload`; harmless otherwise).
    public mutating func reloading(monotonicMicroseconds: UInt64) -> [String] {
        guard phase == .running else { return [] }
        phase = .reloading
        return ["RELOADING=1\nMONOTONIC_USEC=\(monotonicMicroseconds)"]
    }

    /// Called every `tickInterval` with the current status line and the pipeline's last beat.
    public mutating func tick(status: String, lastBeat: Duration?, now: Duration) -> [String] {
        guard phase == .running || phase == .reloading else { return [] }
        var messages: [String] = []
        if let watchdog, let lastBeat, now - lastBeat <= watchdog,
           lastWatchdog.map({ now - $0 >= watchdog / 2 }) ?? true {
            lastWatchdog = now
            messages.append("WATCHDOG=1")
        }
        if lastStatus.map({ $0.text != status || now - $0.at >= statusInterval }) ?? true {
            lastStatus = (status, now)
            messages.append("STATUS=\(status)")
        }
        return messages
    }

    /// Shutdown begins: no keep-alive after this (systemd's stop timeout takes over).
    public mutating func stopping() -> [String] {
        guard phase != .stopping else { return [] }
        phase = .stopping
        return ["STOPPING=1\nSTATUS=stopping"]
    }

    /// How often the caller should tick: often enough for the keep-alive at half the watchdog
    /// (a quarter of it), and not at all without one. The watchdog is the one periodic wake-up
    /// an idle gateway keeps, because systemd asks for it; without it `STATUS=` goes with
    /// `ready`, `reloaded` and `stopping` only, so nothing wakes the gateway to repeat it.
    public var tickInterval: Duration? {
        guard let watchdog else { return nil }
        return max(.milliseconds(10), watchdog / 4)
    }
}
