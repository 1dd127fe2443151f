/// The last `capacity` reads, oldest first, as (slot, generation, time, RSSI).
///
/// The ring is what makes the window statistics exact and bounded: a read leaves its slot's
/// window when it leaves the ring, by age (older than the window) or by overwrite (a storm).
struct ReadRing: Sendable {
    struct Entry: Sendable {
        var slot: Int32
        var generation: UInt32
        var time: Int64
        var rssi: Int16
    }

    private var slots: [Int32]
    private var generations: [UInt32]
    private var times: [Int64]
    private var rssis: [Int16]
    private var start = 0
    private(set) var count = 0

    init(capacity: Int) {
        slots = Array(repeating: 0, count: capacity)
        generations = Array(repeating: 0, count: capacity)
        times = Array(repeating: 0, count: capacity)
        rssis = Array(repeating: 0, count: capacity)
    }

    var isFull: Bool { count == slots.count }
    var oldestTime: Int64? { count == 0 ? nil : times[start] }

    mutating func push(slot: Int32, generation: UInt32, time: Int64, rssi: Int16?) {
        precondition(!isFull, "pop before pushing into a full ring")
        var at = start + count
        if at >= slots.count { at -= slots.count }
        slots[at] = slot
        generations[at] = generation
        times[at] = time
        rssis[at] = rssi ?? Int16.min
        count += 1
    }

    /// Calls `body` with the entries oldest first until it returns false; nothing changes. The
    /// tuning view uses it to leave out reads that have aged out of the window but are still in
    /// the ring because no read or `advance` has come since.
    func visitOldest(_ body: (Entry) -> Bool) {
        var at = start
        for _ in 0..<count {
            if !body(Entry(slot: slots[at], generation: generations[at], time: times[at], rssi: rssis[at])) { return }
            at += 1
            if at == slots.count { at = 0 }
        }
    }

    mutating func popOldest() -> Entry {
        precondition(count > 0, "pop from an empty ring")
        let entry = Entry(slot: slots[start], generation: generations[start], time: times[start], rssi: rssis[start])
        start += 1
        if start == slots.count { start = 0 }
        count -= 1
        return entry
    }
}
