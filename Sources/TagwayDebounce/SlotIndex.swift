/// Open-addressing index (linear probing) from a presence key's hash to its slot in the
/// presence table: a fixed array of twice the table's capacity, allocated once.
///
/// Replaces `Dictionary<PresenceKey, Int32>`, whose SipHash of a 32-byte tag and two-array
/// probe were the largest cost per read. The caller supplies the hash (`TagID.hash64`, seeded
/// per process); the index keeps each slot's hash, skips slots whose hash differs, and lets the
/// caller confirm a candidate by comparing keys. Removal shifts later entries back, so no
/// tombstones build up under churn.
struct SlotIndex: Sendable {
    private static let empty: Int32 = -1
    private var buckets: [Int32]
    private var hashes: [UInt64]
    private let mask: Int

    init(capacity: Int) {
        hashes = Array(repeating: 0, count: capacity)
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        buckets = Array(repeating: Self.empty, count: size)
        mask = size - 1
    }

    /// The slot whose key `matches`, among those filed under `hash`.
    @inline(__always)
    func find(hash: UInt64, matches: (Int32) -> Bool) -> Int32? {
        var at = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = buckets[at]
            if slot == Self.empty { return nil }
            if hashes[Int(slot)] == hash, matches(slot) { return slot }
            at = (at + 1) & mask
        }
    }

    /// Files `slot` under `hash`; the table never holds more than half the buckets.
    mutating func insert(_ slot: Int32, hash: UInt64) {
        var at = Int(truncatingIfNeeded: hash) & mask
        while buckets[at] != Self.empty { at = (at + 1) & mask }
        buckets[at] = slot
        hashes[Int(slot)] = hash
    }

    /// Takes `slot` out, moving each later entry of its run back to where a lookup will still
    /// find it.
    mutating func remove(_ slot: Int32) {
        var at = Int(truncatingIfNeeded: hashes[Int(slot)]) & mask
        while buckets[at] != slot {
            guard buckets[at] != Self.empty else { return }
            at = (at + 1) & mask
        }
        var hole = at
        var next = (hole + 1) & mask
        while buckets[next] != Self.empty {
            let home = Int(truncatingIfNeeded: hashes[Int(buckets[next])]) & mask
            // Move the entry into the hole unless its home lies cyclically in (hole, next].
            let distanceToHome = (next - home) & mask
            let distanceToHole = (next - hole) & mask
            if distanceToHome >= distanceToHole {
                buckets[hole] = buckets[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        buckets[hole] = Self.empty
    }
}
