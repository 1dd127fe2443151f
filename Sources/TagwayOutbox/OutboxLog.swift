import TagwayEventLog
import TagwayModel

/// What an `OutboxWorker` needs of the events it forwards: numbered events to read in order,
/// the newest number, and each sink's cursor. A gateway's outbox is its SQLite `EventLog`; a
/// site's (issue 17) is the site events stream with its cursors in the site's key-value bucket,
/// so a standby that takes over resumes each sink where the dead process's sink stopped. One
/// worker, one machine, one set of sinks for both.
///
/// The calls are `async` so a log whose calls block on the network can run them on a thread of
/// its own instead of a cooperative pool thread; `EventLog`'s synchronous calls satisfy them.
/// Waking the worker when the log grows is the owner's job (`OutboxWorker.notify()`).
public protocol OutboxLog: Sendable {
    associatedtype Failure: Error
    /// The last seq `sink` confirmed, or 0 when it never confirmed anything.
    func cursor(sink: String) async throws(Failure) -> Int64
    /// Records that `sink` confirmed everything up to `seq`; a cursor only moves forward.
    func setCursor(sink: String, seq: Int64, at time: Timestamp) async throws(Failure)
    /// The newest seq, 0 when empty.
    func lastSeq() async throws(Failure) -> Int64
    /// Up to `limit` events after `seq`, ascending by `seq`, each with its `seq` set.
    func events(after seq: Int64, limit: Int) async throws(Failure) -> [MovementEvent]
}

extension EventLog: OutboxLog {
    public typealias Failure = EventLogError
}
