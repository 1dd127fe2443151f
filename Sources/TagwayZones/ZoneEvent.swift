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

    public var type: EventType
    public var tag: TagID
    /// True for barcode-scanned assets (the tag is the scan's key).
    public var isScan: Bool
    public var time: Timestamp
    public var from: Int16 = -1
    public var to: Int16 = -1
    public var readPoint: Int32 = -1
    public var direction: Direction?
    public var rule: Int16 = -1
    public var reason: AlertReason?
    /// Reads of the asset in its current zone (arrived: the candidate's window reads).
    public var reads: Int32 = 0
    /// Strongest RSSI of the asset in its current zone, when the reader reports RSSI.
    public var rssi: Int16?
    /// A departure because the asset table was full, not because the asset went quiet.
    public var evicted = false

    public init(type: EventType, tag: TagID, isScan: Bool, time: Timestamp) {
        self.type = type
        self.tag = tag
        self.isScan = isScan
        self.time = time
    }
}
