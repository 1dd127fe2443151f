import CThread
import Foundation
import GRDB

/// Copies the log's WAL into the database file on a thread and a connection of its own, soon
/// after commits, so that the writer does not.
///
/// SQLite checkpoints from the committing connection once the WAL holds `wal_autocheckpoint`
/// pages: that commit, and every append queued behind it, waits while thousands of pages are
/// copied and the file is synced. In the pipeline benchmark at 10,000 reads/s those stalls (up to
/// 15-25 ms, about once a second) were most of the read→durable p99 (10-12 ms; 5.5-7 ms with no
/// checkpoint at all). A PASSIVE checkpoint from another connection takes no lock a writer needs,
/// so here the copying and the file's sync happen beside the commits. The writer's own
/// autocheckpoint stays as the backstop that bounds the WAL, and finds the pages already copied:
/// it neither copies nor syncs, and the WAL starts over from its beginning as before.
///
/// Woken by commits (`committed()`), at most once per `spacing` (each checkpoint syncs the file),
/// and asleep on a condition otherwise: an idle gateway's log costs no wake-up. Its connection
/// syncs on checkpoint whatever the log's durability (`synchronous = FULL`): SQLite lets the WAL
/// start over only after a checkpoint, and an unsynced one could lose events to a power cut.
final class WALCheckpointer: @unchecked Sendable {
    /// The least time between two checkpoints.
    static let spacing: TimeInterval = 0.1

    private let condition = NSCondition()
    private var requested = false
    private var stopping = false
    private var finished = false
    private var figures = Figures()
    /// The thread's own connection: set by `init`, closed by the thread when it ends.
    private var connection: DatabaseQueue?

    /// What the thread has done, for tests and diagnostics.
    struct Figures: Sendable {
        var checkpoints = 0
        /// Frames in the WAL and frames copied into the file at the last checkpoint.
        var lastWALFrames = 0
        var lastCopiedFrames = 0
        /// The last checkpoint's failure (a full disk, a file gone), nil once one succeeds: the
        /// writer's own autocheckpoint still runs, and its commits report the fault.
        var lastFailure: String?
    }

    /// Opens the thread's connection now, while the log's file is there: opened later, after
    /// the file was deleted, SQLite would create an empty one in its place. Throws when it cannot
    /// be opened; the log then relies on the writer's autocheckpoint alone.
    init(path: String) throws {
        connection = try Self.open(path)
        let thread = Thread { [self] in run() }
        thread.start()
    }

    var snapshot: Figures { condition.withLock { figures } }

    /// After a commit: wakes the thread if it waits. Never waits on a checkpoint.
    func committed() {
        condition.withLock {
            guard !requested else { return }
            requested = true
            condition.signal()
        }
    }

    /// Ends the thread, after the checkpoint under way if any, and closes its connection; at
    /// most `timeout` is waited for.
    func stop(timeout: TimeInterval = 10) {
        condition.lock()
        defer { condition.unlock() }
        stopping = true
        condition.broadcast()
        let deadline = Date(timeIntervalSinceNow: timeout)
        while !finished, condition.wait(until: deadline) {}
    }

    /// The nice value of the thread: background work. On a core shared with the pipeline (one
    /// core, as the pipeline benchmark pins it) the scheduler then runs a commit's thread before
    /// a checkpoint's copying, and the checkpoint takes the idle time between commits
    /// (read→durable p99 at 10,000 reads/s, four interleaved pairs: 1.70–2.40 ms against
    /// 1.99–2.65 ms at the same priority). Nice 10 still leaves it a tenth of a busy core.
    static let niceness: Int32 = 10
    /// As `top -H` shows it (15 bytes at most).
    static let threadName = "tagway-wal-ckpt"

    /// Lowers the calling thread's priority (Linux: nice is per thread; lowering needs no
    /// privilege). Failing is harmless: the checkpoint then competes as an equal, as it did.
    static func yieldToForeground() {
        _ = tagway_set_thread_nice(niceness)
    }

    /// A failed checkpoint (a full disk, an I/O error) is noted and the next commit tries again
    /// on the same connection.
    private func run() {
        _ = tagway_set_thread_name(Self.threadName)
        Self.yieldToForeground()
        if let connection { checkpoint(on: connection) }
        connection = nil
        condition.withLock {
            finished = true
            condition.broadcast()
        }
    }

    private func checkpoint(on connection: DatabaseQueue) {
        while waitForRequest() {
            do {
                let frames = try connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
                condition.withLock {
                    figures.checkpoints += 1
                    figures.lastWALFrames = frames.walFrameCount
                    figures.lastCopiedFrames = frames.checkpointedFrameCount
                    figures.lastFailure = nil
                }
            } catch {
                condition.withLock { figures.lastFailure = "\(error)" }
            }
            rest()
        }
    }

    /// Waits for a commit; false once stopping.
    private func waitForRequest() -> Bool {
        condition.withLock {
            while !requested, !stopping { condition.wait() }
            requested = false
            return !stopping
        }
    }

    /// `spacing` before the next checkpoint, cut short only by `stop`.
    private func rest() {
        let until = Date(timeIntervalSinceNow: Self.spacing)
        condition.withLock {
            while !stopping, condition.wait(until: until) {}
        }
    }

    private static func open(_ path: String) throws -> DatabaseQueue {
        var config = Configuration()
        config.label = "tagway.events.checkpoint"
        config.busyMode = .timeout(1)
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        return try DatabaseQueue(path: path, configuration: config)
    }
}
