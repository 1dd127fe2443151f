import Testing
import TagwayModel
@testable import TagwayDebounce

private func tag(_ n: Int) -> TagID { TagID(bytes: [0xE2, 0x00, UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]) }
private func at(_ ms: Int64) -> Timestamp { Timestamp(milliseconds: 1_700_000_000_000 + ms) }

@Suite struct DebouncerTests {
    @Test func repeatedReadsAreOneArrival() {
        var d = Debouncer(configuration: .init(departAfter: .seconds(5)))
        var out: [Sighting] = []
        for i in 0..<500 { d.ingest(Read(readPoint: 0, tag: tag(1), time: at(Int64(i) * 10), rssi: -50), into: &out) }
        #expect(out.map(\.kind) == [.arrived])
        #expect(out[0].time == at(0))
        #expect(d.presentCount == 1)
    }

    @Test func silenceMeansDeparture() {
        var d = Debouncer(configuration: .init(departAfter: .seconds(5)))
        var out: [Sighting] = []
        d.ingest(Read(readPoint: 0, tag: tag(1), time: at(0), rssi: -60), into: &out)
        d.ingest(Read(readPoint: 0, tag: tag(1), time: at(1000), rssi: -40), into: &out)
        #expect(d.nextDeadline == at(6000))
        d.advance(to: at(5999), into: &out)
        #expect(out.map(\.kind) == [.arrived])
        d.advance(to: at(6000), into: &out)
        #expect(out.map(\.kind) == [.arrived, .departed])
        #expect(out[1].time == at(6000))
        #expect(out[1].reads == 2)
        #expect(out[1].peakRSSI == -40)
        #expect(d.presentCount == 0)
        #expect(d.nextDeadline == nil)
    }

    @Test func departureTimeDoesNotDependOnWhenTheCheckRan() {
        var d = Debouncer(configuration: .init(departAfter: .seconds(5)))
        var out: [Sighting] = []
        d.ingest(Read(readPoint: 0, tag: tag(1), time: at(0)), into: &out)
        d.ingest(Read(readPoint: 0, tag: tag(2), time: at(60_000)), into: &out)
        #expect(out.map(\.kind) == [.arrived, .departed, .arrived])
        #expect(out[1].time == at(5000))
    }

    @Test func readPointsAreSeparate() {
        var d = Debouncer()
        var out: [Sighting] = []
        d.ingest(Read(readPoint: 0, tag: tag(1), time: at(0)), into: &out)
        d.ingest(Read(readPoint: 1, tag: tag(1), time: at(1)), into: &out)
        #expect(out.map(\.readPoint) == [0, 1])
    }

    @Test func strayReadsBelowTheArrivalThresholdAreIgnored() {
        var d = Debouncer(configuration: .init(window: .seconds(1), departAfter: .seconds(3), arriveAfterReads: 3))
        var out: [Sighting] = []
        d.ingest(Read(readPoint: 0, tag: tag(1), time: at(0)), into: &out)
        d.ingest(Read(readPoint: 0, tag: tag(1), time: at(1500)), into: &out)
        d.ingest(Read(readPoint: 0, tag: tag(1), time: at(3000)), into: &out)
        #expect(out.isEmpty, "reads spread wider than the window never confirm")
        d.ingest(Read(readPoint: 0, tag: tag(1), time: at(3100)), into: &out)
        d.ingest(Read(readPoint: 0, tag: tag(1), time: at(3200)), into: &out)
        #expect(out.map(\.kind) == [.arrived])
        d.advance(to: at(100_000), into: &out)
        #expect(out.map(\.kind) == [.arrived, .departed])
    }

    @Test func windowStatisticsSlide() {
        var d = Debouncer(configuration: .init(window: .seconds(1)))
        var out: [Sighting] = []
        let slot = d.ingest(Read(readPoint: 0, tag: tag(1), time: at(0), rssi: -70), into: &out)
        d.ingest(Read(readPoint: 0, tag: tag(1), time: at(600), rssi: -50), into: &out)
        #expect(d.stats(slot)?.windowMeanRSSI == -60)
        d.ingest(Read(readPoint: 0, tag: tag(1), time: at(1200), rssi: -40), into: &out)
        #expect(d.stats(slot)?.windowMeanRSSI == -45)
        #expect(d.stats(slot)?.windowReads == 2)
        #expect(d.stats(slot)?.totalReads == 3)
    }

    @Test func fullTableEvictsTheQuietestTag() {
        var d = Debouncer(configuration: .init(maxPresent: 2, ringCapacity: 4))
        var out: [Sighting] = []
        d.ingest(Read(readPoint: 0, tag: tag(1), time: at(0)), into: &out)
        d.ingest(Read(readPoint: 0, tag: tag(2), time: at(1)), into: &out)
        d.ingest(Read(readPoint: 0, tag: tag(1), time: at(2)), into: &out)
        d.ingest(Read(readPoint: 0, tag: tag(3), time: at(3)), into: &out)
        #expect(out.map(\.kind) == [.arrived, .arrived, .departed, .arrived])
        #expect(out[2].tag == tag(2) && out[2].evicted)
        #expect(d.counters.evictions == 1)
        #expect(d.presentCount == 2)
    }

    @Test func scansAreOneShotWithOptionalHoldoff() {
        var plain = Debouncer()
        var out: [Sighting] = []
        let code = TagID(bytes: Array("4006381333931".utf8))
        plain.ingestScan(readPoint: 2, code: code, time: at(0), into: &out)
        plain.ingestScan(readPoint: 2, code: code, time: at(10), into: &out)
        #expect(out.map(\.kind) == [.observed, .observed])
        #expect(plain.presentCount == 0)

        var held = Debouncer(configuration: .init(scanHoldoff: .seconds(1)))
        out = []
        held.ingestScan(readPoint: 2, code: code, time: at(0), into: &out)
        held.ingestScan(readPoint: 2, code: code, time: at(500), into: &out)
        held.ingestScan(readPoint: 2, code: code, time: at(2000), into: &out)
        #expect(out.map(\.kind) == [.observed, .observed])
        #expect(held.counters.scansHeldOff == 1)
    }

    @Test func lateReadsDoNotMoveTimeBackwards() {
        var d = Debouncer(configuration: .init(departAfter: .seconds(5)))
        var out: [Sighting] = []
        d.ingest(Read(readPoint: 0, tag: tag(1), time: at(10_000)), into: &out)
        d.ingest(Read(readPoint: 1, tag: tag(2), time: at(0)), into: &out)
        #expect(out[1].time == at(10_000))
        #expect(d.counters.lateReads == 1)
    }
}
