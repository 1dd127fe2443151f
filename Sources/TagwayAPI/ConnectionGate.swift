import Synchronization
import Hummingbird
import HummingbirdCore
import Logging

/// Stops accepting API connections while `limit` are open, so clients cannot take the file
/// descriptors a reader needs to reopen its port or the log needs to write. Connections past
/// the limit wait in the kernel's listen backlog (they hold no descriptor of ours) and are
/// accepted as others close. Each episode of refusing is logged once, and its end.
///
/// NIO accepts up to 4 connections per wake-up, so up to 3 more than `limit` can be open:
/// `DescriptorBudget` leaves room for that.
struct ConnectionGate: AvailableConnectionsDelegate {
    let state: ConnectionGateState

    mutating func connectionOpened() { state.opened() }
    mutating func connectionClosed() { state.closed() }
    func isAcceptingNewConnections() -> Bool { state.accepting() }
}

final class ConnectionGateState: Sendable {
    private struct Counts {
        var open = 0
        var refusing = false
        var episodes = 0
    }

    let limit: Int
    private let logger: Logger
    private let counts = Mutex(Counts())

    init(limit: Int, logger: Logger) {
        self.limit = max(1, limit)
        self.logger = logger
    }

    /// Connections open now, and how many times the gate has closed so far.
    var snapshot: (open: Int, episodes: Int) { counts.withLock { ($0.open, $0.episodes) } }

    func opened() { counts.withLock { $0.open += 1 } }
    func closed() { counts.withLock { $0.open -= 1 } }

    func accepting() -> Bool {
        let limit = limit
        let (accept, changed, count) = counts.withLock { counts -> (Bool, Bool, Int) in
            let accept = counts.open < limit
            let changed = accept == counts.refusing
            counts.refusing = !accept
            if changed, !accept { counts.episodes += 1 }
            return (accept, changed, counts.open)
        }
        if changed {
            if accept {
                logger.notice("pull API: accepting connections again (\(count) open, limit \(limit))")
            } else {
                logger.warning("pull API: refusing new connections: \(count) open, the limit the descriptor budget allows (\(limit)); they wait until some close, so readers and the event log keep the descriptors they need")
            }
        }
        return accept
    }
}
