import Foundation

/// Wakes one waiting worker when the log grows, or when its timeout passes, whichever is first.
///
/// A ring while nobody waits is remembered, so an append that lands between "the log is empty"
/// and "wait" is never missed. Cancelling the waiting task ends the wait.
public final class Doorbell: @unchecked Sendable {
    private let lock = NSLock()
    private var rung = false
    private var waiter: CheckedContinuation<Void, Never>?

    public init() {}

    public func ring() {
        let waiting: CheckedContinuation<Void, Never>? = lock.withLock {
            guard let waiter else {
                rung = true
                return nil
            }
            self.waiter = nil
            return waiter
        }
        waiting?.resume()
    }

    /// Returns after a ring, after `timeout` (nil: no timeout), or on cancellation.
    public func wait(timeout: Duration?) async {
        if lock.withLock({ let was = rung; rung = false; return was }) { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForRing() }
            if let timeout {
                group.addTask { try? await Task.sleep(for: timeout) }
            }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForRing() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow: Bool = lock.withLock {
                    if rung {
                        rung = false
                        return true
                    }
                    if Task.isCancelled { return true }
                    waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiting = lock.withLock { () -> CheckedContinuation<Void, Never>? in
                let w = waiter
                waiter = nil
                return w
            }
            waiting?.resume()
        }
    }
}
