import TagwayModel

/// A present tag's statistics at one read point. The window figures cover the reads still in the
/// debouncer's ring (at most `window` old); the zone engine compares read points with them.
public struct PresenceStats: Hashable, Sendable {
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp
    public var totalReads: Int
    public var windowReads: Int
    /// Mean RSSI over the window's reads that carried RSSI, in dBm; nil without RSSI.
    public var windowMeanRSSI: Double?
    public var peakRSSI: Int?
}

/// A tag at a read point. Scans and RFID reads never share a key, even if a barcode's bytes
/// happen to equal a tag id.
struct PresenceKey: Hashable, Sendable {
    var readPoint: Int32
    var tag: TagID
    var isScan = false
}
