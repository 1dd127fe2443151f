import GRDB
import TagwayModel

/// Reads for the pull API, which serves clients the gateway does not control.
///
/// These run on GRDB's own dispatch queues and are awaited, so a Swift concurrency thread never
/// blocks in SQLite for a client: with two cores there are two such threads, and a few hundred
/// clients catching up through the synchronous reads starved the pipeline's actor and every other
/// request. Each call reads one bounded page and turns it into what the caller sends (`render`
/// runs on the same queue, so building the JSON does not load the shared threads either).
extension EventLog {
    /// Renders the committed events after `seq` (at most `limit`, oldest first), off the shared
    /// threads. `render` receives an empty array when there is nothing after `seq`.
    public func readPage<T: Sendable>(after seq: Int64, limit: Int,
                                      render: @escaping @Sendable ([MovementEvent]) -> T) async throws(EventLogError) -> T {
        let path = self.path
        do {
            return try await pool.read { db in
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
                                            arguments: [seq, limit])
                return render(try rows.map(EventRow.decode))
            }
        } catch {
            throw Self.classify(error, path: path)
        }
    }

    /// The newest committed `seq` (0 for an empty log), off the shared threads.
    public func readLastSeq() async throws(EventLogError) -> Int64 {
        let path = self.path
        do {
            return try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM events") ?? 0 }
        } catch {
            throw Self.classify(error, path: path)
        }
    }
}
