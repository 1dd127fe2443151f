import Synchronization
import TagwayRuntime

/// Drives `ServiceNotifyMachine` for a running gateway and sends what it decides through a
/// `SystemdNotifier`: the gateway calls `ready`, `reloading`/`ready` and `stopping` at those
/// moments, and `run` ticks the keep-alive and status until it is cancelled.
public final class ServiceNotifications: Sendable {
    private let notifier: SystemdNotifier?
    private let machine: Mutex<ServiceNotifyMachine>
    /// `WATCHDOG_USEC` for this process, when systemd watches it.
    public let watchdog: Duration?
    private let now: @Sendable () -> Duration

    /// Without a notifier (tests, `tagway` run from a shell) nothing is sent and no watchdog is on.
    public init(notifier: SystemdNotifier? = nil, now: @escaping @Sendable () -> Duration = ServiceClock.now) {
        self.notifier = notifier?.isActive == true ? notifier : nil
        self.now = now
        let machine = ServiceNotifyMachine(watchdog: self.notifier?.watchdog)
        watchdog = machine.watchdog
        self.machine = Mutex(machine)
    }

    public func ready(status: String) { step { $0.ready(status: status, now: now()) } }

    public func reloaded(status: String) { step { $0.reloaded(status: status, now: now()) } }

    public func reloading() { step { $0.reloading(monotonicMicroseconds: ServiceClock.monotonicMicroseconds()) } }

    public func stopping() { step { $0.stopping() } }

    /// Ticks until cancelled: `WATCHDOG=1` while `heartbeat` is recent, `STATUS=` from `status`.
    /// Returns at once without a watchdog (see `ServiceNotifyMachine.tickInterval`).
    func run(status: @Sendable () -> String, heartbeat: PipelineHeartbeat, timers: GatewayClock = .system) async {
        guard notifier != nil, let interval = machine.withLock({ $0.tickInterval }) else { return }
        while !Task.isCancelled {
            let line = status()
            step { $0.tick(status: line, lastBeat: heartbeat.lastBeat, now: now()) }
            _ = await timers.sleep(for: interval)
        }
    }

    /// Decides and sends under the lock, so messages leave in the order they were decided (a
    /// datagram send does not block on systemd).
    private func step(_ decide: (inout ServiceNotifyMachine) -> [String]) {
        guard let notifier else { return }
        machine.withLock {
            for message in decide(&$0) { notifier.send(message) }
        }
    }
}
