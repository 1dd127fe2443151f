import Synchronization

/// An async mutual exclusion: callers of `enter()` go one at a time, in arrival order, until the
/// holder calls `leave()`. For rare, slow sections (a reconfiguration that waits for workers).
final class SerialGate: Sendable {
    private struct State {
        var held = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func enter() async {
        await withCheckedContinuation { continuation in
            let admitted = state.withLock { s -> Bool in
                if s.held {
                    s.waiting.append(continuation)
                    return false
                }
                s.held = true
                return true
            }
            if admitted { continuation.resume() }
        }
    }

    func leave() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if s.waiting.isEmpty {
                s.held = false
                return nil
            }
            return s.waiting.removeFirst()
        }
        next?.resume()
    }
}
