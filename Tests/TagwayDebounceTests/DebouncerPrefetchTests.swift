import Foundation
import TagwayDebounce
import TagwayModel
import Testing

/// The debouncer's hints (`prefetch`) aim at what the read will touch: at `.slot`, the owner
/// set for the tag (at any of its read points); at `.links`, the slot the read's ingestion finds;
/// a tag not present, one present only at another read point (at `.links`), a departed one and
/// a long id (never hinted: its hash reads a dictionary) name none. A hint's steps never change
/// what the debouncer reports.
@Suite struct DebouncerPrefetchTests {
    static func read(_ hex: String, at point: Int32, _ t: Int64) -> Read {
        Read(readPoint: point, tag: TagID(hex: hex) ?? TagID(bytes: []), time: Timestamp(milliseconds: t), rssi: -50)
    }

    @Test func theLinksHintNamesTheSlotTheReadFinds() {
        var debouncer = Debouncer(configuration: DebouncerConfiguration(maxPresent: 4_096, departAfter: .seconds(10)))
        var sightings: [Sighting] = []
        var slots: [String: PresenceSlot] = [:]
        for n in 0..<3_000 {
            let hex = String(format: "E2801160%016X", n * 7_919)
            let point = Int32(n % 3)
            #expect(debouncer.prefetch(Self.read(hex, at: point, 1), .links) == nil, "not present yet")
            slots[hex] = debouncer.ingest(Self.read(hex, at: point, 1), into: &sightings)
        }
        for (n, (hex, slot)) in slots.enumerated() {
            let point = Int32((Int(hex.suffix(16), radix: 16) ?? 0) / 7_919 % 3)
            for stage in [Debouncer.PrefetchStage.bucket, .tag] {
                #expect(debouncer.prefetch(Self.read(hex, at: point, 2), stage) == nil)
            }
            #expect(debouncer.prefetch(Self.read(hex, at: point, 2), .slot) == nil, "no owner set yet")
            debouncer.setOwner(slot, to: PresenceOwner(index: Int32(n)))
            #expect(debouncer.prefetch(Self.read(hex, at: point, 2), .slot) == .owner(PresenceOwner(index: Int32(n))))
            #expect(debouncer.prefetch(Self.read(hex, at: point + 1, 2), .slot) == .owner(PresenceOwner(index: Int32(n))),
                    "the tag's owner, whatever the read point")
            #expect(debouncer.prefetch(Self.read(hex, at: point, 2), .links) == .slot(slot))
            #expect(debouncer.prefetch(Self.read(hex, at: point + 1, 2), .links) == nil, "another read point's presence")
            #expect(debouncer.ingest(Self.read(hex, at: point, 2), into: &sightings) == slot)
        }
        let long = String(repeating: "AB", count: 24)
        let slot = debouncer.ingest(Self.read(long, at: 0, 3), into: &sightings)
        #expect(debouncer.stats(slot) != nil)
        #expect(debouncer.prefetch(Self.read(long, at: 0, 3), .links) == nil, "long ids are not hinted")
        debouncer.setOwner(slot, to: PresenceOwner(index: 7))
        #expect(debouncer.prefetch(Self.read(long, at: 0, 3), .slot) == nil, "long ids are not hinted")
        // Gone after departAfter: no hint names its old slot.
        debouncer.advance(to: Timestamp(milliseconds: 20_000), into: &sightings)
        #expect(debouncer.presentCount == 0)
        #expect(debouncer.prefetch(Self.read(slots.keys.first ?? "", at: 0, 20_000), .links) == nil)
    }

    @Test func prefetchPaysOnlyPastAMillionBytesOfPresences() {
        var debouncer = Debouncer(configuration: DebouncerConfiguration(maxPresent: 40_000, departAfter: .seconds(10)))
        var sightings: [Sighting] = []
        var n = 0
        while !debouncer.prefetchPays, n < 40_000 {
            let id = TagID(bytes: [0xE2, 0x80] + (0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * $0)) })
            debouncer.ingest(Read(readPoint: 0, tag: id, time: Timestamp(milliseconds: 1), rssi: -50), into: &sightings)
            n += 1
        }
        #expect(debouncer.prefetchPays)
        #expect(n > 5_000 && n < 40_000, "\(n) presences")
    }
}
