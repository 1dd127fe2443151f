import Testing
import TagwayDelivery
import TagwayModel

/// The delivery decisions, driven input by input with the time written down: batching, linger,
/// retries, stops, and what the worker is told to do after each answer.
@Suite struct OutboxMachineTests {
    typealias Batch = OutboxMachine.Batch

    /// Issue 16: an idle sink sleeps until the log rings, however long that takes; it never
    /// looks at the log on a timer.
    @Test func idleSleepsWithoutADeadlineUntilTheLogRings() {
        var m = machine()
        #expect(m.handle(.headRead(0), now: at(0)) == .sleep(until: nil), "caught up: no deadline, the log's commit rings")
        #expect(m.state == .idle)
        #expect(m.status.state == .idle)
        #expect(m.handle(.rung, now: at(400)) == .readHead)
        #expect(m.handle(.headRead(0), now: at(400)) == .sleep(until: nil), "a ring with nothing new: asleep again, still no deadline")
        #expect(m.handle(.rung, now: at(3_600_000)) == .readHead)
        #expect(m.handle(.headRead(2), now: at(3_600_000)) == .sleep(until: ms(3_600_200)),
                "an hour later the log grew: the linger starts from the ring")
    }

    @Test func aStaleDeadlineWhileIdleLooksOnceThenSleepsWithoutOne() {
        var m = machine()
        _ = m.handle(.headRead(0), now: at(0))
        #expect(m.handle(.timerFired, now: at(50)) == .readHead)
        #expect(m.handle(.headRead(0), now: at(50)) == .sleep(until: nil))
    }

    @Test func aSmallBatchLingersThenGoes() {
        var m = machine()
        #expect(m.handle(.headRead(3), now: at(0)) == .sleep(until: ms(200)))
        #expect(m.status.state == .lingering)
        #expect(m.handle(.rung, now: at(150)) == .readHead)
        #expect(m.handle(.headRead(4), now: at(150)) == .sleep(until: ms(200)), "more company does not restart the linger")
        #expect(m.handle(.timerFired, now: at(200)) == .read(after: 0, limit: 10))
        #expect(m.status.state == .delivering)
    }

    @Test func aFullBatchGoesAtOnceEvenWhileLingering() {
        var m = machine()
        #expect(m.handle(.headRead(25), now: at(0)) == .read(after: 0, limit: 10))
        var lingering = machine()
        _ = lingering.handle(.headRead(3), now: at(0))
        #expect(lingering.handle(.headRead(10), now: at(50)) == .read(after: 0, limit: 10))
    }

    @Test func deliveredMovesTheCursorAndTheRestDoesNotLingerTwice() {
        var m = machine()
        #expect(m.handle(.headRead(25), now: at(0)) == .read(after: 0, limit: 10))
        #expect(deliver(&m, Batch(first: 1, last: 10, count: 10), at: 0) == .readHead)
        #expect(m.cursor == 10)
        #expect(m.handle(.headRead(25), now: at(0)) == .read(after: 10, limit: 10))
        #expect(deliver(&m, Batch(first: 11, last: 20, count: 10), outcome: .alreadyDelivered, at: 0) == .readHead)
        // 5 left: they have waited since 0, so once the linger is over they go.
        #expect(m.handle(.headRead(25), now: at(100)) == .sleep(until: ms(200)))
        #expect(m.handle(.timerFired, now: at(300)) == .read(after: 20, limit: 10))
        #expect(deliver(&m, Batch(first: 21, last: 25, count: 5), at: 300) == .readHead)
        #expect(m.state == .idle)
        #expect(m.handle(.headRead(25), now: at(300)) == .sleep(until: nil), "all delivered: asleep until the log rings")
        #expect(m.status.delivered == 25)
        #expect(m.status.backlog == 0)
        #expect(m.status.lastSuccess == at(300).wall)
        #expect(m.status.state == .idle)
    }

    @Test func theCursorIsPersistedBeforeAnythingElse() {
        var m = machine(linger: .zero)
        _ = m.handle(.headRead(5), now: at(0))
        _ = m.handle(.batchRead(Batch(first: 1, last: 5, count: 5)), now: at(0))
        #expect(m.handle(.answered(.delivered), now: at(10)) == .persistCursor(5))
        #expect(m.state == .inFlight(.persisting(cursor: 5, failures: 0), OutboxMachine.Backlog(since: ms(0))))
        #expect(!m.accepts(.stop), "a confirmed batch's cursor is written before the worker may stop")
        #expect(!m.accepts(.rung))
    }

    @Test func retryBacksOffExponentiallyWithinTheCap() {
        var m = machine(linger: .zero)
        #expect(m.handle(.headRead(1), now: at(0)) == .read(after: 0, limit: 10))
        var now: Int64 = 0
        var delays: [Int64] = []
        for _ in 0..<8 {
            _ = m.handle(.batchRead(Batch(first: 1, last: 1, count: 1)), now: at(now))
            guard case .sleep(let until?) = m.handle(.answered(.retry(reason: "HTTP 500", after: nil)), now: at(now)) else {
                Issue.record("expected a timed sleep"); return
            }
            delays.append(until.milliseconds - now)
            #expect(m.status.nextAttempt == at(until.milliseconds).wall)
            #expect(m.handle(.timerFired, now: at(until.milliseconds)) == .read(after: 0, limit: 10))
            now = until.milliseconds
        }
        #expect(m.cursor == 0)
        #expect(m.status.retried == 8)
        #expect(m.status.lastError == "HTTP 500")
        #expect(delays.allSatisfy { $0 >= 100 && $0 <= 2000 })
        // Full jitter: the ceiling doubles (100, 200, 400 …) up to the 2 s cap.
        for (attempt, delay) in delays.enumerated() { #expect(delay <= min(2000, 100 << attempt)) }
    }

    @Test func aRingDoesNotCutABackoffShort() {
        var m = machine(linger: .zero)
        _ = m.handle(.headRead(1), now: at(0))
        _ = m.handle(.batchRead(Batch(first: 1, last: 1, count: 1)), now: at(0))
        guard case .sleep(let until?) = m.handle(.answered(.retry(reason: "x", after: nil)), now: at(0)) else {
            Issue.record("expected a timed sleep"); return
        }
        #expect(m.status.state == .retrying)
        // The head was read at 0: a ring before `headRefresh` pauses until the retry or the refresh.
        #expect(m.handle(.rung, now: at(10)) == .pause(until: min(until, ms(1_000))))
        #expect(m.handle(.timerFired, now: at(min(until.milliseconds, 1_000) - 1)) == .readHead, "the ring's look, late")
        #expect(m.handle(.headRead(500), now: at(10)) == .sleep(until: until))
        #expect(m.status.head == 500)
        #expect(m.handle(.timerFired, now: at(until.milliseconds - 1)) == .sleep(until: until), "an early timer waits on")
    }

    /// Issue 16: commits ring a sink whose store is down hundreds of times a second; it looks at
    /// the log's head at most once per `headRefresh`, and a ring is never lost: it is looked at
    /// when the pause ends, or at once when the last look is old enough.
    @Test func aWaitingSinkReadsTheHeadAtMostOncePerRefresh() {
        var m = machine(linger: .zero)
        _ = m.handle(.headRead(1), now: at(0))
        _ = m.handle(.batchRead(Batch(first: 1, last: 1, count: 1)), now: at(0))
        #expect(m.handle(.answered(.retry(reason: "HTTP 503", after: .seconds(30))), now: at(0)) == .sleep(until: ms(30_000)))
        var heads = 0
        var now: Int64 = 0
        var next = m.handle(.rung, now: at(now))
        // 10 s of a ring every millisecond (the worker's wake-up folds rings during a pause; the
        // machine sees one per wait).
        while now <= 10_000 {
            switch next {
            case .readHead:
                heads += 1
                next = m.handle(.headRead(Int64(now)), now: at(now))
            case .pause(let until):
                now = until.milliseconds
                next = m.handle(.timerFired, now: at(now))
            case .sleep:
                now += 1
                next = m.handle(.rung, now: at(now))
            default:
                Issue.record("unexpected \(next)")
                return
            }
        }
        #expect(heads == 10, "one look a second, not one per ring")
        #expect(m.status.head >= 9_000, "the backlog still follows the log")
        #expect(m.status.state == .retrying)
        #expect(next == .pause(until: ms(11_000)), "the ring at 10.001 s waits for the refresh")
        #expect(m.handle(.timerFired, now: at(11_000)) == .readHead, "and is looked at when it ends")
        #expect(m.handle(.headRead(11_000), now: at(11_000)) == .sleep(until: ms(30_000)))
        // Quiet since the last look for longer than the refresh: a ring looks at once.
        #expect(m.handle(.rung, now: at(12_500)) == .readHead)
        // The retry is due before the refresh: the retry goes first.
        _ = m.handle(.headRead(10_000), now: at(29_500))
        #expect(m.handle(.rung, now: at(29_600)) == .pause(until: ms(30_000)))
        #expect(m.handle(.timerFired, now: at(30_000)) == .read(after: 0, limit: 10))
    }

    @Test func retryAfterIsHonouredUpToItsCap() {
        var m = machine(linger: .zero)
        _ = m.handle(.headRead(1), now: at(0))
        _ = m.handle(.batchRead(Batch(first: 1, last: 1, count: 1)), now: at(0))
        #expect(m.handle(.answered(.retry(reason: "HTTP 429", after: .seconds(30))), now: at(0)) == .sleep(until: ms(30_000)))
        #expect(m.handle(.timerFired, now: at(30_000)) == .read(after: 0, limit: 10))
        _ = m.handle(.batchRead(Batch(first: 1, last: 1, count: 1)), now: at(30_000))
        let capped = m.handle(.answered(.retry(reason: "HTTP 503", after: .seconds(86_400))), now: at(30_000))
        #expect(capped == .sleep(until: ms(30_000 + 3_600_000)), "Retry-After beyond retryAfterCap is cut to it")
    }

    @Test func successResetsTheBackoff() {
        var m = machine(linger: .zero)
        _ = m.handle(.headRead(2), now: at(0))
        var now: Int64 = 0
        for _ in 0..<5 {
            _ = m.handle(.batchRead(Batch(first: 1, last: 1, count: 1)), now: at(now))
            _ = m.handle(.answered(.retry(reason: "x", after: nil)), now: at(now))
            now += 5000
            #expect(m.handle(.timerFired, now: at(now)) == .read(after: 0, limit: 10))
        }
        #expect(deliver(&m, Batch(first: 1, last: 1, count: 1), at: now) == .readHead)
        #expect(m.handle(.headRead(2), now: at(now)) == .read(after: 1, limit: 10))
        _ = m.handle(.batchRead(Batch(first: 2, last: 2, count: 1)), now: at(now))
        guard case .sleep(let until?) = m.handle(.answered(.retry(reason: "x", after: nil)), now: at(now)) else {
            Issue.record("expected a timed sleep"); return
        }
        #expect(until.milliseconds - now <= 100)
    }

    @Test func rejectedStopsOnceAndKeepsTheCursor() {
        var m = machine(linger: .zero, cursor: 4)
        #expect(m.handle(.headRead(9), now: at(0)) == .read(after: 4, limit: 10))
        _ = m.handle(.batchRead(Batch(first: 5, last: 9, count: 5)), now: at(0))
        #expect(m.handle(.answered(.rejected(reason: "HTTP 401")), now: at(0)) == .halt(reason: "HTTP 401"))
        #expect(m.cursor == 4)
        #expect(m.status.failed == 5)
        #expect(m.status.state == .stopped)
        #expect(m.status.lastError == "HTTP 401")
        // Stopped: the head is still followed for status (at most once per `headRefresh`: it was
        // read at 0), nothing is read, the halt is not repeated.
        #expect(m.handle(.rung, now: at(100)) == .pause(until: ms(1_000)))
        #expect(m.handle(.timerFired, now: at(1_000)) == .readHead)
        #expect(m.handle(.headRead(12), now: at(1_000)) == .sleep(until: nil))
        #expect(m.handle(.rung, now: at(2_500)) == .readHead, "a ring after a quiet second looks at once")
        #expect(m.status.backlog == 8)
        #expect(m.handle(.stop, now: at(200)) == .finish)
    }

    @Test func maxAttemptsStops() {
        var m = machine(linger: .zero, maxAttempts: 3)
        _ = m.handle(.headRead(1), now: at(0))
        var last: OutboxMachine.Action = .finish
        for attempt in 0..<3 {
            _ = m.handle(.batchRead(Batch(first: 1, last: 1, count: 1)), now: at(Int64(attempt) * 10_000))
            last = m.handle(.answered(.retry(reason: "HTTP 503", after: nil)), now: at(Int64(attempt) * 10_000))
            if case .sleep = last { _ = m.handle(.timerFired, now: at(Int64(attempt + 1) * 10_000)) }
        }
        #expect(last == .halt(reason: "gave up after 3 attempts: HTTP 503"))
        #expect(m.cursor == 0)
        #expect(m.status.failed == 1)
        #expect(m.status.retried == 2)
    }

    @Test func nothingReadMeansCaughtUp() {
        var m = machine(linger: .zero, cursor: 5)
        #expect(m.handle(.headRead(8), now: at(0)) == .read(after: 5, limit: 10))
        #expect(m.handle(.readEmpty, now: at(0)) == .sleep(until: nil), "caught up: asleep until the log rings")
        #expect(m.state == .idle)
        #expect(m.status.head == 5)
        #expect(m.status.state == .idle)
    }

    @Test func aFailedReadBacksOffLikeAFailedDelivery() {
        var m = machine(linger: .zero)
        _ = m.handle(.headRead(3), now: at(0))
        var now: Int64 = 0
        var delays: [Int64] = []
        for _ in 0..<4 {
            guard case .sleep(let until?) = m.handle(.readFailed(reason: "disk I/O error"), now: at(now)) else {
                Issue.record("expected a timed sleep"); return
            }
            delays.append(until.milliseconds - now)
            #expect(m.handle(.timerFired, now: at(until.milliseconds)) == .read(after: 0, limit: 10))
            now = until.milliseconds
        }
        for (attempt, delay) in delays.enumerated() { #expect(delay >= 100 && delay <= min(2000, 100 << attempt)) }
        #expect(m.status.state == .delivering, "status is as before: the batch is due, only late")
        #expect(m.status.retried == 0 && m.status.lastError == nil)
    }

    @Test func aFailedCursorWriteIsRetriedBeforeTheNextBatch() {
        var m = machine(linger: .zero)
        _ = m.handle(.headRead(20), now: at(0))
        _ = m.handle(.batchRead(Batch(first: 1, last: 10, count: 10)), now: at(0))
        #expect(m.handle(.answered(.delivered), now: at(0)) == .persistCursor(10))
        guard case .sleep(let until?) = m.handle(.cursorPersistFailed(reason: "database is locked"), now: at(0)) else {
            Issue.record("expected a timed sleep"); return
        }
        #expect(until.milliseconds <= 100)
        #expect(m.handle(.headRead(30), now: at(1)) == .sleep(until: until), "no read while the cursor is unstored")
        #expect(m.handle(.timerFired, now: at(until.milliseconds)) == .persistCursor(10))
        #expect(m.handle(.cursorPersisted, now: at(until.milliseconds)) == .readHead)
        #expect(m.handle(.headRead(30), now: at(until.milliseconds)) == .read(after: 10, limit: 10))
    }

    @Test func aLateConfirmationNeverMovesTheCursorBack() {
        var m = machine(linger: .zero, cursor: 50)
        _ = m.handle(.headRead(60), now: at(0))
        _ = m.handle(.batchRead(Batch(first: 30, last: 40, count: 11)), now: at(0))
        #expect(m.handle(.answered(.delivered), now: at(0)) == .persistCursor(50))
        #expect(m.cursor == 50)
    }

    @Test func theHeadNeverMovesBack() {
        var m = machine(cursor: 7)
        _ = m.handle(.headRead(9), now: at(0))
        _ = m.handle(.headRead(nil), now: at(1))
        _ = m.handle(.headRead(8), now: at(2))
        #expect(m.status.head == 9)
    }

    @Test func stopEndsTheRunFromEveryWaitAndBeforeARead() {
        for name in ["created", "idle", "lingering", "reading", "retrying", "stopped"] {
            var m = Self.reach(name)
            #expect(m.accepts(.stop), "\(name)")
            #expect(m.handle(.stop, now: at(9000)) == .finish, "\(name)")
            #expect(m.state == .finished)
            #expect(Self.inputs.allSatisfy { !m.accepts($0) }, "nothing is accepted after finishing")
        }
    }

    /// Every state against every input: exactly the table below is accepted (the rest would trap
    /// in `handle`), and every accepted pair has a transition.
    @Test func validityTable() {
        let valid: [String: Set<String>] = [
            "created": ["started", "stop"],
            "idle": ["rung", "headRead", "timerFired", "stop"],
            "lingering": ["rung", "headRead", "timerFired", "stop"],
            "reading": ["batchRead", "readEmpty", "readFailed", "stop"],
            "sending": ["answered"],
            "persisting": ["cursorPersisted", "cursorPersistFailed"],
            "retrying": ["rung", "headRead", "timerFired", "stop"],
            "stopped": ["rung", "headRead", "timerFired", "stop"],
            "finished": [],
        ]
        for (name, accepted) in valid {
            let m = Self.reach(name)
            for input in Self.inputs {
                #expect(m.accepts(input) == accepted.contains(Self.name(input)), "\(name) × \(input)")
                if m.accepts(input) {
                    var copy = m
                    _ = copy.handle(input, now: at(10_000))
                }
            }
        }
    }

    // MARK: fixtures

    static let t0 = Timestamp(milliseconds: 1_000_000)

    func at(_ milliseconds: Int64) -> OutboxNow { Self.at(milliseconds) }
    static func at(_ milliseconds: Int64) -> OutboxNow {
        OutboxNow(wall: t0 + .milliseconds(milliseconds), monotonic: MonotonicInstant(milliseconds: milliseconds))
    }

    func ms(_ milliseconds: Int64) -> MonotonicInstant { MonotonicInstant(milliseconds: milliseconds) }

    func machine(maxEvents: Int = 10, linger: Duration = .milliseconds(200), maxAttempts: Int? = nil, cursor: Int64 = 0) -> OutboxMachine {
        Self.machine(maxEvents: maxEvents, linger: linger, maxAttempts: maxAttempts, cursor: cursor)
    }

    static func machine(maxEvents: Int = 10, linger: Duration = .milliseconds(200), maxAttempts: Int? = nil, cursor: Int64 = 0,
                        started: Bool = true) -> OutboxMachine {
        var m = OutboxMachine(id: "s", kind: "webhook",
                              policy: DeliveryPolicy(maxEvents: maxEvents, linger: linger, retryInitial: .milliseconds(100),
                                                     retryMax: .seconds(2), maxAttempts: maxAttempts),
                              seed: 7)
        if started {
            let first = m.handle(.started(cursor: cursor), now: at(0))
            #expect(first == .readHead)
        }
        return m
    }

    /// Hands the batch read to the machine, then answers and confirms the cursor write.
    func deliver(_ m: inout OutboxMachine, _ batch: Batch, outcome: DeliveryOutcome = .delivered, at time: Int64) -> OutboxMachine.Action {
        #expect(m.handle(.batchRead(batch), now: at(time)) == .send(batch))
        #expect(m.handle(.answered(outcome), now: at(time)) == .persistCursor(max(m.cursor, batch.last)))
        return m.handle(.cursorPersisted, now: at(time))
    }

    static let inputs: [OutboxMachine.Input] = [
        .started(cursor: 0), .rung, .headRead(3), .batchRead(Batch(first: 1, last: 3, count: 3)), .readEmpty,
        .readFailed(reason: "r"), .answered(.delivered), .cursorPersisted, .cursorPersistFailed(reason: "p"), .timerFired, .stop,
    ]

    static func name(_ input: OutboxMachine.Input) -> String {
        switch input {
        case .started: "started"
        case .rung: "rung"
        case .headRead: "headRead"
        case .batchRead: "batchRead"
        case .readEmpty: "readEmpty"
        case .readFailed: "readFailed"
        case .answered: "answered"
        case .cursorPersisted: "cursorPersisted"
        case .cursorPersistFailed: "cursorPersistFailed"
        case .timerFired: "timerFired"
        case .stop: "stop"
        }
    }

    /// A machine driven into the named state through valid inputs only.
    static func reach(_ name: String) -> OutboxMachine {
        if name == "created" { return machine(started: false) }
        var m = machine(linger: name == "lingering" ? .milliseconds(200) : .zero)
        let batch = Batch(first: 1, last: 3, count: 3)
        switch name {
        case "idle":
            _ = m.handle(.headRead(0), now: at(0))
        case "lingering":
            _ = m.handle(.headRead(3), now: at(0))
        case "reading":
            _ = m.handle(.headRead(3), now: at(0))
        case "sending":
            _ = m.handle(.headRead(3), now: at(0))
            _ = m.handle(.batchRead(batch), now: at(0))
        case "persisting":
            _ = m.handle(.headRead(3), now: at(0))
            _ = m.handle(.batchRead(batch), now: at(0))
            _ = m.handle(.answered(.delivered), now: at(0))
        case "retrying":
            _ = m.handle(.headRead(3), now: at(0))
            _ = m.handle(.batchRead(batch), now: at(0))
            _ = m.handle(.answered(.retry(reason: "x", after: nil)), now: at(0))
        case "stopped":
            _ = m.handle(.headRead(3), now: at(0))
            _ = m.handle(.batchRead(batch), now: at(0))
            _ = m.handle(.answered(.rejected(reason: "x")), now: at(0))
        case "finished":
            _ = m.handle(.stop, now: at(0))
        default:
            Issue.record("no state \(name)")
        }
        return m
    }
}
