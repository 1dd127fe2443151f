import Synchronization

/// Settings a reload found changed that only a restart applies (readers' ports, the data
/// directory): logged by the reloader and shown in `/readyz`'s "restart" check, which stays ok,
/// since the gateway keeps working with what it started with.
public final class RestartNotice: Sendable {
    private let pending = Mutex<[String]>([])

    public init() {}

    /// Replaces the list (an empty list: nothing waits for a restart).
    public func set(_ reasons: [String]) { pending.withLock { $0 = reasons } }

    public var reasons: [String] { pending.withLock { $0 } }
}
