/// The last `capacity` reads, oldest first, as (slot, generation, time, RSSI).
///
/// The ring is what makes the window statistics exact and bounded: a read leaves its slot's
/// window when it leaves the ring, by age (older than the window) or by overwrite (a storm).
/// One buffer of 24-byte entries rather than one array per field; a `FixedBuffer`, so the owner
/// calls `makeUnique()` before pushing or popping (once per read, not once per write).
struct ReadRing: Sendable {
    struct Entry: Sendable {
        var time: Int64
        var slot: Int32
        var generation: UInt32
        var rssi: Int16
    }

    private var entries: FixedBuffer<Entry>
    private var start = 0
    private(set) var count = 0

    init(capacity: Int) {
        entries = FixedBuffer(repeating: Entry(time: 0, slot: 0, generation: 0, rssi: 0), count: capacity)
    }

    @inline(__always)
    mutating func makeUnique() { entries.makeUnique() }

    var isFull: Bool { count == entries.count }
    var oldestTime: Int64? { count == 0 ? nil : entries[start].time }

    @inline(__always)
    mutating func push(slot: Int32, generation: UInt32, time: Int64, rssi: Int16?) {
        precondition(!isFull, "pop before pushing into a full ring")
        var at = start + count
        if at >= entries.count { at -= entries.count }
        entries[at] = Entry(time: time, slot: slot, generation: generation, rssi: rssi ?? Int16.min)
        count += 1
    }

    /// Calls `body` with the entries oldest first until it returns false; nothing changes. The
    /// tuning view uses it to leave out reads that have aged out of the window but are still in
    /// the ring because no read or `advance` has come since.
    func visitOldest(_ body: (Entry) -> Bool) {
        var at = start
        for _ in 0..<count {
            if !body(entries[at]) { return }
            at += 1
            if at == entries.count { at = 0 }
        }
    }

    @inline(__always)
    mutating func popOldest() -> Entry {
        precondition(count > 0, "pop from an empty ring")
        let entry = entries[start]
        start += 1
        if start == entries.count { start = 0 }
        count -= 1
        return entry
    }
}
