import TagwayModel
import Testing
@testable import TagwaySite

/// One gateway's events back in `seq` order, each once: redeliveries dropped, gaps held until
/// filled, given up on after the timeout or past the bound, and reported.
@Suite struct GatewaySequencerTests {
    func events(_ count: Int) -> [MovementEvent] {
        var stream = GatewayStream("dock")
        return (0..<count).map { stream.event(.arrived, "a\($0)", at: Int64($0), to: "z") }
    }

    @Test func inOrderPassesThroughAndRedeliveriesAreDropped() {
        var sequencer = GatewaySequencer(gapTimeout: .seconds(30), maxHeld: 100)
        let all = events(5)
        var out: [Int64] = []
        for event in all + all.prefix(3) { out += sequencer.receive(event, at: at(0)).released.compactMap(\.seq) }
        #expect(out == [1, 2, 3, 4, 5])
        #expect(sequencer.counters.duplicates == 3)
        #expect(sequencer.next == 6)
    }

    @Test func aGapIsHeldUntilFilledAndAHeldEventRedeliveredCountsOnce() {
        var sequencer = GatewaySequencer(gapTimeout: .seconds(30), maxHeld: 100)
        let all = events(5)
        #expect(sequencer.receive(all[0], at: at(0)).released.map(\.seq) == [1])
        #expect(sequencer.receive(all[2], at: at(1)).released.isEmpty)
        #expect(sequencer.receive(all[3], at: at(2)).released.isEmpty)
        #expect(sequencer.receive(all[3], at: at(3)).released.isEmpty)
        #expect(sequencer.counters.duplicates == 1)
        #expect(sequencer.nextDeadline == at(1) + .seconds(30))
        #expect(sequencer.receive(all[1], at: at(4)).released.map(\.seq) == [2, 3, 4])
        #expect(sequencer.nextDeadline == nil)
    }

    @Test func aGapThatNeverFillsIsSkippedAfterTheTimeoutAndReported() {
        var sequencer = GatewaySequencer(gapTimeout: .seconds(30), maxHeld: 100)
        let all = events(6)
        _ = sequencer.receive(all[0], at: at(0))
        _ = sequencer.receive(all[3], at: at(1_000))
        _ = sequencer.receive(all[5], at: at(2_000))
        #expect(sequencer.advance(to: at(30_999)).released.isEmpty)
        let (released, gap) = sequencer.advance(to: at(31_000))
        #expect(released.map(\.seq) == [4])
        #expect(gap == GatewaySequencer.SkippedGap(from: 2, through: 3))
        // The second gap (5) is timed from when the first was given up.
        #expect(sequencer.nextDeadline == at(61_000))
        let second = sequencer.advance(to: at(61_000))
        #expect(second.released.map(\.seq) == [6])
        #expect(second.skipped == GatewaySequencer.SkippedGap(from: 5, through: 5))
        #expect(sequencer.counters.gapsSkipped == 2 && sequencer.counters.eventsMissed == 3)
        // A straggler of a skipped gap is a duplicate now, never applied out of order.
        #expect(sequencer.receive(all[1], at: at(62_000)).released.isEmpty)
        #expect(sequencer.counters.duplicates == 1)
    }

    @Test func aFloodPastTheBoundSkipsTheGapAtOnce() {
        var sequencer = GatewaySequencer(gapTimeout: .seconds(30), maxHeld: 3)
        let all = events(8)
        _ = sequencer.receive(all[0], at: at(0))
        for i in 2..<5 { #expect(sequencer.receive(all[i], at: at(1)).released.isEmpty) }
        let (released, gap) = sequencer.receive(all[5], at: at(1))
        #expect(gap == GatewaySequencer.SkippedGap(from: 2, through: 2))
        #expect(released.map(\.seq) == [3, 4, 5, 6])
        #expect(sequencer.heldCount == 0)
    }

    @Test func aResumedSequencerDropsWhatWasAppliedBeforeTheRestart() {
        var sequencer = GatewaySequencer(next: 4, gapTimeout: .seconds(30), maxHeld: 100)
        let all = events(5)
        var out: [Int64] = []
        for event in all { out += sequencer.receive(event, at: at(0)).released.compactMap(\.seq) }
        #expect(out == [4, 5])
        #expect(sequencer.counters.duplicates == 3)
    }
}
