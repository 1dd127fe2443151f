import TagwayModel

/// Fixed-capacity table of present tags, in least-recently-read order.
///
/// One buffer of slots with an intrusive doubly linked list: the buffer and its tag table are
/// allocated once, at their capacities, so steady-state operation does not allocate. The buffer is a
/// `FixedBuffer`: every mutating method assumes `makeUnique()` was called since the table was
/// last copied (the debouncer does it once at each of its mutating entry points), so a read
/// costs one uniqueness check instead of one per field written. A slot keeps what a read
/// decides with together in 36 bytes, so a read of a tag among hundreds of thousands misses the
/// cache for its slot, not for a dozen separate arrays. What only the debouncer's own sightings
/// report (a presence's first read, read count, peak RSSI and last reader: `Totals`) is kept
/// beside the slots, and only when asked for (`keepsTotals`): the movement engine keeps its own
/// per asset and never reads them. A read point beyond 16 bits (none at a real site) is kept
/// whole in `wideReadPoints`.
///
/// The tag itself is not in the slot: a slot names its tag's entry in the `TagTable` (the id
/// once per tag, however many read points hear it, and the consumer's record of the tag), and
/// the entry chains the tag's slots through `Slot.chain`, last read first. A lookup hashes the tag,
/// not the (tag, read point), and walks that chain: on W2's 400,000 presences of 100,000 tags,
/// 36-byte slots and an index of 100,000 tags instead of 48-byte slots and an index of 400,000
/// presences: 20.3 MiB down to 17.3 with the tags' entries and their index.
/// Slots are recycled through a free list threaded through the free slots' `next` link (no
/// separate array); a generation counter per slot lets stale handles (ring entries, zone-engine
/// references) detect that their tag has gone.
///
/// Times are kept as 32-bit milliseconds after `epoch`, which covers 49 days. When a time falls
/// outside that range the table rebases (`rebase(around:)`): the epoch moves to 2^31 ms (24.8
/// days) before the new time and every present slot's times are shifted, those older than the new
/// epoch saturating at it. Only the `firstSeen` of a tag present without a break for more than
/// 24.8 days can be that old (a slot's `lastSeen` is within `departAfter` of now), so only that
/// figure is ever clamped; a rebase walks the present slots once every 24.8 days of stream.
///
/// Window counts are 16-bit: the debouncer's ring holds at most `UInt16.max` reads (see
/// `Debouncer.maxRingCapacity`), and a slot's window never holds more than the ring does.
@usableFromInline
struct PresenceTable: Sendable {
    @usableFromInline static let none: Int32 = -1
    private static let noRSSI = Int16.min
    @usableFromInline static let occupied: UInt8 = 0b0001
    private static let confirmed: UInt8 = 0b0010
    private static let scan: UInt8 = 0b0100
    /// Bits 4-5 of `flags`: the technology of the last read (see `heard(_:reader:technology:)`).
    private static let technologyShift: UInt8 = 4
    /// A slot's `readPoint` when the read point does not fit in 16 bits (see `wideReadPoints`).
    @usableFromInline static let widePoint = UInt16.max
    /// How far before the time that forced a rebase the new epoch goes: half the 32-bit range,
    /// so the next rebase is 24.8 days of stream away and times up to 24.8 days old stay exact.
    static let rebaseHeadroom: Int64 = 1 << 31

    /// Every field 4 bytes or less, so the slot is 4-aligned: 35 bytes in a stride of 36.
    @usableFromInline
    struct Slot: Sendable {
        /// The tag's entry in `tags`.
        @usableFromInline var tag: Int32 = PresenceTable.none
        /// The tag's presence at another read point read before this one (see `findForRead`).
        @usableFromInline var chain: Int32 = PresenceTable.none
        /// Milliseconds after the table's `epoch`.
        @usableFromInline var lastSeen: UInt32 = 0
        /// At most `UInt16.max` reads of at most `Int16.min` in magnitude: fits in 32 bits.
        @usableFromInline var windowRSSISum: Int32 = 0
        @usableFromInline var generation: UInt32 = 0
        @usableFromInline var prev: Int32 = PresenceTable.none
        /// The next slot in the recency order while occupied; the next free slot while free.
        @usableFromInline var next: Int32 = PresenceTable.none
        @usableFromInline var windowCount: UInt16 = 0
        @usableFromInline var windowRSSICount: UInt16 = 0
        /// The read point, or `widePoint` for one outside 0..<65,535 (kept in `wideReadPoints`).
        @usableFromInline var readPoint: UInt16 = 0
        /// Occupied, confirmed, scan, and the technology of the last read (bits 4-5).
        @usableFromInline var flags: UInt8 = 0
    }

    /// What a presence's sightings report beyond the window: kept only when the table was made
    /// with `keepsTotals`.
    struct Totals: Sendable {
        /// Milliseconds after the table's `epoch`.
        var firstSeen: UInt32 = 0
        /// Saturates at `UInt32.max`.
        var reads: UInt32 = 0
        /// Who read it last (`Read.reader`): two readers may share a read point.
        var reader: UInt16 = Read.noReader
        var peak: Int16 = PresenceTable.noRSSI
    }

    static var slotStride: Int { MemoryLayout<Slot>.stride }

    @usableFromInline var tags: TagTable
    @usableFromInline var slots: FixedBuffer<Slot>
    /// One per slot when the table keeps totals, else empty.
    private var totals: FixedBuffer<Totals>
    var keepsTotals: Bool { totals.count > 0 }
    /// Read points outside 0..<65,535 (a slot holds 16 bits), by slot: none at a real site, whose
    /// read points are numbered from 0 in the order the configuration names them.
    private var wideReadPoints: [Int32: Int32] = [:]
    /// Occupied slots. 32-bit like the links, so the table's fields stay as small as before the
    /// epoch joined them: the engine copies the debouncer's header on every read, and a copy past
    /// 256 bytes takes memcpy's slower path.
    private var used: Int32 = 0
    var count: Int { Int(used) }
    /// The first free slot; the rest follow through `Slot.next`.
    private var free: Int32
    private var head = PresenceTable.none
    private var tail = PresenceTable.none
    /// What slot times are relative to (see the type's comment).
    @usableFromInline internal(set) var epoch: Int64 = 0

    /// `keepsTotals`: whether sightings and `stats` report each presence's first read, read
    /// count, peak RSSI and last reader (12 bytes a slot more).
    /// `tagCapacity`: the most distinct tags present at once (at most `capacity`).
    init(capacity: Int, tagCapacity: Int? = nil, keepsTotals: Bool = true) {
        tags = TagTable(capacity: Swift.min(tagCapacity ?? capacity, capacity))
        slots = FixedBuffer(repeating: Slot(), count: capacity)
        totals = FixedBuffer(repeating: Totals(), count: keepsTotals ? capacity : 0)
        for i in 0..<capacity { slots[i].next = i + 1 < capacity ? Int32(i + 1) : Self.none }
        free = capacity > 0 ? 0 : Self.none
    }

    /// Bytes the table holds at its capacity (long ids aside).
    var bytes: Int {
        tags.bytes + slots.count * MemoryLayout<Slot>.stride + totals.count * MemoryLayout<Totals>.stride
    }

    var isFull: Bool { free == Self.none }
    var tagsFull: Bool { tags.isFull }
    var tagCount: Int { tags.count }

    /// Gives this copy of the table its own slots if another copy shares them: call it before
    /// the mutating methods (see the type's comment).
    @inline(__always)
    mutating func makeUnique() {
        slots.makeUnique()
        totals.makeUnique()
        tags.makeUnique()
    }

    /// Whether `slot` is one of the table's slots (a handle from outside is checked first).
    @inlinable @inline(__always)
    func contains(_ slot: Int32) -> Bool { slots.contains(slot) }
    var oldest: Int32? { head == Self.none ? nil : head }

    /// `key`'s slot, without changing anything (the inspection views; a read uses `findForRead`).
    func find(_ key: PresenceKey, tag: borrowing TagID) -> Int32? {
        guard let entry = tags.find(key, tag: tag) else { return nil }
        return presence(of: entry, key)
    }

    /// `find` for a read, which moves the slot it finds to the front of its tag's chain: every
    /// read either finds its slot here, or inserts it (at the front), or is the previous read's
    /// slot (at the front already), so a chain is in last-read order. A tag heard at one read
    /// point at a time then finds it first; one heard at four walks as far as the read point
    /// heard longest ago.
    /// Returns the tag's entry too, when it has one, for the insert of a presence it lacks.
    @inline(__always)
    mutating func findForRead(_ key: PresenceKey, tag: borrowing TagID) -> Lookup {
        guard let entry = tags.find(key, tag: tag) else { return Lookup(slot: nil, entry: nil) }
        var previous = Self.none
        var cursor = tags.head(entry)
        while cursor != Self.none {
            if at(cursor, key) {
                if previous != Self.none {
                    slots[Int(previous)].chain = slots[Int(cursor)].chain
                    slots[Int(cursor)].chain = tags.head(entry)
                    tags.setHead(entry, cursor)
                }
                return Lookup(slot: cursor, entry: entry)
            }
            previous = cursor
            cursor = slots[Int(cursor)].chain
        }
        return Lookup(slot: nil, entry: entry)
    }

    /// What a read's lookup found: its presence's slot, and its tag's entry (which a tag without
    /// a presence at this read point may have).
    struct Lookup {
        var slot: Int32?
        var entry: Int32?
    }

    /// `key`'s tag's entry, when the tag has a presence at some read point.
    func tagEntry(of key: PresenceKey, tag: borrowing TagID) -> Int32? { tags.find(key, tag: tag) }

    /// The tag's presence at `key`'s read point (scan or not), walking its chain: at most one
    /// slot a read point that hears it.
    @inline(__always)
    private func presence(of entry: Int32, _ key: PresenceKey) -> Int32? {
        var cursor = tags.head(entry)
        while cursor != Self.none {
            if at(cursor, key) { return cursor }
            cursor = slots[Int(cursor)].chain
        }
        return nil
    }

    /// Whether the occupied slot is at `key`'s read point, of `key`'s kind (scan or not).
    @inline(__always)
    private func at(_ slot: Int32, _ key: PresenceKey) -> Bool {
        let i = Int(slot)
        guard slots[i].readPoint == key.point,
              slots[i].flags & (Self.occupied | Self.scan) == (key.isScan ? Self.occupied | Self.scan : Self.occupied) else { return false }
        return key.point != Self.widePoint || wideReadPoints[slot] == key.readPoint
    }

    // MARK: hints (see `Debouncer.prefetch`): none of them changes anything

    /// Starts loading the tag index bucket where `key`'s lookup begins. A long id (its hash
    /// reads a dictionary) gets no hint.
    @inline(__always)
    func prefetchBucket(_ key: PresenceKey, tag: borrowing TagID) { tags.prefetchBucket(key, tag: tag) }

    /// Starts loading the tag entries the lookup of `key` will compare, from its bucket (loaded
    /// by `prefetchBucket` a read earlier).
    @inline(__always)
    func prefetchTag(_ key: PresenceKey, tag: borrowing TagID) { tags.prefetchEntry(key, tag: tag) }

    /// Starts loading the tag's slot read last, from its entry (loaded by `prefetchTag` a read
    /// earlier), and returns the entry's owner (the consumer loads its record of the tag).
    @inline(__always)
    func prefetchSlot(_ key: PresenceKey, tag: borrowing TagID) -> Int32? {
        guard !key.isLong, let entry = tags.find(key, tag: tag) else { return nil }
        let head = tags.head(entry)
        if head >= 0 { slots.prefetchWhole(Int(head)) }
        let owner = tags.owner(entry)
        return owner < 0 ? nil : owner
    }

    /// `key`'s slot (its chain's head loaded by `prefetchSlot` a read earlier), if present:
    /// starts loading its neighbours' links in the recency order, which a read rewrites, and
    /// returns the slot.
    @inline(__always)
    func prefetchLinks(_ key: PresenceKey, tag: borrowing TagID) -> Int32? {
        guard !key.isLong, let entry = tags.find(key, tag: tag), let slot = presence(of: entry, key) else { return nil }
        let i = Int(slot)
        if slots[i].prev >= 0 { slots.prefetch(Int(slots[i].prev), byteOffset: Self.linksOffset) }
        if slots[i].next >= 0 { slots.prefetch(Int(slots[i].next), byteOffset: Self.linksOffset) }
        return slot
    }

    /// Where a slot's `prev` and `next` are (adjacent, so on one cache line but for a slot that
    /// straddles two between them).
    private static let linksOffset = MemoryLayout<Slot>.offset(of: \Slot.prev) ?? 0

    /// Whether occupied `slot` is `key`'s: the debouncer's check of the previous read's slot,
    /// which needs no generation (keys are unique) and no hash.
    @inline(__always)
    func holds(_ slot: Int32, _ key: PresenceKey, _ tag: borrowing TagID) -> Bool {
        guard at(slot, key) else { return false }
        return tags.holds(slots[Int(slot)].tag, key, tag)
    }

    @inlinable
    func generation(_ slot: Int32) -> UInt32 { slots[Int(slot)].generation }
    @inlinable
    func isOccupied(_ slot: Int32) -> Bool { slots[Int(slot)].flags & Self.occupied != 0 }
    func isConfirmed(_ slot: Int32) -> Bool { slots[Int(slot)].flags & Self.confirmed != 0 }
    func isScan(_ slot: Int32) -> Bool { slots[Int(slot)].flags & Self.scan != 0 }
    func lastSeen(_ slot: Int32) -> Int64 { epoch + Int64(slots[Int(slot)].lastSeen) }
    func windowReads(_ slot: Int32) -> Int { Int(slots[Int(slot)].windowCount) }
    func readPoint(_ slot: Int32) -> Int32 {
        let point = slots[Int(slot)].readPoint
        return point == Self.widePoint ? wideReadPoints[slot] ?? -1 : Int32(point)
    }
    func reader(_ slot: Int32) -> UInt16 { keepsTotals ? totals[Int(slot)].reader : Read.noReader }
    func technology(_ slot: Int32) -> TagObservation.Technology {
        switch slots[Int(slot)].flags >> Self.technologyShift & 0b11 {
        case 1: .em4100
        case 2: .iso14443a
        default: .epcGen2
        }
    }

    func tag(_ slot: Int32) -> TagID { tags.tag(slots[Int(slot)].tag) }

    /// The tag entry of an occupied slot.
    func tagEntry(_ slot: Int32) -> Int32 { slots[Int(slot)].tag }

    /// The tag's presence read before `slot`, `none` after the last.
    func chainNext(_ slot: Int32) -> Int32 { slots[Int(slot)].chain }

    /// The consumer's record of the slot's tag (one per tag, whatever the read point).
    @inlinable
    func owner(_ slot: Int32) -> Int32 { tags.owner(slots[Int(slot)].tag) }

    mutating func setOwner(_ slot: Int32, index: Int32) { tags.setOwner(slots[Int(slot)].tag, index) }

    /// The tag's presence read last.
    func head(ofTag entry: Int32) -> Int32 { tags.head(entry) }

    /// Notes who read the slot's tag last (two readers may share a read point) and what it is.
    @inline(__always)
    mutating func heard(_ slot: Int32, reader: UInt16, technology: TagObservation.Technology) {
        if keepsTotals { totals[Int(slot)].reader = reader }
        let bits: UInt8 = switch technology {
        case .epcGen2: 0
        case .em4100: 1
        case .iso14443a: 2
        }
        slots[Int(slot)].flags = slots[Int(slot)].flags & ~(0b11 << Self.technologyShift) | bits << Self.technologyShift
    }

    /// The occupied slots, most recently read first (the recency list walked from its tail):
    /// costs the number of present tags, never the table's capacity.
    func visitNewest(_ body: (Int32) -> Void) {
        var cursor = tail
        while cursor != Self.none {
            body(cursor)
            cursor = slots[Int(cursor)].prev
        }
    }

    mutating func confirm(_ slot: Int32) { slots[Int(slot)].flags |= Self.confirmed }

    /// Claims a free slot for `key`, newest in the order, in the tag's `entry` (as the read's
    /// lookup found it), or in a new entry when the tag has none (nil). The caller evicts first
    /// when full (`isFull`, and `tagsFull` for a new tag).
    mutating func insert(_ key: PresenceKey, tag: borrowing TagID, entry: Int32?, at time: Int64, isScan: Bool) -> Int32 {
        let offset = offset(time)
        assert(entry == tags.find(key, tag: tag), "the entry of another tag, or a stale one")
        let entry = entry ?? tags.insert(key, tag: tag)
        let slot = free
        let i = Int(slot)
        free = slots[i].next
        used += 1
        slots[i].tag = entry
        slots[i].chain = tags.head(entry)
        tags.setHead(entry, slot)
        slots[i].readPoint = key.point
        if key.point == Self.widePoint { wideReadPoints[slot] = key.readPoint }
        slots[i].lastSeen = offset
        slots[i].windowCount = 0
        slots[i].windowRSSISum = 0
        slots[i].windowRSSICount = 0
        if keepsTotals { totals[i] = Totals(firstSeen: offset) }
        slots[i].flags = isScan ? Self.occupied | Self.scan : Self.occupied
        linkAtTail(slot)
        return slot
    }

    /// Marks a read now: the slot becomes the newest in the order.
    @inline(__always)
    mutating func touch(_ slot: Int32, at time: Int64) {
        slots[Int(slot)].lastSeen = offset(time)
        guard slot != tail else { return }
        unlink(slot)
        linkAtTail(slot)
    }

    /// Adds one read to the slot's totals and window.
    @inline(__always)
    mutating func record(_ slot: Int32, rssi: Int16?) {
        let i = Int(slot)
        slots[i].windowCount &+= 1
        if let rssi {
            slots[i].windowRSSISum &+= Int32(rssi)
            slots[i].windowRSSICount &+= 1
        }
        guard keepsTotals else { return }
        if totals[i].reads != .max { totals[i].reads += 1 }
        if let rssi, rssi > totals[i].peak { totals[i].peak = rssi }
    }

    /// Takes one read out of the slot's window (it slid out of the ring).
    @inline(__always)
    mutating func forget(_ slot: Int32, rssi: Int16) {
        let i = Int(slot)
        slots[i].windowCount &-= 1
        if rssi != Self.noRSSI {
            slots[i].windowRSSISum &-= Int32(rssi)
            slots[i].windowRSSICount &-= 1
        }
    }

    mutating func remove(_ slot: Int32) {
        let i = Int(slot)
        if slots[i].flags & Self.occupied != 0 {
            unchain(slot)
            used -= 1
        }
        if slots[i].readPoint == Self.widePoint, !wideReadPoints.isEmpty { wideReadPoints[slot] = nil }
        slots[i].tag = Self.none
        slots[i].chain = Self.none
        slots[i].readPoint = 0
        slots[i].flags = 0
        slots[i].generation &+= 1
        unlink(slot)
        slots[i].next = free
        free = slot
    }

    /// Takes an occupied slot out of its tag's chain, and frees the tag's entry with its last
    /// presence.
    private mutating func unchain(_ slot: Int32) {
        let entry = slots[Int(slot)].tag
        let after = slots[Int(slot)].chain
        var cursor = tags.head(entry)
        if cursor == slot {
            tags.setHead(entry, after)
        } else {
            while cursor != Self.none, slots[Int(cursor)].chain != slot { cursor = slots[Int(cursor)].chain }
            if cursor != Self.none { slots[Int(cursor)].chain = after }
        }
        if tags.head(entry) == Self.none { tags.remove(entry) }
    }

    func stats(_ slot: Int32) -> PresenceStats {
        let s = slots[Int(slot)]
        let kept = keepsTotals ? totals[Int(slot)] : nil
        return PresenceStats(
            firstSeen: kept.map { Timestamp(milliseconds: epoch + Int64($0.firstSeen)) },
            lastSeen: Timestamp(milliseconds: epoch + Int64(s.lastSeen)),
            totalReads: kept.map { Int($0.reads) },
            windowReads: Int(s.windowCount),
            windowMeanRSSI: s.windowRSSICount > 0 ? Double(s.windowRSSISum) / Double(s.windowRSSICount) : nil,
            peakRSSI: kept.flatMap { $0.peak == Self.noRSSI ? nil : Int($0.peak) }
        )
    }

    @inlinable @inline(__always)
    func evidence(_ slot: Int32) -> PresenceEvidence {
        let i = Int(slot)
        return PresenceEvidence(lastSeen: epoch + Int64(slots[i].lastSeen), windowReads: Int32(slots[i].windowCount),
                                windowRSSISum: slots[i].windowRSSISum, windowRSSICount: Int32(slots[i].windowRSSICount))
    }

    /// `time` as a slot time, rebasing first when it is outside the 32-bit range after `epoch`.
    @inline(__always)
    private mutating func offset(_ time: Int64) -> UInt32 {
        let (d, overflow) = time.subtractingReportingOverflow(epoch)
        if !overflow, let small = UInt32(exactly: d) { return small }
        rebase(around: time)
        return UInt32(time - epoch)
    }

    /// Moves the epoch to `rebaseHeadroom` before `time` and shifts every present slot's times to
    /// it, saturating at the new range's ends (see the type's comment for why only a very long
    /// presence's `firstSeen` can saturate). Times before `Int64.min + rebaseHeadroom` are taken
    /// as that.
    private mutating func rebase(around time: Int64) {
        let newEpoch = time.saturatingSubtract(Self.rebaseHeadroom)
        var cursor = head
        while cursor != Self.none {
            let i = Int(cursor)
            if keepsTotals { totals[i].firstSeen = MillisecondOffset.shift(totals[i].firstSeen, from: epoch, to: newEpoch) }
            slots[i].lastSeen = MillisecondOffset.shift(slots[i].lastSeen, from: epoch, to: newEpoch)
            cursor = slots[i].next
        }
        epoch = newEpoch
    }

    @inline(__always)
    private mutating func linkAtTail(_ slot: Int32) {
        slots[Int(slot)].prev = tail
        slots[Int(slot)].next = Self.none
        if tail != Self.none { slots[Int(tail)].next = slot } else { head = slot }
        tail = slot
    }

    @inline(__always)
    private mutating func unlink(_ slot: Int32) {
        let p = slots[Int(slot)].prev, n = slots[Int(slot)].next
        if p != Self.none { slots[Int(p)].next = n } else { head = n }
        if n != Self.none { slots[Int(n)].prev = p } else { tail = p }
        slots[Int(slot)].prev = Self.none
        slots[Int(slot)].next = Self.none
    }
}
