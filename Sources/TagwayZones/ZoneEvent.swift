import TagwayDebounce
import TagwayModel

/// What the movement engine reports: plain values only (zone, read point and rule by index), so
/// appending one in the hot path never allocates. `MovementEngine` names the indices.
public struct ZoneEvent: Hashable, Sendable {
    /// Why an alert was raised.
    public enum AlertReason: UInt8, Sendable, Hashable {
        /// The asset is in a zone its rule does not list in `allowedZones`.
        case outsideAllowedZones
        /// The asset is in one of its rule's `forbiddenZones`.
        case inForbiddenZone
        /// The asset passed out (or in) through a door zone its rule does not allow.
        case passedOutThroughDoor
        case passedInThroughDoor
    }

    /// Why a `departed` happened.
    public enum DepartureCause: UInt8, Sendable, Hashable {
        /// Not read anywhere for `departAfter`.
        case silent
        /// Pushed out of a full asset table.
        case evicted
        /// Restored at a start and not read again within `departAfter` of its last read before the stop.
        case notSeenSinceRestart
        /// Restored at a start, but its anchor read point is no longer in the configuration.
        case readPointRemoved
    }

    public var type: EventType
    public var tag: TagID
    /// True for barcode-scanned assets (the tag is the scan's key).
    public var isScan: Bool
    public var time: Timestamp
    public var from: Int16 = -1
    public var to: Int16 = -1
    public var readPoint: Int32 = -1
    /// The reader that read the asset at `readPoint`, as `MovementEngine.readerName` names it
    /// (`Read.noReader` when none was given).
    public var reader: UInt16 = Read.noReader
    /// What kind of tag the asset is, which its key depends on; nil for scans.
    public var technology: TagObservation.Technology?
    public var direction: Direction?
    public var rule: Int16 = -1
    public var reason: AlertReason?
    /// Reads of the asset in its current zone (arrived: the candidate's window reads).
    public var reads: Int32 = 0
    /// Strongest RSSI of the asset in its current zone, when the reader reports RSSI.
    public var rssi: Int16?
    /// Why a `departed` happened (`silent` for every other type).
    public var cause: DepartureCause = .silent

    /// A departure because the asset table was full, not because the asset went quiet.
    public var evicted: Bool { cause == .evicted }

    public init(type: EventType, tag: TagID, isScan: Bool, time: Timestamp) {
        self.type = type
        self.tag = tag
        self.isScan = isScan
        self.time = time
    }
}
