import GRDB
import TagwayModel

/// Reading the asset state (`assets` table) kept with the events.
extension EventLog {
    /// Every asset row and the newest seq, from one read transaction: the rows are exactly the
    /// state the events up to `lastSeq` imply.
    public func assetStates() throws(EventLogError) -> AssetSnapshot {
        do {
            return try pool.read { db in
                let last = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM events") ?? 0
                let rows = try Row.fetchCursor(db, sql: "SELECT \(AssetRow.columns) FROM assets ORDER BY tag")
                var records: [AssetRecord] = []
                while let row = try rows.next() { records.append(try AssetRow.decode(row)) }
                return AssetSnapshot(records: records, lastSeq: last)
            }
        } catch let error as EventLogError {
            throw error
        } catch {
            throw Self.classify(error, path: path)
        }
    }
}
