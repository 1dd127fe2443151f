import GRDB
import TagwayModel

/// Per-sink delivery cursors and the pruning the outbox needs, kept next to the events so a
/// cursor and the events it points into live and die in one database.
extension EventLog {
    /// The last seq `sink` confirmed, or 0 when it never confirmed anything.
    public func cursor(sink: String) throws(EventLogError) -> Int64 {
        try reading { db in try Int64.fetchOne(db, sql: "SELECT seq FROM sink_cursors WHERE sink = ?", arguments: [sink]) ?? 0 }
    }

    /// Every stored cursor by sink id.
    public func cursors() throws(EventLogError) -> [String: Int64] {
        try reading { db in
            var out: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT sink, seq FROM sink_cursors") { out[row["sink"]] = row["seq"] }
            return out
        }
    }

    /// Records that `sink` confirmed everything up to `seq`. A cursor only moves forward: a late
    /// or repeated confirmation never moves it back and so never causes a second delivery.
    public func setCursor(sink: String, seq: Int64, at time: Timestamp) throws(EventLogError) {
        try writing { db in
            try db.execute(sql: """
                INSERT INTO sink_cursors (sink, seq, updated_ms) VALUES (?, ?, ?)
                ON CONFLICT(sink) DO UPDATE SET seq = MAX(seq, excluded.seq), updated_ms = excluded.updated_ms
                """, arguments: [sink, seq, time.milliseconds])
        }
    }

    /// Number of events in the log and the oldest seq held (0 when empty).
    public func extent() throws(EventLogError) -> (count: Int, oldestSeq: Int64) {
        try reading { db in
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") ?? 0
            let oldest = try Int64.fetchOne(db, sql: "SELECT MIN(seq) FROM events") ?? 0
            return (count, oldest)
        }
    }

    /// Events after `seq` (the undelivered backlog of a sink whose cursor is `seq`).
    public func count(after seq: Int64) throws(EventLogError) -> Int {
        try reading { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE seq > ?", arguments: [seq]) ?? 0 }
    }

    /// Events after `seq` whose time is before `time`.
    public func count(after seq: Int64, before time: Timestamp) throws(EventLogError) -> Int {
        try reading { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE seq > ? AND time_ms < ?",
                             arguments: [seq, time.milliseconds]) ?? 0
        }
    }

    /// Deletes events up to and including `seq` that are older than `time`; returns how many.
    @discardableResult
    public func deleteEvents(through seq: Int64, before time: Timestamp) throws(EventLogError) -> Int {
        try writing { db in
            try db.execute(sql: "DELETE FROM events WHERE seq <= ? AND time_ms < ?", arguments: [seq, time.milliseconds])
            return db.changesCount
        }
    }

    /// Deletes the `count` oldest events at or below `seq`; returns how many were deleted.
    @discardableResult
    public func deleteOldest(_ count: Int, through seq: Int64 = .max) throws(EventLogError) -> Int {
        guard count > 0 else { return 0 }
        return try writing { db in
            try db.execute(sql: "DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE seq <= ? ORDER BY seq LIMIT ?)",
                           arguments: [seq, count])
            return db.changesCount
        }
    }

    private func reading<T>(_ body: (Database) throws -> T) throws(EventLogError) -> T {
        do { return try pool.read(body) } catch { throw Self.classify(error, path: path) }
    }

    private func writing<T>(_ body: (Database) throws -> T) throws(EventLogError) -> T {
        do { return try pool.write(body) } catch { throw Self.classify(error, path: path) }
    }
}
