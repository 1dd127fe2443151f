import TagwayDebounce
import TagwayModel

/// Where one asset is, in 104 bytes: its id (compact), the anchor read point that currently
/// holds it (and its debouncer slot, for the window statistics), the reader that read it there
/// and what kind of tag it is, when it entered its zone and when that zone last read it, its
/// rules and alert episodes, and its links in the table's recency lists.
///
/// The id is here, not in an array beside the entries, because the engine checks it on every
/// read: the debouncer's presence slot names its asset (`PresenceOwner`), and an entry freed and
/// taken by another tag since is told apart by its id, on the line the read loads anyway (a
/// generation per entry and per slot did it before, at 4 bytes a presence slot). Fields are
/// declared so the one-byte ones fill the padding after the optional slots (Swift lays out a
/// struct in declaration order), and the flags share one byte.
struct AssetState: Sendable {
    /// The id's first 16 bytes and its length (saturated at 255; longer ids are in `longTags`).
    var k0: UInt64 = 0
    var k1: UInt64 = 0
    var anchorSlot: PresenceSlot?
    /// In a door zone: the side last reported (where it came in, or its last crossing), and the
    /// side the freshest evidence leans to; 0 outside door zones.
    var reportedSide: UInt8 = 0
    var leanSide: UInt8 = 0
    /// What kind of tag it is (its asset key depends on it); meaningless for scans.
    var technology: TagObservation.Technology = .epcGen2
    /// In a door zone: the read point most recently read on the side opposite the anchor.
    var otherSlot: PresenceSlot?
    /// `list` in bits 0-1, then `isScan`, `rulesResolved`, `restored`.
    private var flags: UInt8 = 0
    /// The reader of its latest read at the anchor read point (`Read.reader`).
    var reader: UInt16 = Read.noReader
    var lastRead: Int64 = 0
    var lastSeenInZone: Int64 = 0
    /// When it entered its zone (its `arrived` or `moved` event).
    var since: Int64 = 0
    /// Bit r: rule r covers this asset.
    var rules: UInt64 = 0
    /// Bit r: the asset is in a location episode of rule r (alerted once, not again until it ends).
    var episodes: UInt64 = 0
    var anchorPoint: Int32 = -1
    var reads: Int32 = 0
    var prev: Int32 = -1
    var next: Int32 = -1
    var zone: Int16 = -1
    var peak: Int16 = .min
    var length: UInt8 = 0

    var compactTag: CompactTag { CompactTag(k0: k0, k1: k1, length: length) }

    /// 0: free; 1: present (departs after silence); 2: stationed by a scan (never departs).
    var list: UInt8 {
        get { flags & 0b11 }
        set { flags = flags & ~0b11 | newValue & 0b11 }
    }

    var isScan: Bool {
        get { flags & 0b100 != 0 }
        set { set(0b100, newValue) }
    }

    var rulesResolved: Bool {
        get { flags & 0b1000 != 0 }
        set { set(0b1000, newValue) }
    }

    /// Loaded by `restore` and not read since: a departure by silence is "not seen since restart".
    var restored: Bool {
        get { flags & 0b1_0000 != 0 }
        set { set(0b1_0000, newValue) }
    }

    private mutating func set(_ bit: UInt8, _ on: Bool) {
        flags = on ? flags | bit : flags & ~bit
    }
}

/// Fixed-capacity table of tracked assets with two recency lists (present assets in last-read
/// order, so the next departure is the head; scan-stationed assets in placement order).
///
/// Every buffer is allocated once. The entries are a `FixedBuffer`: the engine calls
/// `makeUnique()` once at each of its mutating entry points, and the writes of a read do not
/// check uniqueness or bounds again (asset indices are the table's own). The engine finds an asset from the debouncer's slot first (the
/// debouncer keeps the asset as the slot's owner, see `Debouncer.owner(_:)`), so the per-read path
/// needs no second hash of the tag; a miss falls back to an open-addressing index over the tags
/// (`SlotIndex`, one word per bucket), which replaced a `Dictionary<TagID, Int32>` that alone
/// held more than 100 bytes per asset.
struct AssetTable: Sendable {
    static let none: Int32 = -1

    private(set) var states: FixedBuffer<AssetState>
    /// Ids longer than `TagID.compactCapacity` (an entry holds 16 bytes of its id), by entry.
    private var longTags = LongTagStore()
    private var index: SlotIndex
    private let seed = UInt64.random(in: .min ... .max)
    /// The first free entry; the rest follow through their `next` (a free entry is in no list),
    /// so the free list costs no array of its own.
    private var free: Int32
    private(set) var count = 0
    private var heads: (Int32, Int32) = (-1, -1)
    private var tails: (Int32, Int32) = (-1, -1)

    init(capacity: Int) {
        states = FixedBuffer(repeating: AssetState(), count: capacity)
        for i in 0..<capacity { states[i].next = i + 1 < capacity ? Int32(i + 1) : Self.none }
        index = SlotIndex(capacity: capacity)
        free = capacity > 0 ? 0 : Self.none
    }

    var isFull: Bool { free == Self.none }

    @inline(__always)
    private func compact(_ asset: Int32) -> CompactTag { states[Int(asset)].compactTag }

    /// Gives this copy of the table its own entries if another copy shares them: before any
    /// mutating method (see the type's comment).
    @inline(__always)
    mutating func makeUnique() { states.makeUnique() }
    var capacity: Int { states.count }

    /// The least recently read present asset, or the first-stationed one (`list` 1 or 2).
    func head(_ list: UInt8) -> Int32? {
        let h = list == 1 ? heads.0 : heads.1
        return h == Self.none ? nil : h
    }

    @inline(__always)
    subscript(_ asset: Int32) -> AssetState {
        _read { yield states[Int(asset)] }
        _modify { yield &states[Int(asset)] }
    }

    /// The asset of `tag`, if tracked.
    func lookup(_ tag: TagID) -> Int32? {
        let key = CompactTag(tag)
        return index.find(hash: tag.hash64(seed: seed)) { longTags.holds(compact($0), at: $0, key, tag) }
    }

    /// The id of a tracked asset.
    func tag(_ asset: Int32) -> TagID { longTags.tag(compact(asset), at: asset) }

    /// The asset `owner` names, if that entry still tracks `tag` (it may have been freed, or
    /// taken by another tag, since the owner was set).
    @inline(__always)
    func current(_ owner: PresenceOwner, holding tag: borrowing TagID) -> Int32? {
        let asset = owner.index
        guard states.contains(asset), states[Int(asset)].list != 0,
              longTags.holds(states[Int(asset)].compactTag, at: asset, CompactTag(tag), tag) else { return nil }
        return asset
    }

    /// Starts loading entry `asset` (a hint: nothing changes; an index from a stale handle is
    /// ignored).
    @inline(__always)
    func prefetch(_ asset: Int32) {
        if states.contains(asset) { states.prefetchWhole(Int(asset)) }
    }

    /// Starts loading the entries next to `asset` in its recency list (loaded a read earlier by
    /// `prefetch`), which a read of it rewrites.
    @inline(__always)
    func prefetchLinks(_ asset: Int32) {
        guard states.contains(asset) else { return }
        let (p, n) = (states[Int(asset)].prev, states[Int(asset)].next)
        if p >= 0 { states.prefetch(Int(p), byteOffset: Self.linksOffset) }
        if n >= 0 { states.prefetch(Int(n), byteOffset: Self.linksOffset) }
    }

    /// Where an entry's `prev` and `next` are (adjacent, so on one cache line).
    private static let linksOffset = MemoryLayout<AssetState>.offset(of: \AssetState.prev) ?? 0

    /// The handle the debouncer keeps for `asset` with its tag (`Debouncer.setOwner`).
    func owner(_ asset: Int32) -> PresenceOwner { PresenceOwner(index: asset) }

    /// Claims a slot for `tag`; the caller evicts first when the table is full.
    mutating func insert(_ tag: TagID, isScan: Bool, list: UInt8, at time: Int64) -> Int32 {
        let asset = free
        free = states[Int(asset)].next
        let key = CompactTag(tag)
        longTags.keep(tag, at: asset)
        index.insert(asset, hash: tag.hash64(seed: seed))
        count += 1
        var state = AssetState()
        state.k0 = key.k0
        state.k1 = key.k1
        state.length = key.length
        state.isScan = isScan
        state.lastRead = time
        states[Int(asset)] = state
        link(asset, into: list)
        return asset
    }

    /// Marks a read now: the asset becomes the newest of its list.
    @inline(__always)
    mutating func touch(_ asset: Int32, at time: Int64) {
        states[Int(asset)].lastRead = time
        states[Int(asset)].restored = false
        let list = states[Int(asset)].list
        guard asset != (list == 1 ? tails.0 : tails.1) else { return }
        unlink(asset)
        link(asset, into: list)
    }

    /// Most reads: the asset's own anchor read point reading it again, at a present asset whose
    /// rules are resolved and that is not in a door zone. Notes the read in one pass over the
    /// entry and returns true; returns false, changing nothing, when the engine must judge it.
    @inline(__always)
    mutating func readAtAnchor(_ asset: Int32, point: Int32, slot: PresenceSlot, reader: UInt16, rssi: Int?,
                               at time: Int64) -> Bool {
        let i = Int(asset)
        // Read before anything is written: a read elsewhere pays only this look.
        guard states[i].anchorPoint == point, states[i].anchorSlot == slot else { return false }
        let isTail = asset == tails.0
        let state = states[i]
        guard state.list == 1, state.rulesResolved, state.reportedSide == 0 else { return false }
        states[i].lastRead = time
        states[i].restored = false
        states[i].lastSeenInZone = time
        states[i].reader = reader
        states[i].reads &+= 1
        if let rssi, Int16(clamping: rssi) > state.peak { states[i].peak = Int16(clamping: rssi) }
        if !isTail {
            unlink(asset)
            link(asset, into: 1)
        }
        return true
    }

    /// Moves the asset to the other list (a scan stations it; a read makes it present again).
    mutating func setList(_ asset: Int32, _ list: UInt8) {
        guard states[Int(asset)].list != list else { return }
        unlink(asset)
        link(asset, into: list)
    }

    mutating func remove(_ asset: Int32) {
        unindex(asset)
        count -= 1
        unlink(asset)
        states[Int(asset)] = AssetState()
        longTags.drop(at: asset)
        states[Int(asset)].next = free
        free = asset
    }

    /// Takes a tracked asset out of the index, which asks for the hashes of the entries it
    /// moves; they are read through a borrowed view, so no second reference to the entries
    /// outlives this call (a later write would copy them).
    private mutating func unindex(_ asset: Int32) {
        let seed = seed
        let hash = tag(asset).hash64(seed: seed)
        withExtendedLifetime(longTags) { longTags in
            states.withElements { view in
                index.remove(asset, hash: hash) { longTags.tag(view[Int($0)].compactTag, at: $0).hash64(seed: seed) }
            }
        }
    }

    /// The most recently read asset of `list` (1 or 2); walk on through `prev`.
    func tail(_ list: UInt8) -> Int32? {
        let t = list == 1 ? tails.0 : tails.1
        return t == Self.none ? nil : t
    }

    /// Every tracked asset, for reconfiguration and tests.
    var occupied: [Int32] { (0..<states.count).filter { states[$0].list != 0 }.map { Int32($0) } }

    @inline(__always)
    private mutating func link(_ asset: Int32, into list: UInt8) {
        let tail = list == 1 ? tails.0 : tails.1
        states[Int(asset)].list = list
        states[Int(asset)].prev = tail
        states[Int(asset)].next = Self.none
        if tail != Self.none { states[Int(tail)].next = asset } else if list == 1 { heads.0 = asset } else { heads.1 = asset }
        if list == 1 { tails.0 = asset } else { tails.1 = asset }
    }

    @inline(__always)
    private mutating func unlink(_ asset: Int32) {
        let state = states[Int(asset)]
        let (p, n) = (state.prev, state.next)
        let first = state.list == 1
        if p != Self.none { states[Int(p)].next = n } else if first { heads.0 = n } else { heads.1 = n }
        if n != Self.none { states[Int(n)].prev = p } else if first { tails.0 = p } else { tails.1 = p }
        states[Int(asset)].prev = Self.none
        states[Int(asset)].next = Self.none
    }
}
