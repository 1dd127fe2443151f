import Testing
import TagwayModel
@testable import TagwayDebounce

/// The owner a consumer keeps in a presence slot (the movement engine's asset) lasts exactly as
/// long as the presence: reads keep it, a departure or eviction drops it, and a slot taken by
/// another tag starts with none.
@Suite struct PresenceOwnerTests {
    private func read(_ n: UInt8, at ms: Int64, point: Int32 = 0) -> Read {
        Read(readPoint: point, tag: TagID(bytes: [0xE2, n]), time: Timestamp(milliseconds: ms), rssi: -50)
    }

    @Test func anOwnerLastsWhileThePresenceDoes() {
        var d = Debouncer(configuration: .init(maxPresent: 2, departAfter: .seconds(1)))
        var out: [Sighting] = []
        let slot = d.ingest(read(1, at: 0), into: &out)
        #expect(d.owner(slot) == nil)
        d.setOwner(slot, to: PresenceOwner(index: 7))
        #expect(d.ingest(read(1, at: 10), into: &out) == slot)
        #expect(d.owner(slot) == PresenceOwner(index: 7))

        // Departure: the handle is stale, and the slot's next tag has no owner.
        d.advance(to: Timestamp(milliseconds: 2000), into: &out)
        #expect(d.owner(slot) == nil)
        let next = d.ingest(read(2, at: 2001), into: &out)
        #expect(d.owner(next) == nil)
        d.setOwner(slot, to: PresenceOwner(index: 9))   // stale: ignored
        #expect(d.owner(next) == nil)
    }

    @Test func evictionDropsTheOwner() {
        var d = Debouncer(configuration: .init(maxPresent: 1, departAfter: .seconds(60)))
        var out: [Sighting] = []
        let first = d.ingest(read(1, at: 0), into: &out)
        d.setOwner(first, to: PresenceOwner(index: 1))
        let second = d.ingest(read(2, at: 5), into: &out)
        #expect(second.index == first.index && second.generation != first.generation)
        #expect(d.owner(first) == nil && d.owner(second) == nil)
        #expect(out.map(\.kind) == [.arrived, .departed, .arrived] && out[1].evicted)
    }
}
