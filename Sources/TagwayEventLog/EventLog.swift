import Foundation
import GRDB
import Synchronization
import TagwayModel
import TagwaySettings

/// The durable, append-only log of movement events: SQLite in WAL mode through GRDB.
///
/// The log is the single source of truth: an event is committed here before anything else (the
/// console, sinks, the pull API) hears of it. Appends are group-committed: while one transaction
/// is being written and synced, new appends queue up and go into the next transaction together,
/// so a burst of events costs a few fsyncs, not one each.
public final class EventLog: Sendable {
    /// Defined below the log (`TagwaySettings`), so the configuration names it without SQLite.
    public typealias Durability = TagwaySettings.Durability

    public static let fileName = "events.sqlite"
    /// WAL pages at which the committing connection checkpoints (SQLite's default is 1,000): the
    /// backstop that bounds the WAL. The copying is done beside the writer, by `WALCheckpointer`,
    /// soon after commits; the backstop then finds the pages copied already.
    static let checkpointPages = 4_000

    public let path: String
    /// What the start check found (`.intact` for logs opened without one, by `openExisting`).
    public let integrity: IntegrityCheck
    /// The log's identity: a random UUID made with the log and never changed (`v5-log-identity`).
    /// A recreated log (a new disk, a reinstall, a deleted file) gets a new one, so whoever keeps
    /// positions by `seq` (the site view) can tell its numbering from the old log's.
    public let identity: String
    /// The `meta` row holding `identity`.
    static let identityMetaKey = "log-id"
    let pool: DatabasePool
    private let committer: GroupCommitter
    private let subscribers = Subscribers()
    private let watch: LogFileWatch
    private let committed: CommittedSeq
    /// The writer's background checkpoints; nil for a log opened to read (`openExisting`).
    let checkpointer: WALCheckpointer?

    /// Opens (creating if needed) the log in `directory` for the gateway that writes it: the
    /// directory is created 0750 and the file 0640, the schema brought up to date, the file checked
    /// (`PRAGMA quick_check`, stopped after `integrityBudget`) and a real write transaction made,
    /// so a damaged or unwritable log stops the start instead of losing the first events.
    /// `commits` hears of every transaction written (see `CommitObserver`). `busyTimeout` is how
    /// long a write waits for another connection's lock before it fails (and the pipeline holds
    /// its events and retries): long enough for a reader's snapshot, short enough that a stuck
    /// process holding the file is reported rather than waited on forever.
    public convenience init(directory: String, durability: Durability = .full,
                            integrityBudget: Duration = .seconds(10), commits: CommitObserver? = nil,
                            busyTimeout: Duration = .seconds(5)) throws(EventLogError) {
        try self.init(directory: directory, durability: durability, startCheck: integrityBudget, commits: commits,
                      busyTimeout: busyTimeout)
    }

    /// Opens an existing log for reading (the `events` commands, tests reading a running
    /// gateway's log); fails clearly when there is none. No start check: the writer did it.
    public static func openExisting(directory: String) throws(EventLogError) -> EventLog {
        let path = (directory as NSString).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: path) else {
            throw .notALog(path: path, message: "no \(fileName) here")
        }
        return try EventLog(directory: directory, durability: .full, startCheck: nil)
    }

    private init(directory: String, durability: Durability, startCheck: Duration?, commits: CommitObserver? = nil,
                 busyTimeout: Duration = .seconds(5)) throws(EventLogError) {
        let path = (directory as NSString).appendingPathComponent(Self.fileName)
        self.path = path
        if startCheck != nil {
            try DataDirectory.create(directory)
            try DataDirectory.prepareLogFile(path)
        }
        var integrity = IntegrityCheck.intact
        if let budget = startCheck {
            // Checked before the pool opens: opening it writes into the file.
            integrity = try EventLogStartCheck.integrity(path: path, budget: budget)
        }
        var config = Configuration()
        config.label = "tagway.events"
        config.busyMode = .timeout(Double(busyTimeout.components.seconds) + Double(busyTimeout.components.attoseconds) / 1e18)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(durability == .full ? "FULL" : "NORMAL")")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Self.checkpointPages)")
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw startCheck == nil ? Self.classify(error, path: path) : EventLogStartCheck.notWritable(error, path: path)
        }
        do {
            try EventLogSchema.migrator.migrate(pool)
        } catch {
            throw startCheck == nil ? Self.classify(error, path: path) : EventLogStartCheck.notWritable(error, path: path)
        }
        do {
            try Self.rebuildAssetStateIfNeeded(pool)
        } catch let error as EventLogError {
            throw error
        } catch {
            throw startCheck == nil ? Self.classify(error, path: path) : EventLogStartCheck.notWritable(error, path: path)
        }
        // Read before the probe writes: a damaged file that fails this read is never written to.
        let last: Int64
        let identity: String?
        do {
            (last, identity) = try pool.read { db in
                (try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM events") ?? 0,
                 try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [Self.identityMetaKey]))
            }
        } catch {
            throw Self.classify(error, path: path)
        }
        guard let identity, !identity.isEmpty else {
            throw .damaged(path: path, detail: "the log has no identity (meta row '\(Self.identityMetaKey)' is missing or empty)")
        }
        self.identity = identity
        if startCheck != nil { try EventLogStartCheck.probeWrite(pool, path: path) }
        self.pool = pool
        self.integrity = integrity
        watch = LogFileWatch(path: path)
        let checkpointer = startCheck == nil ? nil : try? WALCheckpointer(path: path)
        self.checkpointer = checkpointer
        var afterCommit: (@Sendable () -> Void)?
        if let checkpointer { afterCommit = { checkpointer.committed() } }
        committer = GroupCommitter(pool: pool, path: path, watch: watch, observer: commits, afterCommit: afterCommit)
        committed = CommittedSeq(last)
    }

    deinit { checkpointer?.stop() }

    /// Appends events durably and returns them with their `seq`. Subscribers hear of them only
    /// after the commit.
    public func append(_ events: [MovementEvent]) async throws(EventLogError) -> [MovementEvent] {
        try await append(events, state: .none)
    }

    /// Appends events and writes the asset rows they change (`state`) in one transaction, so the
    /// `assets` table never disagrees with the committed events; with no events, a state-only write.
    public func append(_ events: [MovementEvent], state: AssetStateChanges) async throws(EventLogError) -> [MovementEvent] {
        guard !events.isEmpty || !state.isEmpty else { return [] }
        let stored: [MovementEvent]
        do {
            stored = try await committer.append(events, state: state)
        } catch let error as EventLogError {
            throw error
        } catch {
            throw Self.classify(error, path: path)
        }
        if let last = stored.last?.seq { committed.raise(to: last) }
        subscribers.publish(stored)
        return stored
    }

    /// Committed events after `seq`, oldest first.
    public func events(after seq: Int64, limit: Int) throws(EventLogError) -> [MovementEvent] {
        do {
            return try pool.read { db in
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
                                            arguments: [seq, limit])
                return try rows.map(EventRow.decode)
            }
        } catch let error as EventLogError {
            throw error
        } catch {
            throw Self.classify(error, path: path)
        }
    }

    /// The newest committed `seq`, or 0 for an empty log.
    public func lastSeq() throws(EventLogError) -> Int64 {
        do {
            return try pool.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM events") ?? 0 }
        } catch {
            throw Self.classify(error, path: path)
        }
    }

    /// The newest `seq` this process committed or found at open, without touching the database,
    /// for status output that must not wait on a log that is stuck.
    public var lastCommittedSeq: Int64 { committed.value }

    /// Throws `.replaced` when the file at `path` (or its WAL) is no longer the one opened: one
    /// `stat` per file, for a periodic check while no events are written.
    public func verifyFile() throws(EventLogError) {
        try watch.verify()
    }

    /// Copies the WAL into the file and closes the database now, instead of whenever the last
    /// reference goes: for tools and tests that hand the file on (copy, damage, remount). The
    /// checkpoint is explicit because the pool's last connection to close is a read-only reader,
    /// which cannot checkpoint.
    public func close() throws(EventLogError) {
        checkpointer?.stop()
        do {
            try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
            try pool.close()
        } catch {
            throw Self.classify(error, path: path)
        }
    }

    /// Transactions written so far (group commit makes this smaller than the appends).
    public var committerTransactions: Int {
        get async { await committer.transactions }
    }

    /// How many events each transaction since the open carried (group commit's batch sizes).
    public var commitBatchSizes: CommitBatchSizes { committer.batchSizes.withLock { $0 } }

    /// Events committed from now on, in seq order, for in-process listeners (console, pull API).
    public func subscribe() -> AsyncStream<MovementEvent> { subscribers.add() }

    static func classify(_ error: any Error, path: String) -> EventLogError {
        if let error = error as? EventLogError { return error }
        if let db = error as? DatabaseError {
            switch db.resultCode {
            case .SQLITE_FULL: return .diskFull(path: path)
            case .SQLITE_NOTADB: return .notALog(path: path, message: db.message ?? "\(db)")
            case .SQLITE_CORRUPT: return .damaged(path: path, detail: db.message ?? "\(db)")
            default: return .unavailable(path: path, message: db.message ?? "\(db)")
            }
        }
        return .unavailable(path: path, message: "\(error)")
    }
}

/// The highest committed seq, readable from any thread without touching SQLite.
final class CommittedSeq: Sendable {
    private let seq: Mutex<Int64>

    init(_ seq: Int64) { self.seq = Mutex(seq) }

    var value: Int64 { seq.withLock { $0 } }

    func raise(to newValue: Int64) { seq.withLock { $0 = max($0, newValue) } }
}

/// Fans committed events out to in-process listeners.
final class Subscribers: Sendable {
    private let continuations = Mutex<[UUID: AsyncStream<MovementEvent>.Continuation]>([:])

    func add() -> AsyncStream<MovementEvent> {
        let (stream, continuation) = AsyncStream<MovementEvent>.makeStream(bufferingPolicy: .bufferingNewest(100_000))
        let id = UUID()
        continuations.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            _ = self.continuations.withLock { $0.removeValue(forKey: id) }
        }
        return stream
    }

    func publish(_ events: [MovementEvent]) {
        let targets = continuations.withLock { Array($0.values) }
        for continuation in targets {
            for event in events { continuation.yield(event) }
        }
    }
}
