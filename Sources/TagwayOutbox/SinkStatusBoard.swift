import Foundation

/// Thread-safe table of sink status, written by the workers after every decision and read by the
/// status file writer and `tagway status` (like `HealthBoard` for readers).
public final class SinkStatusBoard: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: SinkStatus] = [:]
    private var retentionNote: String?
    private var droppedEvents = 0

    public init() {}

    public func update(_ status: SinkStatus) {
        lock.withLock { entries[status.id] = status }
    }

    /// Forgets a sink that a reload removed (its cursor stays in the log).
    public func remove(_ id: String) {
        lock.withLock { entries[id] = nil }
    }

    public var snapshot: [SinkStatus] {
        lock.withLock { entries.values.sorted { $0.id < $1.id } }
    }

    /// The retention keeper's latest finding: nil when the log is within its bound.
    public func retention(note: String?, dropped: Int) {
        lock.withLock {
            retentionNote = note
            droppedEvents += dropped
        }
    }

    public var retentionState: (note: String?, dropped: Int) {
        lock.withLock { (retentionNote, droppedEvents) }
    }
}
