import CPrefetch

/// Open-addressing index (linear probing) from a key's 64-bit hash to a slot of a fixed table
/// (the presence table's slots, the asset table's entries): one array of a third more buckets
/// than the table's capacity, allocated once, so it is at most three quarters full.
///
/// Three quarters, not half: the index is sized for the table's capacity, and on W2 of the
/// benchmark (400,000 presences) a power-of-two array of twice the capacity was 4 MiB, this one
/// 2 MiB. Linear probing at that load compares about 2.5 buckets for a key present and 8.5 for
/// one absent (Knuth's estimates), mostly within one cache line of 16 buckets; the fingerprint
/// keeps nearly all of those from the caller's key comparison. The home bucket is the hash's high
/// word scaled to the array (a multiply and a shift, Lemire's reduction), so the size need not
/// be a power of two.
///
/// Each bucket is one 32-bit word: the slot in its low `slotBits` bits and as many bits of the
/// hash as are left above them (a fingerprint), so a probe is one memory access and rarely calls
/// the caller's key comparison. On a working set of hundreds of thousands of tags every array
/// touched per read is a cache miss: half-size buckets put twice as many in a cache line, and
/// halve the index.
///
/// A bucket has no room for its entry's home bucket, so removal, which shifts later entries of
/// the run back instead of leaving tombstones, asks the caller for their hashes (`hashOf`): the
/// caller can recompute a key's hash from the slot, and removals are departures, not reads.
package struct SlotIndex: Sendable {
    private static let empty = UInt32.max
    private var buckets: [UInt32]
    /// `buckets.count`, a third more than the capacity (at least 16).
    private let size: Int
    /// Bits of a bucket that hold the slot: enough for `capacity` itself, so the all-ones slot
    /// value never occurs and `empty` is never a real entry.
    private let slotBits: UInt32
    private let slotMask: UInt32

    package init(capacity: Int) {
        precondition(capacity >= 0 && capacity < Int(UInt32.max >> 1), "a slot index holds at most 2^31 - 1 slots")
        size = max(16, capacity + (capacity + 2) / 3)
        buckets = Array(repeating: Self.empty, count: size)
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

    /// Internal for the tests, which check that homes spread over the whole array.
    @inline(__always)
    func home(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: ((hash >> 32) &* UInt64(size)) >> 32) }

    /// The number of buckets, for the tests.
    var bucketCount: Int { size }

    /// The bucket after `at`, wrapping at the end.
    @inline(__always)
    private func after(_ at: Int) -> Int { at + 1 == size ? 0 : at + 1 }

    /// How many buckets forward from `from` `to` is, wrapping.
    @inline(__always)
    private func distance(from: Int, to: Int) -> Int { to >= from ? to - from : to - from + size }

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
            at = after(at)
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
            at = after(at)
        }
    }

    /// Files `slot` (not negative, below the capacity) under `hash`; the table never holds more
    /// slots than its capacity, so at least a quarter of the buckets stay empty.
    package mutating func insert(_ slot: Int32, hash: UInt64) {
        var at = home(hash)
        while buckets[at] != Self.empty { at = after(at) }
        buckets[at] = entry(slot, hash)
    }

    /// Takes `slot`, filed under `hash`, out, moving each later entry of its run back to where a
    /// lookup will still find it; `hashOf` gives the hash a slot of that run was filed under.
    package mutating func remove(_ slot: Int32, hash: UInt64, hashOf: (Int32) -> UInt64) {
        let target = entry(slot, hash)
        var at = home(hash)
        while buckets[at] != target {
            guard buckets[at] != Self.empty else { return }
            at = after(at)
        }
        var hole = at
        var next = after(hole)
        while buckets[next] != Self.empty {
            let home = home(hashOf(Int32(bitPattern: buckets[next] & slotMask)))
            // Move the entry into the hole unless its home lies cyclically in (hole, next].
            if distance(from: home, to: next) >= distance(from: hole, to: next) {
                buckets[hole] = buckets[next]
                hole = next
            }
            next = after(next)
        }
        buckets[hole] = Self.empty
    }
}
