import Testing
import TagwayAPI
@testable import TagwayGateway

/// The pipeline's proof of life without a pulse on a clock (issue 16): an idle pipeline that
/// answered is alive now, a pending question ages from when it was asked, a stalled answer
/// leaves the last beat to age; and the pulse loop only runs on a clock under a watchdog.
@Suite struct HeartbeatRecordTests {
    @Test func nothingAskedIsNoHeartbeatYet() {
        #expect(HeartbeatRecord().evidence(now: .seconds(5)) == nil)
    }

    @Test func anAnsweredPipelineWithNothingPendingIsAliveNowHoweverLongAgoItWasAsked() {
        var record = HeartbeatRecord()
        record.asked(at: .seconds(1))
        record.answered(alive: true, at: .seconds(1))
        #expect(record.evidence(now: .seconds(3600)) == .seconds(3600))
        #expect(record.lastBeat == .seconds(1), "the watchdog still sees the real last beat")
    }

    @Test func aPendingQuestionAgesFromWhenItWasAsked() {
        var record = HeartbeatRecord()
        record.asked(at: .seconds(1))
        record.answered(alive: true, at: .seconds(1))
        record.asked(at: .seconds(100))
        #expect(record.evidence(now: .seconds(101)) == .seconds(100), "busy, not yet late")
        record.asked(at: .seconds(102))
        #expect(record.evidence(now: .seconds(110)) == .seconds(100), "asking again does not make a wedged pipeline young")
        let decision = ReadinessDecision.evaluate(snapshot(lastBeat: record.evidence(now: .seconds(110))), now: .seconds(110))
        #expect(decision.checks.first { $0.name == "pipeline" }?.ok == false)
    }

    @Test func aStalledAnswerLeavesTheLastBeatToAgeWhateverIsAskedNext() {
        var record = HeartbeatRecord()
        record.asked(at: .seconds(1))
        record.answered(alive: true, at: .seconds(1))
        record.asked(at: .seconds(50))
        record.answered(alive: false, at: .seconds(50))
        #expect(record.evidence(now: .seconds(60)) == .seconds(1))
        record.asked(at: .seconds(61))
        #expect(record.evidence(now: .seconds(61)) == .seconds(1))
        record.answered(alive: true, at: .seconds(62))
        #expect(record.evidence(now: .seconds(63)) == .seconds(63), "writes moving again: alive")
    }

    @Test func theHeartbeatPulsesOnAClockOnlyUnderAWatchdog() {
        #expect(PipelineHeartbeat(watchdog: nil, stateInterval: .seconds(1)).pulseInterval == nil)
        #expect(PipelineHeartbeat(watchdog: nil, stateInterval: .seconds(1)).window == .seconds(3))
        let watched = PipelineHeartbeat(watchdog: .seconds(30), stateInterval: .seconds(1))
        #expect(watched.pulseInterval == .milliseconds(7500))
        #expect(watched.window == .seconds(30))
    }

    func snapshot(lastBeat: Duration?) -> ReadinessSnapshot {
        ReadinessSnapshot(log: .init(), lastBeat: lastBeat, beatWindow: .seconds(3), readers: [],
                          readyGrace: .seconds(30), restartReasons: [])
    }
}
