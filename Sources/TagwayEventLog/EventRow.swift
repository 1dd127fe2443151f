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
        guard !events.isEmpty else { return events }
        let row = try RowBinder(sql: insertSQL, db)
        var stored = events
        for index in stored.indices {
            let e = stored[index]
            row.bind(1, e.id)
            row.bind(2, e.type.rawValue)
            row.bind(3, e.time.milliseconds)
            row.bind(4, e.gateway)
            row.bind(5, e.asset.key)
            row.bind(6, e.asset.scheme)
            row.bind(7, e.asset.raw)
            row.bind(8, e.from)
            row.bind(9, e.to)
            row.bind(10, e.direction?.rawValue)
            row.bind(11, e.readPoint)
            row.bind(12, e.reader)
            row.bind(13, e.rssi)
            row.bind(14, e.reads)
            row.bind(15, e.rule)
            row.bind(16, e.reason)
            row.bind(17, e.symbology)
            try row.run()
            stored[index].seq = db.lastInsertedRowID
        }
        return stored
    }

    /// Reads one row; a value of the wrong type or a NULL where the schema forbids one (damage
    /// SQLite's page checks cannot see) is a typed `corruptRow` naming the seq, never a trap.
    static func decode(_ row: Row) throws -> MovementEvent {
        let seq: Int64
        do { seq = try row.decode(Int64.self, forColumn: "seq") } catch {
            throw EventLogError.corruptRow(seq: 0, message: "seq is not an integer: \(row["seq"] as DatabaseValue)")
        }
        do {
            let typeText = try row.decode(String.self, forColumn: "type")
            guard let type = EventType(rawValue: typeText) else {
                throw EventLogError.corruptRow(seq: seq, message: "unknown type '\(typeText)'")
            }
            let directionText = try row.decode(String?.self, forColumn: "direction")
            return MovementEvent(
                id: try row.decode(forColumn: "id"), seq: seq, type: type,
                time: Timestamp(milliseconds: try row.decode(forColumn: "time_ms")), gateway: try row.decode(forColumn: "gateway"),
                asset: AssetRef(key: try row.decode(forColumn: "asset_key"), scheme: try row.decode(forColumn: "asset_scheme"),
                                raw: try row.decode(forColumn: "asset_raw")),
                from: try row.decode(forColumn: "from_zone"), to: try row.decode(forColumn: "to_zone"),
                direction: directionText.flatMap(Direction.init(rawValue:)),
                readPoint: try row.decode(forColumn: "read_point"), reader: try row.decode(forColumn: "reader"),
                rssi: try row.decode(forColumn: "rssi"), reads: try row.decode(forColumn: "reads"),
                rule: try row.decode(forColumn: "rule"), reason: try row.decode(forColumn: "reason"),
                symbology: try row.decode(forColumn: "symbology"))
        } catch let error as EventLogError {
            throw error
        } catch {
            throw EventLogError.corruptRow(seq: seq, message: "\(error)")
        }
    }
}
