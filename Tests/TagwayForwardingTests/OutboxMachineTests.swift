import Testing
import TagwayModel
import TagwayOutbox

/// The delivery decisions, driven with a fake clock: batching, linger, retries, stops.
@Suite struct OutboxMachineTests {
    var rng = SplitMix(seed: 7)
    let t0 = Timestamp(milliseconds: 1_000_000)

    func machine(maxEvents: Int = 10, linger: Duration = .milliseconds(200), maxAttempts: Int? = nil, cursor: Int64 = 0) -> OutboxMachine {
        OutboxMachine(id: "s", kind: "webhook",
                      policy: DeliveryPolicy(maxEvents: maxEvents, linger: linger, retryInitial: .milliseconds(100),
                                             retryMax: .seconds(2), maxAttempts: maxAttempts),
                      cursor: cursor)
    }

    @Test func idleUntilTheLogGrows() {
        var m = machine()
        #expect(m.next(now: t0) == .wait(until: nil))
        #expect(m.status.state == .idle)
    }

    @Test func aSmallBatchLingersThenGoes() {
        var m = machine()
        m.logAdvanced(to: 3, now: t0)
        #expect(m.next(now: t0) == .wait(until: t0 + .milliseconds(200)))
        #expect(m.status.state == .lingering)
        #expect(m.next(now: t0 + .milliseconds(199)) == .wait(until: t0 + .milliseconds(200)))
        #expect(m.next(now: t0 + .milliseconds(200)) == .fetch(after: 0, limit: 10))
    }

    @Test func aFullBatchGoesAtOnce() {
        var m = machine()
        m.logAdvanced(to: 25, now: t0)
        #expect(m.next(now: t0) == .fetch(after: 0, limit: 10))
    }

    @Test mutating func deliveredMovesTheCursorAndTheRestFollowsWithoutLingering() {
        var m = machine()
        m.logAdvanced(to: 25, now: t0)
        #expect(m.next(now: t0) == .fetch(after: 0, limit: 10))
        m.delivering(first: 1, last: 10, count: 10)
        #expect(m.completed(.delivered, now: t0, using: &rng) == 10)
        #expect(m.cursor == 10)
        #expect(m.next(now: t0) == .fetch(after: 10, limit: 10))
        m.delivering(first: 11, last: 20, count: 10)
        #expect(m.completed(.alreadyDelivered, now: t0, using: &rng) == 20)
        // 5 left: they have waited since t0, so once the linger is over they go.
        #expect(m.next(now: t0 + .milliseconds(300)) == .fetch(after: 20, limit: 10))
        m.delivering(first: 21, last: 25, count: 5)
        #expect(m.completed(.delivered, now: t0, using: &rng) == 25)
        #expect(m.next(now: t0) == .wait(until: nil))
        #expect(m.status.delivered == 25)
        #expect(m.status.backlog == 0)
    }

    @Test mutating func retryBacksOffExponentiallyWithinTheCap() {
        var m = machine(linger: .zero)
        m.logAdvanced(to: 1, now: t0)
        var now = t0
        var delays: [Int64] = []
        for _ in 0..<8 {
            guard case .fetch = m.next(now: now) else { Issue.record("expected a fetch"); return }
            m.delivering(first: 1, last: 1, count: 1)
            #expect(m.completed(.retry(reason: "HTTP 500", after: nil), now: now, using: &rng) == nil)
            guard case .wait(let until?) = m.next(now: now) else { Issue.record("expected a timed wait"); return }
            delays.append(until.milliseconds - now.milliseconds)
            now = until
        }
        #expect(m.cursor == 0)
        #expect(m.status.retried == 8)
        #expect(m.status.state == .retrying)
        #expect(delays.allSatisfy { $0 >= 100 && $0 <= 2000 })
        // Full jitter: the ceiling doubles (100, 200, 400 …) up to the 2 s cap.
        for (attempt, delay) in delays.enumerated() { #expect(delay <= min(2000, 100 << attempt)) }
    }

    @Test mutating func retryAfterIsHonoured() {
        var m = machine(linger: .zero)
        m.logAdvanced(to: 1, now: t0)
        _ = m.next(now: t0)
        m.delivering(first: 1, last: 1, count: 1)
        _ = m.completed(.retry(reason: "HTTP 429", after: .seconds(30)), now: t0, using: &rng)
        #expect(m.next(now: t0) == .wait(until: t0 + .seconds(30)))
        #expect(m.next(now: t0 + .seconds(30)) == .fetch(after: 0, limit: 10))
    }

    @Test mutating func successResetsTheBackoff() {
        var m = machine(linger: .zero)
        m.logAdvanced(to: 2, now: t0)
        var now = t0
        for _ in 0..<5 {
            _ = m.next(now: now)
            m.delivering(first: 1, last: 1, count: 1)
            _ = m.completed(.retry(reason: "x", after: nil), now: now, using: &rng)
            now = now + .seconds(5)
        }
        _ = m.next(now: now)
        m.delivering(first: 1, last: 1, count: 1)
        _ = m.completed(.delivered, now: now, using: &rng)
        _ = m.next(now: now)
        m.delivering(first: 2, last: 2, count: 1)
        _ = m.completed(.retry(reason: "x", after: nil), now: now, using: &rng)
        guard case .wait(let until?) = m.next(now: now) else { Issue.record("expected a timed wait"); return }
        #expect(until.milliseconds - now.milliseconds <= 100)
    }

    @Test mutating func rejectedStopsAndKeepsTheCursor() {
        var m = machine(linger: .zero, cursor: 4)
        m.logAdvanced(to: 9, now: t0)
        #expect(m.next(now: t0) == .fetch(after: 4, limit: 10))
        m.delivering(first: 5, last: 9, count: 5)
        #expect(m.completed(.rejected(reason: "HTTP 401"), now: t0, using: &rng) == nil)
        #expect(m.cursor == 4)
        #expect(m.status.failed == 5)
        #expect(m.next(now: t0 + .seconds(100)) == .stopped(reason: "HTTP 401"))
        #expect(m.status.state == .stopped)
    }

    @Test mutating func maxAttemptsStops() {
        var m = machine(linger: .zero, maxAttempts: 3)
        m.logAdvanced(to: 1, now: t0)
        var now = t0
        for _ in 0..<3 {
            guard case .fetch = m.next(now: now) else { Issue.record("expected a fetch"); return }
            m.delivering(first: 1, last: 1, count: 1)
            _ = m.completed(.retry(reason: "HTTP 503", after: nil), now: now, using: &rng)
            now = now + .seconds(10)
        }
        guard case .stopped(let reason) = m.next(now: now) else { Issue.record("expected a stop"); return }
        #expect(reason.contains("3 attempts"))
        #expect(m.cursor == 0)
    }

    @Test func nothingFetchedMeansCaughtUp() {
        var m = machine(linger: .zero, cursor: 5)
        m.logAdvanced(to: 8, now: t0)
        #expect(m.next(now: t0) == .fetch(after: 5, limit: 10))
        m.fetchedNothing(now: t0)
        #expect(m.next(now: t0) == .wait(until: nil))
    }

    @Test mutating func aLateConfirmationNeverMovesTheCursorBack() {
        var m = machine(linger: .zero, cursor: 50)
        m.logAdvanced(to: 60, now: t0)
        _ = m.next(now: t0)
        m.delivering(first: 30, last: 40, count: 11)
        #expect(m.completed(.delivered, now: t0, using: &rng) == 50)
        #expect(m.cursor == 50)
    }
}

/// A small deterministic generator, so the jitter in these tests is the same on every run.
typealias SplitMix = SplitMix64
