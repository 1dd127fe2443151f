import Testing
import TagwayModel
@testable import TagwayDebounce

/// The debouncer's tables are `FixedBuffer`s, shared between copies until one is written: a copy
/// taken mid-stream and fed on its own must behave as a debouncer that saw its stream alone,
/// and must leave the original untouched (and the other way round).
@Suite struct DebouncerCopyTests {
    private static func reads(seed: UInt64, count: Int, from start: Int64) -> [Read] {
        var rng = SplitMix64(seed: seed)
        var now = start
        return (0..<count).map { _ in
            now += Int64.random(in: 0...30, using: &rng)
            return Read(readPoint: Int32.random(in: 0..<3, using: &rng),
                        tag: TagID(bytes: withUnsafeBytes(of: UInt16(Int.random(in: 0..<40, using: &rng))) { Array($0) }),
                        time: Timestamp(milliseconds: now), rssi: Int.random(in: -70...(-40), using: &rng))
        }
    }

    private static func feed(_ d: inout Debouncer, _ reads: [Read]) -> [Sighting] {
        var out: [Sighting] = []
        for read in reads { d.ingest(read, into: &out) }
        return out
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func copiesFedDifferentStreamsStayIndependent(seed: UInt64) {
        let config = DebouncerConfiguration(maxPresent: 24, ringCapacity: 64, window: .milliseconds(500),
                                            departAfter: .milliseconds(900), arriveAfterReads: 2)
        let common = Self.reads(seed: seed, count: 2_000, from: 0)
        let end = common.last?.time.milliseconds ?? 0
        let left = Self.reads(seed: seed &+ 100, count: 2_000, from: end)
        let right = Self.reads(seed: seed &+ 200, count: 2_000, from: end)

        var original = Debouncer(configuration: config)
        _ = Self.feed(&original, common)
        var copy = original
        let leftOut = Self.feed(&original, left)
        let rightOut = Self.feed(&copy, right)

        // References: one debouncer per branch that never shared its tables.
        var alone = Debouncer(configuration: config)
        _ = Self.feed(&alone, common)
        #expect(Self.feed(&alone, left) == leftOut)
        var other = Debouncer(configuration: config)
        _ = Self.feed(&other, common)
        #expect(Self.feed(&other, right) == rightOut)
        #expect(original.counters == alone.counters && copy.counters == other.counters)
        #expect(original.presentCount == alone.presentCount && copy.presentCount == other.presentCount)
    }

    @Test func aCopyIsNotChangedByAdvancingTheOriginal() {
        var d = Debouncer(configuration: DebouncerConfiguration(maxPresent: 8, ringCapacity: 16, window: .seconds(1),
                                                                departAfter: .seconds(2), arriveAfterReads: 1))
        var out: [Sighting] = []
        let slot = d.ingest(Read(readPoint: 0, tag: TagID(bytes: [1, 2, 3]), time: Timestamp(milliseconds: 0), rssi: -50),
                            into: &out)
        let snapshot = d
        d.advance(to: Timestamp(milliseconds: 10_000), into: &out)
        #expect(d.presentCount == 0 && d.evidence(slot) == nil)
        #expect(snapshot.presentCount == 1)
        #expect(snapshot.evidence(slot)?.windowReads == 1)
    }

    @Test func handlesOutOfRangeAreRejected() {
        var d = Debouncer(configuration: DebouncerConfiguration(maxPresent: 4, ringCapacity: 8))
        let bogus = PresenceSlot(index: 4, generation: 0)
        #expect(d.evidence(bogus) == nil && d.stats(bogus) == nil && d.owner(bogus) == nil)
        d.setOwner(bogus, to: PresenceOwner(index: 1))
        #expect(d.owner(PresenceSlot(index: Int32.max, generation: 0)) == nil)
    }
}
