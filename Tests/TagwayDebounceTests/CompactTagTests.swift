import Testing
import TagwayModel
@testable import TagwayDebounce

/// The compact id form and its long-id side store, shared by the presence and asset tables.
@Suite struct CompactTagTests {
    /// Ids of every length around the compact limit, sharing their first 16 bytes.
    static let ids: [TagID] = [0, 1, 7, 8, 12, 15, 16, 17, 24, 32, 33, 40].flatMap { length in
        (0..<(length == 0 ? 1 : 3)).map { n in
            var bytes = [UInt8](repeating: 0xE2, count: length)
            if length > 0 { bytes[length - 1] = UInt8(n) }
            return TagID(bytes: bytes)
        }
    }

    @Test func everyIdRoundTripsThroughItsEntry() {
        var store = LongTagStore()
        for (i, id) in Self.ids.enumerated() { store.keep(id, at: Int32(i)) }
        for (i, id) in Self.ids.enumerated() {
            let compact = CompactTag(id)
            #expect(compact.isLong == (id.count > TagID.compactCapacity))
            #expect(store.tag(compact, at: Int32(i)) == id, "\(id.hex)")
            for other in Self.ids {
                #expect(store.holds(compact, at: Int32(i), CompactTag(other), other) == (id == other),
                        "entry \(id.hex) against \(other.hex)")
            }
        }
    }

    /// A dropped entry keeps no long id: a new long id at the same index is not taken for it.
    @Test func aDroppedEntryForgetsItsLongID() {
        var store = LongTagStore()
        let long = Self.ids[Self.ids.count - 1], other = Self.ids[Self.ids.count - 2]
        store.keep(long, at: 5)
        store.drop(at: 5)
        #expect(!store.holds(CompactTag(long), at: 5, CompactTag(long), long))
        store.keep(other, at: 5)
        #expect(store.holds(CompactTag(other), at: 5, CompactTag(other), other))
        #expect(!store.keepsWhole(long, at: 5))
    }
}
