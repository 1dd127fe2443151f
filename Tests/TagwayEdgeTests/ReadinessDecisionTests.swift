import Testing
import TagwayAPI
import TagwayModel
@testable import TagwayGateway

/// `/readyz`'s decision as a pure function of a snapshot and a monotonic `now`.
@Suite struct ReadinessDecisionTests {
    typealias Reader = ReadinessSnapshot.Reader

    func snapshot(readers: [Reader] = [], lastBeat: Duration? = .seconds(99), log: LogWriteHealth.Snapshot = .init(),
                  restart: [String] = []) -> ReadinessSnapshot {
        ReadinessSnapshot(log: log, lastBeat: lastBeat, beatWindow: .seconds(30), readers: readers,
                          readyGrace: .seconds(30), restartReasons: restart)
    }

    func check(_ r: Readiness, _ name: String) -> Readiness.Check? { r.checks.first { $0.name == name } }

    @Test func aHealthyGatewayIsReady() {
        let r = ReadinessDecision.evaluate(snapshot(readers: [Reader(id: "r1", required: true, connected: true, unconnectedSince: nil)]),
                                           now: .seconds(100))
        #expect(r.ready)
        #expect(r.checks.map(\.name) == ["log", "pipeline", "reader:r1", "restart"])
        #expect(r.json.hasPrefix(#"{"ready":true,"checks":[{"name":"log","ok":true,"detail":"writable"}"#))
    }

    @Test func aRequiredReaderIsForgivenOnlyDuringItsGrace() {
        let reader = Reader(id: "dock", required: true, connected: false, unconnectedSince: .seconds(10), lastError: "no such file")
        let inGrace = ReadinessDecision.evaluate(snapshot(readers: [reader]), now: .seconds(40))
        #expect(inGrace.ready)
        #expect(check(inGrace, "reader:dock")?.detail.contains("grace") == true)
        let past = ReadinessDecision.evaluate(snapshot(readers: [reader], lastBeat: .seconds(41)), now: .seconds(41))
        #expect(!past.ready)
        #expect(check(past, "reader:dock")?.ok == false)
        #expect(check(past, "reader:dock")?.detail == "not connected for 31.0s (no such file); grace period 30.0s passed")
    }

    @Test func anOptionalReaderNeverBlocks() {
        let spare = Reader(id: "spare", required: false, connected: false, unconnectedSince: .zero)
        let r = ReadinessDecision.evaluate(snapshot(readers: [spare], lastBeat: .seconds(3_600)), now: .seconds(3_600))
        #expect(r.ready)
        #expect(check(r, "reader:spare")?.detail.hasSuffix("not required") == true)
    }

    @Test func aSilentPipelineIsNotReady() {
        #expect(!ReadinessDecision.evaluate(snapshot(lastBeat: nil), now: .seconds(1)).ready)
        #expect(ReadinessDecision.evaluate(snapshot(lastBeat: .seconds(70)), now: .seconds(100)).ready)
        let wedged = ReadinessDecision.evaluate(snapshot(lastBeat: .seconds(69)), now: .seconds(100))
        #expect(!wedged.ready)
        #expect(check(wedged, "pipeline")?.detail == "no heartbeat for 31.0s (limit 30.0s)")
    }

    @Test func aLogThatRefusesWritesOrIsLostIsNotReady() {
        var failing = LogWriteHealth.Snapshot()
        failing.failingSince = Timestamp(milliseconds: 0)
        failing.lastError = "disk full"
        failing.heldEvents = 12
        let full = ReadinessDecision.evaluate(snapshot(log: failing), now: .seconds(100))
        #expect(!full.ready)
        #expect(check(full, "log")?.detail.contains("disk full") == true)
        var lost = LogWriteHealth.Snapshot()
        lost.fatal = "the log file was deleted"
        #expect(check(ReadinessDecision.evaluate(snapshot(log: lost), now: .seconds(100)), "log")?.ok == false)
    }

    @Test func aPendingRestartIsShownButLeavesReadinessAlone() {
        let r = ReadinessDecision.evaluate(snapshot(restart: ["readers (port of r1)", "gateway.dataDir"]), now: .seconds(100))
        #expect(r.ready)
        #expect(check(r, "restart")?.detail == "changed on reload, applied at the next restart: readers (port of r1); gateway.dataDir")
    }

    @Test func graceCountsFromTheStartOrFromWhenTheReaderWasLost() {
        var tracker = ReaderGraceTracker(readers: ["a", "b"], start: .seconds(5))
        #expect(tracker.unconnectedSince("a") == .seconds(5))
        tracker.observe(reader: "a", connected: true, now: .seconds(6))
        #expect(tracker.unconnectedSince("a") == nil)
        tracker.observe(reader: "a", connected: false, now: .seconds(50))
        tracker.observe(reader: "a", connected: false, now: .seconds(60))
        #expect(tracker.unconnectedSince("a") == .seconds(50))
        tracker.observe(reader: "b", connected: false, now: .seconds(60))
        #expect(tracker.unconnectedSince("b") == .seconds(5))
    }
}
