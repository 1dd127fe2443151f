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
        return migrator
    }
}
