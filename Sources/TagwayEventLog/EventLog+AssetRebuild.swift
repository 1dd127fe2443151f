import GRDB
import TagwayModel

extension EventLog {
    /// The one-time rebuild of the asset rows of a log written by the previous release (v3: events,
    /// no rows), run at open right after the migrator. It runs only when the `asset-state` meta
    /// row is absent (a fresh log gets it from the v4 migration; a rebuilt one from here), in one
    /// transaction with the meta row: a kill or a damaged event leaves no half-written state, and
    /// the next open tries again. Returns the number of rows written (0 when nothing was to do).
    @discardableResult
    static func rebuildAssetStateIfNeeded(_ pool: DatabasePool) throws -> Int {
        try pool.write { db in
            let marked = try Bool.fetchOne(db, sql: "SELECT 1 FROM meta WHERE key = ?", arguments: [AssetRow.stateMetaKey]) ?? false
            guard !marked else { return 0 }
            var rebuild = AssetStateRebuild()
            var last: Int64 = 0
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM events ORDER BY seq")
            while let row = try rows.next() {
                let event = try EventRow.decode(row)
                try rebuild.apply(event)
                last = event.seq ?? last
            }
            let records = rebuild.records(lastSeq: last)
            try AssetRow.apply(AssetStateChanges(upserts: records), seq: last, db)
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES (?, 'v4')", arguments: [AssetRow.stateMetaKey])
            return records.count
        }
    }
}
