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

    static let insertSQL = """
        INSERT INTO assets (tag, is_scan, technology, asset_key, asset_scheme, asset_raw, symbology, zone,
                            since_ms, read_point, reader, last_read_ms, zone_read_ms, door_side, lean_side,
                            reads, peak_rssi, episodes, stationed, seq)
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
            let delete = try db.cachedStatement(sql: "DELETE FROM assets WHERE tag = ?")
            for tag in changes.removals { try delete.execute(arguments: [Data(tag.bytes)]) }
        }
        if !changes.touches.isEmpty {
            let update = try db.cachedStatement(sql: touchSQL)
            for t in changes.touches {
                try update.execute(arguments: [
                    t.readPoint, t.lastRead.milliseconds, t.lastReadInZone.milliseconds, t.doorSide?.rawValue,
                    t.leanSide?.rawValue, t.reads, t.peakRSSI, seq, Data(t.tag.bytes),
                ])
            }
        }
        guard !changes.upserts.isEmpty else { return }
        let updateState = try db.cachedStatement(sql: updateStateSQL)
        let updateIdentity = try db.cachedStatement(sql: updateIdentitySQL)
        let insert = try db.cachedStatement(sql: insertSQL)
        for r in changes.upserts {
            let tag = Data(r.tag.bytes)
            try updateState.execute(arguments: [
                r.isScan, r.zone, r.since.milliseconds, r.readPoint, r.reader, r.lastRead.milliseconds,
                r.lastReadInZone.milliseconds, r.doorSide?.rawValue, r.leanSide?.rawValue, r.reads, r.peakRSSI,
                episodesText(r.episodes), r.stationed, seq, tag,
            ])
            if db.changesCount > 0 {
                try updateIdentity.execute(arguments: [r.technology, r.asset.key, r.asset.scheme, r.asset.raw, r.symbology, tag])
                continue
            }
            try insert.execute(arguments: [
                tag, r.isScan, r.technology, r.asset.key, r.asset.scheme, r.asset.raw, r.symbology, r.zone,
                r.since.milliseconds, r.readPoint, r.reader, r.lastRead.milliseconds, r.lastReadInZone.milliseconds,
                r.doorSide?.rawValue, r.leanSide?.rawValue, r.reads, r.peakRSSI, episodesText(r.episodes), r.stationed, seq,
            ])
        }
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
