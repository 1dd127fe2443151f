import Foundation
import GRDBSQLite
import TagwayModel

/// (b) of `tagway-forward-bench log`: the same rows written with SQLite's C API and nothing else:
/// no Tagway code, no GRDB. The schema is the log's (EventLogSchema, v1–v4), written out here as
/// text; the pragmas are the log's (WAL, the same `synchronous`, the same autocheckpoint), so the
/// only differences are what the log does on top: its transaction per append, the asset rows,
/// the actor hops and the returned copies.
final class PlainSQLiteLog {
    struct Failure: Error, CustomStringConvertible {
        var code: Int32
        var message: String
        var description: String { "SQLite \(code): \(message)" }
    }

    static let schema = """
        CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL,
            time_ms INTEGER NOT NULL, gateway TEXT NOT NULL, asset_key TEXT NOT NULL, asset_scheme TEXT NOT NULL,
            asset_raw TEXT NOT NULL, from_zone TEXT, to_zone TEXT, direction TEXT, read_point TEXT, reader TEXT,
            rssi INTEGER, reads INTEGER, rule TEXT, reason TEXT, symbology TEXT);
        CREATE INDEX events_by_asset ON events(asset_key, seq);
        CREATE TABLE sink_cursors (sink TEXT PRIMARY KEY, seq INTEGER NOT NULL, updated_ms INTEGER NOT NULL);
        CREATE INDEX events_by_time ON events(time_ms);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE assets (tag BLOB NOT NULL PRIMARY KEY, is_scan INTEGER NOT NULL, technology TEXT,
            asset_key TEXT NOT NULL, asset_scheme TEXT NOT NULL, asset_raw TEXT NOT NULL, symbology TEXT,
            zone TEXT NOT NULL, since_ms INTEGER NOT NULL, read_point TEXT NOT NULL, reader TEXT,
            last_read_ms INTEGER NOT NULL, zone_read_ms INTEGER NOT NULL, door_side TEXT, lean_side TEXT,
            reads INTEGER NOT NULL, peak_rssi INTEGER, episodes TEXT NOT NULL, stationed INTEGER NOT NULL,
            seq INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX assets_by_key ON assets(asset_key);
        """

    private var db: OpaquePointer?
    private var insertEvent: OpaquePointer?
    private var upsertAsset: OpaquePointer?
    private var deleteAsset: OpaquePointer?
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    init(path: String, synchronous: String, checkpointPages: Int) throws {
        try check(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil))
        try exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = \(synchronous); PRAGMA wal_autocheckpoint = \(checkpointPages);")
        try exec(Self.schema)
        insertEvent = try prepare("""
            INSERT INTO events (id, type, time_ms, gateway, asset_key, asset_scheme, asset_raw, from_zone, to_zone,
                                direction, read_point, reader, rssi, reads, rule, reason, symbology)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        upsertAsset = try prepare("""
            INSERT INTO assets (tag, is_scan, technology, asset_key, asset_scheme, asset_raw, symbology, zone, since_ms,
                                read_point, reader, last_read_ms, zone_read_ms, door_side, lean_side, reads, peak_rssi,
                                episodes, stationed, seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?)
            ON CONFLICT (tag) DO UPDATE SET zone = excluded.zone, since_ms = excluded.since_ms,
                read_point = excluded.read_point, reader = excluded.reader, last_read_ms = excluded.last_read_ms,
                zone_read_ms = excluded.zone_read_ms, door_side = excluded.door_side, lean_side = excluded.lean_side,
                reads = excluded.reads, peak_rssi = excluded.peak_rssi, stationed = excluded.stationed, seq = excluded.seq
            """)
        deleteAsset = try prepare("DELETE FROM assets WHERE tag = ?")
    }

    deinit {
        for statement in [insertEvent, upsertAsset, deleteAsset] { sqlite3_finalize(statement) }
        sqlite3_close_v2(db)
    }

    func exec(_ sql: String) throws { try check(sqlite3_exec(db, sql, nil, nil, nil)) }

    /// Inserts the events in order; returns the seq of the last.
    @discardableResult
    func insert(_ events: [MovementEvent]) throws -> Int64 {
        let s = insertEvent
        for e in events {
            text(s, 1, e.id)
            text(s, 2, e.type.rawValue)
            sqlite3_bind_int64(s, 3, e.time.milliseconds)
            text(s, 4, e.gateway)
            text(s, 5, e.asset.key)
            text(s, 6, e.asset.scheme)
            text(s, 7, e.asset.raw)
            text(s, 8, e.from)
            text(s, 9, e.to)
            text(s, 10, e.direction?.rawValue)
            text(s, 11, e.readPoint)
            text(s, 12, e.reader)
            integer(s, 13, e.rssi)
            integer(s, 14, e.reads)
            text(s, 15, e.rule)
            text(s, 16, e.reason)
            text(s, 17, e.symbology)
            try step(s)
        }
        return sqlite3_last_insert_rowid(db)
    }

    /// The asset rows of one append, as plain SQLite would write them: an upsert per row, a delete per removal.
    func apply(_ state: AssetStateChanges, seq: Int64) throws {
        for tag in state.removals {
            blob(deleteAsset, 1, tag)
            try step(deleteAsset)
        }
        let s = upsertAsset
        for r in state.upserts {
            blob(s, 1, r.tag)
            sqlite3_bind_int64(s, 2, r.isScan ? 1 : 0)
            text(s, 3, r.technology)
            text(s, 4, r.asset.key)
            text(s, 5, r.asset.scheme)
            text(s, 6, r.asset.raw)
            text(s, 7, r.symbology)
            text(s, 8, r.zone)
            sqlite3_bind_int64(s, 9, r.since.milliseconds)
            text(s, 10, r.readPoint)
            text(s, 11, r.reader)
            sqlite3_bind_int64(s, 12, r.lastRead.milliseconds)
            sqlite3_bind_int64(s, 13, r.lastReadInZone.milliseconds)
            text(s, 14, r.doorSide?.rawValue)
            text(s, 15, r.leanSide?.rawValue)
            sqlite3_bind_int64(s, 16, Int64(r.reads))
            integer(s, 17, r.peakRSSI)
            sqlite3_bind_int64(s, 18, r.stationed ? 1 : 0)
            sqlite3_bind_int64(s, 19, seq)
            try step(s)
        }
    }

    private func prepare(_ sql: String) throws -> OpaquePointer? {
        var statement: OpaquePointer?
        try check(sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil))
        return statement
    }

    private func step(_ statement: OpaquePointer?) throws {
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard code == SQLITE_DONE else { throw Failure(code: code, message: String(cString: sqlite3_errmsg(db))) }
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw Failure(code: code, message: db.map { String(cString: sqlite3_errmsg($0)) } ?? "no connection") }
    }

    private func text(_ statement: OpaquePointer?, _ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(statement, index)
            return
        }
        value.withUTF8 { bytes in
            _ = sqlite3_bind_text(statement, index, UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self),
                                  Int32(clamping: bytes.count), Self.transient)
        }
    }

    private func integer(_ statement: OpaquePointer?, _ index: Int32, _ value: Int?) {
        if let value { sqlite3_bind_int64(statement, index, Int64(value)) } else { sqlite3_bind_null(statement, index) }
    }

    private func blob(_ statement: OpaquePointer?, _ index: Int32, _ tag: TagID) {
        tag.withUnsafeBytes { bytes in
            _ = sqlite3_bind_blob(statement, index, bytes.baseAddress, Int32(clamping: bytes.count), Self.transient)
        }
    }
}
