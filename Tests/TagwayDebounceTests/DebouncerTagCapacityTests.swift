@testable import TagwayDebounce
import TagwayModel
import Testing

/// `maxTags`: the distinct tags present at once. A new tag when they are full evicts the tag of
/// the least recently read presence at every read point (each presence a counted eviction and,
/// once arrived, a `departed` marked evicted); a presence evicted for a slot that was its tag's
/// last frees the tag too, and then no tag is evicted. The owner is the tag's, at any read point.
@Suite struct DebouncerTagCapacityTests {
    static func tag(_ n: UInt8) -> TagID { TagID(bytes: [0xE2, 0x80, 0x11, n]) }
    static func read(_ n: UInt8, at point: Int32, _ t: Int64) -> Read {
        Read(readPoint: point, tag: tag(n), time: Timestamp(milliseconds: t), rssi: -50)
    }

    @Test func aNewTagEvictsTheQuietestTagAtEveryReadPoint() {
        var d = Debouncer(configuration: DebouncerConfiguration(maxPresent: 16, maxTags: 2, departAfter: .seconds(10)))
        var out: [Sighting] = []
        d.ingest(Self.read(1, at: 0, 1), into: &out)
        d.ingest(Self.read(2, at: 0, 2), into: &out)
        d.ingest(Self.read(1, at: 1, 3), into: &out)
        #expect(out.map(\.kind) == [.arrived, .arrived, .arrived])
        out = []
        // Tag 1's presence at 0 is the quietest: tag 1 leaves at 1 and at 0 for tag 3.
        d.ingest(Self.read(3, at: 0, 4), into: &out)
        #expect(out.map { "\($0.kind) \($0.tag == Self.tag(1) ? 1 : $0.tag == Self.tag(3) ? 3 : 0)@\($0.readPoint) \($0.evicted)" }
                == ["departed 1@1 true", "departed 1@0 true", "arrived 3@0 false"])
        #expect(d.counters.evictions == 2 && d.counters.departures == 2)
        #expect(d.presentCount == 2 && d.table.tagCount == 2)
        #expect(d.presence(of: Self.tag(2), at: 0, asOf: Timestamp(milliseconds: 4)) != nil)
        // Then tag 2 is the quietest.
        out = []
        d.ingest(Self.read(1, at: 0, 5), into: &out)
        #expect(out.map(\.kind) == [.departed, .arrived] && out.first?.tag == Self.tag(2))
        #expect(d.counters.evictions == 3)
    }

    @Test func aPresenceEvictedForASlotFreesItsTagFirst() {
        var d = Debouncer(configuration: DebouncerConfiguration(maxPresent: 2, maxTags: 2, departAfter: .seconds(10)))
        var out: [Sighting] = []
        d.ingest(Self.read(1, at: 0, 1), into: &out)
        d.ingest(Self.read(2, at: 0, 2), into: &out)
        out = []
        d.ingest(Self.read(3, at: 0, 3), into: &out)
        #expect(out.map(\.kind) == [.departed, .arrived] && out.first?.tag == Self.tag(1))
        #expect(d.counters.evictions == 1 && d.presentCount == 2 && d.table.tagCount == 2)
    }

    @Test func theOwnerIsTheTagsAtEveryReadPoint() {
        var d = Debouncer(configuration: DebouncerConfiguration(maxPresent: 16, departAfter: .seconds(10)))
        var out: [Sighting] = []
        let first = d.ingest(Self.read(1, at: 0, 1), into: &out)
        d.setOwner(first, to: PresenceOwner(index: 42))
        let second = d.ingest(Self.read(1, at: 3, 2), into: &out)
        #expect(d.owner(second) == PresenceOwner(index: 42))
        let other = d.ingest(Self.read(2, at: 3, 2), into: &out)
        #expect(d.owner(other) == nil, "another tag has its own")
        // The tag leaves at both read points: a new presence of it starts without an owner.
        d.advance(to: Timestamp(milliseconds: 20_000), into: &out)
        #expect(d.owner(first) == nil && d.owner(second) == nil, "stale handles")
        let again = d.ingest(Self.read(1, at: 0, 20_001), into: &out)
        #expect(d.owner(again) == nil)
        #expect(d.table.tagCount == 1)
    }

    /// A tag's entry outlives each of its presences but the last: departures at one read point
    /// keep it for the others, with its owner.
    @Test func aTagStaysWhileAnyReadPointHearsIt() {
        var d = Debouncer(configuration: DebouncerConfiguration(maxPresent: 16, departAfter: .seconds(10)))
        var out: [Sighting] = []
        let first = d.ingest(Self.read(1, at: 0, 0), into: &out)
        d.setOwner(first, to: PresenceOwner(index: 7))
        var slot = first
        for t in stride(from: 1_000, through: 30_000, by: 1_000) { slot = d.ingest(Self.read(1, at: 1, Int64(t)), into: &out) }
        #expect(d.stats(first) == nil, "departed at 0")
        #expect(d.owner(slot) == PresenceOwner(index: 7) && d.table.tagCount == 1 && d.presentCount == 1)
    }
}
