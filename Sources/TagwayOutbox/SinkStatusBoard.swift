import Synchronization
import TagwayModel
import TagwayRuntime

/// Thread-safe table of sink status, written by the workers after every decision and read by the
/// status file writer and `tagway status` (like `HealthBoard` for readers).
public final class SinkStatusBoard: Sendable {
    private struct State {
        var entries: [String: SinkStatus] = [:]
        var retentionNote: String?
        var droppedEvents = 0
        /// Sinks with details (`DetailedSink`), by id.
        var details: [String: @Sendable () -> String] = [:]
    }

    private let state = Mutex(State())
    /// Signalled on every change, and by the forwarder when the log commits (status.json shows
    /// the last seq): whoever shows the board waits on it instead of a clock.
    public let changes = ChangeSignal()

    public init() {}

    public func update(_ status: SinkStatus) {
        state.withLock { $0.entries[status.id] = status }
        changes.signal()
    }

    /// Forgets a sink that a reload removed (its cursor stays in the log).
    public func remove(_ id: String) {
        state.withLock {
            $0.entries[id] = nil
            $0.details[id] = nil
        }
        changes.signal()
    }

    /// Shows `sink`'s details with its status from now on (a reload's new sink replaces the old).
    public func attach(_ sink: any DetailedSink) {
        state.withLock { $0.details[sink.id] = { sink.detailsJSON } }
        let changes = changes
        sink.onDetailsChange { changes.signal() }
        changes.signal()
    }

    public var snapshot: [SinkStatus] {
        state.withLock { $0.entries.values.sorted { $0.id < $1.id } }
    }

    /// Each sink's status as a JSON object, with `details` for the sinks that have them.
    public var snapshotJSON: [String] {
        let (entries, details) = state.withLock { ($0.entries.values.sorted { $0.id < $1.id }, $0.details) }
        return entries.map { status in
            let json = status.json
            guard let detail = details[status.id] else { return json }
            return String(json.dropLast()) + ",\"details\":" + detail() + "}"
        }
    }

    /// The retention keeper's latest finding: nil when the log is within its bound.
    public func retention(note: String?, dropped: Int) {
        state.withLock {
            $0.retentionNote = note
            $0.droppedEvents = $0.droppedEvents.saturatingAdd(dropped)
        }
        changes.signal()
    }

    public var retentionState: (note: String?, dropped: Int) {
        state.withLock { ($0.retentionNote, $0.droppedEvents) }
    }
}
