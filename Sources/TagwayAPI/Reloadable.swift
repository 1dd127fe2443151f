import Synchronization

/// A setting of the API that a reload replaces whole while requests read it: the accepted
/// tokens, the zone list, the audit settings. A request sees the old value or the new one, never
/// half of each, and the next request after a reload sees the new one.
public final class Reloadable<Value: Sendable>: Sendable {
    private let value: Mutex<Value>

    public init(_ value: Value) {
        self.value = Mutex(value)
    }

    public var current: Value { value.withLock { $0 } }

    public func replace(_ value: Value) {
        self.value.withLock { $0 = value }
    }
}

/// The access policy in force, replaced on SIGHUP: a token rotated out stops working at the
/// next request.
public typealias APIAccess = Reloadable<APIAccessPolicy>

extension Reloadable where Value == APIAccessPolicy {
    /// No tokens (loopback only).
    public convenience init() { self.init(APIAccessPolicy()) }
}
