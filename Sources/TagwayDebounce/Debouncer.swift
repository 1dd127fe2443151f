import TagwayModel

/// Turns a flood of reads into presence: one `arrived` per tag per read point while it stays, one
/// `departed` after `departAfter` of silence, one `observed` per barcode scan.
///
/// Memory is fixed at construction: a presence table of `maxPresent` slots, kept in
/// least-recently-read order (an intrusive doubly linked list over arrays), and a ring of the last
/// `ringCapacity` reads that feeds each slot's sliding-window statistics. Because the list is in
/// last-read order, the next departure is always at its head: finding departures costs O(1) per
/// read, and no timer has to scan the table.
///
/// Pure: time comes in with each read and with `advance(to:)`. Time never runs backwards here:
/// a read stamped earlier than one already seen (two readers' clocks disagreeing) is taken as
/// happening at the latest time seen.
public struct Debouncer: Sendable {
    public let configuration: DebouncerConfiguration
    public private(set) var counters = DebouncerCounters()

    @usableFromInline internal(set) var table: PresenceTable
    private(set) var ring: ReadRing
    private(set) var clock: Int64 = .min
    let departAfterMs: Int64
    let windowMs: Int64
    private let holdoffMs: Int64
    /// The slot of the previous read, tried first (a slot holding the key is its slot: keys are unique).
    private var lastSlot: Int32 = -1

    /// The most reads the ring holds, whatever `ringCapacity` asks for: a slot counts its window's
    /// reads in 16 bits (the presence table's slots are sized for that), and a window never holds
    /// more reads than the ring. 65,535 reads is a storm of 32,000 reads/s over the default 2 s
    /// window; beyond it the window is shorter, as for any full ring.
    public static let maxRingCapacity = Int(UInt16.max)

    /// `keepsTotals`: whether sightings and `stats(_:)` carry each presence's first read, read
    /// count, peak RSSI and last reader (12 bytes a presence, kept beside its slot). The movement
    /// engine keeps its own figures per asset, reads only the window's, and turns them off.
    public init(configuration: DebouncerConfiguration = DebouncerConfiguration(), keepsTotals: Bool = true) {
        precondition(configuration.problems.isEmpty, configuration.problems.joined(separator: "; "))
        self.configuration = configuration
        table = PresenceTable(capacity: configuration.maxPresent, tagCapacity: configuration.maxTags, keepsTotals: keepsTotals)
        ring = ReadRing(capacity: Swift.min(configuration.ringCapacity, Self.maxRingCapacity))
        departAfterMs = configuration.departAfter.wholeMilliseconds
        windowMs = Swift.min(configuration.window, DebouncerConfiguration.longestWindow).wholeMilliseconds
        holdoffMs = configuration.scanHoldoff.wholeMilliseconds
    }

    /// Tags present now, all read points together.
    public var presentCount: Int { table.count }

    /// The earliest time at which `advance(to:)` would report something (a departure or the end
    /// of a scan hold-off), so a driver can sleep exactly until then instead of ticking.
    public var nextDeadline: Timestamp? {
        guard let head = table.oldest else { return nil }
        let quiet = table.isScan(head) ? holdoffMs : departAfterMs
        return Timestamp(milliseconds: table.lastSeen(head).saturatingAdd(quiet))
    }

    /// Takes one RFID read. Appends the sightings it causes (departures of other tags that fell
    /// due by this time, then this tag's arrival) to `sightings`, and returns the tag's slot,
    /// whose statistics `stats(slot:)` reads while the tag stays present.
    @discardableResult
    public mutating func ingest(_ read: Read, into sightings: inout [Sighting]) -> PresenceSlot {
        makeUnique()
        let now = advanceClock(read.time.milliseconds, into: &sightings)
        counters.reads += 1
        let key = PresenceKey(readPoint: read.readPoint, tag: read.tag)
        let slot: Int32
        // The previous read's slot first, in line: readers report a tag in the field many times
        // in a row, and then neither a hash nor a call is needed.
        if lastSlot >= 0, table.holds(lastSlot, key, read.tag) {
            slot = lastSlot
            table.touch(slot, at: now)
        } else {
            let found = table.findForRead(key, tag: read.tag)
            if let existing = found.slot {
                slot = existing
                table.touch(slot, at: now)
            } else {
                let entry = makeRoom(for: key, tag: read.tag, entry: found.entry, now: now, into: &sightings)
                slot = table.insert(key, tag: read.tag, entry: entry, at: now, isScan: false)
            }
        }
        lastSlot = slot
        table.heard(slot, reader: read.reader, technology: read.technology)
        let rssi = read.rssi.map { Int16(clamping: $0) }
        table.record(slot, rssi: rssi)
        if ring.isFull { expire(ring.popOldest()) }
        ring.push(slot: slot, generation: table.generation(slot), time: now, rssi: rssi)

        if !table.isConfirmed(slot), table.windowReads(slot) >= configuration.arriveAfterReads {
            table.confirm(slot)
            counters.arrivals += 1
            sightings.append(sighting(.arrived, slot: slot, time: now))
        }
        return PresenceSlot(index: slot, generation: table.generation(slot))
    }

    /// How far ahead of its ingestion a read's state is being loaded (see `prefetch(_:_:)`).
    public enum PrefetchStage: Sendable {
        /// Four reads ahead: its tag's index bucket.
        case bucket
        /// Three reads ahead: its tag's entry, from the bucket.
        case tag
        /// Two reads ahead: the tag's presence slot read last, from the entry.
        case slot
        /// The next read: its slot's neighbours in the recency order, from the slot.
        case links
    }

    /// Whether `prefetch(_:_:)` is worth its cost: only when the present tags' slots and entries
    /// no longer fit in the processor's caches (a million bytes and more). On a small working set
    /// every line is in the cache already and the hints would only add work (a hash of the read
    /// and a probe of the index at each stage).
    public var prefetchPays: Bool {
        table.count &* PresenceTable.slotStride &+ table.tagCount &* TagTable.entryStride >= 1 << 20
    }

    /// A hint for a read that will be ingested soon, which changes nothing: starts loading into
    /// the cache what that read's lookup will touch, one step per `stage`. With hundreds of
    /// thousands of tags present, a read's index bucket, its tag's entry, its slot and the slot's
    /// neighbours in the recency order are cache misses, each waited for in turn (the entry's
    /// number is in the bucket, the slot's in the entry, the neighbours' in the slot). A driver
    /// that knows its next reads (a report's tags) asks for `.bucket` four reads ahead, `.tag`
    /// three, `.slot` two and `.links` one, and the read finds them loaded. Returns, at `.slot`,
    /// the owner of the tag when it has one, and at `.links` the slot when the tag is present at
    /// the read's read point (the engine loads its own record of it too); nil otherwise.
    @discardableResult
    public func prefetch(_ read: borrowing Read, _ stage: PrefetchStage) -> PrefetchHint? {
        let key = PresenceKey(readPoint: read.readPoint, tag: read.tag)
        switch stage {
        case .bucket: table.prefetchBucket(key, tag: read.tag)
        case .tag: table.prefetchTag(key, tag: read.tag)
        case .slot:
            return table.prefetchSlot(key, tag: read.tag).map { .owner(PresenceOwner(index: $0)) }
        case .links:
            guard let slot = table.prefetchLinks(key, tag: read.tag) else { return nil }
            return .slot(PresenceSlot(index: slot, generation: table.generation(slot)))
        }
        return nil
    }

    /// What a prefetch stage found for the consumer to load its own state by.
    public enum PrefetchHint: Hashable, Sendable {
        case owner(PresenceOwner)
        case slot(PresenceSlot)
    }

    /// Takes one barcode scan (the code as bytes, e.g. the scan's data) and reports it as
    /// `observed` unless the same code was scanned at the same read point within the hold-off.
    /// `reader` is the scanner, as its driver interned it (see `Read.reader`).
    public mutating func ingestScan(readPoint: Int32, code: TagID, time: Timestamp, reader: UInt16 = Read.noReader,
                                    into sightings: inout [Sighting]) {
        makeUnique()
        let now = advanceClock(time.milliseconds, into: &sightings)
        counters.scans += 1
        let key = PresenceKey(readPoint: readPoint, tag: code, isScan: true)
        if holdoffMs > 0 {
            let found = table.findForRead(key, tag: code)
            if let slot = found.slot {
                table.touch(slot, at: now)
                counters.scansHeldOff += 1
                return
            }
            let entry = makeRoom(for: key, tag: code, entry: found.entry, now: now, into: &sightings)
            let slot = table.insert(key, tag: code, entry: entry, at: now, isScan: true)
            table.heard(slot, reader: reader, technology: .epcGen2)
            table.record(slot, rssi: nil)
        }
        sightings.append(Sighting(kind: .observed, readPoint: readPoint, tag: code, time: Timestamp(milliseconds: now),
                                  firstSeen: Timestamp(milliseconds: now), lastSeen: Timestamp(milliseconds: now),
                                  reads: 1, peakRSSI: nil, reader: reader))
    }

    /// Moves time forward with no read, reporting departures that fell due.
    public mutating func advance(to time: Timestamp, into sightings: inout [Sighting]) {
        makeUnique()
        _ = advanceClock(time.milliseconds, into: &sightings)
    }

    /// Sliding-window statistics of a present tag at one read point; nil once it has departed.
    public func stats(_ slot: PresenceSlot) -> PresenceStats? {
        guard table.contains(slot.index), table.generation(slot.index) == slot.generation,
              table.isOccupied(slot.index) else { return nil }
        return table.stats(slot.index)
    }

    /// The window figures of a present tag at one read point as integers; nil once it departed.
    /// The cheap form of `stats(_:)` for callers that compare read points on every read.
    @inlinable @inline(__always)
    public func evidence(_ slot: PresenceSlot) -> PresenceEvidence? {
        guard table.contains(slot.index), table.generation(slot.index) == slot.generation,
              table.isOccupied(slot.index) else { return nil }
        return table.evidence(slot.index)
    }

    /// The consumer's record of a present slot's tag (the movement engine's asset for it), kept
    /// with the tag (one for all its read points) so the consumer finds its own state from the
    /// slot this read already found instead of hashing the tag a second time. Nil when none was
    /// set since the tag's first presence, or the handle is stale (or its slot not occupied: a
    /// copy of the debouncer taken before the read). The record may have been freed and reused
    /// by the consumer since it was set: the consumer checks that it still holds this tag.
    @inlinable @inline(__always)
    public func owner(_ slot: PresenceSlot) -> PresenceOwner? {
        guard table.contains(slot.index), table.generation(slot.index) == slot.generation,
              table.isOccupied(slot.index) else { return nil }
        let index = table.owner(slot.index)
        return index < 0 ? nil : PresenceOwner(index: index)
    }

    /// Records `owner` for a present slot's tag; a stale handle is ignored.
    public mutating func setOwner(_ slot: PresenceSlot, to owner: PresenceOwner) {
        guard table.contains(slot.index), table.generation(slot.index) == slot.generation,
              table.isOccupied(slot.index) else { return }
        makeUnique()
        table.setOwner(slot.index, index: owner.index)
    }

    // MARK: internals

    /// Gives this copy its own table and ring if another copy shares them; once per mutating
    /// entry point, because the tables' writes do not check (see `FixedBuffer`).
    @inline(__always)
    private mutating func makeUnique() {
        table.makeUnique()
        ring.makeUnique()
    }

    /// Per read: the clock, the window's expiries, and a look at the oldest presence. Departures
    /// are rare, so their loop (which builds sightings) is out of line and this stays small
    /// enough to keep in registers.
    @inline(__always)
    private mutating func advanceClock(_ time: Int64, into sightings: inout [Sighting]) -> Int64 {
        if time > clock { clock = time } else if time < clock { counters.lateReads &+= 1 }
        let now = clock
        let horizon = now.saturatingSubtract(windowMs)
        while let old = ring.oldestTime, old <= horizon { expire(ring.popOldest()) }
        if let head = table.oldest, table.lastSeen(head).saturatingAdd(table.isScan(head) ? holdoffMs : departAfterMs) <= now {
            departDue(now: now, into: &sightings)
        }
        return now
    }

    /// Reports and frees the presences that have gone quiet for `departAfter` (scans: their
    /// hold-off) by `now`, oldest first.
    @inline(never)
    private mutating func departDue(now: Int64, into sightings: inout [Sighting]) {
        while let head = table.oldest {
            let scan = table.isScan(head)
            let due = table.lastSeen(head).saturatingAdd(scan ? holdoffMs : departAfterMs)
            guard due <= now else { break }
            if !scan, table.isConfirmed(head) {
                counters.departures += 1
                sightings.append(sighting(.departed, slot: head, time: due))
            }
            table.remove(head)
        }
    }

    /// Frees a slot for `key` when the table is full, then a tag entry when `key`'s tag has none
    /// and the tags are full (the slot evicted first may have freed one). `entry` is the tag's as
    /// the read's lookup found it; returned as it is after the evictions (nil when the tag has
    /// none: the presence evicted for a slot may have been its tag's last), so the insert that
    /// follows does not look the tag up again.
    @inline(__always)
    private mutating func makeRoom(for key: PresenceKey, tag: borrowing TagID, entry: Int32?, now: Int64,
                                   into sightings: inout [Sighting]) -> Int32? {
        var entry = entry
        if table.isFull {
            evictOldest(now: now, into: &sightings)
            if entry != nil { entry = table.tagEntry(of: key, tag: tag) }
        }
        if entry == nil, table.tagsFull { evictOldestTag(now: now, into: &sightings) }
        return entry
    }

    private mutating func evictOldest(now: Int64, into sightings: inout [Sighting]) {
        guard let head = table.oldest else { return }
        evict(head, now: now, into: &sightings)
    }

    /// The tag of the least recently read presence leaves at every read point, so its entry is
    /// free for a new tag: the presence read last first, each counted and reported as an eviction.
    private mutating func evictOldestTag(now: Int64, into sightings: inout [Sighting]) {
        guard let oldest = table.oldest else { return }
        var slot = table.head(ofTag: table.tagEntry(oldest))
        while slot != PresenceTable.none {
            let next = table.chainNext(slot)
            evict(slot, now: now, into: &sightings)
            slot = next
        }
    }

    private mutating func evict(_ slot: Int32, now: Int64, into sightings: inout [Sighting]) {
        counters.evictions += 1
        if !table.isScan(slot), table.isConfirmed(slot) {
            counters.departures += 1
            var departed = sighting(.departed, slot: slot, time: now)
            departed.evicted = true
            sightings.append(departed)
        }
        table.remove(slot)
    }

    private mutating func expire(_ entry: ReadRing.Entry) {
        guard table.generation(entry.slot) == entry.generation, table.isOccupied(entry.slot) else { return }
        table.forget(entry.slot, rssi: entry.rssi)
    }

    private func sighting(_ kind: Sighting.Kind, slot: Int32, time: Int64) -> Sighting {
        let stats = table.stats(slot)
        return Sighting(kind: kind, readPoint: table.readPoint(slot), tag: table.tag(slot),
                        time: Timestamp(milliseconds: time), firstSeen: stats.firstSeen, lastSeen: stats.lastSeen,
                        reads: stats.totalReads, peakRSSI: stats.peakRSSI, reader: table.reader(slot),
                        technology: table.technology(slot))
    }
}

/// A handle on a present tag's slot; stale once the tag departs (the generation changes).
public struct PresenceSlot: Hashable, Sendable {
    public var index: Int32
    public var generation: UInt32
}

/// A consumer's record (an index into its own table) that the debouncer keeps for a present
/// slot: see `Debouncer.owner(_:)`.
public struct PresenceOwner: Hashable, Sendable {
    public var index: Int32

    public init(index: Int32) {
        self.index = index
    }
}

/// What the debouncer has counted since it started; shown in reader health and `tagway status`.
public struct DebouncerCounters: Hashable, Sendable {
    public var reads = 0
    public var scans = 0
    public var scansHeldOff = 0
    public var arrivals = 0
    public var departures = 0
    /// Presences pushed out of a full table: raise `maxPresent` (or `maxTags`, when set) if this grows.
    public var evictions = 0
    /// Reads stamped earlier than the latest time already seen.
    public var lateReads = 0
}
