import Foundation
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

final class ConnectionGateState: @unchecked Sendable {
    let limit: Int
    private let logger: Logger
    private let lock = NSLock()
    private var open = 0
    private var refusing = false
    private var episodes = 0

    init(limit: Int, logger: Logger) {
        self.limit = max(1, limit)
        self.logger = logger
    }

    /// Connections open now, and how many times the gate has closed so far.
    var snapshot: (open: Int, episodes: Int) { lock.withLock { (open, episodes) } }

    func opened() { lock.withLock { open += 1 } }
    func closed() { lock.withLock { open -= 1 } }

    func accepting() -> Bool {
        let (accept, changed, count) = lock.withLock { () -> (Bool, Bool, Int) in
            let accept = open < limit
            let changed = accept == refusing
            refusing = !accept
            if changed, !accept { episodes += 1 }
            return (accept, changed, open)
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
