import Synchronization
import TagwayRuntime

/// What libnats' threads report to the delivering task: the connection's state and the
/// PubAcks (or failures) of asynchronous publishes, by `Nats-Msg-Id`. The callbacks only touch
/// this, under its lock, and ring `wakeup`; the delivering task drains it.
final class JetStreamAnswers: Sendable {
    enum Answer: Sendable, Hashable {
        case stored(duplicate: Bool)
        case failed(String)
    }

    private struct Shared {
        var connected = false
        /// Disconnects so far: a message sent before one may be lost without an answer.
        var disconnects = 0
        /// The connection the sink uses now: a late callback of a closed one changes nothing.
        var current: UInt = 0
        var problem: String?
        var answers: [(id: String, answer: Answer)] = []
        var accepting = false
    }

    let wakeup = Wakeup()
    private let shared = Mutex(Shared())

    var connected: Bool { shared.withLock { $0.connected } }
    var disconnects: Int { shared.withLock { $0.disconnects } }
    var lastProblem: String? { shared.withLock { $0.problem } }

    func connected(_ connection: OpaquePointer) {
        shared.withLock {
            $0.current = UInt(bitPattern: connection)
            $0.connected = true
            $0.problem = nil
        }
        wakeup.ring()
    }

    func connectFailed(_ problem: String) {
        shared.withLock {
            $0.connected = false
            $0.problem = problem
        }
        wakeup.ring()
    }

    /// `connection` dropped or closed (libnats' thread).
    func lost(_ connection: OpaquePointer?, problem: String) {
        shared.withLock {
            guard UInt(bitPattern: connection) == $0.current, $0.connected else { return }
            $0.disconnects &+= 1
            $0.connected = false
            $0.problem = problem
        }
        wakeup.ring()
    }

    func problem(_ text: String) { shared.withLock { $0.problem = text } }

    /// Forgets answers of earlier attempts and takes this one's: an ack that arrives for a
    /// message of an earlier attempt comes again as a duplicate when that event is sent again.
    func begin() {
        shared.withLock {
            $0.answers.removeAll(keepingCapacity: true)
            $0.accepting = true
        }
    }

    /// Stops collecting (between deliveries nobody drains the answers).
    func end() {
        shared.withLock {
            $0.answers.removeAll()
            $0.accepting = false
        }
    }

    func answered(id: String, _ answer: Answer) {
        let taken = shared.withLock { shared -> Bool in
            guard shared.accepting else { return false }
            shared.answers.append((id, answer))
            return true
        }
        if taken { wakeup.ring() }
    }

    func drain() -> [(id: String, answer: Answer)] {
        shared.withLock { shared in
            defer { shared.answers.removeAll(keepingCapacity: true) }
            return shared.answers
        }
    }
}
