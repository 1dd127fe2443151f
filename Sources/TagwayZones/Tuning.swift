import TagwayModel

/// The engine's tuning as configured, in the units the tuning view shows (milliseconds, dB).
public struct TuningSettings: Hashable, Sendable {
    public var threshold: Double
    public var holdoffMs: Int64
    public var slopePerSecond: Double
    public var floor: Double
    public var moveAfterReads: Int
    public var departAfterMs: Int64
    /// The debouncer's window, over which read rates and mean RSSI are taken.
    public var windowMs: Int64
}

/// One read point that hears a tag: its evidence over the window and what the engine makes of it.
public struct ReadPointEvidence: Hashable, Sendable {
    public var readPoint: String
    public var zone: String?
    /// The door side of the read point, in a door zone.
    public var side: DoorSide?
    /// The read point that holds the asset (its zone is the asset's zone).
    public var anchor: Bool
    public var windowReads: Int
    public var readsPerSecond: Double
    public var meanRSSI: Double?
    /// nil: the read point holds the asset but has not read it since (a restored asset).
    public var lastSeenMsAgo: Int64?
    /// The mobility rule against the anchor; nil for the anchor itself and for an untracked tag.
    public var handOver: HandOver?
    /// Why the read point holds the asset or does not take it, in words.
    public var why: String
}

/// One tag as the engine sees it now: where it is, and every read point that hears it.
public struct TagTuning: Hashable, Sendable {
    public var tag: TagID
    /// Placed by a barcode scan (its tag is the scan key).
    public var isScan: Bool
    /// nil while the tag is heard but not yet placed.
    public var zone: String?
    public var anchor: String?
    public var since: Timestamp?
    /// How long the asset's zone has not read it.
    public var silentMs: Int64?
    /// The anchor first, then by mean RSSI (strongest first), then by reads.
    public var readPoints: [ReadPointEvidence]
    /// Why the tag has no zone, when it has none.
    public var note: String?
}

/// One tag a read point hears.
public struct HeardTag: Hashable, Sendable {
    public var tag: TagID
    /// The asset's zone now (nil: not placed yet).
    public var zone: String?
    /// This read point holds the asset.
    public var anchor: Bool
    public var windowReads: Int
    public var readsPerSecond: Double
    public var meanRSSI: Double?
    public var lastSeenMsAgo: Int64
}

/// Every tag one read point hears, strongest first.
public struct ReadPointTuning: Hashable, Sendable {
    public var readPoint: String
    public var zone: String?
    public var side: DoorSide?
    /// By mean RSSI (no RSSI last), then by reads in the window; at most the limit asked for.
    public var tags: [HeardTag]
    /// More tags were heard than the limit.
    public var truncated: Bool
}
