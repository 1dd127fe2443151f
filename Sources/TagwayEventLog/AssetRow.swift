import Foundation
import GRDB
import TagwayModel

/// Mapping between `AssetRecord` and the `assets` table.
enum AssetRow {
    /// Present in `meta` once the table holds the log's state (written at creation, or after the
    /// one-time rebuild of a log from the previous release).
    static let stateMetaKey = "asset-state"

    /// A row written with an event is nearly always one that exists with the same identity (an
    /// asset moving, crossing a door, raising an alert), so the write is split to keep the
    /// `assets_by_key` index out of it: the state columns are updated by tag; the identity columns
    /// only when they differ (a barcode's GS1 key can change once the company prefix length is
    /// learnt, and the row must carry the key its newest event carries), which SQLite then skips
    /// as a plain lookup; an insert when there was no row. An upsert (`ON CONFLICT DO UPDATE`)
    /// names the key column in its update, and SQLite rewrites an index whose column is assigned,
    /// even to the value it had.
    static let updateStateSQL = """
        UPDATE assets SET is_scan = ?, zone = ?, since_ms = ?, read_point = ?, reader = ?, last_read_ms = ?,
                          zone_read_ms = ?, door_side = ?, lean_side = ?, reads = ?, peak_rssi = ?, episodes = ?,
                          stationed = ?, seq = ?
        WHERE tag = ?
        """

    static let updateIdentitySQL = """
        UPDATE assets SET technology = ?1, asset_key = ?2, asset_scheme = ?3, asset_raw = ?4, symbology = ?5
        WHERE tag = ?6 AND (technology IS NOT ?1 OR asset_key IS NOT ?2 OR asset_scheme IS NOT ?3 OR asset_raw IS NOT ?4
                            OR symbology IS NOT ?5)
        """

    /// The state columns in `updateStateSQL`'s order, then the tag, then the identity columns in
    /// `updateIdentitySQL`'s order, so one binding of each serves both statements.
    static let insertSQL = """
        INSERT INTO assets (is_scan, zone, since_ms, read_point, reader, last_read_ms, zone_read_ms, door_side,
                            lean_side, reads, peak_rssi, episodes, stationed, seq, tag,
                            technology, asset_key, asset_scheme, asset_raw, symbology)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    static let touchSQL = """
        UPDATE assets SET read_point = ?, last_read_ms = ?, zone_read_ms = ?, door_side = ?, lean_side = ?, reads = ?,
                          peak_rssi = ?, seq = ?
        WHERE tag = ?
        """

    /// Writes `changes` as of log position `seq` (the newest event of the same transaction).
    /// Removals first, then touches, then upserts: a change set never names one tag twice.
    static func apply(_ changes: AssetStateChanges, seq: Int64, _ db: Database) throws {
        if !changes.removals.isEmpty {
            let delete = try RowBinder(sql: "DELETE FROM assets WHERE tag = ?", db)
            for tag in changes.removals {
                delete.bind(1, tag: tag)
                try delete.run()
            }
        }
        if !changes.touches.isEmpty {
            let update = try RowBinder(sql: touchSQL, db)
            for t in changes.touches {
                update.bind(1, t.readPoint)
                update.bind(2, t.lastRead.milliseconds)
                update.bind(3, t.lastReadInZone.milliseconds)
                update.bind(4, t.doorSide?.rawValue)
                update.bind(5, t.leanSide?.rawValue)
                update.bind(6, t.reads)
                update.bind(7, t.peakRSSI)
                update.bind(8, seq)
                update.bind(9, tag: t.tag)
                try update.run()
            }
        }
        guard !changes.upserts.isEmpty else { return }
        let updateState = try RowBinder(sql: updateStateSQL, db)
        let updateIdentity = try RowBinder(sql: updateIdentitySQL, db)
        let insert = try RowBinder(sql: insertSQL, db)
        for r in changes.upserts {
            let episodes = episodesText(r.episodes)
            bindState(r, episodes: episodes, seq: seq, to: updateState)
            try updateState.run()
            if updateState.changes > 0 {
                bindIdentity(r, to: updateIdentity, from: 1)
                updateIdentity.bind(6, tag: r.tag)
                try updateIdentity.run()
                continue
            }
            bindState(r, episodes: episodes, seq: seq, to: insert)
            bindIdentity(r, to: insert, from: 16)
            try insert.run()
        }
    }

    /// Parameters 1–15 of `updateStateSQL` and of `insertSQL`: the state columns, then the tag.
    private static func bindState(_ r: AssetRecord, episodes: String, seq: Int64, to row: RowBinder) {
        row.bind(1, r.isScan)
        row.bind(2, r.zone)
        row.bind(3, r.since.milliseconds)
        row.bind(4, r.readPoint)
        row.bind(5, r.reader)
        row.bind(6, r.lastRead.milliseconds)
        row.bind(7, r.lastReadInZone.milliseconds)
        row.bind(8, r.doorSide?.rawValue)
        row.bind(9, r.leanSide?.rawValue)
        row.bind(10, r.reads)
        row.bind(11, r.peakRSSI)
        row.bind(12, episodes)
        row.bind(13, r.stationed)
        row.bind(14, seq)
        row.bind(15, tag: r.tag)
    }

    /// The five identity columns, from parameter `first` on.
    private static func bindIdentity(_ r: AssetRecord, to row: RowBinder, from first: Int32) {
        row.bind(first, r.technology)
        row.bind(first + 1, r.asset.key)
        row.bind(first + 2, r.asset.scheme)
        row.bind(first + 3, r.asset.raw)
        row.bind(first + 4, r.symbology)
    }

    /// Rule ids as a JSON array: ids are free text in the configuration, so no separator is safe.
    static func episodesText(_ episodes: [String]) -> String {
        guard !episodes.isEmpty,
              let data = try? JSONSerialization.data(withJSONObject: episodes, options: [.withoutEscapingSlashes])
        else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Nearly every row has no open episode: "[]" is answered without the JSON parser.
    static func episodes(from text: String, tag: @autoclosure () -> String) throws -> [String] {
        if text == "[]" { return [] }
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8)), let ids = parsed as? [String] else {
            throw EventLogError.corruptAsset(tag: tag(), message: "episodes is not a JSON array of rule ids: \(text.prefix(80))")
        }
        return ids
    }

    /// The columns `decode` reads, by position: a restart reads every row. Read by column name,
    /// in key order through the index, 100,000 rows took 0.8-1.1 s; by position in table order,
    /// 0.36 s (`tagway-forward-bench restart --assets 100000`).
    static let columns = """
        tag, is_scan, technology, asset_key, asset_scheme, asset_raw, symbology, zone, since_ms, read_point, reader,
        last_read_ms, zone_read_ms, door_side, lean_side, reads, peak_rssi, episodes, stationed, seq
        """

    /// Reads one row selected with `columns`; a value of the wrong type or an unknown side is a
    /// typed `corruptAsset` naming the asset, never a trap.
    static func decode(_ row: Row) throws -> AssetRecord {
        let tagBytes: Data
        do { tagBytes = try row.decode(Data.self, atIndex: 0) } catch {
            throw EventLogError.corruptAsset(tag: "?", message: "tag is not a blob: \(row[0] as DatabaseValue)")
        }
        let tag = TagID(bytes: tagBytes)
        do {
            return AssetRecord(
                tag: tag, isScan: try row.decode(atIndex: 1), technology: try row.decode(atIndex: 2),
                asset: AssetRef(key: try row.decode(atIndex: 3), scheme: try row.decode(atIndex: 4), raw: try row.decode(atIndex: 5)),
                symbology: try row.decode(atIndex: 6), zone: try row.decode(atIndex: 7),
                since: Timestamp(milliseconds: try row.decode(atIndex: 8)),
                readPoint: try row.decode(atIndex: 9), reader: try row.decode(atIndex: 10),
                lastRead: Timestamp(milliseconds: try row.decode(atIndex: 11)),
                lastReadInZone: Timestamp(milliseconds: try row.decode(atIndex: 12)),
                doorSide: try side(row, 13, "door_side", tag: tag), leanSide: try side(row, 14, "lean_side", tag: tag),
                reads: try row.decode(atIndex: 15), peakRSSI: try row.decode(atIndex: 16),
                episodes: try episodes(from: try row.decode(atIndex: 17), tag: tag.hex),
                stationed: try row.decode(atIndex: 18), seq: try row.decode(atIndex: 19))
        } catch let error as EventLogError {
            throw error
        } catch {
            throw EventLogError.corruptAsset(tag: tag.hex, message: "\(error)")
        }
    }

    private static func side(_ row: Row, _ index: Int, _ column: String, tag: TagID) throws -> DoorSide? {
        guard let text = try row.decode(String?.self, atIndex: index) else { return nil }
        guard let side = DoorSide(rawValue: text) else {
            throw EventLogError.corruptAsset(tag: tag.hex, message: "\(column) is '\(text)', not inside or outside")
        }
        return side
    }
}
