@testable import TagwayDebounce
import TagwayModel
import Testing

/// The presence table (its tag table: compact ids, the long-id side store, the hash index, the
/// chains of a tag's presences; the recency list, slot reuse, evictions for a slot and for a tag)
/// against a plain model under random churn.
@Suite struct PresenceTablePropertyTests {
    /// Ids of every length that matters: empty, short, exactly 8 and 16 bytes (the compact
    /// limit), 17 and 32 (kept whole on the side), 40 (a spilled `TagID`), most of them sharing
    /// their first 16 bytes so only the tail tells them apart.
    static func id(_ n: Int) -> TagID {
        let lengths = [0, 1, 5, 8, 12, 16, 17, 24, 32, 40]
        let length = lengths[n % lengths.count]
        var bytes = [UInt8](repeating: 0xE2, count: length)
        if length > 0 { bytes[length - 1] = UInt8(truncatingIfNeeded: n / lengths.count) }
        if length > 1 { bytes[length - 2] = UInt8(truncatingIfNeeded: n / lengths.count / 256) }
        return TagID(bytes: bytes)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func agreesWithAModelUnderChurn(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let capacity = Int.random(in: 1...48, using: &rng)
        let tagCapacity = Int.random(in: 1...capacity, using: &rng)
        var table = PresenceTable(capacity: capacity, tagCapacity: tagCapacity)
        // Model: key -> (slot, generation), and the keys in last-touched order.
        struct Key: Hashable { var point: Int32; var tag: TagID; var scan: Bool }
        var model: [Key: (slot: Int32, generation: UInt32)] = [:]
        var order: [Key] = []
        var time: Int64 = 0
        for _ in 0..<6_000 {
            time += 1
            let key = Key(point: Int32.random(in: 0..<3, using: &rng), tag: Self.id(Int.random(in: 0..<90, using: &rng)),
                          scan: Int.random(in: 0..<8, using: &rng) == 0)
            let presence = PresenceKey(readPoint: key.point, tag: key.tag, isScan: key.scan)
            let other = Int32.random(in: 0..<Int32(capacity), using: &rng)
            #expect(table.holds(other, presence, key.tag) == (model[key]?.slot == other), "slot \(other) checked for \(key.tag.hex)")
            let plain = table.find(presence, tag: key.tag)
            let lookup = table.findForRead(presence, tag: key.tag)
            let found = lookup.slot
            #expect(found == model[key]?.slot && plain == found, "lookup of \(key.tag.hex) at \(key.point)")
            #expect((lookup.entry != nil) == model.keys.contains { $0.tag == key.tag })
            #expect(table.tagEntry(of: presence, tag: key.tag) == lookup.entry)
            if let slot = found {
                if Int.random(in: 0..<6, using: &rng) == 0 {
                    let generation = table.generation(slot)
                    table.remove(slot)
                    model[key] = nil
                    order.removeAll { $0 == key }
                    #expect(table.generation(slot) != generation, "a freed slot keeps its generation")
                } else {
                    table.touch(slot, at: time)
                    order.removeAll { $0 == key }
                    order.append(key)
                }
            } else {
                if table.isFull, let oldest = table.oldest {
                    // An eviction: the oldest is the key touched longest ago.
                    #expect(order.first.flatMap { model[$0]?.slot } == oldest)
                    if let gone = order.first { model[gone] = nil }
                    order.removeFirst()
                    table.remove(oldest)
                }
                if table.tagsFull, table.tagEntry(of: presence, tag: key.tag) == nil, let oldest = table.oldest,
                   let victim = order.first?.tag {
                    // The oldest presence's tag leaves at every read point, newest first.
                    #expect(table.tag(oldest) == victim)
                    let gone = order.filter { $0.tag == victim }
                    var chained: [Int32] = []
                    var slot = table.head(ofTag: table.tagEntry(oldest))
                    while slot != PresenceTable.none {
                        chained.append(slot)
                        let next = table.chainNext(slot)
                        table.remove(slot)
                        slot = next
                    }
                    #expect(chained.count == gone.count && Set(chained) == Set(gone.compactMap { model[$0]?.slot }),
                            "the tag's chain is its presences, each once")
                    for key in gone { model[key] = nil }
                    order.removeAll { $0.tag == victim }
                    #expect(!table.tagsFull)
                }
                let slot = table.insert(presence, tag: key.tag, entry: table.tagEntry(of: presence, tag: key.tag), at: time,
                                        isScan: key.scan)
                #expect(table.tag(slot) == key.tag)
                #expect(table.readPoint(slot) == key.point && table.isScan(slot) == key.scan)
                #expect(model.values.allSatisfy { $0.slot != slot }, "slot \(slot) handed out twice")
                model[key] = (slot, table.generation(slot))
                order.append(key)
            }
            #expect(table.count == model.count)
            #expect(table.tagCount == Set(model.keys.map(\.tag)).count && table.tagCount <= tagCapacity)
            // The tag's chain is its presences in last-read order (every read here found its slot
            // through `findForRead` or inserted it).
            if let slot = model[key]?.slot {
                var chained: [Int32] = []
                var cursor = table.head(ofTag: table.tagEntry(slot))
                while cursor != PresenceTable.none, chained.count <= capacity {
                    chained.append(cursor)
                    cursor = table.chainNext(cursor)
                }
                #expect(chained == order.reversed().filter { $0.tag == key.tag }.compactMap { model[$0]?.slot })
            }
        }
        // Every key still present is found, with its own tag and generation; the list walks
        // them newest first.
        for (key, entry) in model {
            #expect(table.find(PresenceKey(readPoint: key.point, tag: key.tag, isScan: key.scan), tag: key.tag) == entry.slot)
            #expect(table.tag(entry.slot) == key.tag)
            #expect(table.generation(entry.slot) == entry.generation)
        }
        var walked: [Int32] = []
        table.visitNewest { walked.append($0) }
        #expect(walked == order.reversed().compactMap { model[$0]?.slot })
    }

    /// The compact form of an id is the id: rebuilt from its two words and length it is equal
    /// (and hashes equal), for every length up to the compact limit.
    @Test func compactIdsRoundTrip() {
        var rng = SplitMix64(seed: 42)
        for length in 0...TagID.compactCapacity {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
                let id = TagID(bytes: bytes)
                let rebuilt = TagID(leadingWords: id.leadingWords, count: id.count)
                #expect(rebuilt == id && rebuilt.bytes == bytes && rebuilt.hashValue == id.hashValue)
            }
        }
        let long = TagID(bytes: (0..<40).map { UInt8($0) })
        #expect(TagID(leadingWords: long.leadingWords, count: 16).bytes == Array(0..<16))
        // Garbage past the length is not part of the id.
        #expect(TagID(leadingWords: (.max, .max), count: 3) == TagID(bytes: [0xFF, 0xFF, 0xFF]))
    }
}
