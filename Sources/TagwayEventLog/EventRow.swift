import GRDB
import TagwayModel

/// Mapping between `MovementEvent` and the `events` table.
enum EventRow {
    static let insertSQL = """
        INSERT INTO events (id, type, time_ms, gateway, asset_key, asset_scheme, asset_raw, from_zone, to_zone,
                            direction, read_point, reader, rssi, reads, rule, reason, symbology)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Inserts in order and returns the events with the `seq` SQLite gave them.
    static func insert(_ events: [MovementEvent], _ db: Database) throws -> [MovementEvent] {
        let statement = try db.cachedStatement(sql: insertSQL)
        var stored = events
        for index in stored.indices {
            let e = stored[index]
            try statement.execute(arguments: [
                e.id, e.type.rawValue, e.time.milliseconds, e.gateway, e.asset.key, e.asset.scheme, e.asset.raw,
                e.from, e.to, e.direction?.rawValue, e.readPoint, e.reader, e.rssi, e.reads, e.rule, e.reason,
                e.symbology,
            ])
            stored[index].seq = db.lastInsertedRowID
        }
        return stored
    }

    static func decode(_ row: Row) throws -> MovementEvent {
        let seq: Int64 = row["seq"]
        let typeText: String = row["type"]
        guard let type = EventType(rawValue: typeText) else {
            throw EventLogError.corruptRow(seq: seq, message: "unknown type '\(typeText)'")
        }
        let directionText: String? = row["direction"]
        return MovementEvent(
            id: row["id"], seq: seq, type: type, time: Timestamp(milliseconds: row["time_ms"]), gateway: row["gateway"],
            asset: AssetRef(key: row["asset_key"], scheme: row["asset_scheme"], raw: row["asset_raw"]),
            from: row["from_zone"], to: row["to_zone"], direction: directionText.flatMap(Direction.init(rawValue:)),
            readPoint: row["read_point"], reader: row["reader"], rssi: row["rssi"], reads: row["reads"],
            rule: row["rule"], reason: row["reason"], symbology: row["symbology"])
    }
}
