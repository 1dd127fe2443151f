/// What one reader's or read point's `filters:` says: the reads that count there.
///
/// A read counts when it matches an `include` entry (or `include` is empty), matches no
/// `exclude` entry, is not weaker than `rssiFloor`, and its tag has been read `minReads.count`
/// times within `minReads.within` at that reader or read point.
public struct TagFilterSpec: Sendable, Hashable {
    public var include: [TagMatch]
    public var exclude: [TagMatch]
    /// dBm; reads weaker than this are dropped. Reads without an RSSI (EM4100, NFC, barcodes,
    /// readers that do not report one) are kept: nothing says they are weak.
    public var rssiFloor: Int?
    public var minReads: MinReads?

    public init(include: [TagMatch] = [], exclude: [TagMatch] = [], rssiFloor: Int? = nil, minReads: MinReads? = nil) {
        self.include = include
        self.exclude = exclude
        self.rssiFloor = rssiFloor
        self.minReads = minReads
    }

    /// True when the filter keeps every read.
    public var isEmpty: Bool { include.isEmpty && exclude.isEmpty && rssiFloor == nil && (minReads?.count ?? 1) <= 1 }
}

/// `minReads: { count: 2, within: 1s }`: a tag's reads count from its `count`-th read within
/// `within` on; a tag read once in passing (a stray reflection, a tag carried past) never does.
public struct MinReads: Sendable, Hashable {
    public static let maxCount = 32
    public var count: Int
    public var within: Duration

    public init(count: Int, within: Duration) {
        self.count = count
        self.within = within
    }
}
