import Foundation
import GRDB
import TagwayModel

/// "Where is it now": filtered, paged reads of the `assets` table for `tagway assets` and the
/// pull API.
///
/// Each read is one read transaction, so the rows and `lastSeq` it returns agree (WAL snapshot):
/// a client that follows the events after `lastSeq` sees exactly the movements the rows do not
/// show yet. The `read…` variants run on GRDB's reader queue and are awaited, like
/// `readPage(after:limit:render:)`, so an API request never blocks a shared thread in SQLite.
extension EventLog {
    /// Events of one key returned at most (`GET /v1/assets/{key}?events=`).
    public static let maxAssetEvents = 1000

    /// One page of the rows `query` selects, in (asset key, tag) order.
    public func assets(_ query: AssetQuery) throws(EventLogError) -> AssetPage {
        try syncRead { db in try Self.page(query, db) }
    }

    /// The rows of asset `key` (every engine identity it has) and its latest `events` events,
    /// newest first.
    public func assets(key: String, events: Int = 20) throws(EventLogError) -> AssetHistory {
        try syncRead { db in try Self.history(key: key, events: events, db) }
    }

    /// How many assets each zone holds now.
    public func zoneCounts() throws(EventLogError) -> ZoneCounts {
        try syncRead { db in try Self.counts(db) }
    }

    /// False for a log written by the previous release whose rows the gateway has not rebuilt
    /// yet (it does at its next start): its table is empty although assets may be tracked.
    public func holdsAssetState() throws(EventLogError) -> Bool {
        try syncRead { db in
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [AssetRow.stateMetaKey]) != nil
        }
    }

    /// `assets(_:)` off the shared threads; `render` runs on the reader queue too.
    public func readAssets<T: Sendable>(_ query: AssetQuery,
                                        render: @escaping @Sendable (AssetPage) -> T) async throws(EventLogError) -> T {
        try await asyncRead { db in render(try Self.page(query, db)) }
    }

    /// `assets(key:events:)` off the shared threads; `render` runs on the reader queue too.
    public func readAssets<T: Sendable>(key: String, events: Int,
                                        render: @escaping @Sendable (AssetHistory) -> T) async throws(EventLogError) -> T {
        try await asyncRead { db in render(try Self.history(key: key, events: events, db)) }
    }

    /// `zoneCounts()` off the shared threads.
    public func readZoneCounts() async throws(EventLogError) -> ZoneCounts {
        try await asyncRead { db in try Self.counts(db) }
    }

    // MARK: queries (each runs inside one read transaction)

    static func page(_ query: AssetQuery, _ db: Database) throws -> AssetPage {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let key = query.key {
            conditions.append("asset_key = ?")
            arguments.append(key)
        }
        if let prefix = query.keyPrefix, !prefix.isEmpty {
            // A range on assets_by_key, not LIKE: the prefix is literal text and the index is used.
            conditions.append("asset_key >= ?")
            arguments.append(prefix)
            if let bound = AssetQuery.upperBound(ofPrefix: prefix) {
                conditions.append("asset_key < ?")
                arguments.append(bound)
            }
        }
        if let zone = query.zone {
            conditions.append("zone = ?")
            arguments.append(zone)
        }
        if let since = query.seenSince {
            conditions.append("last_read_ms >= ?")
            arguments.append(since.milliseconds)
        }
        if let after = query.after {
            conditions.append("(asset_key, tag) > (?, ?)")
            arguments.append(after.key)
            arguments.append(Data(after.tag.bytes))
        }
        let limit = query.boundedLimit
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT \(AssetRow.columns) FROM assets \(filter) ORDER BY asset_key, tag LIMIT \(limit + 1)"
        let last = try lastSeq(db)
        let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
        var records: [AssetRecord] = []
        records.reserveCapacity(limit)
        var more = false
        while let row = try rows.next() {
            if records.count == limit {
                more = true
                break
            }
            records.append(try AssetRow.decode(row))
        }
        let next = more ? records.last.map { AssetCursor(key: $0.asset.key, tag: $0.tag) } : nil
        return AssetPage(records: records, next: next, lastSeq: last)
    }

    static func history(key: String, events: Int, _ db: Database) throws -> AssetHistory {
        let count = min(max(events, 0), maxAssetEvents)
        let last = try lastSeq(db)
        let rows = try Row.fetchAll(db, sql: "SELECT \(AssetRow.columns) FROM assets WHERE asset_key = ? ORDER BY tag", arguments: [key])
        // events_by_asset (asset_key, seq) serves this backwards: the newest N without a sort.
        let eventRows = count == 0 ? [] : try Row.fetchAll(
            db, sql: "SELECT * FROM events WHERE asset_key = ? ORDER BY seq DESC LIMIT ?", arguments: [key, count])
        return AssetHistory(key: key, records: try rows.map(AssetRow.decode), events: try eventRows.map(EventRow.decode),
                            lastSeq: last)
    }

    static func counts(_ db: Database) throws -> ZoneCounts {
        let last = try lastSeq(db)
        var counts: [String: Int] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT zone, COUNT(*) AS n FROM assets GROUP BY zone")
        while let row = try rows.next() {
            guard let zone = try? row.decode(String.self, forColumn: "zone") else {
                throw EventLogError.corruptAsset(tag: "?", message: "zone is not text: \(row["zone"] as DatabaseValue)")
            }
            counts[zone] = try row.decode(Int.self, forColumn: "n")
        }
        return ZoneCounts(counts: counts, lastSeq: last)
    }

    private static func lastSeq(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM events") ?? 0
    }

    // MARK: transactions

    private func syncRead<T>(_ body: (Database) throws -> T) throws(EventLogError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw Self.classify(error, path: path)
        }
    }

    private func asyncRead<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(EventLogError) -> T {
        let path = self.path
        do {
            return try await pool.read(body)
        } catch {
            throw Self.classify(error, path: path)
        }
    }
}
