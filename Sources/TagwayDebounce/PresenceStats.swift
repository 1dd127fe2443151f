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

/// The window figures of a present tag at one read point, as plain integers: what the zone
/// engine compares on every read that could move a tag, without building `PresenceStats`.
public struct PresenceEvidence: Hashable, Sendable {
    public var lastSeen: Int64
    public var windowReads: Int32
    public var windowRSSISum: Int32
    /// Reads in the window that carried RSSI.
    public var windowRSSICount: Int32

    /// Mean RSSI over the window's reads that carried RSSI, in dBm; nil without RSSI.
    @inlinable public var windowMeanRSSI: Double? {
        windowRSSICount > 0 ? Double(windowRSSISum) / Double(windowRSSICount) : nil
    }

    public init(lastSeen: Int64, windowReads: Int32, windowRSSISum: Int32, windowRSSICount: Int32) {
        self.lastSeen = lastSeen
        self.windowReads = windowReads
        self.windowRSSISum = windowRSSISum
        self.windowRSSICount = windowRSSICount
    }
}

/// A tag at a read point. Scans and RFID reads never share a key, even if a barcode's bytes
/// happen to equal a tag id.
struct PresenceKey: Hashable, Sendable {
    var readPoint: Int32
    var tag: TagID
    var isScan = false

    /// The cheap fields first: most unequal keys on the hot path differ in read point or scan flag.
    static func == (lhs: PresenceKey, rhs: PresenceKey) -> Bool {
        lhs.readPoint == rhs.readPoint && lhs.isScan == rhs.isScan && lhs.tag == rhs.tag
    }
}
