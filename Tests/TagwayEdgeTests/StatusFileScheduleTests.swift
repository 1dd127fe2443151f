import Testing
import TagwayGateway

/// status.json is rewritten on change, at most every 2 s, a failure retried after 2 s, and
/// otherwise never (issue 16: an idle gateway leaves it alone).
@Suite struct StatusFileScheduleTests {
    @Test func writtenAtStartThenOnlyWhenSomethingChanges() {
        var schedule = StatusFileSchedule(spacing: .seconds(2))
        #expect(schedule.start(now: .zero) == .write)
        #expect(schedule.wrote(succeeded: true, now: .milliseconds(5)) == .waitForChange, "nothing changed: no deadline")
        #expect(schedule.timerFired(now: .seconds(3600)) == .waitForChange)
        #expect(schedule.changed(now: .seconds(3600)) == .write, "a change long after the last write goes at once")
    }

    @Test func changesCloserThanTheSpacingAreWrittenTogether() {
        var schedule = StatusFileSchedule(spacing: .seconds(2))
        _ = schedule.start(now: .zero)
        _ = schedule.wrote(succeeded: true, now: .zero)
        #expect(schedule.changed(now: .milliseconds(300)) == .sleep(until: .seconds(2)))
        #expect(schedule.changed(now: .milliseconds(900)) == .sleep(until: .seconds(2)))
        // Nothing wakes the writer before its deadline: a change adds nothing to a write due.
        #expect(schedule.timerFired(now: .milliseconds(1500)) == .sleep(until: .seconds(2)))
        #expect(schedule.timerFired(now: .seconds(2)) == .write)
        #expect(schedule.wrote(succeeded: true, now: .seconds(2)) == .waitForChange)
    }

    @Test func aFailedWriteIsRetriedAfterTheSpacingWithoutAChange() {
        var schedule = StatusFileSchedule(spacing: .seconds(2))
        _ = schedule.start(now: .zero)
        #expect(schedule.wrote(succeeded: false, now: .milliseconds(10)) == .sleep(until: .milliseconds(2010)))
        #expect(schedule.timerFired(now: .milliseconds(2010)) == .write)
        #expect(schedule.wrote(succeeded: true, now: .milliseconds(2011)) == .waitForChange)
    }
}
