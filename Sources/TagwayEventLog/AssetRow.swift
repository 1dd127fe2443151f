import Foundation
import GRDB
import TagwayModel

/// Mapping between `AssetRecord` and the `assets` table.
enum AssetRow {
    /// Present in `meta` once the table holds the log's state (written at creation, or after the
    /// one-time rebuild of a log from the previous release).
    static let stateMetaKey = "asset-state"

    /// An upsert rather than `INSERT OR REPLACE`, which deletes and re-inserts the row. Every
    /// column is assigned, identity included: a barcode's GS1 key can change once the company
    /// prefix length is learnt, and the row must carry the key its newest event carries.
    static let upsertSQL = """
        INSERT INTO assets (tag, is_scan, technology, asset_key, asset_scheme, asset_raw, symbology, zone,
                            since_ms, read_point, reader, last_read_ms, zone_read_ms, door_side, lean_side,
                            reads, peak_rssi, episodes, stationed, seq)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (tag) DO UPDATE SET
            is_scan = excluded.is_scan, technology = excluded.technology, asset_key = excluded.asset_key,
            asset_scheme = excluded.asset_scheme, asset_raw = excluded.asset_raw, symbology = excluded.symbology,
            zone = excluded.zone, since_ms = excluded.since_ms, read_point = excluded.read_point,
            reader = excluded.reader, last_read_ms = excluded.last_read_ms, zone_read_ms = excluded.zone_read_ms,
            door_side = excluded.door_side, lean_side = excluded.lean_side, reads = excluded.reads,
            peak_rssi = excluded.peak_rssi, episodes = excluded.episodes, stationed = excluded.stationed,
            seq = excluded.seq
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
        let upsert = try db.cachedStatement(sql: upsertSQL)
        for r in changes.upserts {
            try upsert.execute(arguments: [
                Data(r.tag.bytes), r.isScan, r.technology, r.asset.key, r.asset.scheme, r.asset.raw, r.symbology, r.zone,
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

    static func episodes(from text: String, tag: String) throws -> [String] {
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8)), let ids = parsed as? [String] else {
            throw EventLogError.corruptAsset(tag: tag, message: "episodes is not a JSON array of rule ids: \(text.prefix(80))")
        }
        return ids
    }

    /// Reads one row; a value of the wrong type or an unknown side is a typed `corruptAsset`
    /// naming the asset, never a trap.
    static func decode(_ row: Row) throws -> AssetRecord {
        let tagBytes: Data
        do { tagBytes = try row.decode(Data.self, forColumn: "tag") } catch {
            throw EventLogError.corruptAsset(tag: "?", message: "tag is not a blob: \(row["tag"] as DatabaseValue)")
        }
        let tag = TagID(bytes: [UInt8](tagBytes))
        do {
            return AssetRecord(
                tag: tag, isScan: try row.decode(forColumn: "is_scan"), technology: try row.decode(forColumn: "technology"),
                asset: AssetRef(key: try row.decode(forColumn: "asset_key"), scheme: try row.decode(forColumn: "asset_scheme"),
                                raw: try row.decode(forColumn: "asset_raw")),
                symbology: try row.decode(forColumn: "symbology"), zone: try row.decode(forColumn: "zone"),
                since: Timestamp(milliseconds: try row.decode(forColumn: "since_ms")),
                readPoint: try row.decode(forColumn: "read_point"), reader: try row.decode(forColumn: "reader"),
                lastRead: Timestamp(milliseconds: try row.decode(forColumn: "last_read_ms")),
                lastReadInZone: Timestamp(milliseconds: try row.decode(forColumn: "zone_read_ms")),
                doorSide: try side(row, "door_side", tag: tag), leanSide: try side(row, "lean_side", tag: tag),
                reads: try row.decode(forColumn: "reads"), peakRSSI: try row.decode(forColumn: "peak_rssi"),
                episodes: try episodes(from: try row.decode(forColumn: "episodes"), tag: tag.hex),
                stationed: try row.decode(forColumn: "stationed"), seq: try row.decode(forColumn: "seq"))
        } catch let error as EventLogError {
            throw error
        } catch {
            throw EventLogError.corruptAsset(tag: tag.hex, message: "\(error)")
        }
    }

    private static func side(_ row: Row, _ column: String, tag: TagID) throws -> DoorSide? {
        guard let text = try row.decode(String?.self, forColumn: column) else { return nil }
        guard let side = DoorSide(rawValue: text) else {
            throw EventLogError.corruptAsset(tag: tag.hex, message: "\(column) is '\(text)', not inside or outside")
        }
        return side
    }
}
