import Synchronization

/// Wakes one waiting task when something it waits for happens (the log grew, a port appeared),
/// or when its timeout passes on the injected clock, whichever is first.
///
/// The gateway's one wake-up primitive. A ring while nobody waits is remembered, so an event
/// that lands between "nothing to do" and "wait" is never missed (the lost-wakeup race that a
/// plain continuation has). Cancelling the waiting task ends the wait. One waiter at a time:
/// each worker owns its own `Wakeup`.
public final class Wakeup: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    public init() {}

    /// Wakes the waiter, or makes the next `wait` return at once.
    public func ring() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard let waiter = s.waiter else {
                s.rung = true
                return nil
            }
            s.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Forgets a ring nobody waited for: for an owner about to look at everything anyway, so
    /// that what it is about to see does not wake it once more.
    public func forget() { _ = consumeRing() }

    /// Returns true after a ring, false after `timeout` on `clock` (nil: no timeout) or on
    /// cancellation.
    @discardableResult
    public func wait(timeout: Duration?, clock: GatewayClock = .system) async -> Bool {
        guard let timeout else { return await wait(orUntil: nil) }
        return await wait(orUntil: { @Sendable in _ = await clock.sleep(for: timeout) })
    }

    /// Returns true after a ring, false once `deadline` returns (nil: no deadline) or on
    /// cancellation: the one race of a ring against a sleep, whatever clock the sleep is on.
    func wait(orUntil deadline: (@Sendable () async -> Void)?) async -> Bool {
        if consumeRing() { return true }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.waitForRing() }
            if let deadline {
                group.addTask {
                    await deadline()
                    return false
                }
            }
            // The first result ends the wait; the other task is cancelled and drained, so a ring
            // that raced the timeout still counts instead of being swallowed by the loser.
            var rang = await group.next() ?? false
            group.cancelAll()
            for await other in group { rang = rang || other }
            return rang
        }
    }

    private func consumeRing() -> Bool {
        state.withLock { s in
            defer { s.rung = false }
            return s.rung
        }
    }

    /// True when a ring ended the wait, false on cancellation. The cancellation check sits under
    /// the lock, so a cancel that runs before the continuation is stored still ends the wait.
    private func waitForRing() async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.rung || Task.isCancelled { return true }
                    s.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
            return consumeRing() || !Task.isCancelled
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
                defer { s.waiter = nil }
                return s.waiter
            }
            waiter?.resume()
        }
    }
}
