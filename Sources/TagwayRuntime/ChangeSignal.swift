import Synchronization

/// Rings every subscribed `Wakeup` when a shared board changes, so whoever shows the board
/// (status.json) sleeps until there is something new instead of looking on a clock.
///
/// A signal with no subscriber costs a lock; a ring nobody waits for is remembered by the
/// `Wakeup` until its owner next waits, so no change between two looks is missed.
public final class ChangeSignal: Sendable {
    private let subscribers = Mutex<[Wakeup]>([])

    public init() {}

    /// `wakeup` is rung on every change from now on.
    public func subscribe(_ wakeup: Wakeup) {
        subscribers.withLock { $0.append(wakeup) }
    }

    /// Something changed.
    public func signal() {
        for wakeup in subscribers.withLock({ $0 }) { wakeup.ring() }
    }
}
