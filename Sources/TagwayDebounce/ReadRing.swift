import TagwayModel

/// The last `capacity` reads, oldest first, as (slot, generation, time, RSSI).
///
/// The ring is what makes the window statistics exact and bounded: a read leaves its slot's
/// window when it leaves the ring, by age (older than the window) or by overwrite (a storm).
/// One buffer of 16-byte entries rather than one array per field; a `FixedBuffer`, so the owner
/// calls `makeUnique()` before pushing or popping (once per read, not once per write).
///
/// A stored time is 32-bit milliseconds after `base`, so an entry is 16 bytes, not 24 (the
/// default ring of 65,535 reads: 1 MiB instead of 1.5). Times pushed only grow (the debouncer's
/// clock), and the debouncer pops every read older than its window before it pushes, so the
/// ring spans less than the window, at most 24 days (`DebouncerConfiguration.longestWindow`):
/// when a time no longer fits after `base`, `base` moves up to the oldest read
/// (`rebase(for:)`), once every 49 days of stream at most, and every time fits again.
struct ReadRing: Sendable {
    /// A read as the debouncer sees it.
    struct Entry: Sendable {
        var time: Int64
        var slot: Int32
        var generation: UInt32
        var rssi: Int16
    }

    /// A read as the ring keeps it: its time after `base`.
    private struct Stored: Sendable {
        var offset: UInt32
        var slot: Int32
        var generation: UInt32
        var rssi: Int16
    }

    private var entries: FixedBuffer<Stored>
    private var start = 0
    private(set) var count = 0
    /// What stored times are relative to: the first read pushed into an empty ring, moved up by
    /// `rebase(for:)`.
    private var base: Int64 = 0

    init(capacity: Int) {
        entries = FixedBuffer(repeating: Stored(offset: 0, slot: 0, generation: 0, rssi: 0), count: capacity)
    }

    static var entryStride: Int { MemoryLayout<Stored>.stride }

    @inline(__always)
    mutating func makeUnique() { entries.makeUnique() }

    var isFull: Bool { count == entries.count }
    var oldestTime: Int64? { count == 0 ? nil : base &+ Int64(entries[start].offset) }

    @inline(__always)
    mutating func push(slot: Int32, generation: UInt32, time: Int64, rssi: Int16?) {
        precondition(!isFull, "pop before pushing into a full ring")
        if count == 0 { base = time }
        var (d, overflow) = time.subtractingReportingOverflow(base)
        if overflow || d < 0 || d > Int64(UInt32.max) {
            rebase(for: time)
            d = time &- base
        }
        var at = start + count
        if at >= entries.count { at -= entries.count }
        entries[at] = Stored(offset: UInt32(truncatingIfNeeded: d), slot: slot, generation: generation, rssi: rssi ?? Int16.min)
        count += 1
    }

    /// Calls `body` with the entries oldest first until it returns false; nothing changes. The
    /// tuning view uses it to leave out reads that have aged out of the window but are still in
    /// the ring because no read or `advance` has come since.
    func visitOldest(_ body: (Entry) -> Bool) {
        var at = start
        for _ in 0..<count {
            if !body(entry(entries[at])) { return }
            at += 1
            if at == entries.count { at = 0 }
        }
    }

    @inline(__always)
    mutating func popOldest() -> Entry {
        precondition(count > 0, "pop from an empty ring")
        let stored = entries[start]
        start += 1
        if start == entries.count { start = 0 }
        count -= 1
        return entry(stored)
    }

    @inline(__always)
    private func entry(_ stored: Stored) -> Entry {
        Entry(time: base &+ Int64(stored.offset), slot: stored.slot, generation: stored.generation, rssi: stored.rssi)
    }

    /// Moves `base` so that `time` fits: to the oldest read, or, for a ring spanning more than
    /// 32 bits of milliseconds (the debouncer never makes one), to the earliest base `time` fits
    /// after, older reads taken as at that base. A `time` before `base` (never pushed by the
    /// debouncer either) becomes the base, and reads more than 32 bits after it are taken as
    /// 32 bits after it.
    private mutating func rebase(for time: Int64) {
        let oldest = base &+ Int64(entries[start].offset)
        let newBase = Swift.min(time, Swift.max(oldest, time.saturatingSubtract(Int64(UInt32.max))))
        var at = start
        for _ in 0..<count {
            entries[at].offset = MillisecondOffset.shift(entries[at].offset, from: base, to: newBase)
            at += 1
            if at == entries.count { at = 0 }
        }
        base = newBase
    }
}
