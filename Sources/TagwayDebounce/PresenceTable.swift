import TagwayModel

/// Fixed-capacity table of present tags, in least-recently-read order.
///
/// Struct-of-arrays with an intrusive doubly linked list: every array is allocated once, at
/// `capacity`, and the index dictionary is reserved to that size, so steady-state operation does
/// not allocate. Slots are recycled through a free list; a generation counter per slot lets
/// stale handles (ring entries, zone-engine references) detect that their tag has gone.
struct PresenceTable: Sendable {
    private static let none: Int32 = -1
    private static let noRSSI = Int16.min

    private var index: [PresenceKey: Int32]
    private var keys: [PresenceKey?]
    private var firstSeen: [Int64]
    private var lastSeenAt: [Int64]
    private var totalReads: [Int32]
    private var windowCount: [Int32]
    private var windowRSSISum: [Int32]
    private var windowRSSICount: [Int32]
    private var peak: [Int16]
    private var flags: [UInt8]           // bit 0: occupied, bit 1: confirmed, bit 2: scan
    private var generations: [UInt32]
    private var prev: [Int32]
    private var next: [Int32]
    private var free: [Int32]
    private var head = PresenceTable.none
    private var tail = PresenceTable.none

    init(capacity: Int) {
        index = Dictionary(minimumCapacity: capacity)
        keys = Array(repeating: nil, count: capacity)
        firstSeen = Array(repeating: 0, count: capacity)
        lastSeenAt = Array(repeating: 0, count: capacity)
        totalReads = Array(repeating: 0, count: capacity)
        windowCount = Array(repeating: 0, count: capacity)
        windowRSSISum = Array(repeating: 0, count: capacity)
        windowRSSICount = Array(repeating: 0, count: capacity)
        peak = Array(repeating: Self.noRSSI, count: capacity)
        flags = Array(repeating: 0, count: capacity)
        generations = Array(repeating: 0, count: capacity)
        prev = Array(repeating: Self.none, count: capacity)
        next = Array(repeating: Self.none, count: capacity)
        free = (0..<Int32(capacity)).reversed()
    }

    var count: Int { index.count }
    var isFull: Bool { free.isEmpty }
    var oldest: Int32? { head == Self.none ? nil : head }

    func find(_ key: PresenceKey) -> Int32? { index[key] }
    /// True when the slot is occupied by `key` (compared in place, no copy of the key).
    func holds(_ slot: Int32, _ key: PresenceKey) -> Bool { keys[Int(slot)] == key }
    func generation(_ slot: Int32) -> UInt32 { generations[Int(slot)] }
    func isOccupied(_ slot: Int32) -> Bool { flags[Int(slot)] & 1 != 0 }
    func isConfirmed(_ slot: Int32) -> Bool { flags[Int(slot)] & 2 != 0 }
    func isScan(_ slot: Int32) -> Bool { flags[Int(slot)] & 4 != 0 }
    func lastSeen(_ slot: Int32) -> Int64 { lastSeenAt[Int(slot)] }
    func windowReads(_ slot: Int32) -> Int { Int(windowCount[Int(slot)]) }
    func readPoint(_ slot: Int32) -> Int32 { keys[Int(slot)]!.readPoint }
    func tag(_ slot: Int32) -> TagID { keys[Int(slot)]!.tag }

    mutating func confirm(_ slot: Int32) { flags[Int(slot)] |= 2 }

    /// Claims a free slot for `key`, newest in the order. The caller evicts first when full.
    mutating func insert(_ key: PresenceKey, at time: Int64, isScan: Bool) -> Int32 {
        let slot = free.removeLast()
        let i = Int(slot)
        keys[i] = key
        index[key] = slot
        firstSeen[i] = time
        lastSeenAt[i] = time
        totalReads[i] = 0
        windowCount[i] = 0
        windowRSSISum[i] = 0
        windowRSSICount[i] = 0
        peak[i] = Self.noRSSI
        flags[i] = isScan ? 0b101 : 0b001
        linkAtTail(slot)
        return slot
    }

    /// Marks a read now: the slot becomes the newest in the order.
    mutating func touch(_ slot: Int32, at time: Int64) {
        lastSeenAt[Int(slot)] = time
        guard slot != tail else { return }
        unlink(slot)
        linkAtTail(slot)
    }

    /// Adds one read to the slot's totals and window.
    mutating func record(_ slot: Int32, rssi: Int16?) {
        let i = Int(slot)
        totalReads[i] &+= 1
        windowCount[i] += 1
        if let rssi {
            windowRSSISum[i] += Int32(rssi)
            windowRSSICount[i] += 1
            if rssi > peak[i] { peak[i] = rssi }
        }
    }

    /// Takes one read out of the slot's window (it slid out of the ring).
    mutating func forget(_ slot: Int32, rssi: Int16) {
        let i = Int(slot)
        windowCount[i] -= 1
        if rssi != Self.noRSSI {
            windowRSSISum[i] -= Int32(rssi)
            windowRSSICount[i] -= 1
        }
    }

    mutating func remove(_ slot: Int32) {
        let i = Int(slot)
        if let key = keys[i] { index[key] = nil }
        keys[i] = nil
        flags[i] = 0
        generations[i] &+= 1
        unlink(slot)
        free.append(slot)
    }

    func stats(_ slot: Int32) -> PresenceStats {
        let i = Int(slot)
        let rssiCount = windowRSSICount[i]
        return PresenceStats(
            firstSeen: Timestamp(milliseconds: firstSeen[i]),
            lastSeen: Timestamp(milliseconds: lastSeenAt[i]),
            totalReads: Int(totalReads[i]),
            windowReads: Int(windowCount[i]),
            windowMeanRSSI: rssiCount > 0 ? Double(windowRSSISum[i]) / Double(rssiCount) : nil,
            peakRSSI: peak[i] == Self.noRSSI ? nil : Int(peak[i])
        )
    }

    func evidence(_ slot: Int32) -> PresenceEvidence {
        let i = Int(slot)
        return PresenceEvidence(lastSeen: lastSeenAt[i], windowReads: windowCount[i], windowRSSISum: windowRSSISum[i],
                                windowRSSICount: windowRSSICount[i])
    }

    private mutating func linkAtTail(_ slot: Int32) {
        prev[Int(slot)] = tail
        next[Int(slot)] = Self.none
        if tail != Self.none { next[Int(tail)] = slot } else { head = slot }
        tail = slot
    }

    private mutating func unlink(_ slot: Int32) {
        let p = prev[Int(slot)], n = next[Int(slot)]
        if p != Self.none { next[Int(p)] = n } else { head = n }
        if n != Self.none { prev[Int(n)] = p } else { tail = p }
        prev[Int(slot)] = Self.none
        next[Int(slot)] = Self.none
    }
}
