import Logging
import TagwayEventLog
import TagwayModel
import TagwayRuntime

/// Drives one sink: executes the actions of its `OutboxMachine` (read the log, call the sink,
/// persist the cursor, sleep on the injected clock) and hands each result back as the next
/// input. Every decision, timing included, is the machine's.
///
/// The cursor is written to the log's database only after the sink confirmed the batch, so a
/// `kill -9` at any point either loses nothing or redelivers one batch with the same event ids.
/// The log is any `OutboxLog`: a gateway's `EventLog`, or a site's events stream.
public actor OutboxWorker {
    private let sink: any Sink
    private let log: any OutboxLog
    private let board: SinkStatusBoard
    private let logger: Logger
    private let clock: GatewayClock
    private let stopwatch: Stopwatch
    private let metrics: OutboxMetrics
    private let wakeup = Wakeup()
    private var machine: OutboxMachine
    private var next: OutboxMachine.Action
    /// The events of the batch the machine is about to send.
    private var batch: [MovementEvent] = []
    /// Sees every action before it is executed: the tests' seam (they advance a test clock once
    /// the worker sleeps, instead of polling the wall clock).
    private let observer: (@Sendable (OutboxMachine.Action) -> Void)?
    /// Told after each cursor write: retention may prune what this sink has now confirmed.
    private let cursorStored: (@Sendable () -> Void)?

    /// A gateway's worker: its cursor read from the `EventLog` now.
    public init(sink: any Sink, policy: DeliveryPolicy, log: EventLog, board: SinkStatusBoard, logger: Logger,
                metrics: OutboxMetrics = OutboxMetrics(), clock: GatewayClock,
                observer: (@Sendable (OutboxMachine.Action) -> Void)? = nil,
                cursorStored: (@Sendable () -> Void)? = nil) throws(EventLogError) {
        self.init(sink: sink, policy: policy, log: log, cursor: try log.cursor(sink: sink.id), board: board, logger: logger,
                  metrics: metrics, clock: clock, observer: observer, cursorStored: cursorStored)
    }

    /// A worker on any log, starting after `cursor` (the caller read it from `log`).
    public init(sink: any Sink, policy: DeliveryPolicy, log: any OutboxLog, cursor: Int64, board: SinkStatusBoard, logger: Logger,
                metrics: OutboxMetrics = OutboxMetrics(), clock: GatewayClock,
                observer: (@Sendable (OutboxMachine.Action) -> Void)? = nil,
                cursorStored: (@Sendable () -> Void)? = nil) {
        self.sink = sink
        self.metrics = metrics
        self.log = log
        self.board = board
        self.logger = logger
        self.clock = clock
        self.observer = observer
        self.cursorStored = cursorStored
        let stopwatch = Stopwatch(clock.monotonic)
        self.stopwatch = stopwatch
        var rng = SystemRandomNumberGenerator()
        var machine = OutboxMachine(id: sink.id, kind: sink.kind, policy: policy, seed: rng.next())
        next = machine.handle(.started(cursor: cursor),
                              now: OutboxNow(wall: clock.wall(), monotonic: stopwatch.now))
        self.machine = machine
        board.update(machine.status)
    }

    /// Wakes the worker: the log has new events.
    public nonisolated func notify() { wakeup.ring() }

    /// Delivers until the task is cancelled.
    public func run() async {
        logger.info("sink \(sink.id) (\(sink.kind)): resuming after seq \(machine.cursor)")
        while true {
            observer?(next)
            switch next {
            case .readHead:
                handle(.headRead(try? await log.lastSeq()))
            case .read(let after, let limit):
                if Task.isCancelled {
                    handle(.stop)
                } else {
                    await read(after: after, limit: limit)
                }
            case .send(let range):
                await send(range)
            case .persistCursor(let cursor):
                await persist(cursor)
            case .sleep(let until):
                await sleep(until: until)
            case .pause(let until):
                await pause(until: until)
            case .halt(let reason):
                logger.error("sink \(sink.id) stopped: \(reason); its events stay in the log (cursor \(machine.cursor))")
                await sleep(until: nil)
            case .finish:
                return
            }
        }
    }

    private func handle(_ input: OutboxMachine.Input) {
        let before = machine.status
        next = machine.handle(input, now: OutboxNow(wall: clock.wall(), monotonic: stopwatch.now))
        if machine.status != before { board.update(machine.status) }
    }

    private func read(after: Int64, limit: Int) async {
        do {
            batch = try await log.events(after: after, limit: limit)
        } catch {
            logger.error("sink \(sink.id): cannot read the event log: \(error)")
            handle(.readFailed(reason: "\(error)"))
            return
        }
        guard let first = batch.first?.seq, let last = batch.last?.seq else {
            handle(.readEmpty)
            return
        }
        handle(.batchRead(OutboxMachine.Batch(first: first, last: last, count: batch.count)))
    }

    private func send(_ range: OutboxMachine.Batch) async {
        let started = stopwatch.elapsed()
        let outcome = await sink.deliver(batch)
        metrics.batchAttempted(sink: sink.id, took: stopwatch.elapsed() - started)
        batch = []
        let before = machine.status
        handle(.answered(outcome))
        metrics.sinkChanged(from: before, to: machine.status)
        switch outcome {
        case .delivered, .alreadyDelivered:
            logger.debug("sink \(sink.id): delivered seq \(range.first)-\(range.last) (\(range.count) events)")
        case .retry(let reason, _):
            logger.warning("sink \(sink.id): seq \(range.first)-\(range.last) not delivered (\(reason)); retry at \(machine.status.nextAttempt?.iso8601 ?? "?")")
        case .rejected:
            break
        }
    }

    private func persist(_ cursor: Int64) async {
        do {
            try await log.setCursor(sink: sink.id, seq: cursor, at: clock.wall())
            handle(.cursorPersisted)
            cursorStored?()
        } catch {
            logger.error("sink \(sink.id): cannot store cursor \(cursor): \(error)")
            handle(.cursorPersistFailed(reason: "\(error)"))
        }
    }

    /// Waits for the deadline alone (rings stay remembered); a cancelled task is told as `stop`.
    private func pause(until deadline: MonotonicInstant) async {
        if Task.isCancelled { return handle(.stop) }
        _ = await stopwatch.sleep(until: deadline)
        if Task.isCancelled { return handle(.stop) }
        handle(.timerFired)
    }

    /// Waits for a ring or the deadline; a cancelled task is told to the machine as `stop`.
    private func sleep(until deadline: MonotonicInstant?) async {
        if Task.isCancelled { return handle(.stop) }
        let rang = await wakeup.wait(until: deadline, stopwatch: stopwatch)
        if Task.isCancelled { return handle(.stop) }
        handle(rang ? .rung : .timerFired)
    }
}
