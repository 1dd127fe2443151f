import TagwayModel

/// A present tag's statistics at one read point. The window figures cover the reads still in the
/// debouncer's ring (at most `window` old); the zone engine compares read points with them.
/// `firstSeen`, `totalReads` and `peakRSSI` are nil when the debouncer keeps no totals (see
/// `Debouncer.init(configuration:keepsTotals:)`).
public struct PresenceStats: Hashable, Sendable {
    public var firstSeen: Timestamp?
    public var lastSeen: Timestamp
    public var totalReads: Int?
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
///
/// The id's compact form (`TagID.leadingWords` and its length), computed once per read, is what
/// the presence table stores and compares. A plain value with no reference-counted field, so
/// building and passing one costs no retain: the `TagID` itself goes along separately, and is
/// only looked at for ids longer than `TagID.compactCapacity`, which are compared whole.
struct PresenceKey: Sendable {
    let readPoint: Int32
    /// `readPoint` as a slot holds it (`PresenceTable.widePoint` when it does not fit).
    let point: UInt16
    let isScan: Bool
    let k0: UInt64
    let k1: UInt64
    let length: Int

    @inline(__always)
    init(readPoint: Int32, tag: borrowing TagID, isScan: Bool = false) {
        self.readPoint = readPoint
        point = readPoint >= 0 && readPoint < Int32(PresenceTable.widePoint) ? UInt16(truncatingIfNeeded: readPoint) : PresenceTable.widePoint
        self.isScan = isScan
        (k0, k1) = tag.leadingWords
        length = tag.count
    }

    var isLong: Bool { length > TagID.compactCapacity }
}
