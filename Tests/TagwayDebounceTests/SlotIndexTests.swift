@testable import TagwayDebounce
import Testing

/// The presence table's open-addressing index against a dictionary, under churn and with
/// hashes forced to collide (few distinct values, so runs wrap and removals shift entries).
@Suite struct SlotIndexTests {
    @Test(arguments: [UInt64(3), 64, 1 << 40])
    func agreesWithADictionaryUnderChurn(spread: UInt64) {
        var index = SlotIndex(capacity: 256)
        var model: [Int32: UInt64] = [:]
        var state: UInt64 = spread
        for step in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let slot = Int32(state >> 56)   // 0...255
            // Rotated so the few distinct values also differ in the bits the index files by.
            let hash = ((state >> 8) % spread &* 0x9E37_79B9_7F4A_7C15).rotated(by: 32)
            if model[slot] != nil, state & 0x100 != 0 {
                index.remove(slot, hash: model[slot] ?? 0) { model[$0] ?? 0 }
                model[slot] = nil
            } else if model[slot] == nil {
                index.insert(slot, hash: hash)
                model[slot] = hash
            }
            guard step % 97 == 0 else { continue }
            for (known, knownHash) in model {
                #expect(index.find(hash: knownHash) { $0 == known } == known)
            }
        }
        for candidate in Int32(0)..<256 where model[candidate] == nil {
            for hash in Set(model.values) { #expect(index.find(hash: hash) { $0 == candidate } == nil) }
        }
    }

    /// A bucket is the slot under a fingerprint: the last slot of a power-of-two capacity under
    /// an all-ones hash must not read as an empty bucket.
    @Test(arguments: [1, 15, 16, 17, 1 << 20])
    func theLastSlotUnderAnAllOnesHashIsFound(capacity: Int) {
        var index = SlotIndex(capacity: capacity)
        let last = Int32(capacity - 1)
        index.insert(last, hash: .max)
        #expect(index.find(hash: .max) { $0 == last } == last)
        index.remove(last, hash: .max) { _ in .max }
        #expect(index.find(hash: .max) { _ in true } == nil)
    }

    /// Filled to its capacity (three quarters of a size that is no power of two), with homes
    /// crowded at the array's end so runs wrap to its start, every slot is found, and stays found
    /// while the others are removed one by one in a scrambled order.
    @Test(arguments: [1, 7, 1000, 4099])
    func aFullIndexWrapsAndShrinksBackCorrectly(capacity: Int) {
        var index = SlotIndex(capacity: capacity)
        // High words in the top eighth of their range: every home lies in the last eighth.
        func hash(_ slot: Int32) -> UInt64 {
            let high = UInt64(0xE000_0000) | (UInt64(UInt32(bitPattern: slot)) &* 0x9E37_79B9 & 0x1FFF_FFFF)
            return high << 32 | UInt64(UInt32(bitPattern: slot)) &* 0x85EB_CA6B
        }
        for slot in 0..<Int32(capacity) { index.insert(slot, hash: hash(slot)) }
        for slot in 0..<Int32(capacity) { #expect(index.find(hash: hash(slot)) { $0 == slot } == slot) }
        var remaining = Set(0..<Int32(capacity))
        var order = Array(0..<Int32(capacity))
        var state: UInt64 = 42
        for i in order.indices.reversed() {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            order.swapAt(i, Int(state >> 33) % (i + 1))
        }
        for (n, slot) in order.enumerated() {
            index.remove(slot, hash: hash(slot), hashOf: hash)
            remaining.remove(slot)
            #expect(index.find(hash: hash(slot)) { $0 == slot } == nil)
            guard n % max(1, capacity / 16) == 0 else { continue }
            for other in remaining { #expect(index.find(hash: hash(other)) { $0 == other } == other) }
        }
    }

    /// The home bucket scales the hash's high word to the array: the whole range of high words
    /// covers the whole array, evenly (a lookup's cost depends on it; correctness does not, so the
    /// other tests would pass with every key filed at one bucket).
    @Test(arguments: [1, 1000, 400_000])
    func homesSpreadOverTheWholeArray(capacity: Int) {
        let index = SlotIndex(capacity: capacity)
        let size = index.bucketCount
        #expect(index.home(0) == 0)
        #expect(index.home(UInt64(UInt32.max) << 32 | 0xFFFF) == size - 1)
        #expect(index.home(UInt64(0x8000_0000) << 32) == size / 2)
        var hits = Array(repeating: 0, count: 8)
        for i in 0..<UInt64(8_000) {
            let high = (i &* 0x9E37_79B9_7F4A_7C15) >> 32
            hits[index.home(high << 32) * 8 / size] += 1
        }
        for count in hits { #expect((800...1200).contains(count), "homes by eighth of the array: \(hits)") }
    }

    /// Hashes equal in the bits a bucket keeps but not in the rest still find their own slot
    /// (the caller's key comparison decides), and removing one leaves the other.
    @Test func equalFingerprintsAreToldApartByTheKey() {
        var index = SlotIndex(capacity: 8)
        let a: UInt64 = 0xABCD_0001_0000_0001, b: UInt64 = 0xABCD_0001_0000_0002
        index.insert(1, hash: a)
        index.insert(2, hash: b)
        #expect(index.find(hash: b) { $0 == 2 } == 2)
        #expect(index.find(hash: a) { $0 == 1 } == 1)
        index.remove(1, hash: a) { [1: a, 2: b][$0] ?? 0 }
        #expect(index.find(hash: a) { $0 == 1 } == nil)
        #expect(index.find(hash: b) { $0 == 2 } == 2)
    }
}

extension UInt64 {
    func rotated(by bits: UInt64) -> UInt64 { self << bits | self >> (64 - bits) }
}
