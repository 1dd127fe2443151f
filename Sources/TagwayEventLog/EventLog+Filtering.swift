import GRDB
import TagwayModel

/// Filtered pages for the pull API (`GET /v1/events` with `type`, `zone`, `asset`, `since`), off
/// the shared threads like `readPage(after:limit:render:)`.
extension EventLog {
    /// Renders the committed events after `seq` that `filter` selects (at most `limit`, oldest
    /// first). `render` receives an empty array when none is left.
    public func readPage<T: Sendable>(after seq: Int64, limit: Int, filter: EventFilter,
                                      render: @escaping @Sendable ([MovementEvent]) -> T) async throws(EventLogError) -> T {
        let path = self.path
        let (sql, arguments) = filter.sql(after: seq, limit: limit)
        do {
            return try await pool.read { db in
                let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
                return render(try rows.map(EventRow.decode))
            }
        } catch {
            throw Self.classify(error, path: path)
        }
    }

    /// The smallest seq of an event stamped at or after `time` (nil: none is), through
    /// `events_by_time`: where a `since` page starts, so it never scans the older log.
    public func readFirstSeq(since time: Timestamp) async throws(EventLogError) -> Int64? {
        let path = self.path
        do {
            return try await pool.read { db in
                try Int64.fetchOne(db, sql: Self.firstSeqSQL, arguments: [time.milliseconds])
            }
        } catch {
            throw Self.classify(error, path: path)
        }
    }

    static let firstSeqSQL = "SELECT MIN(seq) FROM events WHERE time_ms >= ?"
}
