/// Which reload requests become reloads: a pure decision, so the coalescing rules are tested
/// without signals, files or a gateway.
///
/// A burst of requests (an editor's write, rename and touch; several SIGHUPs) queued before the
/// reload job starts is one reload. SIGHUP is the operator saying "reload now": it makes the
/// queued reload unconditional. A file event for the text already loaded (an apply's own write,
/// a touch) is no change and is skipped.
public struct ReloadRequests: Sendable {
    public static let signal = "SIGHUP"
    private var queued: String?

    public init() {}

    /// Notes a request; true when a reload job must be queued for it (none is queued yet).
    public mutating func request(_ reason: String) -> Bool {
        let first = queued == nil
        if queued != Self.signal { queued = reason }
        return first
    }

    /// The reason of the queued reload, taken when its job starts (later requests queue another).
    public mutating func take() -> String {
        defer { queued = nil }
        return queued ?? Self.signal
    }

    /// Whether a started job reloads: always for SIGHUP, otherwise only when the text changed.
    public static func shouldReload(reason: String, text: String, loadedText: String) -> Bool {
        reason == signal || text != loadedText
    }
}
