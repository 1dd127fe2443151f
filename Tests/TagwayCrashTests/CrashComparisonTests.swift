import Testing
import TagwayModel

/// The comparison the stress test relies on must itself catch what it claims to: these feed it
/// hand-made logs with each kind of fault.
@Suite struct CrashComparisonTests {
    static let timing = CrashComparison.Timing(departAfter: 4_000, stateInterval: 1_000, poll: 100, tolerance: 500)

    static func event(_ seq: Int64, _ type: EventType, _ asset: String, at ms: Int64, from: String? = nil, to: String? = nil,
                      reason: String? = nil) -> MovementEvent {
        var e = MovementEvent(id: "id-\(seq)-\(asset)-\(ms)", type: type, time: Timestamp(milliseconds: ms), gateway: "g",
                              asset: AssetRef(key: asset, scheme: "giai", raw: asset), from: from, to: to, readPoint: nil,
                              reader: nil, rssi: nil, reads: nil)
        e.seq = seq
        e.reason = reason
        return e
    }

    static let reference = [
        event(1, .arrived, "a", at: 1_000, to: "store"),
        event(2, .arrived, "b", at: 1_100, to: "lab"),
        event(3, .departed, "b", at: 9_000, from: "lab"),
    ]

    func check(_ crashed: [MovementEvent], downtimes: [CrashComparison.Downtime] = []) -> [String] {
        CrashComparison.violations(reference: Self.reference, referenceStart: 0, crashed: crashed, crashedStart: 0,
                                   downtimes: downtimes, timing: Self.timing)
    }

    @Test func theSameEventsPass() {
        #expect(check(Self.reference).isEmpty)
    }

    @Test func aSecondArrivalAfterARestartIsReported() {
        let crashed = Self.reference + [Self.event(4, .arrived, "a", at: 12_000, to: "store")]
        let found = check(crashed, downtimes: [.init(killed: 11_000, ready: 11_800)])
        #expect(found.contains { $0.contains("a: arrived again at seq 4") })
        #expect(found.contains { $0.contains("a: events differ") })
    }

    @Test func aMissingDepartureIsReported() {
        #expect(check(Array(Self.reference.prefix(2))).contains { $0.contains("b: events differ") })
    }

    @Test func aDepartureInADowntimeNeedsItsRealTimeAndReason() {
        let downtime = CrashComparison.Downtime(killed: 5_000, ready: 12_000)
        let real = Array(Self.reference.prefix(2)) + [Self.event(3, .departed, "b", at: 8_800, from: "lab", reason: CrashComparison.restartReason)]
        #expect(check(real, downtimes: [downtime]).isEmpty)
        // Stamped when the gateway came back instead of when it was due.
        let late = Array(Self.reference.prefix(2)) + [Self.event(3, .departed, "b", at: 12_100, from: "lab", reason: CrashComparison.restartReason)]
        #expect(!check(late, downtimes: [downtime]).isEmpty)
        // The real time but without the reason.
        let silent = Array(Self.reference.prefix(2)) + [Self.event(3, .departed, "b", at: 8_800, from: "lab")]
        #expect(check(silent, downtimes: [downtime]).contains { $0.contains("fell in a downtime") })
    }

    /// An asset already silent before the kill is due at its reference time, which may fall just
    /// after the kill: that is its real time, not `departAfter` after the kill.
    @Test func aDepartureDueJustAfterTheKillKeepsItsReferenceTime() {
        let downtime = CrashComparison.Downtime(killed: 8_900, ready: 11_000)
        let due = Array(Self.reference.prefix(2)) + [Self.event(3, .departed, "b", at: 8_950, from: "lab", reason: CrashComparison.restartReason)]
        #expect(check(due, downtimes: [downtime]).isEmpty)
        let late = Array(Self.reference.prefix(2)) + [Self.event(3, .departed, "b", at: 10_900, from: "lab", reason: CrashComparison.restartReason)]
        #expect(!check(late, downtimes: [downtime]).isEmpty)
    }

    /// A stay that began as the gateway was killed may never be seen; the same gap with no
    /// downtime around it is a lost event.
    @Test func aStayUnseenInADowntimeBecomesTheNextArrivalOnlyThere() {
        let reference = [Self.event(1, .arrived, "m", at: 2_000, to: "store"), Self.event(2, .moved, "m", at: 8_000, from: "store", to: "lab")]
        let crashed = [Self.event(1, .arrived, "m", at: 8_200, to: "lab")]
        func check(_ downtimes: [CrashComparison.Downtime]) -> [String] {
            CrashComparison.violations(reference: reference, referenceStart: 0, crashed: crashed, crashedStart: 0,
                                       downtimes: downtimes, timing: Self.timing)
        }
        #expect(check([.init(killed: 1_900, ready: 5_000)]).isEmpty)
        #expect(check([]).contains { $0.contains("m: events differ") })
        #expect(check([.init(killed: 15_000, ready: 16_000)]).contains { $0.contains("m: events differ") })
    }

    @Test func aDoorSideUnseenInADowntimeDropsOnlyTheCrossing() {
        let reference = [Self.event(1, .arrived, "d", at: 12_000, to: "door"), Self.event(2, .passed, "d", at: 17_000, to: "door"),
                         Self.event(3, .departed, "d", at: 26_000, from: "door")]
        var arrival = Self.event(1, .arrived, "d", at: 17_500, to: "door")
        arrival.readPoint = "door-out"
        let crashed = [arrival, Self.event(2, .departed, "d", at: 26_000, from: "door")]
        func check(_ downtimes: [CrashComparison.Downtime]) -> [String] {
            CrashComparison.violations(reference: reference, referenceStart: 0, crashed: crashed, crashedStart: 0,
                                       downtimes: downtimes, timing: Self.timing)
        }
        #expect(check([.init(killed: 12_100, ready: 16_000)]).isEmpty)
        #expect(check([]).contains { $0.contains("d: events differ") })
    }

    @Test func aRestartReasonWithoutARestartIsReported() {
        let crashed = Array(Self.reference.prefix(2)) + [Self.event(3, .departed, "b", at: 9_000, from: "lab", reason: CrashComparison.restartReason)]
        #expect(check(crashed).contains { $0.contains("without a restart") })
    }

    @Test func repeatedIdsAndSeqAreReported() {
        var twice = Self.reference
        twice[2].id = twice[1].id
        twice[2].seq = 2
        let found = check(twice)
        #expect(found.contains { $0.contains("logged twice") })
        #expect(found.contains { $0.contains("seq not increasing") })
    }
}
