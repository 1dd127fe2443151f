/// Open-addressing index (linear probing) from a key's 64-bit hash to a slot of a fixed table
/// (the presence table's slots, the asset table's entries): one array of at least twice the
/// table's capacity, allocated once.
///
/// Each bucket holds the slot and 32 bits of its hash in one word, so a probe is one memory
/// access: on a working set of hundreds of thousands of tags every array touched per read is a
/// cache miss, and a separate array of hashes was one more. The caller supplies the hash (seeded
/// per process) and confirms a candidate by comparing keys; removal recomputes the hash from the
/// key it removes and shifts later entries back, so no tombstones build up under churn.
package struct SlotIndex: Sendable {
    private static let empty = UInt64.max
    private var buckets: [UInt64]
    private let mask: Int

    package init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        buckets = Array(repeating: Self.empty, count: size)
        mask = size - 1
    }

    /// Bytes held, for the benchmark's memory figures and sizing notes.
    package var bytes: Int { buckets.count * MemoryLayout<UInt64>.stride }

    @inline(__always)
    private static func fingerprint(_ hash: UInt64) -> UInt64 { hash & 0xFFFF_FFFF_0000_0000 }

    @inline(__always)
    private func home(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: hash >> 32) & mask }

    @inline(__always)
    private func home(ofEntry entry: UInt64) -> Int { Int(truncatingIfNeeded: entry >> 32) & mask }

    /// The slot whose key `matches`, among those filed under `hash`.
    @inline(__always)
    package func find(hash: UInt64, matches: (Int32) -> Bool) -> Int32? {
        let print = Self.fingerprint(hash)
        var at = home(hash)
        while true {
            let entry = buckets[at]
            if entry == Self.empty { return nil }
            if entry & 0xFFFF_FFFF_0000_0000 == print {
                let slot = Int32(truncatingIfNeeded: entry)
                if matches(slot) { return slot }
            }
            at = (at + 1) & mask
        }
    }

    /// Files `slot` (not negative) under `hash`; the table never holds more than half the buckets.
    package mutating func insert(_ slot: Int32, hash: UInt64) {
        var at = home(hash)
        while buckets[at] != Self.empty { at = (at + 1) & mask }
        buckets[at] = Self.fingerprint(hash) | UInt64(UInt32(bitPattern: slot))
    }

    /// Takes `slot`, filed under `hash`, out, moving each later entry of its run back to where a
    /// lookup will still find it.
    package mutating func remove(_ slot: Int32, hash: UInt64) {
        let entry = Self.fingerprint(hash) | UInt64(UInt32(bitPattern: slot))
        var at = home(hash)
        while buckets[at] != entry {
            guard buckets[at] != Self.empty else { return }
            at = (at + 1) & mask
        }
        var hole = at
        var next = (hole + 1) & mask
        while buckets[next] != Self.empty {
            let home = home(ofEntry: buckets[next])
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
