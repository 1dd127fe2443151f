import Foundation

/// Settings changed by a reload that only a restart applies. The reload writes them here; /readyz
/// shows them in its "restart" check (detail only: a pending restart leaves the gateway ready).
public final class RestartNotice: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [String] = []

    public init() {}

    /// Replaces the list: the settings that differ from the running ones now (empty when a
    /// later reload put them back).
    public func set(_ reasons: [String]) {
        lock.withLock { pending = reasons }
    }

    public var reasons: [String] { lock.withLock { pending } }
}
