import Synchronization

/// A fixed number of concurrent SSE streams. Each stream holds a connection, a log subscription
/// and reads of its own for as long as the client stays; without a bound, clients the gateway
/// does not control decide how much of it they take.
final class StreamSlots: Sendable {
    let limit: Int
    private let taken = Mutex(0)

    init(limit: Int) {
        self.limit = max(0, limit)
    }

    var inUse: Int { taken.withLock { $0 } }

    /// A slot, or nil when all are taken. The slot is given back when the returned value is
    /// released, so a stream that ends any way at all (finished, failed, client gone, response
    /// never written) cannot keep it.
    func take() -> Slot? {
        let granted = taken.withLock {
            guard $0 < limit else { return false }
            $0 += 1
            return true
        }
        return granted ? Slot(owner: self) : nil
    }

    fileprivate func giveBack() {
        taken.withLock { $0 -= 1 }
    }

    final class Slot: Sendable {
        private let owner: StreamSlots

        fileprivate init(owner: StreamSlots) {
            self.owner = owner
        }

        deinit { owner.giveBack() }
    }
}
