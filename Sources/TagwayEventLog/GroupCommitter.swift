import GRDB
import Synchronization
import TagwayModel

/// Batches concurrent appends into shared transactions (group commit).
///
/// The actor is free while a transaction is being written (the write is awaited), so appends
/// arriving meanwhile queue in `pending` and are written together by the next loop turn.
/// Before each transaction the log file's identity is checked (one `stat` per file, per
/// transaction): once the file is found deleted or replaced, every later append fails with
/// that same fatal error instead of writing into a file that is gone.
actor GroupCommitter {
    private typealias Waiter = CheckedContinuation<[MovementEvent], any Error>
    private let pool: DatabasePool
    private let path: String
    private var pending: [([MovementEvent], AssetStateChanges, Waiter)] = []
    private var writing = false
    private let watch: LogFileWatch
    private var fatal: EventLogError?

    /// Transactions and events written, for the benchmark and status.
    private(set) var transactions = 0
    /// Events per committed transaction: a lock, not the actor, so the log's readers (metrics,
    /// benchmarks) see it without waiting behind a commit.
    nonisolated let batchSizes = Mutex(CommitBatchSizes())

    private let observer: CommitObserver?
    /// Told of each transaction written (the WAL's background checkpoints, `WALCheckpointer`).
    private let afterCommit: (@Sendable () -> Void)?

    init(pool: DatabasePool, path: String, watch: LogFileWatch, observer: CommitObserver? = nil,
         afterCommit: (@Sendable () -> Void)? = nil) {
        self.observer = observer
        self.afterCommit = afterCommit
        self.pool = pool
        self.path = path
        self.watch = watch
    }

    /// Appends `events` and writes `state` (the asset rows they change) in the same transaction.
    func append(_ events: [MovementEvent], state: AssetStateChanges) async throws -> [MovementEvent] {
        try await withCheckedThrowingContinuation { (waiter: Waiter) in
            pending.append((events, state, waiter))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = pending
            pending.removeAll(keepingCapacity: true)
            do {
                if let fatal { throw fatal }
                try watch.verify()
                let started = observer == nil ? nil : ContinuousClock.now
                let stored = try await pool.write { db in try Self.write(batch.map { ($0.0, $0.1) }, db) }
                transactions += 1
                afterCommit?()
                let events = stored.reduce(0) { $0 + $1.count }
                batchSizes.withLock { $0.record(events: events) }
                if let observer, let started {
                    observer(CommitFigures(events: events, duration: ContinuousClock.now - started))
                }
                for (index, (_, _, waiter)) in batch.enumerated() { waiter.resume(returning: stored[index]) }
            } catch {
                let failure = EventLog.classify(error, path: path)
                if failure.isFatal { fatal = failure }
                for (_, _, waiter) in batch { waiter.resume(throwing: failure) }
            }
        }
        writing = false
    }

    /// One transaction: each append's events, then its asset rows stamped with the newest seq so
    /// far (the rows of an append are the state after its own events).
    private static func write(_ batch: [([MovementEvent], AssetStateChanges)], _ db: Database) throws -> [[MovementEvent]] {
        var newest: Int64?
        return try batch.map { events, state in
            let stored = try EventRow.insert(events, db)
            if let last = stored.last?.seq { newest = last }
            if !state.isEmpty {
                if newest == nil { newest = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM events") ?? 0 }
                try AssetRow.apply(state, seq: newest ?? 0, db)
            }
            return stored
        }
    }
}
