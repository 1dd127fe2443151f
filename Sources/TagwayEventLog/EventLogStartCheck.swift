import Foundation
import GRDB
import Synchronization

/// What the gateway's start check of the log found.
public enum IntegrityCheck: Sendable, Equatable {
    /// `PRAGMA quick_check` found every page and record well-formed.
    case intact
    /// The check ran out of its time budget: the part it did not reach is checked by SQLite on
    /// each read instead (a damaged page read later fails as `EventLogError.damaged`).
    case stoppedAtBudget(Duration)
}

/// The checks a writer's open runs before the gateway trusts the log with a single event: is it
/// intact, and can it really be written. A damaged or read-only log found here stops the start;
/// found later it would mean events held in memory and lost at the next stop.
enum EventLogStartCheck {
    /// `PRAGMA quick_check` (pages, b-trees, records; not index contents, which would read every
    /// row twice), interrupted after `budget` so a huge log on a slow card cannot stall the start.
    ///
    /// Runs on its own plain connection before the gateway's pool opens: opening a pool writes
    /// into the file (GRDB creates and drops a table to set up the WAL), and a damaged file must
    /// not be changed at all.
    static func integrity(path: String, budget: Duration) throws(EventLogError) -> IntegrityCheck {
        let queue: DatabaseQueue
        do {
            var config = Configuration()
            config.label = "tagway.events.check"
            // Read-only: its close never checkpoints a WAL into a file that may be damaged.
            config.readonly = true
            queue = try DatabaseQueue(path: path, configuration: config)
        } catch {
            throw notWritable(error, path: path)
        }
        defer { try? queue.close() }
        let interrupted = Flag()
        // Repeating: an interrupt that lands before the check's statement runs is a no-op in SQLite.
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.setEventHandler {
            interrupted.set()
            queue.interrupt()
        }
        timer.schedule(deadline: .now() + .milliseconds(milliseconds(budget)), repeating: .milliseconds(5))
        timer.activate()
        defer { timer.cancel() }
        let problems: [String]
        do {
            problems = try queue.inDatabase { db in try String.fetchAll(db, sql: "PRAGMA quick_check(10)") }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT && interrupted.isSet {
            return .stoppedAtBudget(budget)
        } catch {
            throw notWritable(error, path: path)
        }
        guard problems == ["ok"] else {
            throw .damaged(path: path, detail: "integrity check: " + problems.prefix(3).joined(separator: "; "))
        }
        return .intact
    }

    /// `budget` in whole milliseconds, at least 1, saturating (a budget comes from configuration).
    static func milliseconds(_ budget: Duration) -> Int {
        guard budget > .zero else { return 1 }
        let (ms, overflow) = budget.components.seconds.multipliedReportingOverflow(by: 1000)
        return overflow ? Int.max : max(1, Int(clamping: ms) + Int(budget.components.attoseconds / 1_000_000_000_000_000))
    }

    /// A real write transaction (a row in `meta`): the only test that covers every way a write
    /// can fail (read-only file system, read-only file, directory without write access for the
    /// WAL, a full disk, a lock held elsewhere) the way the first event's write would.
    static func probeWrite(_ pool: DatabasePool, path: String) throws(EventLogError) {
        do {
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO meta (key, value) VALUES ('last-start', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
                    ON CONFLICT(key) DO UPDATE SET value = excluded.value
                    """)
            }
        } catch {
            throw notWritable(error, path: path)
        }
    }

    /// Maps an open/migrate/probe failure: read-only and permission failures become `notWritable`.
    static func notWritable(_ error: any Error, path: String) -> EventLogError {
        if let db = error as? DatabaseError {
            switch db.resultCode {
            case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_IOERR, .SQLITE_AUTH:
                return .notWritable(path: path, message: db.message ?? "\(db.resultCode)")
            default: break
            }
        }
        return EventLog.classify(error, path: path)
    }
}

/// A set-once flag shared with the interrupt timer.
private final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
