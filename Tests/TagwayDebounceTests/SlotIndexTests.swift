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
            let hash = (state >> 8) % spread &* 0x9E37_79B9_7F4A_7C15
            if model[slot] != nil, state & 0x100 != 0 {
                index.remove(slot)
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
            #expect(index.find(hash: 0) { $0 == candidate } == nil)
        }
    }
}
