import Foundation
import Logging
import Synchronization
import TagwayEventLog
import TagwayModel
import TagwayRuntime

/// Runs every configured sink's worker and the retention keeper until cancelled, and rings each
/// worker (and the keeper) when the log commits new events. Nothing here runs on a timer while
/// the log is quiet: workers wait for the commit's ring, the keeper for a ring or the moment an
/// event crosses maxAge.
///
/// Sinks can be swapped while it runs (`reconfigure`, on a configuration reload): a removed
/// sink's worker is stopped and its sink shut down, an added one starts from its cursor in the
/// log (a sink id the log has never seen starts where every new sink starts), and a changed one
/// (same id, new settings) is stopped and started again with the new sink from its cursor, so
/// nothing is skipped. A removed sink's cursor row stays in the log: adding the id back resumes
/// where it left off.
public final class Forwarder: Sendable {
    public let board: SinkStatusBoard
    private let log: EventLog
    private let logger: Logger
    private let metrics: OutboxMetrics
    private let clock: GatewayClock
    /// The sinks in configuration order, whether `run` is delivering, and the keeper with the
    /// current policy and sink ids.
    private let state: Mutex<State>

    private struct State {
        var entries: [Entry] = []
        var running = false
        var finished = false
        var retention: RetentionKeeper
    }
    /// One reconfiguration at a time: a changed sink's old worker must have stopped (and
    /// stored its cursor) before its replacement reads the cursor.
    private let reconfiguring = SerialGate()
    /// Rung by commits and by cursors a worker stored: retention may have something to do.
    private let retentionWakeup: Wakeup

    private struct Entry: Sendable {
        var sink: any Sink
        var worker: OutboxWorker
        var task: Task<Void, Never>?
    }

    /// `clock`'s wall time stamps status and cursors; its monotonic clock times every wait
    /// (lingering, backoff, the retention schedule).
    public init(log: EventLog, sinks: [(sink: any Sink, policy: DeliveryPolicy)], retention: RetentionPolicy,
                board: SinkStatusBoard = SinkStatusBoard(), logger: Logger, metrics: OutboxMetrics = OutboxMetrics(),
                clock: GatewayClock) throws(EventLogError) {
        self.log = log
        self.board = board
        self.logger = logger
        self.metrics = metrics
        self.clock = clock
        var entries: [Entry] = []
        let retentionWakeup = Wakeup()
        self.retentionWakeup = retentionWakeup
        for (sink, policy) in sinks {
            entries.append(Entry(sink: sink, worker: try Self.worker(sink, policy, log, board, logger, metrics, clock,
                                                                     cursorStored: { retentionWakeup.ring() })))
        }
        let keeper = RetentionKeeper(policy: retention, sinkIDs: sinks.map(\.sink.id), log: log, board: board,
                                     logger: logger, metrics: metrics, clock: clock.wall)
        state = Mutex(State(entries: entries, retention: keeper))
    }

    /// With a wall clock only: waits run on the system's monotonic clock.
    public convenience init(log: EventLog, sinks: [(sink: any Sink, policy: DeliveryPolicy)], retention: RetentionPolicy,
                            board: SinkStatusBoard = SinkStatusBoard(), logger: Logger, metrics: OutboxMetrics = OutboxMetrics(),
                            clock: @escaping @Sendable () -> Timestamp) throws(EventLogError) {
        try self.init(log: log, sinks: sinks, retention: retention, board: board, logger: logger, metrics: metrics,
                      clock: GatewayClock(wall: clock, monotonic: ContinuousClock()))
    }

    private static func worker(_ sink: any Sink, _ policy: DeliveryPolicy, _ log: EventLog, _ board: SinkStatusBoard, _ logger: Logger,
                               _ metrics: OutboxMetrics, _ clock: GatewayClock,
                               cursorStored: @escaping @Sendable () -> Void) throws(EventLogError) -> OutboxWorker {
        if let detailed = sink as? any DetailedSink { board.attach(detailed) }
        return try OutboxWorker(sink: sink, policy: policy, log: log, board: board, logger: logger, metrics: metrics, clock: clock,
                         cursorStored: cursorStored)
    }

    /// The ids of the sinks being delivered to, in configuration order.
    public var sinkIDs: [String] { state.withLock { $0.entries.map(\.sink.id) } }

    /// The retention policy the next pass applies.
    public var retentionPolicy: RetentionPolicy { state.withLock { $0.retention.policy } }

    /// Delivers until the task is cancelled, then stops every worker and shuts the sinks down.
    public func run() async {
        let updates = log.subscribe()
        state.withLock { s in
            s.running = true
            for index in s.entries.indices { s.entries[index].task = Self.start(s.entries[index].worker) }
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                for await _ in updates { logChanged() }
            }
            group.addTask { [self] in await retain() }
            await group.waitForAll()
        }
        await reconfiguring.enter()
        defer { reconfiguring.leave() }
        let stopping = state.withLock { s -> [Entry] in
            (s.running, s.finished) = (false, true)
            return s.entries
        }
        for entry in stopping { await Self.stop(entry) }
    }

    /// The log grew: wakes every worker and the retention keeper, and tells the board (status
    /// shows the last seq). This process's commits call it; so does the gateway when another
    /// process wrote the log (its WAL changed), since nothing polls the log any more.
    public func logChanged() {
        for worker in state.withLock({ $0.entries.map(\.worker) }) { worker.notify() }
        retentionWakeup.ring()
        board.changes.signal()
    }

    /// What a reload wants of one sink, in the new configuration's order.
    public enum SinkChange: Sendable {
        /// Unchanged: its worker keeps running.
        case keep(id: String)
        /// New, or changed settings under the same id: a worker for this sink, from the id's cursor.
        case start(sink: any Sink, policy: DeliveryPolicy)

        var id: String {
            switch self {
            case .keep(let id): id
            case .start(let sink, _): sink.id
            }
        }
    }

    /// Swaps in a new set of sinks and a new retention policy (a configuration reload). Ids of
    /// running sinks absent from `changes` are stopped; a `.keep` of an id that is not running
    /// is ignored. When the log cannot give a new sink its cursor, that sink is left out, the
    /// rest is applied, and the error is thrown.
    public func reconfigure(_ changes: [SinkChange], retention policy: RetentionPolicy) async throws(EventLogError) {
        await reconfiguring.enter()
        defer { reconfiguring.leave() }
        let current = state.withLock { $0.entries }
        let wanted = Set(changes.map(\.id))
        let restarted = Set(changes.compactMap { change -> String? in
            if case .start(let sink, _) = change { return sink.id }
            return nil
        })
        // Stop first: a changed sink's old worker stores its cursor before the new one reads it.
        for entry in current where !wanted.contains(entry.sink.id) || restarted.contains(entry.sink.id) {
            await Self.stop(entry)
            if !wanted.contains(entry.sink.id) { board.remove(entry.sink.id) }
        }
        var next: [Entry] = []
        var failure: EventLogError?
        for change in changes {
            switch change {
            case .keep(let id):
                if let kept = current.first(where: { $0.sink.id == id }) { next.append(kept) }
            case .start(let sink, let policy):
                do {
                    next.append(Entry(sink: sink, worker: try Self.worker(sink, policy, log, board, logger, metrics, clock,
                                                                          cursorStored: { [retentionWakeup] in retentionWakeup.ring() })))
                } catch {
                    logger.error("sink \(sink.id): not started after the reload: \(error)")
                    failure = failure ?? error
                    await sink.shutdown()
                }
            }
        }
        let keeper = RetentionKeeper(policy: policy, sinkIDs: next.map(\.sink.id), log: log, board: board,
                                     logger: logger, metrics: metrics, clock: clock.wall)
        let (orphans, started) = state.withLock { s -> ([Entry], [Entry]) in
            var started = next
            for index in started.indices where started[index].task == nil && s.running {
                started[index].task = Self.start(started[index].worker)
            }
            s.retention = keeper
            if s.finished { return (started.filter { restarted.contains($0.sink.id) }, started) }
            s.entries = started
            return ([], started)
        }
        next = started
        // A reload that raced the end of `run`: nothing delivers any more; release the new sinks.
        for entry in orphans { await entry.sink.shutdown() }
        for entry in next { entry.worker.notify() }
        // A new policy or new sinks: the next pass decides with them.
        retentionWakeup.ring()
        if let failure { throw failure }
    }

    /// Runs retention passes when `RetentionSchedule` says one is due, until cancelled. A pass
    /// that fails is tried again after the schedule's spacing, as a due one would be.
    private func retain() async {
        let stopwatch = clock.stopwatch()
        var schedule = RetentionSchedule(spacing: RetentionKeeper.interval)
        var action = schedule.start(now: stopwatch.now)
        while !Task.isCancelled {
            switch action {
            case .pass:
                let keeper = state.withLock { $0.retention }
                var crossing: Duration?
                do {
                    try keeper.pass()
                    crossing = try await keeper.nextAgeCrossing()
                } catch {
                    logger.error("retention: \(error)")
                    crossing = .zero
                }
                action = schedule.passed(ageCrossingIn: crossing, now: stopwatch.now)
            case .sleep(let until):
                let rang = await retentionWakeup.wait(until: until, stopwatch: stopwatch)
                if Task.isCancelled { return }
                action = rang ? schedule.rung(now: stopwatch.now) : schedule.timerFired(now: stopwatch.now)
            }
        }
    }

    private static func start(_ worker: OutboxWorker) -> Task<Void, Never> {
        Task { await worker.run() }
    }

    /// Cancels the worker, waits until it has stopped (its last confirmed batch's cursor stored),
    /// then releases the sink's connections.
    private static func stop(_ entry: Entry) async {
        if let task = entry.task {
            task.cancel()
            entry.worker.notify()
            await task.value
        }
        await entry.sink.shutdown()
    }
}
