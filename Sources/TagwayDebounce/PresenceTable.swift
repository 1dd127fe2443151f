import TagwayModel

/// Fixed-capacity table of present tags, in least-recently-read order.
///
/// One array of slots with an intrusive doubly linked list: the array and its `SlotIndex` are
/// allocated once, at `capacity`, so steady-state operation does not allocate. A slot keeps all its fields together (two cache lines), so a read of a tag
/// among hundreds of thousands touches its slot once instead of a dozen separate arrays. Slots
/// are recycled through a free list; a generation counter per slot lets stale handles (ring
/// entries, zone-engine references) detect that their tag has gone.
struct PresenceTable: Sendable {
    private static let none: Int32 = -1
    private static let noRSSI = Int16.min

    private struct Slot: Sendable {
        /// The key, unpacked (tag, read point, and the scan bit in `flags`), so lookups compare
        /// fields in place instead of copying an optional key out of the array.
        var tag = TagID(bytes: [])
        var readPoint: Int32 = -1
        /// Who read it last and what it is (`Read.reader`, `Read.technology`): in the padding
        /// after `readPoint`, so carrying them costs the slot no bytes.
        var reader: UInt16 = Read.noReader
        var technology: TagObservation.Technology = .epcGen2
        var firstSeen: Int64 = 0
        var lastSeen: Int64 = 0
        var totalReads: Int32 = 0
        var windowCount: Int32 = 0
        var windowRSSISum: Int32 = 0
        var windowRSSICount: Int32 = 0
        var generation: UInt32 = 0
        var prev: Int32 = PresenceTable.none
        var next: Int32 = PresenceTable.none
        var peak: Int16 = PresenceTable.noRSSI
        var flags: UInt8 = 0           // bit 0: occupied, bit 1: confirmed, bit 2: scan
    }

    private var index: SlotIndex
    private let seed = UInt64.random(in: .min ... .max)
    private var slots: [Slot]
    private(set) var count = 0
    private var free: [Int32]
    private var head = PresenceTable.none
    private var tail = PresenceTable.none

    init(capacity: Int) {
        index = SlotIndex(capacity: capacity)
        slots = Array(repeating: Slot(), count: capacity)
        free = (0..<Int32(capacity)).reversed()
    }

    var isFull: Bool { free.isEmpty }
    var oldest: Int32? { head == Self.none ? nil : head }

    func find(_ key: PresenceKey) -> Int32? { find(key, hint: -1) }

    /// Like `find(_:)`, trying `hint` (the slot of the previous read) first: readers report a tag
    /// in the field many times in a row, and then no hash is needed. A slot holding the key is
    /// the key's slot (keys are unique), so the hint needs no generation check.
    func find(_ key: PresenceKey, hint: Int32) -> Int32? {
        if hint >= 0, holds(hint, key) { return hint }
        let hash = hash(key)
        return index.find(hash: hash) { holds($0, key) }
    }

    @inline(__always)
    private func holds(_ slot: Int32, _ key: PresenceKey) -> Bool {
        let i = Int(slot)
        return slots[i].readPoint == key.readPoint && slots[i].flags & 0b101 == (key.isScan ? 0b101 : 0b001)
            && slots[i].tag == key.tag
    }

    private func hash(_ key: PresenceKey) -> UInt64 {
        let salt = UInt64(UInt32(bitPattern: key.readPoint)) << 1 | (key.isScan ? 1 : 0)
        return key.tag.hash64(seed: seed ^ (salt &* 0x9E37_79B9_7F4A_7C15))
    }
    func generation(_ slot: Int32) -> UInt32 { slots[Int(slot)].generation }
    func isOccupied(_ slot: Int32) -> Bool { slots[Int(slot)].flags & 1 != 0 }
    func isConfirmed(_ slot: Int32) -> Bool { slots[Int(slot)].flags & 2 != 0 }
    func isScan(_ slot: Int32) -> Bool { slots[Int(slot)].flags & 4 != 0 }
    func lastSeen(_ slot: Int32) -> Int64 { slots[Int(slot)].lastSeen }
    func windowReads(_ slot: Int32) -> Int { Int(slots[Int(slot)].windowCount) }
    func readPoint(_ slot: Int32) -> Int32 { slots[Int(slot)].readPoint }
    func tag(_ slot: Int32) -> TagID { slots[Int(slot)].tag }
    func reader(_ slot: Int32) -> UInt16 { slots[Int(slot)].reader }
    func technology(_ slot: Int32) -> TagObservation.Technology { slots[Int(slot)].technology }

    /// Notes who read the slot's tag last (two readers may share a read point).
    mutating func heard(_ slot: Int32, reader: UInt16, technology: TagObservation.Technology) {
        slots[Int(slot)].reader = reader
        slots[Int(slot)].technology = technology
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

    mutating func confirm(_ slot: Int32) { slots[Int(slot)].flags |= 2 }

    /// Claims a free slot for `key`, newest in the order. The caller evicts first when full.
    mutating func insert(_ key: PresenceKey, at time: Int64, isScan: Bool) -> Int32 {
        let slot = free.removeLast()
        let i = Int(slot)
        index.insert(slot, hash: hash(key))
        count += 1
        slots[i].tag = key.tag
        slots[i].readPoint = key.readPoint
        slots[i].firstSeen = time
        slots[i].lastSeen = time
        slots[i].totalReads = 0
        slots[i].windowCount = 0
        slots[i].windowRSSISum = 0
        slots[i].windowRSSICount = 0
        slots[i].peak = Self.noRSSI
        slots[i].flags = isScan ? 0b101 : 0b001
        linkAtTail(slot)
        return slot
    }

    /// Marks a read now: the slot becomes the newest in the order.
    mutating func touch(_ slot: Int32, at time: Int64) {
        slots[Int(slot)].lastSeen = time
        guard slot != tail else { return }
        unlink(slot)
        linkAtTail(slot)
    }

    /// Adds one read to the slot's totals and window.
    mutating func record(_ slot: Int32, rssi: Int16?) {
        let i = Int(slot)
        slots[i].totalReads &+= 1
        slots[i].windowCount += 1
        if let rssi {
            slots[i].windowRSSISum += Int32(rssi)
            slots[i].windowRSSICount += 1
            if rssi > slots[i].peak { slots[i].peak = rssi }
        }
    }

    /// Takes one read out of the slot's window (it slid out of the ring).
    mutating func forget(_ slot: Int32, rssi: Int16) {
        let i = Int(slot)
        slots[i].windowCount -= 1
        if rssi != Self.noRSSI {
            slots[i].windowRSSISum -= Int32(rssi)
            slots[i].windowRSSICount -= 1
        }
    }

    mutating func remove(_ slot: Int32) {
        let i = Int(slot)
        if slots[i].flags & 1 != 0 {
            index.remove(slot)
            count -= 1
        }
        slots[i].tag = TagID(bytes: [])
        slots[i].readPoint = -1
        slots[i].reader = Read.noReader
        slots[i].flags = 0
        slots[i].generation &+= 1
        unlink(slot)
        free.append(slot)
    }

    func stats(_ slot: Int32) -> PresenceStats {
        let s = slots[Int(slot)]
        return PresenceStats(
            firstSeen: Timestamp(milliseconds: s.firstSeen),
            lastSeen: Timestamp(milliseconds: s.lastSeen),
            totalReads: Int(s.totalReads),
            windowReads: Int(s.windowCount),
            windowMeanRSSI: s.windowRSSICount > 0 ? Double(s.windowRSSISum) / Double(s.windowRSSICount) : nil,
            peakRSSI: s.peak == Self.noRSSI ? nil : Int(s.peak)
        )
    }

    func evidence(_ slot: Int32) -> PresenceEvidence {
        let i = Int(slot)
        return PresenceEvidence(lastSeen: slots[i].lastSeen, windowReads: slots[i].windowCount,
                                windowRSSISum: slots[i].windowRSSISum, windowRSSICount: slots[i].windowRSSICount)
    }

    private mutating func linkAtTail(_ slot: Int32) {
        slots[Int(slot)].prev = tail
        slots[Int(slot)].next = Self.none
        if tail != Self.none { slots[Int(tail)].next = slot } else { head = slot }
        tail = slot
    }

    private mutating func unlink(_ slot: Int32) {
        let p = slots[Int(slot)].prev, n = slots[Int(slot)].next
        if p != Self.none { slots[Int(p)].next = n } else { head = n }
        if n != Self.none { slots[Int(n)].prev = p } else { tail = p }
        slots[Int(slot)].prev = Self.none
        slots[Int(slot)].next = Self.none
    }
}
