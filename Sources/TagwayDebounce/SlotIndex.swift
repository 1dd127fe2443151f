import CPrefetch

/// Open-addressing index (linear probing) from a key's 64-bit hash to a slot of a fixed table
/// (the presence table's slots, the asset table's entries): one array of at least twice the
/// table's capacity, allocated once.
///
/// Each bucket is one 32-bit word: the slot in its low `slotBits` bits and as many bits of the
/// hash as are left above them (a fingerprint), so a probe is one memory access and rarely calls
/// the caller's key comparison. On a working set of hundreds of thousands of tags every array
/// touched per read is a cache miss: half-size buckets put twice as many in a cache line, and
/// halve the index (W2 of the benchmark: 4 MiB instead of 8 for 500,000 presences).
///
/// A bucket has no room for its entry's home bucket, so removal, which shifts later entries of
/// the run back instead of leaving tombstones, asks the caller for their hashes (`hashOf`): the
/// caller can recompute a key's hash from the slot, and removals are departures, not reads.
package struct SlotIndex: Sendable {
    private static let empty = UInt32.max
    private var buckets: [UInt32]
    private let mask: Int
    /// Bits of a bucket that hold the slot: enough for `capacity` itself, so the all-ones slot
    /// value never occurs and `empty` is never a real entry.
    private let slotBits: UInt32
    private let slotMask: UInt32

    package init(capacity: Int) {
        precondition(capacity >= 0 && capacity < Int(UInt32.max >> 1), "a slot index holds at most 2^31 - 1 slots")
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        buckets = Array(repeating: Self.empty, count: size)
        mask = size - 1
        let bits = UInt32(Int.bitWidth - capacity.leadingZeroBitCount)
        slotBits = max(1, bits)
        slotMask = UInt32.max >> (32 - slotBits)
    }

    /// Bytes held, for the benchmark's memory figures and sizing notes.
    package var bytes: Int { buckets.count * MemoryLayout<UInt32>.stride }

    /// The hash's low word above the slot bits (the home bucket comes from the high word, so the
    /// two are independent).
    @inline(__always)
    private func fingerprint(_ hash: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: hash) & ~slotMask }

    @inline(__always)
    private func home(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: hash >> 32) & mask }

    @inline(__always)
    private func entry(_ slot: Int32, _ hash: UInt64) -> UInt32 { fingerprint(hash) | UInt32(bitPattern: slot) }

    /// The slot whose key `matches`, among those filed under `hash`.
    @inline(__always)
    package func find(hash: UInt64, matches: (Int32) -> Bool) -> Int32? {
        let print = fingerprint(hash)
        var at = home(hash)
        while true {
            let entry = buckets[at]
            if entry == Self.empty { return nil }
            if entry & ~slotMask == print {
                let slot = Int32(bitPattern: entry & slotMask)
                if matches(slot) { return slot }
            }
            at = (at + 1) & mask
        }
    }

    /// Starts loading the bucket a lookup of `hash` begins at (a hint, see `Debouncer.prefetch`).
    @inline(__always)
    package func prefetch(hash: UInt64) {
        buckets.withUnsafeBufferPointer { buckets in
            if let base = buckets.baseAddress { tagway_prefetch(base + home(hash)) }
        }
    }

    /// The slots filed under a hash with `hash`'s fingerprint, in the first `limit` buckets of
    /// its run: where a lookup of `hash` would compare keys. For hints only (see
    /// `Debouncer.prefetch`): the walk is bounded, so it may miss an entry far down a long run.
    @inline(__always)
    package func candidates(hash: UInt64, limit: Int = 4, _ body: (Int32) -> Void) {
        let print = fingerprint(hash)
        var at = home(hash)
        for _ in 0..<limit {
            let entry = buckets[at]
            if entry == Self.empty { return }
            if entry & ~slotMask == print { body(Int32(bitPattern: entry & slotMask)) }
            at = (at + 1) & mask
        }
    }

    /// Files `slot` (not negative, below the capacity) under `hash`; the table never holds more
    /// than half the buckets.
    package mutating func insert(_ slot: Int32, hash: UInt64) {
        var at = home(hash)
        while buckets[at] != Self.empty { at = (at + 1) & mask }
        buckets[at] = entry(slot, hash)
    }

    /// Takes `slot`, filed under `hash`, out, moving each later entry of its run back to where a
    /// lookup will still find it; `hashOf` gives the hash a slot of that run was filed under.
    package mutating func remove(_ slot: Int32, hash: UInt64, hashOf: (Int32) -> UInt64) {
        let target = entry(slot, hash)
        var at = home(hash)
        while buckets[at] != target {
            guard buckets[at] != Self.empty else { return }
            at = (at + 1) & mask
        }
        var hole = at
        var next = (hole + 1) & mask
        while buckets[next] != Self.empty {
            let home = home(hashOf(Int32(bitPattern: buckets[next] & slotMask)))
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
