import Logging
import TagwayEventLog
import TagwayModel

/// Runs every configured sink's worker and the retention keeper until cancelled, and rings each
/// worker when the log commits new events.
public final class Forwarder: Sendable {
    public let board: SinkStatusBoard
    private let log: EventLog
    private let workers: [OutboxWorker]
    private let sinks: [any Sink]
    private let retention: RetentionKeeper
    private let logger: Logger

    public init(log: EventLog, sinks: [(sink: any Sink, policy: DeliveryPolicy)], retention: RetentionPolicy,
                board: SinkStatusBoard = SinkStatusBoard(), logger: Logger, metrics: OutboxMetrics = OutboxMetrics(),
                clock: @escaping @Sendable () -> Timestamp) throws(EventLogError) {
        self.log = log
        self.board = board
        self.logger = logger
        self.sinks = sinks.map(\.sink)
        var workers: [OutboxWorker] = []
        for (sink, policy) in sinks {
            workers.append(try OutboxWorker(sink: sink, policy: policy, log: log, board: board, logger: logger, metrics: metrics,
                                            clock: clock))
        }
        self.workers = workers
        self.retention = RetentionKeeper(policy: retention, sinkIDs: sinks.map(\.sink.id), log: log, board: board,
                                         logger: logger, metrics: metrics, clock: clock)
    }

    /// Delivers until the task is cancelled, then shuts the sinks down.
    public func run() async {
        let updates = log.subscribe()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [workers] in
                for await _ in updates {
                    for worker in workers { worker.notify() }
                }
            }
            for worker in workers { group.addTask { await worker.run() } }
            group.addTask { [retention] in await retention.run() }
            await group.waitForAll()
        }
        for sink in sinks { await sink.shutdown() }
    }
}
