import GRDB
import TagwayModel

/// Which events a page of the pull API holds (`GET /v1/events?type=&zone=&asset=&since=`): the
/// filters combine (all must hold); the page stays in seq order and bounded by its limit.
public struct EventFilter: Hashable, Sendable {
    /// Only these types (empty: every type).
    public var types: [EventType]
    /// Only events from or to this zone.
    public var zone: String?
    /// Only this asset key (exact).
    public var asset: String?
    /// Only events stamped at or after this time.
    public var since: Timestamp?

    public init(types: [EventType] = [], zone: String? = nil, asset: String? = nil, since: Timestamp? = nil) {
        self.types = types
        self.zone = zone
        self.asset = asset
        self.since = since
    }

    /// True when no filter is set (the plain page).
    public var isEmpty: Bool { types.isEmpty && zone == nil && asset == nil && since == nil }

    /// The page's SQL and its arguments after `seq` (`limit` is the last argument).
    ///
    /// Indexes: with `asset`, `events_by_asset (asset_key, seq)` gives the rows in seq order, so
    /// the page stops after `limit` of them. `since` is used through `events_by_time` once per
    /// request, to find the first seq at or after it (`EventLog.firstSeq(since:)`), so the scan
    /// starts there; the `+time_ms` here (no index: the unary plus keeps SQLite from sorting a
    /// whole time range by seq) only drops the few later rows stamped earlier (a departure is
    /// stamped when it fell due). `type` and `zone` have no index (another index would cost every
    /// group commit); they filter the seq-ordered scan, which `limit` ends.
    func sql(after seq: Int64, limit: Int) -> (sql: String, arguments: [DatabaseValue]) {
        var sql = "SELECT * FROM events WHERE seq > ?"
        var arguments: [DatabaseValue] = [seq.databaseValue]
        if let asset {
            sql += " AND asset_key = ?"
            arguments.append(asset.databaseValue)
        }
        if !types.isEmpty {
            sql += " AND type IN (" + Array(repeating: "?", count: types.count).joined(separator: ",") + ")"
            arguments.append(contentsOf: types.map(\.rawValue.databaseValue))
        }
        if let zone {
            sql += " AND (from_zone = ? OR to_zone = ?)"
            arguments.append(zone.databaseValue)
            arguments.append(zone.databaseValue)
        }
        if let since {
            sql += " AND +time_ms >= ?"
            arguments.append(since.milliseconds.databaseValue)
        }
        sql += " ORDER BY seq LIMIT ?"
        arguments.append(limit.databaseValue)
        return (sql, arguments)
    }
}
