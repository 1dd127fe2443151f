import Foundation
import GRDB

/// The log's schema, as append-only migrations: a released migration is never edited, a change
/// is a new migration, so every gateway's log upgrades in place on start.
enum EventLogSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-events") { db in
            // AUTOINCREMENT: a seq is never reused, even after old rows are pruned, so sink
            // cursors (a seq) stay meaningful forever.
            try db.execute(sql: """
                CREATE TABLE events (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    type TEXT NOT NULL,
                    time_ms INTEGER NOT NULL,
                    gateway TEXT NOT NULL,
                    asset_key TEXT NOT NULL,
                    asset_scheme TEXT NOT NULL,
                    asset_raw TEXT NOT NULL,
                    from_zone TEXT,
                    to_zone TEXT,
                    direction TEXT,
                    read_point TEXT,
                    reader TEXT,
                    rssi INTEGER,
                    reads INTEGER,
                    rule TEXT,
                    reason TEXT,
                    symbology TEXT
                );
                CREATE INDEX events_by_asset ON events(asset_key, seq);
                """)
        }
        migrator.registerMigration("v2-sink-cursors") { db in
            // One row per sink: the last seq the sink confirmed. Written in the same database as
            // the events, so a cursor can never point past what the log holds.
            try db.execute(sql: """
                CREATE TABLE sink_cursors (
                    sink TEXT PRIMARY KEY,
                    seq INTEGER NOT NULL,
                    updated_ms INTEGER NOT NULL
                );
                CREATE INDEX events_by_time ON events(time_ms);
                """)
        }
        migrator.registerMigration("v3-meta") { db in
            // Small facts about the log itself; the start check's write probe updates a row here,
            // so proving the log writable never touches an event.
            try db.execute(sql: "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        }
        migrator.registerMigration("v4-assets") { db in
            // Where every tracked asset is now, written in the same transaction as the events that
            // change it (see AssetRow). Keyed by the engine's identity of the asset (tag bytes, or a
            // scan key) so a restart hands the engine back exactly what it had. A log created empty
            // holds its (empty) state at once; a log of the previous release gets its rows from its
            // events once (`AssetStateRebuild`), which then writes the same meta row.
            try db.execute(sql: """
                CREATE TABLE assets (
                    tag BLOB NOT NULL PRIMARY KEY,
                    is_scan INTEGER NOT NULL,
                    technology TEXT,
                    asset_key TEXT NOT NULL,
                    asset_scheme TEXT NOT NULL,
                    asset_raw TEXT NOT NULL,
                    symbology TEXT,
                    zone TEXT NOT NULL,
                    since_ms INTEGER NOT NULL,
                    read_point TEXT NOT NULL,
                    reader TEXT,
                    last_read_ms INTEGER NOT NULL,
                    zone_read_ms INTEGER NOT NULL,
                    door_side TEXT,
                    lean_side TEXT,
                    reads INTEGER NOT NULL,
                    peak_rssi INTEGER,
                    episodes TEXT NOT NULL,
                    stationed INTEGER NOT NULL,
                    seq INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX assets_by_key ON assets(asset_key);
                INSERT INTO meta (key, value) SELECT '\(AssetRow.stateMetaKey)', 'v4' WHERE NOT EXISTS (SELECT 1 FROM events);
                """)
        }
        migrator.registerMigration("v5-log-identity") { db in
            // The log's identity (issue 17): a random UUID written once, when the log is created
            // (or, for a log of an earlier release, at its first open by this one) and never
            // changed. A log deleted or recreated numbers its events from 1 again; the identity is
            // how a site tells that new numbering from redeliveries of the old one.
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES (?, ?)",
                           arguments: [EventLog.identityMetaKey, UUID().uuidString.lowercased()])
        }
        return migrator
    }
}
