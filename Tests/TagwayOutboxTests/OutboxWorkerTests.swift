import Clocks
import Foundation
import Logging
import Synchronization
import Testing
import TagwayEventLog
import TagwayModel
import TagwayOutbox
import TagwayRuntime

/// The worker executing its machine's actions against a real event log and a scripted sink, on a
/// test clock: the test waits for the worker to reach a sleep (through the worker's action
/// seam), advances the clock, and waits for the sink's batches. Nothing sleeps on or polls the
/// wall clock, so the timings asserted here are exact.
@Suite struct OutboxWorkerTests {
    @Test func aSmallBatchLingersOnTheClockThenGoesAndTheCursorIsStored() async throws {
        let rig = try await Rig(events: 3, policy: DeliveryPolicy(maxEvents: 10, linger: .milliseconds(200)))
        defer { rig.close() }
        let running = rig.start()
        #expect(await rig.nextSleep() == MonotonicInstant(milliseconds: 200))
        #expect(rig.sink.batches.isEmpty, "nothing goes before the linger is over")
        await rig.clock.advance(by: .milliseconds(199))
        #expect(rig.sink.batches.isEmpty)
        await rig.advance(pastMilliseconds: 200)
        #expect(await rig.nextBatch() == [1, 2, 3])
        #expect(await rig.next { $0 == .persistCursor(3) } != nil)
        _ = await rig.nextSleep()
        #expect(try rig.log.cursor(sink: "fake") == 3)
        #expect(rig.board.snapshot.first?.delivered == 3)
        #expect(rig.board.snapshot.first?.state == .idle)
        running.cancel()
        #expect(await rig.next { $0 == .finish } != nil)
        await running.value
    }

    @Test func aFailedDeliveryIsRetriedAfterTheBackoff() async throws {
        // retryInitial == retryMax: the jitter has nothing to pick from, the delay is exactly 100 ms.
        let policy = DeliveryPolicy(maxEvents: 10, linger: .zero, retryInitial: .milliseconds(100), retryMax: .milliseconds(100))
        let rig = try await Rig(events: 2, policy: policy, answers: [.retry(reason: "HTTP 503", after: nil)])
        defer { rig.close() }
        let running = rig.start()
        #expect(await rig.nextBatch() == [1, 2])
        #expect(await rig.nextSleep() == MonotonicInstant(milliseconds: 100))
        #expect(rig.board.snapshot.first?.state == .retrying)
        #expect(rig.board.snapshot.first?.lastError == "HTTP 503")
        #expect(try rig.log.cursor(sink: "fake") == 0)
        await rig.advance(pastMilliseconds: 100)
        #expect(await rig.nextBatch() == [1, 2], "the same batch again")
        _ = await rig.nextSleep()
        #expect(try rig.log.cursor(sink: "fake") == 2)
        #expect(rig.board.snapshot.first?.retried == 1)
        running.cancel()
        await running.value
    }

    @Test func aRingWakesAnIdleWorkerWithoutTheClockMoving() async throws {
        let rig = try await Rig(events: 0, policy: DeliveryPolicy(linger: .zero))
        defer { rig.close() }
        let running = rig.start()
        #expect(await rig.nextSleepAction() == .sleep(until: nil), "idle: asleep until the log rings, no deadline")
        _ = try await rig.log.append([Rig.event(1), Rig.event(2)])
        rig.worker.notify()
        #expect(await rig.nextBatch() == [1, 2])
        running.cancel()
        await running.value
    }

    /// Issue 16: caught up again after a delivery, the worker sleeps without a deadline (it used to
    /// look at the log every second), and the next commit's ring is what wakes it.
    @Test func afterADeliveryTheWorkerSleepsWithoutADeadlineUntilTheNextRing() async throws {
        let rig = try await Rig(events: 1, policy: DeliveryPolicy(linger: .zero))
        defer { rig.close() }
        let running = rig.start()
        #expect(await rig.nextBatch() == [1])
        #expect(await rig.nextSleepAction() == .sleep(until: nil))
        await rig.advance(pastMilliseconds: 3_600_000)
        _ = try await rig.log.append([Rig.event(2)])
        rig.worker.notify()
        #expect(await rig.nextBatch() == [2])
        #expect(await rig.next { $0 == .persistCursor(2) } != nil)
        running.cancel()
        await running.value
    }

    @Test func aRejectedBatchStopsTheSinkAndKeepsItsEvents() async throws {
        let rig = try await Rig(events: 4, policy: DeliveryPolicy(linger: .zero), answers: [.rejected(reason: "HTTP 401")])
        defer { rig.close() }
        let running = rig.start()
        #expect(await rig.next { $0 == .halt(reason: "HTTP 401") } != nil)
        rig.worker.notify()
        // Stopped: it follows the log for status at most once per `headRefresh`, on the clock
        // alone, then waits for rings.
        #expect(await rig.next { if case .pause = $0 { true } else { false } } == .pause(until: MonotonicInstant(milliseconds: 1_000)))
        await rig.advance(pastMilliseconds: 1_000)
        #expect(await rig.nextSleep() == nil, "stopped: it only follows the log for status, and waits for rings")
        #expect(rig.board.snapshot.first?.state == .stopped)
        #expect(rig.board.snapshot.first?.failed == 4)
        #expect(try rig.log.cursor(sink: "fake") == 0)
        running.cancel()
        await running.value
    }
}

/// One worker on a fresh log, a scripted sink and a test clock, with the worker's actions and the
/// sink's batches as streams the test reads in order.
final class Rig {
    let directory: String
    let log: EventLog
    let sink: ScriptedSink
    let clock = TestClock()
    let board = SinkStatusBoard()
    let worker: OutboxWorker
    /// The worker's time zero.
    let origin: TestClock<Duration>.Instant
    private var actions: AsyncStream<OutboxMachine.Action>.Iterator
    private var batches: AsyncStream<[Int64]>.Iterator

    init(events: Int, policy: DeliveryPolicy, answers: [DeliveryOutcome] = []) async throws {
        directory = NSTemporaryDirectory() + "tagway-outbox-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        log = try EventLog(directory: directory, durability: .normal)
        if events > 0 { _ = try await log.append((1...events).map(Self.event)) }
        let (delivered, deliveredContinuation) = AsyncStream.makeStream(of: [Int64].self)
        sink = ScriptedSink(answers: answers, delivered: deliveredContinuation)
        batches = delivered.makeAsyncIterator()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let (stream, continuation) = AsyncStream.makeStream(of: OutboxMachine.Action.self)
        actions = stream.makeAsyncIterator()
        let test = clock
        let start = test.now
        origin = start
        let wall: @Sendable () -> Timestamp = { Timestamp(milliseconds: 1_764_000_000_000) + start.duration(to: test.now) }
        worker = try OutboxWorker(sink: sink, policy: policy, log: log, board: board, logger: logger,
                                  clock: GatewayClock(wall: wall, monotonic: test), observer: { continuation.yield($0) })
    }

    /// Runs the worker until the returned task is cancelled.
    func start() -> Task<Void, Never> {
        let worker = worker
        return Task { await worker.run() }
    }

    /// The next action the worker executes that satisfies `match`.
    func next(_ match: (OutboxMachine.Action) -> Bool) async -> OutboxMachine.Action? {
        while let action = await actions.next() {
            if match(action) { return action }
        }
        return nil
    }

    /// The deadline of the next sleep the worker starts (nil: it waits for a ring only).
    func nextSleep() async -> MonotonicInstant? {
        guard case .sleep(let until) = await next({ if case .sleep = $0 { true } else { false } }) else { return nil }
        return until
    }

    /// The next sleep action itself, so a sleep without a deadline is told from no sleep at all.
    func nextSleepAction() async -> OutboxMachine.Action? {
        await next { if case .sleep = $0 { true } else { false } }
    }

    /// The seqs of the next batch the sink is handed.
    func nextBatch() async -> [Int64]? { await batches.next() }

    /// Moves the test clock just past `deadline` (milliseconds from the worker's start). Past, not
    /// onto: a sleep the worker registers only after the advance then returns at once.
    func advance(pastMilliseconds deadline: Int64) async {
        await clock.advance(to: origin.advanced(by: .milliseconds(deadline + 1)))
    }

    func close() { try? FileManager.default.removeItem(atPath: directory) }

    static func event(_ i: Int) -> MovementEvent {
        var rng = SplitMix64(seed: UInt64(i))
        let time = Timestamp(milliseconds: 1_764_000_000_000 + Int64(i) * 10)
        return MovementEvent(id: EventID.make(time: time, using: &rng), type: .arrived, time: time, gateway: "test-gw",
                             asset: AssetRef(key: "urn:epc:id:giai:0614141.\(i)", scheme: "giai", raw: "TAG-\(i)"),
                             from: nil, to: "dock-3", readPoint: "door3-in", reader: "door3-uhf", rssi: -55, reads: 3)
    }
}

/// A sink that answers from a script (then `.delivered`), and hands each batch's seqs to the test.
final class ScriptedSink: Sink {
    let id = "fake"
    let kind = "webhook"
    private let answers: Mutex<[DeliveryOutcome]>
    private let received = Mutex<[[Int64]]>([])
    private let delivered: AsyncStream<[Int64]>.Continuation

    init(answers: [DeliveryOutcome], delivered: AsyncStream<[Int64]>.Continuation) {
        self.answers = Mutex(answers)
        self.delivered = delivered
    }

    /// Every batch handed over so far.
    var batches: [[Int64]] { received.withLock { $0 } }

    func deliver(_ events: [MovementEvent]) async -> DeliveryOutcome {
        let seqs = events.compactMap(\.seq)
        received.withLock { $0.append(seqs) }
        delivered.yield(seqs)
        return answers.withLock { $0.isEmpty ? .delivered : $0.removeFirst() }
    }

    func shutdown() async {}
}
