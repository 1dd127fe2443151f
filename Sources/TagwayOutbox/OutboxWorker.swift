import Logging
import TagwayEventLog
import TagwayModel

/// Drives one sink: asks its `OutboxMachine` what to do, does the I/O (read the log, call the sink,
/// persist the cursor), and reports the answer back. No decision is taken here.
///
/// The cursor is written to the log's database only after the sink confirmed the batch, so a
/// `kill -9` at any point either loses nothing or redelivers one batch with the same event ids.
public actor OutboxWorker {
    private let sink: any Sink
    private let log: EventLog
    private let board: SinkStatusBoard
    private let logger: Logger
    private let clock: @Sendable () -> Timestamp
    private let metrics: OutboxMetrics
    private let doorbell = Doorbell()
    private var machine: OutboxMachine
    private var rng = SystemRandomNumberGenerator()
    private var reportedStop = false
    static let idlePoll: Duration = .seconds(1)

    public init(sink: any Sink, policy: DeliveryPolicy, log: EventLog, board: SinkStatusBoard, logger: Logger,
                metrics: OutboxMetrics = OutboxMetrics(), clock: @escaping @Sendable () -> Timestamp) throws(EventLogError) {
        self.sink = sink
        self.metrics = metrics
        self.log = log
        self.board = board
        self.logger = logger
        self.clock = clock
        machine = OutboxMachine(id: sink.id, kind: sink.kind, policy: policy, cursor: try log.cursor(sink: sink.id))
        board.update(machine.status)
    }

    /// Wakes the worker: the log has new events.
    public nonisolated func notify() { doorbell.ring() }

    /// Delivers until the task is cancelled.
    public func run() async {
        logger.info("sink \(sink.id) (\(sink.kind)): resuming after seq \(machine.cursor)")
        while !Task.isCancelled {
            if let head = try? log.lastSeq() { machine.logAdvanced(to: head, now: clock()) }
            let action = machine.next(now: clock())
            board.update(machine.status)
            switch action {
            case .fetch(let after, let limit):
                await deliverBatch(after: after, limit: limit)
            case .wait(let until):
                // Idle waits are bounded too: another process (a second writer, `tagway` tools)
                // may append to the log without ringing this process's doorbell.
                await doorbell.wait(timeout: until.map { max(.milliseconds(1), $0 - clock()) } ?? Self.idlePoll)
            case .stopped(let reason):
                if !reportedStop {
                    reportedStop = true
                    logger.error("sink \(sink.id) stopped: \(reason); its events stay in the log (cursor \(machine.cursor))")
                }
                await doorbell.wait(timeout: .seconds(3600))
            }
        }
    }

    private func deliverBatch(after: Int64, limit: Int) async {
        let events: [MovementEvent]
        do {
            events = try log.events(after: after, limit: limit)
        } catch {
            logger.error("sink \(sink.id): cannot read the event log: \(error)")
            await doorbell.wait(timeout: .seconds(1))
            return
        }
        guard let first = events.first?.seq, let last = events.last?.seq else {
            machine.fetchedNothing(now: clock())
            return
        }
        machine.delivering(first: first, last: last, count: events.count)
        board.update(machine.status)
        let started = ContinuousClock.now
        let outcome = await sink.deliver(events)
        metrics.batchAttempted(sink: sink.id, took: ContinuousClock.now - started)
        let now = clock()
        let before = machine.status
        let newCursor = machine.completed(outcome, now: now, using: &rng)
        metrics.sinkChanged(from: before, to: machine.status)
        guard let cursor = newCursor else {
            if case .retry(let reason, _) = outcome {
                logger.warning("sink \(sink.id): seq \(first)-\(last) not delivered (\(reason)); retry at \(machine.status.nextAttempt?.iso8601 ?? "?")")
            }
            board.update(machine.status)
            return
        }
        await persist(cursor)
        board.update(machine.status)
        logger.debug("sink \(sink.id): delivered seq \(first)-\(last) (\(events.count) events)")
    }

    /// Writes the cursor, retrying until it sticks: the next batch must not start before the
    /// log knows this one was delivered, or a crash would redeliver more than one batch.
    private func persist(_ cursor: Int64) async {
        var backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(5))
        while true {
            do {
                try log.setCursor(sink: sink.id, seq: cursor, at: clock())
                return
            } catch {
                logger.error("sink \(sink.id): cannot store cursor \(cursor): \(error)")
                if Task.isCancelled { return }
                try? await Task.sleep(for: backoff.next(using: &rng))
            }
        }
    }
}
