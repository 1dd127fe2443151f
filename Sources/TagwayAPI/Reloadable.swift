import Foundation

/// A setting of the API that a reload replaces whole while requests read it: the accepted
/// tokens, the zone list, the audit settings. A request sees the old value or the new one, never
/// half of each, and the next request after a reload sees the new one.
public final class Reloadable<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) {
        self.value = value
    }

    public var current: Value { lock.withLock { value } }

    public func replace(_ value: Value) {
        lock.withLock { self.value = value }
    }
}

/// The access policy in force, replaced on SIGHUP: a token rotated out stops working at the
/// next request.
public typealias APIAccess = Reloadable<APIAccessPolicy>

extension Reloadable where Value == APIAccessPolicy {
    /// No tokens (loopback only).
    public convenience init() { self.init(APIAccessPolicy()) }
}
