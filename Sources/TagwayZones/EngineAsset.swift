import TagwayModel

/// One tracked asset as the engine holds it, with names instead of indices: what the pipeline
/// writes to the log's `assets` table, and what a restart hands back to `restore`.
public struct EngineAsset: Hashable, Sendable {
    public var tag: TagID
    public var isScan: Bool
    /// Its zone's id when it was taken. `restore` ignores it for placement (the zone comes from
    /// the read point in the configuration of now); a departure at restore names it.
    public var zone: String
    /// The anchor read point, the one holding it.
    public var readPoint: String
    /// The reader of its latest read at `readPoint`; nil when the reads named none.
    public var reader: String?
    /// What kind of tag it is; nil for scans.
    public var technology: TagObservation.Technology?
    /// When it entered its zone.
    public var since: Timestamp
    public var lastRead: Timestamp
    public var lastSeenInZone: Timestamp
    /// In a door zone: the side last reported, and the side the freshest evidence leans to.
    public var reportedSide: DoorSide?
    public var leanSide: DoorSide?
    public var reads: Int
    public var peakRSSI: Int?
    /// Ids of the rules whose alert episode is open.
    public var episodes: [String]
    /// Placed by a scan at a `mode: scan` zone: never departs by silence.
    public var stationed: Bool

    public init(tag: TagID, isScan: Bool, zone: String, readPoint: String, since: Timestamp, lastRead: Timestamp,
                lastSeenInZone: Timestamp, reportedSide: DoorSide? = nil, leanSide: DoorSide? = nil, reads: Int = 0,
                peakRSSI: Int? = nil, episodes: [String] = [], stationed: Bool = false, reader: String? = nil,
                technology: TagObservation.Technology? = nil) {
        self.tag = tag
        self.reader = reader
        self.technology = technology
        self.isScan = isScan
        self.zone = zone
        self.readPoint = readPoint
        self.since = since
        self.lastRead = lastRead
        self.lastSeenInZone = lastSeenInZone
        self.reportedSide = reportedSide
        self.leanSide = leanSide
        self.reads = reads
        self.peakRSSI = peakRSSI
        self.episodes = episodes
        self.stationed = stationed
    }

    /// The asset of a row of the log's `assets` table.
    public init(_ record: AssetRecord) {
        self.init(tag: record.tag, isScan: record.isScan, zone: record.zone, readPoint: record.readPoint, since: record.since,
                  lastRead: record.lastRead, lastSeenInZone: record.lastReadInZone, reportedSide: record.doorSide,
                  leanSide: record.leanSide, reads: record.reads, peakRSSI: record.peakRSSI, episodes: record.episodes,
                  stationed: record.stationed, reader: record.reader,
                  technology: record.isScan ? nil : record.technology.flatMap(TagObservation.Technology.init(rawValue:)))
    }
}

/// What the engine takes back at a start: the asset table as it was written before the stop.
public typealias RestoredAsset = EngineAsset

/// What `restore` did, for the start's log line.
public struct RestoreSummary: Hashable, Sendable {
    /// Assets now tracked again.
    public var restored = 0
    /// Of those, departed in the downtime (not read within `departAfter` of their last read).
    public var departedWhileStopped = 0
    /// Departed at once: their anchor read point is no longer configured.
    public var readPointRemoved = 0
    /// Departed at once: more rows than `maxAssets` (the least recently read go).
    public var evicted = 0

    public init() {}
}
