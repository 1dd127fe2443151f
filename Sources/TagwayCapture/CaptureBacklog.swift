/// The bound on what a reader's recorder holds in memory, and its drop episodes: pure, so the
/// bound and the once-per-episode log line are tested without threads or a disk.
///
/// Records wait here between the reading (which must never wait) and the writer (which may be
/// slow: a loaded SD card, a full disk). Past `capacity` bytes a record is dropped and counted.
/// An episode of drops starts at the first drop and ends at the next successful write, so the
/// log says "dropping" once and "recording again, N dropped" once, however long the disk is slow.
public struct CaptureBacklog: Sendable {
    public enum Offer: Hashable, Sendable {
        case accepted
        /// Dropped; `startsEpisode`: the first drop since records were last written.
        case dropped(startsEpisode: Bool)
    }

    public let capacity: Int
    /// Bytes offered and not yet taken by the writer.
    public private(set) var pendingBytes = 0
    /// Records dropped since start (full backlog or failed writes).
    public private(set) var dropped = 0
    /// Records dropped in the current episode (0: no episode).
    public private(set) var episodeDropped = 0

    public init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// What a record of `bytes` costs in memory while it waits (its encoded size, near enough).
    public static func cost(payloadBytes: Int) -> Int {
        payloadBytes > Int.max / 4 ? Int.max / 2 : 2 * payloadBytes + 32
    }

    public mutating func offer(bytes: Int) -> Offer {
        let size = max(0, bytes)
        guard size <= capacity - pendingBytes else { return drop(1) }
        pendingBytes += size
        return .accepted
    }

    /// The writer took records worth `bytes` off the queue.
    public mutating func taken(bytes: Int) {
        pendingBytes = max(0, pendingBytes - max(0, bytes))
    }

    /// The writer could not write `count` records it had taken; true when that starts an episode.
    public mutating func lost(records count: Int) -> Bool {
        guard count > 0 else { return false }
        if case .dropped(let starts) = drop(count) { return starts }
        return false
    }

    /// Records reached the file: an episode in progress ends, and its drops are returned.
    public mutating func written() -> Int? {
        guard episodeDropped > 0 else { return nil }
        defer { episodeDropped = 0 }
        return episodeDropped
    }

    private mutating func drop(_ count: Int) -> Offer {
        let starts = episodeDropped == 0
        dropped = dropped.addingReportingOverflow(count).overflow ? Int.max : dropped + count
        episodeDropped = episodeDropped.addingReportingOverflow(count).overflow ? Int.max : episodeDropped + count
        return .dropped(startsEpisode: starts)
    }
}
