import Foundation
import GRDB
import TagwayModel

/// The durable, append-only log of movement events: SQLite in WAL mode through GRDB.
///
/// The log is the single source of truth: an event is committed here before anything else (the
/// console, sinks, the pull API) hears of it. Appends are group-committed: while one transaction
/// is being written and synced, new appends queue up and go into the next transaction together,
/// so a burst of events costs a few fsyncs, not one each.
public final class EventLog: Sendable {
    public enum Durability: String, Sendable, CaseIterable {
        /// fsync on every commit: a committed event survives power loss.
        case full
        /// fsync at WAL checkpoints: a committed event survives a crash of the gateway, not of the machine.
        case normal
    }

    public static let fileName = "events.sqlite"

    public let path: String
    let pool: DatabasePool
    private let committer: GroupCommitter
    private let subscribers = Subscribers()

    /// Opens (creating if needed) the log in `directory` and brings its schema up to date.
    public init(directory: String, durability: Durability = .full) throws(EventLogError) {
        let path = (directory as NSString).appendingPathComponent(Self.fileName)
        self.path = path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var config = Configuration()
            config.label = "tagway.events"
            config.busyMode = .timeout(5)
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = \(durability == .full ? "FULL" : "NORMAL")")
            }
            pool = try DatabasePool(path: path, configuration: config)
            try EventLogSchema.migrator.migrate(pool)
        } catch {
            throw Self.classify(error, path: path)
        }
        committer = GroupCommitter(pool: pool, path: path)
    }

    /// Opens an existing log for reading (the `events` commands); fails clearly when there is none.
    public static func openExisting(directory: String) throws(EventLogError) -> EventLog {
        let path = (directory as NSString).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: path) else {
            throw .notALog(path: path, message: "no \(fileName) here")
        }
        return try EventLog(directory: directory)
    }

    /// Appends events durably and returns them with their `seq`. Subscribers hear of them only
    /// after the commit.
    public func append(_ events: [MovementEvent]) async throws(EventLogError) -> [MovementEvent] {
        guard !events.isEmpty else { return [] }
        let stored: [MovementEvent]
        do {
            stored = try await committer.append(events)
        } catch let error as EventLogError {
            throw error
        } catch {
            throw Self.classify(error, path: path)
        }
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

    /// Transactions written so far (group commit makes this smaller than the appends).
    public var committerTransactions: Int {
        get async { await committer.transactions }
    }

    /// Events committed from now on, in seq order, for in-process listeners (console, pull API).
    public func subscribe() -> AsyncStream<MovementEvent> { subscribers.add() }

    static func classify(_ error: any Error, path: String) -> EventLogError {
        if let error = error as? EventLogError { return error }
        if let db = error as? DatabaseError {
            switch db.resultCode {
            case .SQLITE_FULL: return .diskFull(path: path)
            case .SQLITE_NOTADB, .SQLITE_CORRUPT: return .notALog(path: path, message: db.message ?? "\(db)")
            default: return .unavailable(path: path, message: db.message ?? "\(db)")
            }
        }
        return .unavailable(path: path, message: "\(error)")
    }
}

/// Fans committed events out to in-process listeners.
final class Subscribers: @unchecked Sendable {
    private let lock = NSLock()
    private var continuations: [UUID: AsyncStream<MovementEvent>.Continuation] = [:]

    func add() -> AsyncStream<MovementEvent> {
        let (stream, continuation) = AsyncStream<MovementEvent>.makeStream(bufferingPolicy: .bufferingNewest(100_000))
        let id = UUID()
        lock.withLock { continuations[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            _ = self.lock.withLock { self.continuations.removeValue(forKey: id) }
        }
        return stream
    }

    func publish(_ events: [MovementEvent]) {
        let targets = lock.withLock { Array(continuations.values) }
        for continuation in targets {
            for event in events { continuation.yield(event) }
        }
    }
}
