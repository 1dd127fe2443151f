import Testing
import TagwayDelivery
import TagwayModel

/// When retention runs: on a change of the log (at most once per spacing) and when the oldest
/// kept event crosses maxAge, and otherwise never (issue 16: an idle gateway is not woken).
@Suite struct RetentionScheduleTests {
    func ms(_ milliseconds: Int64) -> MonotonicInstant { MonotonicInstant(milliseconds: milliseconds) }

    @Test func aPassAtStartThenNoDeadlineWhenNothingIsDue() {
        var schedule = RetentionSchedule(spacing: .seconds(10))
        #expect(schedule.start(now: ms(0)) == .pass)
        #expect(schedule.passed(ageCrossingIn: nil, now: ms(40)) == .sleep(until: nil), "nothing will age out: asleep for good")
        #expect(schedule.timerFired(now: ms(3_600_000)) == .sleep(until: nil), "a stale timer changes nothing")
    }

    @Test func aChangeRunsAPassNoSoonerThanTheSpacingAfterTheLast() {
        var schedule = RetentionSchedule(spacing: .seconds(10))
        _ = schedule.start(now: ms(0))
        _ = schedule.passed(ageCrossingIn: nil, now: ms(0))
        #expect(schedule.rung(now: ms(2_000)) == .sleep(until: ms(10_000)), "a commit 2 s after the pass waits for the spacing")
        #expect(schedule.rung(now: ms(5_000)) == .sleep(until: ms(10_000)), "more commits meanwhile: still one pass")
        #expect(schedule.timerFired(now: ms(10_000)) == .pass)
        #expect(schedule.passed(ageCrossingIn: nil, now: ms(10_050)) == .sleep(until: nil))
        #expect(schedule.rung(now: ms(600_000)) == .pass, "long after the last pass a change is acted on at once")
    }

    @Test func theOldestKeptEventCrossingMaxAgeIsTheDeadline() {
        var schedule = RetentionSchedule(spacing: .seconds(10))
        _ = schedule.start(now: ms(0))
        let hour: Int64 = 3_600_000
        #expect(schedule.passed(ageCrossingIn: .seconds(5 * 3600), now: ms(100)) == .sleep(until: ms(100 + 5 * hour)))
        #expect(schedule.timerFired(now: ms(100 + 5 * hour)) == .pass)
        // An event due sooner than the spacing still waits for it.
        #expect(schedule.passed(ageCrossingIn: .milliseconds(1), now: ms(200 + 5 * hour)) == .sleep(until: ms(10_200 + 5 * hour)))
    }

    @Test func aChangeBeforeTheAgeDeadlineComesFirst() {
        var schedule = RetentionSchedule(spacing: .seconds(10))
        _ = schedule.start(now: ms(0))
        _ = schedule.passed(ageCrossingIn: .seconds(3600), now: ms(0))
        #expect(schedule.rung(now: ms(60_000)) == .pass)
        #expect(schedule.passed(ageCrossingIn: .seconds(3540), now: ms(60_000)) == .sleep(until: ms(3_600_000)))
    }

    @Test func theAgeCrossingIsJustPastMaxAgeOfTheOldestKeptEvent() {
        let policy = RetentionPolicy(maxEvents: nil, maxAge: .seconds(3600))
        let now = Timestamp(milliseconds: 10_000_000)
        let oldest = Timestamp(milliseconds: 9_000_000)
        let crossing = RetentionPlan.ageCrossing(policy: policy, oldestKept: oldest, now: now)
        #expect(crossing == .milliseconds(3_600_000 - 1_000_000 + 1))
        // At that moment the pass's cutoff is past the event: it is pruned then, not a tick later.
        let then = now + (crossing ?? .zero)
        let cutoff = RetentionPlan.cutoff(policy: policy, now: then)
        #expect(cutoff.map { oldest < $0 } == true)
        #expect(RetentionPlan.ageCrossing(policy: RetentionPolicy(maxAge: nil), oldestKept: oldest, now: now) == nil)
        #expect(RetentionPlan.ageCrossing(policy: policy, oldestKept: nil, now: now) == nil)
        #expect(RetentionPlan.ageCrossing(policy: policy, oldestKept: Timestamp(milliseconds: .min), now: now) == .zero,
                "a stamp too old to count is due at once, not a trap")
    }
}
