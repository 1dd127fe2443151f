import Foundation

/// An async mutual exclusion: callers of `enter()` go one at a time, in arrival order, until the
/// holder calls `leave()`. For rare, slow sections (a reconfiguration that waits for workers).
final class SerialGate: @unchecked Sendable {
    private let lock = NSLock()
    private var held = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        await withCheckedContinuation { continuation in
            let admitted = lock.withLock { () -> Bool in
                if held {
                    waiting.append(continuation)
                    return false
                }
                held = true
                return true
            }
            if admitted { continuation.resume() }
        }
    }

    func leave() {
        let next = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            if waiting.isEmpty {
                held = false
                return nil
            }
            return waiting.removeFirst()
        }
        next?.resume()
    }
}
