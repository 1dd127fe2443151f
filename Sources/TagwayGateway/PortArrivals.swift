import Synchronization
import TagwayUSB

/// Wakes a serial reader session's reconnect wait when udev announces its port, so a replugged
/// USB-serial reader is opened at once instead of after the rest of its backoff (up to 5 s of
/// lost reads at a door). The backoff still runs: ports that are not USB (no udev event) and
/// readers that fail for other reasons are retried as before.
final class PortArrivals: Sendable {
    private struct State {
        /// An arrival seen while nobody waited: the next wait returns at once.
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    /// A class around the lock, so the feeder task can share it (a Mutex cannot be captured).
    private final class Shared: Sendable {
        let state = Mutex(State())
    }

    private let shared = Shared()
    private let feeder: Task<Void, Never>

    /// Watches `monitor` for a tty whose node is `path`, or what `path` (often a /dev/tagway/
    /// or /dev/serial/by-id/ link, which udev has made by the time it reports) points to.
    init(monitor: UDevMonitor, path: String) {
        let shared = self.shared
        let events = monitor.subscribe()
        feeder = Task {
            for await event in events where event.action == .add && event.device.isSerialPort {
                guard let node = event.device.devnode, node == path || DeviceInventory.realPath(path) == node else { continue }
                let waiter = shared.state.withLock { s -> CheckedContinuation<Void, Never>? in
                    defer { s.waiter = nil }
                    if s.waiter == nil { s.pending = true }
                    return s.waiter
                }
                waiter?.resume()
            }
        }
    }

    /// Waits `delay`, or less when the port appears meanwhile; true when it appeared.
    func wait(upTo delay: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                try? await Task.sleep(for: delay)
                return false
            }
            group.addTask { [self] in
                await arrival()
                return !Task.isCancelled
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    /// Stops watching.
    func cancel() {
        feeder.cancel()
        let waiter = shared.state.withLock { s -> CheckedContinuation<Void, Never>? in
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume()
    }

    /// Returns on the next arrival (or a pending one), or when the task is cancelled. The
    /// cancellation check sits under the lock, so a cancel that runs before the continuation is
    /// stored still ends the wait.
    private func arrival() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = shared.state.withLock { s -> Bool in
                    if s.pending || Task.isCancelled {
                        s.pending = false
                        return true
                    }
                    s.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = shared.state.withLock { s -> CheckedContinuation<Void, Never>? in
                defer { s.waiter = nil }
                return s.waiter
            }
            waiter?.resume()
        }
    }
}
