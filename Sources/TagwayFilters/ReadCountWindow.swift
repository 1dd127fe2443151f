import TagwayModel

/// `minReads`: the recent read times of each tag at one reader or read point, in a fixed table
/// allocated once, so counting costs no allocation per read.
///
/// The table is set-associative: a tag hashes to a set of `ways` slots and lives in one of them.
/// A slot whose newest read is older than the window is free; when every slot of a set is in
/// use, the one read longest ago is forgotten. Forgetting a tag can only make it wait for its
/// count again, never let a read through early. Each slot keeps the last `count - 1` read times,
/// which is all "`count` reads within `within`" needs.
struct ReadCountWindow: Sendable {
    static let ways = 8
    let count: Int
    let within: Int64
    private let setMask: Int
    private let seed: UInt64
    /// Per slot: the id's leading words, its length and technology, and its newest read.
    private var keys: [(UInt64, UInt64, UInt32)]
    private var newest: [Int64]
    /// Per slot, `count - 1` read times in a ring, `Int64.min` when empty; and the ring's next index.
    private var times: [Int64]
    private var next: [UInt8]

    /// `capacity`: tags counted at once (rounded up to a power of two, at least `ways`).
    init(_ minReads: MinReads, capacity: Int = 4_096, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) {
        count = max(1, min(minReads.count, MinReads.maxCount))
        within = max(0, minReads.within.wholeMilliseconds)
        var sets = 1
        while sets * Self.ways < capacity { sets <<= 1 }
        setMask = sets - 1
        self.seed = seed
        let slots = sets * Self.ways
        keys = Array(repeating: (0, 0, 0), count: slots)
        newest = Array(repeating: .min, count: slots)
        times = Array(repeating: .min, count: slots * max(1, count - 1))
        next = Array(repeating: 0, count: slots)
    }

    /// Records a read of `tag` at `time` and says whether it is at least the `count`-th read of
    /// the tag within `within` (this read included).
    mutating func record(_ tag: TagID, technology: TagObservation.Technology, at time: Int64) -> Bool {
        guard count > 1 else { return true }
        let words = tag.leadingWords
        let key = (words.0, words.1, UInt32(truncatingIfNeeded: min(tag.count, 0xFFFF)) << 8 | Self.code(technology))
        let base = (Int(truncatingIfNeeded: tag.hash64(seed: seed ^ UInt64(key.2))) & setMask) * Self.ways
        let oldest = time.saturatingSubtract(within)
        var slot = -1
        var victim = base
        for way in base..<(base + Self.ways) {
            if keys[way] == key, newest[way] != .min {
                slot = way
                break
            }
            // Free (never used, or nothing within the window) beats the least recently read.
            if newest[victim] >= oldest, newest[way] < newest[victim] { victim = way }
        }
        let ring = count - 1
        if slot < 0 {
            slot = victim
            keys[slot] = key
            newest[slot] = .min
            next[slot] = 0
            for index in (slot * ring)..<(slot * ring + ring) { times[index] = .min }
        }
        var recent = 1
        for index in (slot * ring)..<(slot * ring + ring) where times[index] >= oldest && times[index] != .min {
            recent += 1
        }
        times[slot * ring + Int(next[slot])] = time
        next[slot] = next[slot] + 1 == UInt8(ring) ? 0 : next[slot] + 1
        newest[slot] = max(newest[slot], time)
        return recent >= count
    }

    private static func code(_ technology: TagObservation.Technology) -> UInt32 {
        switch technology {
        case .epcGen2: 0
        case .em4100: 1
        case .iso14443a: 2
        }
    }
}
