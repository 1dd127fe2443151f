import Testing
import TagwayDecoders
import TagwayModel
@testable import TagwaySessions

/// The typed counters: monotonic totals, and the `errors` / `decodeDrops` views under their old keys.
@Suite struct ReaderCountersTests {
    typealias T = SessionTest

    @Test func viewsKeepTheirHistoricKeys() {
        var counters = ReaderCounters()
        counters.add(2, to: .linkFailures(kind: "io"))
        counters.add(1, to: .inputPauses)
        counters.add(40, to: .bytesDropped(.garbage))
        counters.add(3, to: .dropEvents(.garbage))
        counters.add(5, to: .scanProblems(.unmappedKey))
        counters.add(4, to: .reconnects)
        #expect(counters.errors == ["io": 2, "input-paused": 1, "garbage": 40, "unmapped-key": 5])
        #expect(counters.decodeDrops == ["garbage": 3, "unmapped-key": 5])
        #expect(counters.reconnects == 4)
    }

    @Test func totalsOnlyGrowAndSaturate() {
        var counters = ReaderCounters()
        counters.add(5, to: .reconnects)
        counters.add(-3, to: .reconnects)
        counters.add(0, to: .reconnects)
        #expect(counters.reconnects == 5)
        counters.add(Int.max, to: .reconnects)
        #expect(counters.reconnects == Int.max)
    }

    @Test func decoderDropsAreReportedAsDeltasAcrossChunksAndConnections() {
        var machine = T.serial()
        var counters = ReaderCounters()
        let id = T.connect(&machine)
        T.counters(machine.handle(.bytes(id, Array("noise".utf8), at: T.t0)), into: &counters)
        T.counters(machine.handle(.bytes(id, Array("xx".utf8) + T.em4100Frame, at: T.t0)), into: &counters)
        #expect(counters[.bytesDropped(.garbage)] == 7, "each byte counted once, however the chunks fell")
        #expect(counters[.dropEvents(.garbage)] == 2)
        let (token, _) = T.timer(machine.handle(.unplugged(id, nil, at: T.t0)), .reopen)!
        let next = T.opens(machine.handle(.timerFired(token, at: T.t0)))!
        _ = machine.handle(.opened(next, at: T.t0))
        T.counters(machine.handle(.bytes(next, Array("z".utf8), at: T.t0)), into: &counters)
        #expect(counters[.bytesDropped(.garbage)] == 8, "totals continue across connections")
    }

    @Test func inputPausesAreDeltasOfThePortsTotal() {
        var machine = T.serial()
        let id = T.connect(&machine)
        #expect(machine.handle(.inputPaused(id, total: 2)) == [.health(.count(.inputPauses, by: 2))])
        #expect(machine.handle(.inputPaused(id, total: 2)).isEmpty)
        #expect(machine.handle(.inputPaused(id, total: 5)) == [.health(.count(.inputPauses, by: 3))])
    }

    @Test func bytesAreCountedEvenWithoutAFrame() {
        var machine = T.serial()
        let id = T.connect(&machine)
        let actions = machine.handle(.bytes(id, Array(T.em4100Frame.prefix(3)), at: T.at(1)))
        #expect(actions == [.health(.received(frames: 0, bytes: 3, at: T.at(1)))])
    }
}
