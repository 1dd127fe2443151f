import TagwayModel
import Testing
@testable import TagwaySite

/// A gateway whose event log is recreated numbers its events from 1 again: the site keeps its
/// positions per gateway log (`GatewayLogSequencers`), so the new log's events are applied, the
/// old log's redeliveries are still dropped, and a restarted view resumes from its positions.
@Suite struct SiteLogIdentityTests {
    /// One log's events: `seq` from 1, ids unique across logs (as a real log's random ids are).
    struct LogStream {
        let gateway: String
        let log: String
        var seq: Int64 = 0

        mutating func arrived(_ asset: String, at ms: Int64, zone: String = "z1") -> MovementEvent {
            seq += 1
            return MovementEvent(id: "\(gateway)-\(log)-\(seq)", seq: seq, type: .arrived, time: Timestamp(milliseconds: ms), gateway: gateway,
                                 asset: AssetRef(key: asset, scheme: "giai", raw: asset), to: zone)
        }
    }

    /// What a run of the view applied and reported, with the positions the shell would write.
    struct Run {
        var view: SiteView
        var applied: [AppliedPosition] = []
        var problems: [SiteProblem] = []
        var positions: [GatewayLog: LogPosition] = [:]
        var now: Int64 = 1_000_000

        init(_ view: SiteView = SiteView(settings: SiteSettings(reorderWindow: .seconds(2), gapTimeout: .seconds(30)))) {
            self.view = view
        }

        mutating func take(_ output: SiteOutput) {
            applied += output.applied
            problems += output.problems
            for position in output.applied + output.passed {
                let next = max(positions[position.gatewayLog]?.next ?? 0, position.seq + 1)
                positions[position.gatewayLog] = LogPosition(next: next, generation: position.generation)
            }
        }

        mutating func receive(_ events: [MovementEvent], log: String) {
            for event in events {
                now += 10
                take(view.receive(event, at: Timestamp(milliseconds: now), log: log))
            }
        }

        /// Time on past every reorder window (not past a gap's timeout).
        mutating func settle() {
            now += 5_000
            take(view.advance(to: Timestamp(milliseconds: now)))
        }

        func seqs(_ gateway: String, log: String) -> [Int64] {
            applied.filter { $0.gateway == gateway && $0.log == log }.map(\.seq)
        }
    }

    func events(_ gateway: String, log: String, _ count: Int, from ms: Int64 = 0) -> [MovementEvent] {
        var stream = LogStream(gateway: gateway, log: log)
        return (0..<count).map { stream.arrived("\(log)-a\($0)", at: ms + Int64($0)) }
    }

    @Test func aRecreatedLogIsAppliedFromSeqOneAndReportedOnce() {
        var run = Run()
        run.receive(events("dock", log: "A", 5), log: "A")
        run.settle()
        run.receive(events("dock", log: "B", 3, from: 100), log: "B")
        run.settle()
        #expect(run.seqs("dock", log: "A") == [1, 2, 3, 4, 5])
        #expect(run.seqs("dock", log: "B") == [1, 2, 3])
        #expect(run.problems == [.logReplaced(gateway: "dock", from: "A", to: "B")])
        #expect(run.view.currentLog(of: "dock") == GatewayLog(gateway: "dock", log: "B"))
        #expect(run.positions[GatewayLog(gateway: "dock", log: "B")] == LogPosition(next: 4, generation: 1))
        #expect(run.positions[GatewayLog(gateway: "dock", log: "A")] == LogPosition(next: 6, generation: 0))
        #expect(run.view.machine.assets["B-a2"]?.location == SiteLocation(gateway: "dock", zone: "z1"))
    }

    @Test func theOldLogsRedeliveriesAfterTheChangeAreDroppedAgainstItsPosition() {
        var run = Run()
        let old = events("dock", log: "A", 5)
        run.receive(old, log: "A")
        run.receive(events("dock", log: "B", 2, from: 100), log: "B")
        run.receive(old, log: "A")
        run.receive(Array(old.prefix(2)), log: "A")
        run.settle()
        #expect(run.seqs("dock", log: "A") == [1, 2, 3, 4, 5])
        #expect(run.seqs("dock", log: "B") == [1, 2])
        #expect(run.problems == [.logReplaced(gateway: "dock", from: "A", to: "B")])
    }

    @Test func anOldLogEventPastItsPositionIsAppliedOnceAndReported() {
        var run = Run()
        let old = events("dock", log: "A", 6)
        run.receive(Array(old.prefix(5)), log: "A")
        run.receive(events("dock", log: "B", 2, from: 100), log: "B")
        run.receive([old[5], old[5]], log: "A")
        run.settle()
        #expect(run.seqs("dock", log: "A") == [1, 2, 3, 4, 5, 6])
        #expect(run.problems == [.logReplaced(gateway: "dock", from: "A", to: "B"),
                                 .replacedLogEvent(gateway: "dock", log: "A", seq: 6)])
        #expect(run.view.currentLog(of: "dock")?.log == "B", "a late event does not make its log current again")
    }

    @Test func anOldLogsGapStillFillsAfterTheChangeAndOtherGatewaysAreUntouched() {
        var run = Run()
        let old = events("dock", log: "A", 4)
        let store = events("store", log: "S", 4, from: 50)
        run.receive([old[0], old[2], old[3]], log: "A")
        run.receive(Array(store.prefix(2)), log: "S")
        run.receive(events("dock", log: "B", 2, from: 100), log: "B")
        run.receive(Array(store.suffix(2)), log: "S")
        run.receive([old[1]], log: "A")
        run.settle()
        #expect(run.seqs("dock", log: "A") == [1, 2, 3, 4])
        #expect(run.seqs("dock", log: "B") == [1, 2])
        #expect(run.seqs("store", log: "S") == [1, 2, 3, 4])
        #expect(run.problems == [.logReplaced(gateway: "dock", from: "A", to: "B")],
                "the held old events were released by their gap filling, not reported as late")
    }

    @Test func aRestartedViewResumesEachLogFromItsPositionAndKnowsTheCurrentOne() {
        var first = Run()
        let old = events("dock", log: "A", 6)
        let new = events("dock", log: "B", 4, from: 100)
        first.receive(Array(old.prefix(5)), log: "A")
        first.receive(Array(new.prefix(3)), log: "B")
        first.settle()
        var second = Run(SiteView(restoring: first.view.machine, positions: first.positions))
        second.now = first.now
        second.receive(Array(old.prefix(5)), log: "A")
        second.receive(new, log: "B")
        second.receive([old[5]], log: "A")
        second.receive(events("dock", log: "C", 1, from: 200), log: "C")
        second.settle()
        #expect(second.seqs("dock", log: "A") == [6])
        #expect(second.seqs("dock", log: "B") == [4])
        #expect(second.seqs("dock", log: "C") == [1])
        #expect(second.problems == [.replacedLogEvent(gateway: "dock", log: "A", seq: 6),
                                    .logReplaced(gateway: "dock", from: "B", to: "C")])
        #expect(second.positions[GatewayLog(gateway: "dock", log: "C")]?.generation == 2)
    }

    @Test func messagesWithoutIdentityBehaveAsBefore() {
        var run = Run(SiteView(settings: SiteSettings(reorderWindow: .seconds(2)), resume: ["dock": 4]))
        run.receive(events("dock", log: "", 6), log: "")
        run.settle()
        #expect(run.seqs("dock", log: "") == [4, 5, 6])
        #expect(run.problems.isEmpty)
        #expect(run.positions == [GatewayLog(gateway: "dock"): LogPosition(next: 7, generation: 0)])
    }

    @Test func aLogThatStartsSendingItsIdentityContinuesWhereItWas() {
        var run = Run()
        let all = events("dock", log: "", 8)
        run.receive(Array(all.prefix(5)), log: "")
        run.receive(Array(all.suffix(3)), log: "A")
        run.settle()
        #expect(run.seqs("dock", log: "") == [1, 2, 3, 4, 5])
        #expect(run.seqs("dock", log: "A") == [6, 7, 8], "applied at once, no gap 1...5 waited on")
        #expect(run.problems == [.logIdentified(gateway: "dock", log: "A", continuingAt: 6)])
    }

    @Test func aRecreatedLogOfAGatewayWithoutIdentityBeforeStartsAtOne() {
        var run = Run()
        run.receive(events("dock", log: "", 5), log: "")
        run.receive(events("dock", log: "A", 2, from: 100), log: "A")
        run.settle()
        #expect(run.seqs("dock", log: "A") == [1, 2])
        #expect(run.problems == [.logReplaced(gateway: "dock", from: "", to: "A")])
    }
}
