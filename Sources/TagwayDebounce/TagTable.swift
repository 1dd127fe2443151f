import TagwayModel

/// The distinct tags of the presence table, one entry each, however many read points hear them.
///
/// A tag at a dock door is heard at two to four read points at once, and each (tag, read point)
/// is a presence slot. Before this table every slot held the whole id (17 bytes, 24 with
/// alignment) and the consumer's record, and a hash index over all the slots found a
/// (tag, read point): on W2 of the benchmark, 400,000 presences of 100,000 tags, that was 400,000
/// copies of ids and 2 MiB of index. Now a slot names its tag's entry here, the entry heads a
/// chain of the tag's slots (last read first), and the index is over tags: a read hashes its tag,
/// finds the entry, and walks a chain of at most its read points to its slot. The consumer's
/// record (the engine's asset, one per tag) is kept once per tag, where the read's lookup has
/// just loaded it.
///
/// An entry lives while the tag has a presence: the presence table frees it with the tag's last
/// slot. Its capacity is a bound of its own (`DebouncerConfiguration.maxTags`); when it is full
/// and a new tag comes, the debouncer evicts the tag of the least recently read presence at all
/// its read points (`Debouncer.evictOldestTag`).
@usableFromInline
struct TagTable: Sendable {
    @usableFromInline static let none: Int32 = -1

    @usableFromInline
    struct Entry: Sendable {
        @usableFromInline var k0: UInt64 = 0
        @usableFromInline var k1: UInt64 = 0
        /// The tag's presence slot read last, the rest chained through `PresenceTable.Slot.chain`
        /// in last-read order (`PresenceTable.findForRead`); the next free entry while free.
        @usableFromInline var head: Int32 = TagTable.none
        /// The consumer's record of this tag (see `Debouncer.owner(_:)`), -1 when none.
        @usableFromInline var owner: Int32 = TagTable.none
        /// The id's length in bytes, saturated at 255 (longer ids are in `longTags`).
        @usableFromInline var length: UInt8 = 0
        @usableFromInline var inUse = false
    }

    private var index: SlotIndex
    private let seed = UInt64.random(in: .min ... .max)
    @usableFromInline var entries: FixedBuffer<Entry>
    /// Ids longer than `TagID.compactCapacity`, by entry.
    private var longTags = LongTagStore()
    private var free: Int32
    private var used: Int32 = 0

    init(capacity: Int) {
        index = SlotIndex(capacity: capacity)
        entries = FixedBuffer(repeating: Entry(), count: capacity)
        for i in 0..<capacity { entries[i].head = i + 1 < capacity ? Int32(i + 1) : Self.none }
        free = capacity > 0 ? 0 : Self.none
    }

    var count: Int { Int(used) }
    static var entryStride: Int { MemoryLayout<Entry>.stride }
    var isFull: Bool { free == Self.none }
    var bytes: Int { index.bytes + entries.count * MemoryLayout<Entry>.stride }

    @inline(__always)
    mutating func makeUnique() { entries.makeUnique() }

    /// The entry of `tag` (whose key is `key`), if the tag has a presence.
    @inline(__always)
    func find(_ key: PresenceKey, tag: borrowing TagID) -> Int32? {
        index.find(hash: hash(key, tag)) { holds($0, key, tag) }
    }

    @inline(__always)
    func holds(_ entry: Int32, _ key: PresenceKey, _ tag: borrowing TagID) -> Bool {
        let i = Int(entry)
        guard entries[i].k0 == key.k0, entries[i].k1 == key.k1, Int(entries[i].length) == Swift.min(key.length, 255),
              entries[i].inUse else { return false }
        return !key.isLong || longTags.keepsWhole(tag, at: entry)
    }

    /// Takes a free entry for `tag`, with no presence yet: the caller links one at once. The
    /// caller makes room first (`isFull`).
    mutating func insert(_ key: PresenceKey, tag: borrowing TagID) -> Int32 {
        let entry = free
        let i = Int(entry)
        free = entries[i].head
        index.insert(entry, hash: hash(key, tag))
        used += 1
        if key.isLong { longTags.keep(tag, at: entry) }
        entries[i] = Entry(k0: key.k0, k1: key.k1, head: Self.none, owner: Self.none,
                           length: UInt8(clamping: key.length), inUse: true)
        return entry
    }

    /// Frees an entry whose last presence has gone.
    mutating func remove(_ entry: Int32) {
        let i = Int(entry)
        guard entries[i].inUse else { return }
        let hash = hash(ofEntry: entry)
        let seed = seed
        withExtendedLifetime(longTags) { store in
            entries.withElements { view in
                index.remove(entry, hash: hash) { Self.hash(of: view[Int($0)], at: $0, seed: seed, longTags: store) }
            }
        }
        if Int(entries[i].length) > TagID.compactCapacity { longTags.drop(at: entry) }
        used -= 1
        entries[i] = Entry(head: free)
        free = entry
    }

    @inlinable @inline(__always)
    func head(_ entry: Int32) -> Int32 { entries[Int(entry)].head }

    @inline(__always)
    mutating func setHead(_ entry: Int32, _ slot: Int32) { entries[Int(entry)].head = slot }

    @inlinable @inline(__always)
    func owner(_ entry: Int32) -> Int32 { entries[Int(entry)].owner }

    mutating func setOwner(_ entry: Int32, _ owner: Int32) { entries[Int(entry)].owner = owner }

    func tag(_ entry: Int32) -> TagID {
        let e = entries[Int(entry)]
        return longTags.tag(CompactTag(k0: e.k0, k1: e.k1, length: e.length), at: entry)
    }

    // MARK: hints (see `Debouncer.prefetch`)

    /// Starts loading the index bucket where `key`'s lookup begins. A long id (its hash reads a
    /// dictionary) gets no hint.
    @inline(__always)
    func prefetchBucket(_ key: PresenceKey, tag: borrowing TagID) {
        guard !key.isLong else { return }
        index.prefetch(hash: hash(key, tag))
    }

    /// Starts loading the entries the lookup of `key` will compare, from its bucket.
    @inline(__always)
    func prefetchEntry(_ key: PresenceKey, tag: borrowing TagID) {
        guard !key.isLong else { return }
        index.candidates(hash: hash(key, tag)) { entries.prefetchWhole(Int($0)) }
    }

    // MARK: hashing

    @inline(__always)
    private func hash(_ key: PresenceKey, _ tag: borrowing TagID) -> UInt64 {
        if key.isLong { return tag.hash64(seed: seed) }
        return Self.hash(seed: seed, k0: key.k0, k1: key.k1, length: key.length)
    }

    private func hash(ofEntry entry: Int32) -> UInt64 {
        Self.hash(of: entries[Int(entry)], at: entry, seed: seed, longTags: longTags)
    }

    private static func hash(of e: Entry, at entry: Int32, seed: UInt64, longTags: LongTagStore) -> UInt64 {
        if Int(e.length) > TagID.compactCapacity {
            return longTags.tag(CompactTag(k0: e.k0, k1: e.k1, length: e.length), at: entry).hash64(seed: seed)
        }
        return hash(seed: seed, k0: e.k0, k1: e.k1, length: Int(e.length))
    }

    /// Seeded per process, so crafted EPCs cannot aim at one bucket without knowing the seed.
    ///
    /// Two folded multiplies (the 128-bit product's halves XORed, as wyhash finishes): each word
    /// of the id is XORed with a secret before the first, so no chosen id can zero a factor. On
    /// W1 of the benchmark every read misses the previous-slot hint and comes here; three
    /// SplitMix rounds cost about 35 instructions a read, these about 10.
    @inline(__always)
    private static func hash(seed: UInt64, k0: UInt64, k1: UInt64, length: Int) -> UInt64 {
        let words = fold(k0 ^ seed, k1 ^ (seed >> 32 | seed << 32) ^ 0xA076_1D64_78BD_642F)
        return fold(words ^ (UInt64(truncatingIfNeeded: length) &* 0x9E37_79B9_7F4A_7C15), seed ^ 0xE703_7ED1_A0B4_28DB)
    }

    @inline(__always)
    private static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }
}
