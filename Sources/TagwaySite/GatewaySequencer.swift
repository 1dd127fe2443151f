import TagwayModel

/// Puts one gateway's events back in `seq` order and lets each through once.
///
/// A gateway numbers its events with `seq` as its log commits them, and its sink delivers them in
/// that order, at least once. Between it and the site, a stream can redeliver (a consumer that
/// restarted, an ack that was lost) and a failover can deliver a later message before an earlier
/// one. So: a `seq` already let through, or already held, is a duplicate; a `seq` past the next
/// one expected is held until the gap fills, or until `gapTimeout` says the missing events are
/// not coming (a stream that aged them out), when the gap is skipped and reported.
public struct GatewaySequencer: Sendable {
    /// The next `seq` expected. A gateway's log numbers from 1, so a new gateway starts there: its
    /// first events may arrive in any order. A site that joins after the stream aged out a
    /// gateway's first events waits `gapTimeout` for them, then reports them missed, which they are.
    public private(set) var next: Int64
    private var held: [Int64: MovementEvent] = [:]
    /// When the current gap was first seen; nil while nothing is held.
    private var gapSince: Timestamp?
    private let gapTimeout: Duration
    private let maxHeld: Int
    public private(set) var counters = Counters()

    public struct Counters: Hashable, Sendable {
        public var applied = 0
        public var duplicates = 0
        /// Gaps given up on, and the events they were missing.
        public var gapsSkipped = 0
        public var eventsMissed: Int64 = 0
    }

    /// A gap given up on: events `from...through` never came.
    public struct SkippedGap: Hashable, Sendable {
        public var from: Int64
        public var through: Int64
    }

    /// `next`: where a restarted site left off (the `seq` after the last it applied).
    public init(next: Int64 = 1, gapTimeout: Duration, maxHeld: Int) {
        self.next = next
        self.gapTimeout = gapTimeout
        self.maxHeld = max(1, maxHeld)
    }

    public var heldCount: Int { held.count }

    /// When `advance(to:)` would give up on the current gap.
    public var nextDeadline: Timestamp? { gapSince.map { $0 + gapTimeout } }

    /// Takes one event (its `seq` must be set, from 1) and returns the events it lets through, in
    /// order, with the gap skipped when holding it would pass `maxHeld`.
    public mutating func receive(_ event: MovementEvent, at now: Timestamp) -> (released: [MovementEvent], skipped: SkippedGap?) {
        guard let seq = event.seq, seq >= 1 else { return ([], nil) }
        let expected = next
        if seq < expected || held[seq] != nil {
            counters.duplicates += 1
            return ([], nil)
        }
        held[seq] = event
        if seq == expected { return (release(), nil) }
        if gapSince == nil { gapSince = now }
        guard held.count > maxHeld else { return ([], nil) }
        let gap = skipGap()
        return (release(), gap)
    }

    /// Gives up on a gap older than `gapTimeout`, returning what that lets through.
    public mutating func advance(to now: Timestamp) -> (released: [MovementEvent], skipped: SkippedGap?) {
        guard let since = gapSince, since + gapTimeout <= now, !held.isEmpty else { return ([], nil) }
        let gap = skipGap()
        let released = release()
        gapSince = held.isEmpty ? nil : now
        return (released, gap)
    }

    private mutating func skipGap() -> SkippedGap? {
        let expected = next
        guard let first = held.keys.min(), first > expected else { return nil }
        counters.gapsSkipped += 1
        counters.eventsMissed = counters.eventsMissed.saturatingAdd(first.saturatingSubtract(expected))
        next = first
        return SkippedGap(from: expected, through: first.saturatingSubtract(1))
    }

    private mutating func release() -> [MovementEvent] {
        var out: [MovementEvent] = []
        while next < .max, let event = held.removeValue(forKey: next) {
            out.append(event)
            counters.applied += 1
            next += 1
        }
        if held.isEmpty { gapSince = nil }
        return out
    }
}
