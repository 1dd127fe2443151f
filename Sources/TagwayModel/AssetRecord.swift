/// The side of a door zone an asset is on.
public enum DoorSide: String, Sendable, Hashable, Codable {
    case inside, outside
}

/// Where one asset is now, as the gateway keeps it durably (one row of the log's `assets` table).
///
/// Written in the same transaction as the events that change it, so the table always holds the
/// state the committed events imply; reads that change no zone (`lastRead`, `reads`, `peakRSSI`)
/// are written a little later, by the pipeline's periodic state write. `tag` is the movement
/// engine's identity of the asset (a tag id, or a scan key), kept so a restart hands the engine
/// back exactly what it had; `asset` is the canonical key people and asset stores know.
public struct AssetRecord: Hashable, Sendable {
    public var tag: TagID
    public var isScan: Bool
    /// `em4100`, `epc-gen2` or `iso14443a` for tags (`TagObservation.Technology`); nil for scans.
    public var technology: String?
    public var asset: AssetRef
    public var symbology: String?
    /// The zone it is in now.
    public var zone: String
    /// When it entered `zone` (the time of its `arrived` or `moved` event).
    public var since: Timestamp
    /// The read point holding it (the anchor: best evidence in its zone).
    public var readPoint: String
    public var reader: String?
    /// Its last read anywhere: it departs `departAfter` after this.
    public var lastRead: Timestamp
    /// Its last read in `zone`.
    public var lastReadInZone: Timestamp
    /// In a door zone: the side last reported (where it came in, or its last crossing).
    public var doorSide: DoorSide?
    /// In a door zone: the side the freshest evidence leans to.
    public var leanSide: DoorSide?
    /// Reads in its current zone.
    public var reads: Int
    /// Strongest RSSI in its current zone, when the reader reports RSSI.
    public var peakRSSI: Int?
    /// Rule ids whose alert episode is open (alerted once, not again until it ends).
    public var episodes: [String]
    /// Placed by a scan at a `mode: scan` zone: it stays until scanned elsewhere, never departs by silence.
    public var stationed: Bool
    /// The log's newest seq when the row was written (0 before it is written).
    public var seq: Int64

    public init(tag: TagID, isScan: Bool, technology: String?, asset: AssetRef, symbology: String? = nil, zone: String,
                since: Timestamp, readPoint: String, reader: String? = nil, lastRead: Timestamp, lastReadInZone: Timestamp,
                doorSide: DoorSide? = nil, leanSide: DoorSide? = nil, reads: Int = 0, peakRSSI: Int? = nil,
                episodes: [String] = [], stationed: Bool = false, seq: Int64 = 0) {
        self.tag = tag
        self.isScan = isScan
        self.technology = technology
        self.asset = asset
        self.symbology = symbology
        self.zone = zone
        self.since = since
        self.readPoint = readPoint
        self.reader = reader
        self.lastRead = lastRead
        self.lastReadInZone = lastReadInZone
        self.doorSide = doorSide
        self.leanSide = leanSide
        self.reads = reads
        self.peakRSSI = peakRSSI
        self.episodes = episodes
        self.stationed = stationed
        self.seq = seq
    }
}

/// What reads change in an asset's row when its zone does not change: the periodic state write
/// sends only these, so it needs no asset key (no identity parsing) and updates rows in place.
public struct AssetTouch: Hashable, Sendable {
    public var tag: TagID
    public var readPoint: String
    public var lastRead: Timestamp
    public var lastReadInZone: Timestamp
    public var doorSide: DoorSide?
    public var leanSide: DoorSide?
    public var reads: Int
    public var peakRSSI: Int?

    public init(tag: TagID, readPoint: String, lastRead: Timestamp, lastReadInZone: Timestamp, doorSide: DoorSide? = nil,
                leanSide: DoorSide? = nil, reads: Int, peakRSSI: Int? = nil) {
        self.tag = tag
        self.readPoint = readPoint
        self.lastRead = lastRead
        self.lastReadInZone = lastReadInZone
        self.doorSide = doorSide
        self.leanSide = leanSide
        self.reads = reads
        self.peakRSSI = peakRSSI
    }
}

/// The asset rows a write changes: written with the events of the same transaction.
public struct AssetStateChanges: Hashable, Sendable {
    public var upserts: [AssetRecord]
    /// Rows updated in place (a touch of a tag with no row changes nothing: its row comes with its
    /// `arrived` event).
    public var touches: [AssetTouch]
    /// Assets gone (departed, evicted), by engine identity.
    public var removals: [TagID]

    public init(upserts: [AssetRecord] = [], touches: [AssetTouch] = [], removals: [TagID] = []) {
        self.upserts = upserts
        self.touches = touches
        self.removals = removals
    }

    public static let none = AssetStateChanges()

    public var isEmpty: Bool { upserts.isEmpty && touches.isEmpty && removals.isEmpty }
}

/// Every asset row and the log's newest seq, read together (one read transaction): a client
/// that follows the event stream from `lastSeq` sees every movement after this state, once.
public struct AssetSnapshot: Sendable {
    public var records: [AssetRecord]
    public var lastSeq: Int64

    public init(records: [AssetRecord], lastSeq: Int64) {
        self.records = records
        self.lastSeq = lastSeq
    }
}
